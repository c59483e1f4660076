//! Rust allows one item of a name per module (E0428). Every generated file
//! of every fixture document is checked for that, since a name clash is only
//! otherwise found when a user compiles the client: a tag named like one of
//! its operations once produced two `struct Search` in one module.

use std::collections::BTreeMap;
use std::path::Path;

/// Names of the items declared at the top level of a generated file.
/// The fixtures' generator settings (`tests/fixtures/settings.toml`).
fn settings() -> codegen::Settings {
    codegen::Settings::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings.toml"),
    )
    .unwrap()
}

fn item_names(contents: &str) -> Vec<String> {
    let file = syn::parse_file(contents).expect("generated code parses");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
            syn::Item::Const(c) => Some(c.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn no_generated_module_declares_a_name_twice() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for dir in ["constructs", "diff", "valid", "settings"] {
        for entry in std::fs::read_dir(fixtures.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let generation = codegen::generate(&path, &[], &settings())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for file in &generation.files {
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                for name in item_names(&file.contents) {
                    *seen.entry(name).or_default() += 1;
                }
                let twice: Vec<&String> = seen
                    .iter()
                    .filter(|(_, n)| **n > 1)
                    .map(|(k, _)| k)
                    .collect();
                assert!(
                    twice.is_empty(),
                    "{} → {}: declared more than once: {twice:?}",
                    path.display(),
                    file.path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} files checked");
}
