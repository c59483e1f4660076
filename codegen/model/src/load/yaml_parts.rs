//! Parsing a large block-style YAML mapping in parts, one per thread.
//!
//! An API document is one mapping whose entries (`paths:`, `components:`)
//! each start on a line of their own at the left margin, and the largest of
//! them is again a mapping whose entries (`  /users:`) start at one
//! indentation. Cut at such lines, each run of entries is a YAML document of
//! its own; the runs are parsed at once and their mappings joined in order.
//!
//! The cut only ever falls where an entry begins, and the layout is checked
//! before anything is cut: the text must be a block mapping whose every line
//! at the left margin starts an entry, and a section is cut only when every
//! line of it is blank, a comment or indented at least as far as its entries.
//! Whatever the check cannot rule out (an alias to an anchor in another part,
//! a quoted scalar running over a cut, a key repeated across parts) makes a
//! part fail to parse or the join fail, and the caller then parses the whole
//! text, so the result is always what the one parser makes of the document.

use serde_json::{Map, Value};

/// Below this size the threads cost more than they save.
const MIN_BYTES: usize = 256 * 1024;

/// At most this many parts, however many cores there are.
const MAX_PARTS: usize = 4;

/// Where a part may begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    /// Byte offset of the line that starts the entry.
    at: usize,
    /// For an entry inside a top-level section: the byte range of that
    /// section's key line, which the part repeats so its entries parse.
    within: Option<(usize, usize)>,
}

/// Parses `text` in parts with `parse` on as many threads as the machine
/// has (at most [`MAX_PARTS`]), or returns `None` when the text is small,
/// not laid out for cutting, or any part does not parse on its own.
pub fn parse_in_parts<F>(text: &str, parse: F) -> Option<Value>
where
    F: Fn(&str) -> Result<Value, String> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    parse_with(text, threads.min(MAX_PARTS), MIN_BYTES, &parse)
}

/// [`parse_in_parts`] with the number of parts and the threshold given.
fn parse_with<F>(text: &str, parts: usize, min_bytes: usize, parse: &F) -> Option<Value>
where
    F: Fn(&str) -> Result<Value, String> + Sync,
{
    if parts < 2 || text.len() < min_bytes {
        return None;
    }
    let cuts = choose(&cuts(text)?, text.len(), parts);
    if cuts.is_empty() {
        return None;
    }
    let texts = part_texts(text, &cuts);
    let parsed: Vec<Option<Map<String, Value>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = texts[1..]
            .iter()
            .map(|part| scope.spawn(move || as_map(parse(part))))
            .collect();
        let mut all = vec![as_map(parse(&texts[0]))];
        // A part whose thread panicked is one that did not parse.
        all.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
        all
    });
    let continued: Vec<bool> = cuts.iter().map(|c| c.within.is_some()).collect();
    join(parsed, &continued)
}

fn as_map(parsed: Result<Value, String>) -> Option<Map<String, Value>> {
    match parsed {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The text of each part: the first from the start of the document, each
/// other from its cut, with its section's key line first when it begins
/// inside a section.
fn part_texts<'a>(text: &'a str, cuts: &[Cut]) -> Vec<std::borrow::Cow<'a, str>> {
    let first = Cut {
        at: 0,
        within: None,
    };
    let ends = cuts.iter().map(|c| c.at).chain([text.len()]);
    std::iter::once(&first)
        .chain(cuts)
        .zip(ends)
        .map(|(start, end)| {
            let body = &text[start.at..end];
            match start.within {
                Some((from, to)) => format!("{}\n{body}", &text[from..to]).into(),
                None => body.into(),
            }
        })
        .collect()
}

/// Joins the parts' mappings in order. A part that begins inside a section
/// continues the mapping of the previous part's last key. Any key met twice
/// gives `None`: the one parser decides what a repeated key means.
fn join(parts: Vec<Option<Map<String, Value>>>, continued: &[bool]) -> Option<Value> {
    let mut parts = parts.into_iter();
    let mut root = parts.next()??;
    for (part, &continues) in parts.zip(continued) {
        let mut entries = part?.into_iter();
        if continues {
            let (key, Value::Object(more)) = entries.next()? else {
                return None;
            };
            let (last_key, Value::Object(section)) = root.iter_mut().next_back()? else {
                return None;
            };
            if *last_key != key {
                return None;
            }
            for (k, v) in more {
                if section.insert(k, v).is_some() {
                    return None;
                }
            }
        }
        for (k, v) in entries {
            if root.insert(k, v).is_some() {
                return None;
            }
        }
    }
    Some(Value::Object(root))
}

/// One line of the text, without its line break.
struct Line<'a> {
    /// Byte offset of its first character.
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    /// Blank, or a comment (which cannot sit inside a block scalar at an
    /// indentation where the layout check lets it matter).
    fn is_filler(&self) -> bool {
        let rest = self.text.trim_start_matches(' ');
        rest.trim_end().is_empty() || rest.starts_with('#')
    }
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |piece| {
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let line = Line {
            start,
            text: body.strip_suffix('\r').unwrap_or(body),
        };
        start += piece.len();
        line
    })
}

/// Whether a line at the left margin can start a plain or quoted mapping key.
fn starts_entry(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    !matches!(
        first,
        ' ' | '\t'
            | '#'
            | '-'
            | '?'
            | ':'
            | '['
            | ']'
            | '{'
            | '}'
            | ','
            | '%'
            | '@'
            | '`'
            | '|'
            | '>'
            | '!'
            | '&'
            | '*'
    ) && !line.starts_with("...")
}

/// A top-level section being read: where its entries may be cut.
struct Section {
    /// Byte range of its key line, without trailing spaces.
    header: (usize, usize),
    /// Whether the key line is a bare `key:`, so the body may be a mapping.
    bare: bool,
    /// The indentation of its body's first line, once read.
    indent: Option<usize>,
    /// `false` once a line rules cutting the body out.
    cuttable: bool,
    cuts: Vec<Cut>,
}

impl Section {
    fn new(line: &Line<'_>) -> Self {
        let header = line.text.trim_end();
        Section {
            header: (line.start, line.start + header.len()),
            bare: header.ends_with(':') && !header.contains(": ") && !header.contains(" #"),
            indent: None,
            cuttable: true,
            cuts: Vec::new(),
        }
    }

    /// Reads one indented, non-filler line of the body.
    fn read(&mut self, line: &Line<'_>, indent: usize) {
        if !self.cuttable {
            return;
        }
        let rest = &line.text[indent..];
        match self.indent {
            // The body must open a block mapping.
            None if self.bare && starts_entry(rest) => self.indent = Some(indent),
            None => self.cuttable = false,
            Some(entries) if indent < entries || (indent == entries && rest.starts_with('?')) => {
                // Less indented than its entries, or a complex key: whole.
                self.cuttable = false;
            }
            Some(entries) if indent == entries && starts_entry(rest) => self.cuts.push(Cut {
                at: line.start,
                within: Some(self.header),
            }),
            Some(_) => {}
        }
    }

    /// The cuts inside the section, after its first entry.
    fn finish(self) -> Vec<Cut> {
        if self.cuttable { self.cuts } else { Vec::new() }
    }
}

/// Every place a part may begin, in order, or `None` when the text is not a
/// block mapping laid out one entry per left-margin line.
///
/// A section (a top-level entry) is cut between its own entries only when
/// its key line is a bare `key:` and its body a block mapping every line of
/// which is filler or indented at least as far as its entries.
fn cuts(text: &str) -> Option<Vec<Cut>> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let mut cuts = Vec::new();
    let mut section: Option<Section> = None;
    for line in lines(text) {
        if line.is_filler() {
            continue;
        }
        let indent = line.indent();
        if indent > 0 {
            // Text before the first entry is not a mapping's.
            section.as_mut()?.read(&line, indent);
            continue;
        }
        if !starts_entry(line.text) {
            return None;
        }
        if let Some(done) = section.take() {
            cuts.extend(done.finish());
            cuts.push(Cut {
                at: line.start,
                within: None,
            });
        }
        section = Some(Section::new(&line));
    }
    cuts.extend(section?.finish());
    Some(cuts)
}

/// Of `cuts`, the `parts - 1` nearest to dividing `len` bytes evenly, in
/// order and without repeats.
fn choose(cuts: &[Cut], len: usize, parts: usize) -> Vec<Cut> {
    let mut chosen: Vec<Cut> = Vec::new();
    for k in 1..parts {
        let goal = len * k / parts;
        let i = cuts.partition_point(|c| c.at < goal);
        let nearest = [i.checked_sub(1), Some(i)]
            .into_iter()
            .flatten()
            .filter_map(|i| cuts.get(i))
            .min_by_key(|c| c.at.abs_diff(goal));
        if let Some(&cut) = nearest
            && chosen.last().is_none_or(|last| last.at < cut.at)
        {
            chosen.push(cut);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<Value, String> {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }

    /// Parsed in `parts` parts whatever its size.
    fn in_parts(text: &str, parts: usize) -> Option<Value> {
        parse_with(text, parts, 0, &yaml)
    }

    const DOC: &str = "\
openapi: 3.0.3
info:
  title: t
  description: |
    # Heading at two spaces inside a block scalar
    text
paths:
  /a:
    get:
      summary: first
  # a comment between entries
  /b/{id}:
    get:
      summary: second
  '/c':
    get:
      tags:
      - x
components:
  schemas:
    A:
      type: string
";

    #[test]
    fn parts_join_to_what_the_whole_parse_gives() {
        let whole = yaml(DOC).unwrap();
        for parts in 2..=6 {
            assert_eq!(in_parts(DOC, parts).as_ref(), Some(&whole), "{parts} parts");
        }
        // Cuts fall inside `paths` as well as between the sections.
        let all = cuts(DOC).unwrap();
        assert!(all.iter().any(|c| c.within.is_some()));
        assert!(all.iter().any(|c| c.within.is_none()));
    }

    /// What `parse_document` does: the parts, or else the whole text.
    fn read(text: &str, parts: usize) -> Result<Value, String> {
        in_parts(text, parts).map_or_else(|| yaml(text), Ok)
    }

    #[test]
    fn an_alias_to_an_anchor_in_another_part_leaves_it_to_the_whole_parse() {
        let text = "\
a: &shared
  x: 1
b:
  y: 2
c: *shared
";
        let whole = yaml(text).unwrap();
        assert_eq!(whole["c"]["x"], 1);
        // Cut before `c`, the alias cannot resolve in its part.
        let cut_c = Cut {
            at: text.find("c:").unwrap(),
            within: None,
        };
        assert!(yaml(&part_texts(text, &[cut_c])[1]).is_err());
        for parts in 2..=4 {
            assert_eq!(read(text, parts), Ok(whole.clone()), "{parts} parts");
        }
    }

    #[test]
    fn a_key_repeated_across_parts_is_not_joined() {
        let text = "a:\n  x: 1\nb: 2\na:\n  y: 3\n";
        assert_eq!(in_parts(text, 3), None);
        let text = "paths:\n  /a: 1\n  /b: 2\n  /a: 3\n";
        assert_eq!(in_parts(text, 3), None);
    }

    #[test]
    fn text_not_laid_out_as_a_block_mapping_is_not_cut() {
        for text in [
            "---\na: 1\nb: 2\n",
            "- a\n- b\n",
            "{\"a\": 1,\n\"b\": 2}\n",
            "a: 1\n? b\n: 2\n",
            "\u{feff}a: 1\nb: 2\n",
        ] {
            assert_eq!(cuts(text).map(|c| c.len()).unwrap_or(0), 0, "{text:?}");
        }
        // A section with a line less indented than its entries stays whole.
        let text = "paths:\n    /a: 1\n  /b: 2\n    /c: 3\n";
        assert!(cuts(text).unwrap().is_empty());
    }

    #[test]
    fn a_quoted_scalar_over_a_cut_reads_as_the_whole_parse_does() {
        for text in [
            "a: \"one\nb: two\"\nc: 3\n",
            "a: 'one\nb: two'\nc: 3\n",
            "p:\n  a: {x: 1,\n  y: 2}\n  c: 3\n",
        ] {
            for parts in 2..=3 {
                assert_eq!(read(text, parts), yaml(text), "{text:?} in {parts} parts");
            }
        }
    }

    #[test]
    fn windows_line_breaks_read_as_the_whole_parse_does() {
        let text = DOC.replace('\n', "\r\n");
        let whole = yaml(&text).unwrap();
        assert_eq!(whole, yaml(DOC).unwrap());
        for parts in 2..=6 {
            assert_eq!(
                in_parts(&text, parts).as_ref(),
                Some(&whole),
                "{parts} parts"
            );
        }
    }

    #[test]
    fn small_texts_and_one_core_parse_whole() {
        assert_eq!(parse_with(DOC, 1, 0, &yaml), None);
        assert_eq!(parse_with(DOC, 4, DOC.len() + 1, &yaml), None);
    }

    /// Every YAML document JumpCloud published, and the project's own,
    /// read in parts gives the tree the whole parse gives.
    #[test]
    fn every_shared_document_reads_the_same_in_parts() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
        let mut files = Vec::new();
        for folder in [
            "upstream/v2",
            "upstream/v1",
            "upstream/insights",
            "upstream/console",
            "spec",
        ] {
            for entry in std::fs::read_dir(shared.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut cut = 0;
        for (i, path) in files.iter().enumerate() {
            let text = std::fs::read_to_string(path).unwrap();
            // Two, three and four parts in turn.
            let parts = 2 + i % 3;
            let Some(got) = in_parts(&text, parts) else {
                continue;
            };
            assert_eq!(
                got,
                yaml(&text).unwrap(),
                "{} in {parts} parts",
                path.display()
            );
            cut += 1;
        }
        // Every v2 publication is one block mapping, so each was cut.
        let v2 = files
            .iter()
            .filter(|p| p.to_string_lossy().contains("upstream/v2"))
            .count();
        assert!(
            cut >= v2,
            "{cut} of {} documents cut; {v2} in v2",
            files.len()
        );
    }
}
