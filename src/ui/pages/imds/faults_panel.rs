//! Fault injection: make the endpoint answer 410 (updating), 429 (throttled) or 500.

use yew::prelude::*;

use super::state::{Fault, Msg, Sim};

fn label(f: Fault) -> &'static str {
    match f {
        Fault::Updating => "410 Gone — IMDS is being updated",
        Fault::Throttled => "429 Too Many Requests — throttled",
        Fault::ServerError => "500 — the identity subsystem fails",
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
    pub dispatch: Callback<Msg>,
}

#[function_component(FaultsPanel)]
pub fn faults_panel(props: &Props) -> Html {
    let faults = props.sim.faults;
    html! {
        <fieldset class="card imds-faults">
            <legend>{ "Fault injection" }</legend>
            { for Fault::ALL.iter().map(|f| {
                let id = format!("imds-fault-{}", f.code());
                let dispatch = props.dispatch.clone();
                let f = *f;
                let onchange = Callback::from(move |e: Event| {
                    let on = crate::browser::event_checked(&e);
                    dispatch.emit(Msg::Fault(f, on));
                });
                html! {
                    <div class="imds-field">
                        <input type="checkbox" id={id.clone()} checked={f.is_on(&faults)} {onchange} />
                        <label for={id}>{ label(f) }</label>
                    </div>
                }
            }) }
            <p class="muted small">
                { "With throttling on, the page sends the request in a burst within one simulated second, \
                   as a busy app would, until the endpoint throttles. Which clients retry which status, and \
                   how, is under \"What each SDK does\" with the response." }
            </p>
        </fieldset>
    }
}
