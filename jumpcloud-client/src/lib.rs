#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod apis;
pub mod error_bodies;
pub mod runtime;
pub mod types;

pub use error_bodies::ErrorBody;
pub use runtime::{
    ApiError, Base64, Client, ClientBuilder, Error, FilePart, Region, ResponseValue, RetryPolicy,
    SystemContext, Timestamp,
};
