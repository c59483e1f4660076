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

#[cfg(test)]
mod tests {
    use super::*;

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
