//! `cargo xtask features`: every feature of the client builds alone, and
//! documents alone, with no warning.
//!
//! Each tag feature, each runtime feature, `full`, and no feature at all is
//! checked in turn (`cargo check --lib --no-default-features --features X`),
//! then documented the same way (`cargo doc --no-deps`), which catches doc
//! links to items another feature compiles.
//! Warnings are read from cargo's JSON messages for the client crate only, so
//! cached builds count too and no flag change rebuilds the dependencies.

use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

const PACKAGE: &str = "jumpcloud-client";

/// The features to try, from the client's `[features]` table: `None` is the
/// build without any.
pub fn feature_list(cargo_toml: &str) -> Result<Vec<Option<String>>> {
    let doc: toml::Table = toml::from_str(cargo_toml)?;
    let Some(table) = doc.get("features").and_then(toml::Value::as_table) else {
        bail!("the client's Cargo.toml has no [features] table");
    };
    let mut list = vec![None];
    list.extend(
        table
            .keys()
            .filter(|k| k.as_str() != "default")
            .map(|k| Some(k.clone())),
    );
    Ok(list)
}

pub fn run(only: Option<&str>) -> Result<ExitCode> {
    let workspace = Workspace::current();
    let text = std::fs::read_to_string(workspace.client_cargo_toml())
        .with_context(|| format!("reading {}", workspace.client_cargo_toml().display()))?;
    let features = feature_list(&text)?;
    let mut failed = Vec::new();
    for feature in &features {
        let label = feature.as_deref().unwrap_or("none");
        if only.is_some_and(|o| o != label) {
            continue;
        }
        for step in ["check", "doc"] {
            let outcome = cargo(step, feature.as_deref())?;
            println!(
                "{label:<32} {step:<5} {} warnings, {} errors",
                outcome.warnings.len(),
                outcome.errors
            );
            for warning in &outcome.warnings {
                println!("    {warning}");
            }
            if !outcome.warnings.is_empty() || outcome.errors > 0 || !outcome.success {
                failed.push(format!("{label} ({step})"));
            }
        }
    }
    if failed.is_empty() {
        println!("every feature builds and documents alone without warnings");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("features that failed: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

struct Outcome {
    success: bool,
    warnings: Vec<String>,
    errors: usize,
}

/// `cargo check` or `cargo doc` of the client's library with `feature` only.
fn cargo(step: &str, feature: Option<&str>) -> Result<Outcome> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.args([step, "--quiet", "--lib"]);
    if step == "doc" {
        command.arg("--no-deps");
    }
    command.args([
        "-p",
        PACKAGE,
        "--no-default-features",
        "--message-format",
        "json",
    ]);
    if let Some(feature) = feature {
        command.args(["--features", feature]);
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running cargo {step}"))?;
    let mut warnings = Vec::new();
    let mut errors = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message"
            || !message["package_id"]
                .as_str()
                .is_some_and(|id| id.contains(PACKAGE))
        {
            continue;
        }
        let text = message["message"]["rendered"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        match message["message"]["level"].as_str() {
            Some("warning") if !text.contains("warnings emitted") => warnings.push(text),
            Some("error") => errors += 1,
            _ => {}
        }
    }
    Ok(Outcome {
        success: output.status.success(),
        warnings,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_but_default_and_the_empty_build_are_listed() {
        let cargo =
            "[package]\nname = \"c\"\n[features]\ndefault = [\"full\"]\nfull = [\"a\"]\na = []\n";
        assert_eq!(
            feature_list(cargo).unwrap(),
            vec![None, Some("a".to_string()), Some("full".to_string())]
        );
    }
}
