//! Generates a typed async Rust client from an OpenAPI 3.0 document.
//!
//! The pipeline is: [`load`] (YAML/JSON, overlays, `$ref` checks) →
//! [`ir::build`] (the normalized model, where every name is decided) →
//! [`render`] (tokens, formatted files). Loading and the model live in the
//! crate `codegen-model` and are re-exported here under the same names.

pub mod diff;
pub mod render;
pub mod samples;
pub mod stats;
pub mod timings;

pub use codegen_model::{error, ir, load, manifest, pointer, settings};

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use error::{CodegenError, Result};
pub use render::GeneratedFile;
pub use settings::Settings;
pub use stats::Stats;
pub use timings::Timings;

/// Everything one run produces.
#[derive(Debug, Clone)]
pub struct Generation {
    pub api: ir::Api,
    pub files: Vec<GeneratedFile>,
    /// The client's `[features]` table (TOML), when the settings ask for
    /// per-tag features.
    pub features: Option<String>,
    pub stats: Stats,
    pub timings: Timings,
    /// The Rust names this generation gave, to keep next time.
    pub lock: ir::lock::NameLock,
}

/// Loads `document`, applies `overlays`, and renders the client files.
pub fn generate(document: &Path, overlays: &[PathBuf], settings: &Settings) -> Result<Generation> {
    let start = Instant::now();
    let loaded = load::load_lenient(document, overlays);
    generate_loaded(loaded?, start.elapsed(), document, settings)
}

/// Like [`generate`], with the settings read by `read_settings` on a second
/// thread while the document loads (the caller may check the document's pin
/// there too). An error from `read_settings` is reported before any error
/// in the document, as if the settings had been read first.
pub fn generate_reading_settings<F, E>(
    document: &Path,
    overlays: &[PathBuf],
    read_settings: F,
) -> std::result::Result<Generation, E>
where
    F: FnOnce() -> std::result::Result<Settings, E> + Send,
    E: From<CodegenError> + Send,
{
    let start = Instant::now();
    let (settings, loaded) = std::thread::scope(|scope| {
        let settings = scope.spawn(read_settings);
        let loaded = load::load_lenient(document, overlays);
        let settings = settings
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (settings, loaded)
    });
    let settings = settings?;
    Ok(generate_loaded(
        loaded?,
        start.elapsed(),
        document,
        &settings,
    )?)
}

/// Renders a document as [`load::load_lenient`] left it.
fn generate_loaded(
    (spec, stale): (load::LoadedSpec, Vec<load::StaleAction>),
    loaded: std::time::Duration,
    document: &Path,
    settings: &Settings,
) -> Result<Generation> {
    // Like `load::load`, but an error in the document itself (found while
    // building the IR too) is reported before overlay actions it leaves stale.
    if !stale.is_empty() {
        ir::build(&spec, document, settings)?;
        return Err(load::stale_error(document, &stale));
    }
    let mut generation = generate_from(&spec, document, settings)?;
    generation.timings.load = Some(loaded);
    // Freeing the document's trees takes a while and nothing waits on it.
    std::thread::spawn(move || drop(spec));
    Ok(generation)
}

/// Renders an already loaded document.
pub fn generate_from(
    spec: &load::LoadedSpec,
    document: &Path,
    settings: &Settings,
) -> Result<Generation> {
    let start = Instant::now();
    let api = ir::build(spec, document, settings)?;
    let modelled = start.elapsed();
    // The name lock needs only the model; it is taken while rendering runs.
    let (rendered, lock) = std::thread::scope(|scope| {
        let lock = scope.spawn(|| ir::lock::lock_of(&api, &spec.raw));
        let rendered = render::render_timed(&api);
        let lock = lock
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rendered, lock)
    });
    let (files, render_threads) =
        rendered.map_err(|e| CodegenError::new(document, "", e.to_string()))?;
    let timings = Timings {
        load: None,
        model: modelled,
        render: start.elapsed() - modelled,
        render_threads,
    };
    let stats = Stats::of(&api, &files);
    let features = render::features_table(&api);
    Ok(Generation {
        lock,
        api,
        files,
        features,
        stats,
        timings,
    })
}
