//! A client for System Context Authorization: a JumpCloud-managed machine
//! authenticating as itself with its own key.
//!
//! The API allows only a handful of endpoints under System Context, so this
//! type exposes exactly those and nothing else: calling any other operation
//! with system credentials does not compile.

use serde::{Deserialize, Serialize};

use crate::apis::graph::{
    GraphSystemAssociationsList, GraphSystemAssociationsPost, GraphSystemGroupMembersPost,
    GraphSystemMemberOf, GraphSystemTraverseUser,
};
#[cfg(feature = "v1")]
use crate::runtime::ResponseValue;
use crate::runtime::{Client, ClientBuilder, Error, SystemContext};
use crate::types;

/// The operations a system may call about itself.
///
/// The API operations are generated from the document: every operation that
/// declares the System Context `Authorization`/`Date` header parameters is a
/// method here, named as on [`Client`]'s tag accessors (e.g.
/// `system_member_of` as in `client.graph().system_member_of(..)`). The
/// API v1 ones, about the system's own record, are on `v1()` (with the
/// `v1` feature), named after their tag and
/// method (`client.v1().systems_get(..)`, as from
/// `Client::v1().systems().get(..)`).
///
/// ```no_run
/// # async fn run() -> Result<(), jumpcloud_client::Error> {
/// use jumpcloud_client::{SystemContext, SystemContextClient};
///
/// let context = SystemContext::load_default()?; // /opt/jc/client.key + /opt/jc/jcagent.conf
/// let system_id = context.system_key().to_string();
/// let client = SystemContextClient::new(context)?;
/// let groups = client.system_member_of(&system_id).send().await?;
/// println!("{} groups", groups.len());
/// # Ok(()) }
/// ```
///
/// Operations outside System Context are not reachable:
///
/// ```compile_fail
/// # fn check(client: jumpcloud_client::SystemContextClient) {
/// client.system_groups(); // no such method on a system-context client
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct SystemContextClient {
    client: Client,
}

impl SystemContextClient {
    /// A client for the US region that signs every request with `context`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(context: SystemContext) -> Result<Self, Error> {
        Self::from_builder(Client::builder(), context)
    }

    /// Uses `builder`'s settings (region, base URL, timeouts, retries) with
    /// `context` as the only credentials.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn from_builder(builder: ClientBuilder, context: SystemContext) -> Result<Self, Error> {
        Ok(Self {
            client: builder.system_context(context).build()?,
        })
    }

    /// The underlying client; the generated System Context operations
    /// (in `crate::apis`) go through it.
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// `GET /systems/{system_id}/memberof`: the groups this system belongs to.
    #[deprecated(
        since = "0.2.0",
        note = "use `system_member_of`, named after the operation"
    )]
    pub fn member_of(&self, system_id: impl Into<String>) -> GraphSystemMemberOf {
        self.system_member_of(system_id)
    }

    /// `GET /systems/{system_id}/associations`: the system's direct associations.
    #[deprecated(
        since = "0.2.0",
        note = "use `system_associations_list`, named after the operation"
    )]
    pub fn associations(
        &self,
        system_id: impl Into<String>,
        targets: Vec<types::GraphSystemAssociationsListTargetsItem>,
    ) -> GraphSystemAssociationsList {
        self.system_associations_list(system_id, targets)
    }

    /// `POST /systems/{system_id}/associations`: add or remove a direct association.
    #[deprecated(
        since = "0.2.0",
        note = "use `system_associations_post`, named after the operation"
    )]
    pub fn manage_associations(&self, system_id: impl Into<String>) -> GraphSystemAssociationsPost {
        self.system_associations_post(system_id)
    }

    /// `GET /systems/{system_id}/users`: the users bound to this system.
    #[deprecated(
        since = "0.2.0",
        note = "use `system_traverse_user`, named after the operation"
    )]
    pub fn users(&self, system_id: impl Into<String>) -> GraphSystemTraverseUser {
        self.system_traverse_user(system_id)
    }

    /// `POST /systemgroups/{group_id}/members`: add this system to, or remove
    /// it from, a system group. The API rejects changes to other systems.
    #[deprecated(
        since = "0.2.0",
        note = "use `system_group_members_post`, named after the operation"
    )]
    pub fn manage_group_membership(
        &self,
        group_id: impl Into<String>,
    ) -> GraphSystemGroupMembersPost {
        self.system_group_members_post(group_id)
    }

    /// `GET /api/systems/{system_id}` (API v1): the system's own record.
    ///
    /// # Errors
    /// As for any operation.
    #[cfg(feature = "v1")]
    #[deprecated(
        since = "0.7.0",
        note = "use `v1().systems_get(system_id)`, generated from the v1 document"
    )]
    #[allow(deprecated)]
    pub async fn get_system(&self, system_id: &str) -> Result<ResponseValue<V1System>, Error> {
        let response = self.v1().systems_get(system_id).send().await?;
        convert_response(response)
    }

    /// `PUT /api/systems/{system_id}` (API v1): update the system's record.
    /// Fields this crate does not model are sent back as they were read.
    ///
    /// # Errors
    /// As for any operation.
    #[cfg(feature = "v1")]
    #[deprecated(
        since = "0.7.0",
        note = "use `v1().systems_put(system_id)`, generated from the v1 document"
    )]
    #[allow(deprecated)]
    pub async fn update_system(
        &self,
        system_id: &str,
        system: &V1System,
    ) -> Result<ResponseValue<V1System>, Error> {
        let body = convert(system)?;
        let response = self.v1().systems_put(system_id).body(body).send().await?;
        convert_response(response)
    }

    /// `DELETE /api/systems/{system_id}` (API v1): remove this system from the
    /// organization, as a shutdown hook does.
    ///
    /// The server answers with the deleted record (`Some`) or with 204 and no
    /// body (`None`); no record is made up for the latter.
    ///
    /// # Errors
    /// As for any operation.
    #[cfg(feature = "v1")]
    #[deprecated(
        since = "0.7.0",
        note = "use `v1().systems_delete(system_id)`, generated from the v1 document"
    )]
    #[allow(deprecated)]
    pub async fn delete_system(
        &self,
        system_id: &str,
    ) -> Result<ResponseValue<Option<V1System>>, Error> {
        use crate::v1::apis::systems::SystemsDeleteResponse;
        let response = self.v1().systems_delete(system_id).send().await?;
        let record = match &*response {
            SystemsDeleteResponse::Ok(system) => Some(convert(system)?),
            _ => None,
        };
        Ok(response.map(|_| record))
    }
}

/// One record as another type with the same JSON form; both keep the
/// fields they do not name, so nothing is lost.
#[cfg(feature = "v1")]
fn convert<A: Serialize, B: serde::de::DeserializeOwned>(record: &A) -> Result<B, Error> {
    serde_json::to_value(record)
        .and_then(serde_json::from_value)
        .map_err(|e| Error::InvalidRequest(format!("cannot convert the v1 system record: {e}")))
}

#[cfg(feature = "v1")]
#[allow(deprecated)]
fn convert_response(
    response: ResponseValue<crate::v1::types::System>,
) -> Result<ResponseValue<V1System>, Error> {
    let record = convert(&*response)?;
    Ok(response.map(|_| record))
}

/// A system record from API v1, written by hand before the v1 document was
/// generated.
///
/// The commonly used fields are typed; every other field is kept in `other`
/// so a read-modify-write round trip loses nothing.
#[deprecated(
    since = "0.7.0",
    note = "use `v1::types::System` (read) and `v1::types::Systemput` (update), generated from the v1 document"
)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct V1System {
    #[serde(rename = "_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(
        rename = "displayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(
        rename = "allowSshPasswordAuthentication",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_ssh_password_authentication: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Fields not modelled above, kept verbatim.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}
