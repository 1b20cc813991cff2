//! A labelled block of monospace text with a copy button.

use yew::prelude::*;

use crate::browser;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The text that goes to the clipboard.
    pub text: AttrValue,
    /// What is being copied, for the accessible name ("Copy header JSON").
    pub what: AttrValue,
    /// Visible text; "Copy" when absent.
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// A button that copies `text` and says so in a live region.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let status = use_state(|| None::<bool>);
    let onclick = {
        let text = props.text.to_string();
        let status = status.clone();
        Callback::from(move |_| {
            let text = text.clone();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Some(browser::clipboard::copy(text).await));
            });
        })
    };
    let said = match *status {
        Some(true) => "Copied",
        Some(false) => "Copy failed — select the text and copy it by hand",
        None => "",
    };
    html! {
        <span class="copy">
            if let Some(label) = &props.label {
                <button type="button" class="button small" {onclick}>{ label }</button>
            } else {
                <button type="button" class="button small" aria-label={format!("Copy {}", props.what)} {onclick}>
                    { "Copy" }
                </button>
            }
            <span class="copy-status" role="status">{ said }</span>
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct CodeBlockProps {
    pub title: AttrValue,
    pub code: AttrValue,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

#[function_component(CodeBlock)]
pub fn code_block(props: &CodeBlockProps) -> Html {
    html! {
        <figure class="code-block">
            <figcaption>
                <span>{ &props.title }</span>
                <CopyButton text={props.code.clone()} what={props.title.clone()} />
            </figcaption>
            <pre tabindex="0" data-testid={props.testid.clone()}><code>{ &props.code }</code></pre>
        </figure>
    }
}
