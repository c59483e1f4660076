/// Parses YAML (and therefore JSON, a subset of it) into a JSON tree.
///
/// This is the one place the YAML library is named, so it can be swapped
/// without touching anything else.
pub fn parse_document(text: &str) -> Result<serde_json::Value, String> {
    let value: serde_json::Value = serde_yaml::from_str(text).map_err(|e| match e.location() {
        Some(loc) => format!(
            "malformed YAML at line {}, column {}: {e}",
            loc.line(),
            loc.column()
        ),
        None => format!("malformed YAML: {e}"),
    })?;
    Ok(value)
}
