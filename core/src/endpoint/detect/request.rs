//! The first request each SDK sends to the source it picked, built from the environment.
//!
//! Headers every HTTP stack adds (`User-Agent`, `Accept`, `Accept-Encoding`, `Connection`,
//! `Content-Length`, `Host`) and the libraries' random request ids and telemetry
//! (`x-ms-client-request-id`, `x-client-SKU`, `x-client-Ver`, `x-ms-correlation-id`, msal-node's
//! `x-client-*` form fields) are left out; everything an endpoint reads is in.

use super::{DetectNote, DetectOptions, DetectSdk, Env, Source};
use crate::endpoint::http::percent_encode;
use crate::endpoint::Certainty::{self, *};

/// A request as the SDK puts it on the wire (see the module docs for what is left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPreview {
    pub method: String,
    /// The full URL with its query, encoded as that SDK encodes it.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RequestPreview {
    /// `METHOD URL`, the headers, and the body after a blank line.
    pub fn to_text(&self) -> String {
        let mut out = format!("{} {}\n", self.method, self.url);
        for (n, v) in &self.headers {
            out.push_str(n);
            out.push_str(": ");
            out.push_str(v);
            out.push('\n');
        }
        if !self.body.is_empty() {
            out.push('\n');
            out.push_str(&self.body);
            out.push('\n');
        }
        out
    }

    /// The value of query parameter `name` (raw, as in the URL).
    pub fn query(&self, name: &str) -> Option<&str> {
        let q = self.url.split_once('?')?.1;
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then_some(v)
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request in one line, leaving out values and encodings: method, api-version, query
    /// parameter names, header names and form field names. Two SDKs that send the same
    /// kind of request have the same gist.
    pub fn gist(&self) -> String {
        let mut parts = vec![self.method.clone()];
        if let Some(v) = self.query("api-version") {
            parts.push(format!("api-version={v}"));
        }
        let q: Vec<&str> = self
            .url
            .split_once('?')
            .map(|(_, q)| {
                q.split('&')
                    .map(|kv| kv.split('=').next().unwrap_or(kv))
                    .collect()
            })
            .unwrap_or_default();
        let q: Vec<&str> = q.into_iter().filter(|k| *k != "api-version").collect();
        if !q.is_empty() {
            parts.push(format!("?{}", q.join("&")));
        }
        let mut h: Vec<String> = self
            .headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        h.sort();
        if !h.is_empty() {
            parts.push(format!("headers: {}", h.join(", ")));
        }
        if !self.body.is_empty() {
            let mut f: Vec<&str> = self
                .body
                .split('&')
                .map(|kv| kv.split('=').next().unwrap_or(kv))
                .collect();
            f.sort_unstable();
            parts.push(format!("form: {}", f.join(", ")));
        }
        parts.join(" · ")
    }
}

/// The request (or why none is sent) and what to know about it.
pub(crate) struct Built {
    pub request: Option<RequestPreview>,
    pub notes: Vec<DetectNote>,
}

fn note(certainty: Certainty, text: impl Into<String>, reference: &'static str) -> DetectNote {
    DetectNote {
        certainty,
        text: text.into(),
        reference,
    }
}

/// `https://management.azure.com/.default` → `https://management.azure.com`.
fn resource_of(scope: &str) -> &str {
    scope.strip_suffix("/.default").unwrap_or(scope)
}

/// Query text: `k=v&…`, values percent-encoded or not (the Python clients' requests go out
/// unencoded, as captured on loopback).
fn query(pairs: &[(&str, &str)], encode: bool) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        if encode {
            out.push_str(&percent_encode(v));
        } else {
            out.push_str(v);
        }
    }
    out
}

fn with_query(base: &str, q: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{q}")
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

pub(crate) const IMDS_BASE: &str = "http://169.254.169.254";
pub(crate) const IMDS_PATH: &str = "/metadata/identity/oauth2/token";
const ARC_DEFAULT_LOCALHOST: &str = "http://localhost:40342/metadata/identity/oauth2/token";
const ARC_DEFAULT_LOOPBACK: &str = "http://127.0.0.1:40342/metadata/identity/oauth2/token";
const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const FORM: &str = "application/x-www-form-urlencoded";
/// msal-node sends this on every request, GETs included (seen on loopback).
const JS_FORM: &str = "application/x-www-form-urlencoded;charset=utf-8";

pub(crate) const REF_MSAL_PY: &str = "msal/managed_identity.py:482–820 @ msal 1.39.0";
const REF_PY_CLOUD_SHELL: &str =
    "azure/identity/_credentials/cloud_shell.py:17–46 @ azure-identity 1.27.0";
const REF_PY_SF: &str =
    "azure/identity/_credentials/service_fabric.py:81–87 @ azure-identity 1.27.0";
const REF_PY_WI: &str =
    "azure/identity/_internal/aad_client_base.py (client assertion) @ azure-identity 1.27.0";
const REF_NODE: &str = "dist/client/ManagedIdentitySources/*.mjs @ @azure/msal-node 3.8.10";
const REF_JS_MI: &str =
    "dist/commonjs/credentials/managedIdentityCredential/index.js:97–120 @ @azure/identity 4.13.0";
const REF_NET: &str = "src/client/Microsoft.Identity.Client/ManagedIdentity/*ManagedIdentitySource.cs @ MSAL.NET 39d2001";
const REF_NET_AZ: &str = "sdk/identity/Azure.Identity/src/ManagedIdentityClient.cs @ 1445255";
const REF_MSAL4J: &str =
    "msal4j-sdk/src/main/java/com/microsoft/aad/msal4j/*ManagedIdentitySource.java @ msal4j 1.17.2";
const REF_JAVA_ID: &str = "com/azure/identity/implementation/IdentityClient.java (authenticateWithManagedIdentityMsalClient) @ azure-sdk-for-java 0949c68";

/// The IMDS base the SDK uses (`AZURE_POD_IDENTITY_AUTHORITY_HOST` replaces it in all four).
fn imds_base(env: Env<'_>, sdk: DetectSdk) -> String {
    let pod = match sdk {
        DetectSdk::Java => env
            .get("AZURE_POD_IDENTITY_AUTHORITY_HOST")
            .filter(|v| !v.trim().is_empty()),
        _ => env.value("AZURE_POD_IDENTITY_AUTHORITY_HOST"),
    };
    match pod {
        Some(p) => p.trim_end_matches('/').to_string(),
        None => IMDS_BASE.to_string(),
    }
}

/// A user-assigned identity the source cannot take: nothing is sent.
fn refused(text: String, certainty: Certainty, reference: &'static str) -> Built {
    Built {
        request: None,
        notes: vec![note(certainty, text, reference)],
    }
}

/// The request `sdk` sends to `source` from `env`.
pub(crate) fn build(
    env: Env<'_>,
    sdk: DetectSdk,
    source: Source,
    options: &DetectOptions,
) -> Built {
    match sdk {
        DetectSdk::Python => python(env, source, options),
        DetectSdk::DotNet => dotnet(env, source, options),
        DetectSdk::JavaScript => javascript(env, source, options),
        DetectSdk::Java => java(env, source, options),
    }
}

fn workload_identity(
    env: Env<'_>,
    options: &DetectOptions,
    authority_required: bool,
    fields_order: &[&str],
    content_type: &str,
) -> Result<RequestPreview, String> {
    let authority = match env.value("AZURE_AUTHORITY_HOST") {
        Some(a) => a.trim_end_matches('/').to_string(),
        None if authority_required => return Err("AZURE_AUTHORITY_HOST is not set".to_string()),
        None => DEFAULT_AUTHORITY.to_string(),
    };
    let tenant = env.value("AZURE_TENANT_ID").unwrap_or("<AZURE_TENANT_ID>");
    let client_id = options
        .client_id
        .as_deref()
        .or_else(|| env.value("AZURE_CLIENT_ID"))
        .ok_or_else(|| {
            "no client id: neither the client id option nor AZURE_CLIENT_ID is set".to_string()
        })?;
    let file = env
        .value("AZURE_FEDERATED_TOKEN_FILE")
        .unwrap_or("AZURE_FEDERATED_TOKEN_FILE");
    let assertion = format!("<contents of {file}>");
    let field = |name: &str| -> String {
        let v = match name {
            "client_assertion" => assertion.clone(),
            "client_assertion_type" => percent_encode(JWT_BEARER),
            "client_id" => percent_encode(client_id),
            "grant_type" => "client_credentials".to_string(),
            "scope" => percent_encode(&options.scope),
            _ => String::new(),
        };
        format!("{name}={v}")
    };
    let body = fields_order
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join("&");
    Ok(RequestPreview {
        method: "POST".into(),
        url: format!("{authority}/{tenant}/oauth2/v2.0/token"),
        headers: h(&[("Content-Type", content_type)]),
        body,
    })
}

fn python(env: Env<'_>, source: Source, options: &DetectOptions) -> Built {
    let resource = resource_of(&options.scope);
    let cid = options.client_id.as_deref();
    let mut notes = Vec::new();
    let request = match source {
        Source::Imds => {
            let mut q = vec![("api-version", "2018-02-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    &format!("{}{IMDS_PATH}", imds_base(env, DetectSdk::Python)),
                    &query(&q, false),
                ),
                headers: h(&[("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::AppService => {
            let mut q = vec![("api-version", "2019-08-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("IDENTITY_ENDPOINT").unwrap_or(""),
                    &query(&q, false),
                ),
                headers: h(&[
                    (
                        "X-IDENTITY-HEADER",
                        env.get("IDENTITY_HEADER").unwrap_or(""),
                    ),
                    ("Metadata", "true"),
                ]),
                body: String::new(),
            })
        }
        Source::ServiceFabric => {
            if cid.is_some() {
                return refused(
                    "Service Fabric takes no user-assigned identity from the code: ServiceFabricCredential raises ClientAuthenticationError (\"Specifying a client_id or identity_config is not supported by the Service Fabric managed identity environment…\") before sending anything.".into(),
                    Sdk,
                    REF_PY_SF,
                );
            }
            let endpoint = env.get("IDENTITY_ENDPOINT").unwrap_or("");
            if !endpoint
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            {
                return refused(
                    "IDENTITY_ENDPOINT is not an https URL: msal raises ManagedIdentityError(\"Service Fabric managed identity endpoint must use HTTPS.\") before sending anything.".into(),
                    Sdk,
                    REF_MSAL_PY,
                );
            }
            notes.push(note(
                Sdk,
                "msal sends it only over HTTPS (else ManagedIdentityError \"Service Fabric managed identity endpoint must use HTTPS.\") and pins the server certificate to IDENTITY_SERVER_THUMBPRINT (SHA-1 of the certificate).",
                REF_MSAL_PY,
            ));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("IDENTITY_ENDPOINT").unwrap_or(""),
                    &query(
                        &[
                            ("api-version", "2019-07-01-preview"),
                            ("resource", resource),
                        ],
                        true,
                    ),
                ),
                headers: h(&[("Secret", env.get("IDENTITY_HEADER").unwrap_or(""))]),
                body: String::new(),
            })
        }
        Source::AzureMl => {
            let mut q = vec![("api-version", "2017-09-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("clientid", c));
            } else {
                notes.push(note(
                    Sdk,
                    "No clientid is sent for the system-assigned identity (msal does not read DEFAULT_IDENTITY_CLIENT_ID); MSAL.NET and msal-node send it.",
                    REF_MSAL_PY,
                ));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(env.get("MSI_ENDPOINT").unwrap_or(""), &query(&q, false)),
                headers: h(&[("secret", env.get("MSI_SECRET").unwrap_or(""))]),
                body: String::new(),
            })
        }
        Source::AzureArc => {
            let endpoint = if env.present("IDENTITY_ENDPOINT") && env.present("IMDS_ENDPOINT") {
                env.get("IDENTITY_ENDPOINT").unwrap_or("")
            } else {
                ARC_DEFAULT_LOCALHOST
            };
            let mut q = vec![("api-version", "2020-06-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            notes.push(arc_challenge_note(REF_MSAL_PY));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(endpoint, &query(&q, false)),
                headers: h(&[("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::CloudShell => {
            if cid.is_some() && !options.via_default_azure_credential {
                return refused(
                    "Cloud Shell has only the signed-in user's identity: CloudShellCredential raises ValueError(\"client_id should not be set for cloud shell managed identity.\") before sending anything (inside DefaultAzureCredential the check is skipped).".into(),
                    Sdk,
                    REF_PY_CLOUD_SHELL,
                );
            }
            let mut body = format!("resource={}", percent_encode(resource));
            if let Some(c) = cid {
                // Inside DefaultAzureCredential the check is skipped and the id rides along.
                body.push_str(&format!("&client_id={}", percent_encode(c)));
            }
            Some(RequestPreview {
                method: "POST".into(),
                url: env.get("MSI_ENDPOINT").unwrap_or("").to_string(),
                headers: h(&[("Metadata", "true"), ("Content-Type", FORM)]),
                body,
            })
        }
        Source::WorkloadIdentity => {
            let order = [
                "client_assertion",
                "client_assertion_type",
                "client_id",
                "grant_type",
                "scope",
            ];
            match workload_identity(env, options, !options.via_default_azure_credential, &order, FORM) {
                Ok(r) => {
                    notes.push(note(
                        Tested,
                        "The form fields go out in alphabetical order; the token file is read as is (a trailing newline is sent, as %0A) and read again after 10 minutes. No OpenID discovery request comes first.",
                        REF_PY_WI,
                    ));
                    Some(r)
                }
                Err(why) => {
                    return refused(
                        format!("Nothing is sent: {why}. ManagedIdentityCredential raises ValueError(\"Workload identity was selected but no client ID was provided…\")."),
                        Sdk,
                        "azure/identity/_credentials/managed_identity.py:117–125 @ azure-identity 1.27.0",
                    )
                }
            }
        }
        Source::None => None,
    };
    Built { request, notes }
}

fn arc_challenge_note(reference: &'static str) -> DetectNote {
    note(
        Sdk,
        "The agent answers 401 with WWW-Authenticate: Basic realm=<key file>; the SDK reads that file (in /var/opt/azcmagent/tokens/ or %ProgramData%\\AzureConnectedMachineAgent\\Tokens\\, .key, ≤ 4096 bytes) and sends the same request again with Authorization: Basic <file contents>.",
        reference,
    )
}

fn javascript(env: Env<'_>, source: Source, options: &DetectOptions) -> Built {
    let resource = resource_of(&options.scope);
    let cid = options.client_id.as_deref();
    let mut notes = Vec::new();
    let refuse_user_assigned = |what: &str| -> Option<Built> {
        cid.map(|_| {
            refused(
                format!("{what} takes no user-assigned identity: ManagedIdentityCredential throws CredentialUnavailableError before sending anything."),
                Sdk,
                REF_JS_MI,
            )
        })
    };
    let request = match source {
        Source::Imds => {
            let mut q = vec![("api-version", "2018-02-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            notes.push(note(
                Tested,
                "msal-node asks for the path with a trailing slash (…/oauth2/token/), percent-encodes the query and sends a form Content-Type even on a GET.",
                REF_NODE,
            ));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    &format!("{}{IMDS_PATH}/", imds_base(env, DetectSdk::JavaScript)),
                    &query(&q, true),
                ),
                headers: h(&[("Metadata", "true"), ("Content-Type", JS_FORM)]),
                body: String::new(),
            })
        }
        Source::AppService => {
            let mut q = vec![("api-version", "2019-08-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(env.get("IDENTITY_ENDPOINT").unwrap_or(""), &query(&q, true)),
                headers: h(&[
                    (
                        "X-IDENTITY-HEADER",
                        env.get("IDENTITY_HEADER").unwrap_or(""),
                    ),
                    ("Content-Type", JS_FORM),
                ]),
                body: String::new(),
            })
        }
        Source::ServiceFabric => {
            if let Some(b) = refuse_user_assigned("Service Fabric") {
                return b;
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("IDENTITY_ENDPOINT").unwrap_or(""),
                    &query(
                        &[
                            ("api-version", "2019-07-01-preview"),
                            ("resource", resource),
                        ],
                        true,
                    ),
                ),
                headers: h(&[
                    ("secret", env.get("IDENTITY_HEADER").unwrap_or("")),
                    ("Content-Type", JS_FORM),
                ]),
                body: String::new(),
            })
        }
        Source::AzureMl => {
            let mut q = vec![("api-version", "2017-09-01"), ("resource", resource)];
            match cid.or_else(|| env.value("DEFAULT_IDENTITY_CLIENT_ID")) {
                Some(c) => q.push(("clientid", c)),
                None => notes.push(note(
                    Sdk,
                    "DEFAULT_IDENTITY_CLIENT_ID is not set, so no clientid is sent (msal-node sends it for the system-assigned identity when it is set).",
                    REF_NODE,
                )),
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(env.get("MSI_ENDPOINT").unwrap_or(""), &query(&q, true)),
                headers: h(&[
                    ("Metadata", "true"),
                    ("secret", env.get("MSI_SECRET").unwrap_or("")),
                    ("Content-Type", JS_FORM),
                ]),
                body: String::new(),
            })
        }
        Source::CloudShell => {
            if let Some(b) = refuse_user_assigned("Cloud Shell") {
                return b;
            }
            Some(RequestPreview {
                method: "POST".into(),
                url: env.get("MSI_ENDPOINT").unwrap_or("").to_string(),
                headers: h(&[("Metadata", "true"), ("Content-Type", JS_FORM)]),
                body: format!("resource={}", percent_encode(resource)),
            })
        }
        Source::AzureArc => {
            if cid.is_some() {
                return refused(
                    "msal-node 3.8 refuses a user-assigned identity on Azure Arc (unable_to_create_azure_arc: \"Azure Arc Managed Identities can only be system assigned.\"); nothing is sent. msal-node 7 (@azure/identity 4.14) sends it.".into(),
                    Sdk,
                    REF_NODE,
                );
            }
            let endpoint = if env.set("IDENTITY_ENDPOINT") && env.set("IMDS_ENDPOINT") {
                env.get("IDENTITY_ENDPOINT").unwrap_or("")
            } else {
                ARC_DEFAULT_LOOPBACK
            };
            notes.push(note(
                Sdk,
                "api-version 2019-11-01 in msal-node 3.8 (@azure/identity 4.13); msal-node 7 (@azure/identity 4.14) sends 2020-06-01. \"localhost\" in the endpoint becomes 127.0.0.1.",
                REF_NODE,
            ));
            notes.push(arc_challenge_note(REF_NODE));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    &endpoint.replacen("localhost", "127.0.0.1", 1),
                    &query(
                        &[("api-version", "2019-11-01"), ("resource", resource)],
                        true,
                    ),
                ),
                headers: h(&[("Metadata", "true"), ("Content-Type", JS_FORM)]),
                body: String::new(),
            })
        }
        Source::WorkloadIdentity => {
            let order = [
                "client_id",
                "scope",
                "grant_type",
                "client_assertion",
                "client_assertion_type",
            ];
            match workload_identity(env, options, false, &order, JS_FORM) {
                Ok(r) => {
                    notes.push(note(
                        Tested,
                        "msal-node first fetches {authority}/{tenant}/v2.0/.well-known/openid-configuration, then posts here (with ?client-request-id=… and its x-client-* telemetry fields, left out above). It trims a trailing newline from the token file.",
                        "dist/commonjs/credentials/workloadIdentityCredential.js @ @azure/identity 4.13.0",
                    ));
                    Some(r)
                }
                Err(why) => {
                    return refused(format!("Nothing is sent: {why}."), Sdk, REF_JS_MI);
                }
            }
        }
        Source::None => None,
    };
    Built { request, notes }
}

fn dotnet(env: Env<'_>, source: Source, options: &DetectOptions) -> Built {
    let resource = resource_of(&options.scope);
    let cid = options.client_id.as_deref();
    let mut notes = vec![note(
        Guess,
        "Query values percent-encoded as UriBuilder does (not captured on the wire here).",
        REF_NET,
    )];
    let request = match source {
        Source::Imds => {
            let mut q = vec![("api-version", "2018-02-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    &format!("{}{IMDS_PATH}", imds_base(env, DetectSdk::DotNet)),
                    &query(&q, true),
                ),
                headers: h(&[("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::AppService => {
            let mut q = vec![("api-version", "2019-08-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(env.get("IDENTITY_ENDPOINT").unwrap_or(""), &query(&q, true)),
                headers: h(&[(
                    "X-IDENTITY-HEADER",
                    env.get("IDENTITY_HEADER").unwrap_or(""),
                )]),
                body: String::new(),
            })
        }
        Source::ServiceFabric => {
            if cid.is_some() {
                return refused(
                    "Service Fabric takes no user-assigned identity by client id: Azure.Identity throws AuthenticationFailedException before sending anything.".into(),
                    Sdk,
                    REF_NET_AZ,
                );
            }
            notes.push(note(
                Sdk,
                "MSAL.NET asks for api-version 2020-05-01 (the other SDKs and the docs: 2019-07-01-preview); it accepts the server certificate when its chain is valid or its thumbprint is IDENTITY_SERVER_THUMBPRINT.",
                REF_NET,
            ));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("IDENTITY_ENDPOINT").unwrap_or(""),
                    &query(
                        &[("api-version", "2020-05-01"), ("resource", resource)],
                        true,
                    ),
                ),
                headers: h(&[("secret", env.get("IDENTITY_HEADER").unwrap_or(""))]),
                body: String::new(),
            })
        }
        Source::AzureMl => {
            let Some(c) = cid.or_else(|| env.value("DEFAULT_IDENTITY_CLIENT_ID")) else {
                return refused(
                    "MSAL.NET sends the system-assigned identity's clientid from DEFAULT_IDENTITY_CLIENT_ID, which is not set: it throws before sending anything.".into(),
                    Sdk,
                    REF_NET,
                );
            };
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("MSI_ENDPOINT").unwrap_or(""),
                    &query(
                        &[
                            ("api-version", "2017-09-01"),
                            ("resource", resource),
                            ("clientid", c),
                        ],
                        true,
                    ),
                ),
                headers: h(&[
                    ("Metadata", "true"),
                    ("secret", env.get("MSI_SECRET").unwrap_or("")),
                ]),
                body: String::new(),
            })
        }
        Source::CloudShell => {
            if cid.is_some() {
                return refused(
                    "Cloud Shell takes no user-assigned identity: MSAL.NET throws before sending anything.".into(),
                    Sdk,
                    REF_NET,
                );
            }
            notes.push(note(
                Sdk,
                "MSAL.NET adds a header literally named \"ContentType\" besides the form's Content-Type.",
                "CloudShellManagedIdentitySource.cs:79–84 @ MSAL.NET 39d2001",
            ));
            Some(RequestPreview {
                method: "POST".into(),
                url: env.get("MSI_ENDPOINT").unwrap_or("").to_string(),
                headers: h(&[
                    ("ContentType", FORM),
                    ("Metadata", "true"),
                    ("Content-Type", FORM),
                ]),
                body: format!("resource={}", percent_encode(resource)),
            })
        }
        Source::AzureArc => {
            if cid.is_some() {
                return refused(
                    "Azure Arc has only the machine's system-assigned identity: MSAL.NET throws before sending anything.".into(),
                    Sdk,
                    REF_NET,
                );
            }
            let endpoint = if env.set("IDENTITY_ENDPOINT") && env.set("IMDS_ENDPOINT") {
                env.get("IDENTITY_ENDPOINT").unwrap_or("")
            } else {
                ARC_DEFAULT_LOOPBACK
            };
            notes.push(arc_challenge_note(REF_NET));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    endpoint,
                    &query(
                        &[("api-version", "2020-06-01"), ("resource", resource)],
                        true,
                    ),
                ),
                headers: h(&[("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::WorkloadIdentity => {
            let order = [
                "client_id",
                "client_assertion_type",
                "client_assertion",
                "scope",
                "grant_type",
            ];
            match workload_identity(env, options, false, &order, FORM) {
                Ok(r) => {
                    notes.push(note(
                        Guess,
                        "Sent by MSAL.NET's confidential client (ClientAssertionCredential, token file cached 5 minutes); the order of the form fields and its telemetry fields are not confirmed.",
                        REF_NET_AZ,
                    ));
                    Some(r)
                }
                Err(why) => return refused(format!("Nothing is sent: {why}."), Sdk, REF_NET_AZ),
            }
        }
        Source::None => None,
    };
    Built { request, notes }
}

fn java(env: Env<'_>, source: Source, options: &DetectOptions) -> Built {
    // IdentityClient appends "/" to the resource before handing it to msal4j.
    let resource = format!("{}/", resource_of(&options.scope));
    let resource = resource.as_str();
    let cid = options.client_id.as_deref();
    let mut notes = vec![
        note(
            Sdk,
            "azure-identity hands msal4j the resource with a trailing slash (https://management.azure.com/); newer builds may not (unconfirmed which version).",
            REF_JAVA_ID,
        ),
        note(
            Guess,
            "Query parameter order and percent-encoding as msal4j's URI builder produces them are not confirmed (a HashMap holds them).",
            REF_MSAL4J,
        ),
    ];
    let refuse = |what: &str| -> Built {
        refused(
            format!("{what} takes no user-assigned identity: ManagedIdentityCredential fails with CredentialUnavailableException (\"User assigned Managed Identity is not supported in …\") before sending anything."),
            Sdk,
            "com/azure/identity/ManagedIdentityCredential.java (getToken) @ azure-sdk-for-java 0949c68",
        )
    };
    let request = match source {
        Source::Imds => {
            let mut q = vec![("api-version", "2018-02-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    &format!("{}{IMDS_PATH}", imds_base(env, DetectSdk::Java)),
                    &query(&q, true),
                ),
                headers: h(&[("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::AppService => {
            let mut q = vec![("api-version", "2019-08-01"), ("resource", resource)];
            if let Some(c) = cid {
                q.push(("client_id", c));
            }
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(env.get("IDENTITY_ENDPOINT").unwrap_or(""), &query(&q, true)),
                headers: h(&[(
                    "X-IDENTITY-HEADER",
                    env.get("IDENTITY_HEADER").unwrap_or(""),
                )]),
                body: String::new(),
            })
        }
        Source::ServiceFabric => Some(RequestPreview {
            method: "GET".into(),
            url: with_query(
                env.get("IDENTITY_ENDPOINT").unwrap_or(""),
                &query(
                    &[
                        ("api-version", "2019-07-01-preview"),
                        ("resource", resource),
                    ],
                    true,
                ),
            ),
            headers: h(&[("secret", env.get("IDENTITY_HEADER").unwrap_or(""))]),
            body: String::new(),
        }),
        Source::CloudShell => {
            if cid.is_some() {
                return refuse("Cloud Shell");
            }
            notes.push(note(
                Sdk,
                "msal4j 1.17.2 sends Cloud Shell a GET with the resource in the query (the other SDKs POST a form) and a header literally named \"ContentType\".",
                "CloudShellManagedIdentitySource.java:21–31 @ msal4j 1.17.2",
            ));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("MSI_ENDPOINT").unwrap_or(""),
                    &query(&[("resource", resource)], true),
                ),
                headers: h(&[("ContentType", FORM), ("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::AzureArc => {
            if cid.is_some() {
                return refuse("Azure Arc");
            }
            notes.push(arc_challenge_note(REF_MSAL4J));
            Some(RequestPreview {
                method: "GET".into(),
                url: with_query(
                    env.get("IDENTITY_ENDPOINT").unwrap_or(""),
                    &query(
                        &[("api-version", "2019-11-01"), ("resource", resource)],
                        true,
                    ),
                ),
                headers: h(&[("Metadata", "true")]),
                body: String::new(),
            })
        }
        Source::WorkloadIdentity => {
            let order = [
                "client_id",
                "client_assertion_type",
                "client_assertion",
                "scope",
                "grant_type",
            ];
            match workload_identity(env, options, false, &order, FORM) {
                Ok(r) => {
                    notes.push(note(
                        Guess,
                        "Sent by msal4j's confidential client (the token file is read again after 5 minutes); the order of the form fields is not confirmed.",
                        "com/azure/identity/ManagedIdentityCredential.java (AksExchangeTokenCredential) @ azure-sdk-for-java 0949c68",
                    ));
                    Some(r)
                }
                Err(why) => return refused(format!("Nothing is sent: {why}."), Sdk, REF_JAVA_ID),
            }
        }
        // msal4j 1.17.2 has no Azure ML source: MSI_ENDPOINT goes to Cloud Shell.
        Source::AzureMl | Source::None => None,
    };
    Built { request, notes }
}

/// The probe `DefaultAzureCredential` sends before using IMDS, when it sends one: `picked` is
/// the source the SDK's own detection chose (for Python, azure-identity's, before msal's).
pub(crate) fn imds_probe(
    env: Env<'_>,
    sdk: DetectSdk,
    picked: Source,
    options: &DetectOptions,
) -> Option<(RequestPreview, DetectNote)> {
    if !options.via_default_azure_credential || picked != Source::Imds {
        return None;
    }
    let resource = resource_of(&options.scope);
    let (url, headers, text, certainty, reference) = match sdk {
        DetectSdk::Python => {
            if env.present("AZURE_POD_IDENTITY_AUTHORITY_HOST") {
                return None;
            }
            (
                with_query(&format!("{}{IMDS_PATH}", imds_base(env, sdk)), &query(&[("api-version", "2018-02-01"), ("resource", resource)], false)),
                Vec::new(),
                "DefaultAzureCredential first probes IMDS: this GET without the Metadata header, 1 s timeout, no retries. Any HTTP answer means IMDS is there and the token request follows (with Metadata: true); no answer ends ManagedIdentityCredential's turn — even where msal would have asked the Arc agent instead.",
                Sdk,
                "azure/identity/_credentials/imds.py:58–63, 98–122 @ azure-identity 1.27.0",
            )
        }
        DetectSdk::JavaScript => {
            if env.set("AZURE_POD_IDENTITY_AUTHORITY_HOST") {
                return None;
            }
            (
                format!("{IMDS_BASE}{IMDS_PATH}"),
                h(&[("Accept", "application/json")]),
                "DefaultAzureCredential first probes IMDS: this bare GET (no query, no Metadata header, 1 s timeout). Any answer but a 403 mentioning \"unreachable\" means IMDS is there and the token request follows.",
                Sdk,
                "dist/commonjs/credentials/managedIdentityCredential/imdsMsi.js:17–56 @ @azure/identity 4.13.0",
            )
        }
        DetectSdk::DotNet => (
            with_query(&format!("{}{IMDS_PATH}", imds_base(env, sdk)), &query(&[("api-version", "2018-02-01"), ("resource", resource)], true)),
            Vec::new(),
            "DefaultAzureCredential first probes IMDS: this GET without the Metadata header (short timeout). A 400 whose body lacks \"Identity not found\" counts as IMDS being there, and the token request is sent through MSAL.",
            Sdk,
            "sdk/identity/Azure.Identity/src/ImdsManagedIdentityProbeSource.cs @ 0176b6c",
        ),
        DetectSdk::Java => (
            with_query(&format!("{}{IMDS_PATH}", imds_base(env, sdk)), &query(&[("api-version", "2018-02-01")], true)),
            Vec::new(),
            "DefaultAzureCredential first checks IMDS: this GET without the Metadata header (1 s connect timeout); then msal4j sends the token request.",
            Sdk,
            REF_JAVA_ID,
        ),
    };
    Some((
        RequestPreview {
            method: "GET".into(),
            url,
            headers,
            body: String::new(),
        },
        note(certainty, text, reference),
    ))
}
