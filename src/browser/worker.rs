//! The on-demand engine's Web Worker (`mi_core::diagnose` in a second WebAssembly module, see
//! `src/bin/mi-engine.rs`): started the first time a page asks, then kept. Messages are text:
//! `"<id>\n<json query>"` out, `"<id>\n<json answer>"` back, and `"ready"` once the worker's
//! module has loaded (messages posted before that would reach no handler, so they wait here).
//!
//! Hand-written over `web_sys::Worker` rather than gloo-worker: gloo-worker panics when a
//! worker cannot be created and has no error path, and a page that cannot load the engine must
//! say so and keep working.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's loader script (Trunk's `data-loader-shim`), relative to the page.
pub const LOADER: &str = "mi-engine_loader.js";

/// What the page does with an answer's JSON text (or with why none will come).
pub type Reply = Box<dyn FnOnce(Result<String, String>)>;

#[derive(Default)]
struct Client {
    worker: Option<web_sys::Worker>,
    ready: bool,
    /// Messages waiting for `ready`.
    queue: Vec<String>,
    pending: HashMap<u32, Reply>,
    next_id: u32,
    /// Why the worker cannot answer (it failed to load); later asks fail at once.
    failed: Option<String>,
}

thread_local! {
    static CLIENT: Rc<RefCell<Client>> = Rc::new(RefCell::new(Client::default()));
}

/// Sends a JSON query; `reply` gets the answer's JSON text, or why there is none.
pub fn ask(query_json: String, reply: Reply) {
    let client = CLIENT.with(Rc::clone);
    let failed = client.borrow().failed.clone();
    if let Some(why) = failed {
        reply(Err(why));
        return;
    }
    if client.borrow().worker.is_none() {
        if let Err(why) = start(&client) {
            client.borrow_mut().failed = Some(why.clone());
            reply(Err(why));
            return;
        }
    }
    let mut c = client.borrow_mut();
    let id = c.next_id;
    c.next_id = c.next_id.wrapping_add(1);
    c.pending.insert(id, reply);
    let message = format!("{id}\n{query_json}");
    if c.ready {
        if let Some(w) = &c.worker {
            let _ = w.post_message(&JsValue::from_str(&message));
        }
    } else {
        c.queue.push(message);
    }
}

fn start(client: &Rc<RefCell<Client>>) -> Result<(), String> {
    let worker = web_sys::Worker::new(LOADER).map_err(|e| {
        format!(
            "The page could not start its analysis engine ({LOADER}): {}. Reload the page; if this persists, the site may block workers.",
            e.as_string().unwrap_or_else(|| "the browser refused".into())
        )
    })?;
    let on_message = {
        let client = Rc::clone(client);
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(text) = e.data().as_string() {
                received(&client, &text);
            }
        })
    };
    let on_error = {
        let client = Rc::clone(client);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            fail_all(
                &client,
                format!("The page's analysis engine ({LOADER} and its module) failed to load. Reload the page; the rest of the playground works without it."),
            );
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The worker lives as long as the page: so do its handlers.
    on_message.forget();
    on_error.forget();
    client.borrow_mut().worker = Some(worker);
    Ok(())
}

fn received(client: &Rc<RefCell<Client>>, text: &str) {
    if text == "ready" {
        let mut c = client.borrow_mut();
        c.ready = true;
        let queue = std::mem::take(&mut c.queue);
        if let Some(w) = &c.worker {
            for m in queue {
                let _ = w.post_message(&JsValue::from_str(&m));
            }
        }
        return;
    }
    let Some((id, json)) = text.split_once('\n') else {
        return;
    };
    let Ok(id) = id.parse::<u32>() else {
        return;
    };
    // Take the reply out before calling it: it may ask again.
    let reply = client.borrow_mut().pending.remove(&id);
    if let Some(reply) = reply {
        reply(Ok(json.to_string()));
    }
}

fn fail_all(client: &Rc<RefCell<Client>>, why: String) {
    let pending: Vec<Reply> = {
        let mut c = client.borrow_mut();
        c.failed = Some(why.clone());
        c.queue.clear();
        c.pending.drain().map(|(_, r)| r).collect()
    };
    for reply in pending {
        reply(Err(why.clone()));
    }
}
