//! The manifest that pins the input document: where it is, its checksum, and
//! the counts a reviewer expects, plus the overlays applied before generation.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{CodegenError, Result};
use crate::settings::Settings;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Generator settings file, relative to the manifest's folder; without
    /// one, [`Settings::default`] (no paging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<PathBuf>,
    /// Overlay files, relative to the manifest's folder, applied in order.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    /// The name lock (`crate::ir::lock`), relative to the manifest's
    /// folder: the Rust names in use, which generations keep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<PathBuf>,
    /// Where the publisher serves the current version of the document (a
    /// URL whose content changes with each publication), read by
    /// `cargo xtask ingest --upstream`. Unlike `document.source`, it is not
    /// expected to keep serving the pinned bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    /// The crate's other documents (API v1, …), each pinned by a manifest
    /// of its own (relative to this one's folder) whose settings name the
    /// module it is generated into.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<PathBuf>,
    pub document: DocumentPin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPin {
    /// Path of the document, relative to the workspace root.
    pub path: PathBuf,
    /// Public URL of the same document, used when `path` does not exist
    /// (for example on a fresh clone without `../shared`): it is downloaded,
    /// checked against `sha256` and cached. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub sha256: String,
    pub operations: usize,
    pub schemas: usize,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CodegenError::new(path, "", format!("cannot read manifest: {e}")))?;
        toml::from_str(&text).map_err(|e| CodegenError::new(path, "", format!("bad manifest: {e}")))
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let body = toml::to_string_pretty(self)
            .map_err(|e| CodegenError::new(path, "", format!("cannot encode manifest: {e}")))?;
        let text = format!(
            "# The OpenAPI document the committed client is generated from.\n\
             # Update it with `cargo xtask ingest PATH` or `cargo xtask ingest --upstream`,\n\
             # never by hand.\n\n{body}"
        );
        std::fs::write(path, text)
            .map_err(|e| CodegenError::new(path, "", format!("cannot write manifest: {e}")))
    }

    /// The generator settings the manifest names, with its name lock.
    pub fn settings(&self, manifest_path: &Path) -> Result<Settings> {
        let dir = manifest_path.parent().unwrap_or(Path::new("."));
        let mut settings = match &self.settings {
            Some(file) => Settings::read(&dir.join(file))?,
            None => Settings::default(),
        };
        if let Some(path) = self.names_path(manifest_path)
            && path.exists()
        {
            settings.names = crate::ir::lock::NameLock::read(&path)?;
        }
        for document in &self.documents {
            let path = dir.join(document);
            let mounted = Manifest::read(&path)?.settings(&path)?;
            let module = mounted.module.ok_or_else(|| {
                CodegenError::new(
                    &path,
                    "",
                    "a mounted document's settings must name its `module`",
                )
            })?;
            settings.mounted.push(module);
        }
        Ok(settings)
    }

    /// Where the name lock is, resolved against the manifest's folder.
    pub fn names_path(&self, manifest_path: &Path) -> Option<PathBuf> {
        let dir = manifest_path.parent().unwrap_or(Path::new("."));
        self.names.as_ref().map(|n| dir.join(n))
    }

    /// Overlay paths resolved against the manifest's folder.
    pub fn overlay_paths(&self, manifest_path: &Path) -> Vec<PathBuf> {
        let dir = manifest_path.parent().unwrap_or(Path::new("."));
        self.overlays.iter().map(|o| dir.join(o)).collect()
    }
}

/// Hex SHA-256 of a file's bytes.
pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| CodegenError::new(path, "", format!("cannot read file: {e}")))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Fails unless `document` has the checksum the manifest pins.
pub fn verify_pin(manifest: &Manifest, manifest_path: &Path, document: &Path) -> Result<()> {
    let actual = sha256_file(document)?;
    if actual != manifest.document.sha256 {
        return Err(CodegenError::new(
            document,
            "",
            format!(
                "sha256 is {actual} but {} pins {}; to take in this document run \
                 `cargo xtask ingest {}`, review the drift report and commit",
                manifest_path.display(),
                manifest.document.sha256,
                document.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: &str =
        "[document]\npath = \"doc.yaml\"\nsha256 = \"00\"\noperations = 1\nschemas = 2\n";

    #[test]
    fn source_is_optional_and_left_out_when_absent() {
        let manifest: Manifest = toml::from_str(PINNED).unwrap();
        assert_eq!(manifest.document.source, None);
        let text = toml::to_string_pretty(&manifest).unwrap();
        assert!(!text.contains("source"), "{text}");
    }

    #[test]
    fn source_round_trips() {
        let text = PINNED.replace(
            "sha256",
            "source = \"https://example.invalid/openapi.yaml\"\nsha256",
        );
        let manifest: Manifest = toml::from_str(&text).unwrap();
        assert_eq!(
            manifest.document.source.as_deref(),
            Some("https://example.invalid/openapi.yaml")
        );
        let again: Manifest = toml::from_str(&toml::to_string_pretty(&manifest).unwrap()).unwrap();
        assert_eq!(again, manifest);
    }
}
