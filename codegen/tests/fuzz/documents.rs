//! Small OpenAPI documents built from parts that stress names, references,
//! composition and parameters: valid and invalid ones alike.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Names that collide after case conversion, are keywords, empty, non-ASCII,
/// or carry pointer and URI syntax.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "", "type", "self", "Self", "match", "crate", "r#x", "unknown", "Unknown", "é", "日本",
            "a/b", "a~b", "a%2Fb", "100%", "%1é", "foo", "Foo", "FOO", "foo_bar", "FooBar",
            "foo-bar", "1", "-1", "_", "__", "send", "Client", "Option", "new", "{x}", " ",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9_ ./~%{}é-]{0,8}",
    ]
}

fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => name().prop_map(|n| format!("#/components/schemas/{n}")),
        1 => name().prop_map(|n| format!("#/components/schemas/{n}/properties/{n}")),
        1 => name().prop_map(|n| format!("#/components/parameters/{n}")),
        1 => name().prop_map(|n| format!("#/{n}")),
        1 => name().prop_map(|n| format!("other.yaml#/{n}")),
        1 => name(),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        name().prop_map(Value::from),
    ]
}

/// Any JSON value, shallow: what an `example`, `default` or a wrong node holds.
pub fn any_json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    let typ = prop::sample::select(vec![
        "string", "integer", "number", "boolean", "object", "array", "null", "file",
    ]);
    let format = prop::option::of(prop::sample::select(vec![
        "date-time",
        "date",
        "uuid",
        "byte",
        "binary",
        "int32",
        "int64",
        "uint32",
        "float",
        "odd",
    ]));
    prop_oneof![
        (
            typ,
            format,
            any::<bool>(),
            prop::option::of(prop::collection::vec(scalar(), 0..5))
        )
            .prop_map(|(t, f, nullable, values)| {
                let mut s = json!({"type": t});
                if let Some(f) = f {
                    s["format"] = json!(f);
                }
                if nullable {
                    s["nullable"] = json!(true);
                }
                if let Some(values) = values {
                    s["enum"] = Value::from(values);
                }
                s
            }),
        reference().prop_map(|r| json!({"$ref": r})),
        Just(json!({})),
    ]
}

pub fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(4, 24, 4, |inner| {
        let members = prop::collection::vec(inner.clone(), 0..4);
        prop_oneof![
            (
                prop::collection::btree_map(name(), inner.clone(), 0..4),
                prop::collection::vec(name(), 0..3),
                prop::option::of(inner.clone()),
            )
                .prop_map(|(props, required, additional)| {
                    let mut s = json!({"type": "object", "properties": Map::from_iter(props), "required": required});
                    if let Some(a) = additional {
                        s["additionalProperties"] = a;
                    }
                    s
                }),
            inner.clone().prop_map(|i| json!({"type": "array", "items": i})),
            (prop::sample::select(vec!["allOf", "oneOf", "anyOf"]), members, prop::option::of((name(), prop::collection::btree_map(name(), reference(), 0..3))))
                .prop_map(|(key, members, discriminator)| {
                    let mut s = json!({key: members});
                    if let Some((property, mapping)) = discriminator {
                        s["discriminator"] = json!({"propertyName": property, "mapping": Map::from_iter(mapping.into_iter().map(|(k, v)| (k, Value::from(v))))});
                    }
                    s
                }),
        ]
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    let location = prop::sample::select(vec!["path", "query", "header", "cookie"]);
    prop_oneof![
        6 => (name(), location, any::<bool>(), schema(), prop::option::of(any::<bool>())).prop_map(
            |(name, location, required, schema, explode)| {
                let mut p = json!({"name": name, "in": location, "required": required, "schema": schema});
                if let Some(e) = explode {
                    p["explode"] = json!(e);
                }
                p
            }
        ),
        1 => reference().prop_map(|r| json!({"$ref": r})),
    ]
}

fn content() -> impl Strategy<Value = Value> {
    let media = prop::sample::select(vec![
        "application/json",
        "application/problem+json",
        "multipart/form-data",
        "text/plain",
        "application/octet-stream",
        "*/*",
    ]);
    prop::collection::btree_map(media, schema(), 0..3).prop_map(|m| {
        Value::Object(
            m.into_iter()
                .map(|(k, s)| (k.to_string(), json!({"schema": s})))
                .collect(),
        )
    })
}

fn operation() -> impl Strategy<Value = Value> {
    let status = prop::sample::select(vec!["200", "201", "204", "2XX", "default", "404", "5XX"]);
    (
        prop::option::of(name()),
        prop::collection::vec(name(), 0..2),
        prop::collection::vec(parameter(), 0..4),
        prop::option::of(content()),
        prop::collection::btree_map(status, prop::option::of(content()), 0..3),
    )
        .prop_map(|(id, tags, parameters, body, responses)| {
            let mut op = json!({"tags": tags, "parameters": parameters});
            if let Some(id) = id {
                op["operationId"] = json!(id);
            }
            if let Some(body) = body {
                op["requestBody"] = json!({"content": body});
            }
            op["responses"] = Value::Object(
                responses
                    .into_iter()
                    .map(|(code, c)| {
                        let mut r = json!({"description": "d"});
                        if let Some(c) = c {
                            r["content"] = c;
                        }
                        (code.to_string(), r)
                    })
                    .collect(),
            );
            op
        })
}

fn template() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![name(), name().prop_map(|n| format!("{{{n}}}"))],
        0..3,
    )
    .prop_map(|segments| format!("/{}", segments.join("/")))
}

/// A whole small document.
pub fn document() -> impl Strategy<Value = Value> {
    let method = prop::sample::select(vec!["get", "put", "post", "delete", "patch", "head"]);
    let item = (
        prop::collection::btree_map(method, operation(), 1..3),
        prop::collection::vec(parameter(), 0..2),
    )
        .prop_map(|(ops, parameters)| {
            let mut item: Map<String, Value> =
                ops.into_iter().map(|(m, o)| (m.to_string(), o)).collect();
            item.insert("parameters".into(), Value::from(parameters));
            Value::Object(item)
        });
    (
        prop::collection::btree_map(template(), item, 0..4),
        prop::collection::btree_map(name(), schema(), 1..6),
        prop::collection::btree_map(name(), parameter(), 0..2),
        prop::bool::weighted(0.85),
    )
        .prop_map(|(paths, schemas, parameters, repair)| {
            let mut doc = json!({
                "openapi": "3.0.3",
                "info": {"title": "fuzz", "version": "1"},
                "paths": Map::from_iter(paths),
                "components": {"schemas": Map::from_iter(schemas), "parameters": Map::from_iter(parameters)},
            });
            if repair {
                repair_references(&mut doc);
            }
            doc
        })
}

/// Points every reference that leads nowhere at a schema that exists, so
/// most documents get past the reference checks into the IR builder.
fn repair_references(doc: &mut Value) {
    let names: Vec<String> = doc["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let snapshot = doc.clone();
    let mut count = 0usize;
    visit(doc, &mut |node| {
        let Some(Value::String(target)) = node.get("$ref") else {
            return;
        };
        let resolves = target
            .strip_prefix('#')
            .map(codegen::pointer::decode_fragment)
            .is_some_and(|p| {
                snapshot
                    .pointer(&p)
                    .is_some_and(|n| n.get("$ref").is_none())
            });
        if !resolves && !names.is_empty() {
            let name = &names[count % names.len()];
            count += 1;
            node["$ref"] = Value::from(format!(
                "#/components/schemas/{}",
                codegen::pointer::escape(name).replace('%', "%25")
            ));
        }
    });
}

fn visit(node: &mut Value, f: &mut impl FnMut(&mut Value)) {
    f(node);
    match node {
        Value::Object(map) => map.values_mut().for_each(|v| visit(v, f)),
        Value::Array(items) => items.iter_mut().for_each(|v| visit(v, f)),
        _ => {}
    }
}
