//! Every Rust identifier the generator emits is decided here.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::model::{ApiModule, ErrorBodyVariant, Rename, TypeRef};

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

/// Whether `name` can stand as a plain Rust identifier: Unicode's
/// identifier rules (`XID_Start` or `_`, then `XID_Continue`), and neither a
/// keyword nor `_` alone. `union` is among [`KEYWORDS`] so that generated
/// names avoid it, but as a weak keyword it is a valid name.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(unicode_ident::is_xid_continue)
        && name != "_"
        && (name == "union" || !KEYWORDS.contains(&name))
}

/// Modules of the crate a mounted document's module cannot be named after.
const CRATE_MODULES: &[&str] = &["apis", "types", "error_bodies", "runtime"];

/// The names of a document mounted at `module` (the settings' `module`):
/// the module must already be a `snake_case` identifier, since it is also
/// the folder and the cargo feature, and must not be one of the crate's
/// own modules.
pub fn mount(module: &str) -> Result<super::Mount, String> {
    if !is_identifier(module) || value_name(module) != module {
        return Err(format!(
            "setting `module = \"{module}\"`: a module must be a snake_case Rust identifier"
        ));
    }
    if CRATE_MODULES.contains(&module) {
        return Err(format!(
            "setting `module = \"{module}\"`: the crate already has a module of that name"
        ));
    }
    Ok(super::Mount {
        module: module.to_string(),
        handle: type_name(module),
        base_url_setter: format!("{module}_base_url"),
        system_context_handle: format!("SystemContext{}", type_name(module)),
    })
}

/// Names each operation's method under System Context, where it accepts
/// it: its own method name on `SystemContextClient` for the main document;
/// `<tag accessor>_<method>` on a mounted document's handle, so that the
/// handle's methods never collide.
pub fn name_system_context_methods(modules: &mut [super::ApiModule], mounted: bool) {
    for module in modules {
        for op in module.operations.iter_mut().filter(|op| op.system_context) {
            op.system_context_method = Some(if mounted {
                format!("{}_{}", module.accessor, op.method_name)
            } else {
                op.method_name.clone()
            });
        }
    }
}

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

/// The catch-all variant of every string enum (`Unknown(String)`) and tagged
/// union (`Unknown(serde_json::Value)`).
///
/// It stays `Unknown` even though a document may also list the value
/// `"unknown"`: the catch-all is in every enum of the client and documented in
/// the README, so renaming it (say to `Other`) would break every user who
/// matches on it, for the sake of the few enums that have the value. Instead
/// the document's value gives way, see [`claim_variant`].
pub const CATCH_ALL: &str = "Unknown";

/// What a variant named like one of its enum's catch-alls is called instead:
/// the wanted name plus `Value`, so `"unknown"` becomes `UnknownValue`, which
/// still reads as the document's value and sorts next to the catch-all in
/// docs. A numeric suffix (`Unknown2`) would only say that a clash happened.
const CATCH_ALL_CLASH_SUFFIX: &str = "Value";

/// Claims the variant name `wanted` in `ns`, where `catch_alls` are the
/// enum's own catch-all variants (already reserved in `ns`).
///
/// Names are claimed in document order, so a value or member the document
/// appends later never renames an existing variant (that would be a major
/// release for what the document treats as an addition). Remaining clashes
/// (`"dark-green"` and `"dark_green"`) get the namespace's numeric suffix.
pub fn claim_variant(ns: &mut Namespace, wanted: &str, catch_alls: &[&str]) -> String {
    if catch_alls.contains(&wanted) {
        ns.claim_quiet(&format!("{wanted}{CATCH_ALL_CLASH_SUFFIX}"))
    } else {
        ns.claim_quiet(wanted)
    }
}

/// The variant name wanted for a union member or an error body of type `ty`.
///
/// Named types keep their name. Anything else is named after what the JSON
/// value is, in JSON Schema's words (`String`, `Integer`, `Number`,
/// `Boolean`, `Object`), with the string formats the client types distinctly
/// named after the format (`DateTime`, `Uuid`…), since those tell members
/// apart better than `String` would. Containers read as English from their
/// element: `StringList` for `Vec<String>`, `CatMap` for a map of `Cat`, so
/// the name depends on the member alone and two arrays of different items do
/// not need a numeric suffix. `String` rather than `Text`, because the
/// client's `ErrorBody::Text` already means "a body that is not JSON".
pub fn member_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Base64 => "Base64".into(),
        TypeRef::Binary => "Binary".into(),
        TypeRef::Vec(item) => format!("{}List", member_variant_name(item)),
        TypeRef::Map(value) => format!("{}Map", member_variant_name(value)),
        // `null` items do not change what the member is a list of.
        TypeRef::Nullable(inner) => member_variant_name(inner),
        TypeRef::JsonObject => "Object".into(),
        TypeRef::Json => "Any".into(),
    }
}

/// The catch-all variants of `ErrorBody`, written by the renderer.
pub const ERROR_BODY_CATCH_ALLS: &[&str] = &["Text", "Empty"];

/// Names the variants of `ErrorBody` with [`member_variant_name`], in the
/// order the operations first use each body type, and points every
/// operation's error responses at the final names.
///
/// The operation builder hands out provisional names while it walks the
/// operations; this pass decides the public ones here, beside the other
/// variant rules, so that error bodies and union members are named alike.
pub fn name_error_bodies(bodies: &mut [ErrorBodyVariant], modules: &mut [ApiModule]) {
    let mut ns = Namespace::with_reserved(ERROR_BODY_CATCH_ALLS);
    let mut renamed = std::collections::BTreeMap::new();
    for body in bodies.iter_mut() {
        let given = claim_variant(
            &mut ns,
            &member_variant_name(&body.ty),
            ERROR_BODY_CATCH_ALLS,
        );
        renamed.insert(std::mem::replace(&mut body.variant, given.clone()), given);
    }
    for error in modules
        .iter_mut()
        .flat_map(|m| m.operations.iter_mut())
        .flat_map(|op| op.errors.iter_mut())
    {
        if let Some(variant) = &mut error.body
            && let Some(given) = renamed.get(variant.as_str())
        {
            *variant = given.clone();
        }
    }
}

/// The document's servers as `Region` variants, in document order: named
/// after the region code the `extension` gives, else the description, else
/// their position.
pub fn regions(servers: &[openapiv3::Server], extension: Option<&str>) -> Vec<super::RegionDef> {
    let mut ns = Namespace::default();
    servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            let code = extension
                .and_then(|e| server.extensions.get(e))
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let wanted = match (&code, &server.description) {
                (Some(code), _) => type_name(code),
                (None, Some(description)) => type_name(description),
                (None, None) => format!("Server{}", i + 1),
            };
            super::RegionDef {
                variant: ns.claim_quiet(&wanted),
                code,
                url: server.url.trim_end_matches('/').to_string(),
                description: server.description.clone(),
            }
        })
        .collect()
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

    /// Keeps `name` from being handed out: for locked names, which their
    /// owners take without claiming.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
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
        assert_eq!(type_name("acme.google_emm.Device"), "AcmeGoogleEmmDevice");
        assert_eq!(type_name("GraphAttribute-Sudo"), "GraphAttributeSudo");
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(value_name("type"), "type_");
        assert_eq!(value_name("x-org-id"), "x_org_id");
        assert_eq!(value_name("_id"), "id");
        assert_eq!(value_name("3rdParty"), "n3rd_party");
    }

    /// What the name lock accepts is what `syn` parses as an identifier:
    /// every keyword and reserved word, and names that are not words at all.
    /// Raw identifiers (`r#type`) are left out on purpose; the lock holds
    /// plain names. `gen` is the one difference: `syn` parses it, but the
    /// 2024 edition, which the client uses, reserves it.
    #[test]
    fn identifiers_are_what_syn_accepts() {
        assert!(!is_identifier("gen"));
        let mut candidates: Vec<&str> = KEYWORDS.iter().copied().filter(|k| *k != "gen").collect();
        candidates.extend([
            "",
            "_",
            "__",
            "_id",
            "id",
            "x_org_id",
            "Type",
            "type_",
            "Self_",
            "list_all",
            "UserGroups",
            "V2fa",
            "2fa",
            "a-b",
            "a b",
            "a.b",
            "é",
            "größe",
            "日本",
            "a1",
            "1a",
            "union",
            "default",
            "auto",
            "static_",
            "\u{301}a",
            "a\u{301}",
        ]);
        for name in candidates {
            assert_eq!(
                is_identifier(name),
                syn::parse_str::<syn::Ident>(name).is_ok(),
                "{name:?}"
            );
        }
    }

    /// The rules of [`member_variant_name`], one JSON kind each.
    #[test]
    fn members_are_named_after_their_json_kind() {
        let name = |ty: TypeRef| member_variant_name(&ty);
        assert_eq!(name(TypeRef::Named("Cat".into())), "Cat");
        assert_eq!(name(TypeRef::String), "String");
        assert_eq!(name(TypeRef::Bool), "Boolean");
        for integer in [TypeRef::I32, TypeRef::I64, TypeRef::U32, TypeRef::U64] {
            assert_eq!(name(integer), "Integer");
        }
        assert_eq!(name(TypeRef::F32), "Number");
        assert_eq!(name(TypeRef::F64), "Number");
        assert_eq!(name(TypeRef::DateTime), "DateTime");
        assert_eq!(name(TypeRef::Uuid), "Uuid");
        assert_eq!(name(TypeRef::Vec(Box::new(TypeRef::String))), "StringList");
        assert_eq!(
            name(TypeRef::Vec(Box::new(TypeRef::Named("Cat".into())))),
            "CatList"
        );
        assert_eq!(
            name(TypeRef::Vec(Box::new(TypeRef::Vec(Box::new(TypeRef::F64))))),
            "NumberListList"
        );
        assert_eq!(name(TypeRef::Map(Box::new(TypeRef::I64))), "IntegerMap");
        assert_eq!(name(TypeRef::JsonObject), "Object");
        assert_eq!(name(TypeRef::Json), "Any");
    }

    #[test]
    fn a_name_taken_by_a_catch_all_gets_value_appended_and_clashes_count_up() {
        let mut ns = Namespace::with_reserved(&[CATCH_ALL]);
        let mut claim = |wanted: &str| claim_variant(&mut ns, wanted, &[CATCH_ALL]);
        assert_eq!(claim("Red"), "Red");
        assert_eq!(claim("Unknown"), "UnknownValue");
        // `"UNKNOWN"` next to `"unknown"`: in document order, so appending a
        // value never renames one that was there.
        assert_eq!(claim("Unknown"), "UnknownValue2");
        assert_eq!(claim("Integer"), "Integer");
        assert_eq!(claim("Integer"), "Integer2");
        // Without a catch-all, `Unknown` is an ordinary name.
        let mut open = Namespace::default();
        assert_eq!(claim_variant(&mut open, "Unknown", &[]), "Unknown");
    }

    #[test]
    fn error_bodies_are_named_like_union_members() {
        let body = |ty: TypeRef| ErrorBodyVariant {
            variant: "Provisional".into(),
            ty,
        };
        let mut bodies = vec![
            body(TypeRef::Named("Problem".into())),
            body(TypeRef::Vec(Box::new(TypeRef::String))),
            body(TypeRef::String),
            body(TypeRef::Named("Text".into())),
            body(TypeRef::JsonObject),
        ];
        name_error_bodies(&mut bodies, &mut []);
        let names: Vec<&str> = bodies.iter().map(|b| b.variant.as_str()).collect();
        // `Text` and `Empty` are `ErrorBody`'s own catch-alls.
        assert_eq!(
            names,
            ["Problem", "StringList", "String", "TextValue", "Object"]
        );
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
