//! Certainty badges (doc / seen / sdk / run / guess) with their meaning for screen readers and on
//! hover, the one-line legend, and a taught [`Fact`] rendered with its badge.

use mi_core::endpoint::Certainty;
use mi_core::teach::{self, Fact, Span};
use yew::prelude::*;

pub fn certainty_badge(c: Certainty) -> Html {
    html! {
        <span class={classes!("badge", "cert", format!("cert-{}", c.tag()))} title={c.meaning()}
            data-testid="certainty">
            { c.tag() }<span class="visually-hidden">{ format!(" ({})", c.meaning()) }</span>
        </span>
    }
}

/// Text with its backtick-marked identifiers set as code.
pub fn rich_text(text: &str) -> Html {
    html! {
        { for teach::spans(text).into_iter().map(|s| match s {
            Span::Text(t) => html! { { t.to_string() } },
            Span::Code(c) => html! { <code>{ c.to_string() }</code> },
        }) }
    }
}

/// A fact's text followed by its certainty badge; the badge's tooltip names the source.
pub fn fact_text(f: &Fact) -> Html {
    let c = f.certainty;
    html! {
        <>
            { rich_text(f.text) }{ " " }
            <span class={classes!("badge", "cert", format!("cert-{}", c.tag()))}
                title={format!("{} — {}", c.meaning(), f.source)} data-testid="certainty">
                { c.tag() }<span class="visually-hidden">{ format!(" ({}; source: {})", c.meaning(), f.source) }</span>
            </span>
        </>
    }
}

/// "doc: Microsoft documentation · seen: … · sdk: … · guess: …", one line.
pub fn certainty_legend() -> Html {
    html! {
        <p class="cert-legend muted small" data-testid="certainty-legend">
            { for teach::certainty_legend().into_iter().enumerate().map(|(i, (c, meaning))| html! {
                <>
                    if i > 0 { { " · " } }
                    <span class={classes!("badge", "cert", format!("cert-{}", c.tag()))} aria-hidden="true">{ c.tag() }</span>
                    { format!(" {meaning}") }
                </>
            }) }
        </p>
    }
}
