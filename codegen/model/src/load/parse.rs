/// Parses YAML (and therefore JSON, a subset of it) into a JSON tree.
///
/// This is the one place the YAML library is named, so it can be swapped
/// without touching anything else.
///
/// A large document is parsed in parts on several threads when its layout
/// allows ([`super::yaml_parts`]); the result is the same tree, and any part
/// that does not parse alone sends the whole text through the one parser, so
/// errors always name the line and column in the document as written.
pub fn parse_document(text: &str) -> Result<serde_json::Value, String> {
    if let Some(value) = super::yaml_parts::parse_in_parts(text, parse_yaml) {
        return Ok(value);
    }
    parse_yaml(text)
}

/// The YAML library's reading of `text` as one document.
fn parse_yaml(text: &str) -> Result<serde_json::Value, String> {
    serde_yaml::from_str(text).map_err(|e| match e.location() {
        Some(loc) => format!(
            "malformed YAML at line {}, column {}: {e}",
            loc.line(),
            loc.column()
        ),
        None => format!("malformed YAML: {e}"),
    })
}
