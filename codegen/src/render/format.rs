//! Tokens → formatted source: `syn` parses, `prettyplease` prints, and a
//! blank line goes between items.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};

use super::{GENERATED_HEADER, RenderError};

/// Formats the tokens of one file, or of a run of its items, without the
/// header.
///
/// The top-level items are parsed and printed a few at a time
/// ([`ITEMS_PER_PARSE`]): `prettyplease` prints every item of a file from a
/// fresh line at the left margin, so the result is the same as for the whole
/// file, while `syn` never holds more than a few items' token buffer. Should
/// the cut between two items be wrong (an item the cut does not know), the
/// tokens from there on are formatted whole instead.
pub fn format_body(path: &str, tokens: TokenStream) -> Result<String, RenderError> {
    format_in_pieces(path, tokens, ITEMS_PER_PARSE)
}

/// [`format_body`], `per_piece` items at a time.
fn format_in_pieces(
    path: &str,
    tokens: TokenStream,
    per_piece: usize,
) -> Result<String, RenderError> {
    let mut pieces = split_items(tokens, per_piece).into_iter();
    let mut out = String::new();
    while let Some(piece) = pieces.next() {
        let parsed = parse_or_return(piece).map_err(|e| RenderError {
            path: path.to_string(),
            reason: e.to_string(),
        })?;
        match parsed {
            Ok(file) => out.push_str(&prettyplease::unparse(&file)),
            Err(piece) => {
                let rest = std::iter::once(piece).chain(pieces).collect();
                return format_whole(path, rest, out);
            }
        }
    }
    Ok(out)
}

/// How many items `syn` parses and `prettyplease` prints at a time: enough
/// to spread the cost of each call, few enough that one token buffer stays
/// small.
const ITEMS_PER_PARSE: usize = 8;

/// `tokens` parsed as a file, or, when they are not one, the tokens back.
///
/// The tokens move into the parser rather than being copied, as a shared
/// token stream is copied whole when parsed; they are read back out of the
/// parser only when they do not parse.
fn parse_or_return(tokens: TokenStream) -> syn::Result<Result<syn::File, TokenStream>> {
    let attempt = |input: ParseStream| -> syn::Result<Result<syn::File, TokenStream>> {
        let start = input.fork();
        match input.parse::<syn::File>() {
            Ok(file) => Ok(Ok(file)),
            Err(_) => {
                // The parser must end having read everything.
                input.parse::<TokenStream>()?;
                Ok(Err(start.parse::<TokenStream>()?))
            }
        }
    };
    attempt.parse2(tokens)
}

/// `done` followed by `rest`, formatted as one file.
fn format_whole(path: &str, rest: TokenStream, mut done: String) -> Result<String, RenderError> {
    let file: syn::File = syn::parse2(rest).map_err(|e| RenderError {
        path: path.to_string(),
        reason: e.to_string(),
    })?;
    done.push_str(&prettyplease::unparse(&file));
    Ok(done)
}

/// Cuts top-level tokens into pieces of `per_piece` items; an item ends
/// after a `;` or a `{ ... }` (with a `;` right after it). Inner attributes
/// stay with the first item, outer attributes with theirs.
fn split_items(tokens: TokenStream, per_piece: usize) -> Vec<TokenStream> {
    let mut pieces = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut items = 0;
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            TokenTree::Ident(_) | TokenTree::Literal(_) => false,
        };
        current.push(tree);
        if ends {
            if matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                current.extend(trees.next());
            }
            items += 1;
            if items == per_piece {
                pieces.push(current.drain(..).collect());
                items = 0;
            }
        }
    }
    if !current.is_empty() {
        pieces.push(current.into_iter().collect());
    }
    pieces
}

/// The header, then `body` with a blank line between items.
pub fn finish_file(body: &str) -> String {
    let mut out = String::with_capacity(GENERATED_HEADER.len() + 1 + body.len() + body.len() / 16);
    out.push_str(GENERATED_HEADER);
    out.push('\n');
    space_items(body, &mut out);
    out
}

/// Puts a blank line between items, which `prettyplease` leaves out, so a
/// reviewer sees one block per item; appends the result to `out`.
fn space_items(text: &str, out: &mut String) {
    const STARTS: &[&str] = &[
        "///", "#[", "pub ", "impl", "fn ", "async ", "const ", "type ", "enum ", "struct ",
        "mod ", "use ",
    ];
    let mut previous = "";
    // `previous` without its indentation.
    let mut prev = "";
    // Whether the last attribute opened was an inner one (`#![...]`): a
    // multi-line inner attribute ends the file's header, a multi-line outer
    // one (`#[cfg(any(...))]`) belongs to the item after it.
    let mut inner_attribute = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        // A top-level item without a body (an alias, a unit struct, a
        // constant) ends at the `;` of its last line; module declarations
        // and imports stay together, and a comment line is not code.
        let declaration = ["use ", "pub use ", "mod ", "pub mod ", "//"]
            .iter()
            .any(|d| previous.starts_with(d));
        let boundary = prev.trim_end() == "}"
            || (previous == ")]" && inner_attribute)
            || (prev.starts_with("use ") && !trimmed.starts_with("use "))
            || (prev.starts_with("//!") && !trimmed.starts_with("//!"))
            || (previous.ends_with(';') && !previous.starts_with(' ') && !declaration);
        if boundary && STARTS.iter().any(|s| trimmed.starts_with(s)) {
            out.push('\n');
        }
        if trimmed.starts_with("#![") {
            inner_attribute = true;
        } else if trimmed.starts_with("#[") {
            inner_attribute = false;
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
        prev = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// What `prettyplease` prints for the whole file at once.
    fn whole(tokens: &TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens.clone()).unwrap())
    }

    #[test]
    fn formatting_item_by_item_prints_what_the_whole_file_prints() {
        let tokens = quote! {
            //! Module docs.
            #![allow(dead_code)]
            use std::fmt;
            /// A struct.
            #[cfg(any(feature = "a", feature = "b"))]
            #[derive(Debug)]
            pub struct Named { pub a: u8, pub b: Option<String> }
            pub struct Tuple(u8, u16);
            pub struct Unit;
            impl fmt::Display for Named {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{}", self.a) }
            }
            const LITERAL: Named = Named { a: 1, b: None };
            static LIST: [u8; 2] = [1, 2];
            pub enum Choice { One, Two { x: u8 } }
            macro_rules! twice { ($e:expr) => { $e * 2 }; }
            pub mod inner { pub fn f() {} }
            pub trait Tr { fn f(&self); }
            type Alias = Vec<u8>;
        };
        let items = split_items(tokens.clone(), 1);
        assert_eq!(items.len(), 12, "one piece per item");
        assert_eq!(split_items(tokens.clone(), 5).len(), 3, "5, 5 and 2 items");
        for per_piece in [1, 2, 5, ITEMS_PER_PARSE, 100] {
            let text = format_in_pieces("f.rs", tokens.clone(), per_piece).unwrap();
            assert_eq!(text, whole(&tokens), "{per_piece} items at a time");
        }
    }

    #[test]
    fn an_item_the_cut_does_not_know_is_formatted_whole() {
        // The struct literal's `}` is not the end of the item.
        let tokens = quote! {
            pub struct P { pub a: u8 }
            impl std::ops::Add for P { type Output = u8; fn add(self, o: P) -> u8 { self.a + o.a } }
            const SUM: u8 = P { a: 1 } + P { a: 2 };
            pub fn after() {}
        };
        // One and two items at a time cut inside `SUM`.
        for per_piece in [1, 2, ITEMS_PER_PARSE] {
            let text = format_in_pieces("f.rs", tokens.clone(), per_piece).unwrap();
            assert_eq!(text, whole(&tokens), "{per_piece} items at a time");
        }
    }

    #[test]
    fn items_are_set_apart_by_a_blank_line_aliases_too() {
        let body = format_body(
            "types.rs",
            quote! {
                /// One; a doc line that ends like a statement:
                ///     let x = 1;
                pub type One = Vec<u8>;
                /// Two, long enough to be wrapped.
                pub type Two = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<One>>>;
                pub struct Three;
                impl Three { type Unused = u8; }
            },
        )
        .unwrap();
        let file = finish_file(&body);
        let blocks: Vec<&str> = file.split("\n\n").collect();
        assert_eq!(blocks.len(), 4, "{file}");
        assert!(
            blocks[1].starts_with("/// Two") && blocks[1].ends_with(">;"),
            "{file}"
        );
        assert!(blocks[3].starts_with("impl Three"), "{file}");
    }

    #[test]
    fn tokens_that_do_not_parse_name_the_file() {
        let error = format_body("apis/x.rs", quote!(pub fn broken -> {})).unwrap_err();
        assert_eq!(error.path, "apis/x.rs");
        assert!(!error.reason.is_empty());
    }
}
