//! `securityDefinitions` become `components/securitySchemes`: `apiKey`
//! stays, `basic` becomes an `http` scheme, and `oauth2`'s one flow moves
//! under `flows` with 3.0's names for it.

use serde_json::{Map, Value};

use super::Cx;
use crate::error::Result;
use crate::pointer::push;

pub fn convert(definitions: Option<Value>, cx: &mut Cx<'_>) -> Result<Option<Value>> {
    let Some(definitions) = definitions else {
        return Ok(None);
    };
    let Value::Object(definitions) = definitions else {
        return Err(cx.error("/securityDefinitions", "must be a mapping"));
    };
    let mut schemes = Map::new();
    for (name, definition) in definitions {
        let at = push("/securityDefinitions", &name);
        let Value::Object(mut definition) = definition else {
            return Err(cx.error(at, "a security scheme must be a mapping"));
        };
        let kind = definition
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match kind.as_str() {
            "apiKey" => {}
            "basic" => {
                definition.insert("type".into(), "http".into());
                definition.insert("scheme".into(), "basic".into());
            }
            "oauth2" => {
                let flow = definition.remove("flow");
                let flow_name = match flow.as_ref().and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    _ => {
                        return Err(cx.error(
                            push(&at, "flow"),
                            "an oauth2 scheme needs a `flow` of implicit, password, application or accessCode",
                        ));
                    }
                };
                let mut details = Map::new();
                for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(value) = definition.remove(key) {
                        details.insert(key.into(), value);
                    }
                }
                details
                    .entry("scopes")
                    .or_insert_with(|| Value::Object(Map::new()));
                let mut flows = Map::new();
                flows.insert(flow_name.into(), Value::Object(details));
                definition.insert("flows".into(), Value::Object(flows));
            }
            other => {
                return Err(cx.error(
                    push(&at, "type"),
                    format!("`{other}` is not a Swagger 2.0 security scheme type"),
                ));
            }
        }
        cx.origins
            .moved(push("/components/securitySchemes", &name), at);
        schemes.insert(name, Value::Object(definition));
    }
    Ok(Some(Value::Object(schemes)))
}
