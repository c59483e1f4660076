//! Where a document's code lives in the crate. The main document is the
//! crate's root (`crate::types`, `src/types.rs`, `Client::users()`); a
//! mounted one (the settings' `module`) lives in its own module
//! (`crate::v1::types`, `src/v1/types.rs`, `Client::v1().systemusers()`),
//! with a `mod.rs` of its own and its base URLs beside its operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::inner_doc_attrs;
use super::gates::Gates;
use super::rust_type::ident;
use crate::ir::{Api, Mount};

/// The module a document's code lives in.
#[derive(Clone, Copy)]
pub struct Root<'a> {
    mount: Option<&'a Mount>,
}

impl<'a> Root<'a> {
    pub fn of(api: &'a Api) -> Self {
        Root {
            mount: api.mount.as_ref(),
        }
    }

    /// `crate`, or `crate::v1`.
    pub fn path(&self) -> TokenStream {
        match self.mount {
            None => quote!(crate),
            Some(mount) => {
                let module = ident(&mount.module);
                quote!(crate::#module)
            }
        }
    }

    /// A file's path under the crate's `src/`.
    pub fn file(&self, relative: &str) -> String {
        match self.mount {
            None => relative.to_string(),
            Some(mount) => format!("{}/{relative}", mount.module),
        }
    }

    /// A builder's `send()`: the request and its decoding handed to the
    /// client, for a mounted document with the table of its base URLs.
    pub fn send(&self, request: TokenStream, decode: TokenStream) -> TokenStream {
        match self.mount {
            None => quote!(self.client.send(#request, #decode)),
            Some(_) => {
                let root = self.path();
                quote!(self.client.send_to(&#root::apis::SERVERS, #request, #decode))
            }
        }
    }

    /// The call sending an operation with one success response
    /// (`Client::send_one` in the runtime), to the document's
    /// servers when it is mounted.
    pub fn send_one(
        &self,
        request: TokenStream,
        status: TokenStream,
        decode: TokenStream,
        errors: TokenStream,
    ) -> TokenStream {
        match self.mount {
            None => quote!(self.client.send_one(#request, #status, #decode, #errors)),
            Some(_) => {
                let root = self.path();
                quote!(self.client.send_one_to(&#root::apis::SERVERS, #request, #status, #decode, #errors))
            }
        }
    }

    /// The type the document's System Context methods are on, and how one
    /// of them reaches the client: `SystemContextClient` itself for the
    /// main document, the document's handle (`SystemContextClient::v1()`)
    /// for a mounted one.
    pub fn system_context_target(&self) -> (TokenStream, TokenStream) {
        match self.mount {
            None => (quote!(crate::SystemContextClient), quote!(self.client())),
            Some(mount) => {
                let root = self.path();
                let handle = ident(&mount.system_context_handle);
                (quote!(#root::apis::#handle<'_>), quote!(self.client))
            }
        }
    }

    /// A generated test's file under the crate's `src/`: `../tests/<name>.rs`
    /// for the main document, `../tests/<name>_v1.rs` for a mounted one.
    pub fn test_file(&self, name: &str) -> String {
        match self.mount {
            None => format!("../tests/{name}.rs"),
            Some(mount) => format!("../tests/{name}_{}.rs", mount.module),
        }
    }

    /// The generated tests' gate: the main document's tests call every
    /// operation and so need `full` when tags are features; a mounted
    /// document's need its own feature.
    pub fn test_gate(&self, tag_features: bool) -> TokenStream {
        match self.mount {
            None if tag_features => quote!(#![cfg(feature = "full")]),
            None => TokenStream::new(),
            Some(mount) => {
                let feature = &mount.module;
                quote!(#![cfg(feature = #feature)])
            }
        }
    }

    /// The document's types, as a test outside the crate names them.
    pub fn test_types(&self, krate: &TokenStream) -> TokenStream {
        match self.mount {
            None => quote!(#krate::types),
            Some(mount) => {
                let module = ident(&mount.module);
                quote!(#krate::#module::types)
            }
        }
    }

    /// What comes between a client and a tag's accessor: nothing, or the
    /// document's handle (`.v1()`).
    pub fn handle_call(&self) -> TokenStream {
        match self.mount {
            None => TokenStream::new(),
            Some(mount) => {
                let module = ident(&mount.module);
                quote!(.#module())
            }
        }
    }

    /// The `ClientBuilder` call that sends the document's requests to
    /// `url` too, for a mounted document (`.v1_base_url(url)`).
    pub fn base_url_setter(&self, url: &TokenStream) -> TokenStream {
        match self.mount {
            None => TokenStream::new(),
            Some(mount) => {
                let setter = ident(&mount.base_url_setter);
                quote!(.#setter(#url))
            }
        }
    }

    /// The document's module (`Some("v1")`), `None` for the main one.
    pub fn module(&self) -> Option<&str> {
        self.mount.map(|m| m.module.as_str())
    }

    /// Where a tag's accessor is, as a rustdoc link.
    pub fn accessor_link(&self, accessor: &str) -> String {
        match self.mount {
            None => format!("[`Client::{accessor}`](crate::Client::{accessor})"),
            Some(mount) => format!(
                "[`{handle}::{accessor}`](crate::{module}::{handle}::{accessor})",
                handle = mount.handle,
                module = mount.module
            ),
        }
    }
}

/// `src/v1/mod.rs`: the document's modules.
pub fn render_mod(api: &Api, mount: &Mount) -> TokenStream {
    let title = format!(
        "{} {}, generated from its own document.",
        api.title, api.version
    );
    let reach = format!(
        "Reached through [`Client::{module}`](crate::Client::{module}), compiled with the \
         cargo feature `{module}`; it shares the client, its credentials, region, retries \
         and limits with the rest of the crate.",
        module = mount.module
    );
    let docs = inner_doc_attrs(&[Some(&title)]);
    let reach = format!(" {reach}");
    let handle = ident(&mount.handle);
    let system_context = has_system_context(api).then(|| {
        let cfg = Gates::new(api).system_context();
        let handle = ident(&mount.system_context_handle);
        quote! {
            #cfg
            pub use apis::#handle;
        }
    });
    quote! {
        #docs
        //!
        #![doc = #reach]

        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        pub mod error_bodies;
        #[rustfmt::skip]
        pub mod types;

        #system_context
        pub use apis::{#handle, base_url};
        pub use error_bodies::ErrorBody;
    }
}

/// `src/v1/apis/mod.rs`: the tag modules, the handle `Client::v1()`
/// returns with an accessor per tag, and the document's base URLs.
pub fn render_apis_mod(api: &Api, mount: &Mount, gates: &Gates) -> TokenStream {
    let mods = super::tag_mods(api, gates);
    let accessors = super::tag_accessors(api, gates, &quote!('a), &quote!(self.client));
    let (document, setter) = (&mount.module, &mount.base_url_setter);
    let setter_ident = ident(setter);
    let handle = ident(&mount.handle);
    let accessor = ident(&mount.module);
    let urls = api.regions.iter().map(|r| {
        let url = &r.url;
        match &r.code {
            Some(code) => quote!((Some(#code), #url),),
            None => quote!((None, #url),),
        }
    });
    let system_context = render_system_context_handle(api, mount, gates);
    let operations: usize = api.modules.iter().map(|m| m.operations.len()).sum();
    let handle_doc = format!(
        " {} {}: {operations} operations, one accessor per tag. Obtained from \
         [`Client::{document}`](crate::Client::{document}).",
        api.title, api.version
    );
    let accessor_doc = format!(" {} {} ({operations} operations).", api.title, api.version);
    let base_url_doc = format!(
        " Base URL of the `{document}` API in `region`, as its document's servers give it; \
         `None` where it lists none."
    );
    let setter_doc = format!(
        " Overrides the base URL of the `{document}` API, e.g. for a proxy or a test \
         server. Without it the client's region selects one (see [`base_url`]); a client \
         given [`base_url`](Self::base_url) needs this too, so that no call goes to the \
         real servers unasked."
    );
    quote! {
        //! Operations, one module per tag, and the base URLs the document's
        //! servers name.
        #mods

        /// The document's servers: its base URL per region.
        pub(crate) static SERVERS: crate::runtime::Servers = crate::runtime::Servers {
            document: #document,
            setter: #setter,
            urls: &[#(#urls)*],
        };

        #[doc = #base_url_doc]
        pub fn base_url(region: crate::runtime::Region) -> Option<&'static str> {
            SERVERS.url(region)
        }

        impl crate::runtime::ClientBuilder {
            #[doc = #setter_doc]
            #[must_use]
            pub fn #setter_ident(self, base_url: impl Into<String>) -> Self {
                self.document_base_url(#document, base_url.into())
            }
        }

        #[doc = #handle_doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'a> {
            client: &'a crate::runtime::Client,
        }

        impl crate::runtime::Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl<'a> #handle<'a> {
            #accessors
        }

        #system_context
    }
}

fn has_system_context(api: &Api) -> bool {
    api.modules
        .iter()
        .flat_map(|m| &m.operations)
        .any(|op| op.system_context_method.is_some())
}

/// The handle `SystemContextClient::v1()` returns, when the document has
/// operations a system may call about itself; each tag module adds its
/// methods to it.
fn render_system_context_handle(api: &Api, mount: &Mount, gates: &Gates) -> Option<TokenStream> {
    if !has_system_context(api) {
        return None;
    }
    let cfg = gates.system_context();
    let handle = ident(&mount.system_context_handle);
    let accessor = ident(&mount.module);
    let count = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .filter(|op| op.system_context_method.is_some())
        .count();
    let handle_doc = format!(
        " The {count} operations of {} {} that a system may call about itself under System \
         Context Authorization, as its document marks them. Obtained from \
         [`SystemContextClient::{}`](crate::SystemContextClient::{}).",
        api.title, api.version, mount.module, mount.module
    );
    let accessor_doc = format!(
        " The operations of {} {} a system may call under System Context Authorization.",
        api.title, api.version
    );
    Some(quote! {
        #[doc = #handle_doc]
        #cfg
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'a> {
            client: &'a crate::runtime::Client,
        }

        #cfg
        impl crate::SystemContextClient {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self.client() }
            }
        }
    })
}
