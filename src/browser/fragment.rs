//! Reading and writing the page state in `location.hash`.

use mi_core::fragment::Fragment;

pub fn current() -> Fragment {
    let hash = super::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Fragment::parse(&hash)
}

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
