//! Hand-written runtime shared by all generated operations: the client,
//! authentication, retries, request/response plumbing and pagination (by
//! `limit`/`skip` and by cursor).

mod base64_data;
mod binary;
mod client;
mod credentials;
mod cursor_paging;
#[doc(hidden)]
pub mod decode;
#[doc(hidden)]
pub mod encode;
mod error;
mod governor;
mod pagination;
mod region;
mod request;
mod response;
mod retry;
mod servers;
#[cfg(feature = "system-context")]
mod system_context;
mod timestamp;
mod uri;

pub use base64_data::Base64;
pub use binary::Binary;
pub use client::{Client, ClientBuilder};
pub use cursor_paging::{CursorRule, paginate_cursor, stream_cursor_pages, stream_cursor_query};
pub use error::{ApiError, Error};
pub use pagination::{
    DEFAULT_PAGE_SIZE, collect_all, collect_pages, page_value, paginate, paginate_from,
    stream_pages, stream_pages_in,
};
pub use region::Region;
pub use request::{
    Body, FilePart, MultipartField, MultipartValue, Request, encode_path_segment, join_comma,
};
pub use response::{RawResponse, ResponseValue};
pub use retry::{DEFAULT_DEADLINE, RetryBudget, RetryPolicy};
#[allow(unused_imports, reason = "used by mounted documents' modules")]
pub(crate) use servers::Servers;
#[cfg(feature = "system-context")]
pub use system_context::{DEFAULT_AGENT_CONFIG_PATH, DEFAULT_KEY_PATH, SystemContext};
pub use timestamp::Timestamp;
pub use uri::{encode_list, encode_value};

/// The future of a generated operation's `send()`: the decoded response, or
/// the error. Boxed so it has a name, and `'static` so it can be spawned.
pub type Pending<T> = futures::future::BoxFuture<'static, Result<ResponseValue<T>, Error>>;
