//! The managed-identity sources the world does not host — Service Fabric, Azure Machine
//! Learning, Cloud Shell and AKS workload identity — answered byte for byte (pure).
//!
//! A caller goes from the request an SDK sends ([`RequestPreview`], from
//! [`super::detect::detect`]) and a small [`Context`] (the clock, the identities, the cluster)
//! to an [`Answer`]: the raw HTTP response ([`Answer::wire`]) and notes tagged with how sure the
//! simulator is of each behaviour ([`Certainty`](super::Certainty)). Every answer is deterministic for a given
//! context (ids come from `seed` and `request_index`).
//!
//! One file per source: [`service_fabric`], [`azure_ml`], [`cloud_shell`],
//! [`workload_identity`] (the projected service-account token and the Entra token exchange),
//! [`federated`] (federated identity credentials, their match rule, `az` and Bicep).

pub mod azure_ml;
pub mod cloud_shell;
mod entra;
pub mod federated;
pub mod service_fabric;
#[cfg(test)]
mod tests;
pub mod workload_identity;

pub use federated::FederatedCredential;

use super::detect::{RequestPreview, Source};
use super::http::{HttpRequest, HttpResponse, Url};
use super::mint::MintedToken;
use super::state::Note;
use crate::cloud::ids::{self, Stream};

/// The host's system-assigned identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemIdentity {
    pub client_id: String,
    pub principal_id: String,
}

/// A user-assigned identity attached to the host (or, for workload identity, the identity
/// the pod's service account is federated with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserIdentity {
    pub name: String,
    pub client_id: String,
    pub principal_id: String,
    /// ARM id `/subscriptions/…/resourcegroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`.
    pub resource_id: String,
    pub federated_credentials: Vec<FederatedCredential>,
}

/// The AKS cluster and pod a workload-identity token is projected into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The cluster's OIDC issuer, `https://oidc.prod-aks.azure.com/<guid>/` (clusters seen
    /// since 2023 also have `https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/`,
    /// external-secrets/external-secrets#2783).
    pub issuer: String,
    pub namespace: String,
    pub service_account: String,
    pub service_account_uid: String,
    pub pod_name: String,
    pub pod_uid: String,
    /// Projected token lifetime in seconds (3600 by default, 3600–86400).
    pub token_lifetime: u64,
}

/// The person signed in to Cloud Shell (whose token Cloud Shell hands out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInUser {
    pub upn: String,
    pub name: String,
    pub object_id: String,
}

/// Everything an answer depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The simulated clock, unix seconds.
    pub now: u64,
    pub seed: u64,
    /// Which request of the session this is: varies request ids and tokens' opaque parts.
    pub request_index: u64,
    pub tenant_id: String,
    /// The tenant's display name (Entra names it in AADSTS700016 and AADSTS500011).
    pub tenant_name: String,
    /// `xms_tcdt` of minted tokens.
    pub tenant_created: u64,
    /// ARM id of the host (`xms_mirid` of a system-assigned identity's token).
    pub host_resource_id: String,
    /// The value the endpoint expects in its secret header (`IDENTITY_HEADER` on Service
    /// Fabric, `MSI_SECRET` on Azure Machine Learning).
    pub secret: String,
    pub system_assigned: Option<SystemIdentity>,
    pub user_assigned: Vec<UserIdentity>,
    pub cluster: Cluster,
    pub user: SignedInUser,
}

/// The identity an endpoint answers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen<'a> {
    System(&'a SystemIdentity),
    User(&'a UserIdentity),
}

impl Chosen<'_> {
    pub fn client_id(&self) -> &str {
        match self {
            Chosen::System(s) => &s.client_id,
            Chosen::User(u) => &u.client_id,
        }
    }

    pub fn principal_id(&self) -> &str {
        match self {
            Chosen::System(s) => &s.principal_id,
            Chosen::User(u) => &u.principal_id,
        }
    }

    /// For notes: "the system-assigned identity" or "user-assigned `<name>`".
    pub fn describe(&self) -> String {
        match self {
            Chosen::System(s) => {
                format!("the system-assigned identity (client id {})", s.client_id)
            }
            Chosen::User(u) => format!("user-assigned {} (client id {})", u.name, u.client_id),
        }
    }
}

impl Context {
    /// The identity whose client id is `id` (GUIDs compare case-insensitively).
    pub fn by_client_id(&self, id: &str) -> Option<Chosen<'_>> {
        if let Some(s) = self
            .system_assigned
            .as_ref()
            .filter(|s| s.client_id.eq_ignore_ascii_case(id))
        {
            return Some(Chosen::System(s));
        }
        self.user_assigned
            .iter()
            .find(|u| u.client_id.eq_ignore_ascii_case(id))
            .map(Chosen::User)
    }

    pub fn by_principal_id(&self, id: &str) -> Option<Chosen<'_>> {
        if let Some(s) = self
            .system_assigned
            .as_ref()
            .filter(|s| s.principal_id.eq_ignore_ascii_case(id))
        {
            return Some(Chosen::System(s));
        }
        self.user_assigned
            .iter()
            .find(|u| u.principal_id.eq_ignore_ascii_case(id))
            .map(Chosen::User)
    }

    /// ARM ids compare case-insensitively (`resourceGroups` vs `resourcegroups`).
    pub fn by_resource_id(&self, id: &str) -> Option<Chosen<'_>> {
        self.user_assigned
            .iter()
            .find(|u| u.resource_id.eq_ignore_ascii_case(id))
            .map(Chosen::User)
    }

    /// A token for `identity` on this host: `xms_mirid` names the identity (a user-assigned
    /// one) or the host (system-assigned), `xms_az_rid` the host for a user-assigned one.
    pub(crate) fn mint_for(
        &self,
        identity: Chosen<'_>,
        resource: &str,
        lifetime: u64,
    ) -> MintedToken {
        let (mirid, az_rid) = match identity {
            Chosen::System(_) => (self.host_resource_id.as_str(), None),
            Chosen::User(u) => (u.resource_id.as_str(), Some(self.host_resource_id.as_str())),
        };
        super::mint::mint_parts(&super::mint::MintParts {
            seed: self.seed,
            n: self.request_index,
            now: self.now,
            tenant_id: &self.tenant_id,
            tenant_created: self.tenant_created,
            client_id: identity.client_id(),
            principal_id: identity.principal_id(),
            mirid,
            az_rid,
            resource,
            lifetime,
        })
    }

    /// The `k`-th request-scoped GUID of this request (correlation, trace and request ids).
    pub(crate) fn guid(&self, k: u64) -> String {
        // Wrapping: any index a caller passes gives ids, never an overflow.
        let n = self.request_index.wrapping_mul(8).wrapping_add(k);
        ids::guid(self.seed, Stream::Request, n)
    }

    /// A context to start from: one system-assigned identity, one user-assigned identity
    /// (`id-orders`) federated with the `orders/orders-api` service account of an AKS
    /// cluster, a Cloud Shell user. Ids are fixed examples; `now` is the clock.
    pub fn example(now: u64) -> Context {
        let cluster = Cluster {
            issuer: "https://oidc.prod-aks.azure.com/1c7d1c1e-4a53-4f7e-9d26-3e0a7a8f6b21/"
                .to_string(),
            namespace: "orders".to_string(),
            service_account: "orders-api".to_string(),
            service_account_uid: "6a0e6a55-3c5e-4b8e-9a9c-2f4d7f1b8e01".to_string(),
            pod_name: "orders-api-7d9c6b5f4-x2kqp".to_string(),
            pod_uid: "b3f1a7c2-58d4-4e0b-9f6a-1d2c3b4a5e6f".to_string(),
            token_lifetime: workload_identity::DEFAULT_TOKEN_LIFETIME,
        };
        let sub = "/subscriptions/9b3c1f7e-2a4d-4c6b-8e1f-5d7a9c3b2e10";
        Context {
            now,
            seed: 42,
            request_index: 0,
            tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47".to_string(),
            tenant_name: "Contoso".to_string(),
            tenant_created: 1_546_300_800,
            host_resource_id: format!(
                "{sub}/resourcegroups/rg-orders/providers/Microsoft.Compute/virtualMachines/vm-orders"
            ),
            secret: "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a".to_string(),
            system_assigned: Some(SystemIdentity {
                client_id: "5d1fe1e8-b908-419b-9baa-6d9baea11d75".to_string(),
                principal_id: "3f2a8c1d-6b4e-4a7f-9c2d-8e1b5a3f7c60".to_string(),
            }),
            user_assigned: vec![UserIdentity {
                name: "id-orders".to_string(),
                client_id: "0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60".to_string(),
                principal_id: "e8a1c3f5-7b9d-4e2a-8c6f-1a3b5d7e9f02".to_string(),
                resource_id: format!(
                    "{sub}/resourcegroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders"
                ),
                federated_credentials: vec![FederatedCredential::for_service_account(
                    "orders-api",
                    &cluster,
                )],
            }],
            cluster,
            user: SignedInUser {
                upn: "alex@contoso.com".to_string(),
                name: "Alex Wilber".to_string(),
                object_id: "2b7e9d4c-1f3a-4c5e-8a6b-9d0c2e4f6a81".to_string(),
            },
        }
    }
}

/// What a source answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub response: HttpResponse,
    /// Step-by-step explanation, each line tagged with its certainty and source.
    pub notes: Vec<Note>,
    /// The token in the response, if any.
    pub token: Option<MintedToken>,
    /// Client id of the identity that answered (or, Cloud Shell, `None`: a user).
    pub client_id: Option<String>,
}

impl Answer {
    /// The response exactly as on the wire.
    pub fn wire(&self) -> String {
        self.response.to_wire()
    }

    pub(crate) fn new(response: HttpResponse, notes: Vec<Note>) -> Answer {
        Answer {
            response,
            notes,
            token: None,
            client_id: None,
        }
    }
}

/// Why [`answer`] produced no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    /// The source is simulated elsewhere ([`super::imds`], [`super::appservice`],
    /// [`super::arc`]) or sends nothing ([`Source::None`]).
    NotThisModule(Source),
    /// The request's URL does not parse.
    BadUrl(String),
}

/// The preview as an HTTP request (its URL parsed and decoded).
pub fn to_http(preview: &RequestPreview) -> Result<HttpRequest, NoAnswer> {
    let url = Url::parse(&preview.url).map_err(|e| NoAnswer::BadUrl(e.message))?;
    Ok(HttpRequest {
        method: preview.method.to_ascii_uppercase(),
        url,
        headers: preview.headers.clone(),
        body: preview.body.clone(),
    })
}

/// Answers the request an SDK sends to `source`. For workload identity a `client_assertion`
/// that is detect's placeholder (`<contents of …>`) is replaced by the token projected for
/// `ctx.cluster`, as the SDK reads it from the file.
pub fn answer(source: Source, preview: &RequestPreview, ctx: &Context) -> Result<Answer, NoAnswer> {
    match source {
        Source::ServiceFabric => Ok(service_fabric::answer(&to_http(preview)?, ctx)),
        Source::AzureMl => Ok(azure_ml::answer(&to_http(preview)?, ctx)),
        Source::CloudShell => Ok(cloud_shell::answer(&to_http(preview)?, ctx)),
        Source::WorkloadIdentity => {
            let mut req = to_http(preview)?;
            req.body = workload_identity::fill_assertion(&req.body, ctx);
            Ok(workload_identity::exchange(&req, ctx))
        }
        Source::Imds | Source::AppService | Source::AzureArc | Source::None => {
            Err(NoAnswer::NotThisModule(source))
        }
    }
}

/// Whether Entra issues tokens for `resource` (the simulator's list of first-party APIs).
pub(crate) fn resource_known(resource: &str) -> bool {
    super::state::resource_known(resource)
}
