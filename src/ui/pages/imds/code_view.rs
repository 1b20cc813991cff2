//! The request as code: curl, PowerShell, raw HTTP, and the Azure Identity code that sends it.

use std::rc::Rc;

use mi_core::endpoint::codegen::{self, Language};
use mi_core::endpoint::{hosts, HttpRequest};
use yew::prelude::*;

use crate::ui::widgets::CodeBlock;

const FORMS: [&str; 7] = [
    "curl",
    "PowerShell",
    "Raw HTTP",
    "Python",
    "C#",
    "JavaScript",
    "Java",
];

fn render(form: &str, req: &HttpRequest) -> String {
    let lang = match form {
        "curl" => return codegen::to_curl(req),
        "PowerShell" => return codegen::to_powershell(req),
        "Raw HTTP" => return codegen::to_raw_http(req),
        "Python" => Language::Python,
        "C#" => Language::CSharp,
        "JavaScript" => Language::JavaScript,
        _ => Language::Java,
    };
    let resource = req
        .url
        .query_value("resource")
        .unwrap_or(hosts::DEFAULT_RESOURCE);
    codegen::sdk_code(lang, resource, &codegen::identity_choice(req))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub request: Option<Rc<HttpRequest>>,
}

#[function_component(CodeView)]
pub fn code_view(props: &Props) -> Html {
    let form = use_state(|| FORMS[0]);
    let Some(req) = &props.request else {
        return html! {};
    };
    let onchange = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = crate::browser::event_value(&e);
            if let Some(f) = FORMS.iter().find(|f| **f == v) {
                form.set(f);
            }
        })
    };
    let sdk = !matches!(*form, "curl" | "PowerShell" | "Raw HTTP");
    html! {
        <section class="card imds-code" aria-labelledby="imds-code-title">
            <h2 id="imds-code-title">{ "This request as code" }</h2>
            <div class="imds-field">
                <label for="imds-code-form">{ "Show as" }</label>
                <select id="imds-code-form" {onchange}>
                    { for FORMS.iter().map(|f| html! { <option value={*f} selected={*f == *form}>{ *f }</option> }) }
                </select>
            </div>
            if sdk {
                <p class="muted small">{ "Azure Identity asks for a scope (resource + /.default) and sends the same request on the wire." }</p>
            }
            <CodeBlock title={format!("Request ({})", *form)} code={render(&form, req)} testid="request-code" />
        </section>
    }
}
