//! The manifest that pins the input document: where it is, its checksum, and
//! the counts a reviewer expects, plus the overlays applied before generation.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{CodegenError, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub document: DocumentPin,
    /// Overlay files, relative to the manifest's folder, applied in order.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPin {
    /// Path of the document, relative to the workspace root.
    pub path: PathBuf,
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
             # Update it with `cargo xtask ingest PATH`, never by hand.\n\n{body}"
        );
        std::fs::write(path, text)
            .map_err(|e| CodegenError::new(path, "", format!("cannot write manifest: {e}")))
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
