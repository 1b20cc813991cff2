//! A panic in wasm kills the app; instead of a silently dead page the user gets a visible
//! "something went wrong — reload" panel and the details go to the console.

use std::panic;

pub fn install_hook() {
    panic::set_hook(Box::new(|info| report(&info.to_string())));
}

/// Logs the details and shows the crash panel (what the hook does; callable by tests).
pub fn report(details: &str) {
    web_sys::console::error_1(&format!("Managed Identity Playground crashed: {details}").into());
    show_panel();
}

/// Builds the panel with plain DOM calls (no HTML strings): yew may be in any state now.
fn show_panel() {
    let Some(doc) = super::document() else { return };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("crash-panel").is_some() {
        return;
    }
    let build = || -> Option<web_sys::Element> {
        let panel = doc.create_element("div").ok()?;
        panel.set_id("crash-panel");
        panel.set_attribute("role", "alert").ok()?;
        panel.set_attribute("data-testid", "crash-panel").ok()?;
        let title = doc.create_element("h2").ok()?;
        title.set_text_content(Some("Something went wrong — reload"));
        let text = doc.create_element("p").ok()?;
        text.set_text_content(Some(
            "The playground hit an internal error. Your input is still in the address bar: \
             reload the page to continue. Details are in the browser console.",
        ));
        let button = doc.create_element("a").ok()?;
        button.set_text_content(Some("Reload"));
        button.set_attribute("href", "").ok()?;
        button.set_attribute("class", "button").ok()?;
        panel.append_child(&title).ok()?;
        panel.append_child(&text).ok()?;
        panel.append_child(&button).ok()?;
        Some(panel)
    };
    if let Some(panel) = build() {
        body.prepend_with_node_1(&panel).ok();
    }
}
