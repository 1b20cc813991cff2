//! "Which source will my code use?" — how each Azure SDK picks its managed-identity source from
//! the environment, and the first request it then sends.
//!
//! [`parse_env`] reads a pasted environment; [`detect`] runs one SDK's detection order over it
//! (every rule, which one fired, the source, the request); [`disagreements`] says where the four
//! SDKs part ways for that environment. Every rule names the file and version it was read from
//! and how sure it is ([`Certainty`]): `Sdk` = read in that source, `Tested` = the real client
//! was run here on loopback with this environment (core/conformance/detect.py), `Guess` =
//! unconfirmed.

mod env;
mod presets;
mod request;
mod rules;
#[cfg(test)]
mod tests;

pub use env::{parse_env, EnvNote, Level, ParsedEnv, MAX_NOTES};
pub use presets::{env_for_host, examples, Example};
pub use request::RequestPreview;

use super::secrets::{LinkText, WITHHELD};
use super::Certainty;
use crate::cloud::World;

/// The SDKs whose detection is modelled (named so as not to clash with [`super::sdk::Sdk`],
/// which is about reading responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DetectSdk {
    Python,
    DotNet,
    JavaScript,
    Java,
}

impl DetectSdk {
    pub const ALL: [DetectSdk; 4] = [
        DetectSdk::Python,
        DetectSdk::DotNet,
        DetectSdk::JavaScript,
        DetectSdk::Java,
    ];

    /// The name in links (`sdk=python|dotnet|js|java`).
    pub fn code(self) -> &'static str {
        match self {
            DetectSdk::Python => "python",
            DetectSdk::DotNet => "dotnet",
            DetectSdk::JavaScript => "js",
            DetectSdk::Java => "java",
        }
    }

    pub fn from_code(code: &str) -> Option<DetectSdk> {
        DetectSdk::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Short name, e.g. ".NET".
    pub fn name(self) -> &'static str {
        match self {
            DetectSdk::Python => "Python",
            DetectSdk::DotNet => ".NET",
            DetectSdk::JavaScript => "JavaScript",
            DetectSdk::Java => "Java",
        }
    }

    /// The packages and versions whose source the rules come from.
    pub fn label(self) -> &'static str {
        match self {
            DetectSdk::Python => "Python azure-identity 1.27.0 (requests built by msal 1.39.0)",
            DetectSdk::DotNet => ".NET Azure.Identity ≥ 1.13 (via MSAL.NET 4.86)",
            DetectSdk::JavaScript => {
                "JavaScript @azure/identity 4.13.0 (via @azure/msal-node 3.8.10)"
            }
            DetectSdk::Java => "Java azure-identity (via msal4j 1.17.2)",
        }
    }
}

/// Where a managed-identity token comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Imds,
    AppService,
    ServiceFabric,
    AzureArc,
    AzureMl,
    CloudShell,
    WorkloadIdentity,
    /// No managed-identity source: the credential has none for this environment (or, in
    /// `DefaultAzureCredential`, a service principal from the environment comes first).
    None,
}

impl Source {
    pub const ALL: [Source; 8] = [
        Source::Imds,
        Source::AppService,
        Source::ServiceFabric,
        Source::AzureArc,
        Source::AzureMl,
        Source::CloudShell,
        Source::WorkloadIdentity,
        Source::None,
    ];

    /// Stable code (`data-source` in the page, test tables).
    pub fn code(self) -> &'static str {
        match self {
            Source::Imds => "imds",
            Source::AppService => "app-service",
            Source::ServiceFabric => "service-fabric",
            Source::AzureArc => "azure-arc",
            Source::AzureMl => "azure-ml",
            Source::CloudShell => "cloud-shell",
            Source::WorkloadIdentity => "workload-identity",
            Source::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::Imds => "IMDS (169.254.169.254)",
            Source::AppService => "App Service (IDENTITY_ENDPOINT, 2019-08-01)",
            Source::ServiceFabric => "Service Fabric",
            Source::AzureArc => "Azure Arc",
            Source::AzureMl => "Azure Machine Learning (MSI_ENDPOINT, 2017-09-01)",
            Source::CloudShell => "Cloud Shell (MSI_ENDPOINT)",
            Source::WorkloadIdentity => "Workload identity (token exchange with Entra ID)",
            Source::None => "none",
        }
    }
}

/// The credential the code builds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DetectOptions {
    /// `DefaultAzureCredential()` instead of `ManagedIdentityCredential()`: its environment and
    /// workload-identity credentials come first.
    pub via_default_azure_credential: bool,
    /// A user-assigned identity's client id passed to the credential.
    pub client_id: Option<String>,
    /// The scope asked for.
    pub scope: String,
    /// The Azure Arc agent is installed (`/opt/azcmagent/bin/himds` or
    /// `%ProgramFiles%\AzureConnectedMachineAgent\himds.exe` exists): a file, not a variable.
    pub arc_agent_installed: bool,
}

/// The scope the page asks for.
pub const DEFAULT_SCOPE: &str = "https://management.azure.com/.default";

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            via_default_azure_credential: false,
            client_id: None,
            scope: DEFAULT_SCOPE.to_string(),
            arc_agent_installed: false,
        }
    }
}

/// One step of an SDK's detection order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The class that checks it, e.g. `ManagedIdentityCredential`, `msal-node`.
    pub credential: &'static str,
    /// The condition, for people.
    pub text: String,
    /// The environment variables it reads.
    pub reads: Vec<&'static str>,
    /// This rule decided (the first whose condition held).
    pub fired: bool,
    pub source_if_fired: Source,
    pub certainty: Certainty,
    /// File (and line) @ version it was read from.
    pub reference: &'static str,
}

/// An explanation, with how sure it is and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectNote {
    pub certainty: Certainty,
    pub text: String,
    pub reference: &'static str,
}

/// What one SDK does with one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub sdk: DetectSdk,
    pub rules: Vec<Rule>,
    /// The source whose endpoint the first request goes to.
    pub chosen: Source,
    /// That request; `None` when the credential sends nothing (no source, or it refuses the
    /// options first — the notes say why).
    pub request: Option<RequestPreview>,
    pub notes: Vec<DetectNote>,
}

impl Detection {
    /// The rule that decided, if any did.
    pub fn fired(&self) -> Option<&Rule> {
        self.rules.iter().find(|r| r.fired)
    }
}

/// A view of the environment as the SDKs read it (a later duplicate wins, as in a shell).
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    vars: &'a [(String, String)],
}

impl<'a> Env<'a> {
    pub(crate) fn new(vars: &'a [(String, String)]) -> Env<'a> {
        Env { vars }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Defined, even empty (`name in os.environ`, Go's `LookupEnv`).
    pub(crate) fn present(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Defined and not empty (Python's `os.environ.get(x)` truthiness, JS truthiness,
    /// .NET `!string.IsNullOrEmpty`).
    pub(crate) fn set(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.is_empty())
    }

    /// Defined and not only whitespace (msal4j `!StringHelper.isNullOrBlank`).
    pub(crate) fn nonblank(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.trim().is_empty())
    }

    /// The value when set (non-empty).
    pub(crate) fn value(&self, name: &str) -> Option<&'a str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// Runs `sdk`'s detection over `env` (name, value pairs, e.g. [`ParsedEnv::vars`]).
pub fn detect(env: &[(String, String)], sdk: DetectSdk, options: &DetectOptions) -> Detection {
    rules::detect(Env::new(env), sdk, options)
}

/// Which credential a comparison is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    ManagedIdentity,
    DefaultAzure,
}

impl Credential {
    pub fn label(self) -> &'static str {
        match self {
            Credential::ManagedIdentity => "ManagedIdentityCredential()",
            Credential::DefaultAzure => "DefaultAzureCredential()",
        }
    }
}

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    /// The SDKs pick different sources.
    Source,
    /// Same source, different request (method, api-version, headers or form fields).
    Request,
}

/// One way the four SDKs part for an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub credential: Credential,
    pub aspect: Aspect,
    /// Per SDK (in [`DetectSdk::ALL`] order): the source, and the request in one line
    /// ([`RequestPreview::gist`], or why none is sent).
    pub per_sdk: Vec<(DetectSdk, Source, String)>,
}

/// Where the four SDKs choose (or send) differently for `env`, with no client id:
/// `ManagedIdentityCredential()` first, then `DefaultAzureCredential()` when its picks differ
/// from those. Empty when they all agree.
pub fn disagreements(env: &[(String, String)]) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = Vec::new();
    for credential in [Credential::ManagedIdentity, Credential::DefaultAzure] {
        let options = DetectOptions {
            via_default_azure_credential: credential == Credential::DefaultAzure,
            ..DetectOptions::default()
        };
        let per_sdk: Vec<(DetectSdk, Source, String)> = DetectSdk::ALL
            .iter()
            .map(|&sdk| {
                let d = detect(env, sdk, &options);
                let gist = match &d.request {
                    Some(r) => r.gist(),
                    None => "sends nothing".to_string(),
                };
                (sdk, d.chosen, gist)
            })
            .collect();
        let sources_differ = per_sdk.windows(2).any(|w| w[0].1 != w[1].1);
        let requests_differ = per_sdk.windows(2).any(|w| w[0].2 != w[1].2);
        let aspect = if sources_differ {
            Aspect::Source
        } else if requests_differ {
            Aspect::Request
        } else {
            continue;
        };
        // DefaultAzureCredential only when it changes the picture.
        if let Some(first) = out.first() {
            let same = first
                .per_sdk
                .iter()
                .zip(&per_sdk)
                .all(|(a, b)| a.1 == b.1 && a.2 == b.2);
            if same {
                continue;
            }
        }
        out.push(Disagreement {
            credential,
            aspect,
            per_sdk,
        });
    }
    out
}

/// The variables detection reads (a link carries only these).
pub const RELEVANT: [&str; 20] = [
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "AZURE_AUTHORITY_HOST",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_POD_IDENTITY_AUTHORITY_HOST",
    "DEFAULT_IDENTITY_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZUREPS_HOST_ENVIRONMENT",
    "AZURE_TOKEN_CREDENTIALS",
    "USE_AZURE_IDENTITY_CLIENT_LIBRARY_LEGACY_MI",
    "IDENTITY_API_VERSION",
];

/// Variables whose values are credentials.
pub const SECRET_VARS: [&str; 4] = [
    "IDENTITY_HEADER",
    "MSI_SECRET",
    "AZURE_CLIENT_SECRET",
    "AZURE_PASSWORD",
];

pub fn is_secret_var(name: &str) -> bool {
    SECRET_VARS.contains(&name)
}

/// Only the variables detection reads, in their order.
pub fn relevant(vars: &[(String, String)]) -> Vec<(String, String)> {
    vars.iter()
        .filter(|(n, _)| RELEVANT.contains(&n.as_str()))
        .cloned()
        .collect()
}

/// `NAME=value` lines.
pub fn to_lines(vars: &[(String, String)]) -> String {
    let mut out = String::new();
    for (n, v) in vars {
        out.push_str(n);
        out.push('=');
        out.push_str(v);
        out.push('\n');
    }
    out
}

/// The environment as the address bar may hold it: only the [`RELEVANT`] variables, as
/// `NAME=value` lines, with the value of every [`SECRET_VARS`] variable the simulated world did
/// not make (a host's `IDENTITY_HEADER` is the world's) replaced by
/// [`WITHHELD`](super::secrets::WITHHELD). `withheld` names them. An empty environment is one
/// newline, so that a link still says "nothing set".
pub fn link_env(vars: &[(String, String)], world: &World) -> LinkText {
    let headers: Vec<String> = world
        .computes
        .iter()
        .map(|c| c.identity_header.clone())
        .collect();
    link_env_with(vars, &headers)
}

/// [`link_env`] given the identity-header values the world made (`world_headers`).
pub fn link_env_with(vars: &[(String, String)], world_headers: &[String]) -> LinkText {
    let mut withheld = Vec::new();
    let safe: Vec<(String, String)> = relevant(vars)
        .into_iter()
        .map(|(n, v)| {
            let made_by_world = world_headers.contains(&v);
            if is_secret_var(&n) && !v.is_empty() && !made_by_world && v != WITHHELD {
                withheld.push(n.clone());
                (n, WITHHELD.to_string())
            } else {
                (n, v)
            }
        })
        .collect();
    let text = if safe.is_empty() {
        "\n".to_string()
    } else {
        to_lines(&safe)
    };
    LinkText {
        text: Some(text),
        withheld,
    }
}
