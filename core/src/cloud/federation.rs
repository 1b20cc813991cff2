//! AKS workload identity in the world: clusters (OIDC issuers), workloads (a service account
//! annotated with an identity's client id and a pod running as it) and federated identity
//! credentials on user-assigned identities. Applying, and the `az` / `kubectl` / Bicep text.
//!
//! What a workload's token request gets is the Entra exchange of
//! [`crate::endpoint::workload`]: its service-account token (issuer, subject
//! `system:serviceaccount:<namespace>:<name>`) must match a credential of the identity whose
//! client id the service account names.

use serde_json::Value;

use super::action::{error, internal, validate_name, Action, ActionError, ErrorKind, NameRule};
use super::cli::{pretty, value, CliText};
use super::model::*;
use super::world::World;
use crate::endpoint::sources::federated::{subject_of, TOKEN_EXCHANGE_AUDIENCE};
use crate::jsonw::Json;

/// Federated identity credentials a user-assigned identity may hold \[doc: "A maximum of 20
/// federated identity credentials can be added to an application or user-assigned managed
/// identity", workload-identity-federation-considerations.md\].
pub const MAX_CREDENTIALS: usize = 20;

/// `az aks show --query type` for managed clusters (the RP's casing) \[seen\].
const AKS_TYPE: &str = "Microsoft.ContainerService/ManagedClusters";
const FIC_TYPE: &str =
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
/// The Bicep API version of managed clusters used here (any version since 2023-02-01 has
/// `securityProfile.workloadIdentity`).
const AKS_API: &str = "2024-02-01";

/// A Kubernetes name (RFC 1123 label): 1–63 lowercase letters, digits and '-', starting and
/// ending with a letter or digit.
fn validate_label(name: &str, what: &str) -> Result<(), ActionError> {
    let ok = (1..=63).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        return Ok(());
    }
    Err(error(
        ErrorKind::InvalidName,
        format!("'{name}' is not a valid Kubernetes {what} name."),
        "Kubernetes names are RFC 1123 labels: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit.",
        "Use e.g. orders or orders-api.",
    ))
}

/// A federated credential's name: 3-120 letters, digits, '-' and '_', starting with a letter
/// or digit \[doc: workload-identity-federation-create-trust-user-assigned-managed-identity.md\].
fn validate_credential_name(name: &str) -> Result<(), ActionError> {
    let ok = (3..=120).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        return Ok(());
    }
    Err(error(
        ErrorKind::InvalidName,
        format!("'{name}' is not a valid federated credential name."),
        "A federated identity credential's name has 3-120 letters, digits, '-' or '_', and starts with a letter or digit.",
        "Use e.g. fc-orders-api.",
    ))
}

impl World {
    fn need_cluster(&self, name: &str) -> Result<usize, ActionError> {
        self.clusters
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                error(
                    ErrorKind::NotFound,
                    format!("AKS cluster '{name}' was not found."),
                    "Workloads run on a cluster, and federated credentials trust a cluster's OIDC issuer.",
                    format!("Create it first (aks:<group>:{name})."),
                )
            })
    }

    /// The federated credentials of any identity that match `w`'s service-account tokens, as
    /// (identity, credential) names.
    pub fn credentials_trusting(&self, w: &Workload) -> Vec<(String, String)> {
        let Some(issuer) = self.cluster(&w.cluster).map(|c| c.issuer.as_str()) else {
            return Vec::new();
        };
        let subject = w.subject();
        let aud = [TOKEN_EXCHANGE_AUDIENCE.to_string()];
        self.identities
            .iter()
            .flat_map(|i| {
                i.federated_credentials
                    .iter()
                    .filter(|f| f.matches(issuer, &subject, &aud))
                    .map(|f| (i.name.clone(), f.name.clone()))
            })
            .collect()
    }

    /// The identity `w`'s annotation names today (by client id), if it still exists.
    pub fn workload_identity(&self, w: &Workload) -> Option<&UserAssignedIdentity> {
        self.identities
            .iter()
            .find(|i| i.sp.client_id.eq_ignore_ascii_case(&w.client_id))
    }

    /// The credentials of the identity `w`'s annotation names that match its tokens: empty
    /// when its token requests fail (no such identity, or no matching credential).
    pub fn trusted_by(&self, w: &Workload) -> Vec<String> {
        let Some(identity) = self.workload_identity(w) else {
            return Vec::new();
        };
        self.credentials_trusting(w)
            .into_iter()
            .filter(|(i, _)| i.eq_ignore_ascii_case(&identity.name))
            .map(|(_, f)| f)
            .collect()
    }

    /// One sentence on whether `w` can get a token now, and why not.
    pub fn workload_status(&self, w: &Workload) -> String {
        let Some(identity) = self.workload_identity(w) else {
            return format!(
                "Its annotation names client id {}, which no identity has any more: the exchange fails with AADSTS700016.",
                w.client_id
            );
        };
        let trusted = self.trusted_by(w);
        if trusted.is_empty() {
            format!(
                "No federated credential of {} trusts {} from {}'s issuer: its token requests fail with AADSTS70021.",
                identity.name,
                w.subject(),
                w.cluster
            )
        } else {
            format!(
                "{} trusts it through {}: its pod can get tokens as {}.",
                identity.name,
                trusted.join(", "),
                identity.name
            )
        }
    }

    /// Deletes cluster `name` and the workloads on it; `None` when there is no such cluster.
    pub(super) fn remove_cluster(&mut self, name: &str) -> Option<String> {
        let i = self
            .clusters
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))?;
        let c = self.clusters.remove(i);
        let before = self.workloads.len();
        self.workloads
            .retain(|w| !w.cluster.eq_ignore_ascii_case(&c.name));
        let gone = before - self.workloads.len();
        Some(format!(
            "Deleted AKS cluster {} and its {gone} workload(s). Its OIDC issuer ({}) is gone: federated credentials that trust it stay on their identities but match nothing, and a new cluster gets a new issuer.",
            c.name, c.issuer
        ))
    }

    pub(super) fn apply_federation(&mut self, action: &Action) -> Result<String, ActionError> {
        match action {
            Action::CreateCluster {
                resource_group,
                name,
            } => {
                let rg = self.need_rg(resource_group)?;
                validate_name(name, NameRule::Compute)?;
                self.need_unique(name)?;
                let key = self.new_guid();
                let issuer = format!(
                    "https://{}.oic.prod-aks.azure.com/{}/{key}/",
                    self.location, self.tenant.id
                );
                let summary = format!("Created AKS cluster {name} with its OIDC issuer and workload identity enabled. Its issuer URL is {issuer}: every service-account token it projects says iss = that URL.");
                self.clusters.push(Cluster {
                    name: name.clone(),
                    resource_group: rg,
                    issuer,
                    created: self.now,
                });
                Ok(summary)
            }
            Action::DeployWorkload {
                cluster,
                namespace,
                name,
                identity,
            } => {
                let ci = self.need_cluster(cluster)?;
                validate_label(namespace, "namespace")?;
                validate_label(name, "service account")?;
                self.need_unique(name)?;
                let ii = self.need_identity(identity)?;
                let id = self.identities.get(ii).ok_or_else(internal)?;
                let (id_name, client_id) = (id.name.clone(), id.sp.client_id.clone());
                let cluster = self.clusters.get(ci).ok_or_else(internal)?.name.clone();
                let w = Workload {
                    name: name.clone(),
                    cluster: cluster.clone(),
                    namespace: namespace.clone(),
                    client_id: client_id.clone(),
                    identity: id_name.clone(),
                    service_account_uid: self.new_guid(),
                    pod_name: name.clone(),
                    pod_uid: self.new_guid(),
                    created: self.now,
                };
                let status = self.workload_status(&w);
                self.workloads.push(w);
                Ok(format!(
                    "Deployed {name} in namespace {namespace} on {cluster}: service account {name} annotated with {id_name}'s client id ({client_id}), and pod {name} labelled azure.workload.identity/use: \"true\". The webhook gives the pod AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_AUTHORITY_HOST and AZURE_FEDERATED_TOKEN_FILE. {status}"
                ))
            }
            Action::DeleteWorkload { name } => {
                let Some(i) = self
                    .workloads
                    .iter()
                    .position(|w| w.name.eq_ignore_ascii_case(name))
                else {
                    return Err(error(
                        ErrorKind::NotFound,
                        format!("Workload '{name}' was not found."),
                        "No service account and pod of that name is deployed.",
                        "Check the name (wl:<cluster>:<namespace>:<name>:<identity> deploys one).",
                    ));
                };
                let w = self.workloads.remove(i);
                Ok(format!(
                    "Deleted pod and service account {} from namespace {} on {}. Federated credentials naming its subject stay on their identity.",
                    w.name, w.namespace, w.cluster
                ))
            }
            Action::CreateFederatedCredential {
                identity,
                name,
                cluster,
                namespace,
                service_account,
            } => {
                validate_credential_name(name)?;
                validate_label(namespace, "namespace")?;
                validate_label(service_account, "service account")?;
                let issuer = {
                    let ci = self.need_cluster(cluster)?;
                    self.clusters.get(ci).ok_or_else(internal)?.issuer.clone()
                };
                let ii = self.need_identity(identity)?;
                let id = self.identities.get(ii).ok_or_else(internal)?;
                let subject = subject_of(namespace, service_account);
                if id
                    .federated_credentials
                    .iter()
                    .any(|f| f.name.eq_ignore_ascii_case(name))
                {
                    return Err(error(
                        ErrorKind::AlreadyExists,
                        format!("{} already has a federated credential named '{name}'.", id.name),
                        "Credential names are unique per identity; creating one with the same name in Azure replaces it.",
                        "Choose another name, or delete the existing one first.",
                    ));
                }
                if let Some(f) = id
                    .federated_credentials
                    .iter()
                    .find(|f| f.issuer == issuer && f.subject == subject)
                {
                    return Err(error(
                        ErrorKind::AlreadyExists,
                        format!("{}'s credential '{}' already trusts this issuer and subject.", id.name, f.name),
                        "An identity cannot hold two federated credentials with the same issuer and subject [doc].",
                        "Nothing to do: that credential already covers it.",
                    ));
                }
                if id.federated_credentials.len() >= MAX_CREDENTIALS {
                    return Err(error(
                        ErrorKind::NotSupported,
                        format!("{} already has {MAX_CREDENTIALS} federated credentials.", id.name),
                        "A user-assigned identity holds at most 20 federated identity credentials [doc].",
                        "Delete one you no longer need, or use another identity.",
                    ));
                }
                let id_name = id.name.clone();
                let cred = FederatedCredential {
                    name: name.clone(),
                    issuer: issuer.clone(),
                    subject: subject.clone(),
                    audiences: vec![TOKEN_EXCHANGE_AUDIENCE.to_string()],
                };
                self.identities
                    .get_mut(ii)
                    .ok_or_else(internal)?
                    .federated_credentials
                    .push(cred);
                // The workloads this credential lets in (by the exchange's own match rule).
                let covered: Vec<&str> = self
                    .workloads
                    .iter()
                    .filter(|w| {
                        self.workload_identity(w).is_some_and(|i| i.name == id_name)
                            && self.trusted_by(w).contains(name)
                    })
                    .map(|w| w.name.as_str())
                    .collect();
                let now = if covered.is_empty() {
                    String::new()
                } else {
                    format!(" {} can now get tokens as {id_name}.", covered.join(", "))
                };
                Ok(format!(
                    "Added federated credential {name} to {id_name}: Entra now accepts tokens issued by {issuer} for subject {subject} with audience {TOKEN_EXCHANGE_AUDIENCE}.{now} (In Azure, allow a few seconds for it to propagate.)"
                ))
            }
            Action::DeleteFederatedCredential { identity, name } => {
                let ii = self.need_identity(identity)?;
                let id = self.identities.get_mut(ii).ok_or_else(internal)?;
                let Some(pos) = id
                    .federated_credentials
                    .iter()
                    .position(|f| f.name.eq_ignore_ascii_case(name))
                else {
                    return Err(error(
                        ErrorKind::NotFound,
                        format!("{} has no federated credential named '{name}'.", id.name),
                        "It was never added, or it has been deleted.",
                        "Check the identity's federated credentials.",
                    ));
                };
                let f = id.federated_credentials.remove(pos);
                Ok(format!(
                    "Deleted federated credential {} of {}: tokens for {} are no longer accepted (tokens already issued stay valid until they expire).",
                    f.name, id.name, f.subject
                ))
            }
            _ => Err(internal()),
        }
    }
}

/// `az aks delete …`.
pub(super) fn az_delete_cluster(c: &Cluster) -> String {
    format!(
        "az aks delete --resource-group {} --name {} --yes",
        c.resource_group, c.name
    )
}

/// The commands deleting what `action` deletes, from the world before it.
pub(super) fn before_text(before: &World, action: &Action) -> String {
    match action {
        Action::DeleteWorkload { name } => match before.workload(name) {
            Some(w) => format!(
                "kubectl delete pod {n} --namespace {ns}\nkubectl delete serviceaccount {n} --namespace {ns}",
                n = w.name,
                ns = w.namespace
            ),
            None => String::new(),
        },
        Action::DeleteFederatedCredential { identity, name } => match before.identity(identity) {
            Some(i) => format!(
                "az identity federated-credential delete --name {name} --identity-name {} --resource-group {} --yes",
                i.name, i.resource_group
            ),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// The service account and pod of a workload, as `kubectl apply` input (the pod runs the
/// Azure CLI image as a stand-in for the app).
pub fn workload_yaml(w: &Workload) -> String {
    format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {n}\n  namespace: {ns}\n  annotations:\n    azure.workload.identity/client-id: {cid}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: {ns}\n  labels:\n    azure.workload.identity/use: \"true\"\nspec:\n  serviceAccountName: {n}\n  containers:\n  - name: app\n    image: mcr.microsoft.com/azure-cli\n    command: [\"sleep\", \"infinity\"]\n",
        n = w.name,
        ns = w.namespace,
        cid = w.client_id,
        pod = w.pod_name
    )
}

fn write_cluster_show(j: &mut Json, world: &World, c: &Cluster) {
    j.obj()
        .key("id")
        .str(&world.cluster_arm_id(c).to_arm_string());
    j.key("location")
        .str(&world.location)
        .key("name")
        .str(&c.name);
    j.key("oidcIssuerProfile")
        .obj()
        .key("enabled")
        .raw("true")
        .key("issuerUrl")
        .str(&c.issuer)
        .end();
    j.key("resourceGroup").str(&c.resource_group);
    j.key("securityProfile")
        .obj()
        .key("workloadIdentity")
        .obj()
        .key("enabled")
        .raw("true")
        .end()
        .end();
    j.key("type").str(AKS_TYPE).end();
}

/// `az aks show` (the fields that matter here; the real output has many more).
pub fn cluster_show_json(world: &World, c: &Cluster) -> Value {
    value(|j| write_cluster_show(j, world, c))
}

fn cluster_bicep(world: &World, c: &Cluster) -> String {
    format!(
        "resource {sym} 'Microsoft.ContainerService/managedClusters@{AKS_API}' = {{\n  name: '{n}'\n  location: '{loc}'\n  identity: {{\n    type: 'SystemAssigned'\n  }}\n  properties: {{\n    dnsPrefix: '{n}'\n    agentPoolProfiles: [\n      {{\n        name: 'nodepool1'\n        count: 1\n        vmSize: 'Standard_D2s_v3'\n        mode: 'System'\n      }}\n    ]\n    oidcIssuerProfile: {{\n      enabled: true\n    }}\n    securityProfile: {{\n      workloadIdentity: {{\n        enabled: true\n      }}\n    }}\n  }}\n}}",
        sym = super::cli::bicep_symbol(&c.name),
        n = c.name,
        loc = world.location
    )
}

fn write_credential_show(
    j: &mut Json,
    world: &World,
    i: &UserAssignedIdentity,
    f: &FederatedCredential,
) {
    j.obj().key("audiences").arr();
    for a in &f.audiences {
        j.el().str(a);
    }
    j.end();
    j.key("id").str(&format!(
        "{}/federatedIdentityCredentials/{}",
        world.identity_arm_id(i).to_arm_string(),
        f.name
    ));
    j.key("issuer").str(&f.issuer).key("name").str(&f.name);
    j.key("resourceGroup").str(&i.resource_group);
    j.key("subject").str(&f.subject);
    j.key("systemData").null().key("type").str(FIC_TYPE).end();
}

/// The `az` / `kubectl` text, Bicep and output of the actions of this module.
pub(super) fn describe_after(after: &World, action: &Action, before: &str) -> CliText {
    let none = |az: String| CliText {
        az,
        bicep: None,
        output: None,
    };
    match action {
        Action::CreateCluster { name, .. } => match after.cluster(name) {
            Some(c) => CliText {
                az: format!(
                    "az aks create --resource-group {g} --name {n} --node-count 1 --enable-oidc-issuer --enable-workload-identity --generate-ssh-keys\naz aks show --resource-group {g} --name {n} --query oidcIssuerProfile.issuerUrl --output tsv",
                    g = c.resource_group,
                    n = c.name
                ),
                bicep: Some(cluster_bicep(after, c)),
                output: Some(pretty(|j| write_cluster_show(j, after, c))),
            },
            None => none(String::new()),
        },
        Action::DeployWorkload { name, .. } => match after.workload(name) {
            Some(w) => {
                let rg = after
                    .cluster(&w.cluster)
                    .map_or("<group>", |c| c.resource_group.as_str());
                none(format!(
                    "az aks get-credentials --resource-group {rg} --name {c}\nkubectl create namespace {ns}\ncat <<EOF | kubectl apply -f -\n{yaml}EOF",
                    c = w.cluster,
                    ns = w.namespace,
                    yaml = workload_yaml(w)
                ))
            }
            None => none(String::new()),
        },
        Action::CreateFederatedCredential { identity, name, .. } => {
            let found = after.identity(identity).and_then(|i| {
                let f = i.federated_credentials.iter().find(|f| &f.name == name)?;
                Some((i, f))
            });
            match found {
                Some((i, f)) => CliText {
                    az: f.az_create(&i.name, &i.resource_group),
                    bicep: Some(f.bicep(&i.name)),
                    output: Some(pretty(|j| write_credential_show(j, after, i, f))),
                },
                None => none(String::new()),
            }
        }
        _ => none(before.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::dsl::parse_actions;
    use crate::cloud::time::EPOCH;
    use crate::endpoint::{send, workload, EndpointState};

    const SETUP: &str = "rg:g;t:kv:g:kv-demo1;aks:g:aks;id:g:id-a;ra:u:id-a:kvsu:r/kv-demo1;\
wl:aks:orders:api:id-a;fc:id-a:fc-api:aks:orders:api";

    fn world(extra: &str) -> Result<World, (usize, ActionError)> {
        World::replay(
            5,
            EPOCH,
            &parse_actions(&format!("{SETUP};{extra}")).unwrap(),
        )
    }

    fn kind_of(extra: &str) -> ErrorKind {
        world(extra).unwrap_err().1.kind
    }

    /// Status and (for errors) the AADSTS code of a Key Vault token request from `api`.
    fn ask(w: &World) -> (Option<u16>, String) {
        let wl = w.workload("api").unwrap();
        let req = workload::token_request(w, wl, "https://vault.azure.net").unwrap();
        let x = send(w, &mut EndpointState::new(), "api", &req);
        let body = x
            .response
            .as_ref()
            .map(|r| r.body.clone())
            .unwrap_or_default();
        let code = body
            .split("AADSTS")
            .nth(1)
            .map(|t| t.chars().take_while(char::is_ascii_digit).collect())
            .unwrap_or_default();
        (x.response.map(|r| r.status), code)
    }

    #[test]
    fn a_trusted_workload_gets_a_token_for_its_identity() {
        let w = world("").unwrap();
        assert_eq!(ask(&w), (Some(200), String::new()));
        let wl = w.workload("api").unwrap();
        let req = workload::token_request(&w, wl, "https://vault.azure.net").unwrap();
        let x = send(&w, &mut EndpointState::new(), "api", &req);
        let id = w.identity("id-a").unwrap();
        assert_eq!(x.identity.as_ref().map(|i| &i.sp), Some(&id.sp));
        assert!(x
            .response
            .unwrap()
            .body
            .starts_with("{\"token_type\":\"Bearer\""));
        // The body is the Python client's: alphabetical fields, the projected token inside.
        assert!(req.body.starts_with("client_assertion=eyJ"));
        assert!(req.body.ends_with(&format!(
            "&client_id={}&grant_type=client_credentials&scope=https%3A%2F%2Fvault.azure.net%2F.default",
            id.sp.client_id
        )));
        assert_eq!(
            workload::injected_env(&w, wl)[1],
            ("AZURE_CLIENT_ID".to_string(), id.sp.client_id.clone())
        );
    }

    #[test]
    fn what_breaks_the_trust() {
        // Another namespace or service account: the subject differs.
        assert_eq!(
            ask(&world("-wl:api;wl:aks:orders-v2:api:id-a").unwrap()).1,
            "70021"
        );
        // The credential deleted.
        assert_eq!(ask(&world("-fc:id-a:fc-api").unwrap()).1, "70021");
        // The cluster recreated: a new issuer.
        assert_eq!(
            ask(&world("-r:aks;aks:g:aks;wl:aks:orders:api:id-a").unwrap()).1,
            "70021"
        );
        // The identity deleted and recreated: the annotation names the old client id.
        let w = world("-id:id-a;id:g:id-a").unwrap();
        assert_eq!(ask(&w), (Some(400), "700016".to_string()));
        assert!(w
            .workload_status(w.workload("api").unwrap())
            .contains("AADSTS700016"));
        // A token request to IMDS from a pod: no answer (not modelled), said so.
        let x = send(
            &w,
            &mut EndpointState::new(),
            "api",
            &crate::endpoint::hosts::default_request(
                &crate::cloud::Compute {
                    kind: ComputeKind::VirtualMachine,
                    name: "x".into(),
                    resource_group: "g".into(),
                    system_identity: None,
                    user_identities: Vec::new(),
                    identity_header: String::new(),
                    created: 0,
                },
                "https://vault.azure.net",
            ),
        );
        assert!(x.response.is_none() && x.connection_error.is_some());
    }

    #[test]
    fn deletes_cascade_and_names_stay_unique() {
        let w = world("-r:aks").unwrap();
        assert!(w.clusters.is_empty() && w.workloads.is_empty());
        assert_eq!(w.identity("id-a").unwrap().federated_credentials.len(), 1);
        let w = world("-rg:g").unwrap();
        assert!(w.clusters.is_empty() && w.workloads.is_empty() && w.identities.is_empty());
        assert_eq!(kind_of("c:vm:g:api"), ErrorKind::AlreadyExists);
        assert_eq!(kind_of("wl:aks:other:aks:id-a"), ErrorKind::AlreadyExists);
    }

    #[test]
    fn refuses_what_azure_and_kubernetes_refuse() {
        assert_eq!(kind_of("wl:aks:Orders:x:id-a"), ErrorKind::InvalidName);
        assert_eq!(kind_of("wl:aks:orders:x-:id-a"), ErrorKind::InvalidName);
        assert_eq!(kind_of("wl:nope:orders:x:id-a"), ErrorKind::NotFound);
        assert_eq!(kind_of("wl:aks:orders:x:nope"), ErrorKind::NotFound);
        assert_eq!(kind_of("fc:id-a:fc:aks:orders:api"), ErrorKind::InvalidName);
        assert_eq!(
            kind_of("fc:id-a:fc-api:aks:orders:x"),
            ErrorKind::AlreadyExists
        );
        let e = world("fc:id-a:fc-again:aks:orders:api").unwrap_err().1;
        assert_eq!(e.kind, ErrorKind::AlreadyExists);
        assert!(
            e.what
                .contains("'fc-api' already trusts this issuer and subject"),
            "{e}"
        );
        assert_eq!(kind_of("-fc:id-a:nope"), ErrorKind::NotFound);
        assert_eq!(kind_of("-wl:nope"), ErrorKind::NotFound);
        // At most 20 credentials per identity.
        let more: Vec<String> = (2..=20)
            .map(|n| format!("fc:id-a:fc-{n}:aks:ns{n}:api"))
            .collect();
        let w = world(&more.join(";")).unwrap();
        assert_eq!(
            w.identity("id-a").unwrap().federated_credentials.len(),
            MAX_CREDENTIALS
        );
        let e = world(&format!("{};fc:id-a:fc-21:aks:ns21:api", more.join(";")))
            .unwrap_err()
            .1;
        assert_eq!(e.kind, ErrorKind::NotSupported);
    }

    #[test]
    fn describes_each_action_as_az_kubectl_and_bicep() {
        let mut w = World::new(5, EPOCH);
        let outs = w.apply_all(&parse_actions(SETUP).unwrap()).unwrap();
        let aks = &outs[2].cli;
        assert!(aks
            .bicep
            .as_deref()
            .is_some_and(|b| b.contains("oidcIssuerProfile: {\n      enabled: true")));
        let shown: Value = serde_json::from_str(aks.output.as_deref().unwrap()).unwrap();
        assert_eq!(
            shown["oidcIssuerProfile"]["issuerUrl"],
            w.clusters[0].issuer.as_str()
        );
        assert_eq!(
            shown["securityProfile"]["workloadIdentity"]["enabled"],
            true
        );
        let wl = &outs[5].cli.az;
        let cid = &w.identities[0].sp.client_id;
        assert!(
            wl.contains(&format!("    azure.workload.identity/client-id: {cid}\n")),
            "{wl}"
        );
        assert!(wl.contains("    azure.workload.identity/use: \"true\"\n"));
        let fc: Value = serde_json::from_str(outs[6].cli.output.as_deref().unwrap()).unwrap();
        assert_eq!(fc["subject"], "system:serviceaccount:orders:api");
        assert_eq!(fc["audiences"][0], "api://AzureADTokenExchange");
        assert!(fc["id"]
            .as_str()
            .unwrap()
            .ends_with("/userAssignedIdentities/id-a/federatedIdentityCredentials/fc-api"));
        let del = w
            .apply_all(&parse_actions("-fc:id-a:fc-api;-wl:api;-r:aks").unwrap())
            .unwrap();
        assert_eq!(del[0].cli.az, "az identity federated-credential delete --name fc-api --identity-name id-a --resource-group g --yes");
        assert_eq!(del[1].cli.az, "kubectl delete pod api --namespace orders\nkubectl delete serviceaccount api --namespace orders");
        assert_eq!(
            del[2].cli.az,
            "az aks delete --resource-group g --name aks --yes"
        );
    }
}
