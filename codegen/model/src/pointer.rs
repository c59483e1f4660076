//! RFC 6901 JSON pointers and the `$ref` fragments that carry them: the one
//! place that escapes and unescapes reference tokens.

use percent_encoding::percent_decode_str;

/// Appends one reference token to a pointer, escaping `~` and `/`.
pub fn push(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// Appends several tokens, each escaped on its own.
pub fn push_all(base: &str, tokens: &[&str]) -> String {
    tokens.iter().fold(base.to_string(), |at, t| push(&at, t))
}

/// Escapes one reference token (`~` first, so `/` → `~1` is not re-escaped).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token (`~1` first, so `~01` stays `~1`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Turns the fragment of a `$ref` (after `#`) into a JSON pointer: fragments
/// are URI-encoded, pointers are not. Bytes that do not decode to UTF-8 are
/// replaced, so a malformed fragment simply points nowhere.
pub fn decode_fragment(fragment: &str) -> String {
    percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The name a local `$ref` gives under `#/components/<section>/`, decoded;
/// `None` for a reference anywhere else or one that goes deeper.
pub fn component_name(reference: &str, section: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let pointer = decode_fragment(fragment);
    let rest = pointer
        .strip_prefix("/components/")?
        .strip_prefix(section)?;
    let token = rest.strip_prefix('/')?;
    (!token.contains('/')).then(|| unescape(token))
}

/// The JSON pointer a local `$ref` names, decoded; `None` for external ones.
pub fn local_target(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(decode_fragment)
}

/// The node `pointer` names in `value`, as `serde_json::Value::pointer`
/// finds it, without an allocation for each token that needs no unescaping.
pub fn get<'a>(value: &'a serde_json::Value, pointer: &str) -> Option<&'a serde_json::Value> {
    let mut node = value;
    for token in tokens(pointer)? {
        node = match node {
            serde_json::Value::Object(map) => map.get(token.as_ref())?,
            serde_json::Value::Array(items) => items.get(index(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// [`get`], mutably.
pub fn get_mut<'a>(
    value: &'a mut serde_json::Value,
    pointer: &str,
) -> Option<&'a mut serde_json::Value> {
    let mut node = value;
    for token in tokens(pointer)? {
        node = match node {
            serde_json::Value::Object(map) => map.get_mut(token.as_ref())?,
            serde_json::Value::Array(items) => items.get_mut(index(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The unescaped reference tokens of a pointer; `None` when it is neither
/// empty nor starts with `/`.
fn tokens(pointer: &str) -> Option<impl Iterator<Item = std::borrow::Cow<'_, str>>> {
    let rest = match pointer {
        "" => None,
        _ => Some(pointer.strip_prefix('/')?),
    };
    Some(
        rest.into_iter()
            .flat_map(|rest| rest.split('/'))
            .map(|token| {
                if token.contains('~') {
                    std::borrow::Cow::Owned(unescape(token))
                } else {
                    std::borrow::Cow::Borrowed(token)
                }
            }),
    )
}

/// An array index token: digits, without a leading zero or sign.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() > 1) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `get` and `get_mut` find what `serde_json`'s own pointer finds, for
    /// pointers that exercise every rule of RFC 6901.
    #[test]
    fn get_agrees_with_serde_json() {
        let mut doc = serde_json::json!({
            "": {"": 0},
            "a/b": {"c~d": [10, 11, {"e": true}]},
            "paths": {"/users/{id}": {"get": {"parameters": [{"schema": {"type": "string"}}]}}},
            "list": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
            " ": 7
        });
        let pointers = [
            "",
            "/",
            "//",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/2/e",
            "/a~1b/c~0d/3",
            "/paths/~1users~1{id}/get/parameters/0/schema/type",
            "/list/10",
            "/list/01",
            "/list/+1",
            "/list/-",
            "/list/-1",
            "/list/1/x",
            "/ ",
            "no-slash",
            "/missing/x",
            "/a~1b/c~0d/1e0",
            "/a~2b",
            "/list/18446744073709551616",
        ];
        for pointer in pointers {
            assert_eq!(get(&doc, pointer), doc.pointer(pointer), "{pointer:?}");
            let expected = doc.clone().pointer_mut(pointer).map(|v| v.clone());
            assert_eq!(
                get_mut(&mut doc, pointer).map(|v| v.clone()),
                expected,
                "{pointer:?}"
            );
        }
    }

    // Examples from RFC 6901 §3 and §6.
    #[test]
    fn escaping_follows_rfc_6901() {
        assert_eq!(push("/paths", "/users/{id}"), "/paths/~1users~1{id}");
        assert_eq!(escape("a~/b"), "a~0~1b");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(unescape("a~1b"), "a/b");
        assert_eq!(push_all("", &["a/b", "0"]), "/a~1b/0");
    }

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(decode_fragment("/c%25d"), "/c%d");
        assert_eq!(decode_fragment("/a%20b"), "/a b");
        // A `%` not followed by two hex digits is kept as it is.
        assert_eq!(decode_fragment("/A%1é"), "/A%1é");
        assert_eq!(decode_fragment("/A%"), "/A%");
        // An encoded byte that is not UTF-8 does not fail the decoding.
        assert_eq!(decode_fragment("/A%ff"), "/A\u{fffd}");
    }

    #[test]
    fn component_names_are_decoded() {
        let name = component_name("#/components/schemas/a~1b%20c", "schemas");
        assert_eq!(name.as_deref(), Some("a/b c"));
        assert_eq!(
            component_name("#/components/schemas/a/properties/b", "schemas"),
            None
        );
        assert_eq!(component_name("#/components/parameters/a", "schemas"), None);
        assert_eq!(
            component_name("other.yaml#/components/schemas/a", "schemas"),
            None
        );
    }
}
