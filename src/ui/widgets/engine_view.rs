//! Renders the element trees the on-demand engine sends (JsonML, see `mi_core::view`) as DOM
//! elements — never as HTML markup. Only the tags and attributes below are created; `href`
//! must stay inside the app (`#…`). `x-code` becomes a [`CodeBlock`], `x-legend` the certainty
//! legend. A `button` with `data-action="open-decoder"` opens the decoder with its
//! `data-token` in memory (the token may be a credential: it never goes in the address).

use serde_json::Value;
use yew::prelude::*;
use yew::virtual_dom::VTag;

use super::{certainty_legend, CodeBlock};
use crate::browser::handoff;

const TAGS: [&str; 28] = [
    "a", "br", "button", "caption", "code", "dd", "details", "div", "dl", "dt", "em", "h2", "h3",
    "li", "ol", "p", "pre", "section", "span", "strong", "summary", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
];
const ATTRS: [&str; 8] = [
    "class", "id", "title", "role", "scope", "type", "href", "open",
];

fn allowed_attr(name: &str, value: &str) -> bool {
    if name == "href" {
        return value.starts_with('#');
    }
    ATTRS.contains(&name) || name.starts_with("data-") || name.starts_with("aria-")
}

/// One node (an element or a text).
pub fn render_node(node: &Value) -> Html {
    match node {
        Value::String(t) => html! { { t.clone() } },
        Value::Array(items) => {
            let Some(tag) = items.first().and_then(Value::as_str) else {
                return html! {};
            };
            let attrs = items.get(1).and_then(Value::as_object);
            let attr = |name: &str| {
                attrs
                    .and_then(|a| a.get(name))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            match tag {
                "x-code" => {
                    let testid = attr("data-testid");
                    return html! {
                        <CodeBlock title={attr("title")} code={attr("code")}
                            testid={(!testid.is_empty()).then(|| AttrValue::from(testid))} />
                    };
                }
                "x-legend" => return certainty_legend(),
                _ if !TAGS.contains(&tag) => return html! {},
                _ => {}
            }
            let mut el = VTag::new(tag.to_string());
            for (name, value) in attrs.into_iter().flatten() {
                if let Some(v) = value.as_str() {
                    if allowed_attr(name, v) {
                        el.add_attribute(intern(name), v.to_string());
                    }
                }
            }
            for child in items.iter().skip(2) {
                el.add_child(render_node(child));
            }
            el.into()
        }
        _ => html! {},
    }
}

/// Attribute names must be `'static` for yew: the allowed ones are, `data-*`/`aria-*` ones are
/// interned (a few dozen distinct names come from the engine).
fn intern(name: &str) -> &'static str {
    use std::cell::RefCell;
    use std::collections::HashSet;
    thread_local! {
        static NAMES: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
    }
    if let Some(known) = ATTRS.iter().find(|a| **a == name) {
        return known;
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(known) = names.get(name) {
            return *known;
        }
        let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
        names.insert(leaked);
        leaked
    })
}

#[derive(Properties, PartialEq)]
pub struct EngineViewProps {
    /// JsonML nodes.
    pub nodes: Vec<Value>,
}

/// A list of engine nodes, with the decoder buttons wired (one listener for the whole view).
#[function_component(EngineView)]
pub fn engine_view(props: &EngineViewProps) -> Html {
    let onclick = Callback::from(|e: MouseEvent| {
        let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
            return;
        };
        let Ok(Some(button)) = target.closest("button[data-action=\"open-decoder\"]") else {
            return;
        };
        if let Some(token) = button.get_attribute("data-token") {
            handoff::open(handoff::TOKEN, token, "#/decoder");
        }
    });
    html! {
        <div class="engine-view" {onclick}>
            { for props.nodes.iter().map(render_node) }
        </div>
    }
}
