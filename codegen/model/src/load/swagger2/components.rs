//! `definitions`, shared `parameters` and `responses` become components:
//! `components/schemas`, `components/parameters` (or
//! `components/requestBodies` for a shared `body` parameter) and
//! `components/responses`. Names are kept as written, so a `$ref` moves by
//! its prefix alone ([`super::refs`]). A shared `formData` parameter has no
//! component form: it is written into each form that references it.

use serde_json::{Map, Value};

use super::Cx;
use super::{bodies, parameters, responses};
use crate::error::Result;
use crate::pointer::push;

pub fn convert(doc: &mut Map<String, Value>, cx: &mut Cx<'_>) -> Result<Map<String, Value>> {
    let mut components = Map::new();
    if let Some(definitions) = doc.remove("definitions") {
        let Value::Object(definitions) = definitions else {
            return Err(cx.error("/definitions", "must be a mapping"));
        };
        for name in definitions.keys() {
            cx.origins.moved(
                push("/components/schemas", name),
                push("/definitions", name),
            );
        }
        components.insert("schemas".into(), Value::Object(definitions));
    }
    if let Some(shared) = doc.remove("parameters") {
        let Value::Object(shared) = shared else {
            return Err(cx.error("/parameters", "must be a mapping"));
        };
        let mut params = Map::new();
        let mut bodies_out = Map::new();
        for (name, parameter) in shared {
            let at = push("/parameters", &name);
            let Value::Object(parameter) = parameter else {
                return Err(cx.error(at, "a parameter must be a mapping"));
            };
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let new_at = push("/components/requestBodies", &name);
                    let consumes = cx.consumes.clone();
                    let body = bodies::body(parameter, &consumes, &at, &new_at, cx)?;
                    bodies_out.insert(name, Value::Object(body));
                }
                Some("formData") => {}
                _ => {
                    let new_at = push("/components/parameters", &name);
                    let converted = parameters::convert(parameter, &at, &new_at, cx)?;
                    params.insert(name, Value::Object(converted));
                }
            }
        }
        if !params.is_empty() {
            components.insert("parameters".into(), Value::Object(params));
        }
        if !bodies_out.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies_out));
        }
    }
    if let Some(shared) = doc.remove("responses") {
        let Value::Object(shared) = shared else {
            return Err(cx.error("/responses", "must be a mapping"));
        };
        let mut out = Map::new();
        for (name, response) in shared {
            let at = push("/responses", &name);
            let new_at = push("/components/responses", &name);
            let Value::Object(response) = response else {
                return Err(cx.error(at, "a response must be a mapping"));
            };
            let produces = cx.produces.clone();
            let converted = responses::convert(response, &produces, &at, &new_at, cx)?;
            out.insert(name, Value::Object(converted));
        }
        components.insert("responses".into(), Value::Object(out));
    }
    Ok(components)
}
