//! How each [`TypeRef`] is written in the generated crate: the one table
//! both the renderer (which emits it) and the drift report (which names it
//! and compares by it) read, so they cannot disagree.

use super::TypeRef;

/// The Rust type, with `named` deciding how a named type is written.
pub fn rust_spelling(ty: &TypeRef, named: &dyn Fn(&str) -> String) -> String {
    match ty {
        TypeRef::Named(n) => named(n),
        TypeRef::String => "String".into(),
        TypeRef::Binary => "crate::runtime::Binary".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::U32 => "u32".into(),
        TypeRef::U64 => "u64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "crate::runtime::Timestamp".into(),
        TypeRef::Date => "chrono::NaiveDate".into(),
        TypeRef::Uuid => "uuid::Uuid".into(),
        TypeRef::Base64 => "crate::runtime::Base64".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_spelling(inner, named)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            rust_spelling(inner, named)
        ),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_spelling(inner, named)),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Json => "serde_json::Value".into(),
    }
}

/// The Rust type as a reviewer names it: the same spelling with module
/// paths left out (`Vec<Binary>`, `BTreeMap<String, Timestamp>`).
pub fn short_spelling(ty: &TypeRef) -> String {
    let full = rust_spelling(ty, &|n| n.to_string());
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if c == ':' && chars.peek() == Some(&':') {
            // `word::` is a module path: drop it.
            chars.next();
            word.clear();
            continue;
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.push_str(&word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_spellings_drop_module_paths_only() {
        let ty = TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Binary))));
        assert_eq!(short_spelling(&ty), "BTreeMap<String, Vec<Binary>>");
        assert_eq!(short_spelling(&TypeRef::JsonObject), "Map<String, Value>");
        assert_eq!(short_spelling(&TypeRef::Named("User".into())), "User");
        let items = TypeRef::Vec(Box::new(TypeRef::Nullable(Box::new(TypeRef::DateTime))));
        assert_eq!(short_spelling(&items), "Vec<Option<Timestamp>>");
    }
}
