//! Front ends: each format a document may be written in is brought to the
//! OpenAPI 3.0 tree that the checks, the overlays and `openapiv3` read.
//!
//! - OpenAPI 3.0.x is taken as it is.
//! - Swagger 2.0 is brought up by [`super::swagger2`].
//! - OpenAPI 3.1.x is brought down by [`super::openapi31`].
//!
//! Every rule of a conversion lives in its own module there. A conversion
//! records where it moved nodes ([`Origins`]), so an error found later
//! points into the document as written, and what it approximated or left
//! out ([`Note`]), so nothing is dropped silently.

mod origins;
pub mod type_lists;

use std::path::Path;

use serde_json::Value;

use crate::error::{CodegenError, Result};

pub use origins::Origins;

/// The formats the front ends read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Swagger2 => "Swagger 2.0",
            Format::OpenApi30 => "OpenAPI 3.0",
            Format::OpenApi31 => "OpenAPI 3.1",
        }
    }
}

/// Something a conversion approximated or did not use, with the rule that
/// did it and how often.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The rule's module, e.g. `openapi31::examples`.
    pub rule: &'static str,
    pub message: String,
    /// Pointers into the document as written: the first few places.
    pub at: Vec<String>,
    pub count: usize,
}

/// Collects notes, one per rule and message.
#[derive(Debug, Default)]
pub struct Notes {
    notes: Vec<Note>,
}

/// How many places a note spells out.
const PLACES: usize = 3;

impl Notes {
    pub fn add(&mut self, rule: &'static str, message: impl Into<String>, at: impl Into<String>) {
        let message = message.into();
        match self
            .notes
            .iter_mut()
            .find(|n| n.rule == rule && n.message == message)
        {
            Some(note) => {
                note.count += 1;
                if note.at.len() < PLACES {
                    note.at.push(at.into());
                }
            }
            None => self.notes.push(Note {
                rule,
                message,
                at: vec![at.into()],
                count: 1,
            }),
        }
    }

    pub fn into_vec(self) -> Vec<Note> {
        self.notes
    }
}

/// A document in the OpenAPI 3.0 form, with what its conversion recorded.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub tree: Value,
    pub format: Format,
    pub origins: Origins,
    pub notes: Vec<Note>,
}

/// Where a user learns how to fix a document the front ends refuse.
pub const ADVICE: &str =
    "fix it with an overlay (README, \"Overlays\") or pass another document with `--spec`";

/// Which format `raw` is written in, from its `swagger`/`openapi` field.
pub fn detect(path: &Path, raw: &Value) -> Result<Format> {
    if !raw.is_object() {
        return Err(CodegenError::new(
            path,
            "",
            "the document is not a mapping at its root",
        ));
    }
    let version = |key: &str| match raw.get(key) {
        Some(Value::String(v)) => Some(v.clone()),
        // YAML reads an unquoted `2.0` or `3.0` as a number.
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    if raw.get("swagger").is_some() {
        return match version("swagger").as_deref() {
            Some("2.0") => Ok(Format::Swagger2),
            other => Err(CodegenError::new(
                path,
                "/swagger",
                format!(
                    "Swagger version `{}` is not one this generator reads (Swagger 2.0, OpenAPI 3.0.x and 3.1.x are)",
                    other.unwrap_or("?")
                ),
            )),
        };
    }
    match version("openapi") {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => Ok(Format::OpenApi30),
        Some(v) if v.starts_with("3.1.") || v == "3.1" => Ok(Format::OpenApi31),
        Some(v) => Err(CodegenError::new(
            path,
            "/openapi",
            format!(
                "OpenAPI `{v}` is not a version this generator reads (Swagger 2.0, OpenAPI 3.0.x and 3.1.x are); pass another document with `--spec`"
            ),
        )),
        None => Err(CodegenError::new(
            path,
            "/openapi",
            "missing the `openapi` (or `swagger`) version field; this does not look like an OpenAPI document",
        )),
    }
}

/// Brings `raw` to the OpenAPI 3.0 form.
pub fn normalize(path: &Path, raw: Value) -> Result<Normalized> {
    let format = detect(path, &raw)?;
    let mut notes = Notes::default();
    let mut origins = Origins::default();
    let converted = match format {
        Format::OpenApi30 => Ok(raw),
        Format::Swagger2 => super::swagger2::convert(path, raw, &mut origins, &mut notes),
        Format::OpenApi31 => super::openapi31::convert(path, raw, &mut origins, &mut notes),
    };
    // A construct a front end cannot read says what to do about it.
    let tree = converted.map_err(|mut e| {
        if !e.reason.contains("overlay") {
            e.reason = format!("{} ({}); {ADVICE}", e.reason, format.label());
        }
        e
    })?;
    Ok(Normalized {
        tree,
        format,
        origins,
        notes: notes.into_vec(),
    })
}
