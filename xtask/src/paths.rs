//! Where things live in the workspace.

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn manifest() -> PathBuf {
    root().join("spec/manifest.toml")
}

pub fn client_src() -> PathBuf {
    root().join("jumpcloud-client/src")
}
