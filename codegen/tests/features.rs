//! Per-tag features: which items each feature compiles, read back from the
//! generated code. Expectations come from the documents themselves: by hand
//! for the small fixture, by walking `$ref`s in the raw JumpCloud document.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::manifest::Manifest;
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn file<'a>(generation: &'a codegen::Generation, path: &str) -> &'a str {
    &generation
        .files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} not generated"))
        .contents
}

/// The features in an item's `#[cfg(...)]`; `None` for an item without one.
fn cfg_features(attrs: &[syn::Attribute]) -> Option<BTreeSet<String>> {
    let cfg = attrs.iter().find(|a| a.path().is_ident("cfg"))?;
    let text = cfg.meta.require_list().unwrap().tokens.to_string();
    Some(
        text.split("feature =")
            .skip(1)
            .map(|s| s.trim().split('"').nth(1).unwrap().to_string())
            .collect(),
    )
}

fn doc(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| quote_text(&a.meta))
        .collect::<Vec<_>>()
        .join("\n")
}

fn quote_text(meta: &syn::Meta) -> String {
    match meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => s.value(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// Every named type in `types.rs`: (name, schema pointer, features).
fn gated_types(types_rs: &str) -> Vec<(String, String, Option<BTreeSet<String>>)> {
    let file: syn::File = syn::parse_str(types_rs).unwrap();
    let mut out = Vec::new();
    for item in file.items {
        let (name, attrs) = match &item {
            syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
            syn::Item::Enum(e) => (e.ident.to_string(), &e.attrs),
            syn::Item::Type(t) => (t.ident.to_string(), &t.attrs),
            _ => continue,
        };
        let doc = doc(attrs);
        let pointer = doc
            .split("Generated from `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .unwrap_or_default()
            .to_string();
        out.push((name, pointer, cfg_features(attrs)));
    }
    out
}

fn set(items: &[&str]) -> Option<BTreeSet<String>> {
    Some(items.iter().map(|s| s.to_string()).collect())
}

#[test]
fn each_type_is_gated_by_the_tags_that_reach_it() {
    let settings = codegen::Settings {
        tag_features: true,
        runtime_features: BTreeMap::from([
            (
                "multipart".to_string(),
                vec!["reqwest/multipart".to_string()],
            ),
            ("system-context".to_string(), vec!["dep:rsa".to_string()]),
        ]),
        ..Default::default()
    };
    let fixture = workspace().join("codegen/tests/fixtures/features/two_tags.yaml");
    let generation = codegen::generate(&fixture, &[], &settings).unwrap();
    let types: BTreeMap<String, Option<BTreeSet<String>>> =
        gated_types(file(&generation, "types.rs"))
            .into_iter()
            .map(|(name, _, cfg)| (name, cfg))
            .collect();
    // Read off the fixture: `Owner` is reached from both tags (through
    // `Pet.owner` and `Store.manager`), `OwnerKind` through `Owner`.
    assert_eq!(types["Pet"], set(&["pets"]));
    assert_eq!(types["Owner"], set(&["pets", "stores"]));
    assert_eq!(types["OwnerKind"], set(&["pets", "stores"]));
    assert_eq!(types["Store"], set(&["stores"]));
    // The error body of `pets_list` only.
    assert_eq!(types["NotFound"], set(&["pets"]));
    // The System Context operation's response.
    assert_eq!(types["Badge"], set(&["stores", "system-context"]));
    // Reached by no operation.
    assert_eq!(types["Unused"], set(&["full"]));

    let apis_mod: syn::File = syn::parse_str(file(&generation, "apis/mod.rs")).unwrap();
    let modules: BTreeMap<String, Option<BTreeSet<String>>> = apis_mod
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some((m.ident.to_string(), cfg_features(&m.attrs))),
            _ => None,
        })
        .collect();
    assert_eq!(modules["pets"], set(&["pets"]));
    assert_eq!(modules["stores"], set(&["stores", "system-context"]));

    let table: toml::Table = toml::from_str(generation.features.as_deref().unwrap()).unwrap();
    let features = table["features"].as_table().unwrap();
    let list = |name: &str| -> Vec<&str> {
        features[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect()
    };
    assert_eq!(list("default"), ["full"]);
    assert_eq!(
        list("full"),
        ["multipart", "pets", "stores", "system-context"]
    );
    assert!(list("pets").is_empty());
    // `stores_logo` uploads a form.
    assert_eq!(list("stores"), ["multipart"]);
    assert_eq!(list("system-context"), ["dep:rsa"]);
}

#[test]
fn without_tag_features_nothing_is_gated() {
    let fixture = workspace().join("codegen/tests/fixtures/features/two_tags.yaml");
    let generation = codegen::generate(&fixture, &[], &codegen::Settings::default()).unwrap();
    assert!(generation.features.is_none());
    for f in &generation.files {
        assert!(
            !f.contents.contains("#[cfg(feature"),
            "{}",
            f.path.display()
        );
    }
}

/// Component schemas the raw document reaches from the operations whose
/// first tag is `tag`: every `$ref` inside those operations (and their path
/// items' parameters), followed through components transitively. A schema
/// that is one of several `allOf` members is walked but not counted: its
/// properties are merged into the composed type, which is the one a Rust
/// caller sees. Bodies other than JSON are bytes or text and reach no type, and 204 and
/// 304 responses have none. An `items` beside no `type` constrains nothing
/// (JSON Schema 2020-12 §10.3.1.2 applies `items` to arrays only, and such
/// a schema allows any value), so it reaches nothing.
fn raw_reach(raw: &Value, tag: &str) -> BTreeSet<String> {
    fn refs(value: &Value, merged: bool, out: &mut Vec<(String, bool)>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push((r.clone(), merged));
                }
                for (key, v) in map {
                    if key == "items" && !map.contains_key("type") {
                        continue;
                    }
                    if key == "properties" {
                        // Property names, each naming a schema: a property
                        // called `items` is not the keyword.
                        let properties = v.as_object().into_iter().flatten();
                        properties.for_each(|(_, schema)| refs(schema, false, out));
                        continue;
                    }
                    if key == "content" {
                        // Only JSON bodies are typed; others are bytes or text.
                        let json = v.as_object().into_iter().flatten();
                        json.filter(|(media, _)| media.contains("json"))
                            .for_each(|(_, media)| refs(media, false, out));
                        continue;
                    }
                    if key == "responses" {
                        // RFC 9110: a 204 or 304 response has no content.
                        let responses = v.as_object().into_iter().flatten();
                        responses
                            .filter(|(status, _)| !["204", "304"].contains(&status.as_str()))
                            .for_each(|(_, response)| refs(response, false, out));
                        continue;
                    }
                    let members = v.as_array().map_or(0, Vec::len);
                    refs(v, key == "allOf" && members > 1, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, merged, out)),
            _ => {}
        }
    }
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut pending = Vec::new();
    for item in raw["paths"].as_object().unwrap().values() {
        for method in methods {
            let Some(op) = item.get(method) else { continue };
            if op["tags"][0].as_str() != Some(tag) {
                continue;
            }
            refs(op, false, &mut pending);
            if let Some(parameters) = item.get("parameters") {
                refs(parameters, false, &mut pending);
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut schemas = BTreeSet::new();
    while let Some((reference, merged)) = pending.pop() {
        let pointer = reference.trim_start_matches('#').to_string();
        if let Some(name) = pointer.strip_prefix("/components/schemas/")
            && !merged
        {
            schemas.insert(name.to_string());
        }
        if !seen.insert(pointer.clone()) {
            continue;
        }
        if let Some(target) = raw.pointer(&pointer) {
            refs(target, false, &mut pending);
        }
    }
    schemas
}

#[test]
fn each_tag_feature_compiles_exactly_the_schemas_its_operations_reach() {
    let manifest_path = workspace().join("spec/manifest.toml");
    let manifest = Manifest::read(&manifest_path).unwrap();
    let document = workspace().join(&manifest.document.path);
    let settings = manifest.settings(&manifest_path).unwrap();
    assert!(settings.tag_features);
    let overlays = manifest.overlay_paths(&manifest_path);
    let generation = codegen::generate(&document, &overlays, &settings).unwrap();
    // The document as the generator reads it: with the project's overlays,
    // which give some responses the content the upstream document lacks.
    let raw = codegen::load::load(&document, &overlays).unwrap().raw;

    assert!(generation.api.modules.len() > 30);
    let types = gated_types(file(&generation, "types.rs"));
    for module in &generation.api.modules {
        let (tag, feature) = (module.tag.as_str(), module.module.as_str());
        let expected = raw_reach(&raw, tag);
        let compiled: BTreeSet<String> = types
            .iter()
            .filter(|(_, _, cfg)| cfg.as_ref().is_some_and(|c| c.contains(feature)))
            .filter_map(|(_, pointer, _)| {
                pointer
                    .strip_prefix("/components/schemas/")
                    .filter(|name| !name.contains('/'))
                    .map(|name| name.replace("~1", "/").replace("~0", "~"))
            })
            .collect();
        let missing: Vec<_> = expected.difference(&compiled).collect();
        let extra: Vec<_> = compiled.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "feature {feature}: reached but not compiled {missing:?}; compiled but not reached {extra:?}"
        );
    }
}
