//! Mechanical coverage: every error the simulator can answer, found by sending it a grid of
//! requests from every host of a world that has every kind of host (none, one, several
//! identities; VM, App Service, Functions, Container Apps, Arc), plus the data planes with
//! every kind of bad token — not a hand-written list of bodies. Each error response, and every
//! SDK's reading of it ("What each SDK does"), must be explained, and by the right cause.
//!
//! "Right" comes from what the simulator itself recorded ([`Why`]) or from what the test
//! sent (the data planes): a new refusal in the simulator (a new `Why::Said`) fails here until
//! it is given its cause below, and the troubleshooter learns its text.

use std::collections::BTreeMap;

use super::*;
use crate::cloud::{dsl::parse_actions, EndpointKind, World, DEFAULT_SCENARIO, DEFAULT_SEED};
use crate::endpoint::{
    self, dataplane, hosts, http::HttpResponse, sdk, state::Why, EndpointState, Exchange,
    HttpRequest, Url,
};
use serde_json::{json, Map, Value};

/// When the world starts (2025-12-01T00:00:00Z).
const START: u64 = 1_764_547_200;

/// Every kind of host, with no, one and several identities, and a storage account and a SQL
/// database beside the default scenario's vault.
const EXTRA: &str = "c:vm:rg-playground:vm-batch;ua:vm-batch:id-orders;ua:vm-batch:id-reports;\
c:vm:rg-playground:vm-bare;c:vm:rg-playground:vm-one;ua:vm-one:id-reports;ua:app-shop:id-orders;\
c:app:rg-playground:app-bare;c:app:rg-playground:app-ua;ua:app-ua:id-reports;\
c:func:rg-playground:fn-bare;c:aca:rg-playground:aca-ua;ua:aca-ua:id-orders;\
c:arc:rg-playground:srv-arc;\
t:st:rg-playground:stdemo;t:sql:rg-playground:db";

fn world() -> World {
    let mut actions = parse_actions(DEFAULT_SCENARIO).unwrap();
    actions.extend(parse_actions(EXTRA).unwrap());
    World::replay(DEFAULT_SEED, START, &actions).unwrap()
}

/// What an error means. `Either(a, b)`: the text cannot decide (the request is not in it), so
/// one is on top and the other a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Is(Cause),
    Either(Cause, Cause),
    /// One of these on top (a service that answers alike for several reasons).
    OneOf(&'static [Cause]),
    /// Recognised as a service's answer that is no identity problem (cause `unknown`).
    NotIdentity,
}
use Cause::*;
use Expect::*;

fn holds(expect: Expect, ex: &Explanation) -> bool {
    match expect {
        Is(c) => ex.top == c,
        Either(a, b) => {
            (ex.top == a && ex.candidates.iter().any(|c| c.cause == b))
                || (ex.top == b && ex.candidates.iter().any(|c| c.cause == a))
        }
        OneOf(cs) => cs.contains(&ex.top),
        NotIdentity => ex.not_identity().is_some(),
    }
}

/// The cause of each refusal the simulator words itself. A `Why::Said` missing here fails
/// the test: say what it means.
fn said(s: &str) -> Option<Expect> {
    Some(match s {
        "only GET is allowed" => Is(EndpointUnavailable),
        "api-version is missing" => Is(EndpointUnavailable),
        "api-version is missing or not 2019-08-01" => Is(EndpointUnavailable),
        "IMDS does not know this api-version" => Is(EndpointUnavailable),
        "a query parameter is named twice" => Is(EndpointUnavailable),
        "not the identity endpoint's path" => Is(EndpointUnavailable),
        "the Metadata: true header is missing" => Is(MetadataHeaderMissing),
        "an X-Forwarded-For header: IMDS refuses proxied requests" => Is(MetadataHeaderMissing),
        "the resource parameter is missing" => Is(UnknownResource),
        "Entra knows no such resource (AADSTS500011)" => Is(UnknownResource),
        "Entra knows no such resource; App Service says 500" => {
            Either(UnknownResource, EndpointUnavailable)
        }
        "the X-IDENTITY-HEADER header is missing" => Is(MetadataHeaderMissing),
        "the secret header is missing" => Is(MetadataHeaderMissing),
        "the X-IDENTITY-HEADER value is not this app's IDENTITY_HEADER" => {
            Is(MetadataHeaderMissing)
        }
        "the secret value is not this app's MSI_SECRET" => Is(MetadataHeaderMissing),
        "the selector is ignored: an Arc server has only its system-assigned identity" => {
            Is(IdentityNotFound)
        }
        _ => return None,
    })
}

/// The cause of an erroneous exchange, from the rule the simulator recorded.
fn expectation(kind: EndpointKind, ex: &Exchange) -> Result<Expect, String> {
    let status = ex.response.as_ref().map(|r| r.status);
    Ok(match &ex.why {
        Why::NotFound(Some(_)) if kind == EndpointKind::Imds => {
            Either(IdentityNotFound, NoIdentity)
        }
        Why::NotFound(Some(_)) => Is(IdentityNotFound),
        Why::NotFound(None) if kind == EndpointKind::Imds => Either(NoIdentity, IdentityNotFound),
        Why::NotFound(None) => Is(NoIdentity),
        Why::Ambiguous => Is(MultipleIdentities),
        Why::NoSystemIdentity => Either(NoIdentity, MultipleIdentities),
        Why::Challenge => Is(ArcKeyAccess),
        Why::Retry(_) if status == Some(429) => Is(Throttled),
        // App Service words a failing token service and an unknown resource alike.
        Why::Retry(_) if kind != EndpointKind::Imds && status == Some(500) => {
            Either(EndpointUnavailable, UnknownResource)
        }
        Why::Retry(_) => Is(EndpointUnavailable),
        Why::Unreachable(_) => Is(EndpointUnreachable),
        Why::Unknown if ex.response.is_none() => Is(EndpointUnreachable),
        Why::Said(s) => said(s).ok_or_else(|| format!("Why::Said({s:?}) has no cause: add one"))?,
        other => return Err(format!("an error recorded as {other:?}")),
    })
}

/// Every client's error message for `r`.
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

/// Collects distinct texts with what they must mean, and checks them at the end.
#[derive(Default)]
struct Seen {
    /// text → (what produced it, expectation)
    texts: BTreeMap<String, (String, Expect)>,
    conflicts: Vec<String>,
}

impl Seen {
    fn add(&mut self, what: String, text: String, expect: Expect) {
        // The same words from two different situations must allow one answer: the stricter
        // of two `Either`s over the same causes is fine, anything else is a conflict to
        // resolve in the expectations.
        if let Some((w0, e0)) = self.texts.get(&text) {
            if *e0 != expect && !compatible(*e0, expect) {
                self.conflicts.push(format!(
                    "the same text means {e0:?} ({w0}) and {expect:?} ({what}):\n  {}",
                    text.chars().take(200).collect::<String>()
                ));
            }
            return;
        }
        self.texts.insert(text, (what, expect));
    }

    fn check(self) -> (usize, Vec<String>) {
        let mut failures = self.conflicts;
        for (text, (what, expect)) in &self.texts {
            let ex = explain(text);
            if !holds(*expect, &ex) {
                failures.push(format!(
                    "{what}: expected {expect:?}, got {} (candidates {:?}, matched {:?})\n  text: {}",
                    ex.top.id(),
                    ex.candidates.iter().map(|c| c.cause.id()).collect::<Vec<_>>(),
                    ex.matched,
                    text.chars().take(300).collect::<String>()
                ));
            }
        }
        (self.texts.len(), failures)
    }
}

fn compatible(a: Expect, b: Expect) -> bool {
    let set = |e: Expect| -> Vec<Cause> {
        match e {
            Is(c) => vec![c],
            Either(a, b) => vec![a, b],
            OneOf(cs) => cs.to_vec(),
            NotIdentity => vec![Unknown],
        }
    };
    let (sa, sb) = (set(a), set(b));
    sa.iter().any(|c| sb.contains(c))
}

/// Adds an erroneous exchange (its wire text, and each SDK's reading of its response).
fn add_exchange(seen: &mut Seen, what: &str, kind: EndpointKind, ex: &Exchange) {
    let failed = ex.response.as_ref().is_none_or(|r| r.status >= 400);
    if !failed {
        return;
    }
    let expect = match expectation(kind, ex) {
        Ok(e) => e,
        Err(e) => {
            seen.conflicts.push(format!("{what}: {e}"));
            return;
        }
    };
    // The status line, headers and body as a network trace shows them; without the request,
    // whose selector would settle what the body alone cannot.
    seen.add(what.to_string(), ex.wire(), expect);
    if let Some(r) = &ex.response {
        for (who, message) in reading_errors(kind, r) {
            seen.add(format!("{what} / {who}"), message, expect);
        }
    }
}

/// (method, URL, headers)
type Variant = (String, String, Vec<(String, String)>);
/// (what, the token's claims or none, the causes its problems allow)
type TokenCase = (String, Option<Map<String, Value>>, Vec<Cause>);

fn request(method: &str, url: &str, headers: &[(String, String)]) -> Option<HttpRequest> {
    let h: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut r = HttpRequest::get(Url::parse(url).ok()?, &h);
    r.method = method.to_string();
    Some(r)
}

#[test]
fn every_error_the_simulator_can_answer_is_explained_by_its_cause() {
    let w = world();
    let mut seen = Seen::default();
    let mut sent = 0usize;
    let mut errors = 0usize;

    let ids: Vec<_> = w.identities.iter().collect();
    let unknown_guid = "00000000-1111-4222-8333-444444444444";
    // Selectors: none, every identity by each of its names, an object id sent as a client
    // id, unknown ones.
    let mut selectors: Vec<String> = vec![String::new()];
    for i in &ids {
        let arm = w.identity_arm_id(i).to_arm_string();
        selectors.push(format!("&client_id={}", i.sp.client_id));
        selectors.push(format!("&object_id={}", i.sp.principal_id));
        selectors.push(format!("&principal_id={}", i.sp.principal_id));
        selectors.push(format!("&msi_res_id={arm}"));
        selectors.push(format!("&mi_res_id={arm}"));
    }
    if let Some(i) = ids.first() {
        selectors.push(format!("&client_id={}", i.sp.principal_id));
    }
    selectors.push(format!("&client_id={unknown_guid}"));
    selectors.push(format!("&clientid={unknown_guid}"));
    let resources = [
        "",
        "&resource=https://management.azure.com/",
        "&resource=https://vault.azure.net",
        "&resource=api://nope",
        "&resource=https://vault.azure.net/.default",
    ];
    let api_versions = [
        "",
        "api-version=2018-02-01",
        "api-version=2019-08-01",
        "api-version=2017-09-01",
        "api-version=2020-06-01",
        "api-version=2019-11-01",
        "api-version=1999-01-01",
    ];

    for (host, kind) in w.hosts() {
        let he = hosts::host_endpoint(host);
        let secret = host.identity_header.clone();
        let h = |k: &str, v: &str| (k.to_string(), v.to_string());
        let header_sets: Vec<Vec<(String, String)>> = vec![
            vec![],
            vec![h("Metadata", "true")],
            vec![h("Metadata", "true"), h("X-Forwarded-For", "10.0.0.4")],
            vec![h("X-IDENTITY-HEADER", &secret)],
            vec![h("X-IDENTITY-HEADER", "wrong")],
            vec![h("secret", &secret)],
            vec![h("secret", "wrong")],
        ];
        // The grid, with one endpoint state per host: repeated successes come from its cache.
        let mut st = EndpointState::new();
        for headers in &header_sets {
            for api in api_versions {
                for resource in resources {
                    for sel in &selectors {
                        let url = format!("{}?{api}{resource}{sel}", he.url);
                        let Some(req) = request("GET", &url, headers) else {
                            continue;
                        };
                        let ex = endpoint::send(&w, &mut st, &host.name, &req);
                        sent += 1;
                        if ex.response.as_ref().is_none_or(|r| r.status >= 400) {
                            errors += 1;
                        }
                        add_exchange(
                            &mut seen,
                            &format!("{} GET {url} {headers:?}", host.name),
                            kind,
                            &ex,
                        );
                    }
                }
            }
        }
        // One thing off a good request at a time: the verb, the path, a parameter twice, a
        // fault, the wrong endpoint for this host.
        let good_api = match kind {
            EndpointKind::Imds => "2018-02-01",
            EndpointKind::Arc => "2020-06-01",
            _ => "2019-08-01",
        };
        let good_headers = match kind {
            EndpointKind::Imds | EndpointKind::Arc => vec![h("Metadata", "true")],
            _ => vec![h("X-IDENTITY-HEADER", &secret)],
        };
        let q = format!("api-version={good_api}&resource=https://vault.azure.net");
        let imds_url = "http://169.254.169.254/metadata/identity/oauth2/token";
        let mut variants: Vec<Variant> = vec![
            ("POST".into(), format!("{}?{q}", he.url), good_headers.clone()),
            ("GET".into(), format!("{}s?{q}", he.url), good_headers.clone()),
            ("GET".into(), format!("{}?{q}&{q}", he.url), good_headers.clone()),
            ("GET".into(), format!("{}?{q}&resource=https://management.azure.com/", he.url), good_headers.clone()),
            ("GET".into(), format!("{imds_url}?api-version=2018-02-01&resource=https://vault.azure.net"), vec![h("Metadata", "true")]),
            ("GET".into(), "http://169.254.169.254:8080/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net".to_string(), vec![h("Metadata", "true")]),
            ("GET".into(), "http://localhost:42356/msi/token?api-version=2019-08-01&resource=https://vault.azure.net".to_string(), vec![h("X-IDENTITY-HEADER", &secret)]),
            ("GET".into(), "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://vault.azure.net".to_string(), vec![h("Metadata", "true")]),
        ];
        for (k, v) in &he.env {
            if k.ends_with("ENDPOINT") && v.starts_with("http") {
                variants.push(("GET".into(), format!("{v}?{q}"), good_headers.clone()));
            }
        }
        for (method, url, headers) in &variants {
            let Some(req) = request(method, url, headers) else {
                continue;
            };
            let ex = endpoint::send(&w, &mut EndpointState::new(), &host.name, &req);
            sent += 1;
            add_exchange(
                &mut seen,
                &format!("{} {method} {url}", host.name),
                kind,
                &ex,
            );
        }
        // Faults: each alone; throttling as a burst until the first 429.
        for fault in 0..3 {
            let mut st = EndpointState::new();
            match fault {
                0 => st.faults.updating = true,
                1 => st.faults.rate_limit = true,
                _ => st.faults.server_error = true,
            }
            let Some(req) = request("GET", &format!("{}?{q}", he.url), &good_headers) else {
                continue;
            };
            for _ in 0..64 {
                let ex = endpoint::send(&w, &mut st, &host.name, &req);
                sent += 1;
                let done = ex.response.as_ref().is_none_or(|r| r.status >= 400);
                add_exchange(
                    &mut seen,
                    &format!("{} fault {fault}", host.name),
                    kind,
                    &ex,
                );
                if done || !st.faults.rate_limit {
                    break;
                }
            }
        }
        // Arc: the challenge followed, for every resource and selector.
        if kind == EndpointKind::Arc {
            for resource in resources {
                for sel in &selectors {
                    let mut st = EndpointState::new();
                    let url = format!("{}?api-version=2020-06-01{resource}{sel}", he.url);
                    let Some(first) = request("GET", &url, &good_headers) else {
                        continue;
                    };
                    let challenge = endpoint::send(&w, &mut st, &host.name, &first);
                    let Some(r) = challenge.response.as_ref() else {
                        continue;
                    };
                    let Some(retry) = endpoint::arc::retry_after_challenge(&st, &first, r) else {
                        continue;
                    };
                    let ex = endpoint::send(&w, &mut st, &host.name, &retry);
                    sent += 2;
                    add_exchange(&mut seen, &format!("{} arc {url}", host.name), kind, &ex);
                }
            }
        }
    }

    // The data planes: every kind of token against every kind of request.
    let tenant = w.tenant.id.clone();
    let orders = w.identity("id-orders").unwrap().sp.clone();
    let web_system = w
        .compute("vm-web")
        .unwrap()
        .system_identity
        .clone()
        .unwrap();
    let claims = |aud: &str, tid: &str, exp: u64, oid: &str, appid: &str| -> Map<String, Value> {
        let v = json!({
            "aud": aud, "iss": format!("https://sts.windows.net/{tid}/"), "tid": tid,
            "exp": exp, "nbf": START - 300, "iat": START - 300, "oid": oid, "sub": oid,
            "appid": appid,
        });
        v.as_object().cloned().unwrap()
    };
    let urls = [
        (
            "https://vault.azure.net",
            "https://kv-contoso-demo.vault.azure.net/secrets/db-password?api-version=7.4",
        ),
        (
            "https://vault.azure.net",
            "https://kv-contoso-demo.vault.azure.net/secrets/nope?api-version=7.4",
        ),
        (
            "https://vault.azure.net",
            "https://kv-contoso-demo.vault.azure.net/keys/k1?api-version=7.4",
        ),
        (
            "https://storage.azure.com",
            "https://stdemo.blob.core.windows.net/data/hello.txt",
        ),
        (
            "https://storage.azure.com",
            "https://stdemo.blob.core.windows.net/data/nope.txt",
        ),
        (
            "https://vault.azure.net",
            "https://nope.vault.azure.net/secrets/x?api-version=7.4",
        ),
        ("https://vault.azure.net", "https://example.com/x"),
    ];
    for (audience, url) in urls {
        let req = request("GET", url, &[]).unwrap();
        let mut token_cases: Vec<TokenCase> = vec![("no token".into(), None, vec![WrongAudience])];
        for aud in [audience, "https://management.azure.com/"] {
            for tid in [tenant.as_str(), "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"] {
                for exp in [START + 3600, START - 60] {
                    for (who, sp) in [("orders", &orders), ("web system", &web_system)] {
                        let mut bad = Vec::new();
                        if aud != audience || tid != tenant {
                            bad.push(WrongAudience);
                        }
                        if exp < START {
                            bad.push(TokenExpired);
                        }
                        let c = claims(aud, tid, exp, &sp.principal_id, &sp.client_id);
                        token_cases.push((
                            format!("aud {aud} tid {tid} exp {exp} {who}"),
                            Some(c),
                            bad,
                        ));
                    }
                }
            }
        }
        for (what, c, bad) in token_cases {
            let ex = dataplane::answer(&w, &mut EndpointState::new(), &req, c.as_ref());
            sent += 1;
            let what = format!("{url} with {what}");
            let Some(r) = &ex.response else {
                seen.add(what, ex.wire(), Is(EndpointUnreachable));
                continue;
            };
            let expect = match r.status {
                401 => OneOf(Box::leak(bad.into_boxed_slice())),
                403 => Is(RbacDenied),
                // The identity worked: a wrong name or path is no identity problem.
                400 | 404 => NotIdentity,
                s if s < 400 => continue,
                s => {
                    seen.conflicts
                        .push(format!("{what}: status {s} has no expectation"));
                    continue;
                }
            };
            errors += 1;
            seen.add(what, ex.wire(), expect);
        }
    }
    // SQL sign-in: every database name and kind of token.
    for db in ["db", "nope"] {
        for aud in [
            "https://database.windows.net/",
            "https://management.azure.com/",
        ] {
            for exp in [START + 3600, START - 60] {
                let c = claims(aud, &tenant, exp, &orders.principal_id, &orders.client_id);
                let s = dataplane::sql_sign_in(&w, db, &c);
                sent += 1;
                if s.ok {
                    continue;
                }
                errors += 1;
                // The server answers "Login failed for user '<token-identified principal>'"
                // for several problems: any of the token's problems, or the missing user.
                let mut could: Vec<Cause> = vec![SqlUserMissing];
                if aud.contains("management") {
                    could.push(WrongAudience);
                }
                if exp < START {
                    could.push(TokenExpired);
                }
                let expect = if db == "nope" {
                    NotIdentity
                } else {
                    OneOf(Box::leak(could.into_boxed_slice()))
                };
                seen.add(format!("sql {db} aud {aud} exp {exp}"), s.message, expect);
            }
        }
    }

    let (distinct, failures) = seen.check();
    println!("{sent} requests, {errors} errors, {distinct} distinct error texts checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        sent > 2000 && distinct > 150,
        "{sent} sent, {distinct} texts"
    );
}
