//! Where the operations of a document other than the crate's main one
//! (API v1, Directory Insights) are served: one base URL per region, from
//! that document's own `servers`. The client's one [`Region`] routes them all.

use super::region::Region;

/// The base URLs of one mounted document, as its generated module lists
/// them.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "used by mounted documents' modules, which features may leave out"
)]
pub(crate) struct Servers {
    /// The document's module (`v1`), as errors name it.
    pub document: &'static str,
    /// The `ClientBuilder` method that overrides its base URL.
    pub setter: &'static str,
    /// Region code (the document's `x-jc-region`) and base URL, in the
    /// document's order; a single server without a code serves every region.
    pub urls: &'static [(Option<&'static str>, &'static str)],
}

#[allow(
    dead_code,
    reason = "used by mounted documents' modules, which features may leave out"
)]
impl Servers {
    /// The base URL in `region`, if the document lists a server for it.
    pub fn url(&self, region: Region) -> Option<&'static str> {
        if let [(None, only)] = self.urls {
            return Some(only);
        }
        let code = region.code()?;
        self.urls
            .iter()
            .find(|(c, _)| *c == Some(code))
            .map(|(_, url)| *url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_finds_its_server_by_code_and_a_lone_server_serves_all() {
        let regional = Servers {
            document: "v1",
            setter: "v1_base_url",
            urls: &[
                (Some("us"), "https://us.example/api"),
                (Some("eu"), "https://eu.example/api"),
            ],
        };
        for region in Region::ALL {
            let expected = match region.code() {
                Some("us") => Some("https://us.example/api"),
                Some("eu") => Some("https://eu.example/api"),
                _ => None,
            };
            assert_eq!(regional.url(*region), expected, "{region:?}");
        }
        let lone = Servers {
            document: "x",
            setter: "x_base_url",
            urls: &[(None, "https://only.example")],
        };
        assert!(
            Region::ALL
                .iter()
                .all(|r| lone.url(*r) == Some("https://only.example"))
        );
    }
}
