//! `#/flows` — system- vs user-assigned identities through their lives.

use yew::prelude::*;

#[function_component(FlowsPage)]
pub fn flows_page() -> Html {
    html! {
        <section class="page" aria-labelledby="flows-title">
            <h1 id="flows-title">{ "Flows: an identity's life" }</h1>
            <p class="lead">{ "A system-assigned identity is born and dies with its resource; a user-assigned \
                               identity is a resource of its own that many resources can share." }</p>
        </section>
    }
}
