//! Hand-written runtime shared by all generated operations: the client,
//! authentication, retries, request/response plumbing and pagination.

mod base64_data;
mod binary;
mod client;
mod credentials;
mod encoding;
mod error;
mod pagination;
mod region;
mod request;
mod response;
mod retry;
mod system_context;
mod timestamp;

pub use base64_data::Base64;
pub use binary::Binary;
pub use client::{Client, ClientBuilder};
pub use encoding::{encode_list, encode_value};
pub use error::{ApiError, Error};
pub use pagination::{DEFAULT_PAGE_SIZE, collect_all, paginate, paginate_from};
pub use region::Region;
pub use request::{
    Body, FilePart, MultipartField, MultipartValue, Request, encode_path_segment, join_comma,
};
pub use response::{RawResponse, ResponseValue};
pub use retry::RetryPolicy;
pub use system_context::{DEFAULT_AGENT_CONFIG_PATH, DEFAULT_KEY_PATH, SystemContext};
pub use timestamp::Timestamp;
