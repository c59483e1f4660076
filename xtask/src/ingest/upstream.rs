//! `cargo xtask ingest --upstream`: takes in whatever the publisher serves
//! now at the manifest's `upstream` URL.
//!
//! The download is kept in the workspace, under `spec/published/` at a path
//! made of the URL's host and path, so the pull request that moves the pin
//! shows the document's own text diff beside the drift report. The same
//! bytes as the pin mean nothing to do; a download or document that cannot
//! be taken in leaves every file as it was.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use codegen::manifest::Manifest;

use crate::fetch;
use crate::http::{self, Http};
use crate::paths::Workspace;

/// What `pull` did.
#[derive(Debug)]
pub enum Pulled {
    /// The publisher serves the pinned bytes.
    Unchanged { url: String, sha256: String },
    /// A new version, downloaded to `path` and ingested.
    Ingested { url: String, path: PathBuf },
}

pub fn run(workspace: &Workspace) -> Result<ExitCode> {
    match pull(workspace, &Http::new())? {
        Pulled::Unchanged { url, sha256 } => {
            eprintln!("{url} serves the pinned document (sha256 {sha256}); nothing to do");
        }
        Pulled::Ingested { url, path } => {
            eprintln!("took in {url}, saved as {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Downloads the manifest's `upstream` document and ingests it unless it is
/// the pinned one.
pub fn pull(workspace: &Workspace, http: &Http) -> Result<Pulled> {
    let manifest = Manifest::read(&workspace.manifest())?;
    let Some(url) = manifest.upstream.clone() else {
        bail!(
            "{} names no `upstream` URL to follow; add `upstream = \"https://...\"` \
             or pass the new document's path to `cargo xtask ingest`",
            workspace.manifest().display()
        );
    };
    let bytes = http
        .get(&url)
        .with_context(|| format!("downloading {url}; nothing was written"))?;
    let sha256 = fetch::sha256_hex(&bytes);
    if sha256 == manifest.document.sha256 {
        return Ok(Pulled::Unchanged { url, sha256 });
    }
    let path = workspace.root.join(saved_path(&url)?);
    // `plan` reads the document at the path it pins, so the bytes go there
    // first and come out again if the plan fails.
    let previous = std::fs::read(&path).ok();
    let created: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .take_while(|dir| !dir.exists())
        .map(Path::to_path_buf)
        .collect();
    fetch::write_atomically(&path, &bytes)?;
    let planned = super::plan(&path, None, workspace);
    let planned = match planned {
        Ok(planned) => planned,
        Err(e) => {
            restore(&path, previous.as_deref(), &created)?;
            return Err(e.context(format!("{url} cannot be taken in; nothing was written")));
        }
    };
    super::apply(&planned, workspace)?;
    print!("{}", super::comment(&planned.report, workspace));
    Ok(Pulled::Ingested { url, path })
}

/// `spec/published/<host>/<path>` for `url`, each segment checked so that
/// no URL can name a file outside that folder.
fn saved_path(url: &str) -> Result<PathBuf> {
    let (host, segments) = http::host_and_segments(url)?;
    let mut path = PathBuf::from("spec/published").join(host);
    if segments.is_empty() {
        bail!("`{url}` names no file");
    }
    for segment in segments {
        let safe = segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !safe || segment == "." || segment == ".." {
            bail!("`{url}`: the path segment `{segment}` is not a safe file name");
        }
        path.push(segment);
    }
    Ok(path)
}

/// Puts back what `path` held and removes the folders made for it
/// (innermost first), so a failed pull leaves no trace.
fn restore(path: &Path, previous: Option<&[u8]>, created: &[PathBuf]) -> Result<()> {
    match previous {
        Some(bytes) => fetch::write_atomically(path, bytes)?,
        None => std::fs::remove_file(path)
            .with_context(|| format!("removing the download {}", path.display()))?,
    }
    for dir in created {
        std::fs::remove_dir(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::saved_path;
    use std::path::Path;

    #[test]
    fn the_saved_path_mirrors_host_and_path_and_refuses_escapes() {
        assert_eq!(
            saved_path("https://docs.jumpcloud.com/api/2.0/index.yaml").unwrap(),
            Path::new("spec/published/docs.jumpcloud.com/api/2.0/index.yaml")
        );
        assert_eq!(
            saved_path("http://127.0.0.1:8080/a/b.yaml?x=1").unwrap(),
            Path::new("spec/published/127.0.0.1/a/b.yaml")
        );
        assert!(saved_path("https://example.com/").is_err());
        assert!(saved_path("https://example.com/a/b%20c.yaml").is_err());
        assert!(saved_path("not a url").is_err());
    }
}
