//! What every operation must look like on the wire, read straight from the
//! document (with the manifest's overlays applied) by walking its JSON:
//! nothing here goes through the generator's model, so a wrong decision
//! there cannot be checked against itself.
//!
//! The tree walked is the document in its OpenAPI 3.0 form: a Swagger 2.0
//! or OpenAPI 3.1 document is first brought there by the loader's front
//! end, which `cargo xtask judge` checks against swagger2openapi's
//! conversion, independently of this test.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One declared parameter.
pub struct Parameter {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub explode: bool,
}

/// An operation as the document declares it.
pub struct Expected {
    pub method: String,
    pub template: String,
    pub parameters: Vec<Parameter>,
    /// Media types of the request body, and whether it is required.
    pub body: Option<(Vec<String>, bool)>,
    /// Success statuses (`200`, `2XX`, `default`…) with the media type and
    /// schema of their body, if any.
    pub success: Vec<(String, Option<(String, Value)>)>,
}

pub struct Document {
    raw: Value,
}

impl Document {
    /// The pinned document with the manifest's overlays applied.
    #[allow(dead_code, reason = "only the main document's test calls it")]
    pub fn load() -> Document {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        Self::load_pinned(&workspace.join("spec/manifest.toml"))
    }

    /// The document the main manifest mounts as `module` (its settings'
    /// `module`), pinned by its own manifest, with its overlays applied.
    #[allow(dead_code, reason = "only the mounted documents' tests call it")]
    pub fn load_mounted(module: &str) -> Document {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let main_path = workspace.join("spec/manifest.toml");
        let main = codegen::manifest::Manifest::read(&main_path).expect("manifest");
        let found = main
            .documents
            .iter()
            .map(|relative| workspace.join("spec").join(relative))
            .find(|path| {
                let manifest = codegen::manifest::Manifest::read(path).expect("manifest");
                let settings = manifest.settings(path).expect("settings");
                settings.module.as_deref() == Some(module)
            })
            .unwrap_or_else(|| panic!("the main manifest mounts no `{module}`"));
        Self::load_pinned(&found)
    }

    fn load_pinned(manifest_path: &std::path::Path) -> Document {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let manifest = codegen::manifest::Manifest::read(manifest_path).expect("manifest");
        let document = workspace.join(&manifest.document.path);
        let overlays = manifest.overlay_paths(manifest_path);
        let raw = codegen::load::load(&document, &overlays)
            .expect("the pinned document loads with its overlays")
            .raw;
        Document { raw }
    }

    /// Header names the security schemes put on requests.
    pub fn security_headers(&self) -> Vec<String> {
        let schemes = self
            .raw
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        schemes
            .into_iter()
            .flatten()
            .filter(|(_, s)| s["in"] == "header")
            .filter_map(|(_, s)| s["name"].as_str().map(str::to_ascii_lowercase))
            .collect()
    }

    /// Every operation, by `operationId`.
    pub fn operations(&self) -> BTreeMap<String, Expected> {
        let mut out = BTreeMap::new();
        let paths = self.raw["paths"].as_object().expect("paths");
        for (template, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let mut parameters: Vec<Parameter> = Vec::new();
                // Operation parameters override path-level ones (§4.7.10).
                for p in self
                    .list(item, "parameters")
                    .chain(self.list(op, "parameters"))
                {
                    let p = self.resolve(p);
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    let location = p["in"].as_str().unwrap_or_default().to_string();
                    parameters.retain(|q| !(q.name == name && q.location == location));
                    let style = p["style"].as_str().unwrap_or(match location.as_str() {
                        "query" | "cookie" => "form",
                        _ => "simple",
                    });
                    parameters.push(Parameter {
                        required: p["required"] == true || location == "path",
                        explode: p["explode"].as_bool().unwrap_or(style == "form"),
                        name,
                        location,
                    });
                }
                let body = op.get("requestBody").map(|b| {
                    let b = self.resolve(b);
                    let types = b["content"]
                        .as_object()
                        .map(|c| c.keys().cloned().collect());
                    (types.unwrap_or_default(), b["required"] == true)
                });
                let mut success = Vec::new();
                let responses = op["responses"].as_object().into_iter().flatten();
                let mut default = None;
                for (status, r) in responses {
                    let r = self.resolve(r);
                    let content = r["content"].as_object().and_then(|c| {
                        let (media, m) = c
                            .iter()
                            .find(|(k, _)| k.contains("json"))
                            .or_else(|| c.iter().next())?;
                        Some((media.clone(), m.get("schema").cloned().unwrap_or(json!({}))))
                    });
                    if status.starts_with('2') {
                        success.push((status.clone(), content));
                    } else if status == "default" {
                        default = Some(content);
                    }
                }
                // §4.7.16: `default` covers the statuses not declared; it is
                // the success response only when no 2XX one is.
                if success.is_empty()
                    && let Some(content) = default
                {
                    success.push(("default".to_string(), content));
                }
                let id = op["operationId"]
                    .as_str()
                    .map_or_else(|| format!("{method} {template}"), str::to_string);
                out.insert(
                    id,
                    Expected {
                        method: method.to_ascii_uppercase(),
                        template: template.clone(),
                        parameters,
                        body,
                        success,
                    },
                );
            }
        }
        out
    }

    fn list<'a>(&'a self, owner: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
        owner
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    }

    /// Follows local `$ref`s; fragments are percent-encoded JSON pointers.
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let fragment = target.trim_start_matches('#');
            let pointer = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
            node = self.raw.pointer(&pointer).unwrap_or(&Value::Null);
        }
        node
    }

    /// A value valid for `schema`, built by the rules of JSON Schema alone.
    pub fn sample(&self, schema: &Value) -> Value {
        self.sample_at(schema, 0)
    }

    fn sample_at(&self, schema: &Value, depth: usize) -> Value {
        let s = self.resolve(schema);
        if let Some(first) = s["enum"]
            .as_array()
            .and_then(|v| v.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        if let Some(members) = s["allOf"].as_array() {
            let mut merged = serde_json::Map::new();
            for m in members {
                if let Value::Object(part) = self.sample_at(m, depth + 1) {
                    merged.extend(part);
                }
            }
            if let Value::Object(own) = self.object(s, depth) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = s[key].as_array().and_then(|m| m.first()) {
                let mut value = self.sample_at(first, depth + 1);
                if let (Some(property), Some(reference)) = (
                    s.pointer("/discriminator/propertyName")
                        .and_then(Value::as_str),
                    first["$ref"].as_str(),
                ) {
                    let mapping = s
                        .pointer("/discriminator/mapping")
                        .and_then(Value::as_object);
                    let tag = mapping
                        .and_then(|m| {
                            m.iter()
                                .find(|(_, t)| *t == reference)
                                .map(|(k, _)| k.clone())
                        })
                        .unwrap_or_else(|| {
                            reference.rsplit('/').next().unwrap_or_default().to_string()
                        });
                    value[property] = Value::String(tag);
                }
                return value;
            }
        }
        match s["type"].as_str() {
            Some("string") => match s["format"].as_str() {
                Some("date-time") => json!("2024-01-02T03:04:05Z"),
                Some("date") => json!("2024-01-02"),
                Some("uuid") => json!("00000000-0000-4000-8000-000000000000"),
                Some("byte") => json!("AAEC"),
                _ => json!("s"),
            },
            Some("integer") => json!(1),
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            Some("array") if depth < 6 => json!([self.sample_at(&s["items"], depth + 1)]),
            Some("array") => json!([]),
            _ => self.object(s, depth),
        }
    }

    /// Required properties only, so recursive types stay finite.
    fn object(&self, s: &Value, depth: usize) -> Value {
        let mut out = serde_json::Map::new();
        let required = s["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        for name in required {
            if let Some(p) = s.pointer(&format!(
                "/properties/{}",
                name.replace('~', "~0").replace('/', "~1")
            )) {
                out.insert(name.to_string(), self.sample_at(p, depth + 1));
            }
        }
        Value::Object(out)
    }
}

/// Headers any HTTP client or this crate's runtime adds on its own.
const TRANSPORT_HEADERS: &[&str] = &[
    "host",
    "accept",
    "accept-encoding",
    "content-type",
    "content-length",
    "user-agent",
    "connection",
    "transfer-encoding",
];

/// Differences between a request and what the document declares.
pub fn check_request(
    want: &Expected,
    security: &[String],
    request: &wiremock::Request,
) -> Vec<String> {
    let mut problems = Vec::new();
    if request.method.as_str() != want.method {
        problems.push(format!(
            "method {} but the document says {}",
            request.method, want.method
        ));
    }
    if !matches_template(&want.template, request.url.path()) {
        problems.push(format!(
            "path {} does not fit {}",
            request.url.path(),
            want.template
        ));
    }
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let declared = |location: &str, name: &str| {
        want.parameters
            .iter()
            .find(|p| p.location == location && p.name.eq_ignore_ascii_case(name))
    };
    for (name, _) in &pairs {
        if declared("query", name).is_none() {
            problems.push(format!("query `{name}` is not declared"));
        }
    }
    for name in request.headers.keys() {
        let name = name.as_str();
        if !TRANSPORT_HEADERS.contains(&name)
            && !security.iter().any(|s| s == name)
            && declared("header", name).is_none()
        {
            problems.push(format!("header `{name}` is not declared"));
        }
    }
    for p in want.parameters.iter().filter(|p| p.required) {
        let sent = match p.location.as_str() {
            "query" => pairs.iter().filter(|(k, _)| *k == p.name).count(),
            "header" => request.headers.get_all(p.name.as_str()).iter().count(),
            _ => 1,
        };
        if sent == 0 {
            problems.push(format!("required {} `{}` not sent", p.location, p.name));
        }
        // `explode: false` puts an array in one `name=a,b` pair (§4.7.12.4).
        if p.location == "query" && !p.explode && sent > 1 {
            problems.push(format!(
                "query `{}` sent {sent} times though not exploded",
                p.name
            ));
        }
    }
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    match &want.body {
        Some((types, required)) => {
            if *required
                && request.body.is_empty()
                && !types.iter().any(|t| t.starts_with("multipart/"))
            {
                problems.push("required body not sent".to_string());
            }
            if let Some(sent) = content_type
                && !types
                    .iter()
                    .any(|t| sent.starts_with(t.as_str()) || t == "*/*")
            {
                problems.push(format!("content type {sent} not among {types:?}"));
            }
        }
        None if !request.body.is_empty() => {
            problems.push("a body the document does not declare".to_string())
        }
        None => {}
    }
    problems
}

/// Whether `path` is `template` with each `{name}` replaced by one segment.
fn matches_template(template: &str, path: &str) -> bool {
    let want: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    want.len() == got.len()
        && want.iter().zip(&got).all(|(w, g)| {
            if w.contains('{') {
                let (prefix, rest) = w.split_once('{').unwrap_or_default();
                let suffix = rest.rsplit_once('}').map_or("", |(_, s)| s);
                g.len() > prefix.len() + suffix.len()
                    && g.starts_with(prefix)
                    && g.ends_with(suffix)
            } else {
                w == g
            }
        })
}
