//! Where each node of a converted document came from: converting Swagger 2.0
//! or OpenAPI 3.1 moves nodes (`/definitions/X` becomes
//! `/components/schemas/X`), and an error must point into the document as
//! its author wrote it.

use std::collections::BTreeMap;

/// Converted pointer prefix → the pointer of the same node as written.
///
/// A pointer with no recorded prefix is where it was. The longest recorded
/// prefix wins, token by token, so a move of a node carries everything
/// below it along.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    moved: BTreeMap<String, String>,
}

impl Origins {
    /// Records that the node now at `converted` was written at `original`.
    pub fn moved(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        let (converted, original) = (converted.into(), original.into());
        if converted != original {
            self.moved.insert(converted, original);
        }
    }

    /// The pointer, in the document as written, of the node at `converted`.
    pub fn original(&self, converted: &str) -> String {
        if self.moved.is_empty() {
            return converted.to_string();
        }
        let mut prefix = converted;
        loop {
            if let Some(original) = self.moved.get(prefix) {
                return format!("{original}{}", &converted[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return converted.to_string(),
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_recorded_prefix_maps_and_the_rest_follows() {
        let mut origins = Origins::default();
        origins.moved("/components/schemas/A", "/definitions/A");
        origins.moved(
            "/paths/~1a/get/requestBody/content/application~1json/schema",
            "/paths/~1a/get/parameters/1/schema",
        );
        origins.moved("/paths/~1a/get/requestBody", "/paths/~1a/get/parameters/1");
        assert_eq!(
            origins.original("/components/schemas/A/properties/b"),
            "/definitions/A/properties/b"
        );
        // A prefix only matches whole tokens.
        assert_eq!(
            origins.original("/components/schemas/AB"),
            "/components/schemas/AB"
        );
        assert_eq!(
            origins.original("/paths/~1a/get/requestBody/content/application~1json/schema/items"),
            "/paths/~1a/get/parameters/1/schema/items"
        );
        assert_eq!(
            origins.original("/paths/~1a/get/requestBody/required"),
            "/paths/~1a/get/parameters/1/required"
        );
        assert_eq!(origins.original("/info"), "/info");
    }
}
