//! Which tag modules a change touches, so a reviewer who uses three of them
//! can find what concerns them: an operation's module (both, if it moved),
//! a type's or error body's modules are the tags whose operations reach it
//! (the feature sets of [`crate::ir::reach`]), in either document.

use std::collections::BTreeSet;

use super::Change;
use crate::ir::Api;
use crate::ir::reach::{Reach, reach};

/// What a change attributed to no tag module is filed under.
pub const CRATE: &str = "(crate)";

pub(crate) fn attribute(old: &Api, new: &Api, changes: &mut [Change]) {
    let (old_reach, new_reach) = (reach(old), reach(new));
    for change in changes {
        let mut modules = BTreeSet::new();
        if let Some((method, rest)) = change.location.split_once(' ')
            && method.chars().all(|c| c.is_ascii_uppercase())
        {
            let path = rest.split(" [").next().unwrap_or(rest);
            for api in [old, new] {
                for module in &api.modules {
                    if module
                        .operations
                        .iter()
                        .any(|op| op.method == method && op.path == path)
                    {
                        modules.insert(module.module.clone());
                    }
                }
            }
        } else {
            let name = change
                .location
                .strip_prefix("ErrorBody::")
                .map(|variant| (variant, true))
                .unwrap_or_else(|| {
                    (
                        change.location.split(['.', ':']).next().unwrap_or_default(),
                        false,
                    )
                });
            for (api, reach) in [(old, &old_reach), (new, &new_reach)] {
                let set = features_of(reach, name.0, name.1);
                let tags: BTreeSet<String> = api.modules.iter().map(|m| m.module.clone()).collect();
                modules.extend(set.into_iter().filter(|f| tags.contains(f)));
            }
        }
        if modules.is_empty() {
            modules.insert(CRATE.to_string());
        }
        change.modules = modules.into_iter().collect();
    }
}

fn features_of(reach: &Reach, name: &str, error_body: bool) -> BTreeSet<String> {
    let set = if error_body {
        reach.error_bodies.get(name)
    } else {
        reach.types.get(name)
    };
    set.cloned().unwrap_or_default()
}
