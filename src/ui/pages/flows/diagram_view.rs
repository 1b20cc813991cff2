//! A world's diagram as SVG: core lays it out and builds the SVG element tree
//! (`mi_core::flows::{layout, svg_tree}`), rendered here as elements — never parsed markup,
//! since node names come from the visitor; this component shows the wide drawing, or the
//! narrow one in a container under 560 px (CSS only), lets people pick a node, and downloads
//! the drawing as SVG or PNG in the current theme. The text equivalents sit in a closed
//! `<details>` below.

use std::rc::Rc;

use mi_core::flows::{
    export_style, layout, svg_markup, svg_tree, Diagram, SvgChild, SvgEl, SvgOptions,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew::virtual_dom::{VTag, VText};

use crate::browser::download;

const DEFAULT_TITLE: &str = "Diagram of the simulated Azure";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub diagram: Rc<Diagram>,
    /// Shown above the drawing and used as its accessible name and file title.
    #[prop_or_default]
    pub title: Option<AttrValue>,
    /// The accessible name and file title when no visible `title` is wanted (a lane step
    /// already has its heading).
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// Called with a node's id (`c:app-web`, …) when it is clicked or Enter/Space is pressed on
    /// it.
    #[prop_or_default]
    pub on_select: Option<Callback<String>>,
    /// The node id to outline.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
}

struct Drawn {
    wide: SvgEl,
    narrow: SvgEl,
}

/// The element tree as virtual DOM; the node `selected` is marked `data-selected`. yew creates
/// the children of `<svg>` in the SVG namespace.
fn render(el: &SvgEl, selected: Option<&str>) -> Html {
    let mut tag = VTag::new(el.name);
    for (k, v) in &el.attrs {
        if *k != "xmlns" {
            tag.add_attribute(k, v.clone());
        }
    }
    let picked = el
        .attrs
        .iter()
        .any(|(k, v)| *k == "data-node" && Some(v.as_str()) == selected);
    if picked {
        tag.add_attribute("data-selected", "");
    }
    for c in &el.children {
        tag.add_child(match c {
            SvgChild::El(e) => render(e, selected),
            SvgChild::Text(t) => VText::new(t.clone()).into(),
        });
    }
    tag.into()
}

/// The node id under an event's target.
fn node_of(e: &Event) -> Option<String> {
    let el: web_sys::Element = e.target()?.dyn_into().ok()?;
    el.closest("[data-node]").ok()??.get_attribute("data-node")
}

/// The downloadable SVG file: the wide drawing with its styles in the current theme.
fn file_svg(d: &Diagram, title: &str) -> (String, i32, i32) {
    let l = layout(d).wide;
    let style = export_style(&download::page_rules(), download::is_dark());
    let o = SvgOptions {
        class: "dg-wide",
        title,
        interactive: false,
        style: Some(&style),
    };
    (svg_markup(d, &l, &o), l.width, l.height)
}

/// "Saved diagram.png (24 KB)." (whole kilobytes: float formatting costs ~10 KB of wasm).
fn saved(name: &str, bytes: f64) -> String {
    let kb = (bytes as u64).div_ceil(1024);
    format!("Saved {name} ({kb} KB).")
}

#[function_component(DiagramView)]
pub fn diagram_view(props: &Props) -> Html {
    let title: AttrValue = props
        .title
        .clone()
        .or_else(|| props.label.clone())
        .unwrap_or(AttrValue::Static(DEFAULT_TITLE));
    let drawn = use_memo((props.diagram.clone(), title.clone()), |(d, title)| {
        let l = layout(d);
        let o = |class| SvgOptions {
            class,
            title,
            interactive: true,
            style: None,
        };
        Drawn {
            wide: svg_tree(d, &l.wide, &o("dg-wide")),
            narrow: svg_tree(d, &l.narrow, &o("dg-narrow")),
        }
    });
    let status = use_state(String::new);
    let d = &props.diagram;
    let onclick = props.on_select.clone().map(|cb| {
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = node_of(&e) {
                cb.emit(id);
            }
        })
    });
    let onkeydown = props.on_select.clone().map(|cb| {
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                if let Some(id) = node_of(&e) {
                    e.prevent_default();
                    cb.emit(id);
                }
            }
        })
    });
    let on_svg = {
        let (d, title, status) = (d.clone(), title.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (svg, _, _) = file_svg(&d, &title);
            status.set(
                match download::save_text("diagram.svg", "image/svg+xml", &svg) {
                    Some(n) => saved("diagram.svg", n),
                    None => "The browser did not allow the download.".into(),
                },
            );
        })
    };
    let on_png = {
        let (d, title, status) = (d.clone(), title.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (svg, w, h) = file_svg(&d, &title);
            let status = status.clone();
            status.set("Drawing the PNG…".into());
            wasm_bindgen_futures::spawn_local(async move {
                status.set(
                    match download::save_png("diagram.png", &svg, w, h, 2.0).await {
                        Some(n) => saved("diagram.png", n),
                        None => "The browser could not draw the PNG.".into(),
                    },
                );
            });
        })
    };
    html! {
        <figure class="dg" data-testid="diagram">
            if let Some(t) = &props.title {
                <figcaption class="dg-title">{ t }</figcaption>
            }
            if d.nodes.is_empty() {
                <p class="muted" data-testid="diagram-empty">{ "Nothing to draw yet: the world is empty." }</p>
            } else {
                <div class={classes!("dg-draw", props.on_select.is_some().then_some("dg-pick"))}
                    {onclick} {onkeydown}>
                    { render(&drawn.wide, props.selected.as_deref()) }
                    { render(&drawn.narrow, props.selected.as_deref()) }
                </div>
                <div class="dg-tools">
                    <button type="button" class="secondary small" onclick={on_svg}>{ "Download SVG" }</button>
                    <button type="button" class="secondary small" onclick={on_png}>{ "Download PNG" }</button>
                    <span class="muted small" role="status" data-testid="download-status">{ (*status).clone() }</span>
                </div>
            }
            <details class="dg-words">
                <summary>{ "The diagram in words" }</summary>
                <ul data-testid="diagram-text">
                    { for d.text().into_iter().map(|t| html! { <li>{ t }</li> }) }
                </ul>
            </details>
        </figure>
    }
}
