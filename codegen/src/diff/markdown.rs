//! The report as Markdown for a pull-request comment: a headline and a
//! summary table, then every change grouped by area, most severe first.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Change, ChangeKind, DiffReport, Http, Rust};

/// Sections of the details, in print order.
const AREAS: [&str; 4] = ["Document", "Operations", "Error bodies", "Schemas"];

fn area(kind: ChangeKind) -> &'static str {
    let name = kind.as_str();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if starts(&["info-", "server-", "tag-"]) {
        AREAS[0]
    } else if starts(&["error-body-"]) {
        AREAS[2]
    } else if starts(&[
        "schema-",
        "property-",
        "constructor-",
        "additional-",
        "enum-",
        "union-",
        "alias-",
    ]) {
        AREAS[3]
    } else {
        AREAS[1]
    }
}

/// Table cells cannot hold pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn render(report: &DiffReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "## API drift: {} → {}\n", s.old, s.new);
    if report.is_empty() {
        out.push_str("No changes: both documents produce the same client.\n");
        return out;
    }
    let bump = match s.rust_bump {
        Some(Rust::Major) => "a **major** release",
        Some(Rust::Minor) => "a minor release",
        _ => "a patch release",
    };
    let _ = writeln!(
        out,
        "{}: {} for HTTP clients; the Rust crate needs {bump}.\n",
        plural(s.total, "change", "changes"),
        if s.http.breaking > 0 {
            format!("**{} breaking**", s.http.breaking)
        } else {
            "none breaking".to_string()
        },
    );
    summary_table(&mut out, report);
    out.push_str("\n### Details\n");
    for name in AREAS {
        let mut rows: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| area(c.kind) == name)
            .collect();
        if rows.is_empty() {
            continue;
        }
        // Stable, so changes of equal severity keep the report's order.
        rows.sort_by_key(|c| (std::cmp::Reverse(c.http), std::cmp::Reverse(c.rust)));
        let _ = writeln!(out, "\n#### {name}\n");
        out.push_str("| HTTP | Rust | Change | Location | Detail |\n");
        out.push_str("|---|---|---|---|---|\n");
        for c in rows {
            let http = match c.http {
                Http::Breaking => "**breaking**",
                Http::NonBreaking => "non-breaking",
            };
            let rust = match c.rust {
                Rust::Major => "**major**",
                other => other.as_str(),
            };
            let _ = writeln!(
                out,
                "| {http} | {rust} | {} | `{}` | {} |",
                c.kind,
                cell(&c.location),
                cell(&c.detail)
            );
        }
    }
    out
}

fn summary_table(out: &mut String, report: &DiffReport) {
    #[derive(Default)]
    struct Row {
        count: usize,
        breaking: usize,
        major: usize,
        minor: usize,
        patch: usize,
    }
    impl Row {
        fn add(&mut self, c: &Change) {
            self.count += 1;
            self.breaking += usize::from(c.http == Http::Breaking);
            match c.rust {
                Rust::Major => self.major += 1,
                Rust::Minor => self.minor += 1,
                Rust::Patch => self.patch += 1,
            }
        }
    }
    let mut rows: BTreeMap<ChangeKind, Row> = BTreeMap::new();
    let mut total = Row::default();
    for c in &report.changes {
        rows.entry(c.kind).or_default().add(c);
        total.add(c);
    }
    out.push_str("| Change | Count | HTTP breaking | Rust major | Rust minor | Rust patch |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    let line = |out: &mut String, label: &str, r: &Row| {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} |",
            r.count, r.breaking, r.major, r.minor, r.patch
        );
    };
    for (kind, row) in &rows {
        line(out, kind.as_str(), row);
    }
    line(out, "**Total**", &total);
}
