//! Each SDK's detection order, rule by rule, as read in its source (references per rule).

use super::request::{self, Built};
use super::{DetectNote, DetectOptions, DetectSdk, Detection, Env, Rule, Source};
use crate::endpoint::Certainty::{self, *};

const PY_MI: &str =
    "azure/identity/_credentials/managed_identity.py:82–145 @ azure-identity 1.27.0";
const PY_DAC: &str = "azure/identity/_credentials/default.py:262–285 @ azure-identity 1.27.0";
const PY_ENV: &str = "azure/identity/_credentials/environment.py:63–86 @ azure-identity 1.27.0";
const PY_WI: &str =
    "azure/identity/_credentials/workload_identity.py:93–107 @ azure-identity 1.27.0";
const MSAL_PY: &str = "msal/managed_identity.py:385–473 @ msal 1.39.0";
const NET_AZ: &str =
    "sdk/identity/Azure.Identity/src/ManagedIdentityClient.cs (AuthenticateAsync) @ 1445255";
const NET_MSAL: &str =
    "ManagedIdentity/ManagedIdentityClient.cs:406–477 @ MSAL.NET 39d2001 (4.86.1+)";
const NET_DAC: &str = "Azure.Identity DefaultAzureCredential (Environment → WorkloadIdentity → ManagedIdentity), not re-read here";
const JS_MI: &str = "dist/commonjs/credentials/managedIdentityCredential/index.js:144 + tokenExchangeMsi.js:18–26 @ @azure/identity 4.13.0";
const JS_NODE: &str = "dist/client/ManagedIdentityClient.mjs:64–70 + ManagedIdentitySources/*.mjs tryCreate @ @azure/msal-node 3.8.10";
const JS_DAC: &str = "dist/commonjs/credentials/defaultAzureCredential.js:78–80, environmentCredential.js:78–98, workloadIdentityCredential.js:54–66 @ @azure/identity 4.13.0";
const JAVA_MI: &str =
    "com/azure/identity/ManagedIdentityCredential.java (constructor) @ azure-sdk-for-java 0949c68";
const JAVA_MSAL: &str = "msal4j-sdk/src/main/java/com/microsoft/aad/msal4j/ManagedIdentityClient.java:15–31 @ msal4j 1.17.2";
const JAVA_DAC: &str = "azure-identity DefaultAzureCredentialBuilder (Environment → WorkloadIdentity → ManagedIdentity), not re-read here";

const HIMDS: &str = "the Azure Arc agent is installed (/opt/azcmagent/bin/himds or %ProgramFiles%\\AzureConnectedMachineAgent\\himds.exe exists)";

/// The ordered rules of one SDK, evaluated as they are added: the first whose condition holds
/// fires, the later ones are listed but cannot fire.
struct Order {
    rules: Vec<Rule>,
    chosen: Option<Source>,
}

impl Order {
    fn new() -> Order {
        Order {
            rules: Vec::new(),
            chosen: None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rule(
        &mut self,
        credential: &'static str,
        text: &str,
        reads: &[&'static str],
        holds: bool,
        source: Source,
        certainty: Certainty,
        reference: &'static str,
    ) {
        let fired = self.chosen.is_none() && holds;
        if fired {
            self.chosen = Some(source);
        }
        self.rules.push(Rule {
            credential,
            text: text.to_string(),
            reads: reads.to_vec(),
            fired,
            source_if_fired: source,
            certainty,
            reference,
        });
    }
}

fn note(certainty: Certainty, text: impl Into<String>, reference: &'static str) -> DetectNote {
    DetectNote {
        certainty,
        text: text.into(),
        reference,
    }
}

/// A client id from the options or `AZURE_CLIENT_ID`.
fn client_id_known(env: Env<'_>, options: &DetectOptions) -> bool {
    options.client_id.as_deref().is_some_and(|c| !c.is_empty()) || env.set("AZURE_CLIENT_ID")
}

const ENV_CRED_READS: [&str; 6] = [
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
];

/// EnvironmentCredential's condition: a service principal (secret or certificate) or a user
/// (username + password) configured by environment variables; `has` tests one variable.
fn service_principal(has: impl Fn(&str) -> bool) -> bool {
    has("AZURE_CLIENT_ID")
        && ((has("AZURE_TENANT_ID")
            && (has("AZURE_CLIENT_SECRET") || has("AZURE_CLIENT_CERTIFICATE_PATH")))
            || (has("AZURE_USERNAME") && has("AZURE_PASSWORD")))
}

const ENV_CRED_TEXT: &str = "AZURE_CLIENT_ID with AZURE_TENANT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (or AZURE_USERNAME and AZURE_PASSWORD): a service principal or user, not a managed identity";

/// Which source msal 1.39 (Python) itself detects: it rebuilds the request for the sources it
/// serves, testing presence (`name in os.environ`), not truthiness.
fn msal_python_source(env: Env<'_>, options: &DetectOptions) -> Source {
    let p = |n: &str| env.present(n);
    if p("IDENTITY_ENDPOINT") && p("IDENTITY_HEADER") && p("IDENTITY_SERVER_THUMBPRINT") {
        Source::ServiceFabric
    } else if p("IDENTITY_ENDPOINT") && p("IDENTITY_HEADER") {
        Source::AppService
    } else if p("MSI_ENDPOINT") && p("MSI_SECRET") {
        Source::AzureMl
    } else if (p("IDENTITY_ENDPOINT") && p("IMDS_ENDPOINT")) || options.arc_agent_installed {
        Source::AzureArc
    } else {
        Source::Imds
    }
}

pub(crate) fn detect(env: Env<'_>, sdk: DetectSdk, options: &DetectOptions) -> Detection {
    let (rules, picked, mut notes) = match sdk {
        DetectSdk::Python => python(env, options),
        DetectSdk::DotNet => dotnet(env, options),
        DetectSdk::JavaScript => javascript(env, options),
        DetectSdk::Java => java(env, options),
    };
    let mut chosen = picked;
    // Python: azure-identity picked, msal may send elsewhere — unless DefaultAzureCredential's
    // IMDS probe (azure-identity's own request) comes first.
    let probe = request::imds_probe(env, sdk, picked, options);
    if sdk == DetectSdk::Python
        && probe.is_none()
        && matches!(
            picked,
            Source::Imds
                | Source::AppService
                | Source::ServiceFabric
                | Source::AzureArc
                | Source::AzureMl
        )
    {
        let msal = msal_python_source(env, options);
        if msal != picked {
            // Run on loopback: the agent's file with no variables (detect.py).
            let tested = msal == Source::AzureArc
                && options.arc_agent_installed
                && !env.present("IDENTITY_ENDPOINT")
                && !env.present("MSI_ENDPOINT");
            notes.push(note(
                if tested { Tested } else { Sdk },
                format!(
                    "azure-identity picked {}, but msal builds the request and detects again, counting a variable that is present even when empty{}: the request goes to {}.",
                    picked.label(),
                    if options.arc_agent_installed { " and checking for the Arc agent's file" } else { "" },
                    msal.label()
                ),
                MSAL_PY,
            ));
            chosen = msal;
        }
    }
    if options.via_default_azure_credential
        && env.present("AZURE_TOKEN_CREDENTIALS")
        && sdk != DetectSdk::Java
    {
        notes.push(note(
            Sdk,
            "AZURE_TOKEN_CREDENTIALS narrows DefaultAzureCredential's chain (\"prod\", \"dev\" or one credential's name); that is not modelled here.",
            if sdk == DetectSdk::Python { PY_DAC } else { JS_DAC },
        ));
    }
    let legacy_java = sdk == DetectSdk::Java
        && rules.iter().any(|r| {
            r.fired && r.reads.first() == Some(&"USE_AZURE_IDENTITY_CLIENT_LIBRARY_LEGACY_MI")
        });
    let request = if legacy_java {
        None
    } else if let Some((probe, why)) = probe {
        let Built {
            request,
            notes: more,
        } = request::build(env, sdk, chosen, options);
        let reference = why.reference;
        notes.push(why);
        notes.extend(more);
        if let Some(r) = request {
            notes.push(note(
                Sdk,
                format!(
                    "The token request that follows when IMDS answers:\n{}",
                    r.to_text()
                ),
                reference,
            ));
        }
        Some(probe)
    } else {
        let Built {
            request,
            notes: more,
        } = request::build(env, sdk, chosen, options);
        notes.extend(more);
        request
    };
    Detection {
        sdk,
        rules,
        chosen,
        request,
        notes,
    }
}

type Outcome = (Vec<Rule>, Source, Vec<DetectNote>);

fn finish(o: Order) -> (Vec<Rule>, Source) {
    let chosen = o.chosen.unwrap_or(Source::None);
    (o.rules, chosen)
}

/// Why a chain stopped before any managed identity: a service principal in the environment.
fn service_principal_note(reference: &'static str) -> DetectNote {
    note(
        Sdk,
        "DefaultAzureCredential stops at EnvironmentCredential: it signs in as the app (or user) the AZURE_* variables name and never asks a managed-identity endpoint. A failure there is an error, not a fall-through.",
        reference,
    )
}

fn python(env: Env<'_>, options: &DetectOptions) -> Outcome {
    let mut o = Order::new();
    let s = |n: &str| env.set(n);
    let mut notes = Vec::new();
    if options.via_default_azure_credential {
        o.rule(
            "EnvironmentCredential",
            &format!("{ENV_CRED_TEXT} (each present, even empty)"),
            &ENV_CRED_READS,
            service_principal(|n| env.present(n)),
            Source::None,
            Sdk,
            PY_ENV,
        );
        o.rule(
            "WorkloadIdentityCredential",
            "AZURE_TENANT_ID, a client id (managed_identity_client_id or AZURE_CLIENT_ID) and AZURE_FEDERATED_TOKEN_FILE set (AZURE_AUTHORITY_HOST defaults to login.microsoftonline.com)",
            &["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"],
            s("AZURE_TENANT_ID") && client_id_known(env, options) && s("AZURE_FEDERATED_TOKEN_FILE"),
            Source::WorkloadIdentity,
            Sdk,
            PY_WI,
        );
    }
    let mi = "ManagedIdentityCredential";
    let ie = s("IDENTITY_ENDPOINT");
    o.rule(
        mi,
        "IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT set",
        &[
            "IDENTITY_ENDPOINT",
            "IDENTITY_HEADER",
            "IDENTITY_SERVER_THUMBPRINT",
        ],
        ie && s("IDENTITY_HEADER") && s("IDENTITY_SERVER_THUMBPRINT"),
        Source::ServiceFabric,
        Tested,
        PY_MI,
    );
    o.rule(
        mi,
        "IDENTITY_ENDPOINT and IDENTITY_HEADER set",
        &["IDENTITY_ENDPOINT", "IDENTITY_HEADER"],
        ie && s("IDENTITY_HEADER"),
        Source::AppService,
        Tested,
        PY_MI,
    );
    o.rule(
        mi,
        "IDENTITY_ENDPOINT and IMDS_ENDPOINT set",
        &["IDENTITY_ENDPOINT", "IMDS_ENDPOINT"],
        ie && s("IMDS_ENDPOINT"),
        Source::AzureArc,
        Tested,
        PY_MI,
    );
    o.rule(mi, "IDENTITY_ENDPOINT set without IDENTITY_HEADER or IMDS_ENDPOINT: no credential — get_token raises CredentialUnavailableError(\"No managed identity endpoint found…\")", &["IDENTITY_ENDPOINT"], ie, Source::None, Tested, PY_MI);
    o.rule(
        mi,
        "MSI_ENDPOINT and MSI_SECRET set",
        &["MSI_ENDPOINT", "MSI_SECRET"],
        s("MSI_ENDPOINT") && s("MSI_SECRET"),
        Source::AzureMl,
        Tested,
        PY_MI,
    );
    o.rule(
        mi,
        "MSI_ENDPOINT set",
        &["MSI_ENDPOINT"],
        s("MSI_ENDPOINT"),
        Source::CloudShell,
        Tested,
        PY_MI,
    );
    o.rule(mi, "AZURE_AUTHORITY_HOST, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE set (a client id is then required)", &["AZURE_AUTHORITY_HOST", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID"], s("AZURE_AUTHORITY_HOST") && s("AZURE_TENANT_ID") && s("AZURE_FEDERATED_TOKEN_FILE"), Source::WorkloadIdentity, Tested, PY_MI);
    o.rule(
        mi,
        "otherwise: IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST replaces its address)",
        &["AZURE_POD_IDENTITY_AUTHORITY_HOST"],
        true,
        Source::Imds,
        Tested,
        PY_MI,
    );
    let (rules, chosen) = finish(o);
    if chosen == Source::None
        && options.via_default_azure_credential
        && rules.first().is_some_and(|r| r.fired)
    {
        notes.push(service_principal_note(PY_DAC));
    }
    if s("AZURE_FEDERATED_TOKEN_FILE")
        && !s("AZURE_AUTHORITY_HOST")
        && !options.via_default_azure_credential
        && chosen == Source::Imds
    {
        notes.push(note(
            Sdk,
            "Workload identity variables are set but AZURE_AUTHORITY_HOST is not: Python's ManagedIdentityCredential needs all of AZURE_AUTHORITY_HOST, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE (the AKS webhook sets all three), so it falls back to IMDS. The other SDKs do not need AZURE_AUTHORITY_HOST.",
            PY_MI,
        ));
    }
    (rules, chosen, notes)
}

fn dotnet(env: Env<'_>, options: &DetectOptions) -> Outcome {
    let mut o = Order::new();
    let s = |n: &str| env.set(n);
    let mut notes = Vec::new();
    if options.via_default_azure_credential {
        o.rule(
            "EnvironmentCredential",
            ENV_CRED_TEXT,
            &ENV_CRED_READS,
            service_principal(s),
            Source::None,
            Guess,
            NET_DAC,
        );
        o.rule(
            "WorkloadIdentityCredential",
            "AZURE_TENANT_ID, AZURE_CLIENT_ID (or WorkloadIdentityClientId) and AZURE_FEDERATED_TOKEN_FILE set",
            &["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"],
            s("AZURE_TENANT_ID") && client_id_known(env, options) && s("AZURE_FEDERATED_TOKEN_FILE"),
            Source::WorkloadIdentity,
            Guess,
            NET_DAC,
        );
    }
    let az = "ManagedIdentityCredential";
    let msal = "MSAL.NET";
    let ie = s("IDENTITY_ENDPOINT");
    o.rule(az, "AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID and a client id (the ClientId option or AZURE_CLIENT_ID) set — checked before MSAL's sources", &["AZURE_FEDERATED_TOKEN_FILE", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"], s("AZURE_FEDERATED_TOKEN_FILE") && s("AZURE_TENANT_ID") && client_id_known(env, options), Source::WorkloadIdentity, Sdk, NET_AZ);
    o.rule(
        msal,
        "IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT set",
        &[
            "IDENTITY_ENDPOINT",
            "IDENTITY_HEADER",
            "IDENTITY_SERVER_THUMBPRINT",
        ],
        ie && s("IDENTITY_HEADER") && s("IDENTITY_SERVER_THUMBPRINT"),
        Source::ServiceFabric,
        Sdk,
        NET_MSAL,
    );
    o.rule(
        msal,
        "IDENTITY_ENDPOINT and IDENTITY_HEADER set",
        &["IDENTITY_ENDPOINT", "IDENTITY_HEADER"],
        ie && s("IDENTITY_HEADER"),
        Source::AppService,
        Sdk,
        NET_MSAL,
    );
    o.rule(
        msal,
        "MSI_SECRET and MSI_ENDPOINT set",
        &["MSI_ENDPOINT", "MSI_SECRET"],
        s("MSI_ENDPOINT") && s("MSI_SECRET"),
        Source::AzureMl,
        Sdk,
        NET_MSAL,
    );
    o.rule(
        msal,
        "MSI_ENDPOINT set",
        &["MSI_ENDPOINT"],
        s("MSI_ENDPOINT"),
        Source::CloudShell,
        Sdk,
        NET_MSAL,
    );
    o.rule(
        msal,
        "IDENTITY_ENDPOINT and IMDS_ENDPOINT set",
        &["IDENTITY_ENDPOINT", "IMDS_ENDPOINT"],
        ie && s("IMDS_ENDPOINT"),
        Source::AzureArc,
        Sdk,
        NET_MSAL,
    );
    o.rule(
        msal,
        HIMDS,
        &[],
        options.arc_agent_installed,
        Source::AzureArc,
        Sdk,
        NET_MSAL,
    );
    o.rule(
        msal,
        "otherwise: IMDS, without probing (AZURE_POD_IDENTITY_AUTHORITY_HOST replaces its address)",
        &["AZURE_POD_IDENTITY_AUTHORITY_HOST"],
        true,
        Source::Imds,
        Sdk,
        NET_MSAL,
    );
    let (rules, chosen) = finish(o);
    if chosen == Source::None {
        notes.push(service_principal_note(NET_DAC));
    }
    notes.push(note(
        Sdk,
        "Azure.Identity before 1.12 had its own sources in another order: Service Fabric, App Service 2019, App Service 2017 (MSI_ENDPOINT + MSI_SECRET, api-version 2017-09-01, header secret), Cloud Shell, Arc, workload identity, then IMDS after a TCP probe.",
        "sdk/identity/Azure.Identity/src/ManagedIdentityClient.cs (SelectManagedIdentitySource) @ pre-MSAL index copies",
    ));
    (rules, chosen, notes)
}

fn javascript(env: Env<'_>, options: &DetectOptions) -> Outcome {
    let mut o = Order::new();
    let s = |n: &str| env.set(n);
    let mut notes = Vec::new();
    if options.via_default_azure_credential {
        o.rule(
            "EnvironmentCredential",
            ENV_CRED_TEXT,
            &ENV_CRED_READS,
            service_principal(s),
            Source::None,
            Sdk,
            JS_DAC,
        );
        o.rule(
            "WorkloadIdentityCredential",
            "AZURE_TENANT_ID, a client id (workloadIdentityClientId, managedIdentityClientId or AZURE_CLIENT_ID) and AZURE_FEDERATED_TOKEN_FILE set",
            &["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"],
            s("AZURE_TENANT_ID") && client_id_known(env, options) && s("AZURE_FEDERATED_TOKEN_FILE"),
            Source::WorkloadIdentity,
            Sdk,
            JS_DAC,
        );
    }
    let mi = "ManagedIdentityCredential";
    let node = "msal-node";
    let ie = s("IDENTITY_ENDPOINT");
    o.rule(mi, "a client id (the clientId option or AZURE_CLIENT_ID), AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE set — checked before msal-node's sources", &["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"], client_id_known(env, options) && s("AZURE_TENANT_ID") && s("AZURE_FEDERATED_TOKEN_FILE"), Source::WorkloadIdentity, Tested, JS_MI);
    o.rule(
        node,
        "IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT set",
        &[
            "IDENTITY_ENDPOINT",
            "IDENTITY_HEADER",
            "IDENTITY_SERVER_THUMBPRINT",
        ],
        ie && s("IDENTITY_HEADER") && s("IDENTITY_SERVER_THUMBPRINT"),
        Source::ServiceFabric,
        Tested,
        JS_NODE,
    );
    o.rule(
        node,
        "IDENTITY_ENDPOINT and IDENTITY_HEADER set",
        &["IDENTITY_ENDPOINT", "IDENTITY_HEADER"],
        ie && s("IDENTITY_HEADER"),
        Source::AppService,
        Tested,
        JS_NODE,
    );
    o.rule(
        node,
        "MSI_ENDPOINT and MSI_SECRET set",
        &["MSI_ENDPOINT", "MSI_SECRET"],
        s("MSI_ENDPOINT") && s("MSI_SECRET"),
        Source::AzureMl,
        Tested,
        JS_NODE,
    );
    o.rule(
        node,
        "MSI_ENDPOINT set",
        &["MSI_ENDPOINT"],
        s("MSI_ENDPOINT"),
        Source::CloudShell,
        Tested,
        JS_NODE,
    );
    o.rule(
        node,
        "IDENTITY_ENDPOINT and IMDS_ENDPOINT set",
        &["IDENTITY_ENDPOINT", "IMDS_ENDPOINT"],
        ie && s("IMDS_ENDPOINT"),
        Source::AzureArc,
        Tested,
        JS_NODE,
    );
    o.rule(
        node,
        HIMDS,
        &[],
        options.arc_agent_installed,
        Source::AzureArc,
        Tested,
        JS_NODE,
    );
    o.rule(
        node,
        "otherwise: IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST replaces its address)",
        &["AZURE_POD_IDENTITY_AUTHORITY_HOST"],
        true,
        Source::Imds,
        Tested,
        JS_NODE,
    );
    let (rules, chosen) = finish(o);
    if chosen == Source::None {
        notes.push(service_principal_note(JS_DAC));
    }
    (rules, chosen, notes)
}

/// The pre-MSAL sources Java azure-identity uses when `USE_AZURE_IDENTITY_CLIENT_LIBRARY_LEGACY_MI`
/// is set (`contains` = present).
fn java_legacy(env: Env<'_>) -> Source {
    if env.present("MSI_ENDPOINT") {
        Source::AppService
    } else if env.present("IDENTITY_ENDPOINT") {
        if env.present("IDENTITY_HEADER") {
            if env.present("IDENTITY_SERVER_THUMBPRINT") {
                Source::ServiceFabric
            } else {
                Source::AppService
            }
        } else if env.present("IMDS_ENDPOINT") {
            Source::AzureArc
        } else {
            Source::Imds
        }
    } else {
        Source::Imds
    }
}

fn java(env: Env<'_>, options: &DetectOptions) -> Outcome {
    let mut o = Order::new();
    let b = |n: &str| env.nonblank(n);
    let s = |n: &str| env.set(n);
    let mut notes = Vec::new();
    if options.via_default_azure_credential {
        o.rule(
            "EnvironmentCredential",
            ENV_CRED_TEXT,
            &ENV_CRED_READS,
            service_principal(s),
            Source::None,
            Guess,
            JAVA_DAC,
        );
        o.rule(
            "WorkloadIdentityCredential",
            "AZURE_TENANT_ID, AZURE_CLIENT_ID (or workloadIdentityClientId) and AZURE_FEDERATED_TOKEN_FILE set",
            &["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"],
            s("AZURE_TENANT_ID") && client_id_known(env, options) && s("AZURE_FEDERATED_TOKEN_FILE"),
            Source::WorkloadIdentity,
            Guess,
            JAVA_DAC,
        );
    }
    let mi = "ManagedIdentityCredential";
    let msal = "msal4j";
    let legacy = env.present("USE_AZURE_IDENTITY_CLIENT_LIBRARY_LEGACY_MI");
    o.rule(mi, "AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE defined (the client id is the builder's or AZURE_CLIENT_ID) — checked first", &["AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID"], env.present("AZURE_TENANT_ID") && env.present("AZURE_FEDERATED_TOKEN_FILE"), Source::WorkloadIdentity, Sdk, JAVA_MI);
    o.rule(mi, "USE_AZURE_IDENTITY_CLIENT_LIBRARY_LEGACY_MI defined: the library's own pre-MSAL sources (MSI_ENDPOINT → App Service; IDENTITY_ENDPOINT + IDENTITY_HEADER → Service Fabric or App Service; + IMDS_ENDPOINT → Arc; else IMDS)", &["USE_AZURE_IDENTITY_CLIENT_LIBRARY_LEGACY_MI", "MSI_ENDPOINT", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT"], legacy, java_legacy(env), Sdk, JAVA_MI);
    let ie = b("IDENTITY_ENDPOINT");
    o.rule(
        msal,
        "IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT not blank",
        &[
            "IDENTITY_ENDPOINT",
            "IDENTITY_HEADER",
            "IDENTITY_SERVER_THUMBPRINT",
        ],
        ie && b("IDENTITY_HEADER") && b("IDENTITY_SERVER_THUMBPRINT"),
        Source::ServiceFabric,
        Sdk,
        JAVA_MSAL,
    );
    o.rule(
        msal,
        "IDENTITY_ENDPOINT and IDENTITY_HEADER not blank",
        &["IDENTITY_ENDPOINT", "IDENTITY_HEADER"],
        ie && b("IDENTITY_HEADER"),
        Source::AppService,
        Sdk,
        JAVA_MSAL,
    );
    o.rule(msal, "MSI_ENDPOINT not blank (msal4j 1.17.2 has no Azure Machine Learning source: MSI_SECRET is not read)", &["MSI_ENDPOINT"], b("MSI_ENDPOINT"), Source::CloudShell, Sdk, JAVA_MSAL);
    o.rule(
        msal,
        "IDENTITY_ENDPOINT and IMDS_ENDPOINT not blank",
        &["IDENTITY_ENDPOINT", "IMDS_ENDPOINT"],
        ie && b("IMDS_ENDPOINT"),
        Source::AzureArc,
        Sdk,
        JAVA_MSAL,
    );
    o.rule(
        msal,
        "otherwise: IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST replaces its address)",
        &["AZURE_POD_IDENTITY_AUTHORITY_HOST"],
        true,
        Source::Imds,
        Sdk,
        JAVA_MSAL,
    );
    let (rules, chosen) = finish(o);
    if chosen == Source::None {
        notes.push(service_principal_note(JAVA_DAC));
    }
    if s("MSI_ENDPOINT") && s("MSI_SECRET") && chosen == Source::CloudShell {
        notes.push(note(
            Seen,
            "On Azure Machine Learning this sends the Cloud Shell request, without the secret header: msal4j lacks the Azure ML source (AzureAD/microsoft-authentication-library-for-java#896, open in 2025).",
            JAVA_MSAL,
        ));
    }
    if legacy
        && rules
            .iter()
            .any(|r| r.fired && r.credential == mi && r.source_if_fired != Source::WorkloadIdentity)
    {
        notes.push(note(
            Guess,
            "The legacy in-library sources' requests are not previewed here.",
            JAVA_MI,
        ));
    }
    if options.arc_agent_installed {
        notes.push(note(
            Sdk,
            "msal4j 1.17.2 does not look for the Arc agent's file: without IDENTITY_ENDPOINT and IMDS_ENDPOINT it goes to IMDS.",
            JAVA_MSAL,
        ));
    }
    (rules, chosen, notes)
}
