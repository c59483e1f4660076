//! The report as Markdown for a pull-request comment.
//!
//! A reviewer decides from the first screen: the title names both
//! documents (title, version and checksum, since two documents can share a
//! title and version), then the totals and the required crate bump, then
//! every change that breaks HTTP clients, never folded. Stale overlay
//! actions come next, since they mean a fix silently stopped applying. The
//! rest follows by area, renames one line each, and any long section is
//! folded so the page stays short.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Change, ChangeKind, DiffReport, Http, Rust, StaleOverlay, Summary};

/// Sections longer than this are folded into `<details>`.
const FOLD_OVER: usize = 10;

/// Areas of the non-breaking changes, in print order.
const AREAS: [&str; 5] = [
    "Document",
    "Operations",
    "Error bodies",
    "Renamed types",
    "Types",
];

fn area(kind: ChangeKind) -> &'static str {
    let name = kind.as_str();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if starts(&["info-", "server-", "tag-"]) {
        AREAS[0]
    } else if starts(&["error-body-"]) {
        AREAS[2]
    } else if kind == ChangeKind::SchemaRenamed {
        AREAS[3]
    } else if starts(&[
        "schema-",
        "property-",
        "constructor-",
        "additional-",
        "enum-",
        "union-",
        "alias-",
    ]) {
        AREAS[4]
    } else {
        AREAS[1]
    }
}

/// Table cells cannot hold pipes or line breaks.
pub(crate) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn rust_cell(rust: Rust) -> &'static str {
    match rust {
        Rust::Major => "**major**",
        other => other.as_str(),
    }
}

/// `title version (sha)`, the checksum cut to 12 hex digits as git does.
pub(crate) fn document(name: &str, sha256: Option<&str>) -> String {
    match sha256 {
        Some(sha) => format!("{name} ({})", sha.get(..12).unwrap_or(sha)),
        None => name.to_string(),
    }
}

/// Writes `body` as is, or folded under `summary` when it has many rows.
fn section(out: &mut String, rows: usize, summary: &str, body: &str) {
    if rows > FOLD_OVER {
        let _ = write!(
            out,
            "<details><summary>{summary}</summary>\n\n{body}\n</details>\n"
        );
    } else {
        out.push_str(body);
    }
}

pub(crate) fn render(report: &DiffReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## API drift: {} → {}\n",
        document(&s.old, s.old_sha256.as_deref()),
        document(&s.new, s.new_sha256.as_deref())
    );
    if report.is_empty() {
        out.push_str("No changes: both documents produce the same client.\n");
    } else {
        totals(&mut out, s);
        breaking(&mut out, report);
    }
    stale(&mut out, &report.stale_overlays);
    if !report.is_empty() {
        others(&mut out, report);
        by_kind(&mut out, report);
    }
    out
}

fn totals(out: &mut String, s: &Summary) {
    let bump = match s.rust_bump {
        Some(Rust::Major) => "**major**",
        Some(Rust::Minor) => "minor",
        _ => "patch",
    };
    let strong = |n: usize| {
        if n > 0 {
            format!("**{n}**")
        } else {
            n.to_string()
        }
    };
    out.push_str(
        "| Changes | HTTP breaking | HTTP non-breaking | Rust major | Rust minor | Rust patch | Crate bump |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|---|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {bump} |",
        s.total,
        strong(s.http.breaking),
        s.http.non_breaking,
        strong(s.rust.major),
        s.rust.minor,
        s.rust.patch,
    );
}

fn breaking(out: &mut String, report: &DiffReport) {
    let mut rows: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.http == Http::Breaking)
        .collect();
    if rows.is_empty() {
        out.push_str("\nNo change breaks HTTP clients.\n");
        return;
    }
    // Stable, so changes of equal severity keep the report's order.
    rows.sort_by_key(|c| std::cmp::Reverse(c.rust));
    let _ = writeln!(out, "\n### Breaking for HTTP clients ({})\n", rows.len());
    out.push_str("| Rust | Change | Location | Detail |\n|---|---|---|---|\n");
    for c in rows {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} |",
            rust_cell(c.rust),
            c.kind,
            cell(&c.location),
            cell(&c.detail)
        );
    }
}

fn stale(out: &mut String, stale: &[StaleOverlay]) {
    if stale.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### Stale overlay actions ({})\n", stale.len());
    out.push_str(
        "These overlay actions match nothing in the document named and were skipped there: \
         update each target in its overlay or delete the action.\n\n",
    );
    let mut body = String::new();
    for s in stale {
        let note = s
            .description
            .as_deref()
            .map(|d| format!(": {}", d.split_whitespace().collect::<Vec<_>>().join(" ")))
            .unwrap_or_default();
        let _ = writeln!(
            body,
            "- {} document: `{}#{}` `{}`{note}",
            s.side.as_str(),
            s.overlay,
            s.pointer,
            s.target
        );
    }
    section(
        out,
        stale.len(),
        &plural(stale.len(), "stale action", "stale actions"),
        &body,
    );
}

fn others(out: &mut String, report: &DiffReport) {
    let rest: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.http == Http::NonBreaking)
        .collect();
    if rest.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### Other changes ({})", rest.len());
    for name in AREAS {
        let mut rows: Vec<&Change> = rest
            .iter()
            .copied()
            .filter(|c| area(c.kind) == name)
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|c| std::cmp::Reverse(c.rust));
        let _ = writeln!(out, "\n#### {name} ({})\n", rows.len());
        let mut body = String::new();
        if name == "Renamed types" {
            // Same JSON under another name: one line says it all.
            for c in &rows {
                let was = c.detail.strip_prefix("was ").unwrap_or(c.detail.as_str());
                let _ = writeln!(body, "- {was} → `{}`", c.location);
            }
        } else {
            body.push_str("| Rust | Change | Location | Detail |\n|---|---|---|---|\n");
            for c in &rows {
                let _ = writeln!(
                    body,
                    "| {} | {} | `{}` | {} |",
                    rust_cell(c.rust),
                    c.kind,
                    cell(&c.location),
                    cell(&c.detail)
                );
            }
        }
        let summary = plural(rows.len(), "change", "changes");
        section(out, rows.len(), &summary, &body);
    }
}

fn by_kind(out: &mut String, report: &DiffReport) {
    #[derive(Default)]
    struct Row {
        count: usize,
        breaking: usize,
        major: usize,
        minor: usize,
        patch: usize,
    }
    let mut rows: BTreeMap<ChangeKind, Row> = BTreeMap::new();
    for c in &report.changes {
        let row = rows.entry(c.kind).or_default();
        row.count += 1;
        row.breaking += usize::from(c.http == Http::Breaking);
        match c.rust {
            Rust::Major => row.major += 1,
            Rust::Minor => row.minor += 1,
            Rust::Patch => row.patch += 1,
        }
    }
    out.push_str("\n### Changes by kind\n\n");
    let mut body = String::from(
        "| Change | Count | HTTP breaking | Rust major | Rust minor | Rust patch |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for (kind, r) in &rows {
        let _ = writeln!(
            body,
            "| {kind} | {} | {} | {} | {} | {} |",
            r.count, r.breaking, r.major, r.minor, r.patch
        );
    }
    section(out, rows.len(), &plural(rows.len(), "kind", "kinds"), &body);
}
