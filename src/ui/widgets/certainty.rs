//! The certainty badge of a simulator note: doc / seen / sdk / run / guess, with its meaning for
//! screen readers and on hover.

use mi_core::endpoint::Certainty;
use yew::prelude::*;

pub fn certainty_badge(c: Certainty) -> Html {
    html! {
        <span class={classes!("badge", "cert", format!("cert-{}", c.tag()))} title={c.meaning()}
            data-testid="certainty">
            { c.tag() }<span class="visually-hidden">{ format!(" ({})", c.meaning()) }</span>
        </span>
    }
}
