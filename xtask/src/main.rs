//! Project tasks: `cargo xtask generate | check | stats | diff | ingest`.

mod baseline;
mod contract;
mod diff;
mod documents;
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

use anyhow::Result;
use clap::{Parser, Subcommand};

use codegen::Generation;
use codegen::manifest::Manifest;

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
    /// Call every operation against a spec-validating mock server (Prism):
    /// the main document's, then each mounted document's.
    Contract {
        /// Only this mounted document (`v1`, `insights`: its module).
        #[arg(long, value_name = "MODULE")]
        document: Option<String>,
    },
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
        /// Take in a new version of a mounted document (`v1`, `insights`:
        /// its settings' `module`) rather than the main one. It has its own
        /// pin, overlays, name lock and drift report beside its manifest.
        #[arg(long, value_name = "MODULE")]
        document: Option<String>,
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
            let all = generate_all(cli.spec)?;
            write_files(&all)?;
            for generated in &all {
                if all.len() > 1 {
                    println!("== {}", generated.label());
                }
                print!("{}", generated.generation.stats.table());
            }
            println!(
                "wrote {} files under {}",
                all.iter().map(|g| g.generation.files.len()).sum::<usize>(),
                paths::client_src().display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let all = generate_all(cli.spec)?;
            let stale = stale_files(&all)?;
            if stale.is_empty() {
                println!(
                    "the committed client is fresh ({} files)",
                    all.iter().map(|g| g.generation.files.len()).sum::<usize>()
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
        Command::Contract { document } => contract::run(cli.spec.as_deref(), document.as_deref()),
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
        Command::Ingest {
            path,
            upstream,
            source,
            document,
        } => {
            let workspace = paths::Workspace::current().with_document(document.as_deref())?;
            match (upstream, path) {
                (true, _) => ingest::upstream::run(&workspace),
                (false, Some(path)) => ingest::run(&path, source, &workspace),
                (false, None) => anyhow::bail!("name the new document, or pass --upstream"),
            }
        }
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

/// Generates the main document, pinned or from `--spec` / `JUMPCLOUD_SPEC`.
pub fn generate(spec: Option<PathBuf>) -> Result<Generation> {
    let workspace = paths::Workspace::current();
    documents::generate_pinned(&workspace, &workspace.manifest(), spec.as_deref())
}

/// Generates every document of the crate: the main one (pinned or from
/// `--spec`) and the ones its manifest mounts.
fn generate_all(spec: Option<PathBuf>) -> Result<Vec<documents::Generated>> {
    documents::generate_all(&paths::Workspace::current(), spec.as_deref())
}

fn write_files(all: &[documents::Generated]) -> Result<()> {
    for generated in all {
        files::write(&generated.generation, &paths::client_src())?;
        files::write_lock(&generated.generation, generated.lock()?.as_deref())?;
    }
    Ok(())
}

fn stale_files(all: &[documents::Generated]) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for generated in all {
        stale.extend(files::stale(&generated.generation, &paths::client_src())?);
        stale.extend(files::stale_lock(
            &generated.generation,
            generated.lock()?.as_deref(),
        )?);
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    /// The committed client is what the generator makes of the pinned
    /// document: the check `cargo xtask check` runs, as a test, so
    /// `cargo test` alone catches a stale client or name lock.
    #[test]
    fn the_committed_client_is_fresh() {
        let all = super::generate_all(None).unwrap();
        let stale = super::stale_files(&all).unwrap();
        assert!(
            stale.is_empty(),
            "stale generated files; run `cargo xtask generate`: {stale:?}"
        );
    }
}
