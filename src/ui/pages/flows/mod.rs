//! `#/flows` — system- vs user-assigned identities through their lives: guided lanes side by
//! side (system, user, and AKS workload identity), the comparison table, and a free sandbox
//! with a diagram.
//!
//! State in the fragment: `lane=`, `system=`, `user=`, `workload=` (1-based steps, `FlowsView`),
//! `sandbox=` (the sandbox's action list, `cloud::dsl`) and `seed=`, `t=` (the worlds' start,
//! unix seconds), and `view=lanes` / `view=sandbox` to show only the lanes or only the sandbox.
//! Changes replace the fragment.

mod comparison;
pub mod diagram_view;
mod lane_view;
mod sandbox_view;

use mi_core::flows::{FlowsView, Lane, Sandbox};
use yew::prelude::*;

use crate::browser;
use lane_view::LaneView;
use sandbox_view::{SandboxMsg, SandboxState, SandboxView};

/// The three differences that matter most, each linking to the step that shows it.
fn summary(on_link: Callback<(Lane, usize)>) -> Html {
    html! {
        <dl class="flows-summary" data-testid="flows-summary">
            { for mi_core::flows::summary_rows().map(|row| {
                let (lane, step) = row.link;
                let onclick = {
                    let on_link = on_link.clone();
                    Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        on_link.emit((lane, step));
                    })
                };
                html! {
                    <div class="flows-summary-row" data-testid="summary-row">
                        <dt>{ row.aspect }</dt>
                        <dd><span class="badge system">{ "System" }</span>{ " " }{ row.system }</dd>
                        <dd><span class="badge user">{ "User" }</span>{ " " }{ row.user }</dd>
                        <dd><a href={FlowsView::link(lane, step)} {onclick}>{ format!("See it: {} lane, step {}", lane.label(), step + 1) }</a></dd>
                    </div>
                }
            }) }
        </dl>
    }
}

/// What the page shows (`view=` in the fragment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Lanes,
    Comparison,
    Sandbox,
}

impl Show {
    fn parse(v: Option<&str>) -> Show {
        match v {
            Some("lanes") => Show::Lanes,
            Some("comparison") => Show::Comparison,
            Some("sandbox") => Show::Sandbox,
            _ => Show::All,
        }
    }
}

fn store_view(v: &FlowsView) {
    let mut f = browser::fragment::current();
    v.write(&mut f);
    browser::fragment::replace(&f);
}

#[function_component(FlowsPage)]
pub fn flows_page() -> Html {
    // Written into the fragment first, so the lanes and the sandbox share one start time.
    let start = use_state(browser::fragment::world_start);
    let fragment = browser::fragment::current();
    let show = Show::parse(fragment.get("view"));
    let view = use_state(|| FlowsView::from_fragment(&fragment));
    let sandbox = use_reducer(|| SandboxState::from_fragment(&fragment));
    // A link followed or a fragment edited by hand while the page is open (a `hashchange`;
    // the page's own `replace` fires none): take the state it describes.
    {
        let view = view.clone();
        let sandbox = sandbox.clone();
        let start = start.clone();
        use_effect_with((), move |_| {
            let listener = browser::window().map(|w| {
                gloo::events::EventListener::new(&w, "hashchange", move |_| {
                    if browser::fragment::current().path != "/flows" {
                        return;
                    }
                    start.set(browser::fragment::world_start());
                    let f = browser::fragment::current();
                    view.set(FlowsView::from_fragment(&f));
                    sandbox.dispatch(SandboxMsg::Fragment(f));
                })
            });
            move || drop(listener)
        });
    }

    let on_step = {
        let view = view.clone();
        Callback::from(move |(lane, step): (Lane, usize)| {
            let mut v = *view;
            v.set(lane, step);
            store_view(&v);
            view.set(v);
        })
    };
    let on_open = (show == Show::All).then(|| {
        let sandbox = sandbox.clone();
        let start = start.0;
        Callback::from(move |(lane, step): (Lane, usize)| {
            let actions = mi_core::flows::lane_actions(lane, step);
            let sb = Sandbox::replay(lane.seed(), start, &actions).unwrap_or_else(|e| *e.recovered);
            sandbox.dispatch(SandboxMsg::Load(Box::new(sb)));
            browser::focus_element("flows-sandbox-title");
        })
    });
    let on_link = {
        let on_step = on_step.clone();
        Callback::from(move |(lane, step): (Lane, usize)| {
            on_step.emit((lane, step));
            browser::focus_element(&lane_view::heading_id(lane));
        })
    };

    // In a blog post a lane embed (`lane=` with `embed=1`) is that lane alone.
    let embed = browser::fragment::is_embed();
    let lane_embed = (embed && show == Show::All).then(|| view.focus);
    let lanes = if let Some(lane) = lane_embed {
        html! {
            <div class="flows-lanes flows-lanes-one">
                <LaneView {lane} step={view.step(lane)} start={start.0} on_step={on_step.clone()} on_open={on_open.clone()} />
            </div>
        }
    } else {
        html! {
            <section class="flows-lanes-section" aria-labelledby="flows-lanes-title">
                <h2 id="flows-lanes-title">{ "Guided scenarios" }</h2>
                { summary(on_link.clone()) }
                <div class="flows-lanes">
                    { for Lane::ALL.iter().map(|&lane| html! {
                        <LaneView {lane} step={view.step(lane)} start={start.0} on_step={on_step.clone()} on_open={on_open.clone()} />
                    }) }
                </div>
            </section>
        }
    };
    html! {
        <section class="page flows" aria-labelledby="flows-title">
            <div class={classes!("page-head", embed.then_some("visually-hidden"))}>
                <h1 id="flows-title">{ "Flows: an identity's life" }</h1>
                <crate::ui::widgets::EmbedBuilder />
            </div>
            if !embed {
                <p class="lead">{ "A system-assigned identity is born and dies with its resource; a user-assigned \
                                   identity is a resource of its own that many resources can share. A pod on AKS \
                                   borrows a user-assigned identity through a federated credential." }</p>
            }
            if let Some(why) = start.1.clone() {
                <p class="notice warn" role="status" data-testid="start-error">{ why }</p>
            }
            if matches!(show, Show::All | Show::Lanes) {
                { lanes }
            }
            if show == Show::Comparison || (show == Show::All && !embed) {
                { comparison::table(on_link) }
            }
            if show == Show::Sandbox || (show == Show::All && !embed) {
                <SandboxView state={sandbox.clone()} />
            }
        </section>
    }
}
