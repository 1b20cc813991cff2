//! The catalogue against its own samples, the simulator's every error against the matcher,
//! the deep links against the simulator, extraction, fixes, and the linear-time bound.

use super::catalogue::Layer;
use super::repro::{ORDERS_OBJECT_ID, ORDERS_VAULT_TOKEN, START};
use super::*;
use crate::cloud::{
    default_scenario_actions, dsl::parse_actions, EndpointKind, World, DEFAULT_SEED,
};
use crate::endpoint::{self, hosts, http::HttpResponse, sdk, EndpointState, HttpRequest, Url};
use crate::fragment::Fragment;

fn top(text: &str) -> Cause {
    explain(text).top
}

// ------------------------------------------------------------------ the catalogue itself

#[test]
fn catalogue_is_well_formed() {
    assert!(CATALOGUE.len() >= 60, "{} entries", CATALOGUE.len());
    let mut ids: Vec<&str> = CATALOGUE.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "entry ids are unique");
    for e in CATALOGUE {
        assert!(
            e.id.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
            "{}: kebab-case id",
            e.id
        );
        assert!(!e.all.is_empty() && !e.sample.is_empty(), "{}", e.id);
        assert!(!e.emitter.is_empty() && !e.source.is_empty(), "{}", e.id);
        for f in e.all {
            // Fragments are written as the scanner reads them, apart from letter case.
            let normal = String::from_utf8(scan::normalize(f)).unwrap();
            assert_eq!(normal, f.to_ascii_lowercase(), "{}: fragment {f:?}", e.id);
            assert!(f.len() >= 4, "{}: fragment {f:?} too short", e.id);
        }
        assert!(
            !e.alternatives.contains(&e.cause),
            "{}: the cause is not its own alternative",
            e.id
        );
    }
    for c in Cause::ALL {
        assert_eq!(Cause::from_id(c.id()), Some(c));
        assert!(!c.explanation().is_empty() && !c.check().is_empty() && !c.title().is_empty());
        if c != Cause::Unknown {
            assert!(
                CATALOGUE.iter().any(|e| e.cause == c),
                "{} has an entry",
                c.id()
            );
            assert!(!c.fix_template().is_empty(), "{}", c.id());
        }
    }
}

/// Every entry is found by its own sample, with its own cause on top; an entry of another
/// cause may rank above it only when that entry itself allows this cause (ambiguity settled
/// by this one).
#[test]
fn every_sample_is_recognised_as_its_own_cause_and_nothing_shadows_it() {
    let mut failures = Vec::new();
    for e in CATALOGUE {
        let ex = explain(e.sample);
        let Some(pos) = ex.matched.iter().position(|id| *id == e.id) else {
            failures.push(format!("{}: its sample does not match it", e.id));
            continue;
        };
        if ex.top != e.cause {
            failures.push(format!(
                "{}: top is {} (decided by {:?}), expected {}; matched {:?}",
                e.id,
                ex.top.id(),
                ex.decided_by,
                e.cause.id(),
                ex.matched
            ));
        }
        for above in ex.matched[..pos].iter().filter_map(|id| entry(id)) {
            if above.cause != e.cause && !above.alternatives.contains(&e.cause) {
                failures.push(format!(
                    "{}: shadowed by {} ({})",
                    e.id,
                    above.id,
                    above.cause.id()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_are_recognised() {
    let tops: Vec<Cause> = EXAMPLES.iter().map(|(_, t)| top(t)).collect();
    assert_eq!(
        tops,
        [
            Cause::NoIdentity,
            Cause::RbacDenied,
            Cause::FederatedMismatch
        ]
    );
}

// ------------------------------------------------------------------ the simulator's own answers

/// Reads a `.http` golden file back into a response (chunked bodies decoded).
fn parse_wire(wire: &str) -> Option<HttpResponse> {
    let rest = wire.strip_prefix("HTTP/1.1 ")?;
    let (head, body) = rest.split_once("\r\n\r\n").unwrap_or((rest, ""));
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').next()?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("Transfer-Encoding") && v == "chunked");
    let body = if chunked {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            if n == 0 {
                break;
            }
            out.push_str(after.get(..n)?);
            rest = after.get(n + 2..)?;
        }
        out
    } else {
        body.to_string()
    };
    Some(HttpResponse {
        status,
        headers: headers
            .into_iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("Content-Length"))
            .collect(),
        body,
        chunked,
    })
}

/// What each erroneous golden response means. `Either(a, b)`: the text cannot decide, so one
/// is on top and the other a candidate (the request is not part of the response).
#[derive(Debug, Clone, Copy)]
enum Expect {
    Is(Cause),
    Either(Cause, Cause),
}

fn golden_expectation(name: &str) -> Option<Expect> {
    use Cause::*;
    use Expect::*;
    Some(match name {
        "appsvc-2017-with-2019-header.0" => Is(MetadataHeaderMissing),
        "appsvc-2019-bad-selector.0" => Is(IdentityNotFound),
        "appsvc-2019-no-header.0" => Is(MetadataHeaderMissing),
        "appsvc-2019-unknown-resource.0" => Is(UnknownResource),
        "appsvc-2019-wrong-header.0" => Is(MetadataHeaderMissing),
        "appsvc-imds-unreachable.0" => Is(EndpointUnreachable),
        // No selector, only a user-assigned identity: the App Service text is ambiguous.
        "appsvc-no-system.0" => Either(NoIdentity, MultipleIdentities),
        "arc.0" => Is(ArcKeyAccess),
        "imds-bad-api-version.0" => Is(EndpointUnavailable),
        "imds-duplicate.0" => Is(EndpointUnavailable),
        "imds-fault-410" => Is(EndpointUnavailable),
        "imds-fault-429" => Is(Throttled),
        "imds-fault-500" => Is(EndpointUnavailable),
        "imds-multiple.0" => Is(MultipleIdentities),
        "imds-no-api-version.0" => Is(EndpointUnavailable),
        "imds-no-identity.0" => Either(NoIdentity, IdentityNotFound),
        "imds-no-metadata.0" => Is(MetadataHeaderMissing),
        "imds-no-resource.0" => Is(UnknownResource),
        "imds-post.0" => Is(EndpointUnavailable),
        "imds-unknown-client-id.0" => Either(IdentityNotFound, NoIdentity),
        "imds-unknown-resource.0" => Is(UnknownResource),
        "imds-xff.0" => Is(MetadataHeaderMissing),
        _ => return None,
    })
}

fn check(what: &str, text: &str, expect: Expect, failures: &mut Vec<String>) {
    let ex = explain(text);
    let ok = match expect {
        Expect::Is(c) => ex.top == c,
        Expect::Either(a, b) => {
            (ex.top == a && ex.candidates.iter().any(|c| c.cause == b))
                || (ex.top == b && ex.candidates.iter().any(|c| c.cause == a))
        }
    };
    if !ok {
        failures.push(format!(
            "{what}: expected {expect:?}, got {} (candidates {:?}, matched {:?})\n  text: {}",
            ex.top.id(),
            ex.candidates
                .iter()
                .map(|c| c.cause.id())
                .collect::<Vec<_>>(),
            ex.matched,
            text.chars().take(300).collect::<String>()
        ));
    }
}

/// Every client's error message for `r`, with the client's name.
fn reading_errors(kind: EndpointKind, r: &HttpResponse) -> Vec<(String, String)> {
    sdk::readings(kind, r, START)
        .into_iter()
        .filter_map(|x| match x.outcome {
            sdk::SdkOutcome::Error { kind, message } => {
                Some((format!("{:?} {kind}", x.sdk), message))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_golden_error_response_and_every_clients_reading_of_it_is_explained() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/endpoint/golden");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".http").map(str::to_string))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in names {
        let wire = std::fs::read_to_string(format!("{dir}/{name}.http")).unwrap();
        let response = parse_wire(&wire);
        if response.as_ref().is_some_and(|r| r.status < 400) {
            assert!(golden_expectation(&name).is_none(), "{name} succeeds");
            continue;
        }
        let Some(expect) = golden_expectation(&name) else {
            failures.push(format!("{name}: an error with no expectation: add one"));
            continue;
        };
        check(&name, &wire, expect, &mut failures);
        checked += 1;
        let Some(r) = response else { continue };
        let kind = if name.starts_with("imds") {
            EndpointKind::Imds
        } else if name.starts_with("arc") {
            EndpointKind::Arc
        } else {
            EndpointKind::AppService
        };
        for (who, message) in reading_errors(kind, &r) {
            check(&format!("{name} / {who}"), &message, expect, &mut failures);
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 80, "{checked} texts checked");
}

fn get(url: &str, headers: &[(&str, &str)]) -> HttpRequest {
    HttpRequest::get(Url::parse(url).unwrap(), headers)
}

/// What the simulator answers besides the golden files: the data planes (Key Vault, Storage,
/// SQL), the other token-endpoint refusals and the connection errors.
#[test]
fn the_simulators_other_errors_are_explained() {
    use Cause::*;
    let w = World::replay(
        DEFAULT_SEED,
        START,
        &parse_actions(&format!(
            "{};t:st:rg-playground:stdemo;t:sql:rg-playground:db;c:arc:rg-playground:srv",
            crate::cloud::DEFAULT_SCENARIO
        ))
        .unwrap(),
    )
    .unwrap();
    let mut failures = Vec::new();
    let mut st = EndpointState::new();
    let imds = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01";
    let m = [("Metadata", "true")];
    let token = |resource: &str, sel: &str| {
        endpoint::send(
            &w,
            &mut EndpointState::new(),
            "vm-web",
            &get(&format!("{imds}&resource={resource}{sel}"), &m),
        )
        .token
        .unwrap()
        .jwt
    };
    let orders = w.identity("id-orders").unwrap().sp.client_id.clone();
    let kv_ok = token("https://vault.azure.net", &format!("&client_id={orders}"));
    let kv_sys = token("https://vault.azure.net", "");
    let arm = token("https://management.azure.com/", "");
    let st_sys = token("https://storage.azure.com/", "");
    let mut later = w.clone();
    later
        .apply(&crate::cloud::Action::AdvanceClock { seconds: 90_000 })
        .unwrap();
    let kv = "https://kv-contoso-demo.vault.azure.net/secrets/db-password?api-version=7.4";
    let blob = "https://stdemo.blob.core.windows.net/data/hello.txt";
    let bearer = |t: &str| format!("Bearer {t}");
    // (what, world, host, request, expected cause, endpoint whose clients read the answer)
    type Case<'a> = (
        &'a str,
        &'a World,
        &'a str,
        HttpRequest,
        Expect,
        Option<EndpointKind>,
    );
    let cases: Vec<Case> = vec![
        ("kv no token", &w, "vm-web", get(kv, &[]), Expect::Is(WrongAudience), None),
        ("kv arm token", &w, "vm-web", get(kv, &[("Authorization", &bearer(&arm))]), Expect::Is(WrongAudience), None),
        ("kv 403", &w, "vm-web", get(kv, &[("Authorization", &bearer(&kv_sys))]), Expect::Is(RbacDenied), None),
        ("kv expired", &later, "vm-web", get(kv, &[("Authorization", &bearer(&kv_ok))]), Expect::Is(TokenExpired), None),
        ("blob no token", &w, "vm-web", get(blob, &[]), Expect::Is(WrongAudience), None),
        ("blob arm token", &w, "vm-web", get(blob, &[("Authorization", &bearer(&arm))]), Expect::Is(WrongAudience), None),
        ("blob 403", &w, "vm-web", get(blob, &[("Authorization", &bearer(&st_sys))]), Expect::Is(RbacDenied), None),
        ("blob expired", &later, "vm-web", get(blob, &[("Authorization", &bearer(&st_sys))]), Expect::Is(TokenExpired), None),
        ("imds other path", &w, "vm-web", get("http://169.254.169.254/metadata/identity/oauth2/tokens?api-version=2018-02-01", &m), Expect::Is(EndpointUnavailable), Some(EndpointKind::Imds)),
        ("app service 405", &w, "app-shop", { let mut r = get("http://localhost:4141/MSI/token?resource=https://vault.azure.net&api-version=2019-08-01", &[]); r.method = "POST".into(); r }, Expect::Is(EndpointUnavailable), Some(EndpointKind::AppService)),
        ("app service api-version", &w, "app-shop", get("http://localhost:4141/MSI/token?resource=https://vault.azure.net&api-version=2018-01-01", &[]), Expect::Is(EndpointUnavailable), Some(EndpointKind::AppService)),
        ("app service no resource", &w, "app-shop", get("http://localhost:4141/MSI/token?api-version=2019-08-01", &[("X-IDENTITY-HEADER", &w.compute("app-shop").unwrap().identity_header)]), Expect::Is(UnknownResource), Some(EndpointKind::AppService)),
        ("arc 405", &w, "srv", { let mut r = get("http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://vault.azure.net", &m); r.method = "POST".into(); r }, Expect::Is(EndpointUnavailable), Some(EndpointKind::Arc)),
        ("arc no metadata", &w, "srv", get("http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://vault.azure.net", &[]), Expect::Is(MetadataHeaderMissing), Some(EndpointKind::Arc)),
        ("arc no api-version", &w, "srv", get("http://localhost:40342/metadata/identity/oauth2/token?resource=https://vault.azure.net", &m), Expect::Is(EndpointUnavailable), Some(EndpointKind::Arc)),
        ("arc no resource", &w, "srv", get("http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01", &m), Expect::Is(UnknownResource), Some(EndpointKind::Arc)),
        ("connection refused", &w, "vm-web", get("http://localhost:4141/MSI/token?resource=x&api-version=2019-08-01", &[]), Expect::Is(EndpointUnreachable), None),
        ("unknown host", &w, "vm-web", get("https://nope.vault.azure.net/secrets/x", &[]), Expect::Is(EndpointUnreachable), None),
    ];
    for (what, world, host, req, expect, kind) in cases {
        let ex = endpoint::send(world, &mut st, host, &req);
        check(what, &ex.wire(), expect, &mut failures);
        if let (Some(kind), Some(r)) = (kind, &ex.response) {
            for (who, message) in reading_errors(kind, r) {
                check(&format!("{what} / {who}"), &message, expect, &mut failures);
            }
        }
    }
    // Arc with the key file, for a resource Entra does not know.
    let mut arc = EndpointState::new();
    let first = get("http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=api://nope", &m);
    let challenge = endpoint::send(&w, &mut arc, "srv", &first);
    let retry =
        endpoint::arc::retry_after_challenge(&arc, &first, challenge.response.as_ref().unwrap())
            .unwrap();
    let ex = endpoint::send(&w, &mut arc, "srv", &retry);
    check(
        "arc unknown resource",
        &ex.wire(),
        Expect::Is(UnknownResource),
        &mut failures,
    );
    for (who, message) in reading_errors(EndpointKind::Arc, ex.response.as_ref().unwrap()) {
        check(
            &format!("arc unknown resource / {who}"),
            &message,
            Expect::Is(UnknownResource),
            &mut failures,
        );
    }
    // SQL sign-in: no user, wrong audience, expired.
    let claims = |t: &str| endpoint::dataplane::decode_claims(t).unwrap();
    let sql_sys = token("https://database.windows.net/", "");
    for (what, world, t, expect) in [
        ("sql no user", &w, &sql_sys, Is(SqlUserMissing)),
        ("sql arm token", &w, &arm, Is(SqlUserMissing)),
        ("sql expired", &later, &sql_sys, Is(TokenExpired)),
    ] {
        let s = endpoint::dataplane::sql_sign_in(world, "db", &claims(t));
        assert!(!s.ok, "{what}");
        check(what, &s.message, expect, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

use Expect::Is;

// ------------------------------------------------------------------ deep links

/// Sends the request of an IMDS-page link as the page does: its scenario, host, request,
/// faults and start time. Returns the request and the answer, as one would paste them.
fn follow_imds_link(f: &Fragment) -> String {
    let actions = match f.get("scenario") {
        Some(s) => parse_actions(s).unwrap_or_else(|e| panic!("scenario: {e}")),
        None => default_scenario_actions(),
    };
    let start: u64 = f.get("t").unwrap().parse().unwrap();
    let world = World::replay(DEFAULT_SEED, start, &actions).unwrap();
    let host = f.get("host").unwrap();
    let env = hosts::host_endpoint(world.compute(host).expect("host exists")).env;
    let text = f.get("req").unwrap();
    let req = endpoint::parse::parse_any(text, &env).unwrap_or_else(|e| panic!("request: {e}"));
    let mut st = EndpointState::new();
    for code in f.get("faults").unwrap_or_default().split(',') {
        match code {
            "410" => st.faults.updating = true,
            "429" => st.faults.rate_limit = true,
            "500" => st.faults.server_error = true,
            _ => {}
        }
    }
    // The page sends a burst while throttling is on, until the first 429.
    let mut ex = endpoint::send(&world, &mut st, host, &req);
    for _ in 0..64 {
        if !st.faults.rate_limit || ex.response.as_ref().map(|r| r.status) == Some(429) {
            break;
        }
        ex = endpoint::send(&world, &mut st, host, &req);
    }
    // What someone would paste from the page: the request and its answer.
    format!("{text}\n{}", ex.wire())
}

#[test]
fn every_deep_link_reproduces_its_cause() {
    let mut failures = Vec::new();
    for cause in Cause::ALL {
        let Some(r) = reproduce(cause) else {
            assert!(
                matches!(cause, Cause::SqlUserMissing | Cause::Unknown),
                "{} has a reproduction",
                cause.id()
            );
            continue;
        };
        let f = Fragment::parse(&r.link);
        assert_eq!(Fragment::parse(&f.to_hash()), f, "{}", r.link);
        let wire = match f.path.as_str() {
            "/imds" if f.get("env").is_some() => follow_source_link(&f),
            "/imds" => follow_imds_link(&f),
            "/flows" => {
                let view = crate::flows::FlowsView::from_fragment(&f);
                let lane = crate::flows::play(view.focus, view.step(view.focus), START);
                let access = lane.access.expect("the step reads the secret");
                format!("{}\r\n\r\n{}", access.status_line, access.body)
            }
            other => panic!("unexpected page {other}"),
        };
        check(
            &format!("{} via {}", cause.id(), r.label),
            &wire,
            Is(cause),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The answer the source panel shows for a link with `env=`, `sdk=` and `situation=`.
fn follow_source_link(f: &Fragment) -> String {
    use crate::endpoint::detect::{self, DetectOptions, DetectSdk};
    let vars = detect::parse_env(f.get("env").unwrap_or_default()).vars;
    let sdk = DetectSdk::from_code(f.get("sdk").unwrap_or_default()).expect("an sdk");
    let d = detect::detect(&vars, sdk, &DetectOptions::default());
    let ctx = crate::diagnose::situation_context(
        &vars,
        d.chosen,
        f.get("situation").unwrap_or_default(),
        START,
    );
    endpoint::sources::answer(d.chosen, d.request.as_ref().expect("a request"), &ctx)
        .expect("an answer")
        .wire()
}

/// The two values the links carry are the simulator's own (like token/samples.rs).
#[test]
fn the_links_constants_are_the_simulators() {
    let w = World::default_scenario(START);
    let orders = w.identity("id-orders").unwrap().sp.clone();
    assert_eq!(ORDERS_OBJECT_ID, orders.principal_id);
    let minted = endpoint::send(
        &w,
        &mut EndpointState::new(),
        "vm-web",
        &get(
            &format!("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id={}", orders.client_id),
            &[("Metadata", "true")],
        ),
    )
    .token
    .unwrap()
    .jwt;
    assert_eq!(ORDERS_VAULT_TOKEN, minted);
    // Both tokens are demo tokens: they may live in links.
    for t in [ORDERS_VAULT_TOKEN, crate::token::samples::SAMPLES[0].1] {
        assert!(crate::token::samples::names_demo_key(&crate::token::read(
            t, 0
        )));
    }
}

// ------------------------------------------------------------------ ranking and ambiguity

#[test]
fn identity_not_found_alone_asks_whether_a_selector_was_sent() {
    let ex =
        explain("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");
    assert_eq!(ex.top, Cause::NoIdentity);
    assert_eq!(ex.candidates.len(), 1);
    assert_eq!(ex.candidates[0].cause, Cause::IdentityNotFound);
    assert_eq!(ex.candidates[0].check, Cause::IdentityNotFound.check());
    assert!(ex.candidates[0]
        .why
        .starts_with("IMDS answers \"Identity not found\" both"));
    // A selector in the text (a logged request) settles it.
    let with = explain("GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id=6d3b2f4a-8c1e-4b7a-9f2d-1a5e8c3b7d90\n400 {\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");
    assert_eq!(with.top, Cause::IdentityNotFound);
    assert_eq!(with.candidates[0].cause, Cause::NoIdentity);
    assert!(with.candidates[0]
        .why
        .contains("client_id=6d3b2f4a-8c1e-4b7a-9f2d-1a5e8c3b7d90"));
    assert_eq!(
        with.extracted.client_ids,
        ["6d3b2f4a-8c1e-4b7a-9f2d-1a5e8c3b7d90"]
    );
}

#[test]
fn a_wrapper_loses_to_the_body_it_wraps() {
    // Python's sync client says "no response from the IMDS endpoint" even when IMDS answered.
    let ex = explain("ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint. Token request error: (invalid_request) Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request");
    assert_eq!(ex.top, Cause::MultipleIdentities);
    assert_eq!(ex.decided_by, Some("imds-multiple"));
    assert!(ex.matched.contains(&"py-imds-no-response"));
    // Alone, the wrapper means what it says.
    assert_eq!(
        top("ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint."),
        Cause::EndpointUnreachable
    );
}

#[test]
fn a_default_azure_credential_aggregate_is_explained_by_its_managed_identity_line() {
    let text = "DefaultAzureCredential failed to retrieve a token from the included credentials.\nAttempted credentials:\n\tEnvironmentCredential: EnvironmentCredential authentication unavailable. Environment variables are not fully configured.\n\tManagedIdentityCredential: App Service managed identity configuration not found in environment. Token request error: (invalid_scope) 400, No Managed Identity found for specified ClientId/ResourceId/PrincipalId.\n\tAzureCliCredential: Azure CLI not found on path\nTo mitigate this issue, please refer to the troubleshooting guidelines here at https://aka.ms/azsdk/python/identity/defaultazurecredential/troubleshoot.";
    let ex = explain(text);
    assert_eq!(ex.top, Cause::IdentityNotFound);
    assert_eq!(ex.matched.last(), Some(&"py-dac-aggregate"));
    // Without a managed-identity line the aggregate says nothing, and the page says what to paste.
    let ex = explain(entry("py-dac-aggregate").unwrap().sample);
    assert_eq!(ex.top, Cause::Unknown);
    assert!(ex.suggestion().contains("ManagedIdentityCredential line"));
}

#[test]
fn gos_wording_settles_identity_not_found() {
    let body = "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}";
    let system = explain(&format!(
        "ManagedIdentityCredential: failed to authenticate a system assigned identity. The endpoint responded with {body}"
    ));
    assert_eq!(
        (system.top, system.decided_by),
        (Cause::NoIdentity, Some("go-system-assigned-failed"))
    );
    assert!(system.candidates.is_empty(), "{:?}", system.candidates);
    let user = explain(entry("go-requested-not-assigned").unwrap().sample);
    assert_eq!(user.top, Cause::IdentityNotFound);
    assert!(user.candidates.is_empty(), "{:?}", user.candidates);
    // But Go's system-assigned wording around another body keeps that body's cause.
    assert_eq!(
        top("ManagedIdentityCredential: failed to authenticate a system assigned identity. The endpoint responded with {\"error\":\"invalid_request\",\"error_description\":\"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request\"}"),
        Cause::MultipleIdentities
    );
}

#[test]
fn wrapped_and_reformatted_texts_still_match() {
    // A log that wrapped the line, and a JSON-escaped copy.
    assert_eq!(
        top("ManagedIdentityCredential: failed to authenticate a system assigned identity.\nThe endpoint responded with {\"error\":\"invalid_request\",\n\"error_description\":\"Multiple user assigned identities exist,\nplease specify the clientId / resourceId of the identity in the\ntoken request\"}"),
        Cause::MultipleIdentities
    );
    assert_eq!(
        top("{\"message\":\"Login failed for user '<token-identified principal>'.\\r\\n   The server is NOT currently configured to accept this token.\"}"),
        Cause::WrongAudience
    );
    // Codes are bounded by digits.
    assert_eq!(
        top("AADSTS700213: No matching federated identity record"),
        Cause::FederatedMismatch
    );
    assert_eq!(explain("AADSTS700213: x").matched, ["aadsts700213"]);
}

#[test]
fn unknown_text_says_what_to_paste() {
    for text in [
        "",
        "   ",
        "hello world",
        "NullReferenceException at Foo.Bar()",
    ] {
        let ex = explain(text);
        assert_eq!(ex.top, Cause::Unknown, "{text}");
        assert!(ex.candidates.is_empty() && ex.matched.is_empty() && !ex.is_token);
        assert!(ex.suggestion().starts_with("Nothing here matches"));
        assert_eq!(ex.fix(), "");
        assert_eq!(ex.decided_by, None);
    }
}

// ------------------------------------------------------------------ extraction and fixes

#[test]
fn key_vault_403_names_everything_the_fix_needs() {
    let ex = explain(entry("kv-forbidden-by-rbac").unwrap().sample);
    let x = &ex.extracted;
    assert_eq!(x.client_ids, ["6d3b2f4a-8c1e-4b7a-9f2d-1a5e8c3b7d90"]);
    assert_eq!(x.object_ids, ["c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13"]);
    assert_eq!(x.tenant_ids, ["8f3a2c1d-4b5e-4f6a-9c8d-7e1f2a3b4c5d"]);
    assert_eq!(
        x.resource_ids,
        ["/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourcegroups/rg-orders/providers/microsoft.keyvault/vaults/kv-orders/secrets/db-password"]
    );
    assert_eq!(
        x.roles,
        ["Microsoft.KeyVault/vaults/secrets/getSecret/action"]
    );
    let fix = ex.fix();
    assert!(fix.contains("az role assignment list --assignee c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13 --all -o table"), "{fix}");
    assert!(fix.contains("az role assignment create --assignee-object-id c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13 --assignee-principal-type ServicePrincipal --role \"Key Vault Secrets User\" --scope /subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourcegroups/rg-orders/providers/microsoft.keyvault/vaults/kv-orders\n"), "{fix}");
    assert!(
        fix.contains(
            "az keyvault set-policy -n kv-orders --object-id c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13"
        ),
        "{fix}"
    );
}

#[test]
fn arm_authorization_failed_gives_the_scope() {
    let ex = explain(entry("arm-authorization-failed").unwrap().sample);
    assert_eq!(
        ex.extracted.object_ids,
        ["c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13"]
    );
    assert!(
        ex.extracted.client_ids.is_empty(),
        "'The client' is not labelled"
    );
    assert_eq!(
        ex.extracted.roles,
        ["Microsoft.Resources/subscriptions/resourceGroups/read"]
    );
    assert!(ex.fix().contains("--role \"<role>\" --scope /subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-orders\n"));
}

#[test]
fn audiences_assertions_and_selectors_are_read() {
    let ex = explain(entry("kv-akv10022").unwrap().sample);
    assert_eq!(ex.extracted.resources, ["https://management.azure.com/"]);
    let ex = explain(entry("imds-invalid-resource").unwrap().sample);
    assert_eq!(ex.extracted.resources, ["https://vault.azure.net/.default"]);
    assert_eq!(ex.extracted.scopes, ["https://vault.azure.net/.default"]);
    assert!(ex
        .fix()
        .contains("az account get-access-token --resource https://vault.azure.net/.default"));
    let ex = explain(entry("cloudshell-audience").unwrap().sample);
    assert_eq!(ex.extracted.resources, ["https://contoso.example/api"]);
    let ex = explain(entry("aadsts70021").unwrap().sample);
    let a = &ex.extracted.assertion;
    assert_eq!(
        a.issuer.as_deref(),
        Some("https://oidc.prod-aks.azure.com/5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a/")
    );
    assert_eq!(
        a.subject.as_deref(),
        Some("system:serviceaccount:orders:orders-api")
    );
    assert_eq!(a.audience.as_deref(), Some("api://AzureADTokenExchange"));
    let fix = ex.fix();
    assert!(fix.contains("--issuer \"https://oidc.prod-aks.azure.com/5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a/\" --subject \"system:serviceaccount:orders:orders-api\""), "{fix}");
    assert!(
        fix.contains("kubectl get serviceaccount orders-api -n orders -o yaml"),
        "{fix}"
    );
    let ex = explain("curl 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&msi_res_id=/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders' -H Metadata:true\n{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");
    assert_eq!(ex.top, Cause::IdentityNotFound);
    assert_eq!(ex.extracted.resources, ["https://vault.azure.net"]);
    assert_eq!(ex.extracted.selectors, ["msi_res_id=/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders"]);
    let fix = ex.fix();
    assert!(fix.contains("az vm identity assign -g rg-orders -n <vm> --identities /subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders"), "{fix}");
}

#[test]
fn values_that_are_not_shell_safe_are_not_filled_in() {
    let ex = explain("AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://x/$(rm -rf ~)'. Assertion Subject: 'a;b'. Assertion Audience: 'api://AzureADTokenExchange'.");
    let fix = ex.fix();
    assert!(
        fix.contains("--issuer \"<issuer>\" --subject \"<subject>\""),
        "{fix}"
    );
}

#[test]
fn tokens_are_found_and_a_pasted_token_is_a_token() {
    let sample = crate::token::samples::SAMPLES[0].1;
    for text in [
        sample.to_string(),
        format!("Authorization: Bearer {sample}"),
        format!("{{\"access_token\":\"{sample}\",\"expires_in\":\"86400\",\"resource\":\"https://management.azure.com/\",\"token_type\":\"Bearer\"}}"),
    ] {
        let ex = explain(&text);
        assert!(ex.is_token, "{text}");
        assert_eq!(ex.extracted.tokens, [sample]);
        assert_eq!(ex.top, Cause::Unknown);
        assert!(ex.suggestion().starts_with("This is a token"));
    }
    // A token inside a long error log is found but the text is not "a token".
    let log = format!(
        "{}\nAuthorization: Bearer {sample}\n{}",
        entry("kv-forbidden-by-rbac").unwrap().sample,
        "x".repeat(2000)
    );
    let ex = explain(&log);
    assert!(!ex.is_token);
    assert_eq!(ex.extracted.tokens, [sample]);
    assert_eq!(ex.top, Cause::RbacDenied);
    // Not a JWT: no token.
    assert!(
        explain("eyJhbGciOi.eyJzdWIiOiIxMjM0")
            .extracted
            .tokens
            .len()
            == 1
    );
    assert!(!explain("eyJhbGciOi.eyJzdWIiOiIxMjM0").is_token);
}

// ------------------------------------------------------------------ robustness and time

#[test]
fn a_mebibyte_of_anything_is_read_in_linear_time() {
    let mut inputs: Vec<(&str, String)> = vec![
        (
            "random text",
            (0..1u32 << 20)
                .map(|i| char::from(b' ' + ((i.wrapping_mul(2_654_435_761) >> 24) % 95) as u8))
                .collect(),
        ),
        ("one letter", "a".repeat(1 << 20)),
        (
            "fragment prefixes",
            "ManagedIdentityCredential authentication unavail ".repeat((1 << 20) / 49),
        ),
        (
            "guids",
            "oid=c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13;".repeat((1 << 20) / 41),
        ),
        ("hex runs", "0".repeat(1 << 20)),
        ("arm ids", "/subscriptions/".repeat((1 << 20) / 15)),
        (
            "markers",
            "resource=audience invalid audience. expected found: action: '".repeat((1 << 20) / 62),
        ),
        ("token starts", "eyJ".repeat((1 << 20) / 3)),
        (
            "token parts",
            "eyJhbGciOiJIUzI1NiJ9.".repeat((1 << 20) / 21),
        ),
        ("escapes", "\\n\\r\\t\\\\".repeat((1 << 20) / 8)),
        ("defaults", "a/.default ".repeat((1 << 20) / 11)),
        ("digits", "AADSTS7002".repeat((1 << 20) / 10)),
    ];
    let all_samples: String = CATALOGUE
        .iter()
        .map(|e| e.sample)
        .collect::<Vec<_>>()
        .join("\n");
    inputs.push((
        "every sample, repeated",
        all_samples.repeat((1 << 20) / all_samples.len() + 1),
    ));
    for (what, text) in &inputs {
        let t = std::time::Instant::now();
        let ex = explain(text);
        let took = t.elapsed();
        // Unoptimised builds are slower; the release figure is in examples/bench_troubleshoot.rs.
        assert!(took.as_millis() < 3000, "{what}: {took:?}");
        assert!(ex.candidates.len() <= 4 + Cause::ALL.len());
        for list in [
            &ex.extracted.object_ids,
            &ex.extracted.resources,
            &ex.extracted.tokens,
            &ex.extracted.resource_ids,
        ] {
            assert!(list.len() <= MAX_ITEMS, "{what}");
        }
    }
}

#[test]
fn oversized_texts_are_cut_at_a_character_boundary() {
    let text = format!("{}é{}", "a".repeat(MAX_INPUT - 1), "Identity not found");
    let ex = explain(&text);
    assert!(ex.truncated);
    assert_eq!(ex.top, Cause::Unknown);
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_is_deterministic(s in "(\\PC|[\\\\\"'\\n\\r\\t=:;/-]|AADSTS|eyJ|client_id=|/subscriptions/|Identity not found){0,64}") {
            let a = explain(&s);
            prop_assert_eq!(&a, &explain(&s));
            let _ = a.fix();
            let _ = a.suggestion();
            for c in &a.candidates {
                let _ = a.fix_for(c.cause);
            }
        }

        #[test]
        fn a_known_text_inside_noise_is_still_found(i in 0usize..200, pre in "[ -~\\n]{0,40}", post in "[ -~\\n]{0,40}") {
            let e = &CATALOGUE[i % CATALOGUE.len()];
            let ex = explain(&format!("{pre}\n{}\n{post}", e.sample));
            prop_assert!(ex.matched.contains(&e.id));
        }
    }
}

#[test]
fn layers_are_ordered() {
    assert!(
        Layer::Body > Layer::Message
            && Layer::Message > Layer::Status
            && Layer::Status > Layer::Wrapper
    );
}
