//! Encoding for the generated structs, written once here instead of derived
//! per type.
//!
//! Each generated `Serialize` lists its fields as calls on an
//! [`ObjectWriter`], which keeps the first error and ignores the calls after
//! it, so a struct's impl is one call per field with one error check at the
//! end. The output is what the derive gave: fields in declaration order, an
//! unset optional field left out, then the kept unknown properties.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// A JSON object being written.
#[doc(hidden)]
pub struct ObjectWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts an object.
    ///
    /// # Errors
    /// When the serializer cannot start a map.
    pub fn begin<S>(serializer: S) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>,
    {
        Ok(Self {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    /// Writes a property.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            self.error = self.map.serialize_entry(key, value).err();
        }
    }

    /// Writes a property when it is set; `Some(None)` writes `null`.
    pub fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// Writes the kept properties the type does not name.
    pub fn rest<'a, V: Serialize + 'a>(
        &mut self,
        entries: impl IntoIterator<Item = (&'a String, &'a V)>,
    ) {
        for (key, value) in entries {
            self.field(key, value);
        }
    }

    /// Ends the object.
    ///
    /// # Errors
    /// The first error any property gave, or the serializer's at the end.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}
