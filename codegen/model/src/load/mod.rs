//! Reading an API description from disk into a checked `openapiv3::OpenAPI`.
//!
//! The pipeline: parse (YAML/JSON) → front end ([`front`]: Swagger 2.0 and
//! OpenAPI 3.1 brought to 3.0) → overlays → reference and value checks →
//! `openapiv3`. Errors point into the document as written ([`Provenance`]).

pub mod front;
mod openapi31;
mod overlay;
mod parse;
mod provenance;
mod refs;
mod schemas;
mod swagger2;
mod validate;
mod yaml_parts;

use std::path::{Path, PathBuf};

use crate::error::{CodegenError, Result};

pub use front::{Format, Note};
pub use overlay::{OverlayWrite, StaleAction, apply_overlay, stale_error};
pub use parse::parse_document;
pub use provenance::Provenance;
pub use refs::check_references;
pub use validate::validate;

/// A document as loaded: the raw JSON tree (in the OpenAPI 3.0 form, after
/// overlays), its typed form, and what its front end recorded.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub raw: serde_json::Value,
    pub openapi: openapiv3::OpenAPI,
    /// The format the document was written in.
    pub format: Format,
    /// What the front end approximated or did not use.
    pub notes: Vec<Note>,
    /// Where nodes of `raw` came from, for errors found later.
    pub provenance: Provenance,
}

/// Reads `path`, applies each overlay in order, validates and converts it.
///
/// An overlay action whose target matches nothing fails the load, since the
/// generated client would silently lose a fix; the error lists every such
/// action of every overlay at once. Errors in the document itself come first.
pub fn load(path: &Path, overlays: &[PathBuf]) -> Result<LoadedSpec> {
    let (spec, stale) = load_lenient(path, overlays)?;
    // A broken document is reported first: every action may be stale only
    // because the document is not the one the overlays were written for.
    if !stale.is_empty() {
        return Err(stale_error(path, &stale));
    }
    Ok(spec)
}

/// Like [`load`], but stale overlay actions are skipped and returned instead
/// of failing: for comparing documents, where an overlay written for one of
/// them need not fit the other. Malformed overlays still fail.
pub fn load_lenient(path: &Path, overlays: &[PathBuf]) -> Result<(LoadedSpec, Vec<StaleAction>)> {
    let normalized = front::normalize(path, read_tree(path)?)?;
    let mut raw = normalized.tree;
    let mut stale = Vec::new();
    // Overlays apply to the 3.0 form, so one overlay fits a document in
    // any format. One view of the document serves every overlay.
    let mut overlaying = overlay::Overlaying::new(&mut raw);
    for overlay in overlays {
        let overlay_tree = read_tree(overlay)?;
        stale.extend(overlaying.apply(&overlay_tree, overlay)?);
    }
    let writes = std::mem::take(&mut overlaying.writes);
    let provenance = Provenance::new(normalized.origins, writes);
    let spec = checked(path, raw, normalized.format, normalized.notes, provenance)?;
    Ok((spec, stale))
}

/// Brings an in-memory tree, in any format the front ends read, to the
/// OpenAPI 3.0 form, validates it and converts it to the typed form.
pub fn from_tree(path: &Path, raw: serde_json::Value) -> Result<LoadedSpec> {
    let normalized = front::normalize(path, raw)?;
    let provenance = Provenance::new(normalized.origins, Vec::new());
    checked(
        path,
        normalized.tree,
        normalized.format,
        normalized.notes,
        provenance,
    )
}

/// Validates a tree in the 3.0 form and converts it to the typed form.
///
/// The reference and value checks run beside the conversion, on a second
/// thread; their errors are reported in the order the checks are listed, as
/// if one had run after the other.
fn checked(
    path: &Path,
    raw: serde_json::Value,
    format: Format,
    notes: Vec<Note>,
    provenance: Provenance,
) -> Result<LoadedSpec> {
    let ((references, values), converted) = std::thread::scope(|scope| {
        let checks = scope.spawn(|| {
            let references = check_references(path, &raw);
            let values = references.is_ok().then(|| validate(path, &raw));
            (references, values)
        });
        let converted = convert(path, &raw);
        let checks = checks
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (checks, converted)
    });
    let located = |e| provenance.locate(e, path);
    references.map_err(located)?;
    let openapi = converted.map_err(located)?;
    // After the shape checks, so a node of the wrong shape is reported as such.
    values.unwrap_or(Ok(())).map_err(located)?;
    Ok(LoadedSpec {
        raw,
        openapi,
        format,
        notes,
        provenance,
    })
}

/// The tree in `openapiv3`'s typed form.
fn convert(path: &Path, raw: &serde_json::Value) -> Result<openapiv3::OpenAPI> {
    // Tracking the path costs a third of the conversion, so it is only done
    // again for a document that fails, to say where.
    match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(raw) {
        Ok(openapi) => Ok(openapi),
        Err(_) => serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw),
    }
    .map_err(|e| {
        let pointer = serde_path_pointer(e.path());
        let (pointer, reason) = refine(raw, &pointer).unwrap_or((pointer, e.inner().to_string()));
        CodegenError::new(
            path,
            pointer,
            format!("not a valid OpenAPI 3.0 node: {reason}"),
        )
    })
}

/// Whether `key` of a path item is an operation's method.
pub fn is_method(key: &str) -> bool {
    validate::METHODS.contains(&key)
}

/// Reads a YAML or JSON file into a JSON tree.
pub fn read_tree(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CodegenError::new(path, "", format!("cannot read file: {e}")))?;
    parse_document(&text).map_err(|reason| {
        CodegenError::new(
            path,
            "",
            format!(
                "{reason}; fix the file (for the API document, or pass another one with `--spec`)"
            ),
        )
    })
}

/// `openapiv3` flattens maps, so its error path can stop at `/paths` or
/// `/components`; checking each member on its own finds the real node.
fn refine(raw: &serde_json::Value, pointer: &str) -> Option<(String, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        raw: &serde_json::Value,
        base: &str,
    ) -> Option<(String, String)> {
        let map = raw.pointer(base)?.as_object()?;
        for (key, node) in map {
            let at = crate::error::push_pointer(base, key);
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(node) {
                let inner = serde_path_pointer(e.path());
                return Some((format!("{at}{inner}"), e.inner().to_string()));
            }
        }
        None
    }
    match pointer {
        "" | "/paths" => {
            let paths = raw.get("paths")?.as_object()?;
            paths
                .iter()
                .find_map(|(p, item)| {
                    let item_at = crate::error::push_pointer("/paths", p);
                    validate::METHODS.iter().find_map(|method| {
                        let op = item.get(*method)?;
                        serde_path_to_error::deserialize::<_, openapiv3::Operation>(op)
                            .err()
                            .map(|e| {
                                let at = crate::error::push_pointer(&item_at, method);
                                let inner = serde_path_pointer(e.path());
                                (format!("{at}{inner}"), e.inner().to_string())
                            })
                    })
                })
                .or_else(|| first_error::<openapiv3::PathItem>(raw, "/paths"))
        }
        "/components" => first_error::<openapiv3::Schema>(raw, "/components/schemas")
            .or_else(|| first_error::<openapiv3::Parameter>(raw, "/components/parameters"))
            .or_else(|| first_error::<openapiv3::Response>(raw, "/components/responses"))
            .or_else(|| first_error::<openapiv3::RequestBody>(raw, "/components/requestBodies")),
        _ => None,
    }
}

fn serde_path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer = crate::error::push_pointer(&pointer, &index.to_string())
            }
            Segment::Map { key } => pointer = crate::error::push_pointer(&pointer, key),
            Segment::Enum { variant } => pointer = crate::error::push_pointer(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}
