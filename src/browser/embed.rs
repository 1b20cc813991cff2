//! Embed mode: report the widget's height to the host page, which resizes the iframe
//! (static/embed.js). Only a height is sent — never anything the user typed.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub const RESIZE_MESSAGE_TYPE: &str = "mi-playground:resize";

/// Watches `element` and posts `{"type":"mi-playground:resize","height":N}` to the parent
/// window whenever its height changes. Returns the observer so the caller can disconnect it.
pub fn report_height(element: &web_sys::Element) -> Option<web_sys::ResizeObserver> {
    let win = super::window()?;
    let parent = win.parent().ok()??;
    if js_sys::Object::is(&parent, &win) {
        return None; // not inside a frame: nobody to tell
    }
    let last = std::cell::Cell::new(-1.0_f64);
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() else {
            return;
        };
        let height = entry.target().get_bounding_client_rect().height().ceil();
        if height == last.get() {
            return;
        }
        last.set(height);
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"type".into(), &RESIZE_MESSAGE_TYPE.into()).ok();
        js_sys::Reflect::set(&message, &"height".into(), &height.into()).ok();
        // "*": the height is not secret and the embedding page's origin is unknown to us.
        parent.post_message(&message, "*").ok();
    });
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(element);
    callback.forget(); // lives as long as the observer, i.e. the page
    Some(observer)
}
