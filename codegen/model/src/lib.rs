//! The generator's first half: a document (Swagger 2.0, OpenAPI 3.0 or
//! 3.1) is read, patched by overlays and checked ([`load`]), then turned into
//! the normalized model where every Rust-facing decision is made ([`ir`]).
//!
//! Rendering and the drift report (crate `codegen`) both read the model and
//! neither re-decides. Keeping the model in a crate of its own makes that a
//! boundary the compiler checks, and lets it build beside the formatter
//! (`syn`, `prettyplease`), which it does not need.

pub mod error;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod pointer;
pub mod settings;

pub use error::{CodegenError, Result};
pub use settings::Settings;
