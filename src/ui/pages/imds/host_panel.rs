//! The host: which compute resource sends the request, its identities (the one that answered
//! marked), switches for what a reader flips to see another answer (system-assigned on/off,
//! each user-assigned identity assigned or not), its token endpoint and the environment
//! variables an SDK sees there.

use mi_core::cloud::Compute;
use mi_core::endpoint::hosts;
use yew::prelude::*;

use super::request_form::{
    identity_name, identity_value, selector_params, with_selector, SelectorOf,
};
use super::result_strip::kind_badge;
use super::scenario_panel::action_result;
use super::state::{Msg, Sim};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
    pub dispatch: Callback<Msg>,
}

#[function_component(HostPanel)]
pub fn host_panel(props: &Props) -> Html {
    let sim = &props.sim;
    let onchange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            dispatch.emit(Msg::Host(crate::browser::event_value(&e)));
        })
    };
    html! {
        <section class="card imds-host" aria-labelledby="imds-host-title">
            <h2 id="imds-host-title">{ "Host" }</h2>
            <div class="imds-field">
                <label for="imds-host">{ "Send from" }</label>
                <select id="imds-host" data-testid="host-select" {onchange}>
                    { for sim.world.computes.iter().map(|c| html! {
                        <option value={c.name.clone()} selected={c.name == sim.host}>
                            { format!("{} — {}", c.name, c.kind.label()) }
                        </option>
                    }) }
                </select>
            </div>
            if sim.host().is_none() {
                <p class="imds-error" role="alert">{ "This scenario has no compute host. Add one in the scenario below." }</p>
            }
            <HostDetails sim={sim.clone()} dispatch={props.dispatch.clone()} />
        </section>
    }
}

#[function_component(HostDetails)]
fn host_details(props: &Props) -> Html {
    let sim = &props.sim;
    let Some(host) = sim.host() else {
        return html! {};
    };
    let endpoint = hosts::host_endpoint(host);
    let kind = host.kind.endpoint();
    let identities = sim.world.identities_of(host);
    let answered = sim
        .exchange
        .as_ref()
        .and_then(|e| e.identity.as_ref())
        .map(|i| i.sp.principal_id.clone());
    let use_client_id = |client_id: String| {
        let dispatch = props.dispatch.clone();
        let req = sim.request.clone();
        let param = selector_params(kind)
            .into_iter()
            .find(|(_, of)| *of == SelectorOf::Client)
            .map(|(p, _)| p);
        Callback::from(move |_: MouseEvent| {
            if let Some(req) = &req {
                dispatch.emit(Msg::Request(with_selector(req, kind, param, &client_id)));
            }
        })
    };
    html! {
        <>
            <dl class="kv-list">
                <div class="kv"><dt>{ "Kind" }</dt><dd>{ host.kind.label() }</dd></div>
                <div class="kv"><dt>{ "Token endpoint" }</dt>
                    <dd><code class="wrap-anywhere" data-testid="endpoint-url">{ &endpoint.url }</code></dd></div>
                <div class="kv"><dt>{ "azure-identity uses" }</dt><dd data-testid="sdk-source">{ endpoint.sdk_source }</dd></div>
            </dl>
            <h3 id="imds-identities-title">{ format!("Identities of {}", host.name) }</h3>
            if identities.is_empty() {
                <p class="muted">{ "No managed identity: every token request fails." }</p>
            }
            <ul class="imds-identities" data-testid="host-identities" aria-labelledby="imds-identities-title">
                { for identities.iter().map(|i| {
                    let name = identity_name(i);
                    let is_answer = answered.as_deref() == Some(i.sp.principal_id.as_str());
                    html! {
                        <li data-testid="host-identity" data-identity={name.clone()}
                            data-answered={is_answer.then_some("true")}>
                            <div class="imds-identity-head">
                                { kind_badge(i, None, false) }
                                if !i.is_system_assigned() { <strong>{ &name }</strong> }
                                if is_answer {
                                    <span class="answered-tag" data-testid="answered-tag">{ "answered" }</span>
                                }
                                <button type="button" class="secondary small"
                                    aria-label={format!("Select {name} by client_id")}
                                    onclick={use_client_id(i.sp.client_id.clone())}>{ "Use client_id" }</button>
                            </div>
                            <dl class="imds-identity-ids">
                                <div><dt>{ "client_id" }</dt><dd><code class="wrap-anywhere">{ &i.sp.client_id }</code></dd></div>
                                <div><dt>{ "principal (object) id" }</dt><dd><code class="wrap-anywhere">{ &i.sp.principal_id }</code></dd></div>
                                <div><dt>{ "Resource id" }</dt><dd><code class="wrap-anywhere small">{ identity_value(i, SelectorOf::Resource) }</code></dd></div>
                            </dl>
                        </li>
                    }
                }) }
            </ul>
            { toggles(sim, host, &props.dispatch) }
            <h3>{ "Environment variables" }</h3>
            if endpoint.env.is_empty() {
                <p class="muted" data-testid="host-env">{ "None: with no identity variables set, SDKs fall back to IMDS at 169.254.169.254." }</p>
            } else {
                <dl class="kv-list" data-testid="host-env">
                    { for endpoint.env.iter().map(|(k, v)| html! {
                        <div class="kv"><dt><code>{ k }</code></dt><dd><code class="wrap-anywhere">{ v }</code></dd></div>
                    }) }
                </dl>
            }
        </>
    }
}

/// What a reader flips to see another answer: the host's system-assigned identity, and each
/// user-assigned identity of the world assigned to it or not (scenario actions, built by the
/// page's reducer).
fn toggles(sim: &Sim, h: &Compute, dispatch: &Callback<Msg>) -> Html {
    let check = |msg: fn(bool) -> Msg| {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| dispatch.emit(msg(crate::browser::event_checked(&e))))
    };
    let on_name = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.emit(Msg::NewIdentityName(crate::browser::event_value(&e)))
        })
    };
    let create = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Msg::CreateAndAssign))
    };
    html! {
        <fieldset class="imds-toggles" data-testid="host-toggles">
            <legend>{ format!("On {} — each switch sends again", h.name) }</legend>
            <div class="imds-field">
                <input type="checkbox" id="imds-toggle-system" checked={h.system_identity.is_some()} onchange={check(Msg::SetSystem)} />
                <label for="imds-toggle-system">{ "System-assigned identity" }</label>
            </div>
            if h.kind.supports_user_assigned() {
                { for sim.world.identities.iter().map(|i| {
                    let assigned = h.user_identities.iter().any(|u| u.eq_ignore_ascii_case(&i.name));
                    let id = format!("imds-toggle-ua-{}", i.name);
                    let onchange = {
                        let (dispatch, name) = (dispatch.clone(), i.name.clone());
                        Callback::from(move |e: Event| {
                            dispatch.emit(Msg::SetAssigned(name.clone(), crate::browser::event_checked(&e)))
                        })
                    };
                    html! {
                        <div class="imds-field">
                            <input type="checkbox" id={id.clone()} checked={assigned} {onchange} />
                            <label for={id}>{ format!("{} (user-assigned)", i.name) }</label>
                        </div>
                    }
                }) }
                <div class="imds-field imds-inline">
                    <label for="imds-new-identity">{ "New user-assigned identity" }</label>
                    <input type="text" id="imds-new-identity" class="mono" spellcheck="false" autocomplete="off"
                        value={sim.new_identity.clone()} oninput={on_name} />
                    <button type="button" class="secondary" onclick={create}>{ format!("Create and assign to {}", h.name) }</button>
                </div>
            }
            { action_result(sim.action_result.as_ref()) }
        </fieldset>
    }
}
