//! Diagnostics: what is wrong or notable, where, and how to fix it.

use std::rc::Rc;

use mi_core::teach;
use mi_core::token::{Area, Severity};
use yew::prelude::*;

use super::Decoded;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub decoded: Rc<Decoded>,
}

fn severity_attr(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The segment named in `data-segment`; JWE's encrypted parts are its payload.
pub fn area_attr(a: Area) -> &'static str {
    match a {
        Area::Input => "input",
        Area::Header => "header",
        Area::Payload | Area::Encrypted => "payload",
        Area::Signature => "signature",
    }
}

#[function_component(DiagnosticsView)]
pub fn diagnostics_view(props: &Props) -> Html {
    let diags = &props.decoded.reading.diagnostics;
    if diags.is_empty() {
        return html! {
            <section class="diagnostics" aria-labelledby="diag-title">
                <h2 id="diag-title">{ "Diagnostics" }</h2>
                <p class="ok-text">{ "No problems found: well-formed, consistent token." }</p>
            </section>
        };
    }
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    html! {
        <section class="diagnostics" aria-labelledby="diag-title">
            <h2 id="diag-title">{ "Diagnostics" }
                <span class="muted small">{ format!(" {} · {} · {}",
                    teach::count(count(Severity::Error), "error", "errors"),
                    teach::count(count(Severity::Warning), "warning", "warnings"),
                    teach::count(count(Severity::Info), "note", "notes")) }</span>
            </h2>
            <ul class="diag-list">
                { for diags.iter().map(|d| {
                    let sev = severity_attr(d.severity);
                    let seg = area_attr(d.segment);
                    html! {
                        <li class={format!("diag diag-{sev}")} data-testid="diagnostic"
                            data-severity={sev} data-segment={seg}>
                            <span class={format!("sev sev-{sev}")}>{ d.severity.to_string() }</span>
                            <a class={format!("seg-link seg-{seg}")} href="#/decoder"
                               onclick={jump_to(seg)}>{ d.segment.to_string() }</a>
                            <span class="diag-message">{ &d.message }</span>
                            <span class="diag-fix muted">{ &d.fix }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// Moves focus to the segment the diagnostic belongs to (its part of the encoded token).
fn jump_to(segment: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        crate::browser::focus_element(&format!("segment-{segment}"));
    })
}
