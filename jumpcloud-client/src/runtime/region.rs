//! JumpCloud data regions.

/// The JumpCloud region an organisation lives in; it selects the base URL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// United States: `https://console.jumpcloud.com/api/v2`.
    #[default]
    Us,
    /// European Union: `https://console.eu.jumpcloud.com/api/v2`.
    Eu,
}

impl Region {
    /// Base URL of the v2 API in this region.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://console.jumpcloud.com/api/v2",
            Region::Eu => "https://console.eu.jumpcloud.com/api/v2",
        }
    }
}
