//! How the client proves who it is.

use std::fmt;

use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

use super::error::Error;
#[cfg(feature = "system-context")]
use super::system_context::SystemContext;

/// Credentials as given to the builder; the key is wiped from memory on drop.
#[derive(Clone)]
pub(crate) enum Credentials {
    ApiKey(Zeroizing<String>),
    #[cfg(feature = "system-context")]
    SystemContext(SystemContext),
}

impl Credentials {
    /// Validates the credentials once so that every request can use them as is.
    pub(crate) fn into_auth(self) -> Result<Auth, Error> {
        match self {
            Credentials::ApiKey(key) => {
                if key.trim().is_empty() {
                    return Err(Error::Config("API key is empty".to_owned()));
                }
                // The message must not echo the key, even a malformed one.
                let mut value = HeaderValue::from_str(&key).map_err(|_| {
                    Error::Config(
                        "API key contains characters that are not allowed in an HTTP header"
                            .to_owned(),
                    )
                })?;
                // Keeps the value out of reqwest's and http's Debug output.
                value.set_sensitive(true);
                Ok(Auth::ApiKey(value))
            }
            #[cfg(feature = "system-context")]
            Credentials::SystemContext(context) => Ok(Auth::SystemContext(context)),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiKey(_) => f
                .debug_struct("ApiKey")
                .field("api_key", &"<redacted>")
                .finish(),
            #[cfg(feature = "system-context")]
            Credentials::SystemContext(context) => context.fmt(f),
        }
    }
}

/// Validated credentials as used by a built client.
#[derive(Clone)]
pub(crate) enum Auth {
    ApiKey(HeaderValue),
    #[cfg(feature = "system-context")]
    SystemContext(SystemContext),
}

impl Auth {
    /// The API key header value, when authenticating with one.
    pub(crate) fn api_key(&self) -> Option<&HeaderValue> {
        match self {
            Auth::ApiKey(key) => Some(key),
            #[cfg(feature = "system-context")]
            Auth::SystemContext(_) => None,
        }
    }

    /// The system's signing context, when authenticating as a system.
    #[cfg(feature = "system-context")]
    pub(crate) fn system_context(&self) -> Option<&SystemContext> {
        match self {
            Auth::SystemContext(context) => Some(context),
            Auth::ApiKey(_) => None,
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiKey(_) => f
                .debug_struct("ApiKey")
                .field("api_key", &"<redacted>")
                .finish(),
            #[cfg(feature = "system-context")]
            Auth::SystemContext(context) => context.fmt(f),
        }
    }
}
