//! Copy to clipboard through the async Clipboard API.

use wasm_bindgen_futures::JsFuture;

/// Copies `text`; resolves to whether the browser accepted it.
pub async fn copy(text: String) -> bool {
    let Some(win) = super::window() else {
        return false;
    };
    let promise = win.navigator().clipboard().write_text(&text);
    JsFuture::from(promise).await.is_ok()
}

/// Selects the text inside `node`, so the reader can copy it with the keyboard.
pub fn select_contents(node: &web_sys::Node) {
    if let Some(selection) = super::window().and_then(|w| w.get_selection().ok().flatten()) {
        selection.select_all_children(node).ok();
    }
}
