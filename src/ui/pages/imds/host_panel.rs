//! The host: which compute resource sends the request, its identities, its token endpoint and
//! the environment variables an SDK sees there.

use mi_core::endpoint::hosts;
use yew::prelude::*;

use super::request_form::{
    identity_name, identity_value, selector_params, with_selector, SelectorOf,
};
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
            <div class="table-scroll">
                <table class="imds-identities" data-testid="host-identities">
                    <caption>{ format!("Identities of {}", host.name) }</caption>
                    <thead><tr>
                        <th scope="col">{ "Identity" }</th>
                        <th scope="col">{ "client_id" }</th>
                        <th scope="col">{ "principal (object) id" }</th>
                        <th scope="col">{ "Resource id" }</th>
                        <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                    </tr></thead>
                    <tbody>
                        if identities.is_empty() {
                            <tr><td colspan="5" class="muted">{ "No managed identity: every token request fails." }</td></tr>
                        }
                        { for identities.iter().map(|i| {
                            let name = identity_name(i);
                            html! {
                                <tr data-testid="host-identity" data-identity={name.clone()}>
                                    <th scope="row">
                                        <span class={if i.is_system_assigned() { "badge system" } else { "badge user" }}>
                                            { if i.is_system_assigned() { "System-assigned" } else { "User-assigned" } }
                                        </span>
                                        if !i.is_system_assigned() { { " " }{ &name } }
                                    </th>
                                    <td><code class="wrap-anywhere">{ &i.sp.client_id }</code></td>
                                    <td><code class="wrap-anywhere">{ &i.sp.principal_id }</code></td>
                                    <td><code class="wrap-anywhere small">{ identity_value(i, SelectorOf::Resource) }</code></td>
                                    <td>
                                        <button type="button" class="secondary small"
                                            aria-label={format!("Select {name} by client_id")}
                                            onclick={use_client_id(i.sp.client_id.clone())}>{ "Use client_id" }</button>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
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
