//! "Who answers?": the host's request without a selector and with each selector its endpoint
//! accepts, naming each identity, and what the simulator answers to each (the core sends them,
//! `endpoint::summary::who_answers`). Choosing a row sends that request on the page.

use mi_core::endpoint::summary::{self, Tone, WhoRow};
use yew::prelude::*;

use super::result_strip::kind_badge;
use super::state::{Msg, Sim};

/// The table (a plain function: it has no state of its own).
pub fn who_answers(sim: &Sim, dispatch: &Callback<Msg>) -> Html {
    if sim.who.is_empty() {
        return html! {};
    }
    let current = sim.request.as_ref();
    html! {
        <section class="card imds-who" aria-labelledby="imds-who-title">
            <h2 id="imds-who-title">{ "Who answers?" }</h2>
            <p class="muted small">{ format!(
                "Each request from {} for {}, sent on its own to a fresh endpoint (no faults). Choose one to send it.",
                sim.host, sim.resource()
            ) }</p>
            <div class="table-scroll" role="region" aria-labelledby="imds-who-title" tabindex="0">
                <table class="imds-who-table" data-testid="who-answers">
                    <thead><tr>
                        <th scope="col">{ "Request" }</th>
                        <th scope="col">{ "Answer" }</th>
                    </tr></thead>
                    <tbody>
                        { for sim.who.iter().enumerate().map(|(n, row)| {
                            let is_current = current == Some(&row.request);
                            let onclick = {
                                let dispatch = dispatch.clone();
                                Callback::from(move |_: MouseEvent| dispatch.emit(Msg::SendWho(n)))
                            };
                            html! {
                                <tr data-testid="who-answers-row" aria-current={is_current.then_some("true")}
                                    data-tone={row.answer.tone.tag()}>
                                    <td>{ request_cell(row, &sim.host, onclick) }</td>
                                    <td>{ answer_cell(row, &sim.host) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn request_cell(row: &WhoRow, host: &str, onclick: Callback<MouseEvent>) -> Html {
    let Some((param, value)) = &row.selector else {
        return html! {
            <button type="button" class="linklike" aria-label="Send with no selector" {onclick}>
                { "no selector" }
            </button>
        };
    };
    let whose = if row.assigned {
        row.whose.clone()
    } else {
        format!("{}, not assigned to {host}", row.whose)
    };
    let label = format!("Send with {param}={value} ({whose})");
    html! {
        <>
            <button type="button" class="linklike mono" title={label.clone()} aria-label={label} {onclick}>
                { format!("{param}={}", summary::short(value)) }
            </button>
            <br /><span class="muted small">{ whose }</span>
        </>
    }
}

fn answer_cell(row: &WhoRow, host: &str) -> Html {
    let a = &row.answer;
    html! {
        <>
            <span class={if a.tone == Tone::Ok { "status ok" } else { "status bad" }}>{ a.status_text() }</span>
            { " " }
            if let Some(i) = &a.identity {
                <span class="nowrap">{ kind_badge(i, None, true) }{ " " }{ summary::identity_label(i, host) }</span>
            } else {
                { a.error.clone().unwrap_or_else(|| a.reason.clone()) }
            }
            if row.after_challenge {
                <br /><span class="muted small">{ "after the key-file challenge" }</span>
            }
        </>
    }
}
