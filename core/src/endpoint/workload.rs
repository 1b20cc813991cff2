//! Token requests from a Kubernetes workload of the world (AKS workload identity): the pod has
//! no token endpoint; the SDK reads the projected service-account token and exchanges it at
//! Entra ([`super::sources::workload_identity::exchange`]) for the user-assigned identity its
//! service account names.

use super::http::{percent_encode, HttpRequest, Url};
use super::sources::federated::subject_of;
use super::sources::workload_identity::{
    self, projected_token, ProjectedToken, DEFAULT_TOKEN_LIFETIME, JWT_BEARER,
};
use super::sources::{self, Context, SignedInUser, UserIdentity};
use super::state::{note, Certainty::*, EndpointState, Exchange, Why};
use crate::cloud::{ManagedIdentity, Workload, World};

/// Entra's token endpoint, as the webhook's `AZURE_AUTHORITY_HOST` names it.
pub const AUTHORITY: &str = "https://login.microsoftonline.com/";
/// Where the webhook mounts the projected token \[doc\].
pub const TOKEN_FILE: &str = "/var/run/secrets/azure/tokens/azure-identity-token";

/// The variables the workload identity webhook injects into the pod \[doc: AKS workload
/// identity overview, "Service account labels and annotations"\].
pub fn injected_env(world: &World, w: &Workload) -> Vec<(String, String)> {
    [
        ("AZURE_AUTHORITY_HOST", AUTHORITY.to_string()),
        ("AZURE_CLIENT_ID", w.client_id.clone()),
        ("AZURE_FEDERATED_TOKEN_FILE", TOKEN_FILE.to_string()),
        ("AZURE_TENANT_ID", world.tenant.id.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// What Entra and the pod know, as the sources simulator's [`Context`]: every user-assigned
/// identity of the tenant with its federated credentials, and the workload's service account.
pub fn context(world: &World, w: &Workload, request_index: u64) -> Context {
    let issuer = world
        .cluster(&w.cluster)
        .map(|c| c.issuer.clone())
        .unwrap_or_default();
    let user_assigned = world
        .identities
        .iter()
        .map(|i| UserIdentity {
            name: i.name.clone(),
            client_id: i.sp.client_id.clone(),
            principal_id: i.sp.principal_id.clone(),
            resource_id: world.identity_arm_id(i).to_token_string(),
            federated_credentials: i.federated_credentials.clone(),
        })
        .collect();
    Context {
        now: world.now,
        seed: world.seed,
        request_index,
        tenant_id: world.tenant.id.clone(),
        tenant_name: world.tenant.display_name.clone(),
        tenant_created: world.tenant.created,
        host_resource_id: String::new(),
        secret: String::new(),
        system_assigned: None,
        user_assigned,
        cluster: sources::Cluster {
            issuer,
            namespace: w.namespace.clone(),
            service_account: w.name.clone(),
            service_account_uid: w.service_account_uid.clone(),
            pod_name: w.pod_name.clone(),
            pod_uid: w.pod_uid.clone(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
        },
        user: SignedInUser {
            upn: String::new(),
            name: String::new(),
            object_id: String::new(),
        },
    }
}

/// The service-account token projected into the pod now.
pub fn workload_token(world: &World, w: &Workload) -> ProjectedToken {
    projected_token(&context(world, w, 0))
}

/// The request azure-identity (Python) sends from the pod for `resource`: the form fields in
/// alphabetical order, the projected token as the assertion.
pub fn token_request(world: &World, w: &Workload, resource: &str) -> Option<HttpRequest> {
    let url = Url::parse(&format!("{AUTHORITY}{}/oauth2/v2.0/token", world.tenant.id)).ok()?;
    let scope = format!("{}/.default", resource.trim_end_matches('/'));
    let body = format!(
        "client_assertion={}&client_assertion_type={}&client_id={}&grant_type=client_credentials&scope={}",
        percent_encode(&workload_token(world, w).jwt),
        percent_encode(JWT_BEARER),
        percent_encode(&w.client_id),
        percent_encode(&scope)
    );
    Some(HttpRequest {
        method: "POST".into(),
        url,
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body,
    })
}

/// Sends `req` from workload `w`: Entra's token endpoint exchanges the assertion; anything
/// else goes to the data plane.
pub(crate) fn handle(
    world: &World,
    state: &mut EndpointState,
    w: &Workload,
    req: &HttpRequest,
) -> Exchange {
    let to_entra = req
        .url
        .host
        .eq_ignore_ascii_case("login.microsoftonline.com")
        && req.url.path.ends_with("/oauth2/v2.0/token");
    if !to_entra {
        if req.url.host == super::imds::HOST {
            return Exchange::no_connection(
                "curl: (28) Failed to connect to 169.254.169.254 port 80 after 21000 ms: Timeout was reached".to_string(),
                vec![note(Guess, format!("The playground's pods use workload identity only. On a real AKS node a pod may reach IMDS and get the kubelet identity's token unless a network policy blocks it — that is not {}'s identity, so do not rely on it.", w.identity))],
            )
            .because(Why::Unreachable("IMDS is not modelled for pods".into()));
        }
        return super::dataplane::handle(world, state, req);
    }
    let ctx = context(world, w, state.next_exchange());
    let a = workload_identity::exchange(req, &ctx);
    let mut notes = vec![note(
        Documented,
        format!(
            "Pod {} reads its service-account token ({TOKEN_FILE}: iss {}, sub {}) and sends it to Entra as the client assertion for client id {}.",
            w.pod_name,
            ctx.cluster.issuer,
            subject_of(&w.namespace, &w.name),
            w.client_id
        ),
    )];
    notes.extend(a.notes);
    let mut x = Exchange::response(a.response, notes);
    let identity = world.identities.iter().find(|i| {
        a.client_id
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(&i.sp.client_id))
    });
    x.why = match (&a.token, identity) {
        (Some(_), Some(_)) => Why::Chosen(Some(("client_id".into(), w.client_id.clone()))),
        _ if world.workload_identity(w).is_none() => {
            Why::NotFound(Some(("client_id".into(), w.client_id.clone())))
        }
        _ => Why::Said("no federated credential matches"),
    };
    x.identity = identity.map(|i| ManagedIdentity {
        sp: i.sp.clone(),
        user_assigned_name: Some(i.name.clone()),
        arm_id: world.identity_arm_id(i),
    });
    x.token = a.token;
    x
}
