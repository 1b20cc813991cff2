//! Browser tests of the IMDS simulator page.
#![cfg(target_arch = "wasm32")]

use mi_core::cloud::time::{rfc1123, EPOCH};
use mi_core::cloud::World;
use mi_core::endpoint::{self, hosts, imds, EndpointState};
use mi_core::fragment::Fragment;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

fn client_id(world: &World, identity: &str) -> String {
    world.identity(identity).unwrap().sp.client_id.clone()
}

async fn click(app: &Mounted, selector: &str) {
    app.query(selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_ref::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    flush().await;
}

fn textarea_value(app: &Mounted, selector: &str) -> String {
    app.query(selector)
        .unwrap()
        .dyn_ref::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value()
}

/// The default request's exact response in a fresh session of the default world at `start`.
fn default_response(start: u64) -> String {
    let world = World::default_scenario(start);
    let (host, req) = hosts::default_scenario_request(&world).unwrap();
    let ex = endpoint::send(&world, &mut EndpointState::new(), &host, &req);
    ex.response.unwrap().to_wire()
}

#[wasm_bindgen_test]
async fn default_load_runs_on_the_visitors_clock() {
    let before = (js_sys::Date::now() / 1000.0) as u64;
    let app = mount("#/imds").await;
    // The start time is in the address bar (a share link), the browser's now to the minute.
    let t: u64 = Fragment::parse(&current_hash())
        .get("t")
        .expect("t= in the fragment")
        .parse()
        .unwrap();
    assert_eq!(t % 60, 0);
    assert!(
        t <= before && before - t < 60,
        "t={t}, browser clock {before}"
    );
    let raw = app.testid("raw-response");
    assert_eq!(raw, default_response(t));
    assert!(
        raw.contains(&format!("\r\nDate: {}\r\n", rfc1123(t))),
        "{raw}"
    );
    // The token is valid now, as a real one would be.
    assert!(app.testid("validity-status").starts_with("Valid"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_link_with_t_reproduces_its_exact_bytes() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    assert_eq!(app.testid("raw-response"), default_response(EPOCH));
    assert!(current_hash().contains(&format!("t={EPOCH}")));
    app.unmount();
    let app = mount("#/imds?t=soon").await;
    assert!(app.testid("start-error").contains("t=soon"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn default_load_sends_the_default_request() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    let raw = app.testid("raw-response");
    assert!(raw.starts_with("HTTP/1.1 200 OK\r\n"), "{raw}");
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    // Exactly what the core answers to the default request, in a fresh session.
    let world = World::default_scenario(EPOCH);
    let (host, req) = hosts::default_scenario_request(&world).unwrap();
    let ex = endpoint::send(&world, &mut EndpointState::new(), &host, &req);
    assert_eq!(raw, ex.response.unwrap().to_wire());
    let sys = world
        .compute("vm-web")
        .unwrap()
        .system_identity
        .clone()
        .unwrap();
    assert_eq!(app.testid("principal-id"), sys.principal_id);
    assert_eq!(app.testid("client-id"), sys.client_id);
    assert!(app
        .testid("mirid")
        .ends_with("/providers/Microsoft.Compute/virtualMachines/vm-web"));
    // Notes carry certainty badges; SDK readings and the decoder link are there.
    assert!(!app
        .query_all("[data-testid=note] [data-testid=certainty]")
        .is_empty());
    assert_eq!(app.query_all("[data-testid=sdk-reading]").len(), 4);
    let link = app
        .query("[data-testid=open-in-decoder]")
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(link.starts_with("#/decoder?token=eyJ"), "{link}");
    // The host's endpoint and identities.
    assert_eq!(
        app.testid("endpoint-url"),
        "http://169.254.169.254/metadata/identity/oauth2/token"
    );
    assert_eq!(app.query_all("[data-testid=host-identity]").len(), 3);
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_user_assigned_client_id_selector_answers_with_that_identity() {
    let app = mount("#/imds").await;
    app.choose("#imds-selector-kind", "client_id").await;
    assert_eq!(app.testid("identity-kind"), "User-assigned");
    let world = World::default_scenario(EPOCH);
    let reports = client_id(&world, "id-reports");
    app.type_into("#imds-selector-value", &reports).await;
    assert_eq!(app.testid("identity-kind"), "User-assigned");
    assert_eq!(app.testid("client-id"), reports);
    assert!(app
        .testid("mirid")
        .ends_with("/userAssignedIdentities/id-reports"));
    assert!(
        current_hash().contains("client_id%3D"),
        "{}",
        current_hash()
    );
    // The code follows the request.
    app.choose("#imds-code-form", "Python").await;
    assert!(app
        .testid("request-code")
        .contains(&format!("client_id=\"{reports}\"")));
    app.unmount();
}

#[wasm_bindgen_test]
async fn removing_the_metadata_header_gives_the_400() {
    let app = mount("#/imds").await;
    click(&app, "#imds-header-on").await;
    let raw = app.testid("raw-response");
    assert!(raw.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{raw}");
    assert!(raw.ends_with(imds::METADATA_MISSING_BODY), "{raw}");
    assert!(app.query("[data-testid=identity-kind]").is_none());
    assert!(!textarea_value(&app, "#imds-request-text").contains("Metadata"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn pasting_curl_works_and_a_malformed_command_says_where() {
    let app = mount("#/imds").await;
    let world = World::default_scenario(EPOCH);
    let orders = client_id(&world, "id-orders");
    let curl = format!(
        "curl -s -H 'Metadata: true' \\\n  'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id={orders}'"
    );
    app.type_into("#imds-request-text", &curl).await;
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 200 OK"));
    assert_eq!(app.testid("identity-kind"), "User-assigned");
    assert_eq!(app.testid("client-id"), orders);
    // The form follows the pasted request.
    let resource = app
        .query("#imds-resource")
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap()
        .value();
    assert_eq!(resource, "https://vault.azure.net");

    let broken =
        "curl -H 'Metadata: true \\\n  http://169.254.169.254/metadata/identity/oauth2/token";
    app.type_into("#imds-request-text", broken).await;
    let position = app.testid("parse-error-position");
    assert!(position.starts_with("Line "), "{position}");
    assert!(position.contains(", column "), "{position}");
    assert_eq!(textarea_value(&app, "#imds-request-text"), broken);
    // The last good answer stays.
    assert_eq!(app.testid("client-id"), orders);
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_deep_link_reproduces_the_exact_response() {
    let app = mount("#/imds").await;
    app.type_into("#imds-resource", "https://vault.azure.net")
        .await;
    app.choose("#imds-selector-kind", "object_id").await;
    let raw = app.testid("raw-response");
    assert!(raw.starts_with("HTTP/1.1 200 OK"), "{raw}");
    let hash = current_hash();
    assert!(hash.starts_with("#/imds?host=vm-web&req=curl"), "{hash}");
    assert!(hash.contains("&scenario=rg:rg-playground"), "{hash}");
    app.unmount();

    let again = mount(&hash).await;
    assert_eq!(again.testid("raw-response"), raw);
    assert_eq!(again.testid("identity-kind"), "User-assigned");
    again.unmount();
}

#[wasm_bindgen_test]
async fn throttling_gives_429_with_retry_advice() {
    let app = mount("#/imds").await;
    click(&app, "#imds-fault-429").await;
    let raw = app.testid("raw-response");
    assert!(
        raw.starts_with("HTTP/1.1 429 Too Many Requests\r\n"),
        "{raw}"
    );
    assert!(app.testid("burst").contains("times"));
    // Python retries a 429 five times; @azure/identity 4.13 does not retry it (replayed).
    let retries = |sdk: &str| {
        app.query(&format!(
            "[data-testid=sdk-reading][data-sdk={sdk}] [data-testid=sdk-retries]"
        ))
        .and_then(|e| e.text_content())
        .unwrap_or_default()
    };
    assert!(
        retries("python").starts_with("5 retries, after 0, 1.6, 3.2, 6.4 and 12.8 s"),
        "{}",
        retries("python")
    );
    assert_eq!(retries("javascript"), "No retry");
    assert!(current_hash().contains("faults=429"));
    click(&app, "#imds-fault-429").await;
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 200 OK"));
    click(&app, "#imds-fault-410").await;
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 410 Gone"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn arc_challenge_then_retry_with_the_key_file() {
    let app = mount("#/imds?host=arc-1&scenario=rg:rg-playground;c:arc:rg-playground:arc-1").await;
    let raw = app.testid("raw-response");
    assert!(raw.starts_with("HTTP/1.1 401"), "{raw}");
    assert!(app
        .testid("arc-retry-request")
        .contains("Authorization: Basic "));
    app.click_button("Retry with the key file").await;
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 200 OK"));
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_scenario_can_be_edited_here() {
    let app = mount("#/imds").await;
    click(&app, "#imds-toggle-system").await;
    assert!(!app.testid("action-result").is_empty());
    // No system-assigned identity and two user-assigned ones: no selector is ambiguous.
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 400"));
    assert!(
        current_hash().contains("%3B-si:vm-web"),
        "{}",
        current_hash()
    );
    click(&app, "#imds-toggle-system").await;
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    // A refused action says why.
    app.type_into("#imds-new-identity", "id-orders").await;
    app.click_button("Create and assign to vm-web").await;
    assert!(!app.testid("action-error").is_empty());
    app.type_into("#imds-new-identity", "id-batch").await;
    app.click_button("Create and assign to vm-web").await;
    assert_eq!(app.query_all("[data-testid=host-identity]").len(), 4);
    let flows = app
        .query("[data-testid=open-in-flows]")
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(flows.starts_with("#/flows?sandbox=rg:"), "{flows}");
    assert!(flows.contains("id-batch"), "{flows}");
    app.unmount();
}

#[wasm_bindgen_test]
async fn app_service_hosts_use_identity_endpoint_and_header() {
    let app = mount("#/imds").await;
    app.choose("#imds-host", "app-shop").await;
    assert_eq!(
        app.testid("endpoint-url"),
        endpoint::appservice::APP_SERVICE_ENDPOINT
    );
    assert!(app.testid("host-env").contains("IDENTITY_HEADER"));
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 200 OK"));
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    assert!(textarea_value(&app, "#imds-request-text").contains("X-IDENTITY-HEADER"));
    // App Service names the selectors principal_id / mi_res_id.
    let options: Vec<String> = app
        .query_all("#imds-selector-kind option")
        .iter()
        .map(|o| o.get_attribute("value").unwrap_or_default())
        .collect();
    assert_eq!(options, ["", "client_id", "principal_id", "mi_res_id"]);
    // Pasted commands resolve the host's environment variables.
    app.type_into(
        "#imds-request-text",
        "curl \"$IDENTITY_ENDPOINT?resource=https://vault.azure.net&api-version=2019-08-01\" -H \"X-IDENTITY-HEADER: $IDENTITY_HEADER\"",
    )
    .await;
    assert!(app.query("[data-testid=parse-error]").is_none());
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 200 OK"));
    // Without the header: the endpoint refuses.
    click(&app, "#imds-header-on").await;
    assert!(!app.testid("raw-response").starts_with("HTTP/1.1 200"));
    app.unmount();
}

fn attr(app: &Mounted, selector: &str, name: &str) -> Option<String> {
    app.query(selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .get_attribute(name)
}

fn is_folded(e: &web_sys::Element) -> bool {
    e.get_attribute("data-folded").as_deref() == Some("true")
}

/// The rows of the host's identity table marked as the one that answered.
fn answered_rows(app: &Mounted) -> Vec<String> {
    app.query_all("[data-testid=host-identity][data-answered=true]")
        .iter()
        .filter_map(|r| r.get_attribute("data-identity"))
        .collect()
}

#[wasm_bindgen_test]
async fn the_result_strip_says_who_answered_and_why() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    let strip = app.testid("result-strip");
    assert!(strip.starts_with("200 → System-assigned vm-web"), "{strip}");
    assert!(strip.contains("no selector"), "{strip}");
    assert_eq!(
        attr(&app, "[data-testid=result-strip]", "data-tone").as_deref(),
        Some("ok")
    );
    assert_eq!(app.testid("answered-kind"), "System-assigned");
    assert_eq!(answered_rows(&app), ["system-assigned"]);

    // "Use client_id" on id-orders: the strip names it, its row is marked.
    click(&app, "button[aria-label='Select id-orders by client_id']").await;
    let world = World::default_scenario(EPOCH);
    let orders = client_id(&world, "id-orders");
    let strip = app.testid("result-strip");
    assert!(
        strip.starts_with("200 → User-assigned id-orders"),
        "{strip}"
    );
    assert!(
        strip.contains(&format!("chosen by client_id={}…", &orders[..8])),
        "{strip}"
    );
    assert_eq!(app.testid("answered-kind"), "User-assigned");
    assert_eq!(answered_rows(&app), ["id-orders"]);

    // Back to no selector, then the system-assigned identity off: two user-assigned, 400.
    app.choose("#imds-selector-kind", "").await;
    click(&app, "#imds-toggle-system").await;
    let strip = app.testid("result-strip");
    assert_eq!(
        strip,
        "400 → several user-assigned identities and no selector"
    );
    assert_eq!(
        attr(&app, "[data-testid=result-strip]", "data-tone").as_deref(),
        Some("error")
    );
    assert!(app.query("[data-testid=answered-kind]").is_none());
    assert!(answered_rows(&app).is_empty());
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_strip_comes_right_after_the_request_and_before_the_response() {
    let app = mount("#/imds").await;
    let order: Vec<String> = app
        .query_all(".imds-request, [data-testid=result-strip], [data-testid=raw-response]")
        .iter()
        .map(|e| {
            e.get_attribute("data-testid")
                .unwrap_or_else(|| e.class_name())
        })
        .collect();
    assert_eq!(order, ["card imds-request", "result-strip", "raw-response"]);
    // An unreachable endpoint: no answer, and why.
    app.type_into(
        "#imds-request-text",
        "curl -H 'Metadata: true' 'http://169.254.169.254:8080/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'",
    )
    .await;
    assert_eq!(
        app.testid("result-strip"),
        "no answer: IMDS listens on port 80, not 8080"
    );
    app.unmount();
}

#[wasm_bindgen_test]
async fn who_answers_each_selector_and_a_row_sends_its_request() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    let world = World::default_scenario(EPOCH);
    let rows = app.query_all("[data-testid=who-answers-row]");
    // No selector, then client_id / object_id / msi_res_id for each of the 3 identities.
    assert_eq!(rows.len(), 10);
    let current: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.get_attribute("aria-current").as_deref() == Some("true"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(current, [0], "the default request is the no-selector row");
    // Long ids are shortened, with the whole value in the accessible name.
    let reports = world.identity("id-reports").unwrap().sp.clone();
    let label = format!("Send with object_id={} (id-reports)", reports.principal_id);
    let button = app
        .query_all("[data-testid=who-answers-row] button")
        .into_iter()
        .find(|b| b.get_attribute("aria-label").as_deref() == Some(label.as_str()))
        .unwrap_or_else(|| panic!("no row button labelled {label}"));
    assert_eq!(
        button.text_content().unwrap(),
        format!("object_id={}…", &reports.principal_id[..8])
    );
    button.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    flush().await;

    // It became the current request: the response, the strip, the fragment and the marked row.
    let (host, req) = hosts::default_scenario_request(&world).unwrap();
    let kind = world.compute(&host).unwrap().kind.endpoint();
    let sent = hosts::with_selector(&req, kind, Some("object_id"), &reports.principal_id);
    let expected = endpoint::send(&world, &mut EndpointState::new(), &host, &sent);
    assert_eq!(app.testid("raw-response"), expected.wire());
    let strip = app.testid("result-strip");
    assert!(
        strip.starts_with("200 → User-assigned id-reports, chosen by object_id="),
        "{strip}"
    );
    assert!(
        current_hash().contains("object_id%3D"),
        "{}",
        current_hash()
    );
    let marked: Vec<String> = app
        .query_all("[data-testid=who-answers-row][aria-current=true] button")
        .iter()
        .filter_map(|b| b.get_attribute("aria-label"))
        .collect();
    assert_eq!(marked, [label]);
    assert_eq!(answered_rows(&app), ["id-reports"]);
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_host_toggles_change_the_answer() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    // Unassign id-reports: it leaves the identity table, stays in "who answers?" as not found.
    click(&app, "#imds-toggle-ua-id-reports").await;
    assert_eq!(app.query_all("[data-testid=host-identity]").len(), 2);
    assert!(
        current_hash().contains("-ua:vm-web:id-reports"),
        "{}",
        current_hash()
    );
    let not_found = app
        .query_all("[data-testid=who-answers-row]")
        .iter()
        .filter(|r| {
            r.text_content()
                .unwrap_or_default()
                .contains("400 Identity not found")
        })
        .count();
    assert_eq!(
        not_found, 3,
        "client_id, object_id and msi_res_id of id-reports"
    );
    // System-assigned off: id-orders is the only identity and answers without a selector.
    click(&app, "#imds-toggle-system").await;
    let strip = app.testid("result-strip");
    assert!(
        strip.starts_with("200 → User-assigned id-orders, no selector"),
        "{strip}"
    );
    assert_eq!(answered_rows(&app), ["id-orders"]);
    // And back: both on again.
    click(&app, "#imds-toggle-system").await;
    click(&app, "#imds-toggle-ua-id-reports").await;
    assert_eq!(app.query_all("[data-testid=host-identity]").len(), 3);
    assert!(app
        .testid("result-strip")
        .starts_with("200 → System-assigned vm-web"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_token_is_folded_but_the_raw_response_keeps_every_byte() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    let raw = app.query("[data-testid=raw-response]").unwrap();
    assert!(is_folded(&raw));
    assert_eq!(raw.text_content().unwrap(), default_response(EPOCH));
    let head = app.text_of("[data-testid=raw-response] .fold-head");
    assert_eq!(head.len(), 24);
    assert!(head.starts_with("eyJ0eXAi"), "{head}");
    app.click_button("Show the whole token").await;
    let raw = app.query("[data-testid=raw-response]").unwrap();
    assert!(!is_folded(&raw));
    assert_eq!(raw.text_content().unwrap(), default_response(EPOCH));
    app.click_button("Fold the token").await;
    assert!(is_folded(&app.query("[data-testid=raw-response]").unwrap()));
    // "Why this response" comes before the bytes, with the badges' legend.
    let order: Vec<String> = app
        .query_all(
            "[data-testid=notes], [data-testid=certainty-legend], [data-testid=raw-response]",
        )
        .iter()
        .filter_map(|e| e.get_attribute("data-testid"))
        .collect();
    assert_eq!(order, ["notes", "certainty-legend", "raw-response"]);
    // A response without a token has nothing to fold.
    click(&app, "#imds-header-on").await;
    assert!(app.query("[data-testid=raw-response] .fold-head").is_none());
    assert!(app
        .query_all("button")
        .iter()
        .all(|b| b.text_content().unwrap_or_default() != "Show the whole token"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn an_app_service_host_gets_its_own_selectors_and_rules() {
    let app = mount(&format!("#/imds?t={EPOCH}")).await;
    app.choose("#imds-host", "app-shop").await;
    assert!(app
        .testid("result-strip")
        .starts_with("200 → System-assigned app-shop"));
    let rows = app.query_all("[data-testid=who-answers-row] button");
    let labels: Vec<String> = rows
        .iter()
        .map(|b| b.text_content().unwrap_or_default())
        .collect();
    assert_eq!(rows.len(), 10);
    assert!(labels[1].starts_with("client_id="), "{labels:?}");
    assert!(labels[2].starts_with("principal_id="), "{labels:?}");
    assert!(labels[3].starts_with("mi_res_id=…/app-shop"), "{labels:?}");
    // The app's system-assigned identity off, id-orders assigned: no selector cannot load.
    click(&app, "#imds-toggle-system").await;
    click(&app, "#imds-toggle-ua-id-orders").await;
    assert_eq!(
        app.testid("result-strip"),
        "400 → Unable to load the proper Managed Identity: no selector, and app-shop has no system-assigned identity"
    );
    app.unmount();
}
