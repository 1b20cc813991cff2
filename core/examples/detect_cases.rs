//! Writes the detection cases that core/conformance/detect.py replays to the real Python and
//! JavaScript clients on loopback: every example environment of `endpoint::detect`, with its
//! endpoints moved to the harness's loopback servers, and what `detect` predicts for each client
//! (the source and the first request) under `ManagedIdentityCredential()` and
//! `DefaultAzureCredential()`.
//!
//! `cargo run -p mi-core --example detect_cases -- --http http://127.0.0.1:P --https
//! https://127.0.0.1:Q --token-file F --thumbprint HEX`

use mi_core::endpoint::detect::{self, DetectOptions, DetectSdk};
use serde_json::{json, Value};

fn arg(args: &[String], name: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_default()
}

/// The path (and query) of a URL, `/` when it has none.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let http = arg(&args, "--http");
    let https = arg(&args, "--https");
    let token_file = arg(&args, "--token-file");
    let thumbprint = arg(&args, "--thumbprint");
    if http.is_empty() || https.is_empty() || token_file.is_empty() || thumbprint.is_empty() {
        eprintln!("usage: detect_cases --http URL --https URL --token-file PATH --thumbprint HEX");
        std::process::exit(2);
    }
    // (case, variables, Arc agent installed)
    type Case = (String, Vec<(String, String)>, bool);
    let mut envs: Vec<Case> = detect::examples()
        .into_iter()
        .map(|e| (e.code.to_string(), e.vars, false))
        .collect();
    // The Arc agent installed, no variables (the harness provides /opt/azcmagent/bin/himds
    // in a private mount namespace and listens on 127.0.0.1:40342).
    envs.push(("arc-agent-file".into(), Vec::new(), true));
    // A service principal next to App Service's variables.
    let mut sp = detect::examples()
        .into_iter()
        .find(|e| e.code == "app-service")
        .map(|e| e.vars)
        .unwrap_or_default();
    sp.extend([
        (
            "AZURE_CLIENT_ID".to_string(),
            "0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60".to_string(),
        ),
        (
            "AZURE_TENANT_ID".to_string(),
            "72f988bf-86f1-41af-91ab-2d7cd011db47".to_string(),
        ),
        (
            "AZURE_CLIENT_SECRET".to_string(),
            "not-a-real-secret".to_string(),
        ),
    ]);
    envs.push(("service-principal-and-app-service".into(), sp, false));
    // App Service's variables plus an empty IDENTITY_SERVER_THUMBPRINT: msal (presence)
    // sees Service Fabric where azure-identity (truthiness) sees App Service.
    let mut empty_thumbprint = detect::examples()
        .into_iter()
        .find(|e| e.code == "app-service")
        .map(|e| e.vars)
        .unwrap_or_default();
    empty_thumbprint.push(("IDENTITY_SERVER_THUMBPRINT".to_string(), String::new()));
    envs.push((
        "app-service-empty-thumbprint".into(),
        empty_thumbprint,
        false,
    ));

    let mut cases = Vec::new();
    for (code, vars, arc_agent) in envs {
        // Endpoints to loopback, paths kept; IMDS through the pod-identity host.
        let mut env: Vec<(String, String)> = vars
            .into_iter()
            .map(|(n, v)| {
                let v = match n.as_str() {
                    "IDENTITY_ENDPOINT" | "MSI_ENDPOINT" | "IMDS_ENDPOINT" => {
                        let base = if v.starts_with("https:") {
                            &https
                        } else {
                            &http
                        };
                        let path = path_of(&v);
                        if n == "IMDS_ENDPOINT" {
                            base.clone()
                        } else {
                            format!("{base}{path}")
                        }
                    }
                    "AZURE_AUTHORITY_HOST" => format!("{https}/"),
                    "AZURE_FEDERATED_TOKEN_FILE" => token_file.clone(),
                    "IDENTITY_SERVER_THUMBPRINT" if !v.is_empty() => thumbprint.clone(),
                    _ => v,
                };
                (n, v)
            })
            .collect();
        if !arc_agent {
            env.push((
                "AZURE_POD_IDENTITY_AUTHORITY_HOST".into(),
                format!("{http}/pod"),
            ));
        }
        for dac in [false, true] {
            let options = DetectOptions {
                via_default_azure_credential: dac,
                arc_agent_installed: arc_agent,
                ..DetectOptions::default()
            };
            let mut expect = serde_json::Map::new();
            for sdk in [DetectSdk::Python, DetectSdk::JavaScript] {
                let d = detect::detect(&env, sdk, &options);
                let request = d.request.as_ref().map(|r| {
                    json!({
                        "method": r.method,
                        "url": r.url,
                        "headers": r.headers,
                        "body": r.body,
                    })
                });
                expect.insert(
                    sdk.code().to_string(),
                    json!({ "source": d.chosen.code(), "request": request.unwrap_or(Value::Null) }),
                );
            }
            cases.push(json!({
                "case": code,
                "mode": if dac { "dac" } else { "mi" },
                "arc_agent": arc_agent,
                "env": env,
                "expect": expect,
            }));
        }
    }
    println!("{}", Value::Array(cases));
}
