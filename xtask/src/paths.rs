//! Where things live in the workspace.
//!
//! The root is found when the command runs, never fixed at compile time: a
//! copied checkout that reuses a built `target/` must act on itself, not on
//! the checkout the binary was built in.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Result, bail};

/// The file that marks the workspace root.
const MARKER: &str = "spec/manifest.toml";

/// The workspace root: the nearest folder, from the current directory up,
/// that holds `spec/manifest.toml`. `cargo xtask` runs in the directory it
/// was called from, so this is the checkout the user is in.
pub fn root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        std::env::current_dir()
            .ok()
            .and_then(|dir| find_root(&dir).ok())
            .unwrap_or_else(|| PathBuf::from("."))
    })
    .clone()
}

/// Fails with a hint when the command is run outside a checkout.
pub fn require_root() -> Result<PathBuf> {
    let dir = std::env::current_dir()?;
    find_root(&dir)
}

fn find_root(start: &Path) -> Result<PathBuf> {
    match start.ancestors().find(|dir| dir.join(MARKER).is_file()) {
        Some(dir) => Ok(dir.to_path_buf()),
        None => bail!(
            "no {MARKER} in {} or any folder above it: run `cargo xtask` inside the workspace",
            start.display()
        ),
    }
}

pub fn client_src() -> PathBuf {
    Workspace::current().client_src()
}

/// The files of one checkout that the commands read and write, so tests can
/// point them at a temporary copy.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    /// The document the commands take in, as its manifest's path under
    /// `spec/` (`v1/manifest.toml`); `None` for the main document.
    pub document: Option<PathBuf>,
}

impl Workspace {
    pub fn current() -> Workspace {
        Workspace::at(root())
    }

    /// The checkout at `root`, taking in its main document.
    pub fn at(root: PathBuf) -> Workspace {
        Workspace {
            root,
            document: None,
        }
    }

    /// The same checkout, taking in the document the main manifest mounts
    /// as `module` (its settings' `module`, `v1`); `None` keeps the main
    /// document.
    pub fn with_document(mut self, module: Option<&str>) -> Result<Workspace> {
        let Some(module) = module else {
            return Ok(self);
        };
        let main_path = self.root.join(MARKER);
        let main = codegen::manifest::Manifest::read(&main_path)?;
        let spec = main_path.parent().unwrap_or(Path::new("."));
        let mut modules = Vec::new();
        for relative in &main.documents {
            let path = spec.join(relative);
            let mounted = codegen::manifest::Manifest::read(&path)?.settings(&path)?;
            let name = mounted.module.unwrap_or_default();
            if name == module {
                self.document = Some(relative.clone());
                return Ok(self);
            }
            modules.push(name);
        }
        anyhow::bail!(
            "{} mounts no document `{module}`; its documents are: {}",
            main_path.display(),
            modules.join(", ")
        )
    }

    /// The manifest's path from the root, as git names it.
    pub fn manifest_in_repo(&self) -> PathBuf {
        match &self.document {
            None => PathBuf::from(MARKER),
            Some(relative) => Path::new("spec").join(relative),
        }
    }

    pub fn manifest(&self) -> PathBuf {
        self.root.join(self.manifest_in_repo())
    }

    /// The folder of the manifest, which its other files are relative to.
    fn manifest_dir(&self) -> PathBuf {
        self.manifest()
            .parent()
            .map_or_else(|| self.root.join("spec"), Path::to_path_buf)
    }

    pub fn client_src(&self) -> PathBuf {
        self.root.join("jumpcloud-client/src")
    }

    /// The client crate's `Cargo.toml`, whose version `ingest` bumps.
    pub fn client_cargo_toml(&self) -> PathBuf {
        self.root.join("jumpcloud-client/Cargo.toml")
    }

    pub fn changelog(&self) -> PathBuf {
        self.root.join("jumpcloud-client/CHANGELOG.md")
    }

    /// The drift report of the last ingest: the description of that change.
    /// Each document keeps its own, beside its manifest.
    pub fn drift_report(&self) -> PathBuf {
        self.manifest_dir().join("drift-report.md")
    }

    /// The same report as JSON, for tools.
    pub fn drift_report_json(&self) -> PathBuf {
        self.manifest_dir().join("drift-report.json")
    }

    /// The manifest's overlays (none with `no_overlays`) and its generator
    /// settings. Settings are how the generator reads any document (paging
    /// names, …), not patches to one, so `no_overlays` keeps them.
    pub fn generator_inputs(&self, no_overlays: bool) -> Result<(Vec<PathBuf>, codegen::Settings)> {
        let manifest_path = self.manifest();
        let manifest = codegen::manifest::Manifest::read(&manifest_path)?;
        let overlays = if no_overlays {
            Vec::new()
        } else {
            manifest.overlay_paths(&manifest_path)
        };
        let mut settings = manifest.settings(&manifest_path)?;
        // What these inputs generate is a crate of the main document alone
        // (a scratch crate, one side of a comparison): no module of another
        // document is beside it.
        settings.mounted.clear();
        Ok((overlays, settings))
    }

    /// Scratch space under the git-ignored `target/`.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.root.join("target").join(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_nearest_folder_with_a_manifest() {
        let base = std::env::temp_dir().join(format!("xtask-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let copy = base.join("copy");
        std::fs::create_dir_all(copy.join("spec")).unwrap();
        std::fs::create_dir_all(copy.join("codegen/src")).unwrap();
        std::fs::write(copy.join(MARKER), "").unwrap();
        assert_eq!(find_root(&copy.join("codegen/src")).unwrap(), copy);
        assert_eq!(find_root(&copy).unwrap(), copy);
        let error = find_root(&base).unwrap_err().to_string();
        assert!(
            error.contains("run `cargo xtask` inside the workspace"),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn this_checkout_is_found_from_the_crate_folder() {
        // cargo runs tests in the crate's folder; its parent is the workspace.
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(find_root(here).unwrap(), here.parent().unwrap());
    }
}
