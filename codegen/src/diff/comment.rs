//! The report as a pull-request comment that always fits: GitHub keeps at
//! most 65,536 characters of one. It leads with the verdict, then what a
//! user must change (the Rust-major changes to what existed before) by tag
//! module, then one table row per module. The full Markdown and JSON
//! reports are files it names; when the comment would be too long, the
//! per-module lists are cut, saying how many lines each left out, and the
//! table and the verdict always stay.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::markdown::{cell, document};
use super::modules::CRATE;
use super::{Change, ChangeKind, DiffReport, Rust};

/// GitHub's limit on a comment's body.
pub const COMMENT_LIMIT: usize = 65_536;

/// Room kept for what a bot may prepend.
const MARGIN: usize = 1_024;

/// Where the full reports are, to name at the end.
pub struct FullReports<'a> {
    pub markdown: &'a str,
    pub json: &'a str,
}

pub(crate) fn render(report: &DiffReport, full: &FullReports<'_>) -> String {
    let by_module = per_module(report);
    let mut last = String::new();
    // The longest form that fits: every line, then fewer per module.
    for limit in [usize::MAX, 40, 20, 10, 5, 2, 0] {
        last = render_with(report, &by_module, full, limit, usize::MAX);
        if last.len() + MARGIN <= COMMENT_LIMIT {
            return last;
        }
    }
    // Even the table alone is too long: keep its most affected rows.
    for rows in [200, 100, 50, 20] {
        last = render_with(report, &by_module, full, 0, rows);
        if last.len() + MARGIN <= COMMENT_LIMIT {
            return last;
        }
    }
    last.truncate(COMMENT_LIMIT - MARGIN);
    last
}

/// What one module's reviewer needs: its changes, counted and listed.
#[derive(Default)]
struct ModuleChanges<'a> {
    added: usize,
    removed: usize,
    changed_operations: usize,
    changed_types: usize,
    worst: Option<Rust>,
    must_change: Vec<&'a Change>,
}

fn per_module(report: &DiffReport) -> BTreeMap<&str, ModuleChanges<'_>> {
    let mut out: BTreeMap<&str, ModuleChanges<'_>> = BTreeMap::new();
    for change in &report.changes {
        let on_operation = change
            .location
            .split_once(' ')
            .is_some_and(|(m, _)| m.chars().all(|c| c.is_ascii_uppercase()));
        for module in &change.modules {
            let entry = out.entry(module.as_str()).or_default();
            match change.kind {
                ChangeKind::OperationAdded => entry.added += 1,
                ChangeKind::OperationRemoved => entry.removed += 1,
                _ if on_operation => entry.changed_operations += 1,
                _ => entry.changed_types += 1,
            }
            entry.worst = entry.worst.max(Some(change.rust));
            if change.rust == Rust::Major {
                entry.must_change.push(change);
            }
        }
    }
    out
}

fn render_with(
    report: &DiffReport,
    by_module: &BTreeMap<&str, ModuleChanges<'_>>,
    full: &FullReports<'_>,
    per_module_limit: usize,
    table_rows: usize,
) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## API drift: {} → {}\n",
        document(&s.old, s.old_sha256.as_deref()),
        document(&s.new, s.new_sha256.as_deref())
    );
    if report.is_empty() {
        out.push_str("**Verdict: no change** to the generated client.\n");
    } else {
        let verdict = match s.rust_bump {
            Some(Rust::Major) => "**Verdict: major** (programs may need changes)",
            Some(Rust::Minor) => "**Verdict: minor** (additions only)",
            _ => "**Verdict: patch** (documentation and wire details)",
        };
        let _ = writeln!(
            out,
            "{verdict}: {} changes; {} break HTTP clients; Rust {} major, {} minor, {} patch; {} tag modules touched.\n",
            s.total,
            s.http.breaking,
            s.rust.major,
            s.rust.minor,
            s.rust.patch,
            by_module.keys().filter(|m| **m != CRATE).count()
        );
    }
    if !report.stale_overlays.is_empty() {
        let _ = writeln!(
            out,
            "**{} overlay actions matched nothing** and were skipped: see the full report.\n",
            report.stale_overlays.len()
        );
    }
    let majors: Vec<(&&str, &ModuleChanges<'_>)> = by_module
        .iter()
        .filter(|(_, m)| !m.must_change.is_empty())
        .collect();
    if !majors.is_empty() {
        out.push_str("### What a program may have to change, by module\n\n");
        out.push_str(
            "Rust-major changes to methods and types that existed before; a program that uses none of a module's items listed here compiles unchanged.\n\n",
        );
        for (module, changes) in &majors {
            let _ = writeln!(
                out,
                "<details><summary><code>{module}</code>: {}</summary>\n",
                changes.must_change.len()
            );
            for change in changes.must_change.iter().take(per_module_limit) {
                let _ = writeln!(
                    out,
                    "- `{}` {}: {}",
                    change.location.replace('`', "'"),
                    change.kind.as_str(),
                    cell(&change.detail)
                );
            }
            let left = changes.must_change.len().saturating_sub(per_module_limit);
            if left > 0 {
                let _ = writeln!(out, "- … and {left} more: see the full report");
            }
            out.push_str("\n</details>\n");
        }
        out.push('\n');
    }
    if !by_module.is_empty() {
        out.push_str("### By module\n\n");
        out.push_str("| Module | Operations added | removed | changed | Type changes | Rust |\n");
        out.push_str("|---|---:|---:|---:|---:|---|\n");
        let mut rows: Vec<(&&str, &ModuleChanges<'_>)> = by_module.iter().collect();
        if rows.len() > table_rows {
            rows.sort_by_key(|(name, m)| {
                (
                    std::cmp::Reverse(m.worst),
                    std::cmp::Reverse(m.must_change.len()),
                    **name,
                )
            });
        }
        let shown = rows.len().min(table_rows);
        let mut listed: Vec<_> = rows.into_iter().take(shown).collect();
        listed.sort_by_key(|(name, _)| **name);
        for (module, m) in &listed {
            let _ = writeln!(
                out,
                "| `{module}` | {} | {} | {} | {} | {} |",
                m.added,
                m.removed,
                m.changed_operations,
                m.changed_types,
                match m.worst {
                    Some(Rust::Major) => "**major**",
                    Some(level) => level.as_str(),
                    None => "",
                }
            );
        }
        if by_module.len() > shown {
            let _ = writeln!(
                out,
                "\n{} more modules with fewer changes: see the full report.",
                by_module.len() - shown
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Full report: `{}` (Markdown), `{}` (JSON).",
        full.markdown, full.json
    );
    out
}
