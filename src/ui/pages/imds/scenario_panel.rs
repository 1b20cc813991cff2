//! The whole scenario as text (the action list, folded: the host panel has the switches a
//! reader flips most), with its syntax in one line; link to the Flows sandbox.

use mi_core::cloud::dsl;
use mi_core::fragment::Fragment;
use yew::prelude::*;

use super::state::{ActionResult, Msg, Sim};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
    pub dispatch: Callback<Msg>,
}

#[function_component(ScenarioPanel)]
pub fn scenario_panel(props: &Props) -> Html {
    let sim = &props.sim;
    let flows_link = Fragment {
        path: "/flows".into(),
        params: vec![("sandbox".into(), dsl::format_actions(&sim.actions))],
    }
    .to_hash();
    let on_text = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let text = crate::browser::event_value(&e);
            dispatch.emit(Msg::ScenarioText(text));
        })
    };
    html! {
        <section class="card imds-scenario" aria-labelledby="imds-scenario-title">
            <h2 id="imds-scenario-title">{ "Scenario" }</h2>
            <details class="imds-scenario-text">
                <summary>{ "Edit the whole scenario as text" }</summary>
                <label for="imds-scenario-text">{ "Actions" }</label>
                <textarea id="imds-scenario-text" data-testid="scenario-text" rows="4" spellcheck="false"
                    autocomplete="off" aria-describedby="imds-scenario-help"
                    aria-invalid={sim.scenario_error.is_some().then_some("true")}
                    value={sim.scenario_text.clone()} oninput={on_text} />
                <p id="imds-scenario-help" class="muted small mono">{ dsl::SYNTAX_HELP }</p>
            </details>
            if let Some(e) = &sim.scenario_error {
                <p class="imds-error" role="alert" data-testid="scenario-error">{ e }</p>
            }
            <p><a href={flows_link} data-testid="open-in-flows">{ "Open this scenario in Flows" }</a></p>
        </section>
    }
}

/// What the last scenario action did, or why it was refused.
pub fn action_result(r: Option<&ActionResult>) -> Html {
    match r {
        None => html! {},
        Some(ActionResult::Done(summary)) => html! {
            <p class="ok-text small" data-testid="action-result">{ summary }</p>
        },
        Some(ActionResult::Refused(e)) => html! {
            <div class="imds-error" role="alert" data-testid="action-error">
                <p><strong>{ &e.what }</strong>{ " " }{ &e.why }</p>
                <p>{ format!("Fix: {}", e.fix) }</p>
            </div>
        },
    }
}
