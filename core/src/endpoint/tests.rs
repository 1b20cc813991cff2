//! Golden tests: exact bytes of every success and error response for a fixed seed and time.
//! Regenerate with `MI_BLESS=1 cargo test -p mi-core golden` and review the diff by eye.

use super::http::{HttpRequest, Url};
use super::*;
use crate::cloud::time::EPOCH;
use crate::cloud::{dsl::parse_actions, World};

fn req(method: &str, url: &str, headers: &[(&str, &str)]) -> HttpRequest {
    let mut r = HttpRequest::get(Url::parse(url).unwrap(), headers);
    r.method = method.to_string();
    r
}

const IMDS: &str = "http://169.254.169.254/metadata/identity/oauth2/token";
const ARM: &str = "https%3A%2F%2Fmanagement.azure.com%2F";

/// The golden scenarios: (name, world, host, requests sent in order on one state).
pub(crate) fn scenarios() -> Vec<(String, String)> {
    let w = World::default_scenario(EPOCH);
    let mut out = Vec::new();
    let orders = w.identity("id-orders").unwrap().sp.clone();
    let reports = w.identity("id-reports").unwrap().sp.clone();
    let run = |out: &mut Vec<(String, String)>,
               world: &World,
               name: &str,
               host: &str,
               reqs: Vec<HttpRequest>| {
        let mut st = EndpointState::new();
        for (i, r) in reqs.iter().enumerate() {
            let ex = send(world, &mut st, host, r);
            out.push((format!("{name}.{i}"), ex.wire()));
        }
    };
    let m = [("Metadata", "true")];
    let imds_q = |q: &str| format!("{IMDS}?api-version=2018-02-01&resource={ARM}{q}");
    run(
        &mut out,
        &w,
        "imds-system",
        "vm-web",
        vec![req("GET", &imds_q(""), &m)],
    );
    run(
        &mut out,
        &w,
        "imds-client-id",
        "vm-web",
        vec![req(
            "GET",
            &imds_q(&format!("&client_id={}", orders.client_id)),
            &m,
        )],
    );
    run(
        &mut out,
        &w,
        "imds-object-id",
        "vm-web",
        vec![req(
            "GET",
            &imds_q(&format!("&object_id={}", reports.principal_id)),
            &m,
        )],
    );
    let orders_id = w.resource_arm_id("id-orders").unwrap().to_arm_string();
    run(
        &mut out,
        &w,
        "imds-msi-res-id",
        "vm-web",
        vec![req("GET", &imds_q(&format!("&msi_res_id={orders_id}")), &m)],
    );
    run(
        &mut out,
        &w,
        "imds-unknown-client-id",
        "vm-web",
        vec![req(
            "GET",
            &imds_q("&client_id=00000000-0000-0000-0000-000000000000"),
            &m,
        )],
    );
    run(
        &mut out,
        &w,
        "imds-no-metadata",
        "vm-web",
        vec![req("GET", &imds_q(""), &[])],
    );
    run(
        &mut out,
        &w,
        "imds-post",
        "vm-web",
        vec![req("POST", &imds_q(""), &m)],
    );
    run(
        &mut out,
        &w,
        "imds-xff",
        "vm-web",
        vec![req(
            "GET",
            &imds_q(""),
            &[("Metadata", "true"), ("X-Forwarded-For", "10.0.0.1")],
        )],
    );
    run(
        &mut out,
        &w,
        "imds-no-api-version",
        "vm-web",
        vec![req("GET", &format!("{IMDS}?resource={ARM}"), &m)],
    );
    run(
        &mut out,
        &w,
        "imds-bad-api-version",
        "vm-web",
        vec![req(
            "GET",
            &format!("{IMDS}?api-version=2099-01-01&resource={ARM}"),
            &m,
        )],
    );
    run(
        &mut out,
        &w,
        "imds-duplicate",
        "vm-web",
        vec![req("GET", &imds_q("&resource=https://vault.azure.net"), &m)],
    );
    run(
        &mut out,
        &w,
        "imds-no-resource",
        "vm-web",
        vec![req("GET", &format!("{IMDS}?api-version=2018-02-01"), &m)],
    );
    run(
        &mut out,
        &w,
        "imds-unknown-resource",
        "vm-web",
        vec![req(
            "GET",
            &format!(
                "{IMDS}?api-version=2018-02-01&resource=https://management.azure.com/.default"
            ),
            &m,
        )],
    );
    let mut later = w.clone();
    later
        .apply(&crate::cloud::Action::AdvanceClock { seconds: 0 })
        .ok();
    // Cache: same token, smaller expires_in after time passes; bypass_cache mints anew.
    {
        let mut st = EndpointState::new();
        let r = req("GET", &imds_q(""), &m);
        let first = send(&w, &mut st, "vm-web", &r);
        let mut w2 = w.clone();
        w2.apply(&crate::cloud::Action::AdvanceClock { seconds: 2104 })
            .unwrap();
        let second = send(&w2, &mut st, "vm-web", &r);
        let third = send(
            &w2,
            &mut st,
            "vm-web",
            &req("GET", &imds_q("&bypass_cache=true"), &m),
        );
        out.push(("imds-cache.0".into(), first.wire()));
        out.push(("imds-cache.1".into(), second.wire()));
        out.push(("imds-cache.2".into(), third.wire()));
    }
    // Selection table.
    let w_none = World::replay(5, EPOCH, &parse_actions("rg:g;c:vm:g:vm").unwrap()).unwrap();
    run(
        &mut out,
        &w_none,
        "imds-no-identity",
        "vm",
        vec![req("GET", &imds_q(""), &m)],
    );
    let w_multi = World::replay(
        5,
        EPOCH,
        &parse_actions("rg:g;c:vm:g:vm;id:g:a;id:g:b;ua:vm:a;ua:vm:b").unwrap(),
    )
    .unwrap();
    run(
        &mut out,
        &w_multi,
        "imds-multiple",
        "vm",
        vec![req("GET", &imds_q(""), &m)],
    );
    let w_one = World::replay(
        5,
        EPOCH,
        &parse_actions("rg:g;c:vm:g:vm;id:g:a;ua:vm:a").unwrap(),
    )
    .unwrap();
    run(
        &mut out,
        &w_one,
        "imds-single-user",
        "vm",
        vec![req("GET", &imds_q(""), &m)],
    );
    // Faults.
    for (name, f) in [
        (
            "imds-fault-410",
            Faults {
                updating: true,
                ..Faults::default()
            },
        ),
        (
            "imds-fault-500",
            Faults {
                server_error: true,
                ..Faults::default()
            },
        ),
    ] {
        let mut st = EndpointState::new();
        st.faults = f;
        out.push((
            name.into(),
            send(&w, &mut st, "vm-web", &req("GET", &imds_q(""), &m)).wire(),
        ));
    }
    {
        let mut st = EndpointState::new();
        st.faults.rate_limit = true;
        let r = req("GET", &imds_q(""), &m);
        let mut last = String::new();
        for _ in 0..21 {
            last = send(&w, &mut st, "vm-web", &r).wire();
        }
        out.push(("imds-fault-429".into(), last));
    }
    // App Service 2019-08-01 and 2017-09-01.
    let app = w.compute("app-shop").unwrap().identity_header.clone();
    let asq = |q: &str| format!("http://localhost:4141/MSI/token?{q}");
    let xh = [("X-IDENTITY-HEADER", app.as_str())];
    run(
        &mut out,
        &w,
        "appsvc-2019",
        "app-shop",
        vec![req(
            "GET",
            &asq("resource=https://management.azure.com&api-version=2019-08-01"),
            &xh,
        )],
    );
    run(
        &mut out,
        &w,
        "appsvc-2019-unknown-resource",
        "app-shop",
        vec![req(
            "GET",
            &asq("resource=api://nope&api-version=2019-08-01"),
            &xh,
        )],
    );
    run(
        &mut out,
        &w,
        "appsvc-2019-bad-selector",
        "app-shop",
        vec![req(
            "GET",
            &asq(&format!(
                "resource=https://vault.azure.net&api-version=2019-08-01&client_id={}",
                orders.client_id
            )),
            &xh,
        )],
    );
    run(
        &mut out,
        &w,
        "appsvc-2019-no-header",
        "app-shop",
        vec![req(
            "GET",
            &asq("resource=https://vault.azure.net&api-version=2019-08-01"),
            &[],
        )],
    );
    run(
        &mut out,
        &w,
        "appsvc-2019-wrong-header",
        "app-shop",
        vec![req(
            "GET",
            &asq("resource=https://vault.azure.net&api-version=2019-08-01"),
            &[("X-IDENTITY-HEADER", "nope")],
        )],
    );
    run(
        &mut out,
        &w,
        "appsvc-2017",
        "app-shop",
        vec![req(
            "GET",
            &asq("resource=https://vault.azure.net&api-version=2017-09-01"),
            &[("secret", app.as_str())],
        )],
    );
    run(
        &mut out,
        &w,
        "appsvc-2017-with-2019-header",
        "app-shop",
        vec![req(
            "GET",
            &asq("resource=https://vault.azure.net&api-version=2017-09-01"),
            &xh,
        )],
    );
    let w_app_ua = World::replay(
        5,
        EPOCH,
        &parse_actions("rg:g;c:func:g:fn;id:g:a;ua:fn:a").unwrap(),
    )
    .unwrap();
    run(
        &mut out,
        &w_app_ua,
        "appsvc-no-system",
        "fn",
        vec![req(
            "GET",
            &asq("resource=https://vault.azure.net&api-version=2019-08-01"),
            &[(
                "X-IDENTITY-HEADER",
                w_app_ua.compute("fn").unwrap().identity_header.as_str(),
            )],
        )],
    );
    // Arc: challenge, then retry with the key file.
    let w_arc = World::replay(5, EPOCH, &parse_actions("rg:g;c:arc:g:srv").unwrap()).unwrap();
    {
        let mut st = EndpointState::new();
        let r = req("GET", "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https%3A%2F%2Fmanagement.azure.com%2F", &m);
        let first = send(&w_arc, &mut st, "srv", &r);
        let resp = first.response.clone().unwrap();
        let retry = arc::retry_after_challenge(&st, &r, &resp).unwrap();
        let second = send(&w_arc, &mut st, "srv", &retry);
        out.push(("arc.0".into(), first.wire()));
        out.push(("arc.1".into(), second.wire()));
    }
    // Not reachable.
    run(
        &mut out,
        &w,
        "appsvc-imds-unreachable",
        "app-shop",
        vec![req("GET", &imds_q(""), &m)],
    );
    out
}

#[test]
fn golden_responses() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/endpoint/golden");
    let bless = std::env::var("MI_BLESS").is_ok();
    let mut failures = Vec::new();
    for (name, wire) in scenarios() {
        let path = format!("{dir}/{name}.http");
        if bless {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(&path, &wire).unwrap();
            continue;
        }
        let expected =
            std::fs::read_to_string(&path).unwrap_or_else(|_| format!("(missing {path})"));
        if expected != wire {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}\n--- got\n{wire}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn minted_tokens_verify_and_have_the_documented_shape() {
    let w = World::default_scenario(EPOCH);
    let mut st = EndpointState::new();
    let (host, r) = hosts::default_scenario_request(&w).unwrap();
    assert_eq!(host, "vm-web");
    let ex = send(&w, &mut st, &host, &r);
    let t = ex.token.unwrap();
    let (signing_input, sig) = t.jwt.rsplit_once('.').unwrap();
    use base64::Engine;
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    assert!(rsa::verify(signing_input.as_bytes(), &sig));
    let keys: Vec<&str> = t.claims.keys().map(String::as_str).collect();
    assert_eq!(&keys[..5], ["aud", "iss", "iat", "nbf", "exp"]);
    let mut rest = keys[5..].to_vec();
    rest.sort();
    assert_eq!(
        rest,
        keys[5..].to_vec(),
        "claims after exp are alphabetical"
    );
    assert_eq!(t.exp - t.iat, 86_700);
    assert_eq!(t.exp - w.now, 86_400);
    assert_eq!(t.claims["uti"].as_str().unwrap().len(), 22);
    assert!(
        t.claims["rh"].as_str().unwrap().starts_with("0.")
            && t.claims["rh"].as_str().unwrap().ends_with('.')
    );
    assert!(t.claims["xms_mirid"].as_str().unwrap().contains(
        "/resourcegroups/rg-playground/providers/Microsoft.Compute/virtualMachines/vm-web"
    ));
    let body = ex.response.unwrap().json().unwrap();
    let obj = body.as_object().unwrap();
    let keys: Vec<&String> = obj.keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(obj.values().all(|v| v.is_string()));
    assert_eq!(
        obj["client_id"],
        w.compute("vm-web")
            .unwrap()
            .system_identity
            .as_ref()
            .unwrap()
            .client_id
            .as_str()
    );
}

#[test]
fn deterministic_across_runs() {
    assert_eq!(scenarios(), scenarios());
}

#[test]
fn dataplane_key_vault() {
    let w = World::default_scenario(EPOCH);
    let mut st = EndpointState::new();
    let orders = w.identity("id-orders").unwrap().sp.client_id.clone();
    let token_for = |st: &mut EndpointState, q: &str| {
        let u = format!("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net{q}");
        send(&w, st, "vm-web", &req("GET", &u, &[("Metadata", "true")]))
            .token
            .unwrap()
            .jwt
    };
    let kv = "https://kv-contoso-demo.vault.azure.net/secrets/db-password?api-version=7.4";
    let sys = token_for(&mut st, "");
    let ex = send(
        &w,
        &mut st,
        "vm-web",
        &req("GET", kv, &[("Authorization", &format!("Bearer {sys}"))]),
    );
    let r = ex.response.unwrap();
    assert_eq!(r.status, 403);
    let sub = &w.subscription.id;
    let sp = w
        .compute("vm-web")
        .unwrap()
        .system_identity
        .clone()
        .unwrap();
    let expected = format!("{{\"error\":{{\"code\":\"Forbidden\",\"message\":\"Caller is not authorized to perform action on resource.\\r\\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\\r\\nCaller: appid={};oid={};iss=https://sts.windows.net/{}/\\r\\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\\r\\nResource: '/subscriptions/{sub}/resourcegroups/rg-playground/providers/microsoft.keyvault/vaults/kv-contoso-demo/secrets/db-password'\\r\\nAssignment: (not found)\\r\\nDenyAssignmentId: null\\r\\nDecisionReason: 'DeniedWithNoValidRBAC' \\r\\nVault: kv-contoso-demo;location=eastus\\r\\n\",\"innererror\":{{\"code\":\"ForbiddenByRbac\"}}}}}}", sp.client_id, sp.principal_id, w.tenant.id);
    assert_eq!(r.body, expected);
    let ord = token_for(&mut st, &format!("&client_id={orders}"));
    let r = send(
        &w,
        &mut st,
        "vm-web",
        &req("GET", kv, &[("Authorization", &format!("Bearer {ord}"))]),
    )
    .response
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.starts_with("{\"value\":\"correct-horse-battery-staple\",\"id\":\"https://kv-contoso-demo.vault.azure.net/secrets/db-password/"));
    // Wrong audience: 401 with the Bearer challenge.
    let arm = send(&w, &mut st, "vm-web", &req("GET", "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/", &[("Metadata", "true")])).token.unwrap().jwt;
    let r = send(
        &w,
        &mut st,
        "vm-web",
        &req("GET", kv, &[("Authorization", &format!("Bearer {arm}"))]),
    )
    .response
    .unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.header("WWW-Authenticate").unwrap(), format!("Bearer authorization=\"https://login.microsoftonline.com/{}\", resource=\"https://vault.azure.net\"", w.tenant.id));
    // Expired: the same token a day later.
    let mut later = w.clone();
    later
        .apply(&crate::cloud::Action::AdvanceClock { seconds: 90_000 })
        .unwrap();
    let r = send(
        &later,
        &mut st,
        "vm-web",
        &req("GET", kv, &[("Authorization", &format!("Bearer {ord}"))]),
    )
    .response
    .unwrap();
    assert_eq!(r.status, 401);
    assert!(r.body.contains("TokenExpired"));
}

#[test]
fn storage_and_sql() {
    let w = World::replay(9, EPOCH, &parse_actions("rg:g;c:vm:g:vm;si:vm;t:st:g:stdemo;t:sql:g:db;id:g:i;ua:vm:i;ra:u:i:sbdr:rg/g;sql:db:s:vm").unwrap()).unwrap();
    let mut st = EndpointState::new();
    let tok = |st: &mut EndpointState, res: &str, sel: &str| {
        let u = format!("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource={res}{sel}");
        send(&w, st, "vm", &req("GET", &u, &[("Metadata", "true")]))
            .token
            .unwrap()
    };
    let blob = "https://stdemo.blob.core.windows.net/data/hello.txt";
    let sys = tok(&mut st, "https://storage.azure.com/", "").jwt;
    let r = send(
        &w,
        &mut st,
        "vm",
        &req(
            "GET",
            blob,
            &[
                ("Authorization", &format!("Bearer {sys}")),
                ("x-ms-version", "2023-11-03"),
            ],
        ),
    )
    .response
    .unwrap();
    assert_eq!(r.status, 403);
    assert!(r.body.contains("AuthorizationPermissionMismatch"));
    let cid = w.identity("i").unwrap().sp.client_id.clone();
    let ui = tok(
        &mut st,
        "https://storage.azure.com/",
        &format!("&client_id={cid}"),
    )
    .jwt;
    let r = send(
        &w,
        &mut st,
        "vm",
        &req("GET", blob, &[("Authorization", &format!("Bearer {ui}"))]),
    )
    .response
    .unwrap();
    assert_eq!((r.status, r.body.as_str()), (200, "Hello from stdemo!"));
    let sql = tok(&mut st, "https://database.windows.net/", "");
    let signed_in = dataplane::sql_sign_in(&w, "db", &sql.claims);
    assert!(signed_in.ok);
    // The login is <client id>@<tenant id>; only USER_NAME() gives the user's name.
    let vm = w.compute("vm").unwrap().system_identity.clone().unwrap();
    assert_eq!(
        signed_in.message,
        format!(
            "Connected to db as [vm]. SELECT USER_NAME() returns 'vm'; SUSER_SNAME() returns '{}@{}'.",
            vm.client_id, w.tenant.id
        )
    );
    let sql_ui = tok(
        &mut st,
        "https://database.windows.net/",
        &format!("&client_id={cid}"),
    );
    let s = dataplane::sql_sign_in(&w, "db", &sql_ui.claims);
    assert!(!s.ok && s.message.contains("18456"));
}

#[test]
fn arc_retry_and_unreachable_endpoints() {
    let w = World::default_scenario(EPOCH);
    let mut st = EndpointState::new();
    let r = req(
        "GET",
        "http://localhost:4141/MSI/token?resource=x&api-version=2019-08-01",
        &[],
    );
    let ex = send(&w, &mut st, "vm-web", &r);
    assert!(ex.connection_error.unwrap().contains("Connection refused"));
    let ex = send(&w, &mut st, "nope", &r);
    assert!(ex.response.is_none());
    let ex = send(
        &w,
        &mut st,
        "vm-web",
        &req("GET", "https://example.com/", &[]),
    );
    assert!(ex
        .connection_error
        .unwrap()
        .contains("Could not resolve host"));
}

mod selection_props {
    use super::super::state::{select, Selection, Selectors};
    use crate::cloud::{ManagedIdentity, ServicePrincipal};
    use proptest::prelude::*;

    fn ident(i: u8, system: bool) -> ManagedIdentity {
        ManagedIdentity {
            sp: ServicePrincipal { principal_id: format!("p{i}"), client_id: format!("c{i}") },
            user_assigned_name: (!system).then(|| format!("u{i}")),
            arm_id: crate::arm::ArmId::parse(&format!("/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u{i}")).unwrap(),
        }
    }

    proptest! {
        #[test]
        fn selection_is_total_and_documented(system in any::<bool>(), users in 0u8..4, cid in proptest::option::of(0u8..6), oid in proptest::option::of(0u8..6), app in any::<bool>()) {
            let mut ids = Vec::new();
            if system { ids.push(ident(0, true)); }
            for i in 1..=users { ids.push(ident(i, false)); }
            let s = Selectors { client_id: cid.map(|c| format!("c{c}")), object_id: oid.map(|o| format!("p{o}")), resource_id: None };
            let out = select(&ids, &s, app);
            match (&out, s.count()) {
                (Selection::Identity { identity, .. }, 0) => {
                    if system { prop_assert!(identity.is_system_assigned()); }
                    else { prop_assert!(!app && users == 1); }
                }
                (Selection::Identity { identity, .. }, _) => {
                    prop_assert!(ids.contains(&**identity));
                    if let Some(c) = &s.client_id { prop_assert_eq!(&identity.sp.client_id, c); }
                    if let Some(o) = &s.object_id { prop_assert_eq!(&identity.sp.principal_id, o); }
                }
                (Selection::Ambiguous, n) => prop_assert!(n == 0 && !system && users >= 2 && !app),
                (Selection::NotFound, 0) => prop_assert!(!system && (users == 0 || app)),
                (Selection::NotFound, _) => prop_assert!(!ids.iter().any(|i| s.client_id.as_ref().is_none_or(|c| *c == i.sp.client_id) && s.object_id.as_ref().is_none_or(|o| *o == i.sp.principal_id))),
            }
        }
    }
}

#[test]
fn app_service_not_found_body_has_the_captured_length() {
    // azure-sdk-for-net#28050 shows this answer with Content-Length: 158.
    let body = super::appservice::error_body(
        400,
        super::appservice::NOT_FOUND,
        "00000000-0000-0000-0000-000000000000",
    );
    assert_eq!(body.len(), 158, "{body}");
}

#[test]
fn imds_accepts_every_documented_api_version() {
    let w = World::default_scenario(EPOCH);
    for v in ["2018-02-01", "2021-08-01", "2023-07-01"] {
        let r = req(
            "GET",
            &format!("{IMDS}?api-version={v}&resource={ARM}"),
            &[("Metadata", "true")],
        );
        let ex = send(&w, &mut EndpointState::new(), "vm-web", &r);
        assert_eq!(ex.response.map(|r| r.status), Some(200), "{v}");
    }
}
