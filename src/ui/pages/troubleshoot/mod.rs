//! `#/troubleshoot` — "What does this error mean?": paste an exception message, a log excerpt
//! or an HTTP error body and read the likely cause, what to check, how to fix it and a
//! simulator link that shows it happen (all from `mi_core::troubleshoot`).
//!
//! State in the fragment: `text=` is read when the page opens. What the user pastes may hold
//! credentials (a token, ids, resource paths), so it is never written to the address bar by
//! itself: "Copy share link" builds a link with the text on request and says so. The decoder's
//! "explain it" hands its input over in memory (`browser::handoff`), not in the address.

mod result_view;

use std::rc::Rc;

use mi_core::fragment::Fragment;
use mi_core::token::samples::{self, LinkPolicy};
use mi_core::troubleshoot::{self, Explanation};
use yew::prelude::*;

use crate::browser::{self, handoff};
use crate::ui::widgets::ShareButton;

/// Texts longer than this stay out of share links (like tokens over 16 KB).
const MAX_TEXT_IN_LINK: usize = 16 * 1024;

/// A pasted text and what the core made of it.
#[derive(PartialEq)]
pub struct Analysed {
    pub input: String,
    pub explanation: Explanation,
}

pub fn analyse(input: String) -> Rc<Analysed> {
    let explanation = troubleshoot::explain(&input);
    Rc::new(Analysed { input, explanation })
}

/// Whether a token found in the text may be a live credential (anything not minted with the
/// playground's demo key).
pub fn is_credential(token: &str) -> bool {
    matches!(
        samples::link_policy(&mi_core::token::read(token, 0)),
        LinkPolicy::Credential | LinkPolicy::TooLarge
    )
}

#[function_component(TroubleshootPage)]
pub fn troubleshoot_page() -> Html {
    let state = use_state(|| {
        let text = handoff::take(handoff::TEXT).unwrap_or_else(|| {
            browser::fragment::current()
                .get("text")
                .unwrap_or_default()
                .to_string()
        });
        analyse(text)
    });
    let set_input = {
        let state = state.clone();
        Callback::from(move |text: String| state.set(analyse(text)))
    };
    let oninput = {
        let set_input = set_input.clone();
        Callback::from(move |e: InputEvent| set_input.emit(browser::event_value(&e)))
    };
    let on_clear = {
        let set_input = set_input.clone();
        Callback::from(move |_| {
            set_input.emit(String::new());
            browser::focus_element("error-input");
        })
    };
    let has_input = !state.input.trim().is_empty();
    html! {
        <section class="page troubleshoot" aria-labelledby="troubleshoot-title">
            <h1 id="troubleshoot-title">{ "What does this error mean?" }</h1>
            <p class="lead">{ "Paste an exception message, a log excerpt or an HTTP error body — from any Azure SDK \
                               (Python, .NET, JavaScript, Java, Go), from IMDS, App Service, Arc or Service Fabric, \
                               from Entra ID (AADSTS…) or from the service you called. It is read in this page; \
                               nothing is sent anywhere." }</p>
            <div class="decoder-input">
                <label for="error-input">{ "Error text" }</label>
                <textarea id="error-input" data-testid="error-input" rows="5" spellcheck="false"
                    autocomplete="off" autocapitalize="off"
                    placeholder="ManagedIdentityCredential authentication unavailable…"
                    aria-describedby="error-input-help"
                    value={state.input.clone()} {oninput} />
                <p id="error-input-help" class="muted small">{ "Explained as you type. Ids, names and tokens in it stay in this page." }</p>
                <div class="actions examples">
                    <button type="button" class="secondary small" onclick={on_clear} disabled={!has_input}>{ "Clear" }</button>
                    <span class="muted small">{ "Try:" }</span>
                    { for troubleshoot::EXAMPLES.iter().map(|&(label, text)| {
                        let set_input = set_input.clone();
                        html! {
                            <button type="button" class="secondary small"
                                onclick={Callback::from(move |_| set_input.emit(text.to_string()))}>
                                { label }
                            </button>
                        }
                    }) }
                </div>
            </div>
            if has_input {
                <result_view::ResultView analysed={(*state).clone()} />
                <div class="card">
                    <ShareLink analysed={(*state).clone()} />
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ShareLinkProps {
    analysed: Rc<Analysed>,
}

/// "Copy share link": the text goes into the link only here, and the note says what it holds.
#[function_component(ShareLink)]
fn share_link(props: &ShareLinkProps) -> Html {
    let a = &props.analysed;
    if a.input.len() > MAX_TEXT_IN_LINK {
        return html! {
            <p class="muted small" data-testid="share-note">{ "This text is over 16 KB: too large for a link." }</p>
        };
    }
    let mut f = Fragment {
        path: "/troubleshoot".into(),
        params: Vec::new(),
    };
    f.set("text", &a.input);
    let link = format!("{}{}", browser::page_base_url(), f.to_hash());
    let credential = a
        .explanation
        .extracted
        .tokens
        .iter()
        .any(|t| is_credential(t));
    let note = if credential {
        "The link contains the text you pasted, including a token — a credential. Share it only where you would share the token itself."
    } else {
        "The link contains the text you pasted, with every id, name and resource path in it. Share it only where you would share the text."
    };
    html! {
        <>
            <ShareButton {link} note={note} {credential} />
            <p class="muted small" data-testid="kept-out">{ "Kept out of the address bar, history and storage: what you paste may hold credentials." }</p>
        </>
    }
}
