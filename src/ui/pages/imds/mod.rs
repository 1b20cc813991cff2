//! `#/imds` — the token endpoint simulator.
//!
//! Behind the `simulator` cargo feature (linking the endpoint simulator costs ~80 KB gzip):
//! without it the route shows an introduction. With it, pick a host of the scenario, build or
//! paste a request, and read the exact response, why it came, the token inside and what each
//! SDK does with it.
//!
//! State in the fragment: `host=`, `req=` (the request as text), `scenario=` (the action list,
//! `cloud::dsl`), `faults=` (`410,429,500`).

#[cfg(not(feature = "simulator"))]
mod intro;
#[cfg(not(feature = "simulator"))]
pub use intro::ImdsPage;

#[cfg(feature = "simulator")]
mod code_view;
#[cfg(feature = "simulator")]
mod faults_panel;
#[cfg(feature = "simulator")]
mod host_panel;
#[cfg(feature = "simulator")]
mod request_form;
#[cfg(feature = "simulator")]
mod response_view;
#[cfg(feature = "simulator")]
mod scenario_panel;
#[cfg(feature = "simulator")]
mod state;

#[cfg(feature = "simulator")]
pub use simulator::ImdsPage;

#[cfg(feature = "simulator")]
mod simulator {
    use std::rc::Rc;

    use yew::prelude::*;

    use super::state::Sim;
    use super::{code_view, faults_panel, host_panel, request_form, response_view, scenario_panel};
    use crate::browser;

    #[function_component(ImdsPage)]
    pub fn imds_page() -> Html {
        let sim = use_reducer(|| Sim::from_fragment(&browser::fragment::current()));
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
                <div class="imds-grid">
                    <host_panel::HostPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    <div class="imds-column">
                        <request_form::RequestPanel sim={state.clone()} dispatch={dispatch.clone()} />
                        <faults_panel::FaultsPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    </div>
                </div>
                <response_view::ResponseView sim={state.clone()} dispatch={dispatch.clone()} />
                <code_view::CodeView {request} />
                <scenario_panel::ScenarioPanel sim={state} {dispatch} />
            </section>
        }
    }
}
