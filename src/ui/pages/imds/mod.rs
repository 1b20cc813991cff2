//! `#/imds` — the token endpoint simulator: pick a host of the scenario, build or paste a
//! request, and read the exact response, why it came, the token inside and what each SDK does
//! with it.
//!
//! State in the fragment: `host=`, `req=` (the request as text), `scenario=` (the action list,
//! `cloud::dsl`), `faults=` (`410,429,500`) and `t=` (the world's start, unix seconds).

mod code_view;
mod faults_panel;
mod host_panel;
mod request_form;
mod response_view;
mod scenario_panel;
mod source_panel;
mod state;

use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use state::Sim;

#[function_component(ImdsPage)]
pub fn imds_page() -> Html {
    let sim = use_reducer(|| {
        let (start, why) = browser::fragment::world_start();
        Sim::from_fragment(&browser::fragment::current(), start, why)
    });
    let dispatch = {
        let sim = sim.clone();
        Callback::from(move |m| sim.dispatch(m))
    };
    let state = sim.clone();
    let request = state.request.clone().map(Rc::new);
    html! {
        <section class="page imds" aria-labelledby="imds-title">
            <h1 id="imds-title">{ "IMDS simulator" }</h1>
            <p class="lead">{ "Code on a VM asks http://169.254.169.254/metadata/identity/oauth2/token for a token; \
                               on App Service it asks IDENTITY_ENDPOINT. Pick a host, build or paste a request, \
                               and read the exact response the endpoint gives — errors included." }</p>
            if let Some(why) = &state.start_error {
                <p class="notice warn" role="status" data-testid="start-error">{ why }</p>
            }
            <div class="imds-grid">
                <host_panel::HostPanel sim={state.clone()} dispatch={dispatch.clone()} />
                <div class="imds-column">
                    <request_form::RequestPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    <faults_panel::FaultsPanel sim={state.clone()} dispatch={dispatch.clone()} />
                </div>
            </div>
            <response_view::ResponseView sim={state.clone()} dispatch={dispatch.clone()} />
            <code_view::CodeView {request} />
            <source_panel::SourcePanel sim={state.clone()} />
            <scenario_panel::ScenarioPanel sim={state} {dispatch} />
        </section>
    }
}
