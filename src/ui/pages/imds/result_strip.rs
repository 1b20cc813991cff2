//! The answer in one line, right under the request: status, the identity that answered (with
//! its kind) and why — computed by the core (`endpoint::summary::one_line`).

use mi_core::cloud::ManagedIdentity;
use yew::prelude::*;

use super::state::Sim;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
}

/// The identity kind badge, as in the host's identity table.
pub fn kind_badge(i: &ManagedIdentity, testid: Option<&'static str>) -> Html {
    let system = i.is_system_assigned();
    html! {
        <span class={classes!("badge", if system { "system" } else { "user" })} data-testid={testid}>
            { if system { "System-assigned" } else { "User-assigned" } }
        </span>
    }
}

#[function_component(ResultStrip)]
pub fn result_strip(props: &Props) -> Html {
    let sim = &props.sim;
    let Some(line) = sim.line() else {
        return html! {
            <p class="imds-strip tone-none" data-testid="result-strip" role="status">
                { "Nothing sent yet: fix the request." }
            </p>
        };
    };
    let stale = sim.parse_error.is_some();
    html! {
        <p class={classes!("imds-strip", format!("tone-{}", line.tone.tag()))} data-testid="result-strip"
            data-tone={line.tone.tag()} role="status">
            <span class="strip-status">{ line.status_text() }</span>
            if line.status.is_some() {
                <span aria-hidden="true">{ " → " }</span>
            } else {
                { ": " }
            }
            if let Some(i) = &line.identity {
                { kind_badge(i, Some("answered-kind")) }{ " " }
                <strong data-testid="answered-by">
                    { mi_core::endpoint::summary::identity_label(i, &sim.host) }
                </strong>
                { ", " }
            }
            <span>{ line.why_text() }</span>
            if stale {
                <span class="muted">{ " (the last request that parsed)" }</span>
            }
        </p>
    }
}
