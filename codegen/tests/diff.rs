//! API drift reports: one fixture pair per area, each change kind with its
//! two classifications checked through the JSON form and the Markdown
//! pinned with insta; then the real document against itself and against a
//! copy with two known changes.

use std::path::{Path, PathBuf};

use codegen::diff::{DiffReport, compare, diff_documents};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

fn diff_pair(name: &str) -> DiffReport {
    let old = fixture(&format!("{name}_old.yaml"));
    let new = fixture(&format!("{name}_new.yaml"));
    diff_documents(&old, &new, &[]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `(kind, location, http, rust)` of every change, read back from the JSON.
fn rows(report: &DiffReport) -> Vec<(String, String, String, String)> {
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap_or_else(|| panic!("{k}")).to_string();
            assert!(!field("detail").is_empty(), "{c}");
            (
                field("kind"),
                field("location"),
                field("http"),
                field("rust"),
            )
        })
        .collect()
}

/// Asserts the report holds exactly `expected`, in any order.
fn assert_changes(report: &DiffReport, expected: &[(&str, &str, &str, &str)]) {
    let mut actual = rows(report);
    let mut expected: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(k, l, h, r)| (k.to_string(), l.to_string(), h.to_string(), r.to_string()))
        .collect();
    actual.sort();
    expected.sort();
    assert_eq!(actual, expected);
}

/// The summary agrees with the changes.
fn assert_summary(report: &DiffReport) {
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    let rows = rows(report);
    let count = |pick: fn(&(String, String, String, String)) -> &String, v: &str| {
        rows.iter().filter(|r| pick(r) == v).count()
    };
    let summary = &json["summary"];
    assert_eq!(summary["total"], rows.len());
    assert_eq!(summary["http"]["breaking"], count(|r| &r.2, "breaking"));
    assert_eq!(
        summary["http"]["non-breaking"],
        count(|r| &r.2, "non-breaking")
    );
    for level in ["major", "minor", "patch"] {
        assert_eq!(summary["rust"][level], count(|r| &r.3, level), "{level}");
    }
    let bump = ["major", "minor", "patch"]
        .into_iter()
        .find(|l| count(|r| &r.3, l) > 0)
        .unwrap_or("none");
    assert_eq!(summary["rust_bump"], bump);
    let kinds: usize = summary["kinds"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap() as usize)
        .sum();
    assert_eq!(kinds, rows.len());
}

fn check(name: &str, expected: &[(&str, &str, &str, &str)]) -> DiffReport {
    let report = diff_pair(name);
    assert_changes(&report, expected);
    assert_summary(&report);
    insta::assert_snapshot!(name.to_string(), report.to_markdown());
    report
}

const B: &str = "breaking";
const NB: &str = "non-breaking";

#[test]
fn operations_and_document() {
    check(
        "operations",
        &[
            ("server-changed", "servers", B, "patch"),
            ("info-changed", "info", NB, "patch"),
            ("tag-doc-changed", "tag Things", NB, "patch"),
            ("operation-doc-changed", "GET /things", NB, "patch"),
            ("operation-renamed", "GET /things/{thing_id}", NB, "major"),
            // Path parameters are positional arguments: the name is not API.
            (
                "parameter-renamed",
                "GET /things/{thing_id} [path thing_id]",
                NB,
                "patch",
            ),
            ("operation-removed", "DELETE /things/{id}", B, "major"),
            ("operation-moved", "PUT /things/{id}/archive", B, "patch"),
            // Its inline response type is folded into the removal.
            ("operation-removed", "GET /legacy", B, "major"),
            ("operation-added", "POST /widgets", NB, "minor"),
        ],
    );
}

#[test]
fn inline_types_of_removed_and_added_operations_are_folded() {
    let report = diff_pair("operations");
    let detail = |location: &str| {
        report
            .changes
            .iter()
            .find(|c| c.location == location)
            .map(|c| c.detail.clone())
            .unwrap()
    };
    assert_eq!(detail("GET /legacy"), "`legacy().get` (and 1 inline type)");
    assert_eq!(
        detail("POST /widgets"),
        "`widgets().create` (and 1 inline type)"
    );
    assert!(
        report
            .changes
            .iter()
            .all(|c| !c.kind.as_str().starts_with("schema-"))
    );
}

#[test]
fn parameters() {
    check(
        "parameters",
        &[
            ("parameter-added", "GET /search [query cursor]", NB, "minor"),
            ("parameter-added", "GET /search [header tenant]", B, "major"),
            (
                "parameter-removed",
                "GET /search [header X-Trace]",
                B,
                "major",
            ),
            (
                "parameter-required-changed",
                "GET /search [query page]",
                B,
                "major",
            ),
            (
                "parameter-required-changed",
                "GET /search [query sort]",
                NB,
                "major",
            ),
            (
                "parameter-type-changed",
                "GET /search [query filter]",
                B,
                "major",
            ),
            (
                "parameter-style-changed",
                "GET /search [query tags]",
                B,
                "patch",
            ),
            ("parameter-order-changed", "GET /search", NB, "major"),
            (
                "operation-doc-changed",
                "GET /search [query fields]",
                NB,
                "patch",
            ),
        ],
    );
}

#[test]
fn request_bodies_and_form_fields() {
    check(
        "bodies",
        &[
            (
                "request-body-required-changed",
                "POST /a [body]",
                B,
                "major",
            ),
            ("request-body-removed", "POST /b [body]", B, "major"),
            ("request-body-added", "POST /c [body]", NB, "minor"),
            ("request-body-added", "POST /d [body]", B, "major"),
            ("request-body-type-changed", "POST /e [body]", B, "major"),
            // Same Rust type, another content type on the wire.
            ("request-body-type-changed", "PATCH /f [body]", B, "patch"),
            (
                "form-field-removed",
                "POST /g [form field note]",
                B,
                "major",
            ),
            ("form-field-added", "POST /g [form field kind]", B, "minor"),
            (
                "form-field-required-changed",
                "POST /g [form field label]",
                B,
                "patch",
            ),
            (
                "form-field-type-changed",
                "POST /g [form field count]",
                B,
                "major",
            ),
            ("request-body-type-changed", "PUT /h [body]", B, "major"),
        ],
    );
}

#[test]
fn responses_errors_and_pagination() {
    check(
        "responses",
        &[
            (
                "response-type-changed",
                "GET /r1 [response 200]",
                B,
                "major",
            ),
            // Same body type as the 200, so `send()` still returns `Thing`.
            ("response-added", "GET /r2 [response 203]", NB, "patch"),
            // The status enum collapses to the one body type.
            ("response-removed", "POST /r3 [response 202]", B, "major"),
            ("error-response-removed", "GET /r4 [error 404]", NB, "patch"),
            ("error-response-added", "GET /r4 [error 400]", NB, "patch"),
            (
                "error-response-type-changed",
                "GET /r4 [error 500]",
                B,
                "patch",
            ),
            ("error-body-removed", "ErrorBody::Error", NB, "major"),
            ("error-body-added", "ErrorBody::Problem", NB, "minor"),
            ("parameter-added", "GET /r5 [query limit]", NB, "minor"),
            ("parameter-added", "GET /r5 [query skip]", NB, "minor"),
            ("pagination-added", "GET /r5", NB, "minor"),
            (
                "response-type-changed",
                "GET /r6 [response 200]",
                B,
                "major",
            ),
            ("pagination-removed", "GET /r6", NB, "major"),
        ],
    );
}

#[test]
fn struct_properties_by_direction() {
    check(
        "schemas",
        &[
            // `Account` travels only in responses.
            ("schema-doc-changed", "Account", NB, "patch"),
            ("property-removed", "Account.email", B, "major"),
            ("property-required-changed", "Account.age", B, "major"),
            ("property-type-changed", "Account.score", B, "major"),
            ("property-nullable-changed", "Account.bio", B, "major"),
            ("property-doc-changed", "Account.title", NB, "patch"),
            ("property-added", "Account.nickname", NB, "minor"),
            ("property-added", "Account.plan", NB, "major"),
            // `AccountInput` travels only in requests.
            (
                "property-required-changed",
                "AccountInput.email",
                B,
                "major",
            ),
            (
                "property-required-changed",
                "AccountInput.name",
                NB,
                "major",
            ),
            ("property-added", "AccountInput.code", B, "major"),
            ("property-removed", "AccountInput.note", NB, "major"),
            ("property-nullable-changed", "AccountInput.bio", B, "major"),
            ("constructor-order-changed", "AccountInput", NB, "major"),
            ("additional-properties-changed", "Labels", B, "major"),
            // No operation uses `Orphan`.
            ("property-removed", "Orphan.dropped", NB, "major"),
            ("schema-removed", "Gone", NB, "major"),
            ("schema-added", "Extra", NB, "minor"),
        ],
    );
}

#[test]
fn enums_unions_and_aliases() {
    check(
        "enums_unions",
        &[
            // Narrowing a request enum breaks writers; widening breaks nobody.
            ("enum-value-removed", "Status", B, "major"),
            ("enum-value-added", "Status", NB, "minor"),
            ("enum-value-removed", "Level", NB, "major"),
            ("enum-value-added", "Priority", NB, "minor"),
            // A tagged union has a catch-all variant, an untagged one not.
            ("union-variant-added", "Pet", B, "minor"),
            ("union-variant-type-changed", "Pet", B, "major"),
            ("union-variant-added", "Media", B, "major"),
            ("union-variant-removed", "Shape", B, "major"),
            ("union-discriminator-changed", "Vehicle", B, "major"),
            ("schema-kind-changed", "Color", B, "major"),
            ("alias-type-changed", "Ids", B, "major"),
        ],
    );
}

#[test]
fn reordering_and_same_name_ref_renames_are_not_reported() {
    // Paths, statuses, parameters, properties and schemas reordered; a
    // schema renamed to a name with the same Rust spelling; a parameter
    // schema moved behind a string alias. Only the real rename remains.
    let report = check(
        "renames",
        &[
            ("schema-renamed", "Owner", NB, "major"),
            (
                "response-type-changed",
                "GET /owners [response 200]",
                NB,
                "major",
            ),
        ],
    );
    assert!(!report.has_breaking());
    assert!(report.has_major());
}

#[test]
fn every_fixture_against_itself_reports_nothing() {
    for name in [
        "operations",
        "parameters",
        "bodies",
        "responses",
        "schemas",
        "enums_unions",
        "renames",
    ] {
        for side in ["old", "new"] {
            let path = fixture(&format!("{name}_{side}.yaml"));
            let report = diff_documents(&path, &path, &[]).unwrap();
            assert!(report.is_empty(), "{name}_{side}: {:?}", report.changes);
            assert_eq!(report.summary.rust_bump, None);
        }
    }
    let path = fixture("renames_old.yaml");
    let report = diff_documents(&path, &path, &[]).unwrap();
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["changes"], serde_json::json!([]));
    assert_eq!(json["summary"]["rust_bump"], "none");
    insta::assert_snapshot!("no_changes", report.to_markdown());
}

fn real_document() -> Option<PathBuf> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/spec/jumpcloud-v2.openapi.yaml"
    ));
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: {} is absent", path.display());
        None
    }
}

fn manifest_overlays() -> Vec<PathBuf> {
    let manifest_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/manifest.toml");
    codegen::manifest::Manifest::read(&manifest_path)
        .map(|m| m.overlay_paths(&manifest_path))
        .unwrap_or_default()
}

#[test]
fn the_real_document_against_itself_reports_nothing() {
    let Some(path) = real_document() else { return };
    let overlays = manifest_overlays();
    let report = diff_documents(&path, &path, &overlays).unwrap();
    assert!(report.is_empty(), "{}", report.to_markdown());
}

#[test]
fn the_real_document_with_one_operation_removed_and_one_property_retyped() {
    let Some(path) = real_document() else { return };
    let overlays = manifest_overlays();
    let loaded = codegen::load::load(&path, &overlays).unwrap();
    let old = codegen::ir::build(&loaded, &path).unwrap();

    let mut tree = loaded.raw.clone();
    let removed = tree
        .pointer_mut("/paths/~1bulk~1userstates~1{id}")
        .and_then(Value::as_object_mut)
        .and_then(|item| item.remove("delete"));
    assert!(
        removed.is_some(),
        "the operation to remove is gone upstream"
    );
    let property = tree
        .pointer_mut("/components/schemas/system-insights-apps/properties/bundle_version")
        .unwrap();
    assert_eq!(property["type"], "string");
    property["type"] = "integer".into();
    let mutated = codegen::load::from_tree(&path, tree).unwrap();
    let new = codegen::ir::build(&mutated, &path).unwrap();

    let report = compare(&old, &new);
    assert_changes(
        &report,
        &[
            (
                "operation-removed",
                "DELETE /bulk/userstates/{id}",
                B,
                "major",
            ),
            (
                "property-type-changed",
                "SystemInsightsApps.bundle_version",
                B,
                "major",
            ),
        ],
    );
    assert_summary(&report);
    assert_eq!(report.summary.http.breaking, 2);
}
