//! Helpers for the browser tests: mount the app in a fresh element, drive the fragment, query
//! the DOM. Waiting is done with yew's scheduler flush and animation frames — never sleeps.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub struct Mounted {
    pub root: web_sys::Element,
    handle: yew::AppHandle<mi_playground::ui::App>,
}

impl Mounted {
    pub fn query(&self, selector: &str) -> Option<web_sys::Element> {
        self.root.query_selector(selector).ok().flatten()
    }

    pub fn query_all(&self, selector: &str) -> Vec<web_sys::Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
            .collect()
    }

    pub fn text_of(&self, selector: &str) -> String {
        self.query(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .text_content()
            .unwrap_or_default()
    }

    pub fn unmount(self) {
        self.handle.destroy();
        self.root.remove();
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn set_hash(hash: &str) {
    let win = web_sys::window().unwrap();
    win.history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
        .unwrap();
}

pub fn current_hash() -> String {
    web_sys::window().unwrap().location().hash().unwrap()
}

pub fn html_attr(name: &str) -> Option<String> {
    document().document_element().unwrap().get_attribute(name)
}

/// Lets yew render everything scheduled, then waits one animation frame for effects.
pub async fn flush() {
    yew::scheduler::flush().await;
    next_frame().await;
    yew::scheduler::flush().await;
}

pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Mounts the app with `hash` as the location fragment.
pub async fn mount(hash: &str) -> Mounted {
    set_hash(hash);
    mount_current().await
}

pub async fn mount_current() -> Mounted {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    // The on-demand engine runs in-process: the worker's file is not served to browser tests
    // (e2e tests load the real worker).
    let props = mi_playground::ui::AppProps {
        engine: mi_playground::ui::engine::Engine::in_process(mi_core::diagnose::answer_json),
    };
    let handle =
        yew::Renderer::<mi_playground::ui::App>::with_root_and_props(root.clone(), props).render();
    flush().await;
    Mounted { root, handle }
}

/// Navigates like a link click: the router hears the popstate the browser fires.
pub async fn navigate(hash: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
    // The hash change is applied asynchronously; wait for hashchange, then render.
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let win = web_sys::window().unwrap();
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_once(true);
        win.add_event_listener_with_callback_and_add_event_listener_options(
            "hashchange",
            &resolve,
            &opts,
        )
        .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
    flush().await;
}

impl Mounted {
    /// Types `text` into the textarea/input matching `selector`, as a paste would.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let el = self
            .query(selector)
            .unwrap_or_else(|| panic!("no {selector}"));
        if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            t.set_value(text);
        } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            i.set_value(text);
        }
        let event = web_sys::InputEvent::new("input").unwrap();
        el.dispatch_event(&event).unwrap();
        flush().await;
    }

    /// Clicks the button whose visible text is `label`.
    pub async fn click_button(&self, label: &str) {
        let button = self
            .query_all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no button labelled {label}"));
        button.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
        flush().await;
    }

    /// Text of the element with `data-testid`.
    pub fn testid(&self, id: &str) -> String {
        self.text_of(&format!("[data-testid={id}]"))
    }
}

/// Waits (frame by frame, bounded) until `check` holds: for results of async browser APIs.
pub async fn until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..600 {
        if check() {
            return;
        }
        next_frame().await;
        yew::scheduler::flush().await;
    }
    panic!("timed out waiting for {what}");
}

impl Mounted {
    /// Clicks the button labelled `label` inside the first element matching `scope`.
    pub async fn click_button_in(&self, scope: &str, label: &str) {
        let button = self
            .query_all(&format!("{scope} button"))
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no button labelled {label} in {scope}"));
        button.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
        flush().await;
    }

    /// Opens the page's "Embed" builder as a click would (the panel renders on toggle).
    pub async fn open_embed_builder(&self) {
        let details: web_sys::HtmlDetailsElement = self
            .query("[data-testid=embed-builder]")
            .expect("the page has an Embed builder")
            .dyn_into()
            .unwrap();
        details.set_open(true);
        details
            .dispatch_event(&web_sys::Event::new("toggle").unwrap())
            .unwrap();
        flush().await;
    }

    /// Text of `[data-testid=id]` inside the first element matching `scope`.
    pub fn testid_in(&self, scope: &str, id: &str) -> String {
        self.text_of(&format!("{scope} [data-testid={id}]"))
    }

    /// Chooses `value` in the `<select>` matching `selector` and fires `change`.
    pub async fn choose(&self, selector: &str, value: &str) {
        let el = self
            .query(selector)
            .unwrap_or_else(|| panic!("no {selector}"));
        el.dyn_ref::<web_sys::HtmlSelectElement>()
            .unwrap()
            .set_value(value);
        el.dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        flush().await;
    }
}

/// The id of the focused element.
pub fn active_element_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}
