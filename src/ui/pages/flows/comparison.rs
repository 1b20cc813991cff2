//! System- vs user-assigned, row by row; each row links to the step that shows it.

use mi_core::flows::{FlowsView, Lane, COMPARISON};
use yew::prelude::*;

use crate::browser;

use crate::ui::widgets::{certainty_legend, fact_text};

/// The table. `on_link` opens `(lane, step)` in place (the link's `href` is the deep link, so
/// it still works when opened in a new tab or copied).
pub fn table(on_link: Callback<(Lane, usize)>) -> Html {
    html! {
        <section class="flows-compare" aria-labelledby="flows-compare-title">
            <div class="page-head">
                <h2 id="flows-compare-title">{ "System-assigned or user-assigned?" }</h2>
                <crate::ui::widgets::EmbedBuilder preselect="comparison" />
            </div>
            <div class="table-scroll" role="region" aria-labelledby="flows-compare-title" tabindex="0">
                <table data-testid="comparison">
                    <thead><tr>
                        <th scope="col">{ "Aspect" }</th>
                        <th scope="col">{ "System-assigned" }</th>
                        <th scope="col">{ "User-assigned" }</th>
                        <th scope="col">{ "See it" }</th>
                    </tr></thead>
                    <tbody>
                        { for COMPARISON.iter().map(|row| {
                            let (lane, step) = row.link;
                            let onclick = {
                                let on_link = on_link.clone();
                                Callback::from(move |e: MouseEvent| {
                                    // In an embed the link opens the full playground instead.
                                    if !browser::fragment::is_embed() {
                                        e.prevent_default();
                                        on_link.emit((lane, step));
                                    }
                                })
                            };
                            html! {
                                <tr data-testid="comparison-row">
                                    <th scope="row">{ row.aspect }{ " " }
                                        { fact_text(&mi_core::teach::fact("", row.certainty, row.source)) }</th>
                                    <td data-label="System-assigned">{ row.system }</td>
                                    <td data-label="User-assigned">{ row.user }</td>
                                    <td data-label="See it">
                                        <a href={FlowsView::link(lane, step)} {onclick} data-testid="comparison-link">
                                            { format!("{} lane, step {}", lane.label(), step + 1) }
                                        </a>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            { certainty_legend() }
        </section>
    }
}
