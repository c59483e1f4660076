//! Which way each named type travels: in requests, in responses, or both.

use std::collections::BTreeMap;

use crate::ir::{Api, TypeKind, TypeRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Usage {
    pub request: bool,
    pub response: bool,
}

impl Usage {
    pub fn any(self) -> bool {
        self.request || self.response
    }

    pub fn union(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

/// Usage of every named type reachable from an operation; types no
/// operation reaches are absent.
pub(crate) fn usage(api: &Api) -> BTreeMap<String, Usage> {
    let defs: BTreeMap<&str, &TypeKind> = api
        .types
        .iter()
        .map(|t| (t.name.as_str(), &t.kind))
        .collect();
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for op in api.modules.iter().flat_map(|m| &m.operations) {
        requests.extend(op.request_types());
        responses.extend(op.response_types());
    }
    responses.extend(api.error_bodies.iter().map(|b| &b.ty));
    let mut out: BTreeMap<String, Usage> = BTreeMap::new();
    mark(&defs, &requests, &mut out, |u| &mut u.request);
    mark(&defs, &responses, &mut out, |u| &mut u.response);
    out
}

fn mark(
    defs: &BTreeMap<&str, &TypeKind>,
    roots: &[&TypeRef],
    out: &mut BTreeMap<String, Usage>,
    flag: fn(&mut Usage) -> &mut bool,
) {
    let mut stack: Vec<&TypeRef> = roots.to_vec();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(inner)
            }
            TypeRef::Named(name) => {
                let seen = flag(out.entry(name.clone()).or_default());
                if *seen {
                    continue;
                }
                *seen = true;
                if let Some(kind) = defs.get(name.as_str()) {
                    stack.extend(kind.type_uses());
                }
            }
            _ => {}
        }
    }
}
