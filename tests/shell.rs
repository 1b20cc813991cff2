//! Browser tests of the app shell (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

#[wasm_bindgen_test]
async fn shell_renders_header_routes_and_privacy_footer() {
    let app = mount("#/").await;
    let links = app.query_all("nav a.nav-link");
    let labels: Vec<String> = links
        .iter()
        .map(|a| a.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        labels,
        [
            "Tour",
            "Flows",
            "IMDS simulator",
            "Token decoder",
            "Troubleshoot"
        ]
    );
    let hrefs: Vec<String> = links
        .iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect();
    assert_eq!(
        hrefs,
        ["#/", "#/flows", "#/imds", "#/decoder", "#/troubleshoot"]
    );
    assert_eq!(
        links[0].get_attribute("aria-current").as_deref(),
        Some("page")
    );
    let footer = app.text_of("[data-testid=privacy-footer]");
    assert!(
        footer.contains("Everything runs in your browser"),
        "{footer}"
    );
    assert!(app.query("[data-testid=embed-root]").is_none());
    app.unmount();
}

#[wasm_bindgen_test]
async fn routes_switch_on_fragment_change() {
    let app = mount("#/").await;
    for (hash, route, heading, active) in [
        ("#/flows", "flows", "Flows", Some("Flows")),
        ("#/imds", "imds", "IMDS simulator", Some("IMDS simulator")),
        (
            "#/decoder",
            "decoder",
            "Token decoder",
            Some("Token decoder"),
        ),
        ("#/", "tour", "Managed identities", Some("Tour")),
        ("#/nowhere", "notfound", "Page not found", None),
    ] {
        navigate(hash).await;
        let page = app.query("[data-testid=page]").expect("page");
        assert_eq!(
            page.get_attribute("data-route").as_deref(),
            Some(route),
            "{hash}"
        );
        let h1 = app.text_of("h1");
        assert!(h1.contains(heading), "{hash}: {h1}");
        let current = app
            .query("a.nav-link[aria-current=page]")
            .and_then(|a| a.text_content());
        assert_eq!(current.as_deref(), active, "{hash}");
    }
    app.unmount();
}

#[wasm_bindgen_test]
async fn theme_select_switches_and_is_remembered() {
    let app = mount("#/").await;
    let select: web_sys::HtmlSelectElement = app
        .query("[data-testid=theme-select]")
        .expect("theme select")
        .dyn_into()
        .unwrap();
    for theme in ["dark", "light", "auto"] {
        select.set_value(theme);
        select
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        flush().await;
        assert_eq!(html_attr("data-theme").as_deref(), Some(theme));
        let stored = web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item("mi-playground.theme")
            .unwrap();
        assert_eq!(stored.as_deref(), Some(theme));
    }
    app.unmount();
}

#[wasm_bindgen_test]
async fn embed_mode_hides_the_chrome() {
    let app = mount("#/decoder?embed=1").await;
    assert!(app.query("[data-testid=embed-root]").is_some());
    assert!(app.query("[data-testid=site-header]").is_none());
    assert!(app.query("[data-testid=privacy-footer]").is_none());
    assert!(app.query("[data-testid=embed-builder]").is_none());
    assert!(app.text_of("h1").contains("Token decoder"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_embed_builder_offers_a_snippet_for_the_current_state() {
    let app = mount("#/flows?lane=user&user=3").await;
    app.open_embed_builder().await;
    let snippet = app.text_of("[data-testid=embed-snippet]");
    assert!(
        snippet.starts_with("<iframe data-mi-playground src=\""),
        "{snippet}"
    );
    // The page's first choice: the focused lane at its step, without the start time.
    assert!(
        snippet.contains("#/flows?lane=user&amp;user=3&amp;embed=1\""),
        "{snippet}"
    );
    assert!(snippet.contains("allow=\"clipboard-write\""), "{snippet}");
    assert!(snippet.contains("embed.js\" defer></script>"), "{snippet}");
    let preview = app.query("[data-testid=embed-preview]").unwrap();
    assert!(preview
        .get_attribute("src")
        .unwrap()
        .ends_with("#/flows?lane=user&user=3&embed=1"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn jwt_ms_style_fragment_opens_the_decoder() {
    set_hash("#access_token=abc.def.ghi");
    mi_playground::browser::fragment::normalize_alias_fragment();
    assert_eq!(current_hash(), "#/decoder?token=abc.def.ghi");
    let app = mount_current().await;
    assert!(app.text_of("h1").contains("Token decoder"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_crash_shows_a_reload_panel_once() {
    mi_playground::browser::panic::report("test crash");
    mi_playground::browser::panic::report("second crash");
    let panels = document()
        .query_selector_all("[data-testid=crash-panel]")
        .unwrap();
    assert_eq!(panels.length(), 1);
    let panel = document().get_element_by_id("crash-panel").unwrap();
    assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
    let text = panel.text_content().unwrap_or_default();
    assert!(text.contains("Something went wrong — reload"), "{text}");
    let reload = panel.query_selector("a").unwrap().unwrap();
    assert_eq!(reload.text_content().as_deref(), Some("Reload"));
    panel.remove();
}
