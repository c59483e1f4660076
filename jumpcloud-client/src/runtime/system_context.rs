//! System Context Authorization: a JumpCloud-managed system authenticates as
//! itself by signing each request with the private key the agent enrolled with.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::PrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use rsa::traits::PublicKeyParts as _;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::error::Error;

/// Where the JumpCloud agent keeps the system's private key.
pub const DEFAULT_KEY_PATH: &str = "/opt/jc/client.key";
/// Where the JumpCloud agent keeps its configuration, including `systemKey`.
pub const DEFAULT_AGENT_CONFIG_PATH: &str = "/opt/jc/jcagent.conf";

/// Smallest modulus accepted, in bytes. Anything smaller is either not a
/// key the agent would have generated or too short for a SHA-256 PKCS#1 v1.5
/// signature, and rejecting it here keeps signing infallible later.
const MIN_KEY_BYTES: usize = 1024 / 8;

/// Credentials of a JumpCloud-managed system for System Context Authorization.
///
/// Each request is signed with the system's RSA key (RSASSA-PKCS1-v1_5 over
/// SHA-256) instead of sending an API key. Only a few endpoints accept this,
/// e.g. `GET /systems/{system_id}/memberof` for the system itself.
///
/// `Debug` never shows the private key.
#[derive(Clone)]
pub struct SystemContext {
    system_key: String,
    signing_key: Arc<SigningKey<Sha256>>,
}

impl SystemContext {
    /// Credentials from a system key and a PEM-encoded RSA private key
    /// (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8 `BEGIN PRIVATE KEY`).
    ///
    /// # Errors
    /// [`Error::Config`] when the system key is empty or the key does not parse.
    pub fn new(system_key: impl Into<String>, private_key_pem: &str) -> Result<Self, Error> {
        let system_key = system_key.into();
        if system_key.trim().is_empty() {
            return Err(Error::Config("system key is empty".to_owned()));
        }
        let key = parse_private_key(private_key_pem).map_err(Error::Config)?;
        Ok(SystemContext {
            system_key,
            signing_key: Arc::new(SigningKey::new(key)),
        })
    }

    /// Credentials from the agent's private key file and its `jcagent.conf`
    /// (a JSON document with a `systemKey` field).
    ///
    /// # Errors
    /// [`Error::Config`] naming the file that could not be read or parsed.
    pub fn from_files(
        key_pem_path: impl AsRef<Path>,
        jcagent_conf_path: impl AsRef<Path>,
    ) -> Result<Self, Error> {
        let key_path = key_pem_path.as_ref();
        let conf_path = jcagent_conf_path.as_ref();
        let system_key = read_system_key(conf_path)?;
        let pem = std::fs::read_to_string(key_path)
            .map(Zeroizing::new)
            .map_err(|err| {
                Error::Config(format!(
                    "cannot read private key file {}: {err}",
                    key_path.display()
                ))
            })?;
        let key = parse_private_key(&pem).map_err(|msg| {
            Error::Config(format!("private key file {}: {msg}", key_path.display()))
        })?;
        Ok(SystemContext {
            system_key,
            signing_key: Arc::new(SigningKey::new(key)),
        })
    }

    /// Credentials from the agent's default locations,
    /// [`DEFAULT_KEY_PATH`] and [`DEFAULT_AGENT_CONFIG_PATH`].
    ///
    /// # Errors
    /// [`Error::Config`] naming the file that could not be read or parsed.
    pub fn load_default() -> Result<Self, Error> {
        SystemContext::from_files(DEFAULT_KEY_PATH, DEFAULT_AGENT_CONFIG_PATH)
    }

    /// The system's key (its `_id` in JumpCloud).
    pub fn system_key(&self) -> &str {
        &self.system_key
    }

    /// The text that is signed: request line and date, separated by a newline.
    ///
    /// `request_target` is the path from the server root, including the API
    /// base path and any query string, e.g. `/api/v2/systems/abc/memberof`.
    pub fn signing_string(method: &str, request_target: &str, date: &str) -> String {
        format!("{method} {request_target} HTTP/1.1\ndate: {date}")
    }

    /// Signs the request line and date, returning the signature in standard
    /// base64 with padding.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] if the signature cannot be computed, which
    /// for a key accepted by the constructors only happens when the operating
    /// system's random number generator (used for RSA blinding) fails.
    pub fn try_sign(
        &self,
        method: &str,
        request_target: &str,
        date: &str,
    ) -> Result<String, Error> {
        let message = SystemContext::signing_string(method, request_target, date);
        let signature = self
            .signing_key
            .try_sign(message.as_bytes())
            .map_err(|err| Error::InvalidRequest(format!("cannot sign request: {err}")))?;
        Ok(BASE64.encode(signature.to_bytes()))
    }

    /// Like [`SystemContext::try_sign`].
    ///
    /// # Panics
    /// If the signature cannot be computed; see [`SystemContext::try_sign`].
    pub fn sign(&self, method: &str, request_target: &str, date: &str) -> String {
        match self.try_sign(method, request_target, date) {
            Ok(signature) => signature,
            Err(err) => panic!("{err}"),
        }
    }

    /// The complete `Authorization` header value for a request.
    ///
    /// # Errors
    /// As [`SystemContext::try_sign`].
    pub fn try_authorization_header(
        &self,
        method: &str,
        request_target: &str,
        date: &str,
    ) -> Result<String, Error> {
        let signature = self.try_sign(method, request_target, date)?;
        Ok(format!(
            "Signature keyId=\"system/{}\",headers=\"request-line date\",algorithm=\"rsa-sha256\",signature=\"{signature}\"",
            self.system_key
        ))
    }

    /// Like [`SystemContext::try_authorization_header`].
    ///
    /// # Panics
    /// If the signature cannot be computed; see [`SystemContext::try_sign`].
    pub fn authorization_header(&self, method: &str, request_target: &str, date: &str) -> String {
        match self.try_authorization_header(method, request_target, date) {
            Ok(header) => header,
            Err(err) => panic!("{err}"),
        }
    }
}

impl fmt::Debug for SystemContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemContext")
            .field("system_key", &self.system_key)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

#[derive(serde::Deserialize)]
struct AgentConfig {
    #[serde(rename = "systemKey")]
    system_key: Option<String>,
}

fn read_system_key(path: &Path) -> Result<String, Error> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        Error::Config(format!(
            "cannot read agent configuration {}: {err}",
            path.display()
        ))
    })?;
    let config: AgentConfig = serde_json::from_str(&text).map_err(|err| {
        Error::Config(format!(
            "agent configuration {} is not valid JSON: {err}",
            path.display()
        ))
    })?;
    match config.system_key {
        Some(key) if !key.trim().is_empty() => Ok(key),
        _ => Err(Error::Config(format!(
            "agent configuration {} has no systemKey",
            path.display()
        ))),
    }
}

/// Error messages deliberately never quote the PEM text.
fn parse_private_key(pem: &str) -> Result<PrivateKey, String> {
    let key = if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
        PrivateKey::from_pkcs1_pem(pem)
            .map_err(|err| format!("invalid PKCS#1 RSA private key: {err}"))?
    } else if pem.contains("-----BEGIN PRIVATE KEY-----") {
        PrivateKey::from_pkcs8_pem(pem)
            .map_err(|err| format!("invalid PKCS#8 RSA private key: {err}"))?
    } else if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return Err("encrypted private keys are not supported".to_owned());
    } else {
        return Err(
            "no PEM RSA private key found (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)"
                .to_owned(),
        );
    };
    if key.size() < MIN_KEY_BYTES {
        return Err(format!(
            "RSA key of {} bits is too small (at least {} required)",
            key.size() * 8,
            MIN_KEY_BYTES * 8
        ));
    }
    Ok(key)
}
