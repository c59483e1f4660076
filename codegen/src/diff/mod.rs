//! API drift: what changed between two documents, judged on the IR rather
//! than on the YAML, so that reordering and `$ref` renames that leave the
//! generated client alone are not reported.
//!
//! Each change is classified twice: once for any HTTP client of the API
//! ([`Http`]) and once for callers of the generated Rust crate ([`Rust`]).
//! The rules live in [`classify`], with the reasoning for each.

mod classify;
mod comment;
mod compare;
mod equiv;
mod markdown;
mod modules;
mod operations;
mod schemas;
mod usage;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use crate::error::Result;
use crate::ir::Api;
use crate::load::StaleAction;

pub use classify::ChangeKind;
pub use comment::{COMMENT_LIMIT, FullReports};

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
    /// The tag modules the change touches (`(crate)` for none), sorted.
    pub modules: Vec<String>,
}

/// Which of the two compared documents something belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Old,
    New,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// An overlay action that matched nothing in one of the documents and was
/// skipped there. Listed rather than fatal: an overlay written for one
/// document need not fit the other, and the drift is still worth seeing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleOverlay {
    pub side: Side,
    /// The overlay file as it was passed in.
    pub overlay: String,
    /// The action's JSON pointer in the overlay, `/actions/N`.
    pub pointer: String,
    pub target: String,
    pub description: Option<String>,
}

/// Every change between two documents, in a stable order: document-level
/// changes, then operations by path and method, then types by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    pub changes: Vec<Change>,
    pub summary: Summary,
    /// Overlay actions skipped because their target matched nothing, old
    /// side first, each side in overlay and action order.
    pub stale_overlays: Vec<StaleOverlay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `title version` of each document.
    pub old: String,
    pub new: String,
    /// Hex SHA-256 of each document file, when the report was made from files:
    /// two documents can carry the same title and version.
    pub old_sha256: Option<String>,
    pub new_sha256: Option<String>,
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
    fn new(old: &Api, new: &Api, mut changes: Vec<Change>) -> DiffReport {
        modules::attribute(old, new, &mut changes);
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
            old_sha256: None,
            new_sha256: None,
            total: changes.len(),
            http,
            rust,
            rust_bump: changes.iter().map(|c| c.rust).max(),
            kinds,
        };
        DiffReport {
            changes,
            summary,
            stale_overlays: Vec::new(),
        }
    }

    /// Records the checksums of the two document files, for the title.
    pub fn with_sha256(mut self, old: impl Into<String>, new: impl Into<String>) -> DiffReport {
        self.summary.old_sha256 = Some(old.into());
        self.summary.new_sha256 = Some(new.into());
        self
    }

    /// Records overlay actions skipped on one side.
    pub fn with_stale_overlays(mut self, side: Side, stale: &[StaleAction]) -> DiffReport {
        self.stale_overlays
            .extend(stale.iter().map(|s| StaleOverlay {
                side,
                overlay: s.overlay.display().to_string(),
                pointer: s.pointer.clone(),
                target: s.target.clone(),
                description: s.description.clone(),
            }));
        self.stale_overlays.sort_by_key(|s| s.side);
        self
    }

    /// No change to the generated client (stale overlay actions aside).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn has_breaking(&self) -> bool {
        self.summary.http.breaking > 0
    }

    pub fn has_major(&self) -> bool {
        self.summary.rust.major > 0
    }

    /// Markdown for a pull-request comment: totals and breaking changes
    /// first, then the rest by area.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// A pull-request comment that always fits GitHub's limit
    /// ([`COMMENT_LIMIT`]), naming the files that hold the full reports.
    pub fn to_comment(&self, full: &FullReports<'_>) -> String {
        comment::render(self, full)
    }

    pub fn to_json(&self) -> String {
        // Every field is a string, number, list or map with string keys.
        serde_json::to_string_pretty(self).expect("a diff report always serializes")
    }
}

/// Compares two IRs.
pub fn compare(old: &Api, new: &Api) -> DiffReport {
    DiffReport::new(old, new, compare::changes(old, new))
}

/// Loads each document with its own overlays, builds their IRs and compares
/// them. The two documents are independent, so they load in parallel.
///
/// Each side has its own overlays so that a change to an overlay shows up
/// as drift (old document with the old overlays, new with the new). Overlay
/// actions that match nothing are skipped and listed in the report, never
/// fatal; a malformed overlay or document is an error. Both sides are read
/// with the same generator `settings`.
pub fn diff_documents(
    old: &Path,
    old_overlays: &[PathBuf],
    new: &Path,
    new_overlays: &[PathBuf],
    settings: &crate::settings::Settings,
) -> Result<DiffReport> {
    let build = |path: &Path, overlays: &[PathBuf]| -> Result<(Api, Vec<StaleAction>, String)> {
        let sha256 = crate::manifest::sha256_file(path)?;
        let (spec, stale) = crate::load::load_lenient(path, overlays)?;
        Ok((crate::ir::build(&spec, path, settings)?, stale, sha256))
    };
    let (old_side, new_side) = std::thread::scope(|s| {
        let old_job = s.spawn(|| build(old, old_overlays));
        let new_side = build(new, new_overlays);
        let old_side = old_job
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old_side, new_side)
    });
    let (old_api, old_stale, old_sha) = old_side?;
    let (new_api, new_stale, new_sha) = new_side?;
    Ok(compare(&old_api, &new_api)
        .with_sha256(old_sha, new_sha)
        .with_stale_overlays(Side::Old, &old_stale)
        .with_stale_overlays(Side::New, &new_stale))
}

/// Whether two descriptions read differently. Whitespace is not compared:
/// re-wrapped or re-indented text renders the same in rustdoc.
pub(crate) fn docs_differ(old: &Option<String>, new: &Option<String>) -> bool {
    fn words(text: &Option<String>) -> Vec<&str> {
        text.as_deref()
            .map_or_else(Vec::new, |t| t.split_whitespace().collect())
    }
    words(old) != words(new)
}
