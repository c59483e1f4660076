//! Decoding for the generated types, written once here instead of derived
//! per type (see also [`encode`](super::encode)).
//!
//! `#[derive(Deserialize)]` expands to a field enum, two visitors and a
//! sequence decoder for every struct; over hundreds of schemas that expansion
//! was most of the crate's compile time. The generated impls instead match
//! each key to a field in one function ([`DecodeObject`]) and share the
//! visitor below. The wire behaviour is the same: unknown properties are kept,
//! `null` and a missing optional property are both `None`, a missing required
//! property is a `missing field` error, and the decoder's path tracking
//! (which names the failing field in [`Error::Decode`](super::Error::Decode))
//! still sees every key.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A generated struct that decodes itself from the entries of a JSON object.
#[doc(hidden)]
pub trait DecodeObject: Sized {
    /// Takes every entry of `map`, assigning known keys to their fields and
    /// keeping the others.
    ///
    /// # Errors
    /// When a value has the wrong shape or a required property is missing.
    fn decode_entries<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a [`DecodeObject`] from a JSON object.
///
/// # Errors
/// When the input is not an object or an entry does not decode.
#[doc(hidden)]
pub fn decode_object<'de, D: Deserializer<'de>, T: DecodeObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::decode_entries(map)
    }
}

/// A string from the decoder, borrowed from the input when it can be, so that
/// matching a key or an enum value against the known ones allocates nothing.
#[doc(hidden)]
#[derive(Debug)]
pub struct Str<'de>(Cow<'de, str>);

impl<'de> Str<'de> {
    /// Decodes a string.
    ///
    /// # Errors
    /// When the input is not a string.
    pub fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned: for a key or value the type keeps verbatim.
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::decode(deserializer)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Str<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(value)))
    }
}

/// Decodes the entry's value into an optional field: `null` is `None`.
///
/// # Errors
/// When the value has the wrong shape.
#[doc(hidden)]
pub fn optional<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Decodes the entry's value into a required field (or a nullable optional
/// one, where `null` is `Some(None)`).
///
/// # Errors
/// When the value has the wrong shape.
#[doc(hidden)]
pub fn value<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps an entry the type does not name.
///
/// # Errors
/// When the value has the wrong shape for the kept properties.
#[doc(hidden)]
pub fn keep<'de, A, V, M>(map: &mut A, rest: &mut M, key: Str<'de>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    V: de::Deserialize<'de>,
    M: Extend<(String, V)>,
{
    let value = map.next_value()?;
    rest.extend(std::iter::once((key.into_owned(), value)));
    Ok(())
}

/// The value of a required property, or serde's `missing field` error.
///
/// # Errors
/// When the property was absent.
#[doc(hidden)]
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}
