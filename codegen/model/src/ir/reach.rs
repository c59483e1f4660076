//! Which cargo features compile each generated item: per-tag features with
//! closed type sets.
//!
//! An operation is compiled by its tag module's feature, and also by the
//! System Context feature when it accepts System Context Authorization. A
//! named type is compiled by every feature one of whose operations reaches it
//! through a parameter, a body, a success or error response, or a paging
//! item, following struct fields, map values, union members and aliases
//! transitively. A type no operation reaches is compiled by `full` only.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Dfs;

use super::model::{Api, ApiModule, BodyKind, Operation, TypeDef, TypeRef};

/// The feature enabling every tag (and the runtime features).
pub const FULL: &str = "full";
/// The feature of System Context Authorization.
pub const SYSTEM_CONTEXT: &str = "system-context";
/// The runtime feature that sends `multipart/form-data` bodies.
pub const MULTIPART: &str = "multipart";

/// A set of features; an item is compiled when any of them is enabled.
pub type FeatureSet = BTreeSet<String>;

/// The features compiling each type, error body and module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// By type name; every type is present.
    pub types: BTreeMap<String, FeatureSet>,
    /// By error body variant.
    pub error_bodies: BTreeMap<String, FeatureSet>,
    /// By error set name ([`super::error_sets`]).
    pub error_sets: BTreeMap<String, FeatureSet>,
}

impl Reach {
    /// The features compiling `name`: those reaching it, or `full`.
    pub fn of_type(&self, name: &str) -> FeatureSet {
        non_empty(self.types.get(name))
    }

    /// The features compiling an error body variant.
    pub fn of_error_body(&self, variant: &str) -> FeatureSet {
        non_empty(self.error_bodies.get(variant))
    }

    /// The features compiling an error set's parser.
    pub fn of_error_set(&self, name: &str) -> FeatureSet {
        non_empty(self.error_sets.get(name))
    }
}

fn non_empty(set: Option<&FeatureSet>) -> FeatureSet {
    match set {
        Some(set) if !set.is_empty() => set.clone(),
        _ => FeatureSet::from([FULL.to_string()]),
    }
}

/// The features compiling one operation.
pub fn operation_features(module: &ApiModule, op: &Operation) -> FeatureSet {
    let mut set = FeatureSet::from([module.module.clone()]);
    if op.system_context {
        set.insert(SYSTEM_CONTEXT.to_string());
    }
    set
}

/// The features compiling a module: those of its operations.
pub fn module_features(module: &ApiModule) -> FeatureSet {
    module
        .operations
        .iter()
        .flat_map(|op| operation_features(module, op))
        .chain([module.module.clone()])
        .collect()
}

/// The crate's `[features]` table, or `None` without tag features: the
/// runtime's features, one per tag (enabling `multipart` when the tag
/// uploads forms), `full` enabling everything, and `default = ["full"]`.
///
/// Each document the model mounts adds one feature, its module's; given
/// that document's model in `mounted`, the feature enables `multipart` when
/// one of its operations uploads a form.
pub fn cargo_features(api: &Api, mounted: &[&Api]) -> Option<BTreeMap<String, Vec<String>>> {
    if !api.settings.tag_features {
        return None;
    }
    let runtime = &api.settings.runtime_features;
    let mut table: BTreeMap<String, Vec<String>> = runtime.clone();
    let enables = |modules: &[&ApiModule]| -> Vec<String> {
        let uploads = modules
            .iter()
            .flat_map(|m| &m.operations)
            .any(|op| matches!(&op.body, Some(b) if matches!(b.kind, BodyKind::Multipart(_))));
        (uploads && runtime.contains_key(MULTIPART))
            .then(|| MULTIPART.to_string())
            .into_iter()
            .collect()
    };
    for module in &api.modules {
        table.insert(module.module.clone(), enables(&[module]));
    }
    let mut full: Vec<String> = api.modules.iter().map(|m| m.module.clone()).collect();
    // Every document the model mounts is a feature; the ones given in
    // `mounted` also enable what their operations need.
    for mount in &api.mounted {
        let modules: Vec<&ApiModule> = mounted
            .iter()
            .filter(|d| d.mount.as_ref().is_some_and(|m| m.module == mount.module))
            .flat_map(|d| &d.modules)
            .collect();
        table.insert(mount.module.clone(), enables(&modules));
        full.push(mount.module.clone());
    }
    full.extend(runtime.keys().cloned());
    full.sort();
    table.insert(FULL.to_string(), full);
    table.insert("default".to_string(), vec![FULL.to_string()]);
    Some(table)
}

/// Computes which features reach each type and error body.
pub fn reach(api: &Api) -> Reach {
    let graph = TypeGraph::new(&api.types);
    let error_types: BTreeMap<&str, &TypeRef> = api
        .error_bodies
        .iter()
        .map(|e| (e.variant.as_str(), &e.ty))
        .collect();
    let mut reach = Reach {
        types: api
            .types
            .iter()
            .map(|t| (t.name.clone(), FeatureSet::new()))
            .collect(),
        error_bodies: BTreeMap::new(),
        error_sets: BTreeMap::new(),
    };
    for module in &api.modules {
        for op in &module.operations {
            let features = operation_features(module, op);
            reach
                .error_sets
                .entry(op.error_set.clone())
                .or_default()
                .extend(features.iter().cloned());
            let mut roots: Vec<&str> = op
                .request_types()
                .into_iter()
                .chain(op.response_types())
                .filter_map(TypeRef::named)
                .collect();
            for variant in op.errors.iter().filter_map(|e| e.body.as_deref()) {
                reach
                    .error_bodies
                    .entry(variant.to_string())
                    .or_default()
                    .extend(features.iter().cloned());
                roots.extend(error_types.get(variant).and_then(|ty| ty.named()));
            }
            for name in graph.closure(&roots) {
                if let Some(set) = reach.types.get_mut(name) {
                    set.extend(features.iter().cloned());
                }
            }
        }
    }
    reach
}

/// Named types and the named types each one mentions.
struct TypeGraph<'a> {
    graph: DiGraph<&'a str, ()>,
    nodes: BTreeMap<&'a str, NodeIndex>,
}

impl<'a> TypeGraph<'a> {
    fn new(types: &'a [TypeDef]) -> Self {
        let mut graph = DiGraph::new();
        let nodes: BTreeMap<&str, NodeIndex> = types
            .iter()
            .map(|t| (t.name.as_str(), graph.add_node(t.name.as_str())))
            .collect();
        for t in types {
            let mentioned = t.kind.type_uses().into_iter().filter_map(TypeRef::named);
            for name in mentioned {
                if let Some(&to) = nodes.get(name) {
                    graph.add_edge(nodes[t.name.as_str()], to, ());
                }
            }
        }
        Self { graph, nodes }
    }

    /// Every type reachable from `roots`, the roots included.
    fn closure(&self, roots: &[&str]) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        for root in roots {
            let Some(&start) = self.nodes.get(root) else {
                continue;
            };
            let mut dfs = Dfs::new(&self.graph, start);
            while let Some(node) = dfs.next(&self.graph) {
                seen.insert(self.graph[node]);
            }
        }
        seen
    }
}
