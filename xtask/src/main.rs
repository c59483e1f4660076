//! Project tasks: `cargo xtask generate | check | stats | diff | ingest`.

mod baseline;
mod contract;
mod diff;
mod features;
mod fetch;
mod files;
mod history;
mod http;
mod ingest;
mod judge;
mod npm;
mod paths;
mod release;
mod semver;
#[cfg(test)]
mod test_server;

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
    Parse {
        /// Also bring it to OpenAPI 3.0, check it and convert it
        /// (no overlays, no model): the load alone.
        #[arg(long)]
        load: bool,
    },
    /// Print figures about the generation.
    Stats {
        /// One JSON line instead of a table.
        #[arg(long)]
        json: bool,
        /// Also print how long each stage of the generation took.
        #[arg(long)]
        timings: bool,
    },
    /// Check that every cargo feature of the client builds alone, without warnings.
    Features {
        /// Check only this feature (`none`: no feature at all).
        #[arg(long)]
        only: Option<String>,
    },
    /// Report the API drift between two documents, as the generated client sees it.
    Diff(diff::DiffArgs),
    /// Compare the public API of two clients with cargo-semver-checks.
    Semver(semver::SemverArgs),
    /// Take JumpCloud's published versions through ingest's path, in date
    /// order: each loads, each drift names the operations added and removed,
    /// and the clients on both sides of each format switch compile.
    History(history::HistoryArgs),
    /// Compare our reading of each shared Swagger 2.0 document with our
    /// reading of swagger2openapi's conversion of it.
    Judge {
        /// Folders of documents; the Swagger 2.0 ones among them are judged.
        #[arg(default_values = ["../shared/upstream/v2", "../shared/upstream/v1", "../shared/upstream/insights"])]
        folders: Vec<PathBuf>,
    },
    /// Take in a new document: validate, report drift, pin it, regenerate,
    /// bump the crate version and write the changelog entry.
    Ingest {
        /// The new OpenAPI document.
        #[arg(required_unless_present = "upstream")]
        path: Option<PathBuf>,
        /// Download the document the manifest's `upstream` URL serves now
        /// and take it in (nothing to do when it is the pinned one).
        #[arg(long, conflicts_with_all = ["path", "source"])]
        upstream: bool,
        /// Public URL of the same document, recorded in the manifest so a
        /// checkout without a local copy can download it.
        #[arg(long)]
        source: Option<String>,
    },
}

/// Generation allocates and frees millions of small token and syntax-tree
/// nodes, on two threads; mimalloc does that in about two thirds of the time
/// the system allocator takes (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    paths::require_root()?;
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
        Command::Parse { load: true } => {
            let document = document_path(cli.spec)?;
            let spec = codegen::load::load(&document, &[])?;
            println!(
                "loaded {} ({}), {} paths",
                document.display(),
                spec.format.label(),
                spec.openapi.paths.paths.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse { load: false } => {
            let document = document_path(cli.spec)?;
            let tree = codegen::load::read_tree(&document)?;
            println!(
                "parsed {} top-level keys",
                tree.as_object().map_or(0, |o| o.len())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json, timings } => {
            let generation = generate(cli.spec)?;
            if json {
                println!("{}", serde_json::to_string(&generation.stats)?);
            } else {
                print!("{}", generation.stats.table());
            }
            if timings {
                print!("{}", generation.timings.table());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Features { only } => features::run(only.as_deref()),
        Command::Diff(args) => diff::run(&args),
        Command::Semver(args) => semver::run(&args),
        Command::History(args) => history::run(&args),
        Command::Judge { folders } => judge::run(&folders),
        Command::Ingest { upstream: true, .. } => ingest::upstream::run(),
        Command::Ingest { path, source, .. } => match path {
            Some(path) => ingest::run(&path, source),
            None => anyhow::bail!("name the new document, or pass --upstream"),
        },
    }
}

/// `--spec` / `JUMPCLOUD_SPEC` when given, else the pinned document.
fn document_path(spec: Option<PathBuf>) -> Result<PathBuf> {
    match spec {
        Some(path) => Ok(path),
        None => {
            let workspace = paths::Workspace::current();
            let manifest = Manifest::read(&workspace.manifest())?;
            baseline::pinned_document(&workspace, &manifest.document)
        }
    }
}

/// Generates from the pinned document, or from `--spec` / `JUMPCLOUD_SPEC`.
pub fn generate(spec: Option<PathBuf>) -> Result<Generation> {
    let workspace = paths::Workspace::current();
    let manifest_path = workspace.manifest();
    let manifest = Manifest::read(&manifest_path)?;
    // The pinned document's checksum is checked where it is found.
    let document = match spec {
        Some(path) => {
            verify_pin(&manifest, &manifest_path, &path)?;
            path
        }
        None => baseline::pinned_document(&workspace, &manifest.document)?,
    };
    let overlays = manifest.overlay_paths(&manifest_path);
    let settings = manifest.settings(&manifest_path)?;
    let generation = codegen::generate(&document, &overlays, &settings)?;
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
    files::write(generation, &paths::client_src())?;
    files::write_lock(generation, &paths::Workspace::current())
}

fn stale_files(generation: &Generation) -> Result<Vec<String>> {
    let mut stale = files::stale(generation, &paths::client_src())?;
    stale.extend(files::stale_lock(generation, &paths::Workspace::current())?);
    Ok(stale)
}

#[cfg(test)]
mod tests {
    /// The committed client is what the generator makes of the pinned
    /// document: the check `cargo xtask check` runs, as a test, so
    /// `cargo test` alone catches a stale client or name lock.
    #[test]
    fn the_committed_client_is_fresh() {
        let generation = super::generate(None).unwrap();
        let stale = super::stale_files(&generation).unwrap();
        assert!(
            stale.is_empty(),
            "stale generated files; run `cargo xtask generate`: {stale:?}"
        );
    }
}
