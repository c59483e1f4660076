//! Parameter encoding checked against the expansion examples of RFC 6570
//! (section 3.2), whose variables are:
//! `hello = "Hello World!"`, `half = "50%"`, `base = "http://example.com/home/"`,
//! `path = "/foo/bar"`, `list = ("red", "green", "blue")`.

use jumpcloud_client::runtime::{encode_list, encode_path_segment, encode_value};

#[test]
fn form_and_simple_expansion_escape_everything_but_unreserved() {
    // 3.2.2 `{hello}` and `{half}`; 3.2.8 `{?hello}` uses the same encoding.
    assert_eq!(encode_value("Hello World!", false), "Hello%20World%21");
    assert_eq!(encode_value("50%", false), "50%25");
    // 3.2.2: `{base}index` -> `http%3A%2F%2Fexample.com%2Fhome%2Findex`.
    assert_eq!(
        format!("{}index", encode_value("http://example.com/home/", false)),
        "http%3A%2F%2Fexample.com%2Fhome%2Findex"
    );
    // 3.2.2 `{path}` -> `%2Ffoo%2Fbar`.
    assert_eq!(encode_value("/foo/bar", false), "%2Ffoo%2Fbar");
}

#[test]
fn reserved_expansion_keeps_reserved_characters() {
    // 3.2.3 `{+hello}`, `{+half}`, `{+base}index`, `{+path}/here`.
    assert_eq!(encode_value("Hello World!", true), "Hello%20World!");
    assert_eq!(encode_value("50%", true), "50%25");
    assert_eq!(
        format!("{}index", encode_value("http://example.com/home/", true)),
        "http://example.com/home/index"
    );
    assert_eq!(
        format!("{}/here", encode_value("/foo/bar", true)),
        "/foo/bar/here"
    );
}

#[test]
fn lists_join_with_literal_commas() {
    // 3.2.8 `{?list}` -> `?list=red,green,blue`.
    assert_eq!(
        encode_list(&["red", "green", "blue"], false),
        "red,green,blue"
    );
    assert_eq!(encode_list::<&str>(&[], false), "");
}

#[test]
fn a_comma_inside_an_item_is_not_a_separator() {
    // RFC 6570 2.4.2 / 3.2.1: a list's separators are literal, while every
    // character of a value outside the allowed set is pct-encoded; `,` is
    // not unreserved, so inside a value it becomes `%2C`.
    assert_eq!(
        encode_list(&["name:eq:Smith, J"], false),
        "name%3Aeq%3ASmith%2C%20J"
    );
    assert_eq!(encode_list(&["a,b", "c"], false), "a%2Cb,c");
}

#[test]
fn path_segments_follow_simple_expansion() {
    // 3.2.2 `{hello}`, `{half}`, `{path}`.
    assert_eq!(encode_path_segment("Hello World!"), "Hello%20World%21");
    assert_eq!(encode_path_segment("50%"), "50%25");
    assert_eq!(encode_path_segment("/foo/bar"), "%2Ffoo%2Fbar");
    assert_eq!(encode_path_segment("Smith, J"), "Smith%2C%20J");
}
