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
    app.click_button("Disable system-assigned identity").await;
    assert!(!app.testid("action-result").is_empty());
    // No system-assigned identity and two user-assigned ones: no selector is ambiguous.
    assert!(app.testid("raw-response").starts_with("HTTP/1.1 400"));
    assert!(
        current_hash().contains("%3B-si:vm-web"),
        "{}",
        current_hash()
    );
    app.click_button("Enable system-assigned identity").await;
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
