//! Hand-written runtime shared by all generated operations: the client,
//! authentication, retries, request/response plumbing and pagination.

mod base64_data;
mod client;
mod credentials;
mod error;
mod pagination;
mod region;
mod request;
mod response;
mod retry;
mod system_context;
mod timestamp;

pub use base64_data::Base64;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, Error};
pub use pagination::{DEFAULT_PAGE_SIZE, collect_all, paginate};
pub use region::Region;
pub use request::{
    Body, FilePart, MultipartField, MultipartValue, Request, encode_path_segment, join_comma,
};
pub use response::{RawResponse, ResponseValue};
pub use retry::RetryPolicy;
pub use system_context::{DEFAULT_AGENT_CONFIG_PATH, DEFAULT_KEY_PATH, SystemContext};
pub use timestamp::Timestamp;
