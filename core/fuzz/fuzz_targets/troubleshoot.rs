//! The error explainer: `troubleshoot::explain` on any text, and everything the UI calls on
//! its result (the fix, each candidate's fix, the suggestion, the matched entries, the cause's
//! deep link). Any panic is a bug; so is a result that is not deterministic, a matched id the
//! catalogue does not know, a list over its cap, or an extracted value the text does not hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::troubleshoot::{self, Cause, MAX_ITEMS};

fuzz_target!(|data: &[u8]| {
    if data.len() > 1 << 20 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let ex = troubleshoot::explain(&text);
    assert_eq!(ex, troubleshoot::explain(&text), "deterministic");
    assert_eq!(
        ex.entries().count(),
        ex.matched.len(),
        "every matched id is known"
    );
    assert_eq!(ex.decided_by.is_none(), ex.top == Cause::Unknown);
    if let Some(e) = ex.top_entry() {
        // The entry's own cause, or an alternative a selector in the text settled.
        assert!(e.cause == ex.top || e.alternatives.contains(&ex.top));
    }
    let x = &ex.extracted;
    let lower = text.to_ascii_lowercase();
    // Values read verbatim (role names are the catalogue's spelling: compared without case).
    for list in [
        &x.object_ids,
        &x.client_ids,
        &x.tenant_ids,
        &x.scopes,
        &x.roles,
        &x.resource_ids,
        &x.tokens,
    ] {
        assert!(list.len() <= MAX_ITEMS);
        for v in list {
            assert!(
                !v.is_empty() && lower.contains(&v.to_ascii_lowercase()),
                "{v:?}"
            );
        }
    }
    // Decoded (resources) or labelled (selectors): only the cap.
    assert!(x.resources.len() <= MAX_ITEMS && x.selectors.len() <= MAX_ITEMS);
    let _ = ex.fix();
    let _ = ex.suggestion();
    for c in &ex.candidates {
        assert_ne!(c.cause, ex.top);
        let _ = ex.fix_for(c.cause);
    }
    let _ = troubleshoot::reproduce(ex.top);
    // What the engine sends the page: the cause it names is the explanation's, and the
    // view is JSON the page can read back.
    let reply = mi_core::diagnose::Reply::from(mi_core::diagnose::answer(
        &mi_core::diagnose::Query::Explain {
            text: text.to_string(),
        },
    ));
    assert_eq!(reply.text("cause"), ex.top.id());
    assert!(!reply.list("view").is_empty());
    // The engine's JSON entry point takes any text without panicking.
    let raw = mi_core::diagnose::Reply::parse(&mi_core::diagnose::answer_json(&text));
    assert!(matches!(raw.kind(), "explained" | "sources" | "failed"));
});
