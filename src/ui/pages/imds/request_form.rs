//! The request: labelled fields (endpoint, api-version, resource, identity selector, header,
//! bypass_cache) and the same request as text, which accepts a pasted curl / PowerShell / raw
//! HTTP request. Both edit one request; the text shows the form's request as curl.

use std::rc::Rc;

use mi_core::cloud::{Compute, EndpointKind, ManagedIdentity};
use mi_core::endpoint::http::encode_query;
use mi_core::endpoint::parse::RequestForm as CoreForm;
use mi_core::endpoint::state::KNOWN_RESOURCES;
use mi_core::endpoint::{hosts, HttpRequest, ParseError};
use yew::prelude::*;

use super::state::{Msg, Sim};
use crate::ui::widgets::ShareButton;

pub use mi_core::endpoint::hosts::{identity_value, selector_params, with_selector, SelectorOf};

/// A display name for an identity: its resource name, or "system-assigned".
pub fn identity_name(i: &ManagedIdentity) -> String {
    match &i.user_assigned_name {
        Some(n) => n.clone(),
        None => "system-assigned".to_string(),
    }
}

/// `req` with query parameter `name` set (in place, or appended) or removed (`None`).
pub fn with_query(req: &HttpRequest, name: &str, value: Option<&str>) -> HttpRequest {
    let mut r = req.clone();
    match value {
        None => r.url.query.retain(|(n, _)| n != name),
        Some(v) => match r.url.query.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = v.to_string(),
            None => r.url.query.push((name.to_string(), v.to_string())),
        },
    }
    r
}

/// The selector the request carries (first of the family's names).
pub fn current_selector(req: &HttpRequest, kind: EndpointKind) -> Option<(&'static str, String)> {
    selector_params(kind)
        .into_iter()
        .find_map(|(n, _)| req.url.query_value(n).map(|v| (n, v.to_string())))
}

/// The header the host's endpoint expects (name, default value), from the host's default request.
fn required_header(host: &Compute) -> Option<(String, String)> {
    hosts::default_request(host, hosts::DEFAULT_RESOURCE)
        .headers
        .into_iter()
        .next()
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
    pub dispatch: Callback<Msg>,
}

#[function_component(RequestPanel)]
pub fn request_form(props: &Props) -> Html {
    let sim = &props.sim;
    html! {
        <section class="card imds-request" aria-labelledby="imds-request-title">
            <h2 id="imds-request-title">{ "Request" }</h2>
            if let (Some(host), Some(req)) = (sim.host(), sim.request.as_ref()) {
                <Fields host={Rc::new(host.clone())} req={Rc::new(req.clone())}
                    identities={Rc::new(sim.world.identities_of(host))}
                    dispatch={props.dispatch.clone()} />
            }
            <RequestText text={sim.req_text.clone()} error={sim.parse_error.clone()}
                dispatch={props.dispatch.clone()} />
            { share(sim) }
        </section>
    }
}

/// The share link, and what the address bar leaves out.
fn share(sim: &Sim) -> Html {
    let withheld = &sim.link.withheld;
    let credential = !withheld.is_empty() || sim.link.text.is_none();
    let link = format!(
        "{}{}",
        crate::browser::page_base_url(),
        sim.fragment(true).to_hash()
    );
    let note = if credential {
        "The link contains the request exactly as you typed it, secrets included: share it only where you would share them."
    } else {
        "The link reproduces this exact response: the scenario, request, faults and the world's start time."
    };
    html! {
        <>
            if !withheld.is_empty() {
                <p class="notice warn small" data-testid="withheld">
                    { format!("Kept out of the address bar: the value of {} (it may be a real secret). The address bar has <withheld> in its place.", withheld.join(", ")) }
                </p>
            }
            if sim.link.text.is_none() {
                <p class="notice warn small" data-testid="withheld">
                    { "This text mentions a credential header and does not parse yet, so the address bar keeps the previous request." }
                </p>
            }
            <ShareButton {link} {note} {credential} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FieldsProps {
    host: Rc<Compute>,
    req: Rc<HttpRequest>,
    identities: Rc<Vec<ManagedIdentity>>,
    dispatch: Callback<Msg>,
}

#[function_component(Fields)]
fn fields(props: &FieldsProps) -> Html {
    let endpoint_error = use_state(|| None::<(String, ParseError)>);
    let req = &*props.req;
    let kind = props.host.kind.endpoint();
    let send = {
        let dispatch = props.dispatch.clone();
        move |r: HttpRequest| dispatch.emit(Msg::Request(r))
    };

    let base = {
        let mut u = req.url.clone();
        u.query.clear();
        u.to_string()
    };
    let on_endpoint = {
        let req = req.clone();
        let endpoint_error = endpoint_error.clone();
        let send = send.clone();
        Callback::from(move |e: InputEvent| {
            let text = crate::browser::event_value(&e);
            let url = if req.url.query.is_empty() {
                text.clone()
            } else {
                format!("{}?{}", text.trim(), encode_query(&req.url.query))
            };
            let form = CoreForm {
                method: req.method.clone(),
                url,
                headers: req.headers.clone(),
            };
            match form.to_request() {
                Ok(mut r) => {
                    // The form has no body field: keep a pasted request's body.
                    r.body = req.body.clone();
                    endpoint_error.set(None);
                    send(r);
                }
                Err(err) => endpoint_error.set(Some((text, err))),
            }
        })
    };
    let query_input = |name: &'static str| {
        let req = req.clone();
        let send = send.clone();
        Callback::from(move |e: InputEvent| {
            let v = crate::browser::event_value(&e);
            send(with_query(
                &req,
                name,
                (!v.is_empty()).then_some(v.as_str()),
            ));
        })
    };

    // Identity selector.
    let selector = current_selector(req, kind);
    let params = selector_params(kind);
    let selector_of = selector
        .as_ref()
        .and_then(|(n, _)| params.iter().find(|(p, _)| p == n).map(|(_, of)| *of));
    let on_selector_kind = {
        let req = req.clone();
        let send = send.clone();
        let identities = props.identities.clone();
        let current = selector.clone();
        Callback::from(move |e: Event| {
            let chosen = crate::browser::event_value(&e);
            let Some((param, of)) = params.iter().find(|(p, _)| *p == chosen) else {
                send(with_selector(&req, kind, None, ""));
                return;
            };
            // Keep a typed value; else suggest the first user-assigned identity's.
            let value = match &current {
                Some((_, v)) if !v.is_empty() => v.clone(),
                _ => identities
                    .iter()
                    .find(|i| !i.is_system_assigned())
                    .or_else(|| identities.first())
                    .map(|i| identity_value(i, *of))
                    .unwrap_or_default(),
            };
            send(with_selector(&req, kind, Some(param), &value));
        })
    };
    let on_selector_value = {
        let req = req.clone();
        let send = send.clone();
        let param = selector.as_ref().map(|(n, _)| *n);
        Callback::from(move |e: InputEvent| {
            send(with_selector(
                &req,
                kind,
                param,
                &crate::browser::event_value(&e),
            ));
        })
    };

    // The endpoint's required header.
    let header = required_header(&props.host);
    let header_html = header.map(|(name, default)| {
        let present = req.header(&name).map(str::to_string);
        let on_toggle = {
            let (req, send, name, default) = (req.clone(), send.clone(), name.clone(), default.clone());
            Callback::from(move |e: Event| {
                let mut r = req.clone();
                if crate::browser::event_checked(&e) {
                    r.set_header(&name, &default);
                } else {
                    r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
                }
                send(r);
            })
        };
        let on_value = {
            let (req, send, name) = (req.clone(), send.clone(), name.clone());
            Callback::from(move |e: InputEvent| {
                let mut r = req.clone();
                r.set_header(&name, &crate::browser::event_value(&e));
                send(r);
            })
        };
        html! {
            <div class="imds-field imds-header-field">
                <input type="checkbox" id="imds-header-on" checked={present.is_some()} onchange={on_toggle} />
                <label for="imds-header-on">{ format!("Send the {name} header") }</label>
                <label for="imds-header-value" class="visually-hidden">{ format!("{name} header value") }</label>
                <input type="text" id="imds-header-value" class="mono" spellcheck="false" autocomplete="off"
                    disabled={present.is_none()} value={present.clone().unwrap_or(default)} oninput={on_value} />
            </div>
        }
    });

    let bypass = req.url.query_value("bypass_cache").is_some();
    let on_bypass = {
        let (req, send) = (req.clone(), send.clone());
        Callback::from(move |e: Event| {
            send(with_query(
                &req,
                "bypass_cache",
                crate::browser::event_checked(&e).then_some("true"),
            ));
        })
    };

    html! {
        <div class="imds-fields">
            <div class="imds-field">
                <label for="imds-endpoint">{ "Endpoint" }</label>
                <input type="text" id="imds-endpoint" class="mono" spellcheck="false" autocomplete="off"
                    value={endpoint_error.as_ref().map(|(t, _)| t.clone()).unwrap_or(base)}
                    aria-invalid={endpoint_error.is_some().then_some("true")}
                    oninput={on_endpoint} />
                if let Some((_, err)) = &*endpoint_error {
                    <p class="imds-error" role="alert">{ format!("Column {}: {} {}", err.column, err.message, err.fix) }</p>
                }
            </div>
            <div class="imds-field">
                <label for="imds-api-version">{ "api-version" }</label>
                <input type="text" id="imds-api-version" class="mono" spellcheck="false" autocomplete="off"
                    value={req.url.query_value("api-version").unwrap_or_default().to_string()}
                    oninput={query_input("api-version")} />
            </div>
            <div class="imds-field">
                <label for="imds-resource">{ "resource" }</label>
                <input type="text" id="imds-resource" class="mono" spellcheck="false" autocomplete="off"
                    list="imds-resources"
                    value={req.url.query_value("resource").unwrap_or_default().to_string()}
                    oninput={query_input("resource")} />
                <datalist id="imds-resources">
                    { for KNOWN_RESOURCES.iter().map(|r| html! { <option value={format!("{r}/")} /> }) }
                </datalist>
            </div>
            <div class="imds-field">
                <label for="imds-selector-kind">{ "Identity selector" }</label>
                <select id="imds-selector-kind" onchange={on_selector_kind}>
                    <option value="" selected={selector.is_none()}>{ "none (the default identity)" }</option>
                    { for params.iter().map(|(p, _)| html! {
                        <option value={*p} selected={selector.as_ref().is_some_and(|(n, _)| n == p)}>{ *p }</option>
                    }) }
                </select>
                if let Some((param, value)) = &selector {
                    <label for="imds-selector-value" class="visually-hidden">{ format!("{param} value") }</label>
                    <input type="text" id="imds-selector-value" class="mono" spellcheck="false" autocomplete="off"
                        list="imds-identity-values" value={value.clone()} oninput={on_selector_value} />
                    <datalist id="imds-identity-values">
                        { for props.identities.iter().filter_map(|i| selector_of.map(|of| html! {
                            <option value={identity_value(i, of)} label={identity_name(i)} />
                        })) }
                    </datalist>
                }
            </div>
            { for header_html }
            if kind == EndpointKind::Imds {
                <div class="imds-field">
                    <input type="checkbox" id="imds-bypass-cache" checked={bypass} onchange={on_bypass} />
                    <label for="imds-bypass-cache">{ "bypass_cache=true (a new token instead of IMDS's cached one)" }</label>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TextProps {
    text: String,
    error: Option<ParseError>,
    dispatch: Callback<Msg>,
}

#[function_component(RequestText)]
fn request_text(props: &TextProps) -> Html {
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let text = crate::browser::event_value(&e);
            dispatch.emit(Msg::RequestText(text));
        })
    };
    html! {
        <div class="imds-field imds-request-text">
            <label for="imds-request-text">{ "Request as text" }</label>
            <textarea id="imds-request-text" data-testid="request-text" rows="6" spellcheck="false"
                autocomplete="off" autocapitalize="off" aria-describedby="imds-request-text-help"
                aria-invalid={props.error.is_some().then_some("true")}
                value={props.text.clone()} {oninput} />
            <p id="imds-request-text-help" class="muted small">
                { "Paste a curl command, an Invoke-RestMethod line, raw HTTP or a URL. $IDENTITY_ENDPOINT, \
                   $IDENTITY_HEADER and $env:… resolve to this host's environment variables." }
            </p>
            if let Some(err) = &props.error {
                <ParseErrorView error={err.clone()} text={props.text.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ParseErrorProps {
    error: ParseError,
    text: String,
}

/// The parse error with the offending line and a caret under the column.
#[function_component(ParseErrorView)]
fn parse_error_view(props: &ParseErrorProps) -> Html {
    let e = &props.error;
    let line = props
        .text
        .lines()
        .nth(e.line.saturating_sub(1))
        .unwrap_or_default();
    let caret = format!("{}^", " ".repeat(e.column.saturating_sub(1)));
    html! {
        <div class="imds-error" role="alert" data-testid="parse-error">
            <p>
                <strong data-testid="parse-error-position">{ format!("Line {}, column {}", e.line, e.column) }</strong>
                { format!(": {}", e.message) }
            </p>
            <pre class="imds-caret" aria-hidden="true">{ format!("{line}\n{caret}") }</pre>
            <p>{ &e.fix }</p>
            <p class="muted small">{ "The response below is still the one for the last request that parsed." }</p>
        </div>
    }
}
