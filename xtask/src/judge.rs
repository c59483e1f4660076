//! `cargo xtask judge`: an independent judge of the Swagger 2.0 front end.
//!
//! Each shared Swagger 2.0 document (`../shared/upstream/{v2,v1,insights}`)
//! is converted by `swagger2openapi` (npm, pinned below, installed into the
//! git-ignored `tools/`), and our model of the original is compared with
//! our model of that conversion, on the same IR the drift report reads.
//! They must be equal, except for the differences listed in [`KNOWN`]
//! (and in the README, "Reading Swagger 2.0 and OpenAPI 3.1"), each a
//! place where the Swagger 2.0 specification and swagger2openapi disagree.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

const PACKAGE: &str = "swagger2openapi@7.0.8";

/// Differences where our reading follows the Swagger 2.0 specification and
/// swagger2openapi does not: `(change kind, location)`.
const KNOWN: &[(&str, &str, &str)] = &[(
    "request-body-added",
    "POST /softwareapps/{software_app_id}/retry-installation [body]",
    "a path-level `body` parameter applies to every operation of the path \
     (Swagger 2.0, Path Item Object: `parameters` \"applicable for all the \
     operations described under this path\"); swagger2openapi drops it",
)];

pub fn run(folders: &[PathBuf]) -> Result<ExitCode> {
    let workspace = Workspace::current();
    let converter =
        crate::npm::ensure_tool("swagger2openapi", PACKAGE, "swagger2openapi", "the judge")?;
    let scratch = workspace.scratch("judge");
    std::fs::create_dir_all(&scratch)?;
    // How the generator reads any document, without the names this
    // project's client has locked: both sides are read alike.
    let settings = codegen::Settings {
        names: Default::default(),
        ..workspace.generator_inputs(true)?.1
    };
    let mut documents = Vec::new();
    for folder in folders {
        let folder = workspace.root.join(folder);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
            .with_context(|| format!("reading {}", folder.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .filter(|p| is_swagger(p))
            .collect();
        found.sort();
        documents.extend(found);
    }
    if documents.is_empty() {
        bail!("no Swagger 2.0 documents found");
    }
    let mut failures = 0;
    for document in &documents {
        let label = format!(
            "{}/{}",
            document
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            document.file_name().unwrap_or_default().to_string_lossy()
        );
        let converted = scratch.join(label.replace('/', "_")).with_extension("json");
        let status = Command::new(&converter)
            .arg("--patch")
            .arg("-o")
            .arg(&converted)
            .arg(document)
            .status()
            .with_context(|| format!("running {}", converter.display()))?;
        if !status.success() {
            bail!("swagger2openapi could not convert {}", document.display());
        }
        let model = |path: &Path| -> Result<codegen::ir::Api> {
            let spec = codegen::load::load(path, &[])?;
            Ok(codegen::ir::build(&spec, path, &settings)?)
        };
        let ours = model(document)?;
        let theirs = model(&converted)?;
        let report = codegen::diff::compare(&theirs, &ours);
        let mut unexplained = Vec::new();
        let mut explained = 0;
        for change in &report.changes {
            let kind = change.kind.as_str();
            if KNOWN
                .iter()
                .any(|(k, location, _)| *k == kind && *location == change.location)
            {
                explained += 1;
            } else {
                unexplained.push(format!("{kind} {} ({})", change.location, change.detail));
            }
        }
        let operations: usize = ours.modules.iter().map(|m| m.operations.len()).sum();
        // Without a known difference the two models must be the same value,
        // not only equal for the drift report; what the front end recorded
        // about the original's format is the one thing that may differ.
        if explained == 0 && unexplained.is_empty() {
            let mut ours_as_3_0 = ours.clone();
            ours_as_3_0.report.format = theirs.report.format;
            ours_as_3_0
                .report
                .front_end
                .clone_from(&theirs.report.front_end);
            if ours_as_3_0 != theirs {
                let (a, b) = (format!("{theirs:#?}"), format!("{ours_as_3_0:#?}"));
                let lines = similar::TextDiff::from_lines(&a, &b)
                    .iter_all_changes()
                    .filter(|c| c.tag() != similar::ChangeTag::Equal)
                    .take(20)
                    .map(|c| format!("{}{}", c.tag(), c.value().trim_end()))
                    .collect::<Vec<_>>();
                unexplained.push(format!("the models differ:\n{}", lines.join("\n")));
            }
        }
        if unexplained.is_empty() {
            println!(
                "{label:<40} {operations:>4} operations, {} types: {}",
                ours.types.len(),
                match explained {
                    0 => "the same model".to_string(),
                    n => format!("equal but for {n} known difference(s)"),
                }
            );
        } else {
            failures += 1;
            println!("{label:<40} differs from swagger2openapi's conversion:");
            for line in unexplained {
                println!("  - {line}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if failures == 0 {
        println!("judge: {} documents agree with {PACKAGE}", documents.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("judge: {failures} documents differ from {PACKAGE}'s conversion");
        Ok(ExitCode::FAILURE)
    }
}

/// Whether the file declares `swagger:` at its root, read from its text.
fn is_swagger(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| codegen::load::parse_document(&text).ok())
        .is_some_and(|raw| raw.get("swagger").is_some())
}
