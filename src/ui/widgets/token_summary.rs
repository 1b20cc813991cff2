//! The token summary card: what a token says about the identity, at a glance. Used by the
//! decoder and, for minted tokens, by the IMDS simulator.

use std::rc::Rc;

use mi_core::token::summary::{self, ArmIdClaim, TimePoint};
use mi_core::token::{IdentityKind, Summary, ValidityStatus};
use yew::prelude::*;

use super::CopyButton;

#[derive(Properties, PartialEq)]
pub struct TokenSummaryProps {
    /// What the core read from the token (`token::read(..).summary`).
    pub summary: Rc<Summary>,
    /// The token is one of the built-in samples: its age is expected, not alarming.
    #[prop_or_default]
    pub sample: bool,
    /// Fold the ARM ids and times (embeds, lessons): the headline and ids stay visible.
    #[prop_or_default]
    pub compact: bool,
}

/// Local time as the browser formats it (the core gives UTC).
fn local_time(unix: i64) -> String {
    thread_local! {
        // One formatter for the page: creating one per call (toLocaleString) costs ~0.2 ms each.
        static FORMAT: js_sys::Intl::DateTimeFormat = {
            let options = js_sys::Object::new();
            js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into()).ok();
            js_sys::Reflect::set(&options, &"timeStyle".into(), &"long".into()).ok();
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options)
        };
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    FORMAT.with(|f| {
        f.format()
            .call1(&wasm_bindgen::JsValue::UNDEFINED, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    })
}

fn value_row(label: &str, testid: &'static str, value: Option<&str>, copy: bool) -> Html {
    html! {
        <div class="kv">
            <dt>{ label }</dt>
            <dd>
                if let Some(v) = value {
                    <code class="wrap-anywhere" data-testid={testid}>{ v }</code>
                    if copy { { " " }<CopyButton text={v.to_string()} what={label.to_string()} /> }
                } else {
                    <span class="muted" data-testid={testid}>{ "—" }</span>
                }
            </dd>
        </div>
    }
}

fn arm_row(label: &str, testid: &'static str, claim: Option<&ArmIdClaim>) -> Html {
    let Some(claim) = claim else {
        return value_row(label, testid, None, false);
    };
    let parts = match &claim.parsed {
        Ok(id) => html! {
            <ul class="arm-parts">
                <li>{ "Subscription " }<code>{ &id.subscription }</code></li>
                if let Some(rg) = &id.resource_group { <li>{ "Resource group " }<code>{ rg }</code></li> }
                if let Some(t) = id.full_type() { <li>{ "Type " }<code>{ t }</code></li> }
                if let Some(n) = &id.name { <li>{ "Name " }<strong>{ n }</strong></li> }
            </ul>
        },
        Err(e) => html! { <p class="diag-warning">{ format!("Not a valid ARM id: {e}") }</p> },
    };
    html! {
        <div class="kv">
            <dt>{ label }</dt>
            <dd>
                <code class="wrap-anywhere" data-testid={testid}>{ &claim.raw }</code>
                { parts }
            </dd>
        </div>
    }
}

fn time_row(label: &str, testid: &'static str, t: Option<&TimePoint>) -> Html {
    html! {
        <div class="kv">
            <dt>{ label }</dt>
            <dd data-testid={testid}>
                if let Some(t) = t {
                    <span>{ &t.utc }</span>
                    <span class="muted">{ format!(" · {} local · {}", local_time(t.unix), t.relative) }</span>
                } else {
                    <span class="muted">{ "—" }</span>
                }
            </dd>
        </div>
    }
}

/// Why the identity badge says what it says; for `Unknown`, what points toward a managed
/// identity and the command that settles it. All text comes from the core.
fn identity_explanation(s: &Summary) -> Html {
    html! {
        <div class="identity-reason small">
            <p class="muted" data-testid="identity-reason">{ &s.identity_reason }</p>
            if !s.identity_hints.is_empty() {
                <ul data-testid="identity-hints">
                    { for s.identity_hints.iter().map(|h| html! { <li>{ h }</li> }) }
                </ul>
            }
            if let Some(c) = &s.confirm {
                <p>
                    <code class="wrap-anywhere" data-testid="confirm-command">{ &c.command }</code>
                    { " " }<CopyButton text={c.command.clone()} what="command" />
                    <br />
                    <span class="muted">{ &c.expect }</span>
                </p>
            }
        </div>
    }
}

#[function_component(TokenSummary)]
pub fn token_summary(props: &TokenSummaryProps) -> Html {
    let s = &*props.summary;
    let kind_class = match s.identity {
        IdentityKind::SystemAssigned => "badge system",
        IdentityKind::UserAssigned => "badge user",
        IdentityKind::NotManagedIdentity | IdentityKind::Unknown => "badge neutral",
    };
    let status_class = match s.validity.status {
        _ if props.sample => "status",
        ValidityStatus::Valid => "status ok",
        ValidityStatus::Expired | ValidityStatus::NotYetValid => "status bad",
        ValidityStatus::Unknown => "status",
    };
    let status_text = if props.sample {
        format!("Sample · {}", s.validity.status.label().to_lowercase())
    } else {
        s.validity.status.label().to_string()
    };
    let audience = s.audience().map(|a| match a.name {
        Some(name) => format!("{} ({name})", a.raw),
        None => a.raw.clone(),
    });
    let tenant = s.tenant_id.as_ref().map(|t| {
        if s.tenant_from_issuer {
            format!("{t} (from iss; no tid claim)")
        } else {
            t.clone()
        }
    });
    html! {
        <section class="summary card" aria-labelledby="summary-title" data-testid="summary">
            <h2 id="summary-title">{ "What this token says" }</h2>
            <p class="summary-sentence" data-testid="headline">{ summary::headline(s) }</p>
            <p class="summary-headline">
                <span class={kind_class} data-testid="identity-kind">{ s.identity.label() }</span>
                <span class="badge neutral" data-testid="token-kind">{ &s.kind_text }</span>
                <span class={status_class} data-testid="validity-status">{ status_text }</span>
            </p>
            { identity_explanation(s) }
            <dl class="kv-list">
                { value_row("Principal (object) id — oid", "principal-id", s.principal_id.as_deref(), true) }
                { value_row("Client id — appid/azp", "client-id", s.client_id.as_deref(), true) }
                { value_row("Tenant", "tenant-id", tenant.as_deref(), true) }
                { value_row("Audience", "audience", audience.as_deref(), false) }
            </dl>
            <details class="summary-more" open={!props.compact} data-testid="summary-more">
                <summary>{ "ARM ids and times" }</summary>
                <dl class="kv-list">
                    { arm_row("Managed identity — xms_mirid", "mirid", s.managed_identity.as_ref()) }
                    { arm_row("Host resource", "host-resource", s.host_resource.as_ref()) }
                    { time_row("Issued (iat)", "issued-at", s.validity.issued_at.as_ref()) }
                    { time_row("Not before (nbf)", "not-before", s.validity.not_before.as_ref()) }
                    { time_row("Expires (exp)", "expires", s.validity.expires.as_ref()) }
                    { value_row("Lifetime", "lifetime", s.validity.lifetime.as_deref(), false) }
                </dl>
            </details>
        </section>
    }
}
