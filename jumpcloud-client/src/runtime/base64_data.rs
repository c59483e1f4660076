//! `format: byte` values: base64 text on the wire, bytes to the caller.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// Base64-encoded data, kept as the text the server sent so that re-sending
/// it is lossless; [`Base64::decode`] gives the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Base64(String);

impl Base64 {
    /// Encodes bytes with the standard alphabet and padding.
    pub fn encode(bytes: impl AsRef<[u8]>) -> Self {
        Self(STANDARD.encode(bytes))
    }

    /// Decodes the text.
    ///
    /// # Errors
    /// When the text is not valid standard base64.
    pub fn decode(&self) -> Result<Vec<u8>, base64::DecodeError> {
        STANDARD.decode(self.0.as_bytes())
    }

    /// The base64 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps text that is already base64.
    pub fn from_encoded(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_bytes_and_text() {
        let b = Base64::encode(b"hello");
        assert_eq!(b.as_str(), "aGVsbG8=");
        assert_eq!(b.decode().unwrap(), b"hello");
        let kept: Base64 = serde_json::from_str("\"not base64!\"").unwrap();
        assert_eq!(serde_json::to_string(&kept).unwrap(), "\"not base64!\"");
        assert!(kept.decode().is_err());
    }
}
