use std::fmt;
use std::path::{Path, PathBuf};

/// Everything that can go wrong between reading a document and writing code.
///
/// Each error names the file and, where one exists, the JSON pointer of the
/// offending node, so a user can jump straight to the problem.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {reason}", Pointer(.pointer))]
pub struct CodegenError {
    pub file: PathBuf,
    /// RFC 6901 pointer into the document, empty for the whole document.
    pub pointer: String,
    pub reason: String,
}

struct Pointer<'a>(&'a str);

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "#{}", self.0)
        }
    }
}

impl CodegenError {
    pub fn new(file: &Path, pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            reason: reason.into(),
        }
    }
}

pub type Result<T, E = CodegenError> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub use crate::pointer::push as push_pointer;
