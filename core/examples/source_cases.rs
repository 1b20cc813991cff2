//! Writes the cases core/conformance/sources.py replays to the real Python and JavaScript
//! clients on loopback: for Service Fabric, Azure Machine Learning, Cloud Shell and AKS
//! workload identity, an environment (endpoints moved to the harness's servers), the request
//! `endpoint::detect` predicts for each client, and `endpoint::sources`' raw answer to it —
//! success and the errors a real client can provoke.
//!
//! `cargo run -p mi-core --example source_cases -- --http http://127.0.0.1:P --https
//! https://127.0.0.1:Q --thumbprint HEX --dir DIR [--now UNIX]`

use mi_core::endpoint::detect::{self, DetectOptions, DetectSdk, Source};
use mi_core::endpoint::sources::{self, workload_identity, Context};
use serde_json::{json, Value};

fn arg(args: &[String], name: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_default()
}

/// The path of a URL, `/` when it has none.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// One scenario: a preset environment, changes to it and to the context.
struct Scenario {
    case: &'static str,
    preset: &'static str,
    source: Source,
    /// Variables replaced after the move to loopback.
    set: Vec<(&'static str, &'static str)>,
    edit: fn(&mut Context),
    /// The projected token is minted this many seconds before now (expired when ≥ 3600).
    token_age: u64,
    /// The client trusts the test certificate (SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
    /// NODE_EXTRA_CA_CERTS); a real cluster's certificate is self-signed too.
    trust_ca: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let http = arg(&args, "--http");
    let https = arg(&args, "--https");
    let thumbprint = arg(&args, "--thumbprint");
    let dir = arg(&args, "--dir");
    if http.is_empty() || https.is_empty() || thumbprint.is_empty() || dir.is_empty() {
        eprintln!(
            "usage: source_cases --http URL --https URL --thumbprint HEX --dir DIR [--now UNIX]"
        );
        std::process::exit(2);
    }
    let now = arg(&args, "--now").parse::<u64>().unwrap_or_else(|_| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    });
    let keep = |_: &mut Context| {};
    let scenarios = vec![
        Scenario {
            case: "service-fabric",
            preset: "service-fabric",
            source: Source::ServiceFabric,
            set: vec![],
            edit: keep,
            token_age: 0,
            trust_ca: true,
        },
        // A certificate other than the one IDENTITY_SERVER_THUMBPRINT names.
        Scenario {
            case: "service-fabric-other-certificate",
            preset: "service-fabric",
            source: Source::ServiceFabric,
            set: vec![(
                "IDENTITY_SERVER_THUMBPRINT",
                "0123456789ABCDEF0123456789ABCDEF01234567",
            )],
            edit: keep,
            token_age: 0,
            trust_ca: true,
        },
        // The cluster's certificate, trusted by no CA store (as a real cluster's).
        Scenario {
            case: "service-fabric-untrusted-certificate",
            preset: "service-fabric",
            source: Source::ServiceFabric,
            set: vec![],
            edit: keep,
            token_age: 0,
            trust_ca: false,
        },
        Scenario {
            case: "service-fabric-wrong-secret",
            preset: "service-fabric",
            source: Source::ServiceFabric,
            set: vec![],
            edit: |c| c.secret = "rotated".into(),
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "service-fabric-no-identity",
            preset: "service-fabric",
            source: Source::ServiceFabric,
            set: vec![],
            edit: |c| {
                c.system_assigned = None;
                c.user_assigned.clear();
            },
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "azure-ml",
            preset: "azure-ml",
            source: Source::AzureMl,
            set: vec![],
            edit: |c| c.secret = "c3f1e9a2b7d84e6f".into(),
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "azure-ml-wrong-secret",
            preset: "azure-ml",
            source: Source::AzureMl,
            set: vec![],
            edit: keep,
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "cloud-shell",
            preset: "cloud-shell",
            source: Source::CloudShell,
            set: vec![],
            edit: keep,
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "workload-identity",
            preset: "aks-workload-identity",
            source: Source::WorkloadIdentity,
            set: vec![],
            edit: keep,
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "workload-identity-no-match",
            preset: "aks-workload-identity",
            source: Source::WorkloadIdentity,
            set: vec![],
            edit: |c| {
                if let Some(f) = c
                    .user_assigned
                    .get_mut(0)
                    .and_then(|u| u.federated_credentials.get_mut(0))
                {
                    f.subject = "system:serviceaccount:orders:orders-worker".into();
                }
            },
            token_age: 0,
            trust_ca: true,
        },
        Scenario {
            case: "workload-identity-expired",
            preset: "aks-workload-identity",
            source: Source::WorkloadIdentity,
            set: vec![],
            edit: keep,
            token_age: 7200,
            trust_ca: true,
        },
        Scenario {
            case: "workload-identity-unknown-client",
            preset: "aks-workload-identity",
            source: Source::WorkloadIdentity,
            set: vec![("AZURE_CLIENT_ID", "11111111-1111-4111-8111-111111111111")],
            edit: keep,
            token_age: 0,
            trust_ca: true,
        },
    ];
    let mut out = Vec::new();
    for s in scenarios {
        let vars = detect::examples()
            .into_iter()
            .find(|e| e.code == s.preset)
            .map(|e| e.vars)
            .unwrap_or_default();
        let token_file = format!("{dir}/{}.token", s.case);
        let mut env: Vec<(String, String)> = vars
            .into_iter()
            .map(|(n, v)| {
                let v = match n.as_str() {
                    "IDENTITY_ENDPOINT" | "MSI_ENDPOINT" => {
                        let base = if v.starts_with("https:") {
                            &https
                        } else {
                            &http
                        };
                        format!("{base}{}", path_of(&v))
                    }
                    "AZURE_AUTHORITY_HOST" => format!("{https}/"),
                    "AZURE_FEDERATED_TOKEN_FILE" => token_file.clone(),
                    "IDENTITY_SERVER_THUMBPRINT" => thumbprint.clone(),
                    _ => v,
                };
                (n, v)
            })
            .collect();
        for (n, v) in &s.set {
            env.retain(|(k, _)| k != n);
            env.push((n.to_string(), v.to_string()));
        }
        // IMDS is every client's fallback: point it at loopback too.
        env.push((
            "AZURE_POD_IDENTITY_AUTHORITY_HOST".into(),
            format!("{http}/pod"),
        ));
        let mut ctx = Context::example(now);
        ctx.secret = "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a".into();
        (s.edit)(&mut ctx);
        // The token file holds the token projected `token_age` seconds ago.
        let mut minted_at = ctx.clone();
        minted_at.now = now.saturating_sub(s.token_age);
        let sa_token = workload_identity::projected_token(&minted_at).jwt;
        // (client, the SDK whose request it sends): azure-identity's asyncio client builds its
        // own requests; detect models the sync one, so its request is the prediction for both.
        for (client, sdk) in [
            ("python", DetectSdk::Python),
            ("python-aio", DetectSdk::Python),
            ("js", DetectSdk::JavaScript),
        ] {
            let d = detect::detect(&env, sdk, &DetectOptions::default());
            let Some(mut request) = d.request.clone() else {
                out.push(json!({ "case": s.case, "client": client, "env": env, "error": "detect predicts no request" }));
                continue;
            };
            request.body = request
                .body
                .replace(&format!("<contents of {token_file}>"), &sa_token);
            let answer = sources::answer(s.source, &request, &ctx);
            let value = match answer {
                Ok(a) => json!({
                    "status": a.response.status,
                    "wire": a.wire(),
                    "token": a.token.as_ref().map(|t| t.jwt.clone()),
                    "expires_on": a.token.as_ref().map(|t| t.exp),
                    "notes": a.notes.iter().map(|n| format!("[{}] {}", n.certainty.tag(), n.text)).collect::<Vec<_>>(),
                }),
                Err(e) => json!({ "error": format!("{e:?}") }),
            };
            out.push(json!({
                "case": s.case,
                "client": client,
                "source": s.source.code(),
                "env": env,
                "token_file": token_file,
                "token_file_contents": sa_token,
                "trust_ca": s.trust_ca,
                "request": { "method": request.method, "url": request.url, "headers": request.headers },
                "answer": value,
            }));
        }
    }
    println!("{}", Value::Array(out));
}
