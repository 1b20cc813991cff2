//! The SVG text of a laid-out diagram: one string for the page (classes styled by the page's
//! stylesheet, focusable nodes) and for a downloaded file (the same drawing with its
//! stylesheet embedded, colours resolved for the theme in force).

use super::layout::{text_width, Layout};
use super::{Change, Diagram, EdgeKind};

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

/// XML-escapes text and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn change_attr(c: Option<Change>) -> String {
    c.map(|c| format!(" data-change=\"{}\"", c.code()))
        .unwrap_or_default()
}

/// A rounded label box centred on `(cx, cy)`.
fn pill(out: &mut String, class: &str, text: &str, cx: i32, cy: i32) {
    let w = text_width(text, 11.0, true).ceil() as i32 + 10;
    out.push_str(&format!(
        "<g class=\"{class}\"><rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"16\" rx=\"8\"/><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
        cx - w / 2,
        cy - 8,
        cy + 4,
        esc(text)
    ));
}

/// The SVG element of `d` drawn as `l`.
pub fn svg_markup(d: &Diagram, l: &Layout, o: &SvgOptions) -> String {
    let (w, h) = (l.width, l.height);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dg-svg {}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-label=\"{}\">",
        esc(o.class),
        esc(o.title)
    );
    if let Some(style) = o.style {
        s.push_str(&format!(
            "<title>{}</title><style><![CDATA[{}]]></style><rect class=\"dg-bg\" width=\"{w}\" height=\"{h}\"/>",
            esc(o.title),
            style.replace("]]>", "]] >")
        ));
    }
    for head in &l.heads {
        s.push_str(&format!(
            "<text class=\"dg-head\" x=\"{}\" y=\"{}\">{}</text>",
            head.x,
            head.y,
            esc(head.text)
        ));
    }
    // Deleted things underneath, the step's request on top.
    let rank = |i: usize| match d.edges.get(i) {
        Some(e) if e.change == Some(Change::Removed) => 0,
        Some(e) if matches!(e.kind, EdgeKind::Token | EdgeKind::Access) => 2,
        _ => 1,
    };
    let mut pills = String::new();
    let routes = (0..3).flat_map(|k| l.edges.iter().filter(move |r| rank(r.edge) == k));
    for r in routes {
        let Some(e) = d.edges.get(r.edge) else {
            continue;
        };
        let fail = e.status.is_some_and(|st| st >= 400);
        s.push_str(&format!(
            "<g class=\"dg-edge dg-e-{}{}\" data-from=\"{}\" data-to=\"{}\"{}><title>{}</title><path class=\"dg-line\" d=\"{}\"/><path class=\"dg-arrow\" d=\"{}\"/></g>",
            e.kind.code(),
            if fail { " dg-fail" } else { "" },
            esc(&e.from),
            esc(&e.to),
            change_attr(e.change),
            esc(&e.text),
            r.path(),
            r.arrow()
        ));
        if let Some(label) = &e.label {
            let class = match (e.kind, fail) {
                (EdgeKind::Access, true) => "dg-pill dg-fail",
                (EdgeKind::Access, false) => "dg-pill dg-ok",
                _ => "dg-pill",
            };
            pill(&mut pills, class, label, r.mid.0, r.mid.1);
        }
    }
    s.push_str(&pills);
    for p in &l.nodes {
        let Some(n) = d.nodes.get(p.node) else {
            continue;
        };
        s.push_str(&format!(
            "<g class=\"dg-node dg-k-{}\" data-node=\"{}\"{}",
            n.kind.code(),
            esc(&n.id),
            change_attr(n.change)
        ));
        if o.interactive {
            s.push_str(&format!(
                " tabindex=\"0\" role=\"img\" aria-label=\"{}\"",
                esc(&n.text)
            ));
        }
        s.push_str(&format!(
            "><title>{}</title><rect class=\"dg-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/><text class=\"dg-l\" x=\"{}\" y=\"{}\">{}</text><text class=\"dg-d\" x=\"{}\" y=\"{}\">{}</text>",
            esc(&n.text),
            p.x,
            p.y,
            p.w,
            p.h,
            p.x + 10,
            p.y + 20,
            esc(&p.label),
            p.x + 10,
            p.y + 38,
            esc(&p.detail)
        ));
        if let Some(note) = n.note {
            let tw = text_width(note, 11.0, true).ceil() as i32 + 10;
            pill(&mut s, "dg-tag", note, p.x + p.w - 8 - tw / 2, p.y);
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
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
