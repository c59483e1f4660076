//! The "before" side of an ingest: the document, overlays and crate version
//! as last committed.
//!
//! Taking the overlays from the commit rather than the working tree is what
//! makes an overlay edit show up in the drift report: the new side is read
//! with the edited overlays, the old side with the committed ones. Outside a
//! git checkout (a copied workspace), the working tree is the baseline.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use codegen::manifest::{DocumentPin, Manifest, sha256_file};

use crate::fetch;
use crate::paths::Workspace;

pub struct Baseline {
    pub pin: DocumentPin,
    /// The pinned document on disk (found locally, cached or downloaded).
    pub document: PathBuf,
    pub overlays: Vec<PathBuf>,
    /// The client crate's version.
    pub version: String,
    /// The client crate's changelog, empty when there is none.
    pub changelog: String,
}

impl Baseline {
    pub fn committed(workspace: &Workspace) -> Result<Baseline> {
        match Committed::at(&workspace.root) {
            Some(head) => Self::from_head(workspace, &head),
            None => Self::from_working_tree(workspace),
        }
    }

    fn from_working_tree(workspace: &Workspace) -> Result<Baseline> {
        let manifest_path = workspace.manifest();
        let manifest = Manifest::read(&manifest_path)?;
        let cargo_toml = std::fs::read_to_string(workspace.client_cargo_toml())
            .with_context(|| format!("reading {}", workspace.client_cargo_toml().display()))?;
        Ok(Baseline {
            document: pinned_document(workspace, &manifest.document)?,
            overlays: manifest.overlay_paths(&manifest_path),
            version: crate::release::package_version(&cargo_toml)?,
            changelog: std::fs::read_to_string(workspace.changelog()).unwrap_or_default(),
            pin: manifest.document,
        })
    }

    fn from_head(workspace: &Workspace, head: &Committed) -> Result<Baseline> {
        let manifest_in_repo = workspace.manifest_in_repo();
        let text = head.show(&manifest_in_repo.to_string_lossy())?;
        let manifest: Manifest = toml::from_str(&text).with_context(|| {
            format!(
                "the committed {} does not parse",
                manifest_in_repo.display()
            )
        })?;
        // The committed overlays are copied out under their own names, so a
        // message about one of them reads `…/HEAD/spec/overlays/x.yaml`.
        let folder = manifest_in_repo.parent().unwrap_or(Path::new("spec"));
        let copy = workspace.scratch("ingest-baseline/HEAD").join(folder);
        let mut overlays = Vec::new();
        for overlay in &manifest.overlays {
            let committed = folder.join(overlay);
            let text = head.show(&committed.to_string_lossy())?;
            let path = copy.join(overlay);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            overlays.push(path);
        }
        let cargo_toml = head.show("jumpcloud-client/Cargo.toml")?;
        Ok(Baseline {
            document: pinned_document(workspace, &manifest.document)?,
            overlays,
            version: crate::release::package_version(&cargo_toml)?,
            changelog: head
                .show("jumpcloud-client/CHANGELOG.md")
                .unwrap_or_default(),
            pin: manifest.document,
        })
    }
}

/// The pinned document, wherever it can be found, with its checksum checked.
pub fn pinned_document(workspace: &Workspace, pin: &DocumentPin) -> Result<PathBuf> {
    let path = locate_pinned(workspace, pin)?;
    verify_pinned(&path, pin)?;
    Ok(path)
}

/// Where the pinned document is, its checksum not yet checked: see
/// [`verify_pinned`].
pub fn locate_pinned(workspace: &Workspace, pin: &DocumentPin) -> Result<PathBuf> {
    fetch::locate_pinned(&workspace.root, pin, &workspace.scratch("spec-cache"))
}

/// Fails unless the document at `path` has the checksum `pin` names.
pub fn verify_pinned(path: &Path, pin: &DocumentPin) -> Result<()> {
    let actual = sha256_file(path)?;
    if actual != pin.sha256 {
        bail!(
            "{} has sha256 {actual}, but the manifest pins {}",
            path.display(),
            pin.sha256
        );
    }
    Ok(())
}

/// `HEAD` of the git checkout whose top level is the workspace root.
struct Committed {
    root: PathBuf,
}

impl Committed {
    fn at(root: &Path) -> Option<Committed> {
        // Only a checkout whose top level is this root: a copied workspace
        // inside some other repository must not read that repository's HEAD.
        let prefix = git(root, &["rev-parse", "--show-prefix"]).ok()?;
        git(root, &["rev-parse", "--verify", "HEAD"]).ok()?;
        prefix.trim().is_empty().then(|| Committed {
            root: root.to_path_buf(),
        })
    }

    fn show(&self, path: &str) -> Result<String> {
        git(&self.root, &["show", &format!("HEAD:{path}")])
            .with_context(|| format!("reading {path} as committed in HEAD"))
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("running git")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}
