//! `#/decoder` — paste anything that holds a token and read it: summary, diagnostics, the
//! colour-coded token, claims with their meaning, signature verification and comparison.
//!
//! State in the fragment: `token=` (the cleaned token) and `compare=` (a second token).

mod claims_view;
mod compare_view;
mod diagnostics_view;
mod segments_view;
mod summary_view;
mod verify_view;

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use mi_core::token::{self, Reading};
use yew::prelude::*;

use crate::browser;
use crate::ui::widgets::CopyButton;

/// How long typing must pause before the share link in the address bar is updated.
const LINK_UPDATE_DELAY_MS: u32 = 250;

/// Inputs larger than this stay out of the share link (URLs of megabytes break browsers).
const MAX_TOKEN_IN_LINK: usize = 16 * 1024;

/// A decoded input: the text the user typed and what the core read from it.
#[derive(PartialEq)]
pub struct Decoded {
    pub input: String,
    pub reading: Reading,
    pub now: i64,
}

pub fn decode(input: String) -> Rc<Decoded> {
    let now = browser::unix_now();
    let reading = token::read(&input, now);
    Rc::new(Decoded {
        input,
        reading,
        now,
    })
}

fn store_in_fragment(key: &str, decoded: &Decoded) {
    let mut fragment = browser::fragment::current();
    let text = &decoded.reading.token_text;
    let value = if text.len() <= MAX_TOKEN_IN_LINK {
        text.as_str()
    } else {
        ""
    };
    fragment.set(key, value);
    browser::fragment::replace(&fragment);
}

#[function_component(DecoderPage)]
pub fn decoder_page() -> Html {
    let decoded = use_state(|| {
        decode(
            browser::fragment::current()
                .get("token")
                .unwrap_or_default()
                .to_string(),
        )
    });
    // The summary and diagnostics render at once; the heavier views (encoded token, claims,
    // signature) follow a moment later, so a paste shows its answer within a frame.
    let details = use_state(|| decode(String::new()));
    let pending = use_mut_ref(|| None::<(Timeout, Timeout)>);
    {
        // A deep link: the summary first, the details right after.
        let (details, first) = (details.clone(), (*decoded).clone());
        let pending = pending.clone();
        use_effect_with((), move |_| {
            let show = Timeout::new(0, move || details.set(first));
            *pending.borrow_mut() = Some((show, Timeout::new(0, || ())));
        });
    }
    let set_input = {
        let decoded = decoded.clone();
        let details = details.clone();
        Callback::from(move |input: String| {
            let d = decode(input);
            let (for_details, for_link) = (d.clone(), d.clone());
            let details = details.clone();
            // Dropping the previous timeouts cancels them: only the latest input counts.
            *pending.borrow_mut() = Some((
                Timeout::new(0, move || details.set(for_details)),
                // Typing must not rewrite the address on every key (browsers throttle that).
                Timeout::new(LINK_UPDATE_DELAY_MS, move || {
                    store_in_fragment("token", &for_link)
                }),
            ));
            decoded.set(d);
        })
    };
    let oninput = {
        let set_input = set_input.clone();
        Callback::from(move |e: InputEvent| set_input.emit(crate::browser::event_value(&e)))
    };
    let on_clear = {
        let set_input = set_input.clone();
        Callback::from(move |_| {
            set_input.emit(String::new());
            browser::focus_element("token-input");
        })
    };
    let samples = mi_core::token::samples::SAMPLES;
    let reading = &decoded.reading;
    let has_input = !decoded.input.trim().is_empty();
    let linkable = reading.token_text.len() <= MAX_TOKEN_IN_LINK;
    let share_link = if linkable {
        format!(
            "{}#/decoder?token={}",
            browser::page_base_url(),
            reading.token_text
        )
    } else {
        String::new()
    };

    html! {
        <section class="page decoder" aria-labelledby="decoder-title">
            <h1 id="decoder-title">{ "Token decoder" }</h1>
            <p class="lead">{ "Paste a token — or a whole Authorization header, curl command, IMDS response or \
                               jwt.ms link — and see what it says about the identity. Decoding happens in this \
                               page; nothing is sent anywhere." }</p>
            <div class="decoder-input">
                <label for="token-input">{ "Token" }</label>
                <textarea id="token-input" data-testid="token-input" rows="6" spellcheck="false"
                    autocomplete="off" autocapitalize="off"
                    placeholder="eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIs…"
                    aria-describedby="token-input-help"
                    value={decoded.input.clone()} {oninput} />
                <p id="token-input-help" class="muted small">{ "Decodes as you type. Up to 1 MiB." }</p>
                <div class="actions">
                    <button type="button" class="secondary" onclick={on_clear} disabled={!has_input}>{ "Clear" }</button>
                    { for samples.iter().map(|&(label, token)| {
                        let set_input = set_input.clone();
                        let token = token.to_string();
                        html! {
                            <button type="button" class="secondary"
                                onclick={Callback::from(move |_| set_input.emit(token.clone()))}>
                                { format!("Sample: {label}") }
                            </button>
                        }
                    }) }
                    if has_input && !reading.token_text.is_empty() && !linkable {
                        <span class="muted small">{ "This token is over 16 KB: it is not put in the page's link." }</span>
                    }
                    if has_input && !reading.token_text.is_empty() && linkable {
                        <span class="share">
                            <CopyButton text={share_link} what="share link" label="Copy share link" />
                            <span class="muted small">{ "The link carries the token in its # fragment only: \
                                browsers never send the fragment to a server, but anyone you give the link can read the token." }</span>
                        </span>
                    }
                </div>
            </div>
            if has_input {
                <summary_view::SummaryView decoded={(*decoded).clone()} />
                <diagnostics_view::DiagnosticsView decoded={(*decoded).clone()} />
                <segments_view::SegmentsView decoded={(*details).clone()} />
                <claims_view::ClaimsView decoded={(*details).clone()} />
                <verify_view::VerifyView decoded={(*details).clone()} />
            }
            <compare_view::CompareView left={(*decoded).clone()} />
        </section>
    }
}
