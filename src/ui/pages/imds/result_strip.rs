//! The answer in one line, right under the request: status, the identity that answered (with
//! its kind) and why — computed by the core (`endpoint::summary::one_line`).

use mi_core::cloud::ManagedIdentity;
use yew::prelude::*;

use super::state::Sim;

/// The identity kind badge, as in the host's identity list; `short`: "System" / "User" on
/// screen (for narrow tables), the whole kind for screen readers.
pub fn kind_badge(i: &ManagedIdentity, testid: Option<&'static str>, short: bool) -> Html {
    let system = i.is_system_assigned();
    html! {
        <span class={if system { "badge system" } else { "badge user" }} data-testid={testid}>
            { if system { "System" } else { "User" } }
            if short {
                <span class="visually-hidden">{ "-assigned" }</span>
            } else {
                { "-assigned" }
            }
        </span>
    }
}

/// The strip (a plain function: it has no state of its own).
pub fn result_strip(sim: &Sim) -> Html {
    let Some(line) = sim.line() else {
        return html! {
            <p class="imds-strip" data-tone="none" data-testid="result-strip" role="status">
                { "Nothing sent yet: fix the request." }
            </p>
        };
    };
    let stale = sim.parse_error.is_some();
    html! {
        <p class="imds-strip" data-testid="result-strip"
            data-tone={line.tone.tag()} role="status">
            <span class="strip-status">{ line.status_text() }</span>
            if line.status.is_some() {
                <span aria-hidden="true">{ " → " }</span>
            } else {
                { ": " }
            }
            if let Some(i) = &line.identity {
                { kind_badge(i, Some("answered-kind"), false) }{ " " }
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
