//! One guided lane: the step counter and title, "Previous step" / "Next step", and what the
//! step changed (az + JSON output, Bicep, identity block, HTTP exchanges, token claims that
//! differ from the previous token, the data-plane answer).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mi_core::endpoint::http::reason_phrase;
use mi_core::endpoint::Note;
use mi_core::flows::{key_steps, play, Event, Lane, LaneState, Wire};
use mi_core::fragment::Fragment;
use mi_core::token::{ClaimDiff, DiffKind};
use serde_json::Value;
use yew::prelude::*;

use super::diagram_view::DiagramView;
use crate::browser;
use crate::ui::widgets::{fact_text, CodeBlock};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lane: Lane,
    /// 0-based step.
    pub step: usize,
    /// When the lane's world starts (unix seconds; `t=` in the fragment).
    pub start: u64,
    /// `(lane, new step)`.
    pub on_step: Callback<(Lane, usize)>,
    /// "Open this step in the sandbox" (absent when the sandbox is not shown).
    #[prop_or_default]
    pub on_open: Option<Callback<(Lane, usize)>>,
}

/// The id of a lane's step heading (focus moves there after a step change).
pub fn heading_id(lane: Lane) -> String {
    format!("flows-{}-step-title", lane.code())
}

type Cache = Rc<RefCell<HashMap<(u64, usize), Rc<LaneState>>>>;

/// `play(lane, step, start)`, memoised per step: replays sign tokens with RSA.
fn played(cache: &Cache, lane: Lane, step: usize, start: u64) -> Rc<LaneState> {
    cache
        .borrow_mut()
        .entry((start, step))
        .or_insert_with(|| Rc::new(play(lane, step, start)))
        .clone()
}

#[function_component(LaneView)]
pub fn lane_view(props: &Props) -> Html {
    let lane = props.lane;
    let cache: Cache = use_mut_ref(HashMap::new);
    let st = {
        let cache = cache.clone();
        use_memo(
            (lane, props.step, props.start),
            move |&(lane, step, start)| played(&cache, lane, step, start),
        )
    };
    let st: Rc<LaneState> = (*st).clone();
    let count = lane.step_count();
    let step = st.step;

    // Move focus to the step heading after a step change made here (not on first render).
    let moved = use_mut_ref(|| false);
    {
        let moved = moved.clone();
        use_effect_with(step, move |_| {
            if std::mem::take(&mut *moved.borrow_mut()) {
                browser::focus_element(&heading_id(lane));
            }
        });
    }
    let go = |to: Option<usize>| {
        let on_step = props.on_step.clone();
        let moved = moved.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(to) = to {
                *moved.borrow_mut() = true;
                on_step.emit((lane, to));
            }
        })
    };
    let prev = step.checked_sub(1);
    let next = (step + 1 < count).then_some(step + 1);
    let open = props
        .on_open
        .clone()
        .map(|cb| Callback::from(move |_: MouseEvent| cb.emit((lane, step))));

    let title_id = format!("flows-{}-title", lane.code());
    let announce = format!(
        "{}: step {} of {count}: {}",
        lane.label(),
        step + 1,
        st.spec.title
    );
    let jump = {
        let on_step = props.on_step.clone();
        let moved = moved.clone();
        Callback::from(move |e: yew::Event| {
            if let Ok(to) = browser::event_value(&e).parse::<usize>() {
                *moved.borrow_mut() = true;
                on_step.emit((lane, to));
            }
        })
    };
    let jump_id = format!("flows-{}-jump", lane.code());
    html! {
        <section class={classes!("card", "flows-lane", format!("flows-lane-{}", lane.code()))}
            data-testid={format!("lane-{}", lane.code())} aria-labelledby={title_id.clone()}>
            <div class="page-head">
                <h3 id={title_id} class="flows-lane-title">
                    <span class={classes!("badge", lane.code())}>{ lane.label() }</span>{ " identity" }
                </h3>
                <crate::ui::widgets::EmbedBuilder preselect="lane" lane={lane.code()} />
            </div>
            <div class="flows-stepbar">
                <p class="flows-counter" data-testid="step-counter">{ format!("Step {} of {count}", step + 1) }</p>
                <label for={jump_id.clone()} class="small">{ "Jump to" }</label>
                <select id={jump_id} class="small" data-testid="jump-to" onchange={jump}>
                    <option value="" selected={!key_steps(lane).iter().any(|(k, _)| *k == step)}>{ "a key step…" }</option>
                    { for key_steps(lane).iter().map(|&(k, label)| html! {
                        <option value={k.to_string()} selected={k == step}>{ format!("{} · {label}", k + 1) }</option>
                    }) }
                </select>
            </div>
            <h4 id={heading_id(lane)} class="flows-step-title" tabindex="-1" data-testid="step-title">{ st.spec.title }</h4>
            <p class="visually-hidden" aria-live="polite" aria-atomic="true">{ announce }</p>
            <p class="flows-explanation" data-testid="explanation">
                { fact_text(&mi_core::teach::fact(st.spec.explanation, st.spec.certainty, st.spec.source)) }
            </p>
            <div class="flows-picture" data-testid="lane-picture">
                <DiagramView diagram={picture(&st)} label={format!("Diagram of step {}: {}", step + 1, st.spec.title)} />
            </div>
            { outcome(&st) }
            { for st.errors.iter().map(|e| html! {
                <div class="flows-error" role="alert" data-testid="step-error">
                    <p><strong>{ &e.what }</strong>{ " " }{ &e.why }</p>
                    <p>{ format!("Fix: {}", e.fix) }</p>
                </div>
            }) }
            <details class="flows-details" data-testid="step-details">
                <summary>{ details_label(&st) }</summary>
                if !st.changes.is_empty() {
                    <h5>{ "What changed, and how you would do it" }</h5>
                    { for st.changes.iter().map(change) }
                }
                { identity_block(&st) }
                { token_view(&st) }
                if !st.exchanges.is_empty() {
                    <h5>{ "HTTP" }</h5>
                    { for st.exchanges.iter().map(exchange) }
                }
            </details>
            <div class="actions flows-nav">
                <button type="button" class="secondary" disabled={prev.is_none()} onclick={go(prev)}>{ "Previous step" }</button>
                <button type="button" disabled={next.is_none()} onclick={go(next)}>{ "Next step" }</button>
                if let Some(onclick) = open.filter(|_| !browser::fragment::is_embed()) {
                    <button type="button" class="secondary small" {onclick}>{ "Open in sandbox" }</button>
                }
            </div>
        </section>
    }
}

/// The step's picture: the world after the step, marked against the world before it, with
/// the step's token request and read drawn on it.
fn picture(st: &LaneState) -> Rc<mi_core::flows::Diagram> {
    Rc::new(mi_core::flows::lane_diagram(st))
}

/// What the folded details hold, in a few words.
fn details_label(st: &LaneState) -> String {
    let mut parts = Vec::new();
    if !st.changes.is_empty() {
        parts.push("az commands, output and Bicep");
    }
    if st.identity_block.is_some() {
        parts.push(if st.world.workload(st.spec.host).is_some() {
            "service account"
        } else {
            "identity block"
        });
    }
    if st.token.is_some() {
        parts.push("token claims");
    }
    if !st.exchanges.is_empty() {
        parts.push("raw HTTP");
    }
    if parts.is_empty() {
        "Details".to_string()
    } else {
        format!("Details: {}", parts.join(", "))
    }
}

/// The result strip: the lane's latest token oid (flagged when it changed) and data-plane
/// answer.
fn outcome(st: &LaneState) -> Html {
    let access = match (&st.access, st.access_status) {
        (Some(a), _) => format!("{} {} — {}", a.status, reason_phrase(a.status), a.text),
        (None, Some(s)) => format!("{s} {} (from an earlier step)", reason_phrase(s)),
        (None, None) => "not read yet".to_string(),
    };
    let ok = st.access_status.map(|s| s < 400);
    // Every token request so far failed (e.g. AADSTS70021 before a federated credential).
    let refused = st
        .exchanges
        .first()
        .filter(|_| st.spec.token.is_some() && st.token.is_none())
        .and_then(|x| x.status);
    let oid_changed = st
        .diff
        .iter()
        .any(|d| d.name == "oid" && d.kind != DiffKind::Same);
    html! {
        <dl class="flows-outcome" data-testid="lane-result">
            <div class="kv">
                <dt>{ "Token " }<code>{ "oid" }</code></dt>
                <dd>
                    if let Some(status) = refused {
                        <span class="bad-text" data-testid="token-oid">{ format!("no token: this step's request got {status} {}", reason_phrase(status)) }</span>
                    } else if let Some(oid) = &st.token_oid {
                        <code class={classes!("wrap-anywhere", oid_changed.then_some("bad-text"))} data-testid="token-oid"
                            data-changed={oid_changed.then_some("true")}>{ oid }</code>
                        if oid_changed { <span class="badge warn-badge">{ "new oid" }</span> }
                    } else {
                        <span class="muted" data-testid="token-oid">{ "no token requested yet" }</span>
                    }
                </dd>
            </div>
            <div class="kv">
                <dt>{ "Secret read" }</dt>
                <dd class={classes!(match ok { Some(true) => "ok-text", Some(false) => "bad-text", None => "muted" })}
                    data-testid="access-result">{ access }</dd>
            </div>
        </dl>
    }
}

fn change(ev: &Event) -> Html {
    html! {
        <div class="flows-change" data-testid="change">
            <p>{ &ev.summary }</p>
            <CodeBlock title="az" code={ev.cli.az.clone()} testid="az" />
            if let Some(out) = &ev.cli.output {
                <CodeBlock title="az output (JSON)" code={out.clone()} testid="az-output" />
            }
            if let Some(b) = &ev.cli.bicep {
                <CodeBlock title="Bicep" code={b.clone()} testid="bicep" />
            }
        </div>
    }
}

fn identity_block(st: &LaneState) -> Html {
    let host = st.spec.host;
    if host.is_empty() {
        return html! {};
    }
    match &st.identity_block {
        Some(block) => html! {
            <CodeBlock title={st.identity_title.clone()} code={block.clone()} testid="identity-block" />
        },
        None => html! {
            <p class="muted" data-testid="identity-block">{ format!("{host} does not exist: there is no identity block.") }</p>
        },
    }
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "—".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn token_view(st: &LaneState) -> Html {
    let Some(t) = &st.token else {
        return html! {};
    };
    let link = Fragment {
        path: "/decoder".into(),
        params: vec![("token".into(), t.jwt.clone())],
    }
    .to_hash();
    let rows: Vec<(String, Option<&Value>, Option<&Value>, bool)> = if st.diff.is_empty() {
        t.claims()
            .map(|c| {
                c.iter()
                    .map(|(k, v)| (k.clone(), None, Some(v), false))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        st.diff.iter().map(diff_row).collect()
    };
    let changed = rows.iter().filter(|r| r.3).count();
    let compared = !st.diff.is_empty();
    // The claims that say which identity this is; the rest are per-token values.
    const TEACH: [&str; 4] = ["oid", "appid", "xms_mirid", "xms_az_rid"];
    let (key, other): (Vec<_>, Vec<_>) = rows.iter().partition(|r| TEACH.contains(&r.0.as_str()));
    let table = |rows: Vec<&(String, Option<&Value>, Option<&Value>, bool)>,
                 testid: &'static str| {
        html! {
            <div class="table-scroll">
                <table class="flows-claims" data-testid={testid}>
                    <thead><tr>
                        <th scope="col">{ "Claim" }</th>
                        if compared { <th scope="col">{ "Previous token" }</th> }
                        <th scope="col">{ "This token" }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.into_iter().map(|(name, left, right, diff)| html! {
                            <tr class={classes!(diff.then_some("changed"))} data-testid="claim-row"
                                data-claim={name.clone()} data-changed={diff.then_some("true")}>
                                <th scope="row"><code>{ name }</code>
                                    if *diff { <span class="flows-changed-tag">{ " changed" }</span> }
                                </th>
                                if compared { <td class="wrap-anywhere">{ show(*left) }</td> }
                                <td class="wrap-anywhere">{ show(*right) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    };
    html! {
        <div class="flows-token" data-testid="token">
            <h5>{ "Token claims" }</h5>
            <p class="muted small">
                if compared {
                    { format!("Compared with the lane's previous token: {changed} claims differ (highlighted).") }
                } else {
                    { "The lane's first token: nothing to compare with yet." }
                }
            </p>
            { table(key, "claims") }
            <details class="flows-more-claims">
                <summary>{ format!("{} more claims", other.len()) }</summary>
                { table(other, "claims-other") }
            </details>
            <p><a href={link} data-testid="open-in-decoder">{ "Open this token in the decoder" }</a></p>
        </div>
    }
}

fn diff_row(d: &ClaimDiff) -> (String, Option<&Value>, Option<&Value>, bool) {
    (
        d.name.clone(),
        d.left.as_ref(),
        d.right.as_ref(),
        d.kind != DiffKind::Same,
    )
}

fn note(n: &Note) -> Html {
    html! {
        <li data-testid="note" data-certainty={n.certainty.tag()}>
            { crate::ui::widgets::certainty_badge(n.certainty) }
            { " " }<span>{ &n.text }</span>
        </li>
    }
}

fn exchange(w: &Wire) -> Html {
    let status = match w.status {
        Some(s) => format!("{s} {}", reason_phrase(s)),
        None => "No response".to_string(),
    };
    let ok = w.status.is_some_and(|s| s < 400);
    html! {
        <div class="flows-exchange" data-testid="exchange">
            <p><strong>{ &w.label }</strong>
               <span class={classes!("status", if ok { "ok" } else { "bad" })} data-testid="exchange-status">{ status }</span></p>
            <CodeBlock title="Request" code={w.request.clone()} testid="raw-request" />
            <CodeBlock title="Response" code={w.response.clone()} testid="raw-response" />
            if !w.notes.is_empty() {
                <ul class="imds-notes">{ for w.notes.iter().map(note) }</ul>
            }
        </div>
    }
}
