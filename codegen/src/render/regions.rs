//! The client's `Region`: one variant per server of the document, each
//! with its base URL and region code, the first the default.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::ident;
use crate::ir::Api;

pub fn render_regions(api: &Api) -> TokenStream {
    if api.regions.is_empty() {
        return quote! {
            /// The document lists no server: give the base URL with
            /// `ClientBuilder::base_url`.
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum Region {
                #[default]
                Unspecified,
            }

            impl Region {
                /// Every region the document lists.
                pub const ALL: &'static [Region] = &[];

                /// Base URL of the API in this region.
                pub fn base_url(self) -> &'static str {
                    ""
                }

                /// The region's code, as the document gives it.
                pub fn code(self) -> Option<&'static str> {
                    None
                }
            }
        };
    }
    let variants = api.regions.iter().enumerate().map(|(i, r)| {
        let variant = ident(&r.variant);
        let doc = format!(
            " {}: `{}`.",
            r.description.as_deref().unwrap_or(&r.variant),
            r.url
        );
        let default = (i == 0).then(|| quote!(#[default]));
        quote!(#[doc = #doc] #default #variant,)
    });
    let all = api.regions.iter().map(|r| {
        let variant = ident(&r.variant);
        quote!(Region::#variant,)
    });
    let urls = api.regions.iter().map(|r| {
        let (variant, url) = (ident(&r.variant), &r.url);
        quote!(Region::#variant => #url,)
    });
    let codes = api.regions.iter().map(|r| {
        let variant = ident(&r.variant);
        match &r.code {
            Some(code) => quote!(Region::#variant => Some(#code),),
            None => quote!(Region::#variant => None,),
        }
    });
    quote! {
        /// The region an organisation lives in, one per server of the
        /// document; it selects the base URL.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Region {
            #(#variants)*
        }

        impl Region {
            /// Every region the document lists, the default first.
            pub const ALL: &'static [Region] = &[#(#all)*];

            /// Base URL of the API in this region.
            pub fn base_url(self) -> &'static str {
                match self {
                    #(#urls)*
                }
            }

            /// The region's code, as the document gives it (`us`).
            pub fn code(self) -> Option<&'static str> {
                match self {
                    #(#codes)*
                }
            }
        }
    }
}
