//! Environments of real hosts: the simulated world's (from [`hosts::host_endpoint`]) and
//! examples of the hosts the world does not simulate (Service Fabric, Azure Machine Learning,
//! Cloud Shell, AKS workload identity) plus the confusing cases.

use crate::cloud::World;
use crate::endpoint::{appservice, arc, hosts};

/// The variables code sees on the world's compute host `host` (none on a VM; App Service and
/// Functions: `IDENTITY_*` and `MSI_*`; Container Apps: `IDENTITY_*`; Arc: `IDENTITY_ENDPOINT`
/// and `IMDS_ENDPOINT`). `None` when there is no such host.
pub fn env_for_host(world: &World, host: &str) -> Option<Vec<(String, String)>> {
    world.compute(host).map(|h| hosts::host_endpoint(h).env)
}

/// A named example environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Stable code, e.g. `service-fabric`.
    pub code: &'static str,
    pub label: &'static str,
    pub vars: Vec<(String, String)>,
}

/// An identity header value for examples (the one in the Container Apps docs' sample).
const HEADER: &str = "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT: &str = "0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60";
const TOKEN_FILE: &str = "/var/run/secrets/azure/tokens/azure-identity-token";

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn example(code: &'static str, label: &'static str, pairs: &[(&str, &str)]) -> Example {
    Example {
        code,
        label,
        vars: vars(pairs),
    }
}

/// Example environments, real hosts first, then the cases where SDKs disagree. Endpoint
/// values follow the docs' samples; secrets are made up.
pub fn examples() -> Vec<Example> {
    let app = appservice::APP_SERVICE_ENDPOINT;
    let app_vars = [
        ("IDENTITY_ENDPOINT", app),
        ("IDENTITY_HEADER", HEADER),
        ("MSI_ENDPOINT", app),
        ("MSI_SECRET", HEADER),
    ];
    let wi = [
        ("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com/"),
        ("AZURE_CLIENT_ID", CLIENT),
        ("AZURE_TENANT_ID", TENANT),
        ("AZURE_FEDERATED_TOKEN_FILE", TOKEN_FILE),
    ];
    let mut functions = app_vars.to_vec();
    functions.extend([
        ("FUNCTIONS_WORKER_RUNTIME", "python"),
        ("WEBSITE_SITE_NAME", "func-orders"),
    ]);
    let mut wi_and_app = app_vars.to_vec();
    wi_and_app.extend(wi);
    vec![
        example("vm", "Virtual machine (nothing set)", &[]),
        example("app-service", "App Service", &app_vars),
        example("functions", "Azure Functions", &functions),
        example(
            "container-apps",
            "Container Apps",
            &[
                ("IDENTITY_ENDPOINT", appservice::CONTAINER_APPS_ENDPOINT),
                ("IDENTITY_HEADER", HEADER),
            ],
        ),
        example(
            "service-fabric",
            "Service Fabric",
            &[
                (
                    "IDENTITY_ENDPOINT",
                    "https://localhost:2377/metadata/identity/oauth2/token",
                ),
                ("IDENTITY_HEADER", HEADER),
                (
                    "IDENTITY_SERVER_THUMBPRINT",
                    "5B3F6A2C9E1D4F7A8B0C3D6E9F2A5B8C1D4E7F0A",
                ),
                ("IDENTITY_API_VERSION", "2019-07-01-preview"),
            ],
        ),
        example(
            "azure-ml",
            "Azure Machine Learning compute",
            &[
                ("MSI_ENDPOINT", "http://127.0.0.1:46808/MSI/auth"),
                ("MSI_SECRET", "c3f1e9a2b7d84e6f"),
                ("DEFAULT_IDENTITY_CLIENT_ID", CLIENT),
            ],
        ),
        example(
            "cloud-shell",
            "Cloud Shell",
            &[
                ("MSI_ENDPOINT", "http://localhost:50342/oauth2/token"),
                ("AZUREPS_HOST_ENVIRONMENT", "cloud-shell/1.0"),
            ],
        ),
        example(
            "azure-arc",
            "Azure Arc server",
            &[
                ("IDENTITY_ENDPOINT", arc::ENDPOINT),
                ("IMDS_ENDPOINT", arc::IMDS_ENDPOINT),
            ],
        ),
        example(
            "aks-workload-identity",
            "AKS pod with workload identity",
            &wi,
        ),
        example(
            "identity-endpoint-only",
            "IDENTITY_ENDPOINT alone",
            &[("IDENTITY_ENDPOINT", app)],
        ),
        example(
            "msi-pair",
            "MSI_ENDPOINT + MSI_SECRET (App Service 2017 or Azure ML?)",
            &[("MSI_ENDPOINT", app), ("MSI_SECRET", HEADER)],
        ),
        example(
            "workload-identity-and-app-service",
            "Workload identity variables on App Service",
            &wi_and_app,
        ),
        example(
            "workload-identity-no-authority",
            "Workload identity without AZURE_AUTHORITY_HOST",
            &wi[1..],
        ),
        example(
            "empty-identity-header",
            "IDENTITY_HEADER empty, MSI_* set",
            &[
                ("IDENTITY_ENDPOINT", app),
                ("IDENTITY_HEADER", ""),
                ("MSI_ENDPOINT", app),
                ("MSI_SECRET", HEADER),
            ],
        ),
    ]
}
