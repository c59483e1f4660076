//! What the generator needs to know about one API that the document does not
//! say: paging conventions, the crate's name, and the contract test's
//! environment. The generator itself knows no API; these come from a settings
//! file beside the manifest (`spec/generator.toml` for this project).

use std::path::Path;

use serde::Deserialize;

use crate::error::{CodegenError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The generated crate's name as a Rust path (`my_client`), used by the
    /// generated tests.
    #[serde(default = "default_crate_name")]
    pub crate_name: String,
    /// Offset paging, when the API has it: list operations with these
    /// optional query parameters get `stream()` and `collect_all()`.
    #[serde(default)]
    pub paging: Option<Paging>,
    /// Cursor paging, when the API has it: list operations whose JSON
    /// query holds the cursor field get `stream()` and `collect_all()`.
    #[serde(default)]
    pub cursor_paging: Option<CursorPaging>,
    /// Prefix of the environment variables through which the contract test
    /// gets the mock server's URL (`<PREFIX>_URL`) and its report file
    /// (`<PREFIX>_REPORT`).
    #[serde(default = "default_contract_env_prefix")]
    pub contract_env_prefix: String,
    /// One cargo feature per tag module, each compiling only the types its
    /// operations reach (see `ir::reach`), plus `full` enabling them all.
    /// Off, everything is always compiled.
    #[serde(default)]
    pub tag_features: bool,
    /// The runtime's own optional features and what each enables (its
    /// optional dependencies), written into the features table as they are.
    /// `system-context` gates System Context operations and `multipart` is
    /// enabled by every tag that uploads `multipart/form-data`.
    #[serde(default)]
    pub runtime_features: std::collections::BTreeMap<String, Vec<String>>,
    /// The server extension that names a server's region (`x-jc-region`):
    /// the client's `Region` variants are named after it.
    #[serde(default)]
    pub region_extension: Option<String>,
    /// The operation extension listing the scopes a call needs
    /// (`x-scopes`), named in each method's documentation.
    #[serde(default)]
    pub scopes_extension: Option<String>,
    /// The module this document's client lives in (`v1`: `crate::v1`,
    /// files under `src/v1/`, reached through `Client::v1()`, compiled with
    /// the cargo feature of the same name) when it is not the crate's main
    /// document. The main document has none.
    #[serde(default)]
    pub module: Option<String>,
    /// The modules of the documents mounted beside this one (the main
    /// document's only). Not a setting of the file: the manifest lists the
    /// documents, and each one's settings name its module.
    #[serde(skip)]
    pub mounted: Vec<String>,
    /// The Rust names in use (the manifest's name lock), kept where their
    /// place still exists. Not a setting of the file: the manifest names it.
    #[serde(skip)]
    pub names: crate::ir::lock::NameLock,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// Query parameter for the page size.
    pub limit: String,
    /// Query parameter for the number of items to skip.
    pub skip: String,
    /// Query parameter for the sort order, if any.
    #[serde(default)]
    pub sort: Option<String>,
    /// Sort key applied while streaming when the caller sets none: offset
    /// paging is only stable over a fixed order.
    #[serde(default)]
    pub default_sort: Option<String>,
    /// The success body's property holding a page's items, when a list
    /// answers with an object (`{"results": [...], "totalCount": 7}`)
    /// rather than an array.
    #[serde(default)]
    pub items: Option<String>,
    /// The success body's property holding the size of the whole
    /// collection, read beside `items` (the `X-Total-Count` header counts
    /// when both are present).
    #[serde(default)]
    pub total: Option<String>,
}

/// Paging by a cursor the server hands out in a response header and the
/// client sends back in the next query's JSON body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorPaging {
    /// The request body's property the cursor goes into (`search_after`);
    /// an operation pages this way when its JSON body has it and it answers
    /// with an array.
    pub cursor_field: String,
    /// The request body's property for the page size, when it has one.
    #[serde(default)]
    pub limit_field: Option<String>,
    /// The response header carrying the next cursor, as JSON.
    pub cursor_header: String,
    /// The response header counting the page's items.
    pub count_header: String,
    /// The response header carrying the most items one call returns.
    pub limit_header: String,
    /// The paged queries only read, and the cursor is data in the request
    /// (not a position the server keeps), so a page request may be sent
    /// again after a failure as if it were a GET.
    #[serde(default)]
    pub read_only: bool,
}

fn default_crate_name() -> String {
    "api_client".to_string()
}

fn default_contract_env_prefix() -> String {
    "CONTRACT".to_string()
}

impl Default for Settings {
    /// No paging, a neutral crate name: what can be said of any API.
    fn default() -> Self {
        Settings {
            crate_name: default_crate_name(),
            paging: None,
            cursor_paging: None,
            contract_env_prefix: default_contract_env_prefix(),
            tag_features: false,
            runtime_features: Default::default(),
            region_extension: None,
            scopes_extension: None,
            module: None,
            mounted: Vec::new(),
            names: Default::default(),
        }
    }
}

impl Settings {
    /// Reads a settings file (TOML); unknown keys are errors, so a typo does
    /// not silently fall back to a default.
    pub fn read(path: &Path) -> Result<Settings> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CodegenError::new(path, "", format!("cannot read settings: {e}")))?;
        toml::from_str(&text).map_err(|e| CodegenError::new(path, "", format!("bad settings: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read_and_unknown_keys_are_refused() {
        let settings: Settings = toml::from_str(
            "crate_name = \"petstore\"\ncontract_env_prefix = \"PET\"\n[paging]\nlimit = \"page_size\"\nskip = \"offset\"\nsort = \"order_by\"\ndefault_sort = \"id\"\n",
        )
        .unwrap();
        assert_eq!(settings.crate_name, "petstore");
        assert_eq!(settings.contract_env_prefix, "PET");
        let paging = settings.paging.unwrap();
        assert_eq!(
            (paging.limit.as_str(), paging.skip.as_str()),
            ("page_size", "offset")
        );
        assert_eq!(paging.sort.as_deref(), Some("order_by"));
        assert_eq!(paging.default_sort.as_deref(), Some("id"));
        assert!(toml::from_str::<Settings>("crate_nmae = \"x\"\n").is_err());
        assert_eq!(toml::from_str::<Settings>("").unwrap(), Settings::default());
    }
}
