//! Who wrote each node of a loaded document: the document itself, at a
//! place the front end may have moved ([`Origins`]), or an overlay action
//! ([`OverlayWrite`]). Errors found on the loaded tree are restated through
//! it, so they name the place a user has to edit.

use std::path::Path;

use super::front::Origins;
use super::overlay::OverlayWrite;
use crate::error::CodegenError;

#[derive(Debug, Clone, Default)]
pub struct Provenance {
    origins: Origins,
    writes: Vec<OverlayWrite>,
}

impl Provenance {
    pub fn new(origins: Origins, writes: Vec<OverlayWrite>) -> Self {
        Provenance { origins, writes }
    }

    /// Where the node at `pointer` (in the loaded tree) is in the document as written.
    pub fn original(&self, pointer: &str) -> String {
        self.origins.original(pointer)
    }

    /// The overlay action that wrote the node at `pointer`, or a node above it.
    pub fn written_by(&self, pointer: &str) -> Option<&OverlayWrite> {
        self.writes
            .iter()
            .rev()
            .find(|w| within(pointer, &w.pointer))
    }

    /// Restates an error about `document`'s loaded tree: an error at a node
    /// an overlay wrote names that overlay and action; any other points into
    /// the document as written. Errors about other files pass unchanged.
    pub fn locate(&self, error: CodegenError, document: &Path) -> CodegenError {
        if error.file != document {
            return error;
        }
        if let Some(write) = self.written_by(&error.pointer) {
            return CodegenError::new(
                &write.overlay,
                format!("/actions/{}", write.action),
                format!(
                    "this action wrote {}#{}, where: {}",
                    document.display(),
                    error.pointer,
                    error.reason
                ),
            );
        }
        if self.origins.is_empty() {
            return error;
        }
        let pointer = self.origins.original(&error.pointer);
        CodegenError { pointer, ..error }
    }
}

/// Whether `pointer` is `prefix` or a node below it, token by token.
fn within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}
