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
use crate::runtime::{Body, Client, ClientBuilder, Error, Request, ResponseValue, SystemContext};
use crate::types;

/// The operations a system may call about itself.
///
/// The API operations are generated from the document: every operation that
/// declares the System Context `Authorization`/`Date` header parameters is a
/// method here, named as on [`Client`]'s tag accessors (e.g.
/// `system_member_of` as in `client.graph().system_member_of(..)`). The v1
/// calls about the system's own record are written by hand.
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
    pub async fn get_system(&self, system_id: &str) -> Result<ResponseValue<V1System>, Error> {
        self.send_v1(v1_request(reqwest::Method::GET, system_id))
            .await
    }

    /// `PUT /api/systems/{system_id}` (API v1): update the system's record.
    /// Fields this crate does not model are sent back as they were read.
    ///
    /// # Errors
    /// As for any operation.
    pub async fn update_system(
        &self,
        system_id: &str,
        system: &V1System,
    ) -> Result<ResponseValue<V1System>, Error> {
        let mut request = v1_request(reqwest::Method::PUT, system_id);
        request.body = Body::json(system)?;
        self.send_v1(request).await
    }

    /// `DELETE /api/systems/{system_id}` (API v1): remove this system from the
    /// organization, as a shutdown hook does.
    ///
    /// The server answers with the deleted record (`Some`) or with 204 and no
    /// body (`None`); no record is made up for the latter.
    ///
    /// # Errors
    /// As for any operation.
    pub async fn delete_system(
        &self,
        system_id: &str,
    ) -> Result<ResponseValue<Option<V1System>>, Error> {
        let request = v1_request(reqwest::Method::DELETE, system_id);
        let response = self.client.execute(request).await?;
        match response.status().as_u16() {
            200 => Ok(response.json::<V1System>()?.map(Some)),
            204 => Ok(response.map(None)),
            _ => Err(response.into_error(|_, _| None)),
        }
    }

    /// The v1 read and update calls answer 200 with the system record.
    async fn send_v1(&self, request: Request) -> Result<ResponseValue<V1System>, Error> {
        let response = self.client.execute(request).await?;
        match response.status().as_u16() {
            200 => response.json(),
            _ => Err(response.into_error(|_, _| None)),
        }
    }
}

fn v1_request(method: reqwest::Method, system_id: &str) -> Request {
    let path = format!(
        "/api/systems/{}",
        crate::runtime::encode_path_segment(system_id)
    );
    let mut request = Request::new(method, "/api/systems/{system_id}", path);
    request.from_server_root = true;
    request
}

/// A system record from API v1, which the v2 document does not describe.
///
/// The commonly used fields are typed; every other field is kept in `other`
/// so a read-modify-write round trip loses nothing.
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
