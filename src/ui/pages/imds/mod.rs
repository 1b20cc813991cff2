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
mod result_strip;
mod scenario_panel;
mod source_panel;
mod state;
mod who_answers;

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
    let embed = browser::fragment::is_embed();
    html! {
        <section class="page imds" aria-labelledby="imds-title">
            <div class={classes!("page-head", embed.then_some("visually-hidden"))}>
                <h1 id="imds-title">{ "IMDS simulator" }</h1>
                <crate::ui::widgets::EmbedBuilder />
            </div>
            if !embed {
                <p class="lead">{ "Code on a VM asks http://169.254.169.254/metadata/identity/oauth2/token for a token; \
                                   on App Service it asks IDENTITY_ENDPOINT. Pick a host, build or paste a request, \
                                   and read the exact response the endpoint gives — errors included." }</p>
            }
            if let Some(why) = &state.start_error {
                <p class="notice warn" role="status" data-testid="start-error">{ why }</p>
            }
            if embed {
                // One scenario in a blog post: the request, its answer and why; the host, who
                // answers each selector, faults, code and the scenario wait behind "Show more".
                <request_form::RequestPanel sim={state.clone()} dispatch={dispatch.clone()} />
                { result_strip::result_strip(&state) }
                <response_view::ResponseView sim={state.clone()} dispatch={dispatch.clone()} />
                <details class="embed-more" data-testid="embed-more">
                    <summary>{ "Show more: the host, who answers each selector, faults, code, the scenario" }</summary>
                    <host_panel::HostPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    { who_answers::who_answers(&state, &dispatch) }
                    <faults_panel::FaultsPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    <code_view::CodeView {request} />
                    <scenario_panel::ScenarioPanel sim={state} {dispatch} />
                </details>
            } else {
                // One grid: the host on the left, the request, its answer in one line, who answers
                // each selector and the faults on the right (one column on narrow screens). The
                // strip stays in view (sticky) wherever the reader is in the grid.
                <div class="imds-grid">
                    <host_panel::HostPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    <request_form::RequestPanel sim={state.clone()} dispatch={dispatch.clone()} />
                    { result_strip::result_strip(&state) }
                    { who_answers::who_answers(&state, &dispatch) }
                    <faults_panel::FaultsPanel sim={state.clone()} dispatch={dispatch.clone()} />
                </div>
                <response_view::ResponseView sim={state.clone()} dispatch={dispatch.clone()} />
                <code_view::CodeView {request} />
                <source_panel::SourcePanel sim={state.clone()} />
                <scenario_panel::ScenarioPanel sim={state} {dispatch} />
            }
        </section>
    }
}
