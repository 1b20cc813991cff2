//! `#/decoder` — the token decoder.

use yew::prelude::*;

#[function_component(DecoderPage)]
pub fn decoder_page() -> Html {
    html! {
        <section class="page" aria-labelledby="decoder-title">
            <h1 id="decoder-title">{ "Token decoder" }</h1>
            <p class="lead">{ "Paste a token, or anything that contains one, and see what it says about the identity." }</p>
        </section>
    }
}
