//! `#/decoder` — paste anything that holds a token and read it: summary, diagnostics, the
//! colour-coded token, claims with their meaning, signature verification and comparison.
//!
//! State in the fragment: `sample=system|user` (a built-in sample), `token=` and `compare=`.
//! A token the user pastes is never written there by itself (it may be a live credential):
//! only tokens minted with the playground's demo key are, like any simulator state. "Copy share
//! link" builds a link with the token when the user asks, and says what it contains.
//!
//! A token can also arrive in memory (`browser::handoff`) from the troubleshooter's "Open in
//! the decoder". When the input is no token but an error message the troubleshooter knows, the
//! page offers to explain it, handing the text over the same way.

mod claims_view;
mod compare_view;
mod diagnostics_view;
mod segments_view;
mod summary_view;
mod verify_view;

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use mi_core::fragment::Fragment;
use mi_core::token::samples::{self, LinkPolicy};
use mi_core::token::{self, Reading};
use yew::prelude::*;

use crate::browser::{self, handoff};
use crate::ui::engine::use_answer;
use crate::ui::widgets::ShareButton;
use mi_core::diagnose::Query;

/// How long typing must pause before the address bar is updated.
const LINK_UPDATE_DELAY_MS: u32 = 250;

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

/// Writes into `f` what the link policy allows for the input under `key` (`token` or
/// `compare`): a sample's name or a demo token; anything else removes what an earlier input
/// put there. With `share`, the user asked for a link: a pasted token goes in too.
fn link_input(f: &mut Fragment, key: &str, decoded: &Decoded, share: bool) {
    let policy = samples::link_policy(&decoded.reading);
    let sample_key = if key == "token" {
        "sample"
    } else {
        "compare_sample"
    };
    let (token, sample) = match policy {
        LinkPolicy::Sample(label) => ("", label.trim_end_matches("-assigned")),
        LinkPolicy::DemoToken => (decoded.reading.token_text.as_str(), ""),
        LinkPolicy::Credential if share => (decoded.reading.token_text.as_str(), ""),
        LinkPolicy::Credential | LinkPolicy::Nothing | LinkPolicy::TooLarge => ("", ""),
    };
    f.set(key, token);
    f.set(sample_key, sample);
}

/// Updates the address bar for the input under `key` (see [`link_input`]).
pub fn store_in_fragment(key: &str, decoded: &Decoded) {
    let mut f = browser::fragment::current();
    link_input(&mut f, key, decoded, false);
    browser::fragment::replace(&f);
}

/// The input a fragment names under `key`: `token=`/`compare=`, or a sample by name.
pub fn input_from_fragment(f: &Fragment, key: &str) -> String {
    let sample_key = if key == "token" {
        "sample"
    } else {
        "compare_sample"
    };
    match (f.get(key), f.get(sample_key).and_then(samples::sample)) {
        (Some(t), _) if !t.is_empty() => t.to_string(),
        (_, Some((_, token))) => token.to_string(),
        _ => String::new(),
    }
}

#[function_component(DecoderPage)]
pub fn decoder_page() -> Html {
    let decoded = use_state(|| {
        decode(
            handoff::take(handoff::TOKEN)
                .unwrap_or_else(|| input_from_fragment(&browser::fragment::current(), "token")),
        )
    });
    let compared = use_state(|| {
        decode(input_from_fragment(
            &browser::fragment::current(),
            "compare",
        ))
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
    // Counts address-bar updates: `data-link-sync` tells tests (and nothing else) that the
    // debounced update has run, so they need not sleep to see what it wrote.
    let link_syncs = use_state(|| 0u32);
    let set_input = {
        let decoded = decoded.clone();
        let details = details.clone();
        let link_syncs = link_syncs.clone();
        Callback::from(move |input: String| {
            let d = decode(input);
            let (for_details, for_link) = (d.clone(), d.clone());
            let details = details.clone();
            let link_syncs = link_syncs.clone();
            // Dropping the previous timeouts cancels them: only the latest input counts.
            *pending.borrow_mut() = Some((
                Timeout::new(0, move || details.set(for_details)),
                // Typing must not rewrite the address on every key (browsers throttle that).
                Timeout::new(LINK_UPDATE_DELAY_MS, move || {
                    store_in_fragment("token", &for_link);
                    link_syncs.set(*link_syncs + 1);
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
    let has_input = !decoded.input.trim().is_empty();
    // In a blog post the decoder must not grow by thousands of pixels on one click: the
    // summary shows, the heavy views wait behind "Show more".
    let embed = browser::fragment::is_embed();

    html! {
        <section class="page decoder" aria-labelledby="decoder-title" data-link-sync={link_syncs.to_string()}>
            <div class={classes!("page-head", embed.then_some("visually-hidden"))}>
                <h1 id="decoder-title">{ "Token decoder" }</h1>
                <crate::ui::widgets::EmbedBuilder />
            </div>
            if !embed {
                <p class="lead">{ "Paste a token — or a whole Authorization header, curl command, IMDS response or \
                                   jwt.ms link — and see what it says about the identity. Decoding happens in this \
                                   page; nothing is sent anywhere." }</p>
            }
            <div class="decoder-input">
                <label for="token-input">{ "Token" }</label>
                <textarea id="token-input" data-testid="token-input" rows={if embed { "3" } else { "6" }} spellcheck="false"
                    autocomplete="off" autocapitalize="off"
                    placeholder="eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIs…"
                    aria-describedby="token-input-help"
                    value={decoded.input.clone()} {oninput} />
                <p id="token-input-help" class="muted small">{ "Decodes as you type. Up to 1 MiB." }</p>
                <div class="actions">
                    <button type="button" class="secondary" onclick={on_clear} disabled={!has_input}>{ "Clear" }</button>
                    { for samples::SAMPLES.iter().map(|&(label, token)| {
                        let set_input = set_input.clone();
                        let token = token.to_string();
                        html! {
                            <button type="button" class="secondary"
                                onclick={Callback::from(move |_| set_input.emit(token.clone()))}>
                                { format!("Sample: {label}") }
                            </button>
                        }
                    }) }
                </div>
                if !embed {
                    <ShareLink decoded={(*decoded).clone()} compared={(*compared).clone()} />
                }
            </div>
            if has_input {
                <ErrorOffer decoded={(*decoded).clone()} />
                <summary_view::SummaryView decoded={(*decoded).clone()} />
            }
            if embed {
                <details class="embed-more" data-testid="embed-more">
                    <summary>{ "Show more: diagnostics, header and payload, every claim, signature, compare" }</summary>
                    { heavy_views(has_input, &decoded, &details, compared.clone()) }
                </details>
            } else {
                { heavy_views(has_input, &decoded, &details, compared.clone()) }
            }
        </section>
    }
}

/// The decoder's long views: unfolded on the page, behind "Show more" in an embed.
fn heavy_views(
    has_input: bool,
    decoded: &Rc<Decoded>,
    details: &Rc<Decoded>,
    compared: UseStateHandle<Rc<Decoded>>,
) -> Html {
    html! {
        <>
            if has_input {
                <diagnostics_view::DiagnosticsView decoded={decoded.clone()} />
                <segments_view::SegmentsView decoded={details.clone()} />
                <claims_view::ClaimsView decoded={details.clone()} />
                <verify_view::VerifyView decoded={details.clone()} />
            }
            <compare_view::CompareView left={decoded.clone()} right={compared} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ShareLinkProps {
    decoded: Rc<Decoded>,
    compared: Rc<Decoded>,
}

/// "Copy share link" for the decoder's inputs; the note says whether the link carries a
/// credential.
#[function_component(ShareLink)]
fn share_link(props: &ShareLinkProps) -> Html {
    let policy = samples::link_policy(&props.decoded.reading);
    let compare_policy = samples::link_policy(&props.compared.reading);
    match policy {
        LinkPolicy::Nothing => return html! {},
        LinkPolicy::TooLarge => {
            return html! {
                <p class="muted small" data-testid="share-note">{ "This token is over 16 KB: too large for a link." }</p>
            }
        }
        _ => {}
    }
    let mut f = Fragment {
        path: "/decoder".into(),
        params: Vec::new(),
    };
    link_input(&mut f, "token", &props.decoded, true);
    link_input(&mut f, "compare", &props.compared, true);
    let link = format!("{}{}", browser::page_base_url(), f.to_hash());
    let credential = policy == LinkPolicy::Credential || compare_policy == LinkPolicy::Credential;
    let validity = &props.decoded.reading.summary.validity;
    let note = if credential {
        let until = match &validity.expires {
            Some(e) if validity.status == token::ValidityStatus::Expired => format!(
                " It expired {}, but it still names the identity, its tenant and resources.",
                e.relative
            ),
            Some(e) => format!(
                " Anyone who has the link can use the token until it expires ({}).",
                e.relative
            ),
            None => String::new(),
        };
        format!("The link contains your token — a credential.{until} Share it only where you would share the token itself.")
    } else {
        "The link holds only tokens minted by this playground with its public demo key: no service accepts them, so it is safe to share.".to_string()
    };
    html! {
        <>
            <ShareButton {link} {note} {credential} />
            if policy == LinkPolicy::Credential {
                <p class="muted small" data-testid="kept-out">{ "Kept out of the address bar, history and storage: this token may be a live credential." }</p>
            }
        </>
    }
}

/// How much of the input the "is this an error message?" check reads.
const ERROR_CHECK_BYTES: usize = 64 * 1024;

#[derive(Properties, PartialEq)]
struct ErrorOfferProps {
    decoded: Rc<Decoded>,
}

/// "This looks like an error message — explain it": shown when the input is not a token but the
/// troubleshooter recognises an error in it. The troubleshooter runs in the on-demand engine,
/// asked only when the input does not decode as a token. The text goes over in memory.
#[function_component(ErrorOffer)]
fn error_offer(props: &ErrorOfferProps) -> Html {
    let input = &props.decoded.input;
    let not_a_token = props.decoded.reading.payload_claims().is_none();
    let answered = use_answer(not_a_token.then(|| Query::Explain {
        text: mi_core::troubleshoot::head(input, ERROR_CHECK_BYTES).to_string(),
    }));
    let Some(reply) = answered.answer.as_deref().filter(|_| not_a_token) else {
        return html! {};
    };
    if reply.flag("is_token") || !reply.flag("recognised") || answered.waiting {
        return html! {};
    }
    let onclick = {
        let text = input.clone();
        Callback::from(move |_: MouseEvent| handoff::put(handoff::TEXT, text.clone()))
    };
    html! {
        <p class="notice" data-testid="error-offer">
            { "This looks like an error message, not a token — " }
            <a href="#/troubleshoot" {onclick}>{ "explain it" }</a>
            { format!(" (probably: {}).", reply.text("title").to_lowercase()) }
        </p>
    }
}
