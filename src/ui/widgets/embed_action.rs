//! "Embed" action: a ready-to-paste iframe snippet for the current page and state.

use mi_core::fragment::{embed_snippet, Fragment};
use yew::prelude::*;

use super::CodeBlock;
use crate::browser;
use crate::ui::Route;

#[derive(Properties, PartialEq)]
pub struct EmbedActionProps {
    pub route: Route,
    pub fragment: Fragment,
}

#[function_component(EmbedAction)]
pub fn embed_action(props: &EmbedActionProps) -> Html {
    // Read the live fragment when the panel opens: pages update it without re-rendering us.
    let open = use_state(|| false);
    if props.route == Route::NotFound {
        return html! {};
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let is_open = e
                .target_dyn_into::<web_sys::HtmlDetailsElement>()
                .map(|d| d.open())
                .unwrap_or(false);
            open.set(is_open);
        })
    };
    let mut fragment = if *open {
        browser::fragment::current()
    } else {
        props.fragment.clone()
    };
    // A pasted token or error text is the user's: it does not go into a snippet meant for
    // publishing.
    let had_token = fragment.get("token").is_some() || fragment.get("text").is_some();
    fragment.set("token", "");
    fragment.set("text", "");
    // Each reader's simulated world starts at their own clock: a pinned start time would show
    // them tokens that expired long ago.
    fragment.set(mi_core::fragment::START_PARAM, "");
    let snippet = embed_snippet(
        &browser::page_base_url(),
        &fragment,
        &props.route.embed_title(),
    );
    html! {
        <details class="embed-action" data-testid="embed-action" {ontoggle}>
            <summary>{ "Embed this widget" }</summary>
            <p>{ "Paste this into a blog post. The iframe shows this page alone, in its current state, \
                  and embed.js resizes it to fit its content." }</p>
            if had_token {
                <p class="note">{ "What you pasted is left out of the snippet on purpose." }</p>
            }
            <CodeBlock title="Embed code (HTML)" code={snippet} testid="embed-snippet" />
        </details>
    }
}
