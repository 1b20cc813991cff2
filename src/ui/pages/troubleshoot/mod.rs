//! `#/troubleshoot` — "What does this error mean?": paste an exception message, a log excerpt
//! or an HTTP error body and read the likely cause, what to check, how to fix it and a
//! simulator link that shows it happen (all from `mi_core::troubleshoot`).
//!
//! State in the fragment: `text=` is read when the page opens. What the user pastes may hold
//! credentials (a token, ids, resource paths), so it is never written to the address bar by
//! itself: "Copy share link" builds a link with the text on request and says so. The decoder's
//! "explain it" hands its input over in memory (`browser::handoff`), not in the address.

use std::rc::Rc;

use mi_core::diagnose::{Query, Reply};
use mi_core::fragment::Fragment;
use mi_core::troubleshoot::EXAMPLES;
use yew::prelude::*;

use crate::browser::{self, handoff};
use crate::ui::engine::use_answer;
use crate::ui::widgets::{EngineView, ShareButton};

/// Texts longer than this stay out of share links (like tokens over 16 KB).
const MAX_TEXT_IN_LINK: usize = 16 * 1024;

/// A pasted text and what the engine made of it.
#[derive(PartialEq)]
pub struct Analysed {
    pub input: String,
    pub reply: Rc<Reply>,
}

#[function_component(TroubleshootPage)]
pub fn troubleshoot_page() -> Html {
    let input = use_state(|| {
        handoff::take(handoff::TEXT).unwrap_or_else(|| {
            browser::fragment::current()
                .get("text")
                .unwrap_or_default()
                .to_string()
        })
    });
    let has_input = !input.trim().is_empty();
    // The catalogue runs in the on-demand engine (see ui::engine); the page shows its report.
    let answered = use_answer(has_input.then(|| Query::Explain {
        text: (*input).clone(),
    }));
    let set_input = {
        let input = input.clone();
        Callback::from(move |text: String| input.set(text))
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
    let result = match answered.answer.clone() {
        _ if !has_input => html! {},
        Some(reply) if reply.kind() == "explained" => {
            let analysed = Rc::new(Analysed {
                input: (*input).clone(),
                reply: reply.clone(),
            });
            html! {
                <div aria-busy={answered.waiting.to_string()}>
                    <EngineView nodes={reply.list("view").to_vec()} />
                    <div class="card">
                        <ShareLink {analysed} />
                    </div>
                </div>
            }
        }
        Some(reply) => html! {
            <p class="notice warn" role="alert" data-testid="engine-failed">{ reply.text("message").to_string() }</p>
        },
        None => html! {
            <p class="muted" role="status" data-testid="engine-loading">{ "Loading the troubleshooter…" }</p>
        },
    };
    html! {
        <section class="page troubleshoot" aria-labelledby="troubleshoot-title">
            <div class="page-head">
                <h1 id="troubleshoot-title">{ "What does this error mean?" }</h1>
                <crate::ui::widgets::EmbedBuilder />
            </div>
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
                    value={(*input).clone()} {oninput} />
                <p id="error-input-help" class="muted small">{ "Explained as you type. Ids, names and tokens in it stay in this page." }</p>
                <div class="actions examples">
                    <button type="button" class="secondary small" onclick={on_clear} disabled={!has_input}>{ "Clear" }</button>
                    <span class="muted small">{ "Try:" }</span>
                    { for EXAMPLES.iter().map(|&(label, text)| {
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
            { result }
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
    let credential = a.reply.flag("credential");
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
