//! The comment form of the drift report fits GitHub's limit on a comment
//! (65,536 characters) however large the drift, leads with the verdict,
//! and files each change under the tag modules it touches.

use std::fmt::Write;

mod support;
use support::Scratch;

/// `tags` tags with one list operation each, returning a type with
/// `fields` properties.
fn document(tags: usize, fields: usize, field_type: &str) -> String {
    let mut doc = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for t in 0..tags {
        let _ = write!(
            doc,
            "  /things{t}:\n    get:\n      operationId: list{t}\n      tags: [Tag{t}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing{t}'}}\n"
        );
    }
    doc.push_str("components:\n  schemas:\n");
    for t in 0..tags {
        let _ = write!(
            doc,
            "    Thing{t}:\n      type: object\n      properties:\n"
        );
        for f in 0..fields {
            let _ = writeln!(
                doc,
                "        field_with_a_long_name_{f}: {{type: {field_type}}}"
            );
        }
    }
    doc
}

#[test]
fn a_huge_drift_still_fits_one_comment_and_says_what_it_left_out() {
    let scratch = Scratch::new("comment-huge");
    let (old, new) = (
        scratch.write("old.yaml", &document(60, 60, "string")),
        scratch.write("new.yaml", &document(60, 60, "integer")),
    );
    let report =
        codegen::diff::diff_documents(&old, &[], &new, &[], &codegen::Settings::default()).unwrap();
    assert_eq!(report.changes.len(), 3600);
    let full = codegen::diff::FullReports {
        markdown: "drift-report.md",
        json: "drift-report.json",
    };
    assert!(report.to_markdown().len() > codegen::diff::COMMENT_LIMIT);
    let comment = report.to_comment(&full);
    assert!(
        comment.len() <= codegen::diff::COMMENT_LIMIT,
        "{}",
        comment.len()
    );
    assert!(
        comment.contains("**Verdict: major**"),
        "{}",
        &comment[..400]
    );
    assert!(comment.contains("more: see the full report"));
    assert!(comment.contains("`drift-report.md` (Markdown), `drift-report.json` (JSON)"));
    // Every module is in the table, with its own counts.
    for t in 0..60 {
        assert!(
            comment.contains(&format!("| `tag{t}` | 0 | 0 | 0 | 60 | **major** |")),
            "tag{t}"
        );
    }
}

#[test]
fn each_change_is_filed_under_the_modules_it_touches() {
    let scratch = Scratch::new("comment-modules");
    let (old, new) = (
        scratch.write("one.yaml", &document(2, 1, "string")),
        scratch.write("two.yaml", &document(2, 1, "string").replace(
            "        field_with_a_long_name_0: {type: string}\n  ",
            "        field_with_a_long_name_0: {type: string}\n        added: {type: string}\n  ",
        )),
    );
    let report =
        codegen::diff::diff_documents(&old, &[], &new, &[], &codegen::Settings::default()).unwrap();
    let change = report
        .changes
        .iter()
        .find(|c| c.location.starts_with("Thing0."))
        .unwrap();
    // `Thing0` is reached only by `list0`, tagged `Tag0`.
    assert_eq!(change.modules, ["tag0"]);
}
