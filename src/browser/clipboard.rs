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
