//! The SVG text of a laid-out diagram: one string for the page (classes styled by the page's
//! stylesheet, focusable nodes) and for a downloaded file (the same drawing with its
//! stylesheet embedded, colours resolved for the theme in force).

use super::layout::{text_width, Layout};
use super::{Change, Diagram, EdgeKind};
use crate::text::xml_escape;

/// How to write the SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SvgOptions<'a> {
    /// Extra classes on the root, e.g. `dg-wide`.
    pub class: &'a str,
    /// The drawing's accessible name.
    pub title: &'a str,
    /// Focusable nodes (`tabindex`, `role="img"`, `aria-label`) for the page.
    pub interactive: bool,
    /// A stylesheet to embed, with a background: a standalone file.
    pub style: Option<&'a str>,
}

/// One SVG element: the drawing is a tree of these, so the page renders it as elements (no
/// markup parsing, whatever the names in the world say) and a file writes it as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgEl {
    pub name: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<SvgChild>,
}

/// An element's child: an element or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvgChild {
    El(SvgEl),
    Text(String),
}

impl SvgEl {
    fn new(name: &'static str, attrs: Vec<(&'static str, String)>) -> SvgEl {
        SvgEl {
            name,
            attrs,
            children: Vec::new(),
        }
    }

    fn child(mut self, el: SvgEl) -> SvgEl {
        self.children.push(SvgChild::El(el));
        self
    }

    fn text(mut self, text: &str) -> SvgEl {
        self.children.push(SvgChild::Text(text.to_string()));
        self
    }

    /// The element as XML text; a `<style>`'s text goes in a CDATA section.
    pub fn to_markup(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.name);
        for (k, v) in &self.attrs {
            out.push_str(&format!(" {k}=\"{}\"", xml_escape(v)));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                SvgChild::El(e) => e.write(out),
                SvgChild::Text(t) if self.name == "style" => {
                    out.push_str(&format!("<![CDATA[{}]]>", t.replace("]]>", "]] >")));
                }
                SvgChild::Text(t) => out.push_str(&xml_escape(t)),
            }
        }
        out.push_str(&format!("</{}>", self.name));
    }
}

fn titled(name: &'static str, attrs: Vec<(&'static str, String)>, title: &str) -> SvgEl {
    SvgEl::new(name, attrs).child(SvgEl::new("title", vec![]).text(title))
}

/// A rounded label box centred on `(cx, cy)`.
fn pill(class: &str, text: &str, cx: i32, cy: i32) -> SvgEl {
    let w = text_width(text, 11.0, true).ceil() as i32 + 10;
    SvgEl::new("g", vec![("class", class.to_string())])
        .child(SvgEl::new(
            "rect",
            vec![
                ("x", (cx - w / 2).to_string()),
                ("y", (cy - 8).to_string()),
                ("width", w.to_string()),
                ("height", "16".into()),
                ("rx", "8".into()),
            ],
        ))
        .child(
            SvgEl::new(
                "text",
                vec![
                    ("x", cx.to_string()),
                    ("y", (cy + 4).to_string()),
                    ("text-anchor", "middle".into()),
                ],
            )
            .text(text),
        )
}

/// The SVG element of `d` drawn as `l`, as text (a file, tests).
pub fn svg_markup(d: &Diagram, l: &Layout, o: &SvgOptions) -> String {
    svg_tree(d, l, o).to_markup()
}

/// The SVG element of `d` drawn as `l`.
pub fn svg_tree(d: &Diagram, l: &Layout, o: &SvgOptions) -> SvgEl {
    let (w, h) = (l.width, l.height);
    let mut svg = SvgEl::new(
        "svg",
        vec![
            ("xmlns", "http://www.w3.org/2000/svg".into()),
            ("class", format!("dg-svg {}", o.class)),
            ("viewBox", format!("0 0 {w} {h}")),
            ("width", w.to_string()),
            ("height", h.to_string()),
            ("role", "group".into()),
            ("aria-label", o.title.to_string()),
        ],
    );
    if let Some(style) = o.style {
        svg = svg
            .child(SvgEl::new("title", vec![]).text(o.title))
            .child(SvgEl::new("style", vec![]).text(style))
            .child(SvgEl::new(
                "rect",
                vec![
                    ("class", "dg-bg".into()),
                    ("width", w.to_string()),
                    ("height", h.to_string()),
                ],
            ));
    }
    for head in &l.heads {
        svg = svg.child(
            SvgEl::new(
                "text",
                vec![
                    ("class", "dg-head".into()),
                    ("x", head.x.to_string()),
                    ("y", head.y.to_string()),
                ],
            )
            .text(head.text),
        );
    }
    // Deleted things underneath, the step's request on top.
    let rank = |i: usize| match d.edges.get(i) {
        Some(e) if e.change == Some(Change::Removed) => 0,
        Some(e) if matches!(e.kind, EdgeKind::Token | EdgeKind::Access) => 2,
        _ => 1,
    };
    let mut pills = Vec::new();
    let routes = (0..3).flat_map(|k| l.edges.iter().filter(move |r| rank(r.edge) == k));
    for r in routes {
        let Some(e) = d.edges.get(r.edge) else {
            continue;
        };
        let fail = e.status.is_some_and(|st| st >= 400);
        let mut attrs = vec![
            (
                "class",
                format!(
                    "dg-edge dg-e-{}{}",
                    e.kind.code(),
                    if fail { " dg-fail" } else { "" }
                ),
            ),
            ("data-from", e.from.clone()),
            ("data-to", e.to.clone()),
        ];
        if let Some(c) = e.change {
            attrs.push(("data-change", c.code().to_string()));
        }
        svg = svg.child(
            titled("g", attrs, &e.text)
                .child(SvgEl::new(
                    "path",
                    vec![("class", "dg-line".into()), ("d", r.path())],
                ))
                .child(SvgEl::new(
                    "path",
                    vec![("class", "dg-arrow".into()), ("d", r.arrow())],
                )),
        );
        // The narrow drawing's brackets leave room for a mark only, where an edge has one.
        let label = if r.smooth {
            e.label.as_deref()
        } else {
            e.mark.or(e.label.as_deref())
        };
        if let Some(label) = label {
            let class = match (e.kind, fail) {
                (EdgeKind::Access | EdgeKind::Federated, true) => "dg-pill dg-fail",
                (EdgeKind::Access, false) => "dg-pill dg-ok",
                _ => "dg-pill",
            };
            // Inside the drawing: a route along the narrow layout's gutter has its middle
            // near the left edge, where a long label would be cut off.
            let half = (text_width(label, 11.0, true).ceil() as i32 + 10) / 2;
            let cx = r.mid.0.clamp(half + 2, (l.width - half - 2).max(half + 2));
            pills.push(pill(class, label, cx, r.mid.1));
        }
    }
    svg.children.extend(pills.into_iter().map(SvgChild::El));
    for p in &l.nodes {
        let Some(n) = d.nodes.get(p.node) else {
            continue;
        };
        let mut attrs = vec![
            ("class", format!("dg-node dg-k-{}", n.kind.code())),
            ("data-node", n.id.clone()),
        ];
        if let Some(c) = n.change {
            attrs.push(("data-change", c.code().to_string()));
        }
        if o.interactive {
            attrs.push(("tabindex", "0".into()));
            attrs.push(("role", "img".into()));
            attrs.push(("aria-label", n.text.clone()));
        }
        let text = |class: &str, dy: i32, s: &str| {
            SvgEl::new(
                "text",
                vec![
                    ("class", class.to_string()),
                    ("x", (p.x + 10).to_string()),
                    ("y", (p.y + dy).to_string()),
                ],
            )
            .text(s)
        };
        let mut g = titled("g", attrs, &n.text)
            .child(SvgEl::new(
                "rect",
                vec![
                    ("class", "dg-box".into()),
                    ("x", p.x.to_string()),
                    ("y", p.y.to_string()),
                    ("width", p.w.to_string()),
                    ("height", p.h.to_string()),
                    ("rx", "6".into()),
                ],
            ))
            .child(text("dg-l", 20, &p.label))
            .child(text("dg-d", 38, &p.detail));
        if let Some(note) = n.note {
            let tw = text_width(note, 11.0, true).ceil() as i32 + 10;
            g = g.child(pill("dg-tag", note, p.x + p.w - 8 - tw / 2, p.y));
        }
        svg = svg.child(g);
    }
    svg
}

/// Every `light-dark(a, b)` in `css` replaced by `a` (light) or `b` (dark), so that the text
/// means the same outside a browser that knows `light-dark()`. Malformed ones stay as they are.
pub fn resolve_light_dark(css: &str, dark: bool) -> String {
    const F: &str = "light-dark(";
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find(F) {
        out.push_str(&rest[..i]);
        let inner = &rest[i + F.len()..];
        // The top-level comma and the closing parenthesis.
        let (mut depth, mut comma, mut end) = (0i32, None, None);
        for (j, c) in inner.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = Some(j);
                    break;
                }
                ')' => depth -= 1,
                ',' if depth == 0 && comma.is_none() => comma = Some(j),
                _ => {}
            }
        }
        match (comma, end) {
            (Some(c), Some(e)) => {
                let pick = if dark { &inner[c + 1..e] } else { &inner[..c] };
                out.push_str(pick.trim());
                rest = &inner[e + 1..];
            }
            _ => {
                out.push_str(F);
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The stylesheet of a downloaded SVG: the page's rules for it (`rules`: the `:root` custom
/// properties and the `.dg-` rules, as the page declares them) with colours resolved for the
/// theme, and no motion.
pub fn export_style(rules: &str, dark: bool) -> String {
    let mut s = resolve_light_dark(rules, dark);
    s.push_str("*{animation:none!important}");
    s
}
