//! API drift reports: one fixture pair per area, each change kind with its
//! two classifications checked through the JSON form and the Markdown
//! pinned with insta; overlays that are stale on one side; then the real
//! documents: against themselves, against a copy with two known changes,
//! and the real 413 → 416 operation update, with expectations read from the
//! raw YAML.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::diff::{DiffReport, Http, Rust, compare, diff_documents};
use serde_json::{Value, json};

/// The fixtures' generator settings (`tests/fixtures/settings.toml`).
fn settings() -> codegen::Settings {
    codegen::Settings::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings.toml"),
    )
    .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

fn diff_pair(name: &str) -> DiffReport {
    let old = fixture(&format!("{name}_old.yaml"));
    let new = fixture(&format!("{name}_new.yaml"));
    diff_documents(&old, &[], &new, &[], &settings()).unwrap_or_else(|e| panic!("{name}: {e}"))
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
    assert_eq!(
        detail("GET /legacy"),
        "`legacy().get` (`legacy_get`) (and inline type `LegacyGetResponse`)"
    );
    assert_eq!(
        detail("POST /widgets"),
        "`widgets().create` (`widgets_create`) (and inline type `WidgetsCreateBody`)"
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
            // The status enum is `#[non_exhaustive]`: a new variant is minor.
            ("response-added", "POST /r7 [response 201]", NB, "minor"),
            // One body type becomes a status enum.
            ("response-added", "POST /r8 [response 202]", NB, "major"),
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
            // Unions are `#[non_exhaustive]`, tagged (with a catch-all) or not.
            ("union-variant-added", "Pet", B, "minor"),
            ("union-variant-type-changed", "Pet", B, "major"),
            ("union-variant-added", "Media", B, "minor"),
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
    // schema moved behind a string alias. Only the real rename remains,
    // once: the response that uses the renamed type is not reported again.
    let report = check("renames", &[("schema-renamed", "Owner", NB, "major")]);
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
        "additions",
        "nested",
    ] {
        for side in ["old", "new"] {
            let path = fixture(&format!("{name}_{side}.yaml"));
            let report = diff_documents(&path, &[], &path, &[], &settings()).unwrap();
            assert!(report.is_empty(), "{name}_{side}: {:?}", report.changes);
            assert_eq!(report.summary.rust_bump, None);
        }
    }
    let path = fixture("renames_old.yaml");
    let report = diff_documents(&path, &[], &path, &[], &settings()).unwrap();
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
    let report = diff_documents(&path, &overlays, &path, &overlays, &settings()).unwrap();
    assert!(report.is_empty(), "{}", report.to_markdown());
}

#[test]
fn the_real_document_with_one_operation_removed_and_one_property_retyped() {
    let Some(path) = real_document() else { return };
    let overlays = manifest_overlays();
    let loaded = codegen::load::load(&path, &overlays).unwrap();
    let old = codegen::ir::build(&loaded, &path, &settings()).unwrap();

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
    let new = codegen::ir::build(&mutated, &path, &settings()).unwrap();

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

#[test]
fn pure_additions_are_minor_and_non_breaking() {
    let report = check(
        "additions",
        &[
            ("operation-added", "GET /orders/{id}/notes", NB, "minor"),
            ("parameter-added", "GET /orders [query state]", NB, "minor"),
            // `send()` already returned a status enum; it gains a variant.
            ("response-added", "POST /orders [response 201]", NB, "minor"),
            ("property-added", "Order.note", NB, "minor"),
            ("enum-value-added", "State", NB, "minor"),
            ("schema-added", "Draft", NB, "minor"),
            // `Payment` travels only in requests.
            ("union-variant-added", "Payment", NB, "minor"),
        ],
    );
    assert!(!report.has_breaking());
    assert!(!report.has_major());
    assert_eq!(report.summary.rust_bump, Some(codegen::diff::Rust::Minor));
}

#[test]
fn types_nested_in_a_renamed_type_are_each_reported() {
    // `MappingDataInner` became the inline `MappingDataItem` (same JSON),
    // and the one type its two properties shared became two inline types.
    let report = check(
        "nested",
        &[
            ("schema-renamed", "MappingDataItem", NB, "major"),
            (
                "property-type-changed",
                "MappingDataItem.agreement",
                NB,
                "major",
            ),
            (
                "property-type-changed",
                "MappingDataItem.company",
                NB,
                "major",
            ),
            ("schema-removed", "MappingDataInnerCompany", NB, "major"),
            ("schema-added", "MappingDataItemAgreement", NB, "minor"),
            ("schema-added", "MappingDataItemCompany", NB, "minor"),
        ],
    );
    let markdown = report.to_markdown();
    assert!(
        markdown.contains("- `MappingDataInner` → `MappingDataItem`\n"),
        "{markdown}"
    );
}

fn overlay_fixture(name: &str) -> PathBuf {
    fixture(&format!("overlays/{name}"))
}

#[test]
fn stale_overlay_actions_are_listed_per_side_and_do_not_block_the_diff() {
    let overlays = vec![overlay_fixture("operations.yaml")];
    let (old, new) = (
        fixture("operations_old.yaml"),
        fixture("operations_new.yaml"),
    );
    let report = diff_documents(&old, &overlays, &new, &overlays, &settings()).unwrap();
    let stale: Vec<(&str, &str, &str)> = report
        .stale_overlays
        .iter()
        .map(|s| (s.side.as_str(), s.pointer.as_str(), s.target.as_str()))
        .collect();
    assert_eq!(
        stale,
        [
            ("old", "/actions/0", "$.paths['/widgets'].post"),
            ("old", "/actions/1", "$.paths['/nowhere']"),
            ("new", "/actions/1", "$.paths['/nowhere']"),
        ]
    );
    assert_eq!(
        report.stale_overlays[0].description.as_deref(),
        Some("Only the new document has widgets.")
    );
    // Overlays are applied: the tag description is the overlay's on both sides.
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.kind.as_str() != "tag-doc-changed"),
        "{:?}",
        report.changes
    );
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["stale_overlays"].as_array().unwrap().len(), 3);
    assert_eq!(json["stale_overlays"][2]["side"], "new");
    let markdown = report.to_markdown();
    let section = markdown
        .find("### Stale overlay actions (3)")
        .expect("a stale-overlay section");
    assert!(
        markdown[section..].contains("operations.yaml#/actions/1` `$.paths['/nowhere']`"),
        "{markdown}"
    );

    // Each side may have its own overlays: none on the old side here.
    let report = diff_documents(&old, &[], &new, &overlays, &settings()).unwrap();
    assert_eq!(report.stale_overlays.len(), 1);
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.kind.as_str() == "tag-doc-changed"),
        "{:?}",
        report.changes
    );
}

#[test]
fn a_strict_load_lists_every_stale_action_and_blames_the_overlay() {
    let overlay = overlay_fixture("operations.yaml");
    let document = fixture("operations_old.yaml");
    let error = codegen::load::load(&document, std::slice::from_ref(&overlay)).unwrap_err();
    assert_eq!(error.file, overlay);
    let text = error.to_string();
    for pointer in ["/actions/0", "/actions/1"] {
        assert!(
            text.contains(&format!("{}#{pointer}", overlay.display())),
            "{text}"
        );
    }
    assert!(!text.contains("/actions/2"), "{text}");
    assert!(
        text.contains(&format!(
            "update the target in {} or delete the action",
            overlay.display()
        )),
        "{text}"
    );
    // The lenient load skips the same two and applies the third.
    let (spec, stale) =
        codegen::load::load_lenient(&document, std::slice::from_ref(&overlay)).unwrap();
    assert_eq!(stale.len(), 2);
    assert_eq!(spec.raw["tags"][0]["description"], "Everything you own.");
}

/// The two real documents: the pinned 413-operation one and the
/// 416-operation update.
fn real_documents() -> Option<(PathBuf, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec");
    let old = dir.join("jumpcloud-v2.openapi.yaml");
    let new = dir.join("jumpcloud-v2-source.openapi.yaml");
    if old.exists() && new.exists() {
        Some((old, new))
    } else {
        println!("skipped: the documents in {} are absent", dir.display());
        None
    }
}

/// Every overlay in `spec/overlays`, in name order.
fn repo_overlays() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/overlays");
    let mut overlays: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    overlays.sort();
    overlays
}

/// Operations of a raw document as `METHOD /path`.
fn raw_operations(doc: &Value) -> BTreeSet<String> {
    let methods = ["get", "put", "post", "delete", "patch", "head", "options"];
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|m| methods.contains(&m.as_str()))
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect()
}

/// An operation's parameters in a raw document as `(in, name, required,
/// type)`, shared parameters looked up by hand.
fn raw_parameters(
    doc: &Value,
    path: &str,
    method: &str,
) -> BTreeSet<(String, String, bool, String)> {
    let item = &doc["paths"][path];
    let listed = |node: &Value| node.as_array().cloned().unwrap_or_default();
    let mut params = listed(&item["parameters"]);
    params.extend(listed(&item[method]["parameters"]));
    params
        .iter()
        .map(|p| match p["$ref"].as_str() {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap();
                doc["components"]["parameters"][name].clone()
            }
            None => p.clone(),
        })
        .map(|p| {
            (
                p["in"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
                p["required"].as_bool().unwrap_or(false),
                p["schema"]["type"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The report with this checkout's location taken out, for snapshots.
fn portable(text: &str) -> String {
    text.replace(env!("CARGO_MANIFEST_DIR"), "[codegen]")
}

#[test]
fn the_real_update_from_413_to_416_operations() {
    let Some((old_path, new_path)) = real_documents() else {
        return;
    };
    let overlays = repo_overlays();
    let report = diff_documents(&old_path, &overlays, &new_path, &overlays, &settings()).unwrap();
    assert_summary(&report);
    insta::assert_snapshot!("real_413_to_416_json", portable(&report.to_json()));
    insta::assert_snapshot!("real_413_to_416_markdown", portable(&report.to_markdown()));

    let old = codegen::load::read_tree(&old_path).unwrap();
    let new = codegen::load::read_tree(&new_path).unwrap();
    let find = |kind: &str, location: &str| {
        report
            .changes
            .iter()
            .find(|c| c.kind.as_str() == kind && c.location == location)
            .unwrap_or_else(|| panic!("no {kind} at {location}"))
    };
    let locations = |kind: &str| -> BTreeSet<String> {
        report
            .changes
            .iter()
            .filter(|c| c.kind.as_str() == kind)
            .map(|c| c.location.clone())
            .collect()
    };

    // The title names both documents by checksum.
    let sha = |p: &Path| codegen::manifest::sha256_file(p).unwrap();
    let title = report.to_markdown().lines().next().unwrap().to_string();
    assert!(title.contains(&sha(&old_path)[..12]), "{title}");
    assert!(title.contains(&sha(&new_path)[..12]), "{title}");

    // Operations: the three G Suite import-schedule operations are new and
    // nothing is gone.
    let (old_ops, new_ops) = (raw_operations(&old), raw_operations(&new));
    let added: BTreeSet<String> = new_ops.difference(&old_ops).cloned().collect();
    assert_eq!(added.len(), 3);
    assert!(
        added
            .iter()
            .all(|op| op.contains("/gsuites/{gsuite_id}/import/schedules"))
    );
    assert_eq!(locations("operation-added"), added);
    for op in &added {
        let c = find("operation-added", op);
        assert_eq!((c.http, c.rust), (Http::NonBreaking, Rust::Minor));
        let (method, path) = op.split_once(' ').unwrap();
        let id = new["paths"][path][method.to_lowercase()]["operationId"]
            .as_str()
            .unwrap();
        assert!(c.detail.contains(&format!("(`{id}`)")), "{}", c.detail);
    }
    assert!(old_ops.is_subset(&new_ops));
    assert!(locations("operation-removed").is_empty());

    // Parameters: exactly one optional query parameter added, none removed;
    // `x-total-count`, now a shared parameter, is removed by the overlay on
    // both sides and so is no drift.
    let mut param_added = BTreeSet::new();
    for op in old_ops.intersection(&new_ops) {
        let (method, path) = op.split_once(' ').unwrap();
        let method = method.to_lowercase();
        let (before, after) = (
            raw_parameters(&old, path, &method),
            raw_parameters(&new, path, &method),
        );
        assert!(before.is_subset(&after), "{op}");
        for (location, name, required, ty) in after.difference(&before) {
            param_added.insert((format!("{op} [{location} {name}]"), *required, ty.clone()));
        }
    }
    assert_eq!(param_added.len(), 1, "{param_added:?}");
    let (location, required, ty) = param_added.into_iter().next().unwrap();
    assert!(!required);
    assert_eq!(ty, "boolean");
    assert_eq!(
        locations("parameter-added"),
        BTreeSet::from([location.clone()])
    );
    let c = find("parameter-added", &location);
    assert_eq!((c.http, c.rust), (Http::NonBreaking, Rust::Minor));
    assert_eq!(c.detail, "optional `bool`");
    let shared_total_count = new["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["parameters"].as_array())
        .flatten()
        .filter(|p| p["$ref"] == "#/components/parameters/trait_listCount_x-total-count")
        .count();
    assert!(shared_total_count > 0);
    assert!(
        report
            .changes
            .iter()
            .all(|c| !c.location.contains("[header "))
    );

    // The retyped property: `PolicyValue.value` went from an array to a
    // string, which breaks readers and callers.
    let value = |doc: &Value| {
        doc["components"]["schemas"]["PolicyValue"]["properties"]["value"]["type"].clone()
    };
    assert_eq!(
        (value(&old), value(&new)),
        ("array".into(), "string".into())
    );
    let c = find("property-type-changed", "PolicyValue.value");
    assert_eq!((c.http, c.rust), (Http::Breaking, Rust::Major));
    assert_eq!(c.detail, "`Vec<Value>` → `String`");

    // A value added to the `GraphType` enum.
    let values = |doc: &Value| -> BTreeSet<String> {
        doc["components"]["schemas"]["GraphType"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let new_values: Vec<String> = values(&new).difference(&values(&old)).cloned().collect();
    assert_eq!(new_values, ["idp_routing_policy"]);
    let c = find("enum-value-added", "GraphType");
    assert_eq!(c.detail, format!("value `{}` added", new_values[0]));
    assert_eq!((c.http, c.rust), (Http::NonBreaking, Rust::Minor));

    // The access-request operations moved from one tag to another, so their
    // accessor changed.
    let tags = |doc: &Value| doc["paths"]["/accessrequests"]["post"]["tags"].clone();
    assert_eq!(
        (tags(&old), tags(&new)),
        (json!(["Ingresso"]), json!(["Systems"]))
    );
    let c = find("operation-renamed", "POST /accessrequests");
    assert!(
        c.detail
            .contains("module `apis::ingresso` → `apis::systems`"),
        "{}",
        c.detail
    );
    assert_eq!(c.rust, Rust::Major);

    // A component schema the new document no longer has.
    let schemas = |doc: &Value| doc["components"]["schemas"].as_object().unwrap().clone();
    assert!(schemas(&old).contains_key("ErrorDetails_allOf"));
    assert!(!schemas(&new).contains_key("ErrorDetails_allOf"));
    find("schema-removed", "ErrorDetailsAllOf");

    // `Apps_inner` is now the inline item schema of `Apps`, with the same
    // properties: one rename line, and its uses are not reported again.
    let names = |schema: &Value| -> Vec<String> {
        schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(
        names(&schemas(&old)["Apps_inner"]),
        names(&schemas(&new)["Apps"]["items"])
    );
    assert_eq!(find("schema-renamed", "AppsItem").detail, "was `AppsInner`");
    let uses: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.kind.as_str() != "schema-renamed" && c.detail.contains("AppsInner"))
        .map(|c| c.location.as_str())
        .collect();
    assert!(uses.is_empty(), "{uses:?}");

    // The TPM-info responses are fixed by the overlay on both sides.
    let tpm = |doc: &Value| {
        doc["paths"]["/systeminsights/tpm_info"]["get"]["responses"]["200"]["content"].clone()
    };
    assert!(tpm(&new).get("text/html").is_some());
    assert!(
        report
            .changes
            .iter()
            .all(|c| !c.location.contains("/systeminsights/tpm_info"))
    );

    // A description that differs only in whitespace is not reported.
    let description = |doc: &Value| {
        doc["paths"]["/radiusservers/{radiusserver_id}/associations"]["post"]["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (before, after) = (description(&old), description(&new));
    assert_ne!(before, after);
    assert_eq!(
        before.split_whitespace().collect::<Vec<_>>(),
        after.split_whitespace().collect::<Vec<_>>()
    );
    assert!(report.changes.iter().all(|c| {
        !c.location
            .starts_with("POST /radiusservers/{radiusserver_id}/associations")
    }));

    // Every overlay action applies to both documents.
    assert!(
        report.stale_overlays.is_empty(),
        "{:?}",
        report.stale_overlays
    );
}

#[test]
fn every_type_added_or_removed_by_the_real_update_is_reported() {
    let Some((old_path, new_path)) = real_documents() else {
        return;
    };
    let build = |path: &Path| {
        let spec = codegen::load::load(path, &[]).unwrap();
        codegen::ir::build(&spec, path, &settings()).unwrap()
    };
    let (old, new) = (build(&old_path), build(&new_path));
    let report = compare(&old, &new);
    let names = |api: &codegen::ir::Api| -> BTreeSet<String> {
        api.types.iter().map(|t| t.name.clone()).collect()
    };
    let (before, after) = (names(&old), names(&new));
    // A type is reported under its own name or named in its owner's change.
    let mentioned = |name: &String| {
        report
            .changes
            .iter()
            .any(|c| c.location == *name || c.detail.contains(&format!("`{name}`")))
    };
    let missing: Vec<&String> = after
        .symmetric_difference(&before)
        .filter(|n| !mentioned(n))
        .collect();
    assert!(missing.is_empty(), "not reported: {missing:?}");
}

#[test]
fn the_repository_overlays_apply_to_both_real_documents() {
    let Some((old_path, new_path)) = real_documents() else {
        return;
    };
    let overlays = repo_overlays();
    let removed = [
        "x-total-count",
        "x-unfiltered-total-count",
        "Authorization",
        "Date",
    ];
    for path in [&old_path, &new_path] {
        // Strict: a stale action would fail here.
        let spec = codegen::load::load(path, &overlays)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let api = codegen::ir::build(&spec, path, &settings()).unwrap();
        let headers: Vec<String> = api
            .modules
            .iter()
            .flat_map(|m| &m.operations)
            .flat_map(|op| {
                op.params
                    .iter()
                    .map(move |p| format!("{} {}", op.path, p.name))
            })
            .filter(|p| removed.iter().any(|r| p.ends_with(&format!(" {r}"))))
            .collect();
        assert!(headers.is_empty(), "{}: {headers:?}", path.display());
    }
}
