//! Which token endpoint a host has, the environment variables an SDK sees there, and the
//! default token request from it (managed-identity.md §2–§3).

use super::http::{HttpRequest, Url};
use super::{appservice, arc, imds};
use crate::cloud::{Compute, ComputeKind, EndpointKind, ManagedIdentity, World};

/// The default audience of the playground's requests.
pub const DEFAULT_RESOURCE: &str = "https://management.azure.com/";

/// A host's token endpoint as code running there sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEndpoint {
    pub kind: EndpointKind,
    /// The token endpoint URL (without query).
    pub url: String,
    /// Environment variables the platform sets (names and values, in a stable order).
    pub env: Vec<(String, String)>,
    /// Which credential source azure-identity (Python) picks from that environment.
    pub sdk_source: &'static str,
}

/// The endpoint and environment of `host`.
pub fn host_endpoint(host: &Compute) -> HostEndpoint {
    let kind = host.kind.endpoint();
    let secret = host.identity_header.clone();
    let (url, env): (String, Vec<(String, String)>) = match host.kind {
        ComputeKind::VirtualMachine | ComputeKind::VmScaleSet => {
            (format!("http://{}{}", imds::HOST, imds::PATH), vec![])
        }
        ComputeKind::AppService | ComputeKind::FunctionApp => (
            appservice::APP_SERVICE_ENDPOINT.to_string(),
            vec![
                (
                    "IDENTITY_ENDPOINT".into(),
                    appservice::APP_SERVICE_ENDPOINT.into(),
                ),
                ("IDENTITY_HEADER".into(), secret.clone()),
                (
                    "MSI_ENDPOINT".into(),
                    appservice::APP_SERVICE_ENDPOINT.into(),
                ),
                ("MSI_SECRET".into(), secret),
            ],
        ),
        ComputeKind::ContainerApp => (
            appservice::CONTAINER_APPS_ENDPOINT.to_string(),
            vec![
                (
                    "IDENTITY_ENDPOINT".into(),
                    appservice::CONTAINER_APPS_ENDPOINT.into(),
                ),
                ("IDENTITY_HEADER".into(), secret),
            ],
        ),
        ComputeKind::ArcServer => (
            arc::ENDPOINT.to_string(),
            vec![
                ("IDENTITY_ENDPOINT".into(), arc::ENDPOINT.into()),
                ("IMDS_ENDPOINT".into(), arc::IMDS_ENDPOINT.into()),
            ],
        ),
    };
    let sdk_source = sdk_source_for_env(&env);
    HostEndpoint {
        kind,
        url,
        env,
        sdk_source,
    }
}

/// How azure-identity (Python) picks the managed-identity source from environment variables.
pub fn sdk_source_for_env(env: &[(String, String)]) -> &'static str {
    let has = |n: &str| env.iter().any(|(k, v)| k == n && !v.is_empty());
    if has("IDENTITY_ENDPOINT") && has("IDENTITY_HEADER") {
        if has("IDENTITY_SERVER_THUMBPRINT") {
            "Service Fabric"
        } else {
            "App Service (2019-08-01)"
        }
    } else if has("IDENTITY_ENDPOINT") && has("IMDS_ENDPOINT") {
        "Azure Arc"
    } else if has("MSI_ENDPOINT") && has("MSI_SECRET") {
        "Azure Machine Learning"
    } else if has("MSI_ENDPOINT") {
        "Cloud Shell"
    } else if has("AZURE_FEDERATED_TOKEN_FILE") {
        "Workload identity"
    } else {
        "IMDS"
    }
}

/// The token request an SDK would send first from `host` for `resource` (no selector).
pub fn default_request(host: &Compute, resource: &str) -> HttpRequest {
    let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    type Parts<'a> = (&'a str, Vec<(String, String)>, Vec<(&'a str, String)>);
    let (base, query, headers): Parts<'_> = match host.kind {
        ComputeKind::VirtualMachine | ComputeKind::VmScaleSet => (
            "http://169.254.169.254/metadata/identity/oauth2/token",
            q(&[("api-version", "2018-02-01"), ("resource", resource)]),
            vec![("Metadata", "true".to_string())],
        ),
        ComputeKind::AppService | ComputeKind::FunctionApp | ComputeKind::ContainerApp => (
            appservice::endpoint_for(host.kind).unwrap_or(appservice::APP_SERVICE_ENDPOINT),
            q(&[("api-version", "2019-08-01"), ("resource", resource)]),
            vec![("X-IDENTITY-HEADER", host.identity_header.clone())],
        ),
        ComputeKind::ArcServer => (
            arc::ENDPOINT,
            q(&[("api-version", arc::API_VERSION), ("resource", resource)]),
            vec![("Metadata", "true".to_string())],
        ),
    };
    let mut url = Url::parse(base).unwrap_or(Url {
        scheme: "http".into(),
        host: imds::HOST.into(),
        port: None,
        path: imds::PATH.into(),
        query: vec![],
    });
    url.query = query;
    HttpRequest {
        method: "GET".into(),
        url,
        headers: headers
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect(),
        body: String::new(),
    }
}

/// The default request of the playground: from `vm-web` of the default scenario (or the
/// first host), no selector, resource `https://management.azure.com/`.
pub fn default_scenario_request(world: &World) -> Option<(String, HttpRequest)> {
    let host = world.compute("vm-web").or_else(|| world.computes.first())?;
    Some((host.name.clone(), default_request(host, DEFAULT_RESOURCE)))
}

/// Which identity value a selector parameter carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorOf {
    Client,
    Principal,
    Resource,
}

/// The identity selector parameters of an endpoint family, as the docs name them
/// (managed-identity.md §1–2). IMDS also accepts `mi_res_id` and App Service the alias
/// `object_id`; these are the names a client should send.
pub fn selector_params(kind: EndpointKind) -> [(&'static str, SelectorOf); 3] {
    match kind {
        EndpointKind::AppService | EndpointKind::ContainerApps => [
            ("client_id", SelectorOf::Client),
            ("principal_id", SelectorOf::Principal),
            ("mi_res_id", SelectorOf::Resource),
        ],
        EndpointKind::Imds | EndpointKind::Arc => [
            ("client_id", SelectorOf::Client),
            ("object_id", SelectorOf::Principal),
            ("msi_res_id", SelectorOf::Resource),
        ],
    }
}

/// `req` with its identity selector (any of the family's names) replaced by `param=value`, or
/// removed when `param` is `None`.
pub fn with_selector(
    req: &HttpRequest,
    kind: EndpointKind,
    param: Option<&str>,
    value: &str,
) -> HttpRequest {
    let mut r = req.clone();
    let names = selector_params(kind).map(|(n, _)| n);
    r.url.query.retain(|(n, _)| !names.contains(&n.as_str()));
    if let Some(p) = param {
        r.url.query.push((p.to_string(), value.to_string()));
    }
    r
}

/// The value of `identity` that a selector of kind `of` names.
pub fn identity_value(identity: &ManagedIdentity, of: SelectorOf) -> String {
    match of {
        SelectorOf::Client => identity.sp.client_id.clone(),
        SelectorOf::Principal => identity.sp.principal_id.clone(),
        SelectorOf::Resource => identity.arm_id.to_arm_string(),
    }
}

#[cfg(test)]
mod selector_tests {
    use super::*;
    use crate::cloud::time::EPOCH;

    #[test]
    fn selector_names_follow_each_endpoint_family() {
        let names = |k| selector_params(k).map(|(n, _)| n);
        assert_eq!(
            names(EndpointKind::Imds),
            ["client_id", "object_id", "msi_res_id"]
        );
        assert_eq!(
            names(EndpointKind::AppService),
            ["client_id", "principal_id", "mi_res_id"]
        );
        let world = World::default_scenario(EPOCH);
        let vm = world.compute("vm-web").unwrap();
        let id = world.identities_of(vm).into_iter().next().unwrap();
        assert_eq!(identity_value(&id, SelectorOf::Client), id.sp.client_id);
        assert!(identity_value(&id, SelectorOf::Resource).contains("/resourceGroups/"));
    }
}
