//! Percent-encoding of parameter values, following RFC 6570 as OpenAPI
//! requires for `style: form` (query) and `style: simple` (path, header).
//!
//! A value is encoded on its own before it is joined with others, so a
//! delimiter inside a value (`,` in `"Smith, J"`) can never be read as the
//! separator between values; the separators themselves stay literal.

use std::fmt::Display;

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// RFC 3986 unreserved characters pass; everything else is escaped
/// (RFC 6570 expansion for `{?var}` and `{var}`).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Unreserved and reserved characters pass (`allowReserved: true`, RFC 6570
/// `{+var}`): only what is in neither set is escaped, plus `%` itself.
const UNRESERVED_AND_RESERVED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes one parameter value.
///
/// With `allow_reserved` the RFC 3986 reserved characters
/// (`:/?#[]@!$&'()*+,;=`) are kept literal, as a parameter declaring
/// `allowReserved: true` asks.
///
/// ```
/// use jumpcloud_client::runtime::encode_value;
///
/// // RFC 6570, section 3.2.1.
/// assert_eq!(encode_value("Hello World!", false), "Hello%20World%21");
/// assert_eq!(encode_value("Hello World!", true), "Hello%20World!");
/// ```
pub fn encode_value(value: impl AsRef<str>, allow_reserved: bool) -> String {
    let set = if allow_reserved {
        UNRESERVED_AND_RESERVED
    } else {
        UNRESERVED
    };
    utf8_percent_encode(value.as_ref(), set).to_string()
}

/// Encodes each item and joins them with literal commas: an array with
/// `style: form, explode: false` or `style: simple`.
///
/// ```
/// use jumpcloud_client::runtime::encode_list;
///
/// assert_eq!(encode_list(&["name:eq:Smith, J"], false), "name%3Aeq%3ASmith%2C%20J");
/// assert_eq!(encode_list(&["red", "green"], false), "red,green");
/// ```
pub fn encode_list<T: Display>(items: &[T], allow_reserved: bool) -> String {
    items
        .iter()
        .map(|item| encode_value(item.to_string(), allow_reserved))
        .collect::<Vec<_>>()
        .join(",")
}
