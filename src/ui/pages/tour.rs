//! `#/` — the guided tour.

use yew::prelude::*;

#[function_component(TourPage)]
pub fn tour_page() -> Html {
    html! {
        <section class="page" aria-labelledby="tour-title">
            <h1 id="tour-title">{ "Managed identities, by doing" }</h1>
            <p class="lead">
                { "A managed identity lets an Azure resource — a virtual machine, an App Service, a Function — \
                   get Microsoft Entra ID tokens without any stored secret. Code on the resource asks a local \
                   endpoint for a token and Azure answers for the resource's identity." }
            </p>
            <div class="cards">
                <article class="card">
                    <h2>{ "Flows" }</h2>
                    <p>{ "Walk a system-assigned and a user-assigned identity through their lives: create, grant, \
                          request tokens, delete, recreate — and see every consequence." }</p>
                    <a class="button" href="#/flows">{ "Open Flows" }</a>
                </article>
                <article class="card">
                    <h2>{ "IMDS simulator" }</h2>
                    <p>{ "Build or paste a token request and read the exact HTTP response Azure would give, \
                          errors included." }</p>
                    <a class="button" href="#/imds">{ "Open the simulator" }</a>
                </article>
                <article class="card">
                    <h2>{ "Token decoder" }</h2>
                    <p>{ "Paste any token and see its header, its claims and what they say about the identity: \
                          oid, xms_mirid, system- or user-assigned." }</p>
                    <a class="button" href="#/decoder">{ "Open the decoder" }</a>
                </article>
            </div>
        </section>
    }
}
