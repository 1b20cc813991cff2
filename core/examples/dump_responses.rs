//! Prints the raw HTTP responses of the default scenario, one block per request, for eyeballing
//! and for feeding a real SDK on loopback (see core/conformance/).
//!
//! `cargo run -p mi-core --example dump_responses` prints them;
//! `cargo run -p mi-core --example dump_responses -- --conformance <dir>` writes the
//! conformance cases instead: `<dir>/cases.json` (per case and client: the request the client
//! sends, what the simulator answered, and what `sdk::readings` predicts: outcome and retries)
//! and one `<case>.<client>.<step>.http` file per raw response.

use mi_core::cloud::{dsl, EndpointKind, World};
use mi_core::endpoint::sdk::{self, Sdk, SdkOutcome};
use mi_core::endpoint::{
    self, arc, hosts, http, parse, EndpointState, HttpRequest, HttpResponse, Url,
};
use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--conformance") {
        Some(i) => {
            let dir = args.get(i + 1).map_or("conformance-out", String::as_str);
            if let Err(e) = conformance(dir) {
                eprintln!("dump_responses: {e}");
                std::process::exit(1);
            }
        }
        None => dump(),
    }
}

/// The visitor's clock, as a page would use it: now, rounded down to the minute.
fn now() -> u64 {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    mi_core::cloud::time::start_of_minute(unix)
}

fn dump() {
    let world = World::default_scenario(now());
    let mut state = EndpointState::new();
    let orders = world
        .identity("id-orders")
        .map(|i| i.sp.client_id.clone())
        .unwrap_or_default();
    let app_header = world
        .compute("app-shop")
        .map(|c| c.identity_header.clone())
        .unwrap_or_default();
    let requests = [
        ("vm-web", "curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'".to_string()),
        ("vm-web", format!("curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id={orders}'")),
        ("vm-web", "curl 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'".to_string()),
        ("vm-web", "curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/&client_id=00000000-0000-0000-0000-000000000000'".to_string()),
        ("app-shop", format!("curl -H 'X-IDENTITY-HEADER: {app_header}' 'http://localhost:4141/MSI/token?resource=https://management.azure.com&api-version=2019-08-01'")),
        ("app-shop", format!("curl -H 'secret: {app_header}' 'http://localhost:4141/MSI/token?resource=https://vault.azure.net&api-version=2017-09-01'")),
    ];
    for (host, text) in requests {
        let env = world
            .compute(host)
            .map(|h| hosts::host_endpoint(h).env)
            .unwrap_or_default();
        match parse::parse_any(&text, &env) {
            Ok(req) => {
                let ex = endpoint::send(&world, &mut state, host, &req);
                println!("### {host}: {text}\n{}\n", ex.wire());
            }
            Err(e) => println!("### {host}: {text}\nparse error: {e}\n"),
        }
    }
}

/// The default scenario plus hosts the SDK cases need: a VM with two user-assigned identities
/// and no system-assigned one, a VM with no identity, a user-assigned identity on the web app,
/// and an Arc server with both kinds.
const CONFORMANCE_EXTRA: &str = "c:vm:rg-playground:vm-batch;ua:vm-batch:id-orders;\
ua:vm-batch:id-reports;c:vm:rg-playground:vm-bare;ua:app-shop:id-orders;\
c:arc:rg-playground:srv-arc";

/// One SDK call: which credential source, from which host, with which scope and selector.
struct Case {
    name: &'static str,
    source: &'static str,
    host: &'static str,
    scope: &'static str,
    /// azure-identity `identity_config` key (`client_id`, `object_id`, `resource_id`) and value.
    selector: Option<(&'static str, String)>,
    faults: endpoint::Faults,
}

/// The clients the conformance replay runs, by the name run.py gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    /// azure-identity 1.27 (sync) through msal 1.39.
    Python,
    /// azure-identity 1.27's `azure.identity.aio`.
    PythonAsync,
    /// @azure/identity 4.13.0 through @azure/msal-node 3.8.
    JavaScript,
}

impl Client {
    const ALL: [Client; 3] = [Client::Python, Client::PythonAsync, Client::JavaScript];

    fn name(self) -> &'static str {
        match self {
            Client::Python => "python",
            Client::PythonAsync => "python-aio",
            Client::JavaScript => "javascript",
        }
    }

    fn sdk(self) -> Sdk {
        match self {
            Client::Python => Sdk::Python,
            Client::PythonAsync => Sdk::PythonAsync,
            Client::JavaScript => Sdk::JavaScript,
        }
    }
}

/// What `client` puts on the wire for `case`, or `None` when it sends nothing. The simulator is
/// asked that request, and run.py checks the client really sent it (method, path, query, and
/// the headers listed here).
/// - Python sync: msal 1.39 `msal/managed_identity.py` (`_obtain_token_on_*`).
/// - Python asyncio: `azure/identity/_credentials/*.py` `_get_request`. run.py hands it the
///   endpoint's own selector names, so its query is the sync one; it sends no `Metadata`
///   header to App Service (`app_service.py`).
/// - JavaScript: @azure/msal-node 3.8.10 `dist/client/ManagedIdentitySources/*.mjs`. IMDS: the
///   path through msal-common `UrlString.canonicalizeUri` (lower case, trailing `/`; Imds.mjs
///   `tryCreate`). App Service: only `X-IDENTITY-HEADER` (AppService.mjs `createRequest`).
///   Azure ML: `Metadata: true` + `secret`, and no `clientid` while `DEFAULT_IDENTITY_CLIENT_ID`
///   is unset (MachineLearning.mjs; msal-common `addExtraQueryParameters` skips empty values).
///   Arc: api-version 2019-11-01 (AzureArc.mjs `ARC_API_VERSION`), and a user-assigned
///   selector is refused before anything is sent (AzureArc.mjs `tryCreate`).
fn client_request(
    world: &World,
    case: &Case,
    client: Client,
) -> Result<Option<HttpRequest>, String> {
    let host = world
        .compute(case.host)
        .ok_or(format!("no host {}", case.host))?;
    let resource = case.scope.strip_suffix("/.default").unwrap_or(case.scope);
    let js = client == Client::JavaScript;
    let secret = host.identity_header.as_str();
    let (base, api, wire_names, headers): (&str, &str, [&str; 3], Vec<(&str, &str)>) =
        match case.source {
            "imds" => (
                if js {
                    "http://169.254.169.254/metadata/identity/oauth2/token/"
                } else {
                    "http://169.254.169.254/metadata/identity/oauth2/token"
                },
                "2018-02-01",
                ["client_id", "object_id", "msi_res_id"],
                vec![("Metadata", "true")],
            ),
            "appservice" => (
                "http://localhost:4141/MSI/token",
                "2019-08-01",
                ["client_id", "object_id", "mi_res_id"],
                if client == Client::Python {
                    vec![("X-IDENTITY-HEADER", secret), ("Metadata", "true")]
                } else {
                    vec![("X-IDENTITY-HEADER", secret)]
                },
            ),
            "azureml" => (
                "http://localhost:4141/MSI/token",
                "2017-09-01",
                ["clientid", "object_id", "msi_res_id"],
                if js {
                    vec![("Metadata", "true"), ("secret", secret)]
                } else {
                    vec![("secret", secret)]
                },
            ),
            "arc" if js && case.selector.is_some() => return Ok(None),
            "arc" => (
                "http://localhost:40342/metadata/identity/oauth2/token",
                if js { "2019-11-01" } else { "2020-06-01" },
                ["client_id", "object_id", "msi_res_id"],
                vec![("Metadata", "true")],
            ),
            other => return Err(format!("unknown source {other}")),
        };
    let mut url = format!(
        "{base}?api-version={api}&resource={}",
        http::percent_encode(resource)
    );
    if let Some((kind, value)) = &case.selector {
        let name = match *kind {
            "client_id" => wire_names[0],
            "object_id" => wire_names[1],
            _ => wire_names[2],
        };
        url.push_str(&format!("&{name}={}", http::percent_encode(value)));
    }
    let url = Url::parse(&url).map_err(|e| e.to_string())?;
    Ok(Some(HttpRequest::get(url, &headers)))
}

fn request_json(r: &HttpRequest) -> Value {
    json!({
        "method": r.method,
        "path": r.url.path,
        "query": r.url.query.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "headers": r.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
    })
}

/// What `sdk::readings` predicts for `client` from the last response (`null` when there is none).
fn reading_json(
    kind: EndpointKind,
    response: Option<&HttpResponse>,
    now: u64,
    client: Client,
) -> Value {
    let Some(r) = response
        .map(|r| sdk::readings(kind, r, now))
        .and_then(|rs| rs.into_iter().find(|r| r.sdk == client.sdk()))
    else {
        return Value::Null;
    };
    let mut v = match r.outcome {
        SdkOutcome::Token { expires_on, .. } => {
            json!({ "outcome": "token", "expires_on": expires_on })
        }
        SdkOutcome::Error { kind, message } => {
            json!({ "outcome": "error", "class": kind, "message": message })
        }
        SdkOutcome::FollowsChallenge { detail } => {
            json!({ "outcome": "challenge", "detail": detail })
        }
    };
    v["retries"] = json!(r.retry.as_ref().map_or(Vec::new(), |p| p
        .delays_ms
        .iter()
        .map(|(lo, hi)| json!([lo, hi]))
        .collect()));
    v["certainty"] = json!(r.certainty.tag());
    v
}

/// Asks the simulator `client`'s request for `case` (following an Arc challenge once) and
/// writes the raw responses; the JSON says what was asked, what came back and the reading.
fn run_client(world: &World, case: &Case, client: Client, dir: &str) -> Result<Value, String> {
    let Some(mut req) = client_request(world, case, client)? else {
        return Ok(
            json!({ "steps": [], "status": Value::Null, "token": Value::Null,
            "expires_on": Value::Null, "key_file": Value::Null, "reading": Value::Null }),
        );
    };
    let mut state = EndpointState::new();
    state.faults = case.faults;
    if case.faults.rate_limit {
        // IMDS allows 20 requests per (simulated) second: the SDK's is the 21st.
        for _ in 0..20 {
            endpoint::send(world, &mut state, case.host, &req);
        }
    }
    let mut steps = Vec::new();
    let mut key_file = Value::Null;
    let mut last = None;
    for step in 0..2 {
        let ex = endpoint::send(world, &mut state, case.host, &req);
        let file = format!("{}.{}.{step}.http", case.name, client.name());
        std::fs::write(format!("{dir}/{file}"), ex.wire()).map_err(|e| e.to_string())?;
        steps.push(json!({ "request": request_json(&req), "response_file": file }));
        let retry = ex
            .response
            .as_ref()
            .and_then(|r| arc::retry_after_challenge(&state, &req, r).map(|n| (r, n)));
        match retry {
            Some((resp, next)) if step == 0 => {
                let realm = resp.header("WWW-Authenticate").unwrap_or_default();
                let path = realm.trim_start_matches("Basic realm=").trim();
                key_file = json!({
                    "path": path,
                    "contents": state.arc_key_file(path).unwrap_or_default(),
                });
                req = next;
            }
            _ => {
                last = Some(ex);
                break;
            }
        }
    }
    let ex = last.ok_or("Arc challenged twice")?;
    let (token, expires_on) = match &ex.token {
        Some(t) => (json!(t.jwt), json!(t.exp)),
        None => (Value::Null, Value::Null),
    };
    let kind = match case.source {
        "imds" => EndpointKind::Imds,
        "arc" => EndpointKind::Arc,
        _ => EndpointKind::AppService,
    };
    Ok(json!({
        "steps": steps,
        "status": ex.response.as_ref().map(|r| r.status),
        "token": token,
        "expires_on": expires_on,
        "key_file": key_file,
        "reading": reading_json(kind, ex.response.as_ref(), world.now, client),
    }))
}

fn conformance(dir: &str) -> Result<(), String> {
    let mut actions =
        dsl::parse_actions(mi_core::cloud::DEFAULT_SCENARIO).map_err(|e| e.message)?;
    actions.extend(dsl::parse_actions(CONFORMANCE_EXTRA).map_err(|e| e.message)?);
    // The real clock, not a fixed date: clients compare expiry times with their own clock.
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let world = World::replay(mi_core::cloud::DEFAULT_SEED, start, &actions)
        .map_err(|(i, e)| format!("action {i}: {}", e.what))?;
    let id = |name: &str| world.identity(name).ok_or(format!("no identity {name}"));
    let orders = id("id-orders")?;
    let reports = id("id-reports")?;
    let orders_arm = world.identity_arm_id(orders).to_arm_string();
    let none = endpoint::Faults::default();
    let arm = "https://management.azure.com/.default";
    let vault = "https://vault.azure.net/.default";
    let unknown = "https://unknown.example.com/.default";
    let sel = |k: &'static str, v: &str| Some((k, v.to_string()));
    let zero = "00000000-0000-0000-0000-000000000000";
    #[rustfmt::skip]
    let cases = vec![
        Case { name: "imds-system", source: "imds", host: "vm-web", scope: arm, selector: None, faults: none },
        Case { name: "imds-client-id", source: "imds", host: "vm-web", scope: vault, selector: sel("client_id", &orders.sp.client_id), faults: none },
        Case { name: "imds-object-id", source: "imds", host: "vm-web", scope: arm, selector: sel("object_id", &reports.sp.principal_id), faults: none },
        Case { name: "imds-resource-id", source: "imds", host: "vm-web", scope: arm, selector: sel("resource_id", &orders_arm), faults: none },
        Case { name: "imds-single-user", source: "imds", host: "vm-batch", scope: arm, selector: sel("client_id", &reports.sp.client_id), faults: none },
        Case { name: "imds-unknown-client-id", source: "imds", host: "vm-web", scope: arm, selector: sel("client_id", zero), faults: none },
        Case { name: "imds-multiple", source: "imds", host: "vm-batch", scope: arm, selector: None, faults: none },
        Case { name: "imds-no-identity", source: "imds", host: "vm-bare", scope: arm, selector: None, faults: none },
        Case { name: "imds-unknown-resource", source: "imds", host: "vm-web", scope: unknown, selector: None, faults: none },
        Case { name: "imds-fault-500", source: "imds", host: "vm-web", scope: arm, selector: None, faults: endpoint::Faults { server_error: true, ..none } },
        Case { name: "imds-fault-410", source: "imds", host: "vm-web", scope: arm, selector: None, faults: endpoint::Faults { updating: true, ..none } },
        Case { name: "imds-fault-429", source: "imds", host: "vm-web", scope: arm, selector: None, faults: endpoint::Faults { rate_limit: true, ..none } },
        Case { name: "appsvc-system", source: "appservice", host: "app-shop", scope: arm, selector: None, faults: none },
        Case { name: "appsvc-client-id", source: "appservice", host: "app-shop", scope: vault, selector: sel("client_id", &orders.sp.client_id), faults: none },
        Case { name: "appsvc-resource-id", source: "appservice", host: "app-shop", scope: vault, selector: sel("resource_id", &orders_arm), faults: none },
        Case { name: "appsvc-bad-selector", source: "appservice", host: "app-shop", scope: arm, selector: sel("client_id", zero), faults: none },
        Case { name: "appsvc-unknown-resource", source: "appservice", host: "app-shop", scope: unknown, selector: None, faults: none },
        Case { name: "appsvc-2017-as-azureml", source: "azureml", host: "app-shop", scope: arm, selector: None, faults: none },
        Case { name: "arc-system", source: "arc", host: "srv-arc", scope: arm, selector: None, faults: none },
        Case { name: "arc-client-id", source: "arc", host: "srv-arc", scope: arm, selector: sel("client_id", &reports.sp.client_id), faults: none },
    ];
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let mut manifest = Vec::new();
    for case in &cases {
        let mut clients = serde_json::Map::new();
        for client in Client::ALL {
            clients.insert(
                client.name().to_string(),
                run_client(&world, case, client, dir)?,
            );
        }
        manifest.push(json!({
            "name": case.name,
            "source": case.source,
            "host": case.host,
            "scope": case.scope,
            "selector": case.selector.as_ref().map(|(k, v)| json!({ *k: v })),
            "env": { "identity_header": world.compute(case.host).map(|h| h.identity_header.clone()) },
            "now": world.now,
            "clients": clients,
        }));
    }
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(format!("{dir}/cases.json"), text).map_err(|e| e.to_string())?;
    println!("{} cases written to {dir}", manifest.len());
    Ok(())
}
