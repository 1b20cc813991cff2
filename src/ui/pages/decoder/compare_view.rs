//! Compare: a second token beside the first, and which claims differ.

use std::rc::Rc;

use mi_core::token::{self, DiffKind};
use yew::prelude::*;

use super::claims_view::value_text;
use super::{decode, store_in_fragment, Decoded};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub left: Rc<Decoded>,
    /// The second token; the page owns it so its share link can include it.
    pub right: UseStateHandle<Rc<Decoded>>,
}

#[function_component(CompareView)]
pub fn compare_view(props: &Props) -> Html {
    let right = props.right.clone();
    let oninput = {
        let right = right.clone();
        Callback::from(move |e: InputEvent| {
            let d = decode(crate::browser::event_value(&e));
            store_in_fragment("compare", &d);
            right.set(d);
        })
    };
    let open = !right.input.is_empty();
    let diffs = match (
        props.left.reading.payload_claims(),
        right.reading.payload_claims(),
    ) {
        (Some(a), Some(b)) => Some(token::compare(a, b)),
        _ => None,
    };
    html! {
        <details class="compare" open={open} data-testid="compare">
            <summary>{ "Compare with a second token" }</summary>
            <label for="compare-input">{ "Second token" }</label>
            <textarea id="compare-input" data-testid="compare-input" rows="4" spellcheck="false"
                value={right.input.clone()} {oninput} />
            if let Some(diffs) = diffs {
                <p>
                    <span data-testid="compare-identity">{ format!("{} → {}", props.left.reading.summary.identity.label(),
                        right.reading.summary.identity.label()) }</span>
                    { format!(" · {}", mi_core::teach::count(diffs.iter().filter(|d| d.kind != DiffKind::Same).count(), "claim differs", "claims differ")) }
                </p>
                <div class="table-scroll">
                <table class="compare-table">
                    <caption>{ "Claims, first token vs second token" }</caption>
                    <thead><tr><th scope="col">{ "Claim" }</th><th scope="col">{ "First" }</th><th scope="col">{ "Second" }</th><th scope="col">{ "Difference" }</th></tr></thead>
                    <tbody>
                    { for diffs.iter().map(|d| {
                        let (kind, label) = match d.kind {
                            DiffKind::Same => ("same", "same"),
                            DiffKind::Changed => ("changed", "changed"),
                            DiffKind::OnlyLeft => ("only-left", "only in first"),
                            DiffKind::OnlyRight => ("only-right", "only in second"),
                        };
                        html! {
                            <tr class={format!("diff-{kind}")} data-testid="diff-row" data-claim={d.name.clone()} data-kind={kind}>
                                <th scope="row"><code>{ &d.name }</code></th>
                                <td class="wrap-anywhere"><code>{ d.left.as_ref().map(value_text).unwrap_or_default() }</code></td>
                                <td class="wrap-anywhere"><code>{ d.right.as_ref().map(value_text).unwrap_or_default() }</code></td>
                                <td>{ label }</td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                </div>
            } else if open {
                <p class="muted">{ "Both inputs must be tokens with readable claims to compare them." }</p>
            }
        </details>
    }
}
