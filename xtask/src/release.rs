//! Releases follow the drift report: the crate version is bumped by the
//! report's highest Rust level, and the changelog entry is made from it.

use anyhow::{Result, bail};

use codegen::diff::{DiffReport, Rust};
use codegen::manifest::Manifest;

/// `[package] version` of a `Cargo.toml`.
pub fn package_version(cargo_toml: &str) -> Result<String> {
    let doc: toml::Table = toml::from_str(cargo_toml)?;
    match doc
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
    {
        Some(v) => Ok(v.to_string()),
        None => bail!("Cargo.toml has no [package] version"),
    }
}

/// Replaces the `[package]` version line, keeping the rest of the file as
/// written (comments, order, formatting).
pub fn set_package_version(cargo_toml: &str, version: &str) -> Result<String> {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(cargo_toml.len());
    for line in cargo_toml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_package = trimmed.starts_with("[package]");
        }
        if in_package && !done && trimmed.starts_with("version") && trimmed.contains('=') {
            let ending = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("version = \"{version}\"{ending}"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        bail!("Cargo.toml has no `version = …` line under [package]");
    }
    Ok(out)
}

/// The next version after `version` for a change of `level`, by Cargo's
/// reading of semver: below 1.0 the leftmost non-zero number is the
/// breaking one, so `major` bumps the minor number of `0.y.z` and both
/// `minor` and `patch` bump its patch number.
pub fn bump(version: &str, level: Rust) -> Result<String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow::anyhow!("version {version} is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = parts[..] else {
        bail!("version {version} is not MAJOR.MINOR.PATCH");
    };
    let next = match (major, level) {
        (0, Rust::Major) => (0, minor + 1, 0),
        (0, Rust::Minor | Rust::Patch) => (0, minor, patch + 1),
        (_, Rust::Major) => (major + 1, 0, 0),
        (_, Rust::Minor) => (major, minor + 1, 0),
        (_, Rust::Patch) => (major, minor, patch + 1),
    };
    Ok(format!("{}.{}.{}", next.0, next.1, next.2))
}

/// A changelog entry body made from the report: every change a caller must
/// act on or may use, and the count of the rest.
pub fn entry(report: &DiffReport, manifest: &Manifest) -> String {
    let pin = &manifest.document;
    let s = &report.summary;
    let mut out = format!(
        "Generated from `{}` ({}, sha256 `{}`): {} operations, {} schemas.\n\
         {} changes: HTTP {} breaking, {} non-breaking; Rust {} major, {} minor, {} patch.\n",
        pin.path.display(),
        s.new,
        pin.sha256,
        pin.operations,
        pin.schemas,
        s.total,
        s.http.breaking,
        s.http.non_breaking,
        s.rust.major,
        s.rust.minor,
        s.rust.patch,
    );
    for (level, heading) in [
        (Rust::Major, "Breaking changes"),
        (Rust::Minor, "Additions"),
    ] {
        let rows: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.rust == level)
            .map(|c| {
                let http = if c.http == codegen::diff::Http::Breaking {
                    " (breaking for HTTP clients)"
                } else {
                    ""
                };
                format!(
                    "- {} `{}`: {}{http}\n",
                    c.kind.as_str(),
                    c.location,
                    c.detail
                )
            })
            .collect();
        if !rows.is_empty() {
            out.push_str(&format!("\n### {heading}\n\n"));
            out.extend(rows);
        }
    }
    if s.rust.patch > 0 {
        out.push_str(&format!(
            "\n{} more change(s) leave the public API as it is (documentation, wire details); \
             see `spec/drift-report.md` at this version.\n",
            s.rust.patch
        ));
    }
    out
}

const CHANGELOG_HEAD: &str = "# Changelog\n\n\
    Each entry is written by `cargo xtask ingest` from the drift report of that update.\n";

/// `changelog` with an entry for `version` on top. An entry for the same
/// version already on top is replaced, so re-running ingest is idempotent.
pub fn prepend_changelog(changelog: &str, version: &str, body: &str) -> String {
    let heading = format!("## {version}\n");
    let rest = changelog.strip_prefix(CHANGELOG_HEAD).unwrap_or(changelog);
    let rest = rest.trim_start_matches('\n');
    let rest = match rest.strip_prefix(&heading) {
        // Drop the stale entry up to the next one.
        Some(after) => match after.find("\n## ") {
            Some(i) => &after[i + 1..],
            None => "",
        },
        None => rest,
    };
    let mut out = format!("{CHANGELOG_HEAD}\n{heading}\n{body}");
    if !rest.is_empty() {
        out.push('\n');
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_as_cargo_reads_semver() {
        // Cargo: for 0.y.z the y is the breaking number (The Cargo Book, "SemVer compatibility").
        assert_eq!(bump("0.1.0", Rust::Major).unwrap(), "0.2.0");
        assert_eq!(bump("0.1.3", Rust::Minor).unwrap(), "0.1.4");
        assert_eq!(bump("0.1.3", Rust::Patch).unwrap(), "0.1.4");
        assert_eq!(bump("1.4.2", Rust::Major).unwrap(), "2.0.0");
        assert_eq!(bump("1.4.2", Rust::Minor).unwrap(), "1.5.0");
        assert_eq!(bump("1.4.2", Rust::Patch).unwrap(), "1.4.3");
        assert!(bump("1.0.0-beta.1", Rust::Patch).is_err());
    }

    #[test]
    fn only_the_package_version_line_changes() {
        let text = "[package]\nname = \"c\"\nversion = \"0.1.0\" # pinned\nedition.workspace = true\n\n[dependencies]\nfoo = { version = \"1\" }\n";
        let out = set_package_version(text, "0.2.0").unwrap();
        assert_eq!(
            out,
            text.replace("version = \"0.1.0\" # pinned", "version = \"0.2.0\"")
        );
        assert_eq!(package_version(&out).unwrap(), "0.2.0");
        assert!(set_package_version("[dependencies]\nversion = 1\n", "1.0.0").is_err());
    }

    #[test]
    fn an_entry_for_the_same_version_is_replaced_not_repeated() {
        let first = prepend_changelog("", "0.2.0", "one\n");
        let again = prepend_changelog(&first, "0.2.0", "two\n");
        assert_eq!(again.matches("## 0.2.0").count(), 1);
        assert!(again.contains("two") && !again.contains("one"));
        let next = prepend_changelog(&again, "0.3.0", "three\n");
        let positions: Vec<usize> = ["## 0.3.0", "## 0.2.0"]
            .iter()
            .map(|h| next.find(h).unwrap())
            .collect();
        assert!(positions[0] < positions[1], "{next}");
        assert!(next.starts_with("# Changelog"));
        assert_eq!(next.matches("# Changelog").count(), 1);
    }
}
