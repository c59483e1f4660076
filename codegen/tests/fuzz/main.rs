//! The generator must survive any document: each case either generates or
//! fails with one located line, never panics and never hangs.
//!
//! Short budgets run with `cargo test`; the long campaign is
//! `PROPTEST_CASES=N cargo test -p codegen --release --test fuzz -- --ignored`
//! (see the README's "Robustness campaign" section).

mod documents;
mod mutations;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

use mutations::{Mutation, apply, mutation};

/// Far above what any real document needs even in a debug build: a case
/// slower than this is treated as a hang.
const LIMIT: Duration = Duration::from_secs(60);

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real documents that are at hand: the pinned one (or its cached copy)
/// and the older one kept beside it.
fn real_documents() -> &'static [Value] {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let manifest_path = workspace().join("spec/manifest.toml");
        let manifest = codegen::manifest::Manifest::read(&manifest_path).expect("manifest");
        let pinned = workspace().join(&manifest.document.path);
        let cached = workspace()
            .join("target/spec-cache")
            .join(format!("{}.yaml", manifest.document.sha256));
        let older = pinned.with_file_name("jumpcloud-v2.openapi.yaml");
        [pinned, cached, older]
            .iter()
            .filter(|p| p.exists())
            .map(|p| codegen::load::read_tree(p).expect("real document parses"))
            .collect()
    })
}

/// Runs load, IR and (for small documents) rendering on another thread, so a
/// panic is reported with its message and a hang as a failure.
fn survives(doc: Value, render: bool) -> Result<(), TestCaseError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| run(doc, render));
        let _ = tx.send(outcome.map_err(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        }));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(message))) => Err(TestCaseError::fail(message)),
        Ok(Err(panic)) => Err(TestCaseError::fail(format!("panicked: {panic}"))),
        Err(_) => Err(TestCaseError::fail(format!("no answer within {LIMIT:?}"))),
    }
}

/// Cases that generated, and cases rejected with a located error, so a
/// campaign can tell how deep its inputs got.
static GENERATED: AtomicUsize = AtomicUsize::new(0);
static REJECTED: AtomicUsize = AtomicUsize::new(0);

fn tally(label: &str) {
    eprintln!(
        "{label}: generated={} rejected={}",
        GENERATED.load(Ordering::Relaxed),
        REJECTED.load(Ordering::Relaxed)
    );
}

/// Paging under the conventional names, so mutated documents reach the
/// paging code too; tag features on.
fn settings() -> codegen::Settings {
    codegen::Settings {
        crate_name: "fuzz_client".into(),
        paging: Some(codegen::settings::Paging {
            limit: "limit".into(),
            skip: "skip".into(),
            sort: Some("sort".into()),
            default_sort: Some("_id".into()),
            items: Some("results".into()),
            total: Some("totalCount".into()),
        }),
        // A cursor too, so mutated queries reach the cursor detection.
        cursor_paging: Some(codegen::settings::CursorPaging {
            cursor_field: "search_after".into(),
            limit_field: Some("limit".into()),
            cursor_header: "X-Search_after".into(),
            count_header: "X-Result-Count".into(),
            limit_header: "X-Limit".into(),
            read_only: true,
        }),
        contract_env_prefix: "FUZZ".into(),
        // Features on, so mutated documents reach the reachability code too.
        tag_features: true,
        runtime_features: Default::default(),
        region_extension: None,
        scopes_extension: None,
        ..Default::default()
    }
}

/// `Err` only for an error that breaks the one-line, located format.
fn run(doc: Value, render: bool) -> Result<(), String> {
    let file = Path::new("fuzz.yaml");
    let outcome = codegen::load::from_tree(file, doc).and_then(|spec| {
        let api = codegen::ir::build(&spec, file, &settings())?;
        if render {
            codegen::render::render(&api)
                .map_err(|e| codegen::CodegenError::new(file, "", e.to_string()))?;
        }
        Ok(())
    });
    match outcome {
        Ok(()) => {
            GENERATED.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => {
            REJECTED.fetch_add(1, Ordering::Relaxed);
            if std::env::var_os("FUZZ_SHOW_ERRORS").is_some() {
                eprintln!("{e}");
            }
            let line = e.to_string();
            if line.contains('\n') || !line.starts_with("fuzz.yaml") {
                Err(format!("error is not one located line: {line:?}"))
            } else {
                Ok(())
            }
        }
    }
}

fn mutated(mut doc: Value, edits: &[Mutation]) -> Value {
    for m in edits {
        apply(&mut doc, m);
    }
    doc
}

fn small_cases(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn campaign() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(small_cases(128))]
    #[test]
    fn small_documents_never_crash(doc in documents::document(), edits in prop::collection::vec(mutation(), 0..3)) {
        survives(mutated(doc, &edits), true)?;
    }
}

proptest! {
    #![proptest_config(small_cases(12))]
    #[test]
    fn real_documents_never_crash(which in any::<prop::sample::Index>(), edits in prop::collection::vec(mutation(), 1..6)) {
        let docs = real_documents();
        prop_assume!(!docs.is_empty());
        survives(mutated(docs[which.index(docs.len())].clone(), &edits), false)?;
    }
}

proptest! {
    #![proptest_config(campaign())]
    #[test]
    #[ignore = "long campaign: PROPTEST_CASES=N cargo test -p codegen --release --test fuzz -- --ignored"]
    fn campaign_small_documents(doc in documents::document(), edits in prop::collection::vec(mutation(), 0..4)) {
        survives(mutated(doc, &edits), true)?;
    }

    #[test]
    #[ignore = "long campaign: PROPTEST_CASES=N cargo test -p codegen --release --test fuzz -- --ignored"]
    fn campaign_real_documents(which in any::<prop::sample::Index>(), edits in prop::collection::vec(mutation(), 1..8)) {
        let docs = real_documents();
        prop_assume!(!docs.is_empty());
        survives(mutated(docs[which.index(docs.len())].clone(), &edits), false)?;
    }
}

/// Prints the tallies after the other tests of this binary (run it with
/// `--test-threads 1` and `--nocapture` for totals of a campaign).
#[test]
#[ignore = "prints the campaign's tallies"]
fn zz_tally() {
    tally("fuzz tally");
    assert!(GENERATED.load(Ordering::Relaxed) + REJECTED.load(Ordering::Relaxed) > 0);
}
