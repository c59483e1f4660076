//! The normalized model (IR) and the code that builds it from a document.

pub mod error_sets;
pub mod lock;
mod lookup;
pub mod model;
pub mod names;
mod operations;
mod paging;
pub mod reach;
pub mod spelling;
mod types;
mod view;

use std::path::Path;

pub use lookup::TypeLookup;
pub use model::*;
pub use operations::path_params;

use crate::error::{CodegenError, Result};
use crate::load::LoadedSpec;
use crate::settings::Settings;

/// Builds the IR: resolves every `$ref` and decides every name, once.
/// Errors point into the document as written, or name the overlay action
/// that wrote the node.
pub fn build(spec: &LoadedSpec, file: &Path, settings: &Settings) -> Result<Api> {
    build_located(spec, file, settings).map_err(|e| spec.provenance.locate(e, file))
}

fn build_located(spec: &LoadedSpec, file: &Path, settings: &Settings) -> Result<Api> {
    let mount = settings
        .module
        .as_deref()
        .map(|module| names::mount(module).map_err(|reason| CodegenError::new(file, "", reason)))
        .transpose()?;
    let mounted = settings
        .mounted
        .iter()
        .map(|module| names::mount(module).map_err(|reason| CodegenError::new(file, "", reason)))
        .collect::<Result<Vec<_>>>()?;
    if !mounted.is_empty() && !settings.tag_features {
        return Err(CodegenError::new(
            file,
            "",
            "mounted documents need `tag_features`: each one is a cargo feature of the crate",
        ));
    }
    if mount.is_some() && settings.tag_features {
        return Err(CodegenError::new(
            file,
            "",
            "settings `module` and `tag_features`: a mounted document compiles as one cargo \
             feature, its module's",
        ));
    }
    let openapi = &spec.openapi;
    let mut types = types::TypeResolver::new(openapi, &spec.raw, &settings.names);
    types.resolve_components();
    let (modules, operation_count, error_bodies) = {
        let mut ops = operations::OperationBuilder::new(openapi, &settings.names, file, &mut types);
        ops.scopes_extension = settings.scopes_extension.as_deref();
        let (modules, count) = ops.build()?;
        (modules, count, ops.error_bodies)
    };
    let (types, mut report) = types.into_parts();
    let mut modules = modules;
    let lookup = TypeLookup::new(&types);
    for op in modules.iter_mut().flat_map(|m| m.operations.iter_mut()) {
        op.pagination = paging::pagination(settings, op, &lookup);
    }
    names::name_system_context_methods(&mut modules, mount.is_some());
    report.operations_in_spec = operation_count;
    report.format = spec.format.label();
    report.front_end = spec.notes.clone();
    report.schemas_in_spec = openapi.components.as_ref().map_or(0, |c| c.schemas.len());
    report.renames.sort();
    let mut error_bodies = error_bodies;
    names::name_error_bodies(&mut error_bodies, &mut modules);
    error_bodies.sort_by(|a, b| a.variant.cmp(&b.variant));
    let error_sets = error_sets::assign(&mut modules);
    Ok(Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        server: openapi.servers.first().map(|s| s.url.clone()),
        regions: names::regions(&openapi.servers, settings.region_extension.as_deref()),
        modules,
        types,
        error_bodies,
        error_sets,
        report,
        settings: settings.clone(),
        mount,
        mounted,
    })
}
