//! Project tasks: `cargo xtask generate | check | stats | diff | ingest`.

mod contract;
mod diff;
mod files;
mod ingest;
mod paths;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};

use codegen::Generation;
use codegen::manifest::{Manifest, verify_pin};

#[derive(Parser)]
#[command(about = "Code generation tasks for the JumpCloud client")]
struct Cli {
    /// OpenAPI document to read instead of the one pinned in spec/manifest.toml.
    #[arg(long, global = true, env = "JUMPCLOUD_SPEC")]
    spec: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated client into jumpcloud-client/src.
    Generate,
    /// Fail if the committed client differs from a fresh generation.
    Check,
    /// Call every operation against a spec-validating mock server (Prism).
    Contract,
    /// Only parse the document's YAML, for comparing against `generate` in benchmarks.
    Parse,
    /// Print figures about the generation.
    Stats {
        /// One JSON line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Report the API drift between two documents, as the generated client sees it.
    Diff(diff::DiffArgs),
    /// Take in a new document: validate, report drift, pin it, regenerate.
    Ingest {
        /// The new OpenAPI document.
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Generate => {
            let generation = generate(cli.spec)?;
            write_files(&generation)?;
            print!("{}", generation.stats.table());
            println!(
                "wrote {} files under {}",
                generation.files.len(),
                paths::client_src().display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let generation = generate(cli.spec)?;
            let stale = stale_files(&generation)?;
            if stale.is_empty() {
                println!(
                    "the committed client is fresh ({} files)",
                    generation.files.len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("stale generated files (run `cargo xtask generate`):");
                for s in &stale {
                    eprintln!("  {s}");
                }
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Contract => {
            let document = document_path(cli.spec)?;
            contract::run(&document)
        }
        Command::Parse => {
            let document = document_path(cli.spec)?;
            let tree = codegen::load::read_tree(&document)?;
            println!(
                "parsed {} top-level keys",
                tree.as_object().map_or(0, |o| o.len())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let generation = generate(cli.spec)?;
            if json {
                println!("{}", serde_json::to_string(&generation.stats)?);
            } else {
                print!("{}", generation.stats.table());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff(args) => diff::run(&args),
        Command::Ingest { path } => ingest::run(&path),
    }
}

/// `--spec` / `JUMPCLOUD_SPEC` when given, else the pinned document.
fn document_path(spec: Option<PathBuf>) -> Result<PathBuf> {
    match spec {
        Some(path) => Ok(path),
        None => Ok(pinned_path(&Manifest::read(&paths::manifest())?)),
    }
}

fn pinned_path(manifest: &Manifest) -> PathBuf {
    paths::root().join(&manifest.document.path)
}

/// Generates from the pinned document, or from `--spec` / `JUMPCLOUD_SPEC`.
pub fn generate(spec: Option<PathBuf>) -> Result<Generation> {
    let manifest_path = paths::manifest();
    let manifest = Manifest::read(&manifest_path)?;
    let document = spec.unwrap_or_else(|| pinned_path(&manifest));
    verify_pin(&manifest, &manifest_path, &document)?;
    let overlays = manifest.overlay_paths(&manifest_path);
    let generation = codegen::generate(&document, &overlays)?;
    let stats = &generation.stats;
    if stats.operations_in_spec != manifest.document.operations
        || stats.schemas_in_spec != manifest.document.schemas
    {
        bail!(
            "{} has {} operations and {} schemas, but the manifest expects {} and {}",
            document.display(),
            stats.operations_in_spec,
            stats.schemas_in_spec,
            manifest.document.operations,
            manifest.document.schemas
        );
    }
    Ok(generation)
}

fn write_files(generation: &Generation) -> Result<()> {
    files::write(generation, &paths::client_src())
}

fn stale_files(generation: &Generation) -> Result<Vec<String>> {
    files::stale(generation, &paths::client_src())
}
