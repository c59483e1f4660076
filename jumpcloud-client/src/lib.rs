#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
// On docs.rs, every item says which cargo features compile it.
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated modules are formatted by the generator, not rustfmt.
#[rustfmt::skip]
pub mod apis;
#[rustfmt::skip]
pub mod error_bodies;
/// JumpCloud's Directory Insights API (event queries and reports),
/// generated from its own document; see [`Client::insights`].
#[cfg(feature = "insights")]
pub mod insights;
pub mod runtime;
#[cfg(feature = "system-context")]
mod system_context_client;
#[rustfmt::skip]
pub mod types;
/// JumpCloud API v1 (system users, systems, commands, …), generated from
/// its own document; see [`Client::v1`].
#[cfg(feature = "v1")]
pub mod v1;

pub use error_bodies::ErrorBody;
#[cfg(feature = "system-context")]
pub use runtime::SystemContext;
pub use runtime::{
    ApiError, Base64, Binary, Client, ClientBuilder, Error, FilePart, Region, ResponseValue,
    RetryPolicy, Timestamp,
};
#[cfg(feature = "system-context")]
pub use system_context_client::SystemContextClient;
#[cfg(feature = "system-context")]
#[allow(deprecated)]
pub use system_context_client::V1System;
