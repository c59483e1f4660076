//! `host`, `basePath` and `schemes` become `servers`: one server per
//! scheme, `https` when the document lists none (what every JumpCloud
//! document serves). Without a `host` the URL is the base path alone,
//! which 3.0 reads relative to where the document was served.

use serde_json::{Map, Value, json};

use super::Cx;

pub fn convert(doc: &mut Map<String, Value>, cx: &mut Cx<'_>) -> Option<Value> {
    let host = doc.remove("host");
    let base = doc.remove("basePath");
    let schemes = doc.remove("schemes");
    let host = host.as_ref().and_then(Value::as_str);
    let base = base.as_ref().and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let Some(host) = host else {
        return (!base.is_empty()).then(|| json!([{ "url": base }]));
    };
    let mut listed: Vec<&str> = schemes
        .as_ref()
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if listed.is_empty() {
        cx.notes.add(
            "swagger2::servers",
            "no `schemes`: the server is taken to be `https`",
            "/host",
        );
        listed.push("https");
    }
    let servers: Vec<Value> = listed
        .iter()
        .enumerate()
        .map(|(i, scheme)| {
            cx.origins.moved(format!("/servers/{i}/url"), "/host");
            json!({ "url": format!("{scheme}://{host}{base}") })
        })
        .collect();
    Some(Value::Array(servers))
}
