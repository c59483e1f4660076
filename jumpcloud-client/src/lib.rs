#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]

pub mod apis;
pub mod error_bodies;
pub mod runtime;
mod system_context_client;
pub mod types;

pub use error_bodies::ErrorBody;
pub use runtime::{
    ApiError, Base64, Client, ClientBuilder, Error, FilePart, Region, ResponseValue, RetryPolicy,
    SystemContext, Timestamp,
};
pub use system_context_client::{SystemContextClient, V1System};
