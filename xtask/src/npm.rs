//! Tools from the npm registry, installed on first use into the
//! git-ignored `tools/<name>` at the version the caller pins.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::paths;

/// The path of `bin` from `package` (`name@version`), installed into
/// `tools/<dir>` with npm when missing; `purpose` says what needs it.
pub fn ensure_tool(dir: &str, package: &str, bin: &str, purpose: &str) -> Result<PathBuf> {
    let dir = paths::root().join("tools").join(dir);
    let bin = dir.join("node_modules/.bin").join(bin);
    if bin.exists() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&dir)?;
    println!("installing {package} into {}", dir.display());
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(&dir)
        .arg(package)
        .status()
        .with_context(|| format!("running npm (Node.js and npm are needed for {purpose})"))?;
    if !status.success() || !bin.exists() {
        bail!("npm could not install {package}");
    }
    Ok(bin)
}
