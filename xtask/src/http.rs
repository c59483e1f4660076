//! Downloads over HTTP(S) through the system's `curl`.
//!
//! xtask downloads a document only when the pinned one is missing or when
//! it follows the publisher (`ingest --upstream`). Handing that to `curl`
//! keeps a TLS stack, an async runtime and an HTTP client out of the build a
//! newcomer's first `cargo xtask generate` waits for (BENCHMARKS.md), while
//! the trust store, proxies and TLS versions are the system's own.

use std::fs;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::fetch;

/// Larger responses are refused (a document is a few MiB).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// curl's exit code for a response over `--max-filesize`.
const CURL_FILESIZE_EXCEEDED: i32 = 63;

/// How downloads are made: time limits and whether the environment's proxy
/// settings apply.
#[derive(Clone, Debug)]
pub struct Http {
    connect_timeout: Duration,
    timeout: Duration,
    proxies: bool,
}

impl Http {
    /// Downloads for the command line: the environment's proxies, 15 s to
    /// connect, 5 min for the whole transfer.
    pub fn new() -> Self {
        Self {
            connect_timeout: Duration::from_secs(15),
            timeout: Duration::from_secs(300),
            proxies: true,
        }
    }

    /// Downloads from a server on this machine: never through a proxy from
    /// the environment, short time limits.
    #[cfg(test)]
    pub fn loopback() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            proxies: false,
        }
    }

    /// The body of a successful GET of `url` (redirects followed), at most
    /// [`MAX_BYTES`] long. Any status outside 2xx is an error naming it.
    pub fn get(&self, url: &str) -> Result<Vec<u8>> {
        let body = BodyFile::new();
        let mut command = Command::new("curl");
        command
            .args([
                "--silent",
                "--show-error",
                "--location",
                "--max-redirs",
                "10",
            ])
            .args(["--proto", "=http,https", "--proto-redir", "=http,https"])
            .arg("--connect-timeout")
            .arg(self.connect_timeout.as_secs().to_string())
            .arg("--max-time")
            .arg(self.timeout.as_secs().to_string())
            .arg("--max-filesize")
            .arg(MAX_BYTES.to_string())
            .arg("--user-agent")
            .arg(concat!("jumpcloud-xtask/", env!("CARGO_PKG_VERSION")))
            .arg("--output")
            .arg(&body.0)
            .args(["--write-out", "%{http_code}"]);
        if !self.proxies {
            command.args(["--noproxy", "*"]);
        }
        command.arg("--url").arg(url);
        let output = command.output().map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                anyhow::anyhow!("downloading needs `curl` on PATH, and none was found")
            } else {
                anyhow::Error::new(e).context("starting curl")
            }
        })?;
        if !output.status.success() {
            if output.status.code() == Some(CURL_FILESIZE_EXCEEDED) {
                bail!("the response is larger than {MAX_BYTES} bytes");
            }
            let reason = String::from_utf8_lossy(&output.stderr);
            bail!("{}", reason.trim());
        }
        let status = String::from_utf8_lossy(&output.stdout);
        let status = status.trim();
        if !status.starts_with('2') {
            bail!("the server answered HTTP {status}");
        }
        let bytes = fs::read(&body.0).context("reading the downloaded body")?;
        if bytes.len() as u64 > MAX_BYTES {
            bail!("the response is larger than {MAX_BYTES} bytes");
        }
        Ok(bytes)
    }
}

/// A temporary file for curl to write the body into, removed when dropped.
struct BodyFile(PathBuf);

impl BodyFile {
    fn new() -> Self {
        Self(std::env::temp_dir().join(format!("xtask-download-{}", fetch::unique_suffix())))
    }
}

impl Drop for BodyFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// The host and the non-empty path segments of an `http` or `https` URL,
/// without port, query or fragment.
pub fn host_and_segments(url: &str) -> Result<(&str, Vec<&str>)> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        bail!("`{url}` is not an http or https URL");
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        bail!("`{url}` carries credentials; name the document without them");
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if !valid {
        bail!("`{url}` names no host (a name or an IPv4 address)");
    }
    Ok((host, path.split('/').filter(|s| !s.is_empty()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_server::serve;
    use std::net::TcpListener;

    #[test]
    fn a_success_returns_the_body_and_an_error_status_is_named() {
        let ok = serve("200 OK", &b"openapi: 3.0.3\n"[..]);
        assert_eq!(Http::loopback().get(&ok.url).unwrap(), b"openapi: 3.0.3\n");
        let missing = serve("404 Not Found", &b"404: Not Found"[..]);
        let error = Http::loopback().get(&missing.url).unwrap_err();
        assert_eq!(error.to_string(), "the server answered HTTP 404");
    }

    #[test]
    fn a_refused_connection_says_so() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let error = Http::loopback()
            .get(&format!("http://127.0.0.1:{port}/x.yaml"))
            .unwrap_err();
        assert!(error.to_string().contains("onnect"), "{error:#}");
    }

    #[test]
    fn urls_split_into_host_and_segments() {
        assert_eq!(
            host_and_segments("https://docs.jumpcloud.com/api/2.0/index.yaml?x=1#y").unwrap(),
            ("docs.jumpcloud.com", vec!["api", "2.0", "index.yaml"])
        );
        assert_eq!(
            host_and_segments("http://127.0.0.1:8080//a/b.yaml").unwrap(),
            ("127.0.0.1", vec!["a", "b.yaml"])
        );
        assert!(host_and_segments("ftp://example.com/a").is_err());
        assert!(host_and_segments("https://user:pw@example.com/a").is_err());
        assert!(host_and_segments("https://exa$mple.com/a").is_err());
        assert!(host_and_segments("https:///a").is_err());
    }
}
