//! The crate's documents: the main one (`spec/manifest.toml`) and the ones
//! it mounts beside it (`documents = ["v1/manifest.toml"]`), each pinned,
//! patched and named by a manifest of its own and generated into its own
//! module. They share one `[features]` table, the main document's with one
//! feature per mounted document.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::Generation;
use codegen::manifest::Manifest;

use crate::baseline;
use crate::paths::Workspace;

/// One document's generation, with the manifest that pins it.
pub struct Generated {
    pub manifest: PathBuf,
    pub generation: Generation,
}

impl Generated {
    /// Where its name lock is kept, if the manifest keeps one.
    pub fn lock(&self) -> Result<Option<PathBuf>> {
        Ok(Manifest::read(&self.manifest)?.names_path(&self.manifest))
    }

    /// `v1`, or `main` for the main document, as the output names it.
    pub fn label(&self) -> &str {
        self.generation
            .api
            .mount
            .as_ref()
            .map_or("main", |m| m.module.as_str())
    }
}

/// Generates one document from its manifest: the pinned document (its
/// checksum checked) or `document` when given, checked against the
/// manifest's counts.
pub fn generate_pinned(
    workspace: &Workspace,
    manifest_path: &Path,
    document: Option<&Path>,
) -> Result<Generation> {
    let manifest = Manifest::read(manifest_path)?;
    let (document, pinned) = match document {
        Some(path) => {
            codegen::manifest::verify_pin(&manifest, manifest_path, path)?;
            (path.to_path_buf(), false)
        }
        None => (
            baseline::locate_pinned(workspace, &manifest.document)?,
            true,
        ),
    };
    let overlays = manifest.overlay_paths(manifest_path);
    // The pinned document's checksum and the settings are checked and read
    // while the document loads; their errors come first.
    let generation = codegen::generate_reading_settings(&document, &overlays, || {
        if pinned {
            baseline::verify_pinned(&document, &manifest.document)?;
        }
        anyhow::Ok(manifest.settings(manifest_path)?)
    })?;
    let stats = &generation.stats;
    if stats.operations_in_spec != manifest.document.operations
        || stats.schemas_in_spec != manifest.document.schemas
    {
        bail!(
            "{} has {} operations and {} schemas, but {} expects {} and {}",
            document.display(),
            stats.operations_in_spec,
            stats.schemas_in_spec,
            manifest_path.display(),
            manifest.document.operations,
            manifest.document.schemas
        );
    }
    Ok(generation)
}

/// The manifests of the documents `main` mounts, in its order. That each
/// names its `module` is checked where the main document's settings are
/// read (`Manifest::settings`), before anything is generated.
fn mounted_manifests(main: &Manifest, main_path: &Path) -> Result<Vec<PathBuf>> {
    let dir = main_path.parent().unwrap_or(Path::new("."));
    main.documents
        .iter()
        .map(|relative| {
            let path = dir.join(relative);
            let manifest = Manifest::read(&path)?;
            if !manifest.documents.is_empty() {
                bail!(
                    "{}: a mounted document cannot mount documents of its own",
                    path.display()
                );
            }
            Ok(path)
        })
        .collect()
}

/// Generates every mounted document of the workspace.
pub fn generate_mounted(workspace: &Workspace) -> Result<Vec<Generated>> {
    let main_path = workspace.manifest();
    let main = Manifest::read(&main_path)?;
    mounted_manifests(&main, &main_path)?
        .into_iter()
        .map(|manifest| {
            let generation = generate_pinned(workspace, &manifest, None)
                .with_context(|| format!("generating {}", manifest.display()))?;
            Ok(Generated {
                manifest,
                generation,
            })
        })
        .collect()
}

/// Generates the main document (or `document` in its place) and every
/// mounted one, the main first, with the crate's `[features]` table on the
/// main document's generation.
///
/// The mounted documents are generated on a thread of their own while the
/// main one loads: reading a document is one thread's work, and the mounted
/// ones are small.
pub fn generate_all(workspace: &Workspace, document: Option<&Path>) -> Result<Vec<Generated>> {
    let manifest = workspace.manifest();
    let (main, mounted) = std::thread::scope(|scope| {
        let mounted = scope.spawn(|| generate_mounted(workspace));
        let main = generate_pinned(workspace, &manifest, document);
        let mounted = mounted
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (main, mounted)
    });
    let mut all = vec![Generated {
        manifest,
        generation: main?,
    }];
    all.extend(mounted?);
    let (main, mounted) = all.split_first_mut().expect("the main document is first");
    set_features(&mut main.generation, mounted);
    Ok(all)
}

/// Puts the crate's features table on `main`: its own tags' features and
/// one per mounted document.
pub fn set_features(main: &mut Generation, mounted: &[Generated]) {
    let apis: Vec<&codegen::ir::Api> = mounted.iter().map(|g| &g.generation.api).collect();
    main.features = codegen::render::features_table_with(&main.api, &apis);
}
