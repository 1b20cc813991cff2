//! The on-demand engine as a Web Worker (`mi_core::diagnose`): the troubleshooter's catalogue
//! and the source detection, kept out of the app's first download. Built by Trunk as a second
//! module (`data-type="worker"` in index.html); the page talks to it through
//! `browser::worker`. Messages: `"<id>\n<json>"` both ways, and `"ready"` once loaded.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn main() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let Some((id, query)) = text.split_once('\n') else {
                return;
            };
            let answer = mi_core::diagnose::answer_json(query);
            let _ = reply_to.post_message(&JsValue::from_str(&format!("{id}\n{answer}")));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
