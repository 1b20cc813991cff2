//! `#/imds` without the `simulator` feature: an introduction to the token endpoints.

use yew::prelude::*;

#[function_component(ImdsPage)]
pub fn imds_page() -> Html {
    html! {
        <section class="page" aria-labelledby="imds-title">
            <h1 id="imds-title">{ "IMDS simulator" }</h1>
            <p class="lead">{ "On a VM, code asks http://169.254.169.254/metadata/identity/oauth2/token for a \
                               token; on App Service it asks IDENTITY_ENDPOINT. Send a request and read the \
                               exact response." }</p>
        </section>
    }
}
