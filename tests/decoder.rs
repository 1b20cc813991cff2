//! Browser tests of the token decoder page.
#![cfg(target_arch = "wasm32")]

use mi_core::token::samples::SAMPLES;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

fn sample(label: &str) -> &'static str {
    SAMPLES.iter().find(|(l, _)| *l == label).unwrap().1
}

fn claim_value(app: &Mounted, name: &str) -> String {
    app.text_of(&format!(
        "[data-testid=claim-row][data-claim={name}][data-location=payload] td code"
    ))
}

#[wasm_bindgen_test]
async fn pasting_a_system_assigned_token_shows_the_identity() {
    let app = mount("#/decoder").await;
    app.type_into(
        "#token-input",
        &format!("Authorization: Bearer {}", sample("system-assigned")),
    )
    .await;
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    assert_eq!(app.testid("token-kind"), "Access token (v1.0)");
    let oid = app.testid("principal-id");
    assert_eq!(oid, claim_value(&app, "oid"));
    assert_eq!(app.testid("client-id"), claim_value(&app, "appid"));
    assert_eq!(app.testid("tenant-id"), claim_value(&app, "tid"));
    assert!(app
        .testid("mirid")
        .contains("/providers/Microsoft.Compute/virtualMachines/vm-web"));
    assert_eq!(app.testid("host-resource"), app.testid("mirid"));
    assert!(app
        .testid("audience")
        .starts_with("https://management.azure.com/"));
    // Times in UTC, in the reader's local time (with the clock time) and relative to now.
    let issued = app.testid("issued-at");
    let (utc, rest) = issued.split_once(" · ").unwrap();
    assert!(utc.ends_with(" UTC"), "{issued}");
    let local = rest.split(" local · ").next().unwrap();
    assert!(
        local.contains(':') && rest.contains(" local · "),
        "{issued}"
    );
    // Every claim gets a row, in token order; the header's too.
    let rows: Vec<String> = app
        .query_all("[data-testid=claim-row][data-location=payload]")
        .iter()
        .map(|r| r.get_attribute("data-claim").unwrap())
        .collect();
    assert_eq!(&rows[..5], ["aud", "iss", "iat", "nbf", "exp"]);
    assert!(rows.contains(&"xms_mirid".to_string()));
    assert!(app
        .query("[data-testid=claim-row][data-claim=kid][data-location=header]")
        .is_some());
    // What was removed around the token is said, as an input note.
    let notes: Vec<String> = app
        .query_all("[data-testid=diagnostic][data-segment=input][data-severity=info]")
        .iter()
        .map(|d| d.text_content().unwrap_or_default())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("Authorization")),
        "{notes:?}"
    );
    // A built-in sample is named in the fragment (never the query string); the note says
    // how old it is, and its expiry is no alarm.
    until("the sample in the link", || {
        current_hash() == "#/decoder?sample=system"
    })
    .await;
    assert!(app.testid("sample-note").contains("built-in sample"));
    assert!(app.testid("validity-status").starts_with("Sample · "));
    assert_eq!(web_sys::window().unwrap().location().search().unwrap(), "");
    app.unmount();
}

#[wasm_bindgen_test]
async fn user_assigned_token_names_identity_and_host() {
    let app = mount("#/decoder").await;
    app.click_button("Sample: user-assigned").await;
    assert_eq!(app.testid("identity-kind"), "User-assigned");
    assert!(app
        .testid("mirid")
        .contains("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"));
    assert!(app
        .testid("host-resource")
        .contains("/virtualMachines/vm-web"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn deep_link_decodes_on_load() {
    let app = mount(&format!("#/decoder?token={}", sample("system-assigned"))).await;
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    app.unmount();
}

#[wasm_bindgen_test]
async fn malformed_input_gets_precise_diagnostics_and_keeps_the_input() {
    let app = mount("#/decoder").await;
    let token = sample("system-assigned");
    let (header, rest) = token.split_once('.').unwrap();
    let broken = format!("{header}=.{}", rest.replacen('.', ".!", 1));
    app.type_into("#token-input", &broken).await;
    let diags: Vec<(String, String, String)> = app
        .query_all("[data-testid=diagnostic]")
        .iter()
        .map(|d| {
            (
                d.get_attribute("data-severity").unwrap(),
                d.get_attribute("data-segment").unwrap(),
                d.text_content().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        diags
            .iter()
            .any(|(s, seg, _)| s == "warning" && seg == "header"),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|(s, seg, _)| s == "error" && seg == "signature"),
        "{diags:?}"
    );
    // The header still decodes: the claims are shown despite the damage.
    assert_eq!(app.testid("identity-kind"), "System-assigned");
    let kept: web_sys::HtmlTextAreaElement = app.query("#token-input").unwrap().dyn_into().unwrap();
    assert_eq!(kept.value(), broken);
    app.unmount();
}

#[wasm_bindgen_test]
async fn non_jwt_input_is_named_not_blank() {
    let app = mount("#/decoder").await;
    app.type_into("#token-input", "EwB4A8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ")
        .await;
    assert_eq!(app.testid("token-kind"), "Not a JWT");
    assert_eq!(app.testid("identity-kind"), "Not a managed identity token");
    assert!(!app.query_all("[data-testid=diagnostic]").is_empty());
    app.click_button("Clear").await;
    assert!(app.query("[data-testid=summary]").is_none());
    app.unmount();
}

#[wasm_bindgen_test]
async fn simulated_tokens_verify_against_the_published_demo_jwks() {
    let app = mount("#/decoder").await;
    app.click_button("Sample: system-assigned").await;
    app.click_button("Use the playground's demo key").await;
    app.click_button("Verify signature").await;
    until("verification", || {
        app.testid("verify-result").contains("Signature")
    })
    .await;
    let result = app.testid("verify-result");
    assert!(result.starts_with("Signature valid."), "{result}");
    // A token altered after signing fails.
    let token = sample("system-assigned");
    let mut parts: Vec<&str> = token.split('.').collect();
    let other = sample("user-assigned");
    parts[1] = other.split('.').nth(1).unwrap();
    app.type_into("#token-input", &parts.join(".")).await;
    app.click_button("Verify signature").await;
    until("verification", || {
        app.testid("verify-result").contains("Signature")
    })
    .await;
    assert!(app
        .testid("verify-result")
        .starts_with("Signature invalid."));
    app.unmount();
}

/// Signs a token with a fresh ES256 key in WebCrypto, then verifies it with the exported JWK.
#[wasm_bindgen_test]
async fn verifies_es256_with_a_jwk_made_in_the_test() {
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    let alg = js_sys::Object::new();
    js_sys::Reflect::set(&alg, &"name".into(), &"ECDSA".into()).unwrap();
    js_sys::Reflect::set(&alg, &"namedCurve".into(), &"P-256".into()).unwrap();
    let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
    let pair = JsFuture::from(
        subtle
            .generate_key_with_object(&alg, true, &usages)
            .unwrap(),
    )
    .await
    .unwrap();
    let private: web_sys::CryptoKey = js_sys::Reflect::get(&pair, &"privateKey".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let public: web_sys::CryptoKey = js_sys::Reflect::get(&pair, &"publicKey".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let jwk = JsFuture::from(subtle.export_key("jwk", &public).unwrap())
        .await
        .unwrap();
    let jwk_text = String::from(js_sys::JSON::stringify(&jwk).unwrap());

    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let signing_input = format!(
        "{}.{}",
        b64.encode(r#"{"typ":"JWT","alg":"ES256","kid":"test"}"#),
        b64.encode(r#"{"aud":"api://demo","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","sub":"x"}"#)
    );
    let sign_alg = js_sys::Object::new();
    js_sys::Reflect::set(&sign_alg, &"name".into(), &"ECDSA".into()).unwrap();
    js_sys::Reflect::set(&sign_alg, &"hash".into(), &"SHA-256".into()).unwrap();
    let data = signing_input.clone().into_bytes();
    let sig = JsFuture::from(
        subtle
            .sign_with_object_and_u8_array(&sign_alg, &private, &data)
            .unwrap(),
    )
    .await
    .unwrap();
    let sig = js_sys::Uint8Array::new(&sig).to_vec();
    let token = format!("{signing_input}.{}", b64.encode(sig));

    let app = mount("#/decoder").await;
    app.type_into("#token-input", &token).await;
    assert_eq!(app.testid("sig-alg"), "ES256");
    app.type_into("#verify-key", &jwk_text).await;
    app.click_button("Verify signature").await;
    until("verification", || {
        app.testid("verify-result").contains("Signature")
    })
    .await;
    let result = app.testid("verify-result");
    assert!(result.starts_with("Signature valid."), "{result}");
    app.unmount();
}

#[wasm_bindgen_test]
async fn compare_shows_which_claims_differ() {
    let app = mount("#/decoder").await;
    app.click_button("Sample: system-assigned").await;
    app.type_into("#compare-input", sample("user-assigned"))
        .await;
    assert_eq!(
        app.testid("compare-identity"),
        "System-assigned → User-assigned"
    );
    let kind = |claim: &str| {
        app.query(&format!("[data-testid=diff-row][data-claim={claim}]"))
            .and_then(|r| r.get_attribute("data-kind"))
    };
    assert_eq!(kind("oid").as_deref(), Some("changed"));
    assert_eq!(kind("xms_mirid").as_deref(), Some("changed"));
    assert_eq!(kind("tid").as_deref(), Some("same"));
    assert_eq!(kind("xms_az_rid").as_deref(), Some("only-right"));
    until("both samples in the link", || {
        let hash = current_hash();
        hash.contains("sample=system") && hash.contains("compare_sample=user")
    })
    .await;
    app.unmount();
}
