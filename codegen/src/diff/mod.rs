//! API drift: what changed between two documents, judged on the IR rather
//! than on the YAML, so that reordering and `$ref` renames that leave the
//! generated client alone are not reported.
//!
//! Each change is classified twice: once for any HTTP client of the API
//! ([`Http`]) and once for callers of the generated Rust crate ([`Rust`]).
//! The rules live in [`classify`], with the reasoning for each.

mod classify;
mod compare;
mod equiv;
mod markdown;
mod operations;
mod schemas;
mod usage;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use crate::error::Result;
use crate::ir::Api;

pub use classify::ChangeKind;

/// Whether a change can break a client that talks HTTP to the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Http {
    NonBreaking,
    Breaking,
}

/// The semver bump the change forces on the generated crate: `Major` when a
/// caller's build can break, `Minor` when something is only added, `Patch`
/// when the public API is untouched (docs, wire details).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rust {
    Patch,
    Minor,
    Major,
}

impl Http {
    pub fn as_str(self) -> &'static str {
        match self {
            Http::NonBreaking => "non-breaking",
            Http::Breaking => "breaking",
        }
    }
}

impl Rust {
    pub fn as_str(self) -> &'static str {
        match self {
            Rust::Patch => "patch",
            Rust::Minor => "minor",
            Rust::Major => "major",
        }
    }
}

/// One reported difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// `METHOD /path [part]` for operations, `Type` or `Type.field` for schemas.
    pub location: String,
    pub http: Http,
    pub rust: Rust,
    pub detail: String,
}

/// Every change between two documents, in a stable order: document-level
/// changes, then operations by path and method, then types by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    pub changes: Vec<Change>,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `title version` of each document.
    pub old: String,
    pub new: String,
    pub total: usize,
    pub http: HttpCounts,
    pub rust: RustCounts,
    /// The bump the crate needs, `none` when nothing changed.
    #[serde(serialize_with = "bump")]
    pub rust_bump: Option<Rust>,
    /// Changes per kind, for a quick look at where the drift is.
    pub kinds: BTreeMap<ChangeKind, usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct HttpCounts {
    pub breaking: usize,
    #[serde(rename = "non-breaking")]
    pub non_breaking: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RustCounts {
    pub major: usize,
    pub minor: usize,
    pub patch: usize,
}

fn bump<S: Serializer>(value: &Option<Rust>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(value.map_or("none", Rust::as_str))
}

impl DiffReport {
    fn new(old: &Api, new: &Api, changes: Vec<Change>) -> DiffReport {
        let mut http = HttpCounts::default();
        let mut rust = RustCounts::default();
        let mut kinds = BTreeMap::new();
        for c in &changes {
            match c.http {
                Http::Breaking => http.breaking += 1,
                Http::NonBreaking => http.non_breaking += 1,
            }
            match c.rust {
                Rust::Major => rust.major += 1,
                Rust::Minor => rust.minor += 1,
                Rust::Patch => rust.patch += 1,
            }
            *kinds.entry(c.kind).or_default() += 1;
        }
        let summary = Summary {
            old: format!("{} {}", old.title, old.version),
            new: format!("{} {}", new.title, new.version),
            total: changes.len(),
            http,
            rust,
            rust_bump: changes.iter().map(|c| c.rust).max(),
            kinds,
        };
        DiffReport { changes, summary }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn has_breaking(&self) -> bool {
        self.summary.http.breaking > 0
    }

    pub fn has_major(&self) -> bool {
        self.summary.rust.major > 0
    }

    /// Markdown for a pull-request comment: the summary table, then details.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    pub fn to_json(&self) -> String {
        // Every field is a string, number or map with string keys.
        serde_json::to_string_pretty(self).expect("a diff report always serializes")
    }
}

/// Compares two IRs.
pub fn compare(old: &Api, new: &Api) -> DiffReport {
    DiffReport::new(old, new, compare::changes(old, new))
}

/// Loads both documents with the same overlays, builds their IRs and
/// compares them. The two documents are independent, so they load in parallel.
pub fn diff_documents(old: &Path, new: &Path, overlays: &[PathBuf]) -> Result<DiffReport> {
    let build = |path: &Path| -> Result<Api> {
        let spec = crate::load::load(path, overlays)?;
        crate::ir::build(&spec, path)
    };
    let (old_api, new_api) = std::thread::scope(|s| {
        let old_job = s.spawn(|| build(old));
        let new_api = build(new);
        let old_api = old_job
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old_api, new_api)
    });
    Ok(compare(&old_api?, &new_api?))
}
