//! Header and payload: a claims table with meanings, and the JSON with key order kept.

use std::rc::Rc;

use mi_core::token::{self, claims};
use serde_json::{Map, Value};
use yew::prelude::*;

use super::Decoded;
use crate::ui::widgets::{CodeBlock, CopyButton};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub decoded: Rc<Decoded>,
}

/// The value as text: strings without quotes, everything else as compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn table(title: &str, id: &str, map: &Map<String, Value>, header: bool, now: i64) -> Html {
    html! {
        <div class="table-scroll">
        <table class="claims" aria-labelledby={id.to_string()}>
            <caption id={id.to_string()}>{ title }</caption>
            <thead><tr>
                <th scope="col">{ "Claim" }</th><th scope="col">{ "Value" }</th>
                <th scope="col">{ "Reading" }</th><th scope="col">{ "Meaning" }</th>
            </tr></thead>
            <tbody>
            { for map.iter().map(|(name, value)| {
                let info = if header { claims::lookup_header(name) } else { claims::lookup(name) };
                let text = value_text(value);
                let reading = claims::human_reading(name, value, now);
                html! {
                    <tr data-testid="claim-row" data-claim={name.clone()} data-location={if header {"header"} else {"payload"}}>
                        <th scope="row"><code>{ name }</code></th>
                        <td class="wrap-anywhere">
                            <code>{ &text }</code>{ " " }
                            <CopyButton text={text.clone()} what={format!("value of {name}")} />
                        </td>
                        <td>{ reading.unwrap_or_default() }</td>
                        <td>
                            if let Some(info) = info {
                                <span>{ info.meaning }</span>{ " " }
                                { crate::ui::widgets::certainty_badge(if info.documented {
                                    mi_core::endpoint::Certainty::Documented
                                } else {
                                    mi_core::endpoint::Certainty::Seen
                                }) }
                                <span class="muted small">{ format!(" {}", info.versions) }</span>
                            } else {
                                <span class="muted">{ "Not in the catalogue: a custom or new claim." }</span>
                            }
                        </td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
    }
}

#[function_component(ClaimsView)]
pub fn claims_view(props: &Props) -> Html {
    let d = &props.decoded;
    let r = &d.reading;
    let extra = &r.extraction.extra_fields;
    html! {
        <section class="claims-section" aria-labelledby="claims-title">
            <h2 id="claims-title">{ "Header and claims" }</h2>
            if let Some(h) = r.header_claims() { { table("Header", "hdr-caption", h, true, d.now) } }
            if let Some(p) = r.payload_claims() { { table("Payload claims", "pl-caption", p, false, d.now) } }
            if r.header_claims().is_some() || r.payload_claims().is_some() {
                { crate::ui::widgets::certainty_legend() }
            }
            if r.payload.is_none() && r.header.is_some() && matches!(r.form, token::TokenForm::Jwe) {
                <p class="note">{ "This is an encrypted token (JWE): only its protected header is readable. \
                                   The claims are encrypted for the API that receives it." }</p>
            }
            <div class="json-pair">
                if let Some(h) = &r.header { <CodeBlock title="Header JSON" code={token::pretty_json(h)} testid="header-json" /> }
                if let Some(p) = &r.payload { <CodeBlock title="Payload JSON" code={token::pretty_json(p)} testid="payload-json" /> }
            </div>
            if !extra.is_empty() {
                <CodeBlock title={format!("Other fields of the response it came from ({})", r.extraction.json_path.clone().unwrap_or_default())}
                    code={token::pretty_json(&Value::Object(extra.clone()))} testid="extra-fields" />
            }
        </section>
    }
}
