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
    // Like `load::load`, but an error in the document itself (found while
    // building the IR too) is reported before overlay actions it leaves stale.
    let start = Instant::now();
    let (spec, stale) = load::load_lenient(document, overlays)?;
    let loaded = start.elapsed();
    if !stale.is_empty() {
        ir::build(&spec, document, settings)?;
        return Err(load::stale_error(document, &stale));
    }
    let mut generation = generate_from(&spec, document, settings)?;
    generation.timings.load = Some(loaded);
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
    let (files, render_threads) =
        render::render_timed(&api).map_err(|e| CodegenError::new(document, "", e.to_string()))?;
    let timings = Timings {
        load: None,
        model: modelled,
        render: start.elapsed() - modelled,
        render_threads,
    };
    let stats = Stats::of(&api, &files);
    let features = render::features_table(&api);
    let lock = ir::lock::lock_of(&api, &spec.raw);
    Ok(Generation {
        lock,
        api,
        files,
        features,
        stats,
        timings,
    })
}
