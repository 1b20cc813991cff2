//! The embed builder: an "Embed" button in a widget's header that opens a panel to choose
//! what to embed (core `embed::choices`), the theme and an optional height cap, with the
//! snippet rebuilt on every change of the page's state and a live preview at 650 px.

use std::cell::Cell;

use gloo::events::EventListener;
use mi_core::embed::{choices, embed_fragment, embed_url, holds_pasted, parse_max_height, snippet};
use mi_core::fragment::Theme;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::CodeBlock;
use crate::browser;
use crate::ui::router::use_live_fragment;
use crate::ui::Route;

/// The preview never grows past this: the panel must stay usable.
const PREVIEW_MAX: u32 = 900;

#[derive(Properties, PartialEq)]
pub struct EmbedBuilderProps {
    /// The choice selected when the panel opens (an `EmbedChoice::id`), e.g. `lane` in a lane's
    /// header; the page's first choice when absent or not offered.
    #[prop_or_default]
    pub preselect: Option<AttrValue>,
    /// The lane this builder sits in (`system` / `user`): its lane choice is that lane, at
    /// its current step, whichever lane the page last focused.
    #[prop_or_default]
    pub lane: Option<AttrValue>,
}

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

fn next_instance_id() -> u32 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}

#[function_component(EmbedBuilder)]
pub fn embed_builder(props: &EmbedBuilderProps) -> Html {
    let instance = use_state(next_instance_id);
    let open = use_state(|| false);
    let picked = use_state(|| props.preselect.as_ref().map(|p| p.to_string()));
    let theme = use_state(|| Theme::Auto);
    let cap_text = use_state(String::new);
    let preview_height = use_state(|| None::<u32>);
    let frame = use_node_ref();
    let mut fragment = use_live_fragment();
    if let Some(lane) = &props.lane {
        fragment.set("lane", lane);
    }

    {
        // The preview reports its height like any embed; follow it so the author sees it.
        let (frame, preview_height) = (frame.clone(), preview_height.clone());
        use_effect_with(*open, move |open| {
            let listener = (*open).then(browser::window).flatten().map(|w| {
                EventListener::new(&w, "message", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                        return;
                    };
                    let Some(win) = frame
                        .cast::<web_sys::HtmlIFrameElement>()
                        .and_then(|f| f.content_window())
                    else {
                        return;
                    };
                    let from_preview = e
                        .source()
                        .is_some_and(|s| js_sys::Object::is(&s, win.as_ref()));
                    let data = e.data();
                    let kind = js_sys::Reflect::get(&data, &"type".into()).ok();
                    if !from_preview
                        || kind.and_then(|k| k.as_string()).as_deref()
                            != Some(browser::embed::RESIZE_MESSAGE_TYPE)
                    {
                        return;
                    }
                    let h = js_sys::Reflect::get(&data, &"height".into())
                        .ok()
                        .and_then(|h| h.as_f64())
                        .filter(|h| h.is_finite() && *h >= 0.0);
                    if let Some(h) = h {
                        preview_height.set(Some(h.ceil().min(100_000.0) as u32));
                    }
                })
            });
            move || drop(listener)
        });
    }

    let route = Route::from_path(&fragment.path);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let is_open = e
                .target_dyn_into::<web_sys::HtmlDetailsElement>()
                .is_some_and(|d| d.open());
            open.set(is_open);
        })
    };
    if browser::fragment::is_embed() {
        return html! {}; // inside a blog post's iframe, a reader has nothing to embed
    }
    let summary = html! { <summary class="button small secondary" data-testid="embed-open">{ "Embed" }</summary> };
    // Closed, the builder costs nothing more on the page's every change.
    let offered = if *open {
        choices(&fragment)
    } else {
        Vec::new()
    };
    if offered.is_empty() {
        return html! {
            <details class="embed-builder" data-testid="embed-builder" {ontoggle}>{ summary }</details>
        };
    }

    let choice = picked
        .as_deref()
        .and_then(|id| offered.iter().find(|c| c.id == id))
        .unwrap_or(&offered[0]);
    let cap = parse_max_height(&cap_text);
    let frag = embed_fragment(choice, *theme);
    let base = browser::page_base_url();
    let src = embed_url(&base, &frag);
    let code = snippet(
        &base,
        &frag,
        &route.embed_title(),
        cap.clone().ok().flatten(),
    );
    let had_private = holds_pasted(&fragment);
    let name = format!("embed-choice-{}", *instance);
    let cap_id = format!("embed-cap-{}", *instance);
    let theme_id = format!("embed-theme-{}", *instance);
    let shown_cap = cap.clone().ok().flatten();
    let preview_px = shown_cap
        .unwrap_or(PREVIEW_MAX)
        .min(PREVIEW_MAX)
        .min(preview_height.unwrap_or(480).max(120));

    let on_pick = |id: &'static str| {
        let picked = picked.clone();
        Callback::from(move |_: Event| picked.set(Some(id.to_string())))
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            if let Some(t) = Theme::parse(&browser::event_value(&e)) {
                theme.set(t);
            }
        })
    };
    let on_cap = {
        let cap_text = cap_text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                cap_text.set(input.value());
            }
        })
    };

    html! {
        <details class="embed-builder" data-testid="embed-builder" open=true {ontoggle}>
            { summary }
            <div class="embed-panel card" data-testid="embed-panel">
                <fieldset>
                    <legend>{ "What to embed" }</legend>
                    { for offered.iter().map(|c| html! {
                        <label class="embed-choice">
                            <input type="radio" name={name.clone()} value={c.id}
                                   checked={c.id == choice.id} onchange={on_pick(c.id)}
                                   data-testid={format!("embed-choice-{}", c.id)} />
                            <span>{ &c.label }</span>
                        </label>
                    }) }
                </fieldset>
                <p class="small" data-testid="embed-note">{ &choice.note }</p>
                if had_private {
                    <p class="note small">{ "What you pasted is left out of the embed on purpose: readers see the widget, not your data." }</p>
                }
                <div class="embed-options">
                    <label for={theme_id.clone()}>{ "Theme" }</label>
                    <select id={theme_id} data-testid="embed-theme" onchange={on_theme}>
                        { for Theme::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={*t == *theme}>{ t.label() }</option>
                        }) }
                    </select>
                    <label for={cap_id.clone()}>{ "Max height (px, optional)" }</label>
                    <input id={cap_id} type="text" inputmode="numeric" data-testid="embed-max-height"
                           value={(*cap_text).clone()} oninput={on_cap}
                           aria-invalid={cap.is_err().then_some("true")} />
                </div>
                if let Err(why) = &cap {
                    <p class="error-text small" role="alert">{ why }</p>
                }
                <CodeBlock title="Embed code (HTML)" code={code} testid="embed-snippet" />
                <p class="small muted">
                    { "Paste it where the widget should appear. embed.js sizes the frame to its content" }
                    { if shown_cap.is_some() { "; past the cap, the widget scrolls inside." } else { "." } }
                </p>
                <p class="small" data-testid="embed-preview-caption">
                    { "Preview at 650 px" }
                    { preview_height.map(|h| format!(" — the widget is {h} px tall")).unwrap_or_default() }
                </p>
                <div class="embed-preview" tabindex="0" role="region" aria-label="Embed preview, 650 pixels wide">
                    <iframe ref={frame} src={src} title={format!("Preview: {}", choice.label)}
                            data-testid="embed-preview" width="650" height={preview_px.to_string()}></iframe>
                </div>
            </div>
        </details>
    }
}
