//! Thin wrappers over the browser APIs the UI needs. Every function degrades gracefully
//! (returns `None` / does nothing) when an API is missing, because a failed browser call must
//! never take the page down.

pub mod clipboard;
pub mod download;
pub mod embed;
pub mod fragment;
pub mod handoff;
pub mod panic;
pub mod theme;
pub mod webcrypto;
pub mod worker;

use wasm_bindgen::JsCast;

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The element the app renders into: `<div id="app">`, emptied of its "Loading…" placeholder.
pub fn mount_point() -> Option<web_sys::Element> {
    let root = document()?.get_element_by_id("app")?;
    root.set_text_content(None);
    root.remove_attribute("aria-busy").ok();
    Some(root)
}

/// The page's own address without the fragment, e.g. `https://blog.example/tools/mi/`.
pub fn page_base_url() -> String {
    window()
        .and_then(|w| {
            let loc = w.location();
            Some(format!("{}{}", loc.origin().ok()?, loc.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Milliseconds since the page started, for latency measurements.
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Unix time in seconds, from the browser clock.
pub fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Focusable element lookup by id, for moving keyboard focus after an action.
pub fn focus_element(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.focus().ok();
    }
}

/// The `value` of the input, textarea or select that fired `event` ("" when it has none).
pub fn event_value(event: &web_sys::Event) -> String {
    event
        .target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether the checkbox that fired `event` is checked.
pub fn event_checked(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|t| js_sys::Reflect::get(&t, &"checked".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
