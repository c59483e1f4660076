//! OpenAPI Overlay 1.0 support: the way upstream spec defects are patched
//! with data instead of special cases in the generator.
//!
//! Targets are evaluated against a view of the document in which every
//! `$ref` to a shared parameter, response, request body or header is
//! replaced by the component it names. Documents differ in whether they
//! declare such things inline or behind a reference (the two JumpCloud
//! documents do both for the same header), and an overlay written against
//! one form should keep applying to the other. Schema references are left
//! alone: which schema is a named component decides type names, so a target
//! that wants a component schema has to say so.
//!
//! Replacing a reference keeps array indexes, so every location the view
//! yields is also a location in the real document, possibly one that passes
//! through (or ends at) a reference there. How each action treats such a
//! location is documented on [`apply_overlay`].

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json_path::JsonPath;

use super::refs::decode_fragment;
use crate::error::{CodegenError, Result};

/// Components whose references targets see through.
const SEE_THROUGH: [&str; 4] = [
    "#/components/parameters/",
    "#/components/responses/",
    "#/components/requestBodies/",
    "#/components/headers/",
];

/// Bounds reference chains and nesting (a response whose header is a
/// reference), so a cycle cannot make the view infinite; cycles are reported
/// later by the reference check.
const MAX_DEPTH: usize = 16;

/// An overlay action whose target matched nothing, so it was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleAction {
    pub overlay: PathBuf,
    /// JSON pointer of the action in the overlay, `/actions/N`.
    pub pointer: String,
    pub target: String,
    pub description: Option<String>,
}

impl StaleAction {
    /// What is wrong and what to do, blaming the overlay: the document is
    /// the input and the overlay is what has to follow it.
    pub fn advice(&self, document: &Path) -> String {
        format!(
            "`{}` matches nothing in {}: update the target in {} or delete the action",
            self.target,
            document.display(),
            self.overlay.display()
        )
    }
}

/// The one error a strict load gives for every stale action of every
/// overlay, so a document update that invalidates several is fixed in one go.
/// Each action is named by its `target` field, the thing to edit.
pub fn stale_error(document: &Path, stale: &[StaleAction]) -> CodegenError {
    match stale {
        [] => CodegenError::new(document, "", "no stale overlay actions"),
        [one] => CodegenError::new(
            &one.overlay,
            format!("{}/target", one.pointer),
            one.advice(document),
        ),
        [first, ..] => {
            let mut reason = format!("{} overlay actions are stale:", stale.len());
            for s in stale {
                reason.push_str(&format!(
                    "\n  - {}#{}/target: {}",
                    s.overlay.display(),
                    s.pointer,
                    s.advice(document)
                ));
            }
            CodegenError::new(&first.overlay, "", reason)
        }
    }
}

/// One validated action.
struct Action<'a> {
    index: usize,
    target: &'a str,
    path: JsonPath,
    description: Option<&'a str>,
    op: Op<'a>,
}

enum Op<'a> {
    Remove,
    Update(&'a Value),
    /// Overlay 1.1: merge a copy of the one node this path selects.
    Copy(JsonPath, &'a str),
}

/// A node an overlay action wrote, so an error found there later names
/// the action rather than the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayWrite {
    /// Pointer of the written node in the overlaid document.
    pub pointer: String,
    pub overlay: PathBuf,
    /// The action's index in the overlay's `actions`.
    pub action: usize,
}

/// Applies one Overlay document (`overlay: 1.0.x`, `actions: [...]`) in place
/// and returns the actions whose target matched nothing, which are skipped.
///
/// Each action selects nodes with an RFC 9535 JSONPath `target` and either
/// removes them (`remove: true`) or deep-merges `update` into them. Where a
/// selected node is reached through a reference to a shared component:
///
/// - A node that is the reference itself (a `$ref` item of an operation's
///   `parameters`, say): `remove` removes the reference from that place and
///   leaves the shared component alone; `update` first replaces the reference
///   with a copy of the component, then merges, so only that place changes.
/// - A node inside the referenced component: when the same target also
///   selects that node in the component itself (a `$..` query does), the
///   component is changed once and the reference kept; otherwise the
///   reference is replaced by a copy and the copy changed.
///
/// A malformed overlay (wrong version, a bad JSONPath, an action with
/// neither `remove` nor `update`) is an error before anything is applied.
pub fn apply_overlay(
    doc: &mut Value,
    overlay: &Value,
    overlay_path: &Path,
) -> Result<Vec<StaleAction>> {
    Overlaying::new(doc).apply(overlay, overlay_path)
}

/// A document being overlaid, with the view its targets are evaluated on.
///
/// Building the view copies the whole document, so it is built once and kept
/// up to date between actions, and between the overlays of one load: after
/// an action only the entries it changed (a path item, a schema) are copied
/// again. A change to a component that references resolve to can show up
/// anywhere in the view, so it rebuilds all of it.
pub(super) struct Overlaying<'a> {
    doc: &'a mut Value,
    /// Every node an update wrote, in order.
    pub(super) writes: Vec<OverlayWrite>,
    /// `None` until the first query, and after a change that needs a full rebuild.
    view: Option<Value>,
    /// Pointers of the view's entries that no longer match the document.
    changed: BTreeSet<String>,
}

impl<'a> Overlaying<'a> {
    pub(super) fn new(doc: &'a mut Value) -> Self {
        Overlaying {
            doc,
            writes: Vec::new(),
            view: None,
            changed: BTreeSet::new(),
        }
    }

    /// Applies one overlay; see [`apply_overlay`].
    pub(super) fn apply(
        &mut self,
        overlay: &Value,
        overlay_path: &Path,
    ) -> Result<Vec<StaleAction>> {
        let actions = parse(overlay, overlay_path)?;
        let mut stale = Vec::new();
        for action in &actions {
            // Each action sees the document as the previous ones left it.
            let pointers = select(action, self.view());
            if pointers.is_empty() {
                stale.push(StaleAction {
                    overlay: overlay_path.to_path_buf(),
                    pointer: format!("/actions/{}", action.index),
                    target: action.target.to_string(),
                    description: action.description.map(str::to_string),
                });
                continue;
            }
            let copied;
            let update = match &action.op {
                Op::Remove => None,
                Op::Update(update) => Some(*update),
                Op::Copy(source, spelled) => {
                    let found = source.query(self.view()).all();
                    let [one] = found.as_slice() else {
                        return Err(CodegenError::new(
                            overlay_path,
                            format!("/actions/{}/copy", action.index),
                            format!(
                                "`{spelled}` selects {} nodes; `copy` needs exactly one",
                                found.len()
                            ),
                        ));
                    };
                    copied = (*one).clone();
                    Some(&copied)
                }
            };
            for (pointer, replaced_from) in apply_action(self.doc, update, &pointers) {
                if let Some(update) = update {
                    record_writes(
                        &pointer,
                        update,
                        overlay_path,
                        action.index,
                        &mut self.writes,
                    );
                }
                self.changed_at(&pointer, replaced_from, update.is_none());
            }
        }
        Ok(stale)
    }

    /// The view of the document as it is now.
    fn view(&mut self) -> &Value {
        let current = match self.view.take() {
            Some(mut view) => {
                let changed = std::mem::take(&mut self.changed);
                let refreshed = changed
                    .iter()
                    .all(|entry| recopy(self.doc, &mut view, entry));
                if refreshed {
                    view
                } else {
                    resolved_view(self.doc)
                }
            }
            None => resolved_view(self.doc),
        };
        self.changed.clear();
        self.view.insert(current)
    }

    /// Records a change at `pointer` (a removal of the node there when
    /// `removed`), where references along it were replaced by copies from its
    /// `replaced_from`-th token on.
    fn changed_at(&mut self, pointer: &str, replaced_from: Option<usize>, removed: bool) {
        match entry_of(pointer) {
            // Removing an entry itself changes the node above it, and
            // shifts the array items after it.
            Some((entry, depth))
                if replaced_from.is_none_or(|at| at >= depth)
                    && !(removed && entry.len() == pointer.len()) =>
            {
                self.changed.insert(entry.to_string());
            }
            _ => self.view = None,
        }
    }
}

/// Applies one action at the locations its target selected, and returns
/// each changed pointer of the document, with the token from which
/// references along it were replaced by copies (if any were).
fn apply_action(
    doc: &mut Value,
    update: Option<&Value>,
    pointers: &[String],
) -> Vec<(String, Option<usize>)> {
    let located: Vec<Located> = pointers.iter().filter_map(|p| locate(doc, p)).collect();
    // Nodes selected where they are defined, not through a reference.
    let direct: BTreeSet<&str> = located
        .iter()
        .filter(|l| !l.inside_ref)
        .map(|l| l.site.as_str())
        .collect();
    let mut changed = Vec::new();
    match update {
        None => {
            let mut removals = Vec::new();
            for l in &located {
                if l.inside_ref && direct.contains(l.site.as_str()) {
                    continue;
                }
                let replaced = if l.inside_ref {
                    materialize(doc, &l.pointer, false)
                } else {
                    None
                };
                changed.push((l.pointer.clone(), replaced));
                removals.push(l.pointer.as_str());
            }
            // Remove from the back so earlier array indexes stay valid.
            removals.sort_by_key(|p| std::cmp::Reverse(pointer_key(p)));
            for pointer in removals {
                remove_at(doc, pointer);
            }
        }
        Some(update) => {
            for l in &located {
                let covered = if l.inside_ref {
                    direct.contains(l.site.as_str())
                } else {
                    l.component.as_deref().is_some_and(|c| direct.contains(c))
                };
                if covered {
                    continue;
                }
                let replaced = materialize(doc, &l.pointer, true);
                changed.push((l.pointer.clone(), replaced));
                if let Some(node) = doc.pointer_mut(&l.pointer) {
                    merge(node, update);
                }
            }
        }
    }
    changed
}

/// The entry of the view a change at `pointer` is confined to, with its
/// number of tokens: two (`/paths/{path}`), or three under `/components`
/// (`/components/schemas/{name}`). `None` when the change can reach further:
/// it is above that level, or in a component that references resolve to.
fn entry_of(pointer: &str) -> Option<(&str, usize)> {
    let mut tokens = tokens(pointer);
    let first = tokens.next()?;
    let depth = if first == "components" {
        let section = tokens.next()?;
        if SEE_THROUGH
            .iter()
            .any(|prefix| prefix.split('/').nth(2) == Some(section))
        {
            return None;
        }
        3
    } else {
        2
    };
    // Byte offset of the end of the entry's last token.
    let end = pointer
        .match_indices('/')
        .map(|(i, _)| i)
        .chain(std::iter::once(pointer.len()))
        .nth(depth)?;
    Some((&pointer[..end], depth))
}

/// Copies the document's `entry` into the view again, as a full rebuild
/// would; `false` when it cannot (the entry was added or removed, or a node
/// above it is a reference), so the view has to be rebuilt.
fn recopy(doc: &Value, view: &mut Value, entry: &str) -> bool {
    let mut above = String::new();
    for token in tokens(entry) {
        match doc.pointer(&above) {
            Some(node) if component_ref(node).is_none() => {}
            _ => return false,
        }
        above = format!("{above}/{token}");
    }
    match (doc.pointer(entry), view.pointer_mut(entry)) {
        (Some(source), Some(slot)) => {
            *slot = copy_resolved(doc, source, MAX_DEPTH);
            true
        }
        _ => false,
    }
}

/// Checks the whole overlay before any of it is applied.
fn parse<'a>(overlay: &'a Value, overlay_path: &Path) -> Result<Vec<Action<'a>>> {
    let version = overlay.get("overlay").and_then(Value::as_str).unwrap_or("");
    if !(version.starts_with("1.0.") || version.starts_with("1.1.")) {
        return Err(CodegenError::new(
            overlay_path,
            "/overlay",
            "expected `overlay: 1.0.0` or `overlay: 1.1.0`",
        ));
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| CodegenError::new(overlay_path, "/actions", "expected a list of actions"))?;
    let mut parsed = Vec::with_capacity(actions.len());
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                CodegenError::new(
                    overlay_path,
                    format!("{at}/target"),
                    "missing JSONPath target",
                )
            })?;
        let path = JsonPath::parse(target).map_err(|e| {
            CodegenError::new(
                overlay_path,
                format!("{at}/target"),
                format!("bad JSONPath: {e}"),
            )
        })?;
        let remove = action
            .get("remove")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let op = match (action.get("update"), action.get("copy")) {
            _ if remove => Op::Remove,
            (Some(update), None) => Op::Update(update),
            (None, Some(copy)) => {
                let spelled = copy.as_str().ok_or_else(|| {
                    CodegenError::new(
                        overlay_path,
                        format!("{at}/copy"),
                        "`copy` must be a JSONPath",
                    )
                })?;
                let source = JsonPath::parse(spelled).map_err(|e| {
                    CodegenError::new(
                        overlay_path,
                        format!("{at}/copy"),
                        format!("bad JSONPath: {e}"),
                    )
                })?;
                Op::Copy(source, spelled)
            }
            (Some(_), Some(_)) => {
                return Err(CodegenError::new(
                    overlay_path,
                    at,
                    "an action has either an `update` or a `copy`, not both",
                ));
            }
            (None, None) => {
                return Err(CodegenError::new(
                    overlay_path,
                    at,
                    "an action needs `remove: true`, an `update` or a `copy`",
                ));
            }
        };
        parsed.push(Action {
            index,
            target,
            path,
            description: action
                .get("description")
                .and_then(Value::as_str)
                .map(str::trim),
            op,
        });
    }
    Ok(parsed)
}

/// The reference of a node that is a `$ref` to a see-through component.
fn component_ref(node: &Value) -> Option<&str> {
    let reference = node.as_object()?.get("$ref")?.as_str()?;
    SEE_THROUGH
        .iter()
        .any(|prefix| reference.starts_with(prefix))
        .then_some(reference)
}

/// Follows a chain of component references to the node at its end, with
/// that node's pointer.
fn resolve_chain<'a>(doc: &'a Value, reference: &str) -> Option<(String, &'a Value)> {
    let mut pointer = decode_fragment(reference.strip_prefix('#')?);
    for _ in 0..MAX_DEPTH {
        let node = crate::pointer::get(doc, &pointer)?;
        match component_ref(node) {
            Some(next) => pointer = decode_fragment(next.strip_prefix('#')?),
            None => return Some((pointer, node)),
        }
    }
    None
}

/// The JSON pointers of the nodes `action` selects in `view`, in the order
/// the query gives them.
///
/// A located query builds the path of every node it passes, which for a
/// descendant query (`$..`) is every node of the document; such a query is
/// evaluated plain instead, and its nodes placed by one walk of the tree.
fn select(action: &Action<'_>, view: &Value) -> Vec<String> {
    if !action.target.contains("..") {
        return action
            .path
            .query_located(view)
            .locations()
            .map(|loc| loc.to_json_pointer())
            .collect();
    }
    let found = action.path.query(view).all();
    if found.is_empty() {
        return Vec::new();
    }
    let mut placed: HashMap<*const Value, Option<String>> = found
        .iter()
        .map(|node| (std::ptr::from_ref(*node), None))
        .collect();
    place(view, &mut String::new(), &mut placed);
    found
        .iter()
        .filter_map(|node| placed.get(&std::ptr::from_ref(*node)).cloned().flatten())
        .collect()
}

/// Fills in the pointer of every node of `placed` found under `node`,
/// which is at `pointer`.
fn place(node: &Value, pointer: &mut String, placed: &mut HashMap<*const Value, Option<String>>) {
    if let Some(slot) = placed.get_mut(&std::ptr::from_ref(node)) {
        *slot = Some(pointer.clone());
    }
    let len = pointer.len();
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&crate::pointer::escape(key));
                place(child, pointer, placed);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                place(child, pointer, placed);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// A copy of the document with see-through references replaced by what
/// they point at; references that cannot be resolved stay as they are.
///
/// `paths`, the larger half of any API document, is copied on a thread of
/// its own beside the rest.
fn resolved_view(doc: &Value) -> Value {
    let Some(map) = doc.as_object() else {
        return copy_resolved(doc, doc, MAX_DEPTH);
    };
    let (paths, rest) = std::thread::scope(|scope| {
        let paths = map
            .get("paths")
            .map(|paths| scope.spawn(|| copy_resolved(doc, paths, MAX_DEPTH)));
        let rest: Vec<(String, Option<Value>)> = map
            .iter()
            .map(|(key, node)| {
                let copied = (key != "paths").then(|| copy_resolved(doc, node, MAX_DEPTH));
                (key.clone(), copied)
            })
            .collect();
        let paths = paths.map(|handle| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (paths, rest)
    });
    let mut paths = paths;
    Value::Object(
        rest.into_iter()
            .map(|(key, copied)| {
                let node = copied.or_else(|| paths.take()).unwrap_or_default();
                (key, node)
            })
            .collect(),
    )
}

/// The view of `node`, following at most `depth` references in a row.
fn copy_resolved(doc: &Value, node: &Value, depth: usize) -> Value {
    if let Some(reference) = component_ref(node) {
        return match resolve_chain(doc, reference) {
            Some((_, target)) if depth > 0 => copy_resolved(doc, target, depth - 1),
            _ => node.clone(),
        };
    }
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), copy_resolved(doc, v, depth)))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| copy_resolved(doc, v, depth)).collect())
        }
        other => other.clone(),
    }
}

/// A location selected in the view, placed in the real document.
struct Located {
    /// The pointer as selected; valid in the real document once the
    /// references along it are replaced by copies.
    pointer: String,
    /// Where the selected node is defined: the pointer with every reference
    /// before its last token followed.
    site: String,
    /// Whether a reference was followed to reach the node.
    inside_ref: bool,
    /// When the node at `site` is itself a reference: the component it names.
    component: Option<String>,
}

fn locate(doc: &Value, pointer: &str) -> Option<Located> {
    let mut node = doc;
    let mut site = String::new();
    let mut inside_ref = false;
    for token in tokens(pointer) {
        if let Some(reference) = component_ref(node) {
            let (target_pointer, target) = resolve_chain(doc, reference)?;
            node = target;
            site = target_pointer;
            inside_ref = true;
        }
        node = node.pointer(&format!("/{token}"))?;
        site = format!("{site}/{token}");
    }
    let component = component_ref(node)
        .and_then(|reference| resolve_chain(doc, reference))
        .map(|(target_pointer, _)| target_pointer);
    Some(Located {
        pointer: pointer.to_string(),
        site,
        inside_ref,
        component,
    })
}

/// The escaped reference tokens of a JSON pointer.
fn tokens(pointer: &str) -> impl Iterator<Item = &str> {
    pointer.split('/').skip(1)
}

/// Replaces each see-through reference along `pointer` (and the one at its
/// end when `including_last`) with a copy of its component, so that a change
/// there stays local to that place. Returns how many tokens lead to the first
/// reference replaced, if one was.
fn materialize(doc: &mut Value, pointer: &str, including_last: bool) -> Option<usize> {
    let tokens: Vec<&str> = tokens(pointer).collect();
    let mut at = String::new();
    let mut first = None;
    for i in 0..=tokens.len() {
        if i < tokens.len() || including_last {
            let copy = doc
                .pointer(&at)
                .and_then(component_ref)
                .and_then(|reference| resolve_chain(doc, reference))
                .map(|(_, target)| target.clone());
            if let (Some(copy), Some(slot)) = (copy, doc.pointer_mut(&at)) {
                *slot = copy;
                first = first.or(Some(i));
            }
        }
        if let Some(token) = tokens.get(i) {
            at = format!("{at}/{token}");
        }
    }
    first
}

/// Orders pointers so that numeric tokens compare as numbers.
fn pointer_key(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|t| match t.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, t.to_string()),
        })
        .collect()
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let token = crate::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&token);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = token.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Records the nodes an update merged at `pointer` wrote: each leaf of the
/// update, and each object it added.
fn record_writes(
    pointer: &str,
    update: &Value,
    overlay: &Path,
    action: usize,
    out: &mut Vec<OverlayWrite>,
) {
    let mut stack = vec![(pointer.to_string(), update)];
    while let Some((at, value)) = stack.pop() {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, inner) in map {
                    stack.push((crate::pointer::push(&at, key), inner));
                }
            }
            _ => out.push(OverlayWrite {
                pointer: at,
                overlay: overlay.to_path_buf(),
                action,
            }),
        }
    }
}

fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(patch)) => {
            for (k, v) in patch {
                match target.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(patch)) => target.extend(patch.iter().cloned()),
        (node, update) => *node = update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document declaring the same header inline on one operation and
    /// through a shared parameter on two others, as the two JumpCloud
    /// documents do between them.
    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {"get": {"parameters": [
                    {"in": "query", "name": "limit", "schema": {"type": "integer"}},
                    {"in": "header", "name": "x-total-count", "schema": {"type": "integer"}}
                ]}},
                "/b": {"get": {"parameters": [
                    {"$ref": "#/components/parameters/limit"},
                    {"$ref": "#/components/parameters/total"}
                ]}},
                "/c": {"get": {
                    "parameters": [{"$ref": "#/components/parameters/total"}],
                    "responses": {"400": {"$ref": "#/components/responses/Bad"}}
                }}
            },
            "components": {
                "parameters": {
                    "limit": {"in": "query", "name": "limit", "schema": {"type": "integer", "format": "uint32"}},
                    "total": {"in": "header", "name": "x-total-count", "schema": {"type": "integer"}}
                },
                "responses": {
                    "Bad": {"description": "bad", "content": {"text/html": {"schema": {"$ref": "#/components/schemas/Err"}}}}
                },
                "schemas": {"Err": {"type": "object"}}
            }
        })
    }

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    fn apply(doc: &mut Value, actions: Value) -> Result<Vec<StaleAction>> {
        apply_overlay(doc, &overlay(actions), Path::new("fix.yaml"))
    }

    #[test]
    fn remove_sees_through_parameter_references_and_keeps_the_component() {
        let mut doc = document();
        let stale = apply(
            &mut doc,
            json!([{"target": "$.paths.*.*.parameters[?@.in == 'header' && @.name == 'x-total-count']", "remove": true}]),
        )
        .unwrap();
        assert!(stale.is_empty());
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([{"in": "query", "name": "limit", "schema": {"type": "integer"}}])
        );
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        assert_eq!(doc["paths"]["/c"]["get"]["parameters"], json!([]));
        // Other references may still use it.
        assert_eq!(
            doc["components"]["parameters"]["total"]["name"],
            "x-total-count"
        );
    }

    #[test]
    fn update_at_a_reference_inlines_a_copy_there_only() {
        let mut doc = document();
        apply(
            &mut doc,
            json!([{"target": "$.paths['/b'].get.parameters[?@.name == 'limit']", "update": {"description": "page size"}}]),
        )
        .unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"][0],
            json!({"in": "query", "name": "limit", "schema": {"type": "integer", "format": "uint32"}, "description": "page size"})
        );
        assert_eq!(
            doc["components"]["parameters"]["limit"].get("description"),
            None
        );
    }

    #[test]
    fn update_inside_a_reference_inlines_a_copy_unless_the_component_is_selected_too() {
        // Only through the operation: the operation gets its own copy.
        let mut doc = document();
        apply(
            &mut doc,
            json!([{"target": "$.paths['/b'].get.parameters[0].schema", "update": {"maximum": 100}}]),
        )
        .unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"][0]["schema"],
            json!({"type": "integer", "format": "uint32", "maximum": 100})
        );
        assert_eq!(
            doc["components"]["parameters"]["limit"]["schema"],
            json!({"type": "integer", "format": "uint32"})
        );

        // A descendant query selects the component's schema as well: it
        // changes once, there, and the reference stays.
        let mut doc = document();
        apply(
            &mut doc,
            json!([{"target": "$..[?@.type == 'integer' && @.format == 'uint32']", "update": {"minimum": 0}}]),
        )
        .unwrap();
        assert_eq!(
            doc["components"]["parameters"]["limit"]["schema"]["minimum"],
            0
        );
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/limit"})
        );
    }

    #[test]
    fn response_references_are_seen_through_and_schema_references_are_not() {
        let mut doc = document();
        let stale = apply(
            &mut doc,
            json!([
                {"target": "$.paths['/c'].get.responses['400'].content['text/html']", "remove": true},
                {"target": "$.components.responses.Bad.content.*.schema.type", "remove": true}
            ]),
        )
        .unwrap();
        assert_eq!(
            doc["paths"]["/c"]["get"]["responses"]["400"],
            json!({"description": "bad", "content": {}})
        );
        assert_eq!(
            doc["components"]["responses"]["Bad"]["content"]["text/html"]["schema"],
            json!({"$ref": "#/components/schemas/Err"})
        );
        // The schema behind `$ref` is not part of the view.
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].pointer, "/actions/1");
    }

    #[test]
    fn descendant_queries_select_what_the_located_query_selects() {
        let doc = json!({
            "paths": {
                "/a~b/{id}": {"get": {"parameters": [
                    {"schema": {"type": "integer", "format": "uint32"}},
                    {"schema": {"type": "string"}},
                    {"schema": {"type": "integer", "items": [{"type": "integer"}]}}
                ]}}
            },
            "components": {"schemas": {"N": {"type": "integer", "format": "uint32"}}}
        });
        for target in [
            "$..[?@.type == 'integer']",
            "$..[?@.type == 'integer' && @.format == 'uint32']",
            "$..schema",
            "$..['type','type']",
            "$..[?@.type == 'boolean']",
        ] {
            let action = Action {
                index: 0,
                target,
                path: JsonPath::parse(target).unwrap(),
                description: None,
                op: Op::Remove,
            };
            let located: Vec<String> = action
                .path
                .query_located(&doc)
                .locations()
                .map(|loc| loc.to_json_pointer())
                .collect();
            assert_eq!(select(&action, &doc), located, "{target}");
        }
    }

    #[test]
    fn every_stale_action_is_collected_and_the_others_still_apply() {
        let mut doc = document();
        let stale = apply(
            &mut doc,
            json!([
                {"target": "$.paths['/gone']", "remove": true, "description": "dropped upstream"},
                {"target": "$.paths['/a'].get.parameters[0]", "update": {"description": "page size"}},
                {"target": "$.paths['/a'].post", "update": {"summary": "x"}}
            ]),
        )
        .unwrap();
        assert_eq!(
            stale,
            vec![
                StaleAction {
                    overlay: PathBuf::from("fix.yaml"),
                    pointer: "/actions/0".into(),
                    target: "$.paths['/gone']".into(),
                    description: Some("dropped upstream".into()),
                },
                StaleAction {
                    overlay: PathBuf::from("fix.yaml"),
                    pointer: "/actions/2".into(),
                    target: "$.paths['/a'].post".into(),
                    description: None,
                },
            ]
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["description"],
            "page size"
        );

        let error = stale_error(Path::new("api.yaml"), &stale).to_string();
        assert!(
            error.starts_with("fix.yaml: 2 overlay actions are stale"),
            "{error}"
        );
        assert!(
            error.contains(
                "fix.yaml#/actions/0/target: `$.paths['/gone']` matches nothing in api.yaml: \
                 update the target in fix.yaml or delete the action"
            ),
            "{error}"
        );
        assert!(
            error
                .contains("\n  - fix.yaml#/actions/2/target: `$.paths['/a'].post` matches nothing"),
            "{error}"
        );
        let one = stale_error(Path::new("api.yaml"), &stale[..1]).to_string();
        assert_eq!(
            one,
            "fix.yaml#/actions/0/target: `$.paths['/gone']` matches nothing in api.yaml: \
             update the target in fix.yaml or delete the action"
        );
    }

    #[test]
    fn malformed_overlays_fail_before_anything_is_applied() {
        let cases = [
            (json!({"overlay": "2.0.0", "actions": []}), "/overlay"),
            (json!({"overlay": "1.0.0"}), "/actions"),
            (
                overlay(json!([
                    {"target": "$.paths['/a']", "remove": true},
                    {"target": "$.paths[", "remove": true}
                ])),
                "/actions/1/target",
            ),
            (
                overlay(json!([{"target": "$.paths['/a']", "remove": true}, {"remove": true}])),
                "/actions/1/target",
            ),
            (
                overlay(
                    json!([{"target": "$.paths['/a']", "remove": true}, {"target": "$.paths"}]),
                ),
                "/actions/1",
            ),
            // The regular-expression functions are not built in (README).
            (
                overlay(json!([
                    {"target": "$.paths['/a']", "remove": true},
                    {"target": "$.paths[?match(@.get.summary, 'A.*')]", "remove": true}
                ])),
                "/actions/1/target",
            ),
        ];
        for (overlay, pointer) in cases {
            let mut doc = document();
            let error = apply_overlay(&mut doc, &overlay, Path::new("fix.yaml")).unwrap_err();
            assert_eq!(error.pointer, pointer, "{error}");
            assert_eq!(doc, document(), "{error}");
        }
    }

    /// Applies each action of `actions` on its own and checks after each that
    /// the view kept up to date is, key order included, a freshly built one.
    fn assert_view_kept(doc: &mut Value, actions: &[Value]) {
        let mut overlaying = Overlaying::new(doc);
        for action in actions {
            overlaying
                .apply(&overlay(json!([action])), Path::new("fix.yaml"))
                .unwrap();
            let kept = serde_json::to_string(overlaying.view()).unwrap();
            let fresh = serde_json::to_string(&resolved_view(overlaying.doc)).unwrap();
            assert!(kept == fresh, "the view differs after {action}");
        }
    }

    #[test]
    fn the_view_kept_between_actions_is_the_one_a_rebuild_gives() {
        let mut doc = document();
        doc["tags"] = json!([{"name": "a"}, {"name": "b"}, {"name": "c"}]);
        let actions = json!([
            {"target": "$.paths['/b'].get.parameters[0].schema", "update": {"maximum": 100}},
            {"target": "$.tags[0]", "remove": true},
            {"target": "$.tags[?@.name == 'c']", "update": {"description": "c"}},
            {"target": "$.paths['/b'].get.parameters[?@.name == 'limit']", "update": {"description": "page size"}},
            {"target": "$.paths['/c'].get.responses['400'].description", "update": "worse"},
            {"target": "$..[?@.type == 'integer' && @.format == 'uint32']", "update": {"minimum": 0}},
            {"target": "$.components.parameters.total", "update": {"description": "total"}},
            {"target": "$.components.schemas.Err", "update": {"title": "Err"}},
            {"target": "$.paths.*.*.parameters[?@.name == 'x-total-count']", "remove": true},
            {"target": "$.paths['/a']", "remove": true},
            {"target": "$.paths", "update": {"/d": {"get": {}}}},
            {"target": "$.paths['/d'].get", "update": {"summary": "d"}}
        ]);
        assert_view_kept(&mut doc, actions.as_array().unwrap());
    }

    #[test]
    fn the_view_kept_between_actions_on_the_real_documents() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let documents = [
            "jumpcloud-v2.openapi.yaml",
            "jumpcloud-v2-source.openapi.yaml",
        ]
        .map(|name| root.join("../shared/spec").join(name));
        let overlays = ["request-header-fixes.yaml", "response-fixes.yaml"]
            .map(|name| root.join("spec/overlays").join(name));
        for document in documents {
            if !document.exists() {
                println!("skipped: {} is absent", document.display());
                continue;
            }
            let mut doc = super::super::read_tree(&document).unwrap();
            let mut actions = Vec::new();
            for overlay in &overlays {
                let tree = super::super::read_tree(overlay).unwrap();
                actions.extend(tree["actions"].as_array().unwrap().iter().cloned());
            }
            assert_view_kept(&mut doc, &actions);
        }
    }

    #[test]
    fn reference_cycles_leave_the_view_finite() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/p"}]}}},
            "components": {"parameters": {
                "p": {"$ref": "#/components/parameters/q"},
                "q": {"$ref": "#/components/parameters/p"}
            }}
        });
        let stale = apply(
            &mut doc,
            json!([{"target": "$.paths.*.*.parameters[?@.name == 'x']", "remove": true}]),
        )
        .unwrap();
        assert_eq!(stale.len(), 1);
    }
}
