//! A response: its `schema` is served as every media type the operation
//! `produces` (the document's when the operation says nothing,
//! `application/json` when neither does), its `examples` (one per media
//! type) become each media type's `example`, and each header's schema
//! keywords move into a `schema`.

use serde_json::{Map, Value};

use super::Cx;
use super::parameters::take_schema;
use crate::error::Result;
use crate::pointer::{push, push_all};

pub fn convert(
    mut response: Map<String, Value>,
    produces: &[String],
    at: &str,
    new_at: &str,
    cx: &mut Cx<'_>,
) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    let description = response
        .remove("description")
        .unwrap_or_else(|| Value::String(String::new()));
    out.insert("description".into(), description);
    if let Some(headers) = response.remove("headers") {
        let Value::Object(headers) = headers else {
            return Err(cx.error(push(at, "headers"), "must be a mapping"));
        };
        let mut converted = Map::new();
        for (name, header) in headers {
            let header_at = push_all(at, &["headers", &name]);
            let Value::Object(mut header) = header else {
                return Err(cx.error(header_at, "a header must be a mapping"));
            };
            let schema = take_schema(&mut header);
            header.remove("collectionFormat");
            header.insert("schema".into(), Value::Object(schema));
            cx.origins.moved(
                push_all(new_at, &["headers", &name, "schema"]),
                header_at.clone(),
            );
            cx.origins
                .moved(push_all(new_at, &["headers", &name]), header_at);
            converted.insert(name, Value::Object(header));
        }
        out.insert("headers".into(), Value::Object(converted));
    }
    let mut examples = match response.remove("examples") {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    if let Some(schema) = response.remove("schema") {
        let mut content = Map::new();
        for media in produces {
            let mut entry = Map::new();
            entry.insert("schema".into(), schema.clone());
            if let Some(example) = examples.remove(media) {
                entry.insert("example".into(), example);
            }
            cx.origins.moved(
                push_all(new_at, &["content", media, "schema"]),
                push(at, "schema"),
            );
            content.insert(media.clone(), Value::Object(entry));
        }
        out.insert("content".into(), Value::Object(content));
    }
    for media in examples.keys() {
        cx.notes.add(
            "swagger2::responses",
            "an example for a media type the operation does not produce is not used",
            push_all(at, &["examples", media]),
        );
    }
    for (key, value) in response {
        if key.starts_with("x-") {
            out.insert(key, value);
        }
    }
    Ok(out)
}
