use super::*;
use crate::troubleshoot::EXAMPLES;

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
    assert!(view.contains("no workload identity federation yet"));
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
