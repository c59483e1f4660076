//! Finding the pinned document when it is not beside the checkout.
//!
//! The manifest's `[document] path` is looked at first. When it is missing (a
//! fresh clone without `../shared`), a copy cached under its sha256 is used,
//! and failing that the document is downloaded from `[document] source`,
//! checked against the pinned sha256 and cached.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use codegen::manifest::{DocumentPin, sha256_file};
use sha2::{Digest, Sha256};

use crate::http::Http;

/// What to tell someone whose document cannot be found or fetched.
const HINT: &str = "to use a local copy, pass `--spec PATH` or set `JUMPCLOUD_SPEC=PATH`";

/// The pinned document's path: `root.join(&pin.path)` when it exists (its
/// checksum is left to `verify_pin`), else `cache_dir/<sha256>.<ext>` when
/// that holds the pinned bytes, else a fresh download of `pin.source`,
/// verified against `pin.sha256` and written atomically into `cache_dir`.
pub fn locate_pinned(root: &Path, pin: &DocumentPin, cache_dir: &Path) -> Result<PathBuf> {
    locate(root, pin, cache_dir, &Http::new())
}

/// [`locate_pinned`] with the downloader supplied, so tests can turn off
/// proxies from the environment.
fn locate(root: &Path, pin: &DocumentPin, cache_dir: &Path, http: &Http) -> Result<PathBuf> {
    let local = root.join(&pin.path);
    if local.exists() {
        return Ok(local);
    }
    let Some(url) = pin.source.as_deref() else {
        bail!(
            "the pinned document is not at {} and the manifest's [document] has no `source` URL \
             to download it from; {HINT}",
            local.display()
        );
    };
    let expected = pinned_sha256(pin)?;
    let cached = cache_dir.join(format!("{expected}.{}", extension(pin, url)));
    if cached.is_file() && sha256_file(&cached).is_ok_and(|actual| actual == expected) {
        return Ok(cached);
    }

    eprintln!(
        "{} is missing; downloading the pinned document from {url}",
        local.display()
    );
    let bytes = http.get(url).map_err(|e| {
        anyhow::anyhow!(
            "the pinned document is not at {} and downloading it from {url} failed: {e:#}; \
                 {HINT}",
            local.display()
        )
    })?;
    let actual = sha256_hex(&bytes);
    if actual != expected {
        bail!(
            "the document downloaded from {url} has sha256 {actual} but the manifest pins \
             {expected}; nothing was cached; {HINT}"
        );
    }
    write_atomically(&cached, &bytes)
        .with_context(|| format!("caching the document downloaded from {url}"))?;
    Ok(cached)
}

/// The pin's sha256 in lower case, refused unless it is 64 hex digits (it
/// names the cache file).
fn pinned_sha256(pin: &DocumentPin) -> Result<String> {
    let sha = pin.sha256.to_ascii_lowercase();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!(
            "the manifest pins sha256 `{}`, which is not 64 hex digits",
            pin.sha256
        );
    }
    Ok(sha)
}

/// The cache file's extension: the pinned path's, else the URL's, else `yaml`.
fn extension(pin: &DocumentPin, url: &str) -> String {
    let from_url = url
        .split(['?', '#'])
        .next()
        .and_then(|u| u.rsplit('/').next())
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext);
    let from_path = pin.path.extension().and_then(|e| e.to_str());
    [from_path, from_url]
        .into_iter()
        .flatten()
        .find(|ext| {
            !ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .unwrap_or("yaml")
        .to_ascii_lowercase()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<pid>.<n>`, different on every call in this run and from any other
/// running xtask: names temporary files.
pub fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`, so `path` never holds a partial document.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("spec");
    let temp = dir.join(format!(".{name}.{}.tmp", unique_suffix()));
    let written = fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .with_context(|| format!("writing {}", temp.display()))
        .and_then(|()| {
            fs::rename(&temp, path)
                .with_context(|| format!("renaming {} to {}", temp.display(), path.display()))
        });
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_server::serve;
    use std::net::TcpListener;

    const BODY: &[u8] = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    /// A fresh `<tmp>/xtask-fetch-<name>-<pid>` holding `root/` and `cache/`
    /// (the cache not created yet).
    fn dirs(name: &str) -> (PathBuf, PathBuf, PathBuf) {
        let parent =
            std::env::temp_dir().join(format!("xtask-fetch-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&parent);
        let root = parent.join("root");
        fs::create_dir_all(&root).unwrap();
        let cache = parent.join("cache");
        (parent, root, cache)
    }

    fn pin(source: Option<&str>, sha256: &str) -> DocumentPin {
        DocumentPin {
            path: "../shared/spec/jumpcloud-v2.openapi.yaml".into(),
            source: source.map(str::to_owned),
            sha256: sha256.to_owned(),
            operations: 0,
            schemas: 0,
        }
    }

    fn cache_entries(cache: &Path) -> Vec<String> {
        match fs::read_dir(cache) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    #[test]
    fn downloads_verifies_and_caches_then_reuses_the_cache() {
        let server = serve("200 OK", BODY);
        let (parent, root, cache) = dirs("download");
        let sha = sha256_hex(BODY);
        let pin = pin(Some(&server.url), &sha);

        let first = locate(&root, &pin, &cache, &Http::loopback()).unwrap();
        assert_eq!(first, cache.join(format!("{sha}.yaml")));
        assert_eq!(fs::read(&first).unwrap(), BODY);
        assert_eq!(server.hits(), 1);
        assert_eq!(cache_entries(&cache), vec![format!("{sha}.yaml")]);

        let second = locate(&root, &pin, &cache, &Http::loopback()).unwrap();
        assert_eq!(second, first);
        assert_eq!(server.hits(), 1, "the cache was not used");
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn a_corrupt_cache_entry_is_downloaded_again() {
        let server = serve("200 OK", BODY);
        let (parent, root, cache) = dirs("corrupt");
        let sha = sha256_hex(BODY);
        fs::create_dir_all(&cache).unwrap();
        fs::write(cache.join(format!("{sha}.yaml")), b"truncated").unwrap();

        let path = locate(
            &root,
            &pin(Some(&server.url), &sha),
            &cache,
            &Http::loopback(),
        )
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), BODY);
        assert_eq!(server.hits(), 1);
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn a_hash_mismatch_names_both_hashes_and_the_url_and_caches_nothing() {
        let server = serve("200 OK", BODY);
        let (parent, root, cache) = dirs("mismatch");
        let expected = "ab".repeat(32);
        let err = locate(
            &root,
            &pin(Some(&server.url), &expected),
            &cache,
            &Http::loopback(),
        )
        .unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains(&expected), "{message}");
        assert!(message.contains(&sha256_hex(BODY)), "{message}");
        assert!(message.contains(&server.url), "{message}");
        assert!(
            cache_entries(&cache).is_empty(),
            "{:?}",
            cache_entries(&cache)
        );
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn an_http_error_names_the_status_url_local_path_and_options() {
        let server = serve("404 Not Found", &b"404: Not Found"[..]);
        let (parent, root, cache) = dirs("404");
        let pin = pin(Some(&server.url), &sha256_hex(BODY));
        let err = locate(&root, &pin, &cache, &Http::loopback()).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("404"), "{message}");
        assert!(message.contains(&server.url), "{message}");
        assert!(
            message.contains(&root.join(&pin.path).display().to_string()),
            "{message}"
        );
        assert!(message.contains("--spec PATH"), "{message}");
        assert!(message.contains("JUMPCLOUD_SPEC"), "{message}");
        assert!(cache_entries(&cache).is_empty());
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn an_unreachable_server_names_the_url_local_path_and_options() {
        // A port that was free a moment ago: connecting to it is refused.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/openapi.yaml");
        let (parent, root, cache) = dirs("unreachable");
        let pin = pin(Some(&url), &sha256_hex(BODY));
        let err = locate(&root, &pin, &cache, &Http::loopback()).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains(&url), "{message}");
        assert!(
            message.contains(&root.join(&pin.path).display().to_string()),
            "{message}"
        );
        assert!(message.contains("--spec PATH"), "{message}");
        assert!(message.contains("JUMPCLOUD_SPEC"), "{message}");
        assert!(cache_entries(&cache).is_empty());
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn without_a_source_the_error_names_the_local_path_and_options() {
        let (parent, root, cache) = dirs("nosource");
        let pin = pin(None, &sha256_hex(BODY));
        let err = locate(&root, &pin, &cache, &Http::loopback()).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains(&root.join(&pin.path).display().to_string()),
            "{message}"
        );
        assert!(message.contains("source"), "{message}");
        assert!(message.contains("--spec PATH"), "{message}");
        assert!(message.contains("JUMPCLOUD_SPEC"), "{message}");
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn a_local_document_wins_over_cache_and_download() {
        let server = serve("200 OK", BODY);
        let (parent, root, cache) = dirs("local");
        let sha = sha256_hex(BODY);
        let pin = DocumentPin {
            path: "doc.yaml".into(),
            ..pin(Some(&server.url), &sha)
        };
        // The local copy need not match: checking it is `verify_pin`'s job.
        fs::write(root.join("doc.yaml"), b"local").unwrap();
        fs::create_dir_all(&cache).unwrap();
        fs::write(cache.join(format!("{sha}.yaml")), BODY).unwrap();

        let path = locate(&root, &pin, &cache, &Http::loopback()).unwrap();
        assert_eq!(path, root.join("doc.yaml"));
        assert_eq!(server.hits(), 0);
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn a_malformed_pinned_sha256_is_refused_before_touching_the_cache() {
        let (parent, root, cache) = dirs("badsha");
        let pin = pin(Some("http://127.0.0.1:9/x.yaml"), "../../etc/passwd");
        let err = locate(&root, &pin, &cache, &Http::loopback()).unwrap_err();
        assert!(format!("{err:#}").contains("not 64 hex digits"), "{err:#}");
        assert!(cache_entries(&cache).is_empty());
        fs::remove_dir_all(parent).unwrap();
    }

    #[test]
    fn the_cache_extension_comes_from_the_path_then_the_url() {
        let url = "https://example.invalid/a/openapi.json?x=1";
        assert_eq!(extension(&pin(None, ""), url), "yaml");
        let no_ext = DocumentPin {
            path: "doc".into(),
            ..pin(None, "")
        };
        assert_eq!(extension(&no_ext, url), "json");
        assert_eq!(extension(&no_ext, "https://example.invalid/doc"), "yaml");
    }
}
