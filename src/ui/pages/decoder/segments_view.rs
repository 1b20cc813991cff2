//! The encoded token, colour-coded by segment.

use std::rc::Rc;

use mi_core::token::SegmentKind;
use yew::prelude::*;

use super::Decoded;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub decoded: Rc<Decoded>,
}

fn class_of(kind: SegmentKind) -> (&'static str, &'static str) {
    match kind {
        SegmentKind::Header => ("seg-header", "header"),
        SegmentKind::Payload => ("seg-payload", "payload"),
        SegmentKind::Signature => ("seg-signature", "signature"),
        SegmentKind::EncryptedKey
        | SegmentKind::Iv
        | SegmentKind::Ciphertext
        | SegmentKind::Tag => ("seg-payload", "payload"),
        SegmentKind::Unexpected => ("seg-other", "input"),
    }
}

#[function_component(SegmentsView)]
pub fn segments_view(props: &Props) -> Html {
    let wrap = use_state(|| true);
    let r = &props.decoded.reading;
    if r.segments.is_empty() {
        return html! {};
    }
    let toggle = {
        let wrap = wrap.clone();
        Callback::from(move |_| wrap.set(!*wrap))
    };
    let mut seen_ids = Vec::new();
    html! {
        <section class="segments" aria-labelledby="seg-title">
            <h2 id="seg-title">{ format!("Encoded token — {}", r.form.label()) }</h2>
            <p class="legend">
                { for r.segments.iter().map(|s| {
                    let (class, _) = class_of(s.kind);
                    html! { <span class={classes!("legend-item", class)}>{ format!("{} ({} chars) ", s.kind.label(), s.text.chars().count()) }</span> }
                }) }
                <button type="button" class="secondary small" aria-pressed={(*wrap).to_string()} onclick={toggle}>{ "Wrap lines" }</button>
            </p>
            <pre class={classes!("encoded", (!*wrap).then_some("nowrap"))} data-testid="encoded-token" tabindex="0">
                { for r.segments.iter().enumerate().map(|(i, s)| {
                    let (class, seg) = class_of(s.kind);
                    // The first segment of each kind is the target of diagnostic links.
                    let id = (!seen_ids.contains(&seg)).then(|| { seen_ids.push(seg); format!("segment-{seg}") });
                    html! {
                        <>
                            if i > 0 { <span class="dot">{ "." }</span> }
                            <span class={class} id={id} tabindex="-1" title={s.kind.label()}>{ &s.text }</span>
                        </>
                    }
                }) }
            </pre>
        </section>
    }
}
