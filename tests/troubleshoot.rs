//! Browser tests of the troubleshooter page (`#/troubleshoot`).
#![cfg(target_arch = "wasm32")]

use mi_core::fragment::Fragment;
use mi_core::token::samples::SAMPLES;
use mi_core::troubleshoot::EXAMPLES;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

fn link_with_text(text: &str) -> String {
    let mut f = Fragment {
        path: "/troubleshoot".into(),
        params: Vec::new(),
    };
    f.set("text", text);
    f.to_hash()
}

fn cause(app: &Mounted) -> String {
    app.query("[data-testid=error-cause]")
        .and_then(|e| e.get_attribute("data-cause"))
        .unwrap_or_default()
}

fn example(label_start: &str) -> &'static str {
    EXAMPLES
        .iter()
        .find(|(l, _)| l.starts_with(label_start))
        .unwrap()
        .1
}

fn click(el: &web_sys::Element) {
    el.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn a_deep_link_shows_the_cause_the_fix_and_what_the_text_names() {
    let text = example("Key Vault");
    let app = mount(&link_with_text(text)).await;
    assert_eq!(cause(&app), "rbac-denied");
    assert_eq!(
        app.query("#error-input")
            .unwrap()
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .unwrap()
            .value(),
        text
    );
    // What the text names, and the fix with those values filled in.
    let oid = "9c2d7e4f-1a3b-4d5c-8e6f-0a1b2c3d4e5f";
    assert!(app.testid("extracted-object-ids").contains(oid));
    assert!(app
        .testid("extracted-client-ids")
        .contains("5e1f8c2a-7b3d-4c9e-a1f0-6d2b8e4c9a71"));
    assert!(app
        .testid("extracted-resource-ids")
        .contains("/vaults/kv-orders"));
    // Ids link to the decoder: no token in this text, so to a sample that shows the claim.
    let id_link = app
        .query("[data-testid=extracted-object-ids] [data-testid=id-decoder-link][data-claim=oid]")
        .unwrap();
    assert_eq!(
        id_link.get_attribute("href").as_deref(),
        Some("#/decoder?sample=user")
    );
    assert!(app
        .query("[data-testid=extracted-client-ids] [data-testid=id-decoder-link][data-claim=appid]")
        .is_some());
    let fix = app.testid("fix");
    assert!(
        fix.contains(&format!("--assignee-object-id {oid}")),
        "{fix}"
    );
    assert!(fix.contains("Key Vault Secrets User"), "{fix}");
    // The simulator link reproduces it; the certainty badge names its source.
    let repro = app.query("[data-testid=reproduce-link]").unwrap();
    assert!(repro.get_attribute("href").unwrap().starts_with("#/flows?"));
    assert!(app.query("[data-testid=certainty]").is_some());
    app.unmount();
}

#[wasm_bindgen_test]
async fn each_kind_of_text_gets_its_cause() {
    let app = mount("#/troubleshoot").await;
    assert!(app.query("[data-testid=error-cause]").is_none());
    for (text, expected) in [
        (example("Python"), "no-identity"),
        (example("AKS"), "federated-mismatch"),
        ("{\"error\":\"invalid_request\",\"error_description\":\"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request\"}", "multiple-identities"),
        ("{\"error\":\"bad_request_102\",\"error_description\":\"Required metadata header not specified\"}", "metadata-header-missing"),
        ("Status: 403 (This request is not authorized to perform this operation using this permission.)\nErrorCode: AuthorizationPermissionMismatch", "rbac-denied"),
        ("AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.", "wrong-audience"),
        ("Login failed for user '<token-identified principal>'. (Microsoft SQL Server, Error: 18456)", "sql-user-missing"),
        ("the weather is nice today", "unknown"),
    ] {
        app.type_into("#error-input", text).await;
        assert_eq!(cause(&app), expected, "{text}");
        // Every known cause has a simulator link, or says why not (and where to look).
        if expected != "unknown" {
            assert!(
                app.query("[data-testid=reproduce-link]").is_some()
                    || app.query("[data-testid=no-reproduce]").is_some(),
                "{expected}"
            );
        }
        if expected == "sql-user-missing" {
            assert!(app
                .query("[data-testid=no-reproduce] a[href='#/?step=5&sql=user']")
                .is_some());
        }
    }
    // Nothing recognised: says so, and what to paste.
    assert!(app
        .testid("unknown-hint")
        .contains("Paste the whole exception"));
    // Typing never writes the text into the address bar.
    assert_eq!(current_hash(), "#/troubleshoot");
    app.unmount();
}

#[wasm_bindgen_test]
async fn an_ambiguous_text_lists_the_other_candidate_and_what_to_check() {
    let app = mount(&link_with_text(
        "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
    ))
    .await;
    assert_eq!(cause(&app), "no-identity");
    let candidates: Vec<String> = app
        .query_all("[data-testid=candidate]")
        .iter()
        .map(|c| c.get_attribute("data-cause").unwrap())
        .collect();
    assert_eq!(candidates, ["identity-not-found"]);
    assert!(app.testid("candidate").contains("Check:"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_service_answer_that_is_no_identity_problem_says_so() {
    let app = mount(&link_with_text("{\"error\":{\"code\":\"SecretNotFound\",\"message\":\"A secret with (name/id) db-pasword was not found in this key vault.\"}}")).await;
    assert_eq!(cause(&app), "unknown");
    assert_eq!(app.testid("cause-title"), "Not an identity problem");
    assert!(app
        .testid("unknown-hint")
        .contains("no secret by that name"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_token_in_the_text_opens_in_the_decoder_without_entering_the_address_bar() {
    // A token that names another key than the demo key: a possible credential.
    let (_, rest) = SAMPLES[0].1.split_once('.').unwrap();
    let token = format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6Im5PbzNaRHJPRFhFSzFqS1doWHNsSFJfS1hFZyJ9.{rest}"
    );
    let app = mount("#/troubleshoot").await;
    app.type_into(
        "#error-input",
        &format!("Status: 401 (Unauthorized)\nAKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.\nAuthorization: Bearer {token}"),
    )
    .await;
    assert_eq!(cause(&app), "wrong-audience");
    // The audience it names links to the token in the text (in memory too).
    assert_eq!(
        app.query("[data-testid=extracted-resources] [data-testid=open-decoder]")
            .unwrap()
            .tag_name(),
        "BUTTON"
    );
    // A credential: a button, not a link carrying the token.
    let open = app
        .query("[data-testid=extracted-tokens] [data-testid=open-decoder]")
        .unwrap();
    assert_eq!(open.tag_name(), "BUTTON");
    let share_note = app.testid("kept-out");
    assert!(share_note.contains("Kept out of the address bar"));
    click(&open);
    until("the decoder", || current_hash() == "#/decoder").await;
    flush().await;
    until("the decoded token", || {
        app.query("[data-testid=identity-kind]").is_some()
    })
    .await;
    assert!(!current_hash().contains("eyJ"));
    let input = app
        .query("#token-input")
        .unwrap()
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert_eq!(input, token);
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_demo_token_links_to_the_decoder_and_a_pasted_token_is_offered_the_decoder() {
    let app = mount("#/troubleshoot").await;
    app.type_into("#error-input", SAMPLES[0].1).await;
    // Minted with the public demo key: a plain link.
    let offer = app.query("[data-testid=token-offer] a").unwrap();
    assert!(offer
        .get_attribute("href")
        .unwrap()
        .starts_with("#/decoder?token=eyJ"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_decoder_offers_to_explain_an_error_message() {
    let app = mount("#/decoder").await;
    let text = example("Python");
    app.type_into("#token-input", text).await;
    let offer = app.query("[data-testid=error-offer] a").unwrap();
    click(&offer);
    until("the troubleshooter", || {
        current_hash() == "#/troubleshoot" && app.query("[data-testid=error-cause]").is_some()
    })
    .await;
    assert_eq!(cause(&app), "no-identity");
    let input = app
        .query("#error-input")
        .unwrap()
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert_eq!(input, text);
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_header_links_to_the_page() {
    let app = mount("#/").await;
    let link = app
        .query_all("header a")
        .into_iter()
        .find(|a| a.get_attribute("href").as_deref() == Some("#/troubleshoot"));
    assert!(link.is_some(), "a header link to #/troubleshoot");
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_page_embeds_and_its_snippet_leaves_the_pasted_text_out() {
    let app = mount(&format!("{}&embed=1", link_with_text(example("AKS")))).await;
    assert!(app.query("[data-testid=embed-root]").is_some());
    assert!(app.query("[data-testid=site-header]").is_none());
    assert_eq!(cause(&app), "federated-mismatch");
    app.unmount();

    let app = mount(&link_with_text(example("AKS"))).await;
    app.open_embed_builder().await;
    let snippet = app.text_of("[data-testid=embed-snippet]");
    assert!(snippet.contains("#/troubleshoot?embed=1\""), "{snippet}");
    assert!(app.query("[data-testid=embed-note]").is_some());
    assert!(!snippet.contains("AADSTS"), "{snippet}");
    app.unmount();
}
