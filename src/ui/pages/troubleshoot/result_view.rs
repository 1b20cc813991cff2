//! What the text means: the cause (with its certainty and what matched), the fix, the
//! simulator link, the other candidates with what to check, and the values the text names.

use std::rc::Rc;

use mi_core::fragment::Fragment;
use mi_core::troubleshoot::{self, Cause, Entry, Explanation};
use yew::prelude::*;

use super::{is_credential, Analysed};
use crate::browser::handoff;
use crate::ui::widgets::{certainty_legend, CodeBlock};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysed: Rc<Analysed>,
}

#[function_component(ResultView)]
pub fn result_view(props: &Props) -> Html {
    let ex = &props.analysed.explanation;
    let cause = ex.top;
    let fix = ex.fix();
    let reproduce = troubleshoot::reproduce(cause);
    // A service's answer that is no identity problem (a missing secret, a SQL server not
    // reached): recognised, but the cause stays `unknown`.
    let not_identity = ex.not_identity();
    let shown = ex.top_entry().or(not_identity);
    let title = if not_identity.is_some() {
        "Not an identity problem"
    } else {
        cause.title()
    };
    html! {
        <>
            if ex.is_token {
                <p class="notice" data-testid="token-offer">
                    { "This is a token, not an error message. " }
                    if let Some(t) = ex.extracted.tokens.iter().max_by_key(|t| t.len()) {
                        <DecoderLink token={t.clone()} label="Open it in the token decoder" />
                    }
                </p>
            }
            if ex.truncated {
                <p class="notice warn small">{ "The text is over 4 MiB: only its first 4 MiB were read." }</p>
            }
            <section class="card error-cause" data-testid="error-cause" data-cause={cause.id()}
                aria-labelledby="cause-title">
                <h2 id="cause-title">
                    <span data-testid="cause-title">{ title }</span>{ " " }
                    <code class="cause-id">{ cause.id() }</code>{ " " }
                    if let Some(e) = shown { { entry_badge(e) } }
                </h2>
                if not_identity.is_none() {
                    <p data-testid="cause-explanation">{ cause.explanation() }</p>
                }
                if cause == Cause::Unknown {
                    <p class="note" data-testid="unknown-hint">{ ex.suggestion() }</p>
                }
                if let Some(e) = shown {
                    <p class="small" data-testid="recognised">
                        { "Recognised: " }<strong>{ e.emitter }</strong>
                        if !e.exception.is_empty() { { " · " }<code>{ e.exception }</code> }
                    </p>
                }
                if !fix.is_empty() {
                    <CodeBlock title="How to fix it" code={fix} testid="fix" />
                }
                if reproduce.is_none() && cause == Cause::SqlUserMissing {
                    <p class="small" data-testid="no-reproduce">
                        { "The simulator has no SQL sign-in to show this; the tour's " }
                        <a href="#/?step=5&sql=user">{ "SQL step" }</a>
                        { " writes the CREATE USER for an identity." }
                    </p>
                } else if reproduce.is_none() && cause != Cause::Unknown {
                    <p class="muted small" data-testid="no-reproduce">
                        { "The simulator has no workload identity federation yet, so no link shows this happen." }
                    </p>
                }
                if let Some(r) = reproduce {
                    <p data-testid="reproduce">
                        { "See it happen: " }
                        <a href={r.link} data-testid="reproduce-link">{ r.label }</a>
                        { " (opens the simulator)" }
                    </p>
                }
            </section>
            if !ex.candidates.is_empty() {
                <section class="card" aria-labelledby="candidates-title" data-testid="candidates">
                    <h2 id="candidates-title">{ "It could also be" }</h2>
                    <ul class="candidates">
                        { for ex.candidates.iter().map(|c| html! {
                            <li data-testid="candidate" data-cause={c.cause.id()}>
                                <strong>{ c.cause.title() }</strong>{ " " }<code class="cause-id">{ c.cause.id() }</code>
                                <p class="small">{ &c.why }</p>
                                <p class="small"><strong>{ "Check: " }</strong>{ c.check }</p>
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <Extracted explanation={ex.clone()} />
            if !ex.matched.is_empty() {
                <details class="card matched" data-testid="matched">
                    <summary>{ format!("What matched ({})", ex.matched.len()) }</summary>
                    <ul>
                        { for ex.entries().map(|e| html! {
                            <li data-testid="matched-entry" data-entry={e.id}>
                                { entry_badge(e) }{ " " }<strong>{ e.emitter }</strong>
                                { format!(" — means {}", e.cause.id()) }
                                if !e.exception.is_empty() { { " · " }<code>{ e.exception }</code> }
                                <br /><span class="muted small">{ format!("\"{}\" · {}", e.all.join("\" + \""), e.source) }</span>
                            </li>
                        }) }
                    </ul>
                </details>
            }
            { certainty_legend() }
        </>
    }
}

/// The entry's certainty badge; its tooltip names the source.
fn entry_badge(e: &Entry) -> Html {
    let c = e.certainty;
    html! {
        <span class={classes!("badge", "cert", format!("cert-{}", c.tag()))}
            title={format!("{} — {}", c.meaning(), e.source)} data-testid="certainty">
            { c.tag() }<span class="visually-hidden">{ format!(" ({}; source: {})", c.meaning(), e.source) }</span>
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct ExtractedProps {
    explanation: Explanation,
}

/// The values the text names, each list under its own test id.
#[function_component(Extracted)]
fn extracted(props: &ExtractedProps) -> Html {
    let x = &props.explanation.extracted;
    if x.is_empty() {
        return html! {};
    }
    // Ids link to the decoder: to the token in the text when there is one (where the id is a
    // claim), else to a sample token that shows which claim holds such an id.
    let token = x.tokens.iter().max_by_key(|t| t.len()).cloned();
    let row = |label: &'static str, id: &'static str, values: &[String]| -> Html {
        if values.is_empty() {
            return html! {};
        }
        let claim = match id {
            "object-ids" => Some("oid"),
            "client-ids" => Some("appid"),
            "tenant-ids" => Some("tid"),
            "resources" | "assertion-audience" => Some("aud"),
            "assertion-issuer" => Some("iss"),
            "assertion-subject" => Some("sub"),
            _ => None,
        };
        let link = match (claim, &token) {
            (Some(c), Some(t)) => html! {
                <span class="small">{ " " }<DecoderLink token={t.clone()} label={decoder_label(c)} /></span>
            },
            // The sample is a managed identity's token: it shows oid, appid, tid and aud, not
            // a federated assertion's issuer and subject.
            (Some(c @ ("oid" | "appid" | "tid")), None) => html! {
                <span class="small">{ " " }
                    <a href="#/decoder?sample=user" data-testid="id-decoder-link" data-claim={c}>
                        { format!("where a token holds it ({c})") }
                    </a>
                </span>
            },
            (Some("aud"), None) if id == "resources" => html! {
                <span class="small">{ " " }
                    <a href="#/decoder?sample=user" data-testid="id-decoder-link" data-claim="aud">
                        { "where a token holds it (aud)" }
                    </a>
                </span>
            },
            _ => html! {},
        };
        html! {
            <div class="kv">
                <dt>{ label }</dt>
                <dd data-testid={format!("extracted-{id}")}>
                    { for values.iter().map(|v| html! { <code class="wrap-anywhere extracted-value">{ v }</code> }) }
                    { link }
                </dd>
            </div>
        }
    };
    let a = &x.assertion;
    let one = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
    html! {
        <section class="card" aria-labelledby="extracted-title" data-testid="extracted">
            <h2 id="extracted-title">{ "What the text names" }</h2>
            <dl class="kv-list">
                { row("Object (principal) ids", "object-ids", &x.object_ids) }
                { row("Client ids", "client-ids", &x.client_ids) }
                { row("Tenants", "tenant-ids", &x.tenant_ids) }
                { row("Resources (audiences)", "resources", &x.resources) }
                { row("Scopes", "scopes", &x.scopes) }
                { row("Roles and denied actions", "roles", &x.roles) }
                { row("ARM resource ids", "resource-ids", &x.resource_ids) }
                { row("Identity selectors sent", "selectors", &x.selectors) }
                { row("Assertion issuer", "assertion-issuer", &one(&a.issuer)) }
                { row("Assertion subject", "assertion-subject", &one(&a.subject)) }
                { row("Assertion audience", "assertion-audience", &one(&a.audience)) }
                if !x.tokens.is_empty() {
                    <div class="kv">
                        <dt>{ "Tokens" }</dt>
                        <dd data-testid="extracted-tokens">
                            { for x.tokens.iter().map(|t| html! {
                                <div class="extracted-token">
                                    <code class="wrap-anywhere">{ format!("{}…", t.chars().take(24).collect::<String>()) }</code>{ " " }
                                    <DecoderLink token={t.clone()} label="Open in the decoder" />
                                </div>
                            }) }
                        </dd>
                    </div>
                }
            </dl>
        </section>
    }
}

/// "the token's oid", for a claim name.
fn decoder_label(claim: &str) -> &'static str {
    match claim {
        "oid" => "see the token's oid",
        "appid" => "see the token's appid",
        "tid" => "see the token's tid",
        "aud" => "see the token's aud",
        "iss" => "see the token's iss",
        _ => "see the token's sub",
    }
}

#[derive(Properties, PartialEq)]
struct DecoderLinkProps {
    token: String,
    label: &'static str,
}

/// Opens the decoder with a token. A token minted with the demo key is a plain link
/// (`#/decoder?token=`); any other one may be a live credential, so it goes to the decoder in
/// memory when the user clicks, never into the address bar.
#[function_component(DecoderLink)]
fn decoder_link(props: &DecoderLinkProps) -> Html {
    if !is_credential(&props.token) {
        let f = Fragment {
            path: "/decoder".into(),
            params: vec![("token".into(), props.token.clone())],
        };
        return html! { <a href={f.to_hash()} data-testid="open-decoder">{ props.label }</a> };
    }
    let onclick = {
        let token = props.token.clone();
        Callback::from(move |_| handoff::open(handoff::TOKEN, token.clone(), "#/decoder"))
    };
    html! {
        <button type="button" class="small" data-testid="open-decoder" {onclick}>{ props.label }</button>
    }
}
