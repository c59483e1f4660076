//! `cargo xtask history`: JumpCloud's real publication history as a test.
//!
//! Takes every shared v2 version (`../shared/upstream/v2`, in date order)
//! through the path `ingest` takes (the manifest's overlays and settings):
//!
//! 1. every version loads and generates;
//! 2. each consecutive pair's drift report names exactly the operations
//!    added and removed, compared with `METHOD path` sets read from the
//!    raw files here, not through the model;
//! 3. each pair's pull-request comment fits GitHub's 65,536 characters;
//! 4. the client generated from the first, the last and both sides of
//!    each format switch (Swagger 2.0 → OpenAPI 3.0 → 3.1, read from the
//!    files' own version fields) compiles with no warnings (`--builds all`
//!    compiles every version, `--builds none` none).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use codegen::diff::ChangeKind;

use crate::paths::Workspace;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Builds {
    /// First, last, and both sides of each format switch.
    Switches,
    All,
    None,
}

#[derive(Args)]
pub struct HistoryArgs {
    /// The folder of versions, one file per version, named so that name
    /// order is date order.
    #[arg(long, default_value = "../shared/upstream/v2")]
    pub dir: PathBuf,
    /// Which versions' clients to compile.
    #[arg(long, value_enum, default_value = "switches")]
    pub builds: Builds,
}

/// One version as the raw file says.
struct Version {
    path: PathBuf,
    format: String,
    operations: BTreeSet<String>,
}

pub fn run(args: &HistoryArgs) -> Result<ExitCode> {
    let workspace = Workspace::current();
    let dir = if args.dir.is_absolute() {
        args.dir.clone()
    } else {
        workspace.root.join(&args.dir)
    };
    let versions = read_versions(&dir)?;
    if versions.len() < 2 {
        bail!("{} holds fewer than two versions", dir.display());
    }
    let (overlays, settings) = workspace.generator_inputs(false)?;
    let mut failures = Vec::new();
    let mut previous: Option<(usize, codegen::ir::Api)> = None;
    for (i, version) in versions.iter().enumerate() {
        let start = Instant::now();
        let generation = match codegen::generate(&version.path, &overlays, &settings) {
            Ok(generation) => generation,
            Err(e) => {
                failures.push(format!("{}: does not load: {e}", name(&version.path)));
                previous = None;
                continue;
            }
        };
        let mut line = format!(
            "{:<28} {:<14} {:>4} operations, generated in {:>5} ms",
            name(&version.path),
            version.format,
            generation
                .api
                .modules
                .iter()
                .map(|m| m.operations.len())
                .sum::<usize>(),
            start.elapsed().as_millis()
        );
        if let Some((p, old_api)) = &previous {
            let report = codegen::diff::compare(old_api, &generation.api);
            let reported = |kind: ChangeKind| -> BTreeSet<String> {
                report
                    .changes
                    .iter()
                    .filter(|c| c.kind == kind)
                    .map(|c| c.location.clone())
                    .collect()
            };
            let old_ops = &versions[*p].operations;
            let added: BTreeSet<String> = version.operations.difference(old_ops).cloned().collect();
            let removed: BTreeSet<String> =
                old_ops.difference(&version.operations).cloned().collect();
            let (rep_added, rep_removed) = (
                reported(ChangeKind::OperationAdded),
                reported(ChangeKind::OperationRemoved),
            );
            let comment = report.to_comment(&codegen::diff::FullReports {
                markdown: "drift-report.md",
                json: "drift-report.json",
            });
            line.push_str(&format!(
                "; drift: +{} -{} operations, {} changes, comment {} chars",
                rep_added.len(),
                rep_removed.len(),
                report.changes.len(),
                comment.len()
            ));
            if comment.len() > codegen::diff::COMMENT_LIMIT {
                failures.push(format!(
                    "{} → {}: the comment is {} characters, over GitHub's {}",
                    name(&versions[*p].path),
                    name(&version.path),
                    comment.len(),
                    codegen::diff::COMMENT_LIMIT
                ));
            }
            for (what, reported, expected) in [
                ("added", &rep_added, &added),
                ("removed", &rep_removed, &removed),
            ] {
                if reported != expected {
                    failures.push(format!(
                        "{} → {}: operations {what}: the report names {:?}, the files differ by {:?}",
                        name(&versions[*p].path),
                        name(&version.path),
                        reported.symmetric_difference(expected).collect::<Vec<_>>(),
                        expected.len()
                    ));
                }
            }
        }
        println!("{line}");
        previous = Some((i, generation.api));
    }
    let to_build: Vec<usize> = match args.builds {
        Builds::None => Vec::new(),
        Builds::All => (0..versions.len()).collect(),
        Builds::Switches => {
            let mut chosen = BTreeSet::from([0, versions.len() - 1]);
            for i in 1..versions.len() {
                if versions[i].format != versions[i - 1].format {
                    chosen.insert(i - 1);
                    chosen.insert(i);
                }
            }
            chosen.into_iter().collect()
        }
    };
    let scratch = workspace.scratch("history");
    for i in to_build {
        let version = &versions[i];
        let start = Instant::now();
        match compile(&workspace, version, &overlays, &settings, &scratch) {
            Ok(()) => println!(
                "{:<28} {:<14} compiles with no warnings ({:.0} s)",
                name(&version.path),
                version.format,
                start.elapsed().as_secs_f64()
            ),
            Err(e) => failures.push(format!("{}: {e:#}", name(&version.path))),
        }
    }
    if failures.is_empty() {
        println!("history: {} versions, all hold", versions.len());
        Ok(ExitCode::SUCCESS)
    } else {
        for failure in &failures {
            eprintln!("error: {failure}");
        }
        Ok(ExitCode::FAILURE)
    }
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every `.yaml`/`.json` file of `dir` in name order, with its format and
/// operations read from the raw tree.
fn read_versions(dir: &Path) -> Result<Vec<Version>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let raw = codegen::load::parse_document(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let spelled = |key: &str| raw.get(key).map(|v| v.to_string().replace('"', ""));
            let format = match (spelled("swagger"), spelled("openapi")) {
                (Some(v), _) => format!("swagger-{v}"),
                (None, Some(v)) => {
                    format!("openapi-{}", v.rsplit_once('.').map_or(&*v, |(m, _)| m))
                }
                _ => "unknown".to_string(),
            };
            Ok(Version {
                operations: raw_operations(&raw),
                format,
                path,
            })
        })
        .collect()
}

/// `METHOD path` of every operation of a raw document.
fn raw_operations(raw: &serde_json::Value) -> BTreeSet<String> {
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = BTreeSet::new();
    if let Some(paths) = raw.get("paths").and_then(|p| p.as_object()) {
        for (template, item) in paths {
            for method in methods {
                if item.get(method).is_some() {
                    out.insert(format!("{} {template}", method.to_uppercase()));
                }
            }
        }
    }
    out
}

/// Generates the version's client into a scratch crate and compiles it,
/// every warning an error. The build directory is shared, so dependencies
/// compile once.
fn compile(
    workspace: &Workspace,
    version: &Version,
    overlays: &[PathBuf],
    settings: &codegen::Settings,
    scratch: &Path,
) -> Result<()> {
    let dir = scratch.join("crate");
    crate::semver::scratch_crate(workspace, &version.path, overlays, settings, &dir)?;
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&dir)
        .args(["check", "--quiet", "--lib", "--message-format=short"])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .context("running cargo check")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first: Vec<&str> = stderr.lines().take(20).collect();
        bail!(
            "the generated client does not compile:\n{}",
            first.join("\n")
        );
    }
    Ok(())
}
