//! Error sets: how an operation's failed responses decode, named once per
//! distinct mapping so that operations sharing one also share its parser.
//!
//! Most operations of a document document the same error bodies for the same
//! statuses (`400` → details, `401 | 403 | 404 | 500` → error). Each
//! distinct mapping becomes one parser in the document's `error_bodies`
//! module, and every operation with that mapping names it. The name is
//! spelled from the mapping itself, so adding or removing an operation never
//! renames another operation's parser, and a regeneration stays a small diff.

use std::collections::BTreeMap;

use heck::ToSnakeCase;

use super::model::{ApiModule, ErrorResponse};

/// The error bodies of one set of operations, by status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSet {
    /// The parser's name, e.g. `errors_400_error_details_401_403_error`.
    pub name: String,
    /// Statuses sharing one body variant, ordered by their first status.
    pub arms: Vec<ErrorArm>,
    /// The variant of every other status (the document's `default`).
    pub fallback: Option<String>,
}

/// Statuses whose body decodes as one variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorArm {
    pub statuses: Vec<u16>,
    pub variant: String,
}

/// The parser of one error body variant, e.g. `parse_error_details`.
pub fn parser_name(variant: &str) -> String {
    format!("parse_{}", variant.to_snake_case())
}

/// The error set of an operation's error responses.
pub fn error_set(errors: &[ErrorResponse]) -> ErrorSet {
    let mut groups: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
    let mut fallback = None;
    for e in errors {
        let Some(variant) = &e.body else { continue };
        match e.status {
            Some(code) => groups.entry(variant).or_default().push(code),
            None => fallback = Some(variant.clone()),
        }
    }
    // Statuses whose body is the fallback's need no arm of their own: the
    // fallback reads them the same way, and the set is then shared with
    // operations that list other statuses for that body.
    let mut arms: Vec<ErrorArm> = groups
        .into_iter()
        .filter(|(variant, _)| fallback.as_deref() != Some(*variant))
        .map(|(variant, mut statuses)| {
            statuses.sort_unstable();
            statuses.dedup();
            ErrorArm {
                statuses,
                variant: variant.to_string(),
            }
        })
        .collect();
    arms.sort_by_key(|arm| arm.statuses[0]);
    let mut name = String::from("errors");
    for arm in &arms {
        for status in &arm.statuses {
            name.push_str(&format!("_{status}"));
        }
        name.push('_');
        name.push_str(&arm.variant.to_snake_case());
    }
    if let Some(variant) = &fallback {
        name.push_str("_else_");
        name.push_str(&variant.to_snake_case());
    }
    if arms.is_empty() && fallback.is_none() {
        name.push_str("_untyped");
    }
    ErrorSet {
        name,
        arms,
        fallback,
    }
}

/// Names each operation's error set, once its error bodies are named, and
/// returns every set the operations use, by name.
pub fn assign(modules: &mut [ApiModule]) -> BTreeMap<String, ErrorSet> {
    let mut sets = BTreeMap::new();
    for op in modules.iter_mut().flat_map(|m| m.operations.iter_mut()) {
        let set = error_set(&op.errors);
        op.error_set.clone_from(&set.name);
        sets.insert(set.name.clone(), set);
    }
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: Option<u16>, body: Option<&str>) -> ErrorResponse {
        ErrorResponse {
            status,
            body: body.map(str::to_string),
        }
    }

    #[test]
    fn statuses_group_by_body_and_the_name_spells_the_mapping() {
        let set = error_set(&[
            error(Some(500), Some("Error")),
            error(Some(400), Some("ErrorDetails")),
            error(Some(401), Some("Error")),
            error(Some(404), None),
        ]);
        assert_eq!(set.name, "errors_400_error_details_401_500_error");
        assert_eq!(
            set.arms,
            vec![
                ErrorArm {
                    statuses: vec![400],
                    variant: "ErrorDetails".into()
                },
                ErrorArm {
                    statuses: vec![401, 500],
                    variant: "Error".into()
                },
            ]
        );
        assert_eq!(set.fallback, None);
    }

    #[test]
    fn the_order_of_the_responses_does_not_change_the_set() {
        let a = error_set(&[error(Some(401), Some("Error")), error(None, Some("Other"))]);
        let b = error_set(&[error(None, Some("Other")), error(Some(401), Some("Error"))]);
        assert_eq!(a, b);
        assert_eq!(a.name, "errors_401_error_else_other");
    }

    #[test]
    fn statuses_read_like_the_fallback_need_no_arm() {
        let assets = error_set(&[
            error(Some(400), Some("AssetsError")),
            error(Some(404), Some("AssetsError")),
            error(Some(500), Some("Error")),
            error(None, Some("AssetsError")),
        ]);
        let other = error_set(&[
            error(Some(409), Some("AssetsError")),
            error(Some(500), Some("Error")),
            error(None, Some("AssetsError")),
        ]);
        assert_eq!(
            assets, other,
            "both read 500 as Error and all else as AssetsError"
        );
        assert_eq!(assets.name, "errors_500_error_else_assets_error");
    }

    #[test]
    fn no_typed_body_is_its_own_set() {
        let set = error_set(&[error(Some(404), None)]);
        assert_eq!(set.name, "errors_untyped");
        assert!(set.arms.is_empty() && set.fallback.is_none());
    }
}
