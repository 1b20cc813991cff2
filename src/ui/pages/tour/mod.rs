//! `#/` — the guided tour: six steps, each a lesson of one or two sentences with a live widget,
//! details to unfold and deep links into the other pages. The current step lives in the
//! fragment (`#/?step=N`, replaced, not pushed).
//!
//! The text is core data (`mi_core::teach::tour`): every statement carries its certainty and
//! source. Widgets come from `widgets.rs` and use only the decoder core, never the simulator.

mod widgets;

use mi_core::teach::tour::{Step, STEPS};
use mi_core::teach::Fact;
use yew::prelude::*;

use crate::browser;
use crate::ui::widgets::{certainty_legend, fact_text};

pub use widgets::sample;

const LAST: usize = STEPS.len();

/// The tour's end: the three pages to explore on one's own.
const CARDS: [(&str, &str, &str, &str); 3] = [
    (
        "Flows",
        "Walk a system-assigned and a user-assigned identity through their lives: create, grant, \
         request tokens, delete, recreate — and see every consequence.",
        "#/flows",
        "Open Flows",
    ),
    (
        "IMDS simulator",
        "Build or paste a token request and read the exact HTTP response Azure would give, errors \
         included.",
        "#/imds",
        "Open the simulator",
    ),
    (
        "Token decoder",
        "Paste any token and see its header, its claims and what they say about the identity: oid, \
         xms_mirid, system- or user-assigned.",
        "#/decoder",
        "Open the decoder",
    ),
];

/// The step in the fragment, 1-based, clamped to the tour; 1 when absent or invalid.
fn current_step() -> usize {
    browser::fragment::current()
        .get("step")
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, LAST)
}

fn widget(n: usize, set: &widgets::SetParam) -> Html {
    match n {
        1 => html! { <>{ widgets::token_journey() }{ widgets::app_claims() }</> },
        2 => widgets::sample_headline(0),
        3 => html! { <>{ widgets::sample_summary(1) }{ widgets::sample_diff() }</> },
        4 => widgets::token_response(),
        5 => widgets::sql_form(set),
        _ => widgets::sdk_form(set),
    }
}

fn list(title: &'static str, items: &'static [Fact]) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <div class="tour-list">
            <h3>{ title }</h3>
            <ul>{ for items.iter().map(|f| html! { <li>{ fact_text(f) }</li> }) }</ul>
        </div>
    }
}

/// The folded details of a step: further facts, then every source of the step.
fn details(s: &Step) -> Html {
    html! {
        <details class="tour-more" data-testid="tour-more">
            <summary>{ "More on this" }</summary>
            { for s.more.iter().map(|f| html! { <p>{ fact_text(f) }</p> }) }
            <div class="tour-proscons">
                { list("Pros", s.pros) }
                { list("Cons", s.cons) }
            </div>
            <details class="tour-sources">
                <summary>{ "Sources" }</summary>
                <ul class="small">
                    { for s.facts().map(|f| html! { <li>{ f.source }</li> }) }
                </ul>
            </details>
        </details>
    }
}

#[function_component(TourPage)]
pub fn tour_page() -> Html {
    // The step comes from the fragment: re-read it when the location changes (a pasted deep
    // link) and after our own replace (which fires no event).
    let _fragment = crate::ui::router::use_fragment();
    let refresh = use_force_update();
    let step = current_step();

    // Focus follows the step, except on first render (a deep link must not steal focus).
    let first = use_mut_ref(|| true);
    use_effect_with(step, move |_| {
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            return;
        }
        browser::focus_element("tour-step-title");
    });

    // Every change is one fragment parameter, replaced in place, then a re-render from it.
    let set: widgets::SetParam = Callback::from(move |(key, value): (&'static str, String)| {
        let mut f = browser::fragment::current();
        f.set(key, &value);
        browser::fragment::replace(&f);
        refresh.force_update();
    });
    let go_to = |n: usize| {
        let set = set.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            set.emit(("step", n.clamp(1, LAST).to_string()));
        })
    };

    let Some(s) = STEPS.get(step - 1) else {
        return html! {};
    };
    html! {
        <section class="page tour" aria-labelledby="tour-title">
            <h1 id="tour-title">{ "Managed identities, by doing" }</h1>
            <p class="lead">
                { "A managed identity lets an Azure resource get Microsoft Entra ID tokens without any stored \
                   secret. Six short steps, each with something to try." }
            </p>
            <nav class="tour-nav" aria-label="Tour steps">
                <ol class="tour-steps" data-testid="tour-steps">
                    { for STEPS.iter().enumerate().map(|(i, st)| {
                        let n = i + 1;
                        html! {
                            <li>
                                <a href={format!("#/?step={n}")} aria-current={(n == step).then_some("step")}
                                   onclick={go_to(n)}>{ st.title }</a>
                            </li>
                        }
                    }) }
                </ol>
            </nav>
            <section class="tour-step card" aria-labelledby="tour-step-title" data-testid="tour-step" data-step={step.to_string()}>
                <h2 id="tour-step-title" tabindex="-1">{ format!("Step {step} of {LAST}: {}", s.title) }</h2>
                { for s.lead.iter().map(|f| html! { <p class="tour-lead">{ fact_text(f) }</p> }) }
                <div class="tour-widget">{ widget(step, &set) }</div>
                { details(s) }
                <ul class="tour-links" data-testid="tour-links">
                    { for s.links.iter().map(|(text, href)| html! {
                        <li><a href={*href}>{ *text }</a></li>
                    }) }
                </ul>
                { certainty_legend() }
            </section>
            <div class="tour-pager actions">
                <button type="button" class="secondary" disabled={step == 1} onclick={go_to(step.saturating_sub(1))}>{ "Previous" }</button>
                <span class="muted" data-testid="tour-position">{ format!("Step {step} of {LAST}") }</span>
                if step == LAST {
                    <a class="button" href="#/flows?lane=system&system=1" data-testid="tour-to-flows">{ "Now see it break: Flows →" }</a>
                } else {
                    <button type="button" onclick={go_to(step + 1)}>{ "Next" }</button>
                }
            </div>
            <section aria-labelledby="tour-explore">
                <h2 id="tour-explore">{ "Explore on your own" }</h2>
                <div class="cards">
                    { for CARDS.iter().map(|(title, text, href, button)| html! {
                        <article class="card">
                            <h3>{ *title }</h3>
                            <p>{ *text }</p>
                            <a class="button" href={*href}>{ *button }</a>
                        </article>
                    }) }
                </div>
            </section>
        </section>
    }
}
