//! The answer: which rules produced it (notes with their certainty), the raw response (its
//! token folded), the Arc retry, the token inside (summary, link to the decoder) and what each
//! SDK does with it.

use std::rc::Rc;

use mi_core::cloud::time;
use mi_core::endpoint::sdk::{self, RetryPlan, Sdk, SdkOutcome};
use mi_core::endpoint::{codegen, Exchange, Note};
use mi_core::fragment::Fragment;
use mi_core::token;
use yew::prelude::*;

use super::request_form::identity_name;
use super::state::{Msg, Sim};
use crate::ui::widgets::{certainty_badge, certainty_legend, CodeBlock, CopyButton, TokenSummary};

/// How much of the access token the folded raw response shows.
const TOKEN_HEAD: usize = 24;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
    pub dispatch: Callback<Msg>,
}

fn status_text(ex: &Exchange) -> String {
    match &ex.response {
        Some(r) => format!("{} {}", r.status, r.reason()),
        None => "No response".to_string(),
    }
}

#[function_component(ResponseView)]
pub fn response_view(props: &Props) -> Html {
    let sim = &props.sim;
    let Some(ex) = &sim.exchange else {
        return html! {
            <section class="card imds-response" aria-labelledby="imds-response-title">
                <h2 id="imds-response-title">{ "Response" }</h2>
                <p class="muted">{ "Nothing sent yet: fix the request above." }</p>
            </section>
        };
    };
    let send_again = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Msg::SendAgain))
    };
    let ok = ex.response.as_ref().is_some_and(|r| r.status < 400);
    let arc_retry = sim.arc_retry();
    html! {
        <section class="card imds-response" aria-labelledby="imds-response-title">
            <h2 id="imds-response-title">{ "Response" }</h2>
            <p class="imds-status">
                <span class={classes!("status", if ok { "ok" } else { "bad" })} data-testid="response-status">
                    { status_text(ex) }
                </span>
                if let Some(i) = &ex.identity {
                    <span>{ format!(" · answered by {}", identity_name(i)) }</span>
                }
                if ex.from_cache {
                    <span data-testid="from-cache">{ " · token from the endpoint's cache" }</span>
                }
                <span class="muted">{ format!(" · request {} of this session", sim.sends) }</span>
            </p>
            if let Some(n) = sim.burst {
                <p data-testid="burst">{ format!("Throttling is on: the page sent this request {n} times within one simulated second; this is the answer to the last one.") }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" onclick={send_again}>{ "Send again" }</button>
                <span class="muted small">{ "Same session: the token cache and counters carry over (a share link reproduces the first answer)." }</span>
            </div>
            <h3>{ "Why this response" }</h3>
            <ul class="imds-notes" data-testid="notes">
                { for ex.notes.iter().map(note_item) }
            </ul>
            { certainty_legend() }
            { raw_response(ex, sim.show_token, &props.dispatch) }
            if let Some(retry) = arc_retry {
                <ArcRetry retry={Rc::new(retry)} dispatch={props.dispatch.clone()} />
            }
            if let Some(t) = &ex.token {
                <TokenPanel jwt={t.jwt.clone()} now={sim.world.now} />
            }
            <SdkReadings sim={sim.clone()} dispatch={props.dispatch.clone()} />
        </section>
    }
}

fn note_item(n: &Note) -> Html {
    html! {
        <li data-testid="note" data-certainty={n.certainty.tag()}>
            { certainty_badge(n.certainty) }{ " " }<span>{ &n.text }</span>
        </li>
    }
}

/// The exact response. Its access token shows its first characters until "Show the whole
/// token"; the rest stays in the text (copy, select, tests read exact bytes), only out of sight.
fn raw_response(ex: &Exchange, show_token: bool, dispatch: &Callback<Msg>) -> Html {
    let wire = ex.wire();
    // (before, token head, token rest, after); `None` when there is nothing to fold.
    let parts = ex.token_span().and_then(|t| {
        let cut = t.start + TOKEN_HEAD;
        (t.end > cut).then_some(())?;
        Some((
            wire.get(..t.start)?,
            wire.get(t.start..cut)?,
            wire.get(cut..t.end)?,
            wire.get(t.end..)?,
        ))
    });
    let toggle = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Msg::ShowToken(!show_token)))
    };
    let fold = parts.is_some() && !show_token;
    html! {
        <figure class="code-block">
            <figcaption>
                <span>{ "Raw HTTP response" }</span>
                <span class="copy">
                    if parts.is_some() {
                        <button type="button" class="button small secondary" aria-controls="imds-raw"
                            aria-expanded={show_token.to_string()} onclick={toggle}>
                            { if show_token { "Fold the token" } else { "Show the whole token" } }
                        </button>
                    }
                    <CopyButton text={wire.clone()} what="Raw HTTP response" />
                </span>
            </figcaption>
            <pre tabindex="0" id="imds-raw" data-testid="raw-response" data-folded={fold.then_some("true")}><code>
                if let Some((before, head, rest, after)) = parts {
                    { before }
                    <span class="fold-head" data-more={format!("{} more characters", rest.len())}>{ head }</span>
                    <span class="fold-rest">{ rest }</span>
                    { after }
                } else {
                    { wire.clone() }
                }
            </code></pre>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct ArcRetryProps {
    retry: Rc<mi_core::endpoint::HttpRequest>,
    dispatch: Callback<Msg>,
}

#[function_component(ArcRetry)]
fn arc_retry(props: &ArcRetryProps) -> Html {
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Msg::ArcRetry))
    };
    html! {
        <div class="imds-arc" data-testid="arc-challenge">
            <p>{ "The Arc agent answered with a challenge: it wrote a key file that only an administrator \
                  (or the himds group) can read, and named it in WWW-Authenticate. A client reads that file \
                  and sends the request again with its contents:" }</p>
            <CodeBlock title="The retry (curl)" code={codegen::to_curl(&props.retry)} testid="arc-retry-request" />
            <button type="button" {onclick}>{ "Retry with the key file" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TokenProps {
    jwt: String,
    now: u64,
}

#[function_component(TokenPanel)]
fn token_panel(props: &TokenProps) -> Html {
    let summary = use_memo((props.jwt.clone(), props.now), |(jwt, now)| {
        token::read(jwt, *now as i64).summary
    });
    let link = Fragment {
        path: "/decoder".into(),
        params: vec![("token".into(), props.jwt.clone())],
    }
    .to_hash();
    html! {
        <div class="imds-token">
            <TokenSummary {summary} />
            <p><a href={link} data-testid="open-in-decoder">{ "Open this token in the decoder" }</a></p>
        </div>
    }
}

#[function_component(SdkReadings)]
fn sdk_readings(props: &Props) -> Html {
    let sim = &props.sim;
    let (Some(host), Some(response)) = (
        sim.host(),
        sim.exchange.as_ref().and_then(|e| e.response.as_ref()),
    ) else {
        return html! {};
    };
    let readings = sdk::readings(host.kind.endpoint(), response, sim.world.now);
    html! {
        <div class="table-scroll" role="region" aria-labelledby="imds-sdk-caption" tabindex="0">
            <table class="imds-sdk" data-testid="sdk-readings">
                <caption id="imds-sdk-caption">{ "What each SDK does with this response" }</caption>
                <thead><tr>
                    <th scope="col">{ "Client" }</th>
                    <th scope="col">{ "Result" }</th>
                    <th scope="col">{ "Retries first" }</th>
                    <th scope="col">{ "Source" }</th>
                </tr></thead>
                <tbody>
                    { for readings.iter().map(|r| html! {
                        <tr data-testid="sdk-reading" data-sdk={sdk_id(r.sdk)}>
                            <th scope="row">{ r.sdk.label() }</th>
                            <td>{ outcome_text(&r.outcome) }</td>
                            <td data-testid="sdk-retries">{ retry_cell(r.retry.as_ref()) }</td>
                            <td>{ certainty_badge(r.certainty) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// A stable id per client for tests and styling.
fn sdk_id(s: Sdk) -> &'static str {
    match s {
        Sdk::Python => "python",
        Sdk::PythonAsync => "python-aio",
        Sdk::DotNet => "dotnet",
        Sdk::JavaScript => "javascript",
    }
}

/// "5 retries, after 0, 1.6, … s" with the plan's own certainty and, in small print, its rule.
fn retry_cell(plan: Option<&RetryPlan>) -> Html {
    match plan {
        None => html! { { "No retry" } },
        Some(p) => html! {
            <>
                { p.summary() }{ " " }{ certainty_badge(p.certainty) }
                <br /><span class="muted small">{ p.rule }</span>
            </>
        },
    }
}

fn outcome_text(o: &SdkOutcome) -> String {
    match o {
        SdkOutcome::Token {
            expires_on,
            read_from,
        } => format!(
            "Gets the token; believes it expires {} (read from {read_from})",
            time::iso(*expires_on)
        ),
        SdkOutcome::FollowsChallenge { detail } => detail.clone(),
        SdkOutcome::Error { kind, message } => format!("{kind}: {message}"),
    }
}
