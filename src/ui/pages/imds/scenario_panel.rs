//! Edit the simulated Azure from here: system-assigned on/off, add or assign a user-assigned
//! identity, or the whole action list as text; link to the Flows sandbox.

use mi_core::cloud::{dsl, Action};
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
    let new_name = use_state(|| "id-extra".to_string());
    let flows_link = Fragment {
        path: "/flows".into(),
        params: vec![("sandbox".into(), dsl::format_actions(&sim.actions))],
    }
    .to_hash();
    let apply = |actions: Vec<Action>| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Msg::Apply(actions.clone())))
    };
    let on_text = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let text = crate::browser::event_value(&e);
            dispatch.emit(Msg::ScenarioText(text));
        })
    };
    let on_name = {
        let new_name = new_name.clone();
        Callback::from(move |e: InputEvent| new_name.set(crate::browser::event_value(&e)))
    };

    let host_actions = sim.host().map(|h| {
        let system_toggle = if h.system_identity.is_some() {
            ("Disable system-assigned identity", Action::DisableSystemAssigned { resource: h.name.clone() })
        } else {
            ("Enable system-assigned identity", Action::EnableSystemAssigned { resource: h.name.clone() })
        };
        let add = vec![
            Action::CreateIdentity { resource_group: h.resource_group.clone(), name: new_name.trim().to_string() },
            Action::AssignIdentity { resource: h.name.clone(), identity: new_name.trim().to_string() },
        ];
        let unassigned: Vec<String> = sim
            .world
            .identities
            .iter()
            .filter(|i| !h.user_identities.iter().any(|u| u.eq_ignore_ascii_case(&i.name)))
            .map(|i| i.name.clone())
            .collect();
        html! {
            <>
                <div class="actions">
                    <button type="button" onclick={apply(vec![system_toggle.1])}>{ system_toggle.0 }</button>
                </div>
                <div class="imds-field imds-inline">
                    <label for="imds-new-identity">{ "New user-assigned identity" }</label>
                    <input type="text" id="imds-new-identity" class="mono" spellcheck="false" autocomplete="off"
                        value={(*new_name).clone()} oninput={on_name} />
                    <button type="button" onclick={apply(add)}>{ format!("Create and assign to {}", h.name) }</button>
                </div>
                if !unassigned.is_empty() {
                    <div class="actions">
                        { for unassigned.iter().map(|n| html! {
                            <button type="button" class="secondary"
                                onclick={apply(vec![Action::AssignIdentity { resource: h.name.clone(), identity: n.clone() }])}>
                                { format!("Assign {n}") }
                            </button>
                        }) }
                    </div>
                }
                if !h.user_identities.is_empty() {
                    <div class="actions">
                        { for h.user_identities.iter().map(|n| html! {
                            <button type="button" class="secondary"
                                onclick={apply(vec![Action::UnassignIdentity { resource: h.name.clone(), identity: n.clone() }])}>
                                { format!("Unassign {n}") }
                            </button>
                        }) }
                    </div>
                }
            </>
        }
    });

    html! {
        <section class="card imds-scenario" aria-labelledby="imds-scenario-title">
            <h2 id="imds-scenario-title">{ "Scenario" }</h2>
            <p class="muted">{ "Change the simulated Azure and the request is sent again." }</p>
            { for host_actions }
            { action_result(sim.action_result.as_ref()) }
            <details class="imds-scenario-text">
                <summary>{ "Edit the scenario as text" }</summary>
                <label for="imds-scenario-text">{ "Actions (separated by ;)" }</label>
                <textarea id="imds-scenario-text" data-testid="scenario-text" rows="4" spellcheck="false"
                    autocomplete="off" aria-invalid={sim.scenario_error.is_some().then_some("true")}
                    value={sim.scenario_text.clone()} oninput={on_text} />
            </details>
            if let Some(e) = &sim.scenario_error {
                <p class="imds-error" role="alert" data-testid="scenario-error">{ e }</p>
            }
            <p><a href={flows_link} data-testid="open-in-flows">{ "Open this scenario in Flows" }</a></p>
        </section>
    }
}

fn action_result(r: Option<&ActionResult>) -> Html {
    match r {
        None => html! {},
        Some(ActionResult::Done(summary)) => html! {
            <p class="ok-text" role="status" data-testid="action-result">{ summary }</p>
        },
        Some(ActionResult::Refused(e)) => html! {
            <div class="imds-error" role="alert" data-testid="action-error">
                <p><strong>{ &e.what }</strong>{ " " }{ &e.why }</p>
                <p>{ format!("Fix: {}", e.fix) }</p>
            </div>
        },
    }
}
