//! Every Rust identifier the generator emits is decided here.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::model::Rename;

/// Words that cannot be plain identifiers. Raw identifiers would work for most,
/// but a trailing underscore reads better in generated code and also covers
/// `self`, `Self`, `super` and `crate`, which cannot be raw.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits on anything that is not a letter or digit so that dotted, dashed and
/// spaced names all case-convert the same way.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` type or variant name.
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        "Empty".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        escape_keyword(name)
    }
}

/// `snake_case` field, parameter, method or module name.
pub fn value_name(raw: &str) -> String {
    let name = words(raw).to_snake_case();
    if name.is_empty() {
        "value".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        escape_keyword(name)
    }
}

fn escape_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A set of names that must not repeat, handing out deterministic suffixes.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            used: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `wanted`, or `wanted2`, `wanted3`… if taken. A changed name is
    /// recorded in `renames` so the stats output can list it.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    pub fn claim(&mut self, wanted: &str, pointer: &str, renames: &mut Vec<Rename>) -> String {
        let given = self.claim_quiet(wanted);
        if given != wanted {
            renames.push(Rename {
                pointer: pointer.to_string(),
                wanted: wanted.to_string(),
                given: given.clone(),
            });
        }
        given
    }

    /// Like [`Namespace::claim`] for names whose suffix needs no report.
    pub fn claim_quiet(&mut self, wanted: &str) -> String {
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let sep = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_and_escape() {
        assert_eq!(
            type_name("jumpcloud.google_emm.Device"),
            "JumpcloudGoogleEmmDevice"
        );
        assert_eq!(type_name("GraphAttribute-Sudo"), "GraphAttributeSudo");
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(value_name("type"), "type_");
        assert_eq!(value_name("x-org-id"), "x_org_id");
        assert_eq!(value_name("_id"), "id");
        assert_eq!(value_name("3rdParty"), "n3rd_party");
    }

    #[test]
    fn collisions_get_suffixes_and_are_reported() {
        let mut ns = Namespace::default();
        let mut renames = Vec::new();
        assert_eq!(ns.claim("Foo", "/a", &mut renames), "Foo");
        assert_eq!(ns.claim("Foo", "/b", &mut renames), "Foo2");
        assert_eq!(ns.claim("id", "/c", &mut renames), "id");
        assert_eq!(ns.claim("id", "/d", &mut renames), "id_2");
        assert_eq!(renames.len(), 2);
        assert_eq!(renames[0].given, "Foo2");
    }
}
