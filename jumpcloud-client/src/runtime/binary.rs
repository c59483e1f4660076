//! `format: binary` values that appear inside a JSON schema.

use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Raw octets (`type: string, format: binary`), as bytes rather than text.
///
/// JSON has no byte strings, so such a value travels as a JSON string: it
/// decodes to that string's UTF-8 bytes, and encodes back to a string when
/// the bytes are UTF-8. Bytes that are not UTF-8 cannot be put in JSON and
/// fail to serialise instead of being altered; file uploads go through
/// multipart builders ([`FilePart`](super::FilePart)), which take any bytes.
///
/// ```
/// use jumpcloud_client::runtime::Binary;
///
/// let logo: Binary = serde_json::from_str("\"\\u0089PNG\"").unwrap();
/// assert_eq!(logo.as_bytes(), "\u{89}PNG".as_bytes());
/// assert!(serde_json::to_string(&Binary::from(vec![0xff, 0x00])).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(Bytes);

impl Binary {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, without copying.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Self(bytes)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(Bytes::from(bytes))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Self(Bytes::from(text))
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => Err(serde::ser::Error::custom(
                "binary data that is not UTF-8 cannot be sent inside JSON; upload it as multipart",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl fmt::Display for Binary {
    /// The bytes as text, with invalid UTF-8 replaced; for logs and messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}
