//! Browser tests of "Which source will my code use?" on the IMDS page.
#![cfg(target_arch = "wasm32")]

use mi_core::endpoint::detect::{self, DetectSdk};
use mi_core::fragment::Fragment;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

/// An example environment of the core, as `NAME=value` lines.
fn example(code: &str) -> String {
    let ex = detect::examples()
        .into_iter()
        .find(|e| e.code == code)
        .unwrap_or_else(|| panic!("no example {code}"));
    detect::to_lines(&ex.vars)
}

fn link(env: &str, sdk: &str) -> String {
    let mut f = Fragment::parse("#/imds");
    f.set("env", env);
    f.set("sdk", sdk);
    f.to_hash()
}

fn chosen(app: &Mounted) -> String {
    app.query("[data-testid=chosen-source]")
        .expect("the chosen source is shown")
        .get_attribute("data-source")
        .unwrap_or_default()
}

fn panel_open(app: &Mounted) -> bool {
    app.query("[data-testid=source-panel]")
        .and_then(|e| e.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .map(|d| d.open())
        .unwrap_or(false)
}

fn fired_rules(app: &Mounted) -> Vec<String> {
    app.query_all("[data-testid=rule][aria-current=step]")
        .into_iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

/// Environment × SDK → `data-source`, from a link.
#[wasm_bindgen_test]
async fn links_show_each_sdks_source() {
    let cases: [(&str, [&str; 4]); 4] = [
        ("app-service", ["app-service"; 4]),
        ("service-fabric", ["service-fabric"; 4]),
        (
            "workload-identity-and-app-service",
            [
                "app-service",
                "workload-identity",
                "workload-identity",
                "workload-identity",
            ],
        ),
        ("vm", ["imds"; 4]),
    ];
    for (env, want) in cases {
        for (sdk, want) in DetectSdk::ALL.iter().zip(want) {
            let app = mount(&link(&example(env), sdk.code())).await;
            assert!(panel_open(&app), "{env} {sdk:?}: the link opens the panel");
            assert_eq!(chosen(&app), want, "{env} {sdk:?}");
            let fired = fired_rules(&app);
            assert_eq!(fired.len(), 1, "{env} {sdk:?}: {fired:?}");
            assert!(fired[0].contains(&format!("→ {want}")), "{fired:?}");
            app.unmount();
        }
    }
}

#[wasm_bindgen_test]
async fn nothing_set_is_imds_and_the_request_is_shown() {
    // An empty environment in a link is a single newline.
    let app = mount(&link("\n", "js")).await;
    assert_eq!(chosen(&app), "imds");
    assert_eq!(
        app.testid("source-request"),
        "GET http://169.254.169.254/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com\nMetadata: true\nContent-Type: application/x-www-form-urlencoded;charset=utf-8\n"
    );
    app.unmount();
}

#[wasm_bindgen_test]
async fn changing_the_sdk_updates_the_source_and_the_link() {
    let app = mount(&link(
        &example("workload-identity-and-app-service"),
        "python",
    ))
    .await;
    assert_eq!(chosen(&app), "app-service");
    assert!(app.query("[data-testid=disagreements]").is_some());
    app.choose("#source-sdk", "dotnet").await;
    assert_eq!(chosen(&app), "workload-identity");
    assert_eq!(Fragment::parse(&current_hash()).get("sdk"), Some("dotnet"));
    app.choose("#source-sdk", "java").await;
    assert_eq!(chosen(&app), "workload-identity");
    app.choose("#source-cred", "dac").await;
    app.choose("#source-sdk", "python").await;
    assert_eq!(
        chosen(&app),
        "workload-identity",
        "DefaultAzureCredential tries workload identity first"
    );
    assert_eq!(Fragment::parse(&current_hash()).get("cred"), Some("dac"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_typed_secret_stays_out_of_the_address_bar() {
    let app = mount("#/imds").await;
    assert!(!panel_open(&app), "folded without env= or sdk=");
    let secret = "pasted-secret-4f1c9a7e";
    app.type_into(
        "#source-env",
        &format!("PATH=/usr/bin\nIDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER={secret}\n"),
    )
    .await;
    assert_eq!(chosen(&app), "app-service");
    // The request shows the header as in the environment…
    assert!(app
        .testid("source-request")
        .contains(&format!("X-IDENTITY-HEADER: {secret}")));
    // …the address bar does not, and keeps only the variables the SDKs read.
    let hash = current_hash();
    assert!(!hash.contains(secret), "{hash}");
    let env = Fragment::parse(&hash)
        .get("env")
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        env,
        "IDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER=<withheld>\n"
    );
    assert!(app.testid("source-withheld").contains("IDENTITY_HEADER"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_hosts_environment_fills_an_empty_panel_and_stays_in_links() {
    let app = mount("#/imds?host=app-shop&sdk=dotnet").await;
    assert!(panel_open(&app));
    assert_eq!(chosen(&app), "app-service");
    let text = app
        .query("#source-env")
        .unwrap()
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert!(
        text.starts_with("IDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER="),
        "{text}"
    );
    // The host's environment is the world's: no env= needed in the link.
    assert_eq!(Fragment::parse(&current_hash()).get("env"), None);
    app.unmount();
}

#[wasm_bindgen_test]
async fn pasted_powershell_tables_are_read_with_their_warnings() {
    let table = "Name                           Value\n----                           -----\nMSI_ENDPOINT                   http://localhost:50342/oauth2/token\nPSModulePath                   C:\\Program Files\\WindowsPowerShell\\Modules;C:\\Windows\\system32\\Wi...\n";
    let app = mount("#/imds?sdk=java").await;
    app.type_into("#source-env", table).await;
    assert_eq!(chosen(&app), "cloud-shell");
    assert!(app
        .testid("env-notes")
        .contains("line 4: the value of PSModulePath is cut off"));
    app.unmount();
}

/// The chosen source's simulated answer follows the endpoint's side the reader picks: a
/// workload-identity pod whose namespace changed gets AADSTS70021 naming the new subject.
#[wasm_bindgen_test]
async fn the_simulated_answer_follows_the_situation() {
    let app = mount(&link(&example("aks-workload-identity"), "python")).await;
    assert_eq!(chosen(&app), "workload-identity");
    assert_eq!(
        app.query("[data-testid=source-status]")
            .expect("a simulated answer")
            .get_attribute("data-status")
            .as_deref(),
        Some("200")
    );
    let select: web_sys::HtmlSelectElement = app
        .query("[data-testid=source-situation]")
        .expect("the endpoint's side can be chosen")
        .dyn_into()
        .unwrap();
    select.set_value("namespace-changed");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    flush().await;
    let response = app.testid("source-response");
    assert!(response.contains("AADSTS70021"), "{response}");
    assert!(
        response.contains("system:serviceaccount:orders-v2:orders-api"),
        "{response}"
    );
    assert!(current_hash().contains("situation=namespace-changed"));
    app.unmount();
}
