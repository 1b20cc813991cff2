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
    /// The element showing the text: selected for the reader when the browser refuses the
    /// clipboard (e.g. inside an iframe without `clipboard-write`).
    #[prop_or_default]
    pub select: Option<NodeRef>,
}

/// A button that copies `text` and says so in a live region.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let status = use_state(|| None::<bool>);
    let onclick = {
        let text = props.text.to_string();
        let status = status.clone();
        let select = props.select.clone();
        Callback::from(move |_| {
            let text = text.clone();
            let status = status.clone();
            let select = select.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let copied = browser::clipboard::copy(text).await;
                if !copied {
                    if let Some(node) = select.and_then(|n| n.get()) {
                        browser::clipboard::select_contents(&node);
                    }
                }
                status.set(Some(copied));
            });
        })
    };
    let said = match *status {
        Some(true) => "Copied",
        Some(false) if props.select.is_some() => {
            "The browser refused the clipboard: the text is selected — press Ctrl+C (⌘C) to copy it"
        }
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
    let pre = use_node_ref();
    html! {
        <figure class="code-block">
            <figcaption>
                <span>{ &props.title }</span>
                <CopyButton text={props.code.clone()} what={props.title.clone()} select={pre.clone()} />
            </figcaption>
            <pre tabindex="0" ref={pre} data-testid={props.testid.clone()}><code>{ &props.code }</code></pre>
        </figure>
    }
}
