//! Reading and writing the page state in `location.hash`.

use mi_core::fragment::{Fragment, START_PARAM};

pub fn current() -> Fragment {
    let hash = super::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Fragment::parse(&hash)
}

/// The event `replace` fires on `window` after it changed the fragment, for widgets that
/// follow the page's state (the embed builder) without re-routing.
pub const CHANGED_EVENT: &str = "mi-fragment-changed";

/// Replaces the fragment without a new history entry and without a `hashchange` event:
/// typing updates the share link but must not re-route or flood the back button.
pub fn replace(fragment: &Fragment) {
    let Some(win) = super::window() else { return };
    let hash = fragment.to_hash();
    if win.location().hash().ok().as_deref() == Some(hash.as_str()) {
        return;
    }
    if let Ok(history) = win.history() {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash))
            .ok();
    }
    if let Ok(event) = web_sys::Event::new(CHANGED_EVENT) {
        win.dispatch_event(&event).ok();
    }
}

/// Whether the page runs inside a blog post's iframe (`embed=1`); fixed for the page's life.
pub fn is_embed() -> bool {
    current().is_embed()
}

/// The full playground's address for what the embed shows (`embed::full_fragment`).
pub fn full_playground_url(fragment: &Fragment) -> String {
    let f = mi_core::embed::full_fragment(fragment);
    format!("{}{}", super::page_base_url(), f.to_hash())
}

/// jwt.ms-style links (`#access_token=…`) become `#/decoder?token=…` before the router reads
/// the fragment, so those links open the decoder.
pub fn normalize_alias_fragment() {
    let Some(win) = super::window() else { return };
    let hash = win.location().hash().unwrap_or_default();
    let raw = hash.strip_prefix('#').unwrap_or(&hash);
    if raw.is_empty() || raw.starts_with('/') {
        return;
    }
    replace(&Fragment::parse(&hash));
}

/// The simulated world's start for the page being opened: the link's `t=`, or the visitor's
/// clock rounded down to the minute. A missing or unusable `t=` is written into the address
/// bar, so the address is a share link that reproduces this exact world. The second value says
/// why a `t=` in the link was not used.
pub fn world_start() -> (u64, Option<String>) {
    let mut f = current();
    let now = u64::try_from(super::unix_now()).unwrap_or_default();
    let (start, why) = f.world_start(now);
    let text = start.to_string();
    if f.get(START_PARAM) != Some(text.as_str()) {
        f.set(START_PARAM, &text);
        replace(&f);
    }
    (start, why)
}
