use super::*;
use crate::troubleshoot::EXAMPLES;

const NOW: u64 = 1_764_547_200;

fn ask(q: &Query) -> Reply {
    let sent = query_json(q);
    let back: Query = serde_json::from_str(&sent).expect("query reads back");
    assert_eq!(&back, q);
    Reply::parse(&answer_json(&sent))
}

fn explain_reply(text: &str) -> Reply {
    ask(&Query::Explain {
        text: text.to_string(),
    })
}

/// The JsonML list `name` as text, for searching.
fn view_text(r: &Reply, name: &str) -> String {
    serde_json::to_string(r.list(name)).unwrap_or_default()
}

#[test]
fn every_example_is_explained_with_its_cause_in_the_view() {
    for (_, text) in EXAMPLES {
        let r = explain_reply(text);
        assert_eq!(r.kind(), "explained");
        assert!(r.flag("recognised"), "{text}");
        let cause = r.text("cause");
        assert!(
            view_text(&r, "view").contains(&format!(
                "\"data-testid\":\"error-cause\",\"data-cause\":\"{cause}\""
            )),
            "{text}"
        );
    }
}

#[test]
fn the_view_names_the_assertion_and_fills_in_the_fix() {
    let r = explain_reply(EXAMPLES[2].1); // AADSTS70021
    assert_eq!(r.text("cause"), "federated-mismatch");
    let view = view_text(&r, "view");
    assert!(view.contains("\"data-testid\":\"extracted-assertion-subject\""));
    assert!(view.contains("system:serviceaccount:orders:orders-api"));
    assert!(view.contains("\"x-code\""), "the fix is a code block");
    assert!(
        view.contains("situation=namespace-changed"),
        "the simulator shows it happen"
    );
    assert!(!r.flag("credential"));
}

#[test]
fn nothing_recognised_says_what_to_paste() {
    let r = explain_reply("hello");
    assert!(!r.flag("recognised"));
    assert_eq!(r.text("cause"), "unknown");
    assert!(view_text(&r, "view").contains("Nothing here matches a known managed-identity error"));
}

#[test]
fn a_foreign_token_is_a_credential_opened_in_memory() {
    // A token not minted with the demo key: the decoder gets it through a button, not a link.
    let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJvaWQiOiIxMjM0NTY3OC0xMjM0LTEyMzQtMTIzNC0xMjM0NTY3ODkwMTIiLCJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2lnbmF0dXJl";
    let r = explain_reply(&format!("Bearer {jwt}"));
    assert!(r.flag("is_token"));
    assert!(r.flag("credential"));
    let view = view_text(&r, "view");
    assert!(view.contains("\"data-action\":\"open-decoder\""));
    assert!(
        !view.contains("#/decoder?token="),
        "a credential never goes in a link"
    );
}

#[test]
fn a_source_report_says_the_source_and_withholds_pasted_secrets() {
    let r = ask(&Query::Sources(SourceQuery {
        env_text: "IDENTITY_ENDPOINT=https://10.0.0.4:2377/metadata/identity/oauth2/token\nIDENTITY_HEADER=s3cret\nIDENTITY_SERVER_THUMBPRINT=ABCDEF\n".into(),
        sdk: DetectSdk::DotNet,
        options: DetectOptions::default(),
        world_headers: vec![],
        now: NOW,
        situation: String::new(),
    }));
    assert_eq!(r.kind(), "sources");
    assert_eq!(r.text("chosen"), "service-fabric");
    assert!(view_text(&r, "view").contains("\"data-source\":\"service-fabric\""));
    assert!(view_text(&r, "env_view").contains("3 variables read."));
    assert_eq!(r.texts("withheld"), vec!["IDENTITY_HEADER".to_string()]);
    let link = r.opt_text("link_text").unwrap_or_default();
    assert!(
        link.contains("IDENTITY_SERVER_THUMBPRINT=ABCDEF") && !link.contains("s3cret"),
        "{link}"
    );
    assert!(r.text("relevant_lines").contains("IDENTITY_HEADER=s3cret"));
    assert!(!r.list("examples").is_empty());
}

#[test]
fn a_header_the_world_made_is_no_secret() {
    let r = ask(&Query::Sources(SourceQuery {
        env_text: "IDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER=abc\n".into(),
        sdk: DetectSdk::Python,
        options: DetectOptions::default(),
        world_headers: vec!["abc".into()],
        now: NOW,
        situation: String::new(),
    }));
    assert!(r.texts("withheld").is_empty());
    assert_eq!(r.text("chosen"), "app-service");
    assert!(r
        .opt_text("link_text")
        .unwrap_or_default()
        .contains("IDENTITY_HEADER=abc"));
}

#[test]
fn a_message_that_is_not_a_query_is_answered_with_why() {
    for bad in ["", "{", "{\"Explain\":{}}", "[1,2]"] {
        let r = Reply::parse(&answer_json(bad));
        assert_eq!(r.kind(), "failed", "{bad:?}");
        assert!(r.text("message").starts_with("The engine could not read"));
    }
    assert_eq!(Reply::parse("not json").kind(), "failed");
    assert_eq!(Reply::parse("[]").kind(), "failed");
}

fn sources_reply(env: &str, sdk: DetectSdk, situation: &str) -> Reply {
    ask(&Query::Sources(SourceQuery {
        env_text: env.into(),
        sdk,
        options: DetectOptions::default(),
        world_headers: vec![],
        now: NOW,
        situation: situation.into(),
    }))
}

const SF: &str = "IDENTITY_ENDPOINT=https://10.0.0.4:2377/metadata/identity/oauth2/token\nIDENTITY_HEADER=s3cret\nIDENTITY_SERVER_THUMBPRINT=ABCDEF\n";
const WI: &str = "AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/\nAZURE_CLIENT_ID=0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60\nAZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47\nAZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token\n";

/// The raw response shown for a reply (the `source-response` code block).
fn response_shown(r: &Reply) -> String {
    let view = view_text(r, "answer_view");
    let at = view
        .find("\"data-testid\":\"source-response\"")
        .expect("a response block");
    let before = &view[..at];
    let code = before.rfind("\"code\":\"").expect("its code");
    let rest = &view[code + 8..];
    let end = rest.find("\",\"").unwrap_or(rest.len());
    serde_json::from_str::<String>(&format!("\"{}\"", &rest[..end])).unwrap_or_default()
}

#[test]
fn the_chosen_source_answers_as_the_simulator_does_for_that_situation() {
    use crate::endpoint::detect;
    use crate::endpoint::sources;
    for (env, sdk, situation, status) in [
        (SF, DetectSdk::Python, "ok", 200),
        (SF, DetectSdk::DotNet, "no-identity", 404),
        (SF, DetectSdk::JavaScript, "wrong-secret", 404),
        (WI, DetectSdk::Python, "ok", 200),
        (WI, DetectSdk::JavaScript, "namespace-changed", 401),
    ] {
        let r = sources_reply(env, sdk, situation);
        assert!(!r.list("situations").is_empty());
        let shown = response_shown(&r);
        // The same bytes as the sources module gives for that request and context.
        let parsed = detect::parse_env(env);
        let d = detect::detect(&parsed.vars, sdk, &DetectOptions::default());
        let ctx = sources_answer::context(&parsed.vars, d.chosen, situation, NOW);
        let a = sources::answer(d.chosen, d.request.as_ref().expect("a request"), &ctx)
            .expect("an answer");
        assert_eq!(shown, a.wire(), "{situation}");
        assert_eq!(a.response.status, status, "{situation}: {shown}");
        assert!(view_text(&r, "answer_view").contains(&format!("\"data-status\":\"{status}\"")));
    }
    let r = sources_reply(WI, DetectSdk::Python, "namespace-changed");
    let shown = response_shown(&r);
    assert!(shown.contains("AADSTS70021"), "{shown}");
    assert!(
        shown.contains("system:serviceaccount:orders-v2:orders-api"),
        "{shown}"
    );
    let view = view_text(&r, "answer_view");
    assert!(view.contains("\"data-testid\":\"federated-az\""));
    assert!(
        view.contains("#/decoder?token=ey"),
        "the projected token opens in the decoder"
    );
}

#[test]
fn sources_the_page_simulates_point_there() {
    let r = sources_reply("", DetectSdk::Python, "");
    assert_eq!(r.text("chosen"), "imds");
    assert!(r.list("situations").is_empty());
    assert!(view_text(&r, "answer_view").contains("source-response-elsewhere"));
}

#[test]
fn rows_are_read_and_the_answered_situation_is_named() {
    let r = Reply::from(serde_json::json!({"examples": [["a", "b"], ["c", 1], "d", []]}));
    assert_eq!(
        r.rows("examples"),
        vec![vec!["a".to_string(), "b".to_string()], vec![]]
    );
    assert_eq!(
        sources_reply(WI, DetectSdk::Python, "").text("situation"),
        "ok"
    );
    assert_eq!(
        sources_reply(WI, DetectSdk::Python, "namespace-changed").text("situation"),
        "namespace-changed"
    );
    assert_eq!(
        sources_reply(WI, DetectSdk::Python, "nonsense").text("situation"),
        "ok"
    );
    assert_eq!(
        sources_reply("", DetectSdk::Python, "ok").text("situation"),
        ""
    );
}
