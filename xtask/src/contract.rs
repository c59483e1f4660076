//! `cargo xtask contract`: every operation of the generated client against
//! Stoplight Prism, a mock server that validates requests against the
//! document and answers with data generated from the response schemas.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::paths;

/// Pinned so that runs repeat; bump deliberately.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.16.0";
/// Fixed seed for Prism's dynamic examples, so two runs see the same data.
const PRISM_SEED: &str = "20261124";

/// One line of the driver's report.
#[derive(Debug, Deserialize)]
struct Outcome {
    operation: String,
    method: String,
    path: String,
    /// `ok`, `rejected`, `undecodable` or `failed`.
    outcome: String,
    #[serde(default)]
    detail: String,
}

#[derive(Debug, Deserialize, Default)]
struct AllowList {
    #[serde(default)]
    allow: Vec<Allowed>,
}

#[derive(Debug, Deserialize)]
struct Allowed {
    operation: String,
    reason: String,
    #[serde(default)]
    overlay: Option<String>,
}

/// Kills the mock server however the run ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the contract test of the main document (`document` in place of
/// its pin when given) and of every document it mounts, one mock server
/// each; `only` picks one mounted document (its module). Fails when any
/// document's calls fail.
pub fn run(document: Option<&Path>, only: Option<&str>) -> Result<ExitCode> {
    let main = paths::Workspace::current();
    let workspaces = match only {
        Some(module) => vec![main.with_document(Some(module))?],
        None => {
            let mut all = vec![main.clone()];
            for module in mounted_modules(&main)? {
                all.push(main.clone().with_document(Some(&module))?);
            }
            all
        }
    };
    let mut passed = true;
    for workspace in &workspaces {
        let pinned;
        let document = match (document, &workspace.document) {
            (Some(path), None) => path,
            _ => {
                let manifest = codegen::manifest::Manifest::read(&workspace.manifest())?;
                pinned = crate::baseline::pinned_document(workspace, &manifest.document)?;
                &pinned
            }
        };
        if workspaces.len() > 1 {
            println!("== {}", workspace.manifest_in_repo().display());
        }
        passed &= run_one(workspace, document)? == ExitCode::SUCCESS;
    }
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The modules of the documents the main manifest mounts, in its order.
fn mounted_modules(main: &paths::Workspace) -> Result<Vec<String>> {
    let main_path = main.manifest();
    let manifest = codegen::manifest::Manifest::read(&main_path)?;
    let spec = main_path.parent().unwrap_or(Path::new("."));
    manifest
        .documents
        .iter()
        .map(|relative| {
            let path = spec.join(relative);
            let settings = codegen::manifest::Manifest::read(&path)?.settings(&path)?;
            settings
                .module
                .with_context(|| format!("{} names no module", path.display()))
        })
        .collect()
}

fn run_one(workspace: &paths::Workspace, document: &Path) -> Result<ExitCode> {
    let manifest_path = workspace.manifest();
    let settings = codegen::manifest::Manifest::read(&manifest_path)?.settings(&manifest_path)?;
    // The generated contract test reads these variables (named in the settings).
    let prefix = &settings.contract_env_prefix;
    // Each document's calls are in its own generated test.
    let test = match &settings.module {
        None => "all_operations".to_string(),
        Some(module) => format!("all_operations_{module}"),
    };
    let prism = crate::npm::ensure_tool("prism", PRISM_PACKAGE, "prism", "the contract test")?;
    let work = paths::root().join("target/contract");
    std::fs::create_dir_all(&work)?;
    let served = work.join("openapi.json");
    write_overlaid(workspace, document, &served)?;
    let port = free_port()?;
    let log = std::fs::File::create(work.join("prism.log"))?;
    let child = Command::new(&prism)
        .args([
            "mock",
            "--dynamic",
            "--seed",
            PRISM_SEED,
            "--host",
            "127.0.0.1",
            "--port",
        ])
        .arg(port.to_string())
        .arg(&served)
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .with_context(|| format!("starting {}", prism.display()))?;
    let _server = Server(child);
    wait_for_port(port, Duration::from_secs(90))?;

    let report = work.join("report.jsonl");
    let _ = std::fs::remove_file(&report);
    let status = Command::new(env!("CARGO"))
        .args([
            "test",
            "--quiet",
            "-p",
            "jumpcloud-client",
            "--test",
            &test,
            "--",
            "--ignored",
            "--exact",
            "contract",
        ])
        .env(format!("{prefix}_URL"), format!("http://127.0.0.1:{port}"))
        .env(format!("{prefix}_REPORT"), &report)
        .current_dir(paths::root())
        .status()
        .context("running the contract driver")?;
    if !status.success() {
        bail!("the contract driver failed ({status}); see target/contract/prism.log");
    }
    // Each document lists its own allowed failures, beside its manifest.
    let allow_list = manifest_path
        .parent()
        .unwrap_or(Path::new("spec"))
        .join("contract-allowlist.toml");
    summarize(&report, &allow_list)
}

fn summarize(report: &Path, allow_path: &Path) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(report).with_context(|| format!("reading {}", report.display()))?;
    let outcomes: Vec<Outcome> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("parsing the driver's report")?;
    let allow: AllowList = match std::fs::read_to_string(allow_path) {
        Ok(t) => toml::from_str(&t).with_context(|| format!("parsing {}", allow_path.display()))?,
        Err(_) => AllowList::default(),
    };
    let allowed: BTreeMap<&str, &Allowed> = allow
        .allow
        .iter()
        .map(|a| (a.operation.as_str(), a))
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut allowlisted = 0;
    for o in &outcomes {
        if o.outcome == "ok" {
            continue;
        }
        if let Some(a) = allowed.get(o.operation.as_str()) {
            allowlisted += 1;
            let overlay = a
                .overlay
                .as_deref()
                .map(|x| format!(" (fixed by {x})"))
                .unwrap_or_default();
            println!(
                "allowlisted {} {} {}: {}{overlay}",
                o.method, o.path, o.operation, a.reason
            );
            continue;
        }
        *counts.entry(o.outcome.as_str()).or_default() += 1;
        println!(
            "{:<11} {} {} ({}): {}",
            o.outcome, o.method, o.path, o.operation, o.detail
        );
    }
    let stale: Vec<&str> = allowed
        .keys()
        .filter(|op| {
            outcomes
                .iter()
                .any(|o| o.operation == **op && o.outcome == "ok")
        })
        .copied()
        .collect();
    for op in &stale {
        println!("allow-list entry no longer needed: {op}");
    }
    let rejected = counts.get("rejected").copied().unwrap_or(0);
    let undecodable = counts.get("undecodable").copied().unwrap_or(0);
    let failed = counts.get("failed").copied().unwrap_or(0);
    if failed > 0 {
        println!("failed calls (neither rejected nor undecodable): {failed}");
    }
    println!(
        "contract: called={} rejected={rejected} undecodable={undecodable} allowlisted={allowlisted}",
        outcomes.len()
    );
    Ok(
        if rejected + undecodable + failed > 0 || !stale.is_empty() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Prism must serve what the client was generated from: the document with
/// the manifest's overlays applied.
fn write_overlaid(workspace: &paths::Workspace, document: &Path, out: &Path) -> Result<()> {
    let manifest_path = workspace.manifest();
    let manifest = codegen::manifest::Manifest::read(&manifest_path)?;
    let overlays = manifest.overlay_paths(&manifest_path);
    let loaded = codegen::load::load(document, &overlays)?;
    std::fs::write(out, serde_json::to_vec(&loaded.raw)?)?;
    Ok(())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!(
        "Prism did not start listening on 127.0.0.1:{port} within {limit:?}; see target/contract/prism.log"
    )
}
