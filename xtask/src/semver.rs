//! `cargo xtask semver`: asks cargo-semver-checks what a change does to the
//! crate's public API, as a second opinion on the drift report's Rust level.
//!
//! Two forms:
//! - no documents: the committed client (`git archive REV`, `HEAD` unless
//!   `--baseline-rev` says otherwise) against the working tree's, e.g. right
//!   after `ingest`;
//! - `--old A --new B`: both sides generated from documents into scratch
//!   crates (the runtime plus the generated modules; the hand-written
//!   System Context client is left out), and the drift report's level is
//!   compared with cargo-semver-checks' verdict. A disagreement exits
//!   non-zero: it is a bug in one of the two.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::Args;

use codegen::diff::Rust;

use crate::paths::Workspace;

#[derive(Args)]
pub struct SemverArgs {
    /// The document before the change (with --new).
    #[arg(long, requires = "new")]
    pub old: Option<PathBuf>,
    /// The document after the change (with --old).
    #[arg(long, requires = "old")]
    pub new: Option<PathBuf>,
    /// Generate both sides without the manifest's overlays.
    #[arg(long)]
    pub no_overlays: bool,
    /// The git revision whose client is the baseline (without --old/--new).
    #[arg(long, default_value = "HEAD")]
    pub baseline_rev: String,
    /// `--old` and `--new` are versions of a mounted document (`v1`,
    /// `insights`: its module): each side is the crate as it is, with that
    /// document's module generated from the side's version, compiled with
    /// that document's feature alone.
    #[arg(long, value_name = "MODULE", requires = "old")]
    pub document: Option<String>,
}

pub fn run(args: &SemverArgs) -> Result<ExitCode> {
    let workspace = Workspace::current();
    // Each side's `src/` is rewritten; the build directories stay, so
    // dependencies are compiled once across runs.
    let scratch = workspace.scratch("semver");
    match (&args.old, &args.new) {
        (Some(old), Some(new)) => {
            let document = workspace.clone().with_document(args.document.as_deref())?;
            let (overlays, settings) = document.generator_inputs(args.no_overlays)?;
            let report = codegen::diff::diff_documents(old, &overlays, new, &overlays, &settings)?;
            let sides = [(old, "old"), (new, "new")];
            let [baseline, current] = sides.map(|(document, name)| {
                let dir = scratch.join(name);
                match &settings.module {
                    None => scratch_crate(&workspace, document, &overlays, &settings, &dir),
                    Some(module) => mounted_scratch_crate(
                        &workspace, module, document, &overlays, &settings, &dir,
                    ),
                }
            });
            let (baseline, current) = (baseline?, current?);
            let verdict = semver_checks(&current, &baseline, settings.module.as_deref())?;
            let reported = report.summary.rust_bump;
            println!(
                "drift report: {}; cargo-semver-checks: {}",
                reported.map_or("none", Rust::as_str),
                verdict.map_or("none", Rust::as_str)
            );
            if agrees(reported, verdict) {
                println!("agree");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("semver: the drift report and cargo-semver-checks disagree");
                Ok(ExitCode::FAILURE)
            }
        }
        _ => {
            let baseline = committed_client(&workspace, &args.baseline_rev, &scratch)?;
            let verdict = semver_checks(&workspace.root, &baseline, None)?;
            println!(
                "cargo-semver-checks, {} → working tree: {}",
                args.baseline_rev,
                verdict.map_or("none", Rust::as_str)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// cargo-semver-checks lints for what breaks callers; it has no lint that
/// fires on a pure addition, so its "no update required" covers both the
/// report's `minor` (something added) and `patch` (docs only). The two
/// agree when they agree on whether the change is breaking, and on `minor`
/// where the tool does flag one.
fn agrees(reported: Option<Rust>, verdict: Option<Rust>) -> bool {
    match verdict {
        Some(Rust::Major) => reported == Some(Rust::Major),
        Some(Rust::Minor) => reported == Some(Rust::Minor),
        Some(Rust::Patch) | None => reported != Some(Rust::Major),
    }
}

/// A crate with the client's runtime and the modules generated from
/// `document`, in its own workspace at `dir`.
pub(crate) fn scratch_crate(
    workspace: &Workspace,
    document: &Path,
    overlays: &[PathBuf],
    settings: &codegen::Settings,
    dir: &Path,
) -> Result<PathBuf> {
    let generation = codegen::generate(document, overlays, settings)?;
    let src = dir.join("src");
    let _ = std::fs::remove_dir_all(&src);
    copy_dir(
        &workspace.client_src().join("runtime"),
        &src.join("runtime"),
    )?;
    write_sources(&generation, &src)?;
    std::fs::write(
        src.join("lib.rs"),
        "//! Scratch crate for cargo-semver-checks.\n\
         #[rustfmt::skip] pub mod apis;\n\
         #[rustfmt::skip] pub mod error_bodies;\n\
         pub mod runtime;\n\
         #[rustfmt::skip] pub mod types;\n\
         pub use error_bodies::ErrorBody;\n\
         pub use runtime::{ApiError, Base64, Client, Error, ResponseValue, Timestamp};\n\
         /// Stand-in for the hand-written System Context client, which the\n\
         /// generated modules extend with the operations that allow it.\n\
         pub struct SystemContextClient { client: runtime::Client }\n\
         impl SystemContextClient {\n\
             #[allow(dead_code)]\n\
             pub(crate) fn client(&self) -> &runtime::Client { &self.client }\n\
         }\n",
    )?;
    standalone_manifest(workspace, dir)?;
    // The document's own tags are the features, not the client's.
    if let Some(table) = &generation.features {
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)?;
        std::fs::write(&manifest, crate::files::with_features(&text, table))?;
    }
    Ok(dir.to_path_buf())
}

/// The client crate of the working tree, as a standalone workspace at
/// `dir`, with the module of the mounted document `module` generated from
/// `document` instead of its pinned version.
fn mounted_scratch_crate(
    workspace: &Workspace,
    module: &str,
    document: &Path,
    overlays: &[PathBuf],
    settings: &codegen::Settings,
    dir: &Path,
) -> Result<PathBuf> {
    let generation = codegen::generate(document, overlays, settings)?;
    let client = workspace.root.join("jumpcloud-client");
    for folder in ["src", "tests", "examples"] {
        let _ = std::fs::remove_dir_all(dir.join(folder));
        copy_dir(&client.join(folder), &dir.join(folder))?;
    }
    let src = dir.join("src");
    std::fs::remove_dir_all(src.join(module))?;
    write_sources(&generation, &src)?;
    standalone_manifest(workspace, dir)?;
    // The README is the crate's front page (`include_str!`).
    let readme = dir.parent().unwrap_or(dir).join("README.md");
    std::fs::copy(workspace.root.join("README.md"), readme)?;
    Ok(dir.to_path_buf())
}

/// Writes the generated sources under `src`; the generated tests live
/// outside `src/` and are not API.
fn write_sources(generation: &codegen::Generation, src: &Path) -> Result<()> {
    for file in &generation.files {
        if file.path.starts_with("..") {
            continue;
        }
        let path = src.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap_or(src))?;
        std::fs::write(&path, &file.contents)?;
    }
    Ok(())
}

/// The client crate as committed at `rev`, as a standalone workspace.
fn committed_client(workspace: &Workspace, rev: &str, scratch: &Path) -> Result<PathBuf> {
    let dir = scratch.join("baseline");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(&dir)?;
    let archive = Command::new("git")
        .arg("-C")
        .arg(&workspace.root)
        .args(["archive", "--format=tar", rev, "jumpcloud-client"])
        .output()
        .context("running git archive")?;
    if !archive.status.success() {
        bail!(
            "git archive {rev}: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        );
    }
    let tar = scratch.join("baseline.tar");
    std::fs::write(&tar, &archive.stdout)?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(&dir)
        .arg("--strip-components=1")
        .status()?;
    if !status.success() {
        bail!("could not unpack {}", tar.display());
    }
    standalone_manifest(workspace, &dir)?;
    // The README is the crate's front page (`include_str!`).
    std::fs::copy(workspace.root.join("README.md"), scratch.join("README.md"))?;
    Ok(dir)
}

/// Writes `dir/Cargo.toml`: the client's manifest with the workspace's
/// inherited keys filled in and an empty `[workspace]`, plus the lock file,
/// so the scratch crate resolves the same dependency versions.
fn standalone_manifest(workspace: &Workspace, dir: &Path) -> Result<()> {
    let text = std::fs::read_to_string(workspace.client_cargo_toml())?;
    let root: toml::Table =
        toml::from_str(&std::fs::read_to_string(workspace.root.join("Cargo.toml"))?)?;
    let package = root
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut out = String::new();
    // Dev-dependencies (test helpers, path crates of this workspace) are not
    // API and would not resolve outside the workspace; benchmarks need them
    // and their files are not copied.
    let mut skipping = false;
    for line in text.lines() {
        if line.trim_start().starts_with('[') {
            skipping = matches!(line.trim(), "[dev-dependencies]" | "[[bench]]");
        }
        if skipping {
            continue;
        }
        match line.split_once(".workspace = true") {
            Some((key, _)) if package.contains_key(key.trim()) => {
                out.push_str(&format!("{} = {}\n", key.trim(), package[key.trim()]));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("\n[workspace]\n");
    std::fs::write(dir.join("Cargo.toml"), out)?;
    std::fs::copy(workspace.root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Runs cargo-semver-checks on `current` against `baseline` (two workspace
/// roots), with `feature` alone when given, and returns the bump it
/// requires, `None` when it requires none.
fn semver_checks(current: &Path, baseline: &Path, feature: Option<&str>) -> Result<Option<Rust>> {
    let mut command = Command::new("cargo");
    command.args(["semver-checks", "check-release", "-p", "jumpcloud-client"]);
    // A mounted document's API is its feature's, alone.
    if let Some(feature) = feature {
        command.args(["--only-explicit-features", "--features", feature]);
    }
    let output = command
        .arg("--manifest-path")
        .arg(current.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(baseline)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .context(
            "running cargo-semver-checks; install it with \
             `cargo install cargo-semver-checks --locked`",
        )?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    print!("{text}");
    if text.contains("no such command") {
        bail!("cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`");
    }
    parse_verdict(&text).with_context(|| {
        format!(
            "cargo-semver-checks gave no verdict (exit {})",
            output.status
        )
    })
}

/// Reads the summary line: `semver requires new major version`, `… minor
/// version`, or `no semver update required`.
fn parse_verdict(text: &str) -> Option<Option<Rust>> {
    let summary = text.lines().rev().find(|l| l.contains("Summary"))?;
    if summary.contains("new major version") {
        Some(Some(Rust::Major))
    } else if summary.contains("new minor version") {
        Some(Some(Rust::Minor))
    } else if summary.contains("no semver update required") {
        Some(None)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_is_about_breaking_or_not() {
        assert!(agrees(Some(Rust::Patch), None));
        assert!(agrees(Some(Rust::Minor), None));
        assert!(agrees(Some(Rust::Minor), Some(Rust::Minor)));
        assert!(agrees(Some(Rust::Major), Some(Rust::Major)));
        assert!(!agrees(Some(Rust::Minor), Some(Rust::Major)));
        assert!(!agrees(Some(Rust::Major), None));
        assert!(!agrees(None, Some(Rust::Minor)));
    }

    #[test]
    fn the_standalone_manifest_leaves_out_dev_dependencies_and_benchmarks() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let dir = std::env::temp_dir().join(format!("xtask-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let workspace = Workspace::at(root.to_path_buf());
        standalone_manifest(&workspace, &dir).unwrap();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(manifest.contains("[dependencies]"), "{manifest}");
        assert!(manifest.contains("reqwest"), "{manifest}");
        for left_out in ["[dev-dependencies]", "[[bench]]", "criterion", "harness"] {
            assert!(!manifest.contains(left_out), "{left_out} in\n{manifest}");
        }
        manifest.parse::<toml::Table>().unwrap();
    }
}
