//! `cargo xtask diff OLD NEW`: the drift between two documents, as the
//! generated client sees it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};

use codegen::CodegenError;
use codegen::diff::DiffReport;

use crate::paths;

#[derive(Args)]
pub struct DiffArgs {
    /// The document before the change.
    pub old: PathBuf,
    /// The document after the change.
    pub new: PathBuf,
    /// The full Markdown report, JSON for tools, or a pull-request comment
    /// that always fits GitHub's 65,536 characters (the full reports are
    /// then written into `--full-report DIR`, which the comment names).
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Where `--format comment` writes the full `drift-report.md` and `.json`.
    #[arg(long, default_value = "target/drift")]
    pub full_report: PathBuf,
    /// Exit non-zero when a change is breaking for HTTP clients
    /// (`breaking`) or needs a major release of the crate (`major`).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Compare the documents as they are, without the manifest's overlays.
    #[arg(long)]
    pub no_overlays: bool,
    /// Compare them as versions of a mounted document (`v1`, `insights`:
    /// its settings' `module`), with its overlays and settings.
    #[arg(long, value_name = "MODULE")]
    pub document: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
    Comment,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Breaking,
    Major,
}

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    // The generated client is built from the overlaid document, so by default
    // both sides are compared the way the generator would see them. An
    // overlay action that fits only one of the documents is listed in the
    // report, so any two documents can be compared.
    let (overlays, settings) = paths::Workspace::current()
        .with_document(args.document.as_deref())?
        .generator_inputs(args.no_overlays)?;
    let report = diff(&args.old, &args.new, &overlays, &settings)?;
    match args.format {
        Format::Markdown => print!("{}", report.to_markdown()),
        Format::Json => println!("{}", report.to_json()),
        Format::Comment => {
            let (markdown, json) = write_full(&report, &args.full_report)?;
            print!(
                "{}",
                report.to_comment(&codegen::diff::FullReports {
                    markdown: &markdown.display().to_string(),
                    json: &json.display().to_string(),
                })
            );
        }
    }
    Ok(verdict(&report, args.fail_on))
}

/// Writes `drift-report.md` and `drift-report.json` into `dir`.
pub fn write_full(report: &DiffReport, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir)?;
    let (markdown, json) = (dir.join("drift-report.md"), dir.join("drift-report.json"));
    std::fs::write(&markdown, report.to_markdown())?;
    std::fs::write(&json, report.to_json())?;
    Ok((markdown, json))
}

/// Diffs with the same `overlays` on both sides, pointing at
/// `--no-overlays` when one of them is malformed.
pub fn diff(
    old: &Path,
    new: &Path,
    overlays: &[PathBuf],
    settings: &codegen::Settings,
) -> Result<DiffReport> {
    codegen::diff::diff_documents(old, overlays, new, overlays, settings).map_err(|e: CodegenError| {
        if overlays.contains(&e.file) {
            anyhow::Error::new(e).context(
                "a manifest overlay is malformed; fix it, or pass --no-overlays to compare the documents as written",
            )
        } else {
            e.into()
        }
    })
}

fn verdict(report: &DiffReport, fail_on: Option<FailOn>) -> ExitCode {
    match failure(report, fail_on) {
        Some(reason) => {
            eprintln!("diff: {reason}");
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    }
}

/// Why `--fail-on` fails this report, if it does.
fn failure(report: &DiffReport, fail_on: Option<FailOn>) -> Option<String> {
    match fail_on {
        Some(FailOn::Breaking) if report.has_breaking() => Some(format!(
            "{} change(s) breaking for HTTP clients",
            report.summary.http.breaking
        )),
        Some(FailOn::Major) if report.has_major() => Some(format!(
            "{} change(s) needing a major release of the crate",
            report.summary.rust.major
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../codegen/tests/fixtures/diff")
            .join(name)
    }

    #[test]
    fn fail_on_picks_the_classification() {
        // Renaming a schema breaks the crate but not HTTP clients.
        let renames = diff(
            &fixture("renames_old.yaml"),
            &fixture("renames_new.yaml"),
            &[],
            &codegen::Settings::default(),
        )
        .unwrap();
        assert_eq!(failure(&renames, None), None);
        assert_eq!(failure(&renames, Some(FailOn::Breaking)), None);
        assert!(failure(&renames, Some(FailOn::Major)).is_some());

        let params = diff(
            &fixture("parameters_old.yaml"),
            &fixture("parameters_new.yaml"),
            &[],
            &codegen::Settings::default(),
        )
        .unwrap();
        let reason = failure(&params, Some(FailOn::Breaking)).unwrap();
        assert!(reason.starts_with("5 change(s) breaking"), "{reason}");
        assert_eq!(verdict(&params, Some(FailOn::Breaking)), ExitCode::FAILURE);
        assert_eq!(verdict(&params, None), ExitCode::SUCCESS);
    }

    /// Writes an overlay with one action into a fresh file.
    fn overlay(name: &str, action: &str) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("xtask-diff-{name}-{}.yaml", std::process::id()));
        std::fs::write(
            &path,
            format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{action}"),
        )
        .unwrap();
        path
    }

    #[test]
    fn a_stale_overlay_action_is_listed_not_fatal() {
        let overlay = overlay(
            "stale",
            "  - target: $.paths['/nowhere']\n    remove: true\n",
        );
        let old = fixture("renames_old.yaml");
        let report = diff(
            &old,
            &old,
            std::slice::from_ref(&overlay),
            &codegen::Settings::default(),
        );
        let _ = std::fs::remove_file(&overlay);
        let report = report.unwrap();
        assert!(report.is_empty());
        let sides: Vec<&str> = report
            .stale_overlays
            .iter()
            .map(|s| s.side.as_str())
            .collect();
        assert_eq!(sides, ["old", "new"]);
        assert!(
            report
                .stale_overlays
                .iter()
                .all(|s| s.pointer == "/actions/0")
        );
        assert_eq!(verdict(&report, Some(FailOn::Major)), ExitCode::SUCCESS);
        let markdown = report.to_markdown();
        assert!(markdown.contains("Stale overlay actions (2)"), "{markdown}");
    }

    #[test]
    fn a_malformed_overlay_points_at_no_overlays() {
        let overlay = overlay("malformed", "  - target: $.paths[\n    remove: true\n");
        let old = fixture("renames_old.yaml");
        let error = diff(
            &old,
            &old,
            std::slice::from_ref(&overlay),
            &codegen::Settings::default(),
        )
        .unwrap_err();
        let _ = std::fs::remove_file(&overlay);
        let text = format!("{error:#}");
        assert!(text.contains("--no-overlays"), "{text}");
        assert!(text.contains("/actions/0/target"), "{text}");
    }
}
