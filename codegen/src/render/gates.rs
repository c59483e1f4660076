//! The `#[cfg(feature = ...)]` attributes of generated items, from the
//! features that reach them (`ir::reach`). Without tag features every gate
//! is empty and everything is compiled.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::reach::{self, FeatureSet, Reach};
use crate::ir::{Api, ApiModule, Operation};

/// Decides the gate of every item.
pub struct Gates {
    reach: Option<Reach>,
    /// The document is mounted in a module of its own, compiled by that
    /// module's feature; its other items need no gate of their own.
    mounted: bool,
}

impl Gates {
    pub fn new(api: &Api) -> Self {
        Self {
            reach: api.settings.tag_features.then(|| reach::reach(api)),
            mounted: api.mount.is_some(),
        }
    }

    /// Whether items are gated at all.
    pub fn enabled(&self) -> bool {
        self.reach.is_some()
    }

    /// The gate of a named type.
    pub fn type_def(&self, name: &str) -> TokenStream {
        self.gate(|reach| reach.of_type(name))
    }

    /// The gate of an error body variant and its parser.
    pub fn error_body(&self, variant: &str) -> TokenStream {
        self.gate(|reach| reach.of_error_body(variant))
    }

    /// The gate of an error set's parser.
    pub fn error_set(&self, name: &str) -> TokenStream {
        self.gate(|reach| reach.of_error_set(name))
    }

    /// The gate of a module, on its `mod` item.
    pub fn module(&self, module: &ApiModule) -> TokenStream {
        self.gate(|_| reach::module_features(module))
    }

    /// The gate of the tag's accessor on the client: its feature alone.
    pub fn tag_feature(&self, module: &ApiModule) -> TokenStream {
        self.gate(|_| FeatureSet::from([module.module.clone()]))
    }

    /// The gate of the tag's own items (accessor, its methods) inside the
    /// module: empty when the module's gate is already just the tag.
    pub fn tag_items(&self, module: &ApiModule) -> TokenStream {
        self.narrower(module, FeatureSet::from([module.module.clone()]))
    }

    /// The gate of an operation's builder inside its module.
    pub fn operation(&self, module: &ApiModule, op: &Operation) -> TokenStream {
        self.narrower(module, reach::operation_features(module, op))
    }

    /// The gate of the System Context methods: `SystemContextClient` is
    /// compiled with the runtime's `system-context` feature, so a mounted
    /// document's methods need it too, although its other items are not
    /// gated.
    pub fn system_context(&self) -> TokenStream {
        let set = FeatureSet::from([reach::SYSTEM_CONTEXT.to_string()]);
        if self.mounted && self.reach.is_none() {
            return cfg(&set);
        }
        self.gate(|_| set)
    }

    /// `set` as a gate inside `module`, or nothing when the module's own
    /// gate says the same.
    fn narrower(&self, module: &ApiModule, set: FeatureSet) -> TokenStream {
        if self.reach.is_none() || reach::module_features(module) == set {
            return TokenStream::new();
        }
        cfg(&set)
    }

    fn gate(&self, set: impl FnOnce(&Reach) -> FeatureSet) -> TokenStream {
        match &self.reach {
            Some(reach) => cfg(&set(reach)),
            None => TokenStream::new(),
        }
    }
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg(set: &FeatureSet) -> TokenStream {
    let features = set.iter().map(|f| quote!(feature = #f));
    if set.len() == 1 {
        quote!(#[cfg(#(#features)*)])
    } else {
        quote!(#[cfg(any(#(#features),*))])
    }
}
