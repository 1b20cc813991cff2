//! "Copy share link": copies a link the page built on request, and says plainly what it holds
//! (a credential, or only simulator state).

use yew::prelude::*;

use crate::browser;

#[derive(Properties, PartialEq)]
pub struct ShareButtonProps {
    /// The whole link, page address and fragment.
    pub link: AttrValue,
    /// What the link contains, shown beside the button.
    pub note: AttrValue,
    /// True when the link carries something the user pasted that may be a live credential.
    pub credential: bool,
}

#[function_component(ShareButton)]
pub fn share_button(props: &ShareButtonProps) -> Html {
    let copied = use_state(|| None::<bool>);
    {
        // Another link: the old "Copied" no longer describes it.
        let copied = copied.clone();
        use_effect_with(props.link.clone(), move |_| copied.set(None));
    }
    let onclick = {
        let (link, copied) = (props.link.to_string(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (link, copied) = (link.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(browser::clipboard::copy(link).await));
            });
        })
    };
    let status = match *copied {
        Some(true) => "Copied.",
        Some(false) => "Copy failed — your browser refused the clipboard.",
        None => "",
    };
    html! {
        <div class="share" data-testid="share">
            <button type="button" class="button small" data-testid="share-link" {onclick}>{ "Copy share link" }</button>
            <span class="copy-status" role="status">{ status }</span>
            <p class={classes!("small", if props.credential { "warn-text" } else { "muted" })}
               data-testid="share-note">{ &props.note }</p>
        </div>
    }
}
