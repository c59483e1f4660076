//! Spec descriptions are Markdown and HTML written for a web page; rustdoc
//! reads them as Rust documentation. This makes them safe for rustdoc: code
//! fences never become doctests, stray brackets never become broken links,
//! raw HTML never becomes an unclosed tag, and bare URLs become links.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for each paragraph given, separated by blank lines.
pub fn doc_attrs(paragraphs: &[Option<&str>]) -> TokenStream {
    let attrs = doc_lines(paragraphs)
        .into_iter()
        .map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// Spec text (sanitized) followed by the generator's own text (trusted, so
/// its intra-doc links survive), as `#[doc]` attributes.
pub fn doc_attrs_with(spec: &[Option<&str>], own: &[&str]) -> TokenStream {
    let mut lines = doc_lines(spec);
    for paragraph in own {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(|l| format!(" {l}")));
    }
    let attrs = lines.into_iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// `#![doc]` attributes, for a module's own documentation.
pub fn inner_doc_attrs(paragraphs: &[Option<&str>]) -> TokenStream {
    let attrs = doc_lines(paragraphs)
        .into_iter()
        .map(|l| quote!(#![doc = #l]));
    quote!(#(#attrs)*)
}

fn doc_lines(paragraphs: &[Option<&str>]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for text in paragraphs.iter().flatten() {
        let clean = sanitize(text);
        if clean.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(clean.lines().map(str::to_string));
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// Rewrites Markdown so rustdoc renders it without warnings.
pub fn sanitize(text: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = fence.as_deref() {
            if trimmed.starts_with(marker) {
                out.push(marker.to_string());
                fence = None;
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            let info = trimmed
                .trim_start_matches(marker.chars().next().unwrap_or('`'))
                .trim();
            let lang = match info {
                "" | "rust" | "rs" => "text",
                other => other,
            };
            out.push(format!("{marker}{lang}"));
            fence = Some(marker.to_string());
            continue;
        }
        // Four leading spaces would start an indented code block, which rustdoc
        // would try to compile as a doctest.
        let indent = (line.len() - trimmed.len()).min(3);
        out.push(format!("{}{}", " ".repeat(indent), escape_inline(trimmed)));
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Escapes one line outside code fences, leaving code spans untouched.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, segment) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd segments sit between backticks: code spans, already literal.
        if i % 2 == 1 && line.matches('`').count().is_multiple_of(2) {
            out.push_str(segment);
        } else {
            escape_text(segment, &mut out);
        }
    }
    out
}

fn escape_text(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    let keep_brackets = link_brackets(&chars);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && chars.get(i + 1) == Some(&'(') && keep_brackets.contains(&i) {
            // A link target: copy through to its closing parenthesis.
            let end = chars[i..]
                .iter()
                .position(|&c| c == ')')
                .map_or(chars.len(), |p| i + p + 1);
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        if c == 'h' && (starts_with(&chars[i..], "http://") || starts_with(&chars[i..], "https://"))
        {
            let end = chars[i..]
                .iter()
                .position(|c| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']' | '|')
                })
                .map_or(chars.len(), |p| i + p);
            let mut url: String = chars[i..end].iter().collect();
            let mut trail = String::new();
            while url.ends_with(['.', ',', ';', ':', '!', '?']) {
                trail.insert(0, url.pop().unwrap_or_default());
            }
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&trail);
            i = end;
            continue;
        }
        match c {
            '[' | ']' if !keep_brackets.contains(&i) => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        i += 1;
    }
}

/// Whether `chars` begins with `prefix`.
fn starts_with(chars: &[char], prefix: &str) -> bool {
    let mut rest = chars.iter();
    prefix.chars().all(|p| rest.next() == Some(&p))
}

/// Positions of `[` and `]` that form `[text](target)` links.
fn link_brackets(chars: &[char]) -> Vec<usize> {
    let mut keep = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '[' => open.push(i),
            ']' => {
                if let Some(start) = open.pop()
                    && chars.get(i + 1) == Some(&'(')
                    && chars[i + 1..].contains(&')')
                {
                    keep.push(start);
                    keep.push(i);
                }
            }
            _ => {}
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn fences_never_become_doctests() {
        assert_eq!(sanitize("a\n```\ncurl x\n```"), "a\n```text\ncurl x\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(sanitize("```\nunclosed"), "```text\nunclosed\n```");
    }

    #[test]
    fn indented_code_blocks_are_flattened() {
        assert_eq!(sanitize("text\n\n        code"), "text\n\n   code");
    }

    #[test]
    fn brackets_html_and_urls_are_escaped() {
        assert_eq!(
            sanitize("see [docs](https://x.io/a) and [x]"),
            "see [docs](https://x.io/a) and \\[x\\]"
        );
        assert_eq!(sanitize("a <br> b"), "a &lt;br&gt; b");
        assert_eq!(sanitize("go to https://x.io/a."), "go to <https://x.io/a>.");
        assert_eq!(sanitize("`[keep] <this>`"), "`[keep] <this>`");
    }
}
