//! The check of the generated `examples_roundtrip*.rs` tests, one per
//! document of the crate: the generated file lists every `example` of its
//! document with the type it must decode into; the rules are here, written
//! once.

/// Decodes an example into its type and encodes it back.
pub type Check = fn(&serde_json::Value) -> Result<serde_json::Value, String>;

#[allow(dead_code, reason = "a document may have no examples")]
pub fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// JSON equality that ignores key order and treats `1` and `1.0` alike.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Every example (schema pointer, check, JSON) decodes into its type and
/// re-encodes to equal JSON, but those listed in `exceptions` (the text of
/// an exceptions file: `pointer reason` per line) as wrong for their own
/// schema. An exception that now passes, or whose example left the
/// document, fails too: the first is a fix to record, the second lost
/// coverage, and the two are told apart.
pub fn examples_round_trip(cases: &[(&str, Check, &str)], exceptions: &str) {
    let exceptions: std::collections::BTreeMap<&str, &str> = exceptions
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .collect();
    let mut failures = std::collections::BTreeMap::new();
    for (pointer, check, json) in cases {
        let value: serde_json::Value = serde_json::from_str(json).expect("example is JSON");
        match check(&value) {
            Ok(back) if same(&value, &back) => {}
            Ok(back) => {
                failures.insert(*pointer, format!("re-encodes differently: {back}"));
            }
            Err(e) => {
                failures.insert(*pointer, format!("does not decode: {e}"));
            }
        }
    }
    let passed = cases.len() - failures.len();
    println!(
        "{passed} of {} examples round-trip; {} listed as wrong for their schema",
        cases.len(),
        exceptions.len()
    );
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|(p, _)| !exceptions.contains_key(*p))
        .map(|(p, why)| format!("{p} {why}"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "examples that fail without an exception:\n{}",
        unexpected.join("\n")
    );
    let known: std::collections::BTreeSet<&str> = cases.iter().map(|(p, _, _)| *p).collect();
    let (gone, fixed): (Vec<&str>, Vec<&str>) = exceptions
        .keys()
        .copied()
        .filter(|p| !failures.contains_key(p))
        .partition(|p| !known.contains(p));
    assert!(
        gone.is_empty(),
        "exceptions whose example is no longer in the document (lost, not fixed), remove them: {gone:?}"
    );
    assert!(
        fixed.is_empty(),
        "exceptions that now pass, remove them: {fixed:?}"
    );
}
