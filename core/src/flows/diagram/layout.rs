//! Where everything goes (pure, deterministic): layered columns (hosts | identities | role
//! assignments | targets and scopes), the order inside each column chosen to minimise edge
//! crossings (barycentre sweeps, then adjacent swaps while they help), y positions pulled
//! towards the neighbours (order kept, no overlap).
//!
//! Two drawings of that order: `wide` puts the columns side by side; `narrow` stacks them as
//! bands of full-width nodes (for phones) and draws each edge as a bracket in a side gutter:
//! hosts–identities on the left, identities–role assignments on the right, role assignments–
//! targets on the left again. Every other band is listed in reverse, so brackets between two
//! bands nest exactly when the wide drawing has no crossing.

use super::{Diagram, EdgeKind};

/// Column headings, left to right (bands, top to bottom).
pub const COLUMNS: [&str; 4] = [
    "Hosts",
    "Identities",
    "Role assignments",
    "Targets and scopes",
];

/// Label and detail font sizes (px) and the horizontal text padding of a node.
pub(super) const LABEL_PX: f64 = 14.0;
pub(super) const DETAIL_PX: f64 = 12.0;
const PAD_X: i32 = 10;

const NODE_H: i32 = 48;
const PAD: i32 = 8;
const TOP: i32 = 34;
const GAP_X: i32 = 44;
const MIN_W: i32 = 110;
const MAX_W: i32 = 250;

const NARROW_W: i32 = 360;
const GUTTER: i32 = 40;
const BAND_HEAD: i32 = 24;
const ROW_GAP: i32 = 12;
const BAND_GAP: i32 = 14;

/// Overlay edges run parallel to the structure, this far below it.
const OVERLAY_DY: i32 = 7;

/// The wide (≥ ~560 px) and narrow (phone) drawings of one diagram.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layouts {
    pub wide: Layout,
    pub narrow: Layout,
}

/// Positions in SVG user units (1 unit = 1 px at natural size).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub heads: Vec<Head>,
    pub nodes: Vec<Placed>,
    pub edges: Vec<Route>,
}

/// A column (band) heading; `y` is the text baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub text: &'static str,
    pub x: i32,
    pub y: i32,
}

/// A node's box and its text, shortened with … to fit (the full text is the node's `text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Index into [`Diagram::nodes`].
    pub node: usize,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub label: String,
    pub detail: String,
}

/// An edge's route from its `from` node to its `to` node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Index into [`Diagram::edges`].
    pub edge: usize,
    /// Indexes into [`Diagram::nodes`].
    pub from: usize,
    pub to: usize,
    /// Corner points, first at `from`, last at `to`.
    pub points: Vec<(i32, i32)>,
    /// Joined by S-curves with horizontal ends (wide) or by straight lines (narrow brackets).
    pub smooth: bool,
    /// Where a label (token, 403) goes.
    pub mid: (i32, i32),
}

impl Route {
    /// SVG path data.
    pub fn path(&self) -> String {
        let mut d = String::new();
        let mut prev: Option<(i32, i32)> = None;
        for &(x, y) in &self.points {
            match prev {
                None => d.push_str(&format!("M{x} {y}")),
                Some((px, py)) if self.smooth && py != y => {
                    let c = (px + x) / 2;
                    d.push_str(&format!("C{c} {py} {c} {y} {x} {y}"));
                }
                Some(_) => d.push_str(&format!("L{x} {y}")),
            }
            prev = Some((x, y));
        }
        d
    }

    /// SVG path data of the arrowhead at the `to` end.
    pub fn arrow(&self) -> String {
        let n = self.points.len();
        let (Some(&(x, y)), Some(&(px, _))) =
            (self.points.last(), self.points.get(n.wrapping_sub(2)))
        else {
            return String::new();
        };
        let back = if px > x { 9 } else { -9 };
        format!("M{x} {y}L{} {}L{} {}Z", x + back, y - 5, x + back, y + 5)
    }

    /// The route as a polyline (curves sampled), for geometry checks.
    fn flatten(&self) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut prev: Option<(f64, f64)> = None;
        for &(x, y) in &self.points {
            let (x, y) = (f64::from(x), f64::from(y));
            if let Some((px, py)) = prev {
                if self.smooth && py != y {
                    let c = (px + x) / 2.0;
                    for i in 1..16 {
                        let t = f64::from(i) / 16.0;
                        let u = 1.0 - t;
                        let bx = u * u * u * px
                            + 3.0 * u * u * t * c
                            + 3.0 * u * t * t * c
                            + t * t * t * x;
                        let by =
                            (u * u * u + 3.0 * u * u * t) * py + (3.0 * u * t * t + t * t * t) * y;
                        out.push((bx, by));
                    }
                }
            }
            out.push((x, y));
            prev = Some((x, y));
        }
        out
    }
}

/// Approximate width (px) of `s` in a sans-serif font of `px` size: per-character classes,
/// rounded up, so text that "fits" fits in the common system fonts.
pub(super) fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    // Em widths of DejaVu Sans Bold (the widest common system-ui font), by class.
    let em: f64 = s
        .chars()
        .map(|c| match c {
            '\'' | 'i' | 'j' | 'l' | ' ' | '/' | '|' | 'I' | 'J' | ',' | '.' | ':' | ';' => 0.4,
            '-' | 'f' | '!' | '(' | ')' | 't' | 'r' | '_' | '"' => 0.52,
            'c' | 's' | 'z' | '?' => 0.6,
            'B' | 'R' | 'X' | 'A' | 'V' | 'K' | 'U' | 'G' | 'D' | 'H' | 'N' | 'O' | 'Q' | '&'
            | '#' | '+' | '<' | '=' | '>' | '~' => 0.87,
            'm' | 'w' | 'M' | 'W' | '…' | '%' | '@' => 1.1,
            _ => 0.73,
        })
        .sum();
    em * px * if bold { 1.0 } else { 0.92 }
}

/// `s`, shortened with … when wider than `max` px.
pub(super) fn fit(s: &str, max: f64, px: f64, bold: bool) -> String {
    if text_width(s, px, bold) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if text_width(&next, px, bold) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Stable insertion sort by key: the lists here are short, and std's sorts cost kilobytes of
/// wasm per element type.
fn sort_by_key<T, K: PartialOrd>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The layered graph: real vertices (nodes) and dummies (where an edge passes a column).
struct Graph {
    col: Vec<usize>,
    node: Vec<Option<usize>>,
    /// (edge, vertices from → to); a vertex per column crossed.
    chains: Vec<(usize, Vec<usize>)>,
    /// Segments between adjacent columns: (left vertex, right vertex).
    segs: Vec<(usize, usize)>,
}

fn graph(d: &Diagram) -> Graph {
    let mut g = Graph {
        col: d.nodes.iter().map(|n| n.kind.column()).collect(),
        node: (0..d.nodes.len()).map(Some).collect(),
        chains: Vec::new(),
        segs: Vec::new(),
    };
    let index = |id: &str| d.nodes.iter().position(|n| n.id == id);
    for (ei, e) in d.edges.iter().enumerate() {
        let (Some(f), Some(t)) = (index(&e.from), index(&e.to)) else {
            continue;
        };
        if f == t {
            continue;
        }
        let (cf, ct) = (g.col[f], g.col[t]);
        let mut chain = vec![f];
        let mut c = cf;
        while c.abs_diff(ct) > 1 {
            c = if ct > c { c + 1 } else { c - 1 };
            g.col.push(c);
            g.node.push(None);
            chain.push(g.col.len() - 1);
        }
        chain.push(t);
        for w in chain.windows(2) {
            let (a, b) = (w[0], w[1]);
            if g.col[a] + 1 == g.col[b] {
                g.segs.push((a, b));
            } else if g.col[b] + 1 == g.col[a] {
                g.segs.push((b, a));
            }
        }
        g.chains.push((ei, chain));
    }
    g
}

type Order = [Vec<usize>; 4];

fn positions(g: &Graph, order: &Order) -> Vec<usize> {
    let mut pos = vec![0; g.col.len()];
    for col in order {
        for (i, &v) in col.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Crossings between segments, counted from the order alone.
fn count(g: &Graph, order: &Order) -> usize {
    let pos = positions(g, order);
    let mut n = 0;
    for (i, &(a1, b1)) in g.segs.iter().enumerate() {
        for &(a2, b2) in &g.segs[i + 1..] {
            if g.col[a1] != g.col[a2] {
                continue;
            }
            let (p, q) = (pos[a1].cmp(&pos[a2]), pos[b1].cmp(&pos[b2]));
            if p != q && p.is_ne() && q.is_ne() {
                n += 1;
            }
        }
    }
    n
}

/// The mean of `val` over `v`'s neighbours (only those in column `only`, if given).
fn mean(g: &Graph, v: usize, only: Option<usize>, val: &[f64]) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0.0);
    for &(a, b) in &g.segs {
        let other = if a == v {
            b
        } else if b == v {
            a
        } else {
            continue;
        };
        if only.is_none_or(|c| g.col[other] == c) {
            sum += val[other];
            n += 1.0;
        }
    }
    (n > 0.0).then(|| sum / n)
}

/// Reorders column `c` by the mean position of each vertex's neighbours in column `fixed`;
/// vertices without such neighbours keep their slots.
fn barycentre(g: &Graph, order: &mut Order, c: usize, fixed: usize) {
    let pos: Vec<f64> = positions(g, order).into_iter().map(|p| p as f64).collect();
    let mut keyed: Vec<(f64, usize)> = Vec::new();
    for &v in &order[c] {
        if let Some(m) = mean(g, v, Some(fixed), &pos) {
            keyed.push((m, v));
        }
    }
    sort_by_key(&mut keyed, |k| k.0);
    let mut it = keyed.into_iter();
    for slot in order[c].iter_mut() {
        if mean(g, *slot, Some(fixed), &pos).is_some() {
            if let Some((_, v)) = it.next() {
                *slot = v;
            }
        }
    }
}

/// Swaps neighbours in a column while that removes crossings.
fn transpose(g: &Graph, order: &mut Order, mut best: usize) -> usize {
    for _ in 0..64 {
        let mut better = false;
        for c in 0..4 {
            for i in 1..order[c].len() {
                if best == 0 {
                    return 0;
                }
                order[c].swap(i - 1, i);
                let n = count(g, order);
                if n < best {
                    best = n;
                    better = true;
                } else {
                    order[c].swap(i - 1, i);
                }
            }
        }
        if !better {
            break;
        }
    }
    best
}

/// The order inside each column with the fewest crossings found.
fn order(g: &Graph) -> Order {
    let mut order: Order = Default::default();
    for v in 0..g.col.len() {
        if let Some(c) = order.get_mut(g.col[v]) {
            c.push(v);
        }
    }
    let mut best = order.clone();
    let mut best_n = count(g, &order);
    for _ in 0..8 {
        if best_n == 0 {
            break;
        }
        for c in 1..4 {
            barycentre(g, &mut order, c, c - 1);
        }
        for c in (0..3).rev() {
            barycentre(g, &mut order, c, c + 1);
        }
        let now = count(g, &order);
        let n = transpose(g, &mut order, now);
        if n < best_n {
            best_n = n;
            best = order.clone();
        }
    }
    best
}

/// Isotonic regression (pool adjacent violators): the non-decreasing sequence closest to `q`.
fn isotonic(q: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for &x in q {
        blocks.push((x, 1));
        while blocks.len() > 1 {
            let (m2, n2) = blocks[blocks.len() - 1];
            let (m1, n1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let n = n1 + n2;
            let m = (m1 * n1 as f64 + m2 * n2 as f64) / n as f64;
            if let Some(last) = blocks.last_mut() {
                *last = (m, n);
            }
        }
    }
    blocks
        .into_iter()
        .flat_map(|(m, n)| std::iter::repeat_n(m, n))
        .collect()
}

/// Vertical centres for the wide drawing: each vertex pulled towards its neighbours' mean,
/// order kept, boxes never closer than their gap.
fn centres(g: &Graph, order: &Order) -> Vec<f64> {
    let h = |v: usize| {
        if g.node[v].is_some() {
            f64::from(NODE_H)
        } else {
            0.0
        }
    };
    let gap = |a: usize, b: usize| {
        if g.node[a].is_some() && g.node[b].is_some() {
            24.0
        } else {
            16.0
        }
    };
    // Each round pulls every vertex towards its neighbours' mean (order kept, no overlap, none
    // above the top); the middle rounds also pull everything up, so that parts of the drawing
    // which only hold on to each other do not float lower than they need to.
    let mut y = vec![0.0; g.col.len()];
    for round in 0..14 {
        let lift = if (6..12).contains(&round) { 12.0 } else { 0.0 };
        for c in [1, 2, 3, 2, 1, 0] {
            let col = &order[c];
            let Some(&first) = col.first() else {
                continue;
            };
            // Offsets so that "non-decreasing" means "no overlap".
            let mut off = vec![0.0; col.len()];
            for i in 1..col.len() {
                off[i] =
                    off[i - 1] + h(col[i - 1]) / 2.0 + gap(col[i - 1], col[i]) + h(col[i]) / 2.0;
            }
            let q: Vec<f64> = col
                .iter()
                .zip(&off)
                .map(|(&v, o)| mean(g, v, None, &y).unwrap_or(y[v]) - lift - o)
                .collect();
            for ((&v, q), o) in col.iter().zip(isotonic(&q)).zip(&off) {
                y[v] = q.max(h(first) / 2.0) + o;
            }
        }
    }
    let top = (0..g.col.len())
        .map(|v| y[v] - h(v) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let top = if top.is_finite() { top } else { 0.0 };
    y.iter().map(|c| c - top + f64::from(TOP)).collect()
}

fn placed(d: &Diagram, node: usize, x: i32, y: i32, w: i32, h: i32) -> Placed {
    let max = f64::from(w - 2 * PAD_X);
    let (label, detail) = d
        .nodes
        .get(node)
        .map(|n| {
            (
                fit(&n.label, max, LABEL_PX, true),
                fit(&n.detail, max, DETAIL_PX, false),
            )
        })
        .unwrap_or_default();
    Placed {
        node,
        x,
        y,
        w,
        h,
        label,
        detail,
    }
}

fn overlay(d: &Diagram, edge: usize) -> bool {
    d.edges
        .get(edge)
        .is_some_and(|e| matches!(e.kind, EdgeKind::Token | EdgeKind::Access))
}

fn wide(d: &Diagram, g: &Graph, order: &Order) -> Layout {
    // At least as wide as the heading.
    let mut widths = COLUMNS.map(|h| (text_width(h, 12.0, true).ceil() as i32).max(MIN_W));
    for (i, n) in d.nodes.iter().enumerate() {
        let need =
            text_width(&n.label, LABEL_PX, true).max(text_width(&n.detail, DETAIL_PX, false));
        let need = need.ceil() as i32 + 2 * PAD_X;
        if let Some(w) = widths.get_mut(g.col[i]) {
            *w = (*w).max(need.min(MAX_W));
        }
    }
    // A labelled edge between neighbouring columns (a federation's credential, or "no
    // credential") has its pill in the gap between them: the gap fits the widest.
    let mut gaps = [GAP_X; 4];
    let column = |id: &str| d.node(id).map(|n| n.kind.column());
    for edge in &d.edges {
        let (Some(label), Some(a), Some(b)) = (&edge.label, column(&edge.from), column(&edge.to))
        else {
            continue;
        };
        let (lo, hi) = (a.min(b), a.max(b));
        if hi == lo + 1 {
            let need = text_width(label, 11.0, true).ceil() as i32 + 10 + 16;
            gaps[lo] = gaps[lo].max(need);
        }
    }
    let mut xs = [PAD; 4];
    for c in 1..4 {
        xs[c] = xs[c - 1] + widths[c - 1] + gaps[c - 1];
    }
    let y = centres(g, order);
    let yi = |v: usize| y[v].round() as i32;
    let mut l = Layout {
        width: xs[3] + widths[3] + PAD,
        ..Layout::default()
    };
    l.heads = COLUMNS
        .iter()
        .zip(xs)
        .map(|(text, x)| Head { text, x, y: 18 })
        .collect();
    for v in 0..g.col.len() {
        if let Some(n) = g.node[v] {
            let c = g.col[v];
            l.nodes
                .push(placed(d, n, xs[c], yi(v) - NODE_H / 2, widths[c], NODE_H));
        }
    }
    for (edge, chain) in &g.chains {
        let dy = if overlay(d, *edge) { OVERLAY_DY } else { 0 };
        let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
            continue;
        };
        let side = |v: usize, towards: usize| {
            let c = g.col[v];
            if g.col[towards] > c {
                xs[c] + widths[c]
            } else {
                xs[c]
            }
        };
        let mut points = Vec::new();
        if chain.len() == 2 && g.col[first] == g.col[last] {
            // Same column: a loop out to the right.
            let c = g.col[first];
            let x = xs[c] + widths[c];
            points = vec![
                (x, yi(first) + dy),
                (x + GAP_X / 3, yi(first) + dy),
                (x + GAP_X / 3, yi(last) + dy),
                (x, yi(last) + dy),
            ];
        } else {
            for (i, &v) in chain.iter().enumerate() {
                if g.node[v].is_some() {
                    let towards = if i == 0 { chain[1] } else { chain[i - 1] };
                    // An overlay arrives on the side it comes from (above or below the
                    // structure's edges into the same node).
                    let dy = if i > 0 && dy != 0 && yi(towards) < yi(v) {
                        -dy
                    } else {
                        dy
                    };
                    points.push((side(v, towards), yi(v) + dy));
                } else {
                    // A dummy: straight through its column.
                    let c = g.col[v];
                    let (a, b) = (xs[c], xs[c] + widths[c]);
                    let (a, b) = if g.col[first] < c { (a, b) } else { (b, a) };
                    points.push((a, yi(v)));
                    points.push((b, yi(v)));
                }
            }
        }
        let mid = if chain.len() > 2 {
            let v = chain[chain.len() / 2];
            (xs[g.col[v]] + widths[g.col[v]] / 2, yi(v))
        } else {
            let (a, b) = (points[0], points[points.len() - 1]);
            ((a.0 + b.0) / 2, (a.1 + b.1) / 2)
        };
        l.edges.push(route(
            *edge,
            (g.node[first].unwrap_or(0), g.node[last].unwrap_or(0)),
            points,
            true,
            mid,
        ));
    }
    l.height = l.nodes.iter().map(|p| p.y + p.h).max().unwrap_or(TOP) + PAD;
    l
}

fn route(
    edge: usize,
    (from, to): (usize, usize),
    points: Vec<(i32, i32)>,
    smooth: bool,
    mid: (i32, i32),
) -> Route {
    Route {
        edge,
        from,
        to,
        points,
        smooth,
        mid,
    }
}

fn narrow(d: &Diagram, g: &Graph, order: &Order) -> Layout {
    let w = NARROW_W - 2 * GUTTER;
    let mut l = Layout {
        width: NARROW_W,
        ..Layout::default()
    };
    let mut y = 0;
    let mut at = vec![(0, 0); g.col.len()];
    for (c, col) in order.iter().enumerate() {
        let mut reals: Vec<usize> = col
            .iter()
            .copied()
            .filter(|&v| g.node[v].is_some())
            .collect();
        if reals.is_empty() {
            continue;
        }
        if c % 2 == 1 {
            reals.reverse();
        }
        y += if l.heads.is_empty() { 0 } else { BAND_GAP };
        l.heads.push(Head {
            text: COLUMNS[c],
            x: GUTTER,
            y: y + 16,
        });
        y += BAND_HEAD;
        for v in reals {
            if let Some(n) = g.node[v] {
                l.nodes.push(placed(d, n, GUTTER, y, w, NODE_H));
                at[v] = (y + NODE_H / 2, c);
                y += NODE_H + ROW_GAP;
            }
        }
        y -= ROW_GAP;
    }
    l.height = y + PAD;
    // Brackets in the side gutters; arcs that share a node (a host's identities, the hosts of a
    // shared identity) share a track, so they read as one trunk with branches.
    struct Arc {
        edge: usize,
        from: usize,
        to: usize,
        left: bool,
        ya: i32,
        yb: i32,
        /// Arcs with the same group share a track.
        group: usize,
        depth: i32,
        /// Spans more than two bands (a read from identity to target).
        long: bool,
    }
    let mut arcs: Vec<Arc> = Vec::new();
    // Structural arcs per node and side.
    let mut degree = vec![[0u32; 2]; d.nodes.len()];
    for (i, (edge, chain)) in g.chains.iter().enumerate() {
        let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
            continue;
        };
        let (Some(na), Some(nb)) = (g.node[a], g.node[b]) else {
            continue;
        };
        let ov = overlay(d, *edge) || chain.len() > 2;
        let dy = if ov { OVERLAY_DY } else { 0 };
        let left = at[a].1.min(at[b].1) % 2 == 0;
        if !ov {
            degree[na][usize::from(left)] += 1;
            degree[nb][usize::from(left)] += 1;
        }
        arcs.push(Arc {
            edge: *edge,
            from: na,
            to: nb,
            left,
            ya: at[a].0 + dy,
            yb: at[b].0 + dy,
            // Overlays (and long edges) keep a track of their own.
            group: if ov { usize::MAX - i } else { 0 },
            depth: 1,
            long: chain.len() > 2,
        });
    }
    for a in arcs.iter_mut().filter(|a| a.group == 0) {
        let side = usize::from(a.left);
        let (da, db) = (degree[a.from][side], degree[a.to][side]);
        let upper = if a.ya <= a.yb { a.from } else { a.to };
        let node = match da.cmp(&db) {
            std::cmp::Ordering::Greater => a.from,
            std::cmp::Ordering::Less => a.to,
            std::cmp::Ordering::Equal => upper,
        };
        a.group = node * 2 + side;
    }
    // A long arc (a read from identity to target) takes the side where it interleaves with
    // fewer arcs, i.e. crosses fewer.
    let span = |a: &Arc| (a.ya.min(a.yb), a.ya.max(a.yb));
    #[allow(clippy::needless_range_loop)]
    for i in 0..arcs.len() {
        if !arcs[i].long {
            continue;
        }
        let (t, b) = span(&arcs[i]);
        let mut meets = [0; 2];
        for (j, o) in arcs.iter().enumerate() {
            let (to, bo) = span(o);
            let shared = [o.from, o.to]
                .iter()
                .any(|n| *n == arcs[i].from || *n == arcs[i].to);
            if j != i && !shared && ((t < to && to < b && b < bo) || (to < t && t < bo && bo < b)) {
                meets[usize::from(o.left)] += 1;
            }
        }
        arcs[i].left = meets[1] < meets[0];
    }
    // A group's span covers its arcs; a group goes outside every group it contains, an
    // overlay outside every group it meets.
    let mut groups: Vec<(usize, bool, i32, i32, i32)> = Vec::new();
    for a in &arcs {
        let (t, b) = (a.ya.min(a.yb), a.ya.max(a.yb));
        match groups.iter_mut().find(|g| g.0 == a.group) {
            Some(g) => {
                g.2 = g.2.min(t);
                g.3 = g.3.max(b);
            }
            None => groups.push((a.group, a.left, t, b, 1)),
        }
    }
    let overlaid = |key: usize| key > usize::MAX / 2;
    sort_by_key(&mut groups, |g| (overlaid(g.0), g.3 - g.2));
    for k in 0..groups.len() {
        let (key, left, t, b, _) = groups[k];
        let mut depth = 1;
        for j in &groups[..k] {
            let inside = j.2 >= t && j.3 <= b;
            let meets = j.2 <= b && j.3 >= t;
            if j.1 == left && (inside || (overlaid(key) && meets)) {
                depth = depth.max(j.4 + 1);
            }
        }
        groups[k].4 = depth;
    }
    for a in &mut arcs {
        a.depth = groups.iter().find(|g| g.0 == a.group).map_or(1, |g| g.4);
    }
    let deepest = arcs.iter().map(|a| a.depth).max().unwrap_or(1).max(1);
    let step = ((GUTTER - 12) / deepest).clamp(2, 7);
    for a in &arcs {
        let out = 6 + a.depth * step;
        let (x, gx) = if a.left {
            (GUTTER, GUTTER - out)
        } else {
            (GUTTER + w, GUTTER + w + out)
        };
        let points = vec![(x, a.ya), (gx, a.ya), (gx, a.yb), (x, a.yb)];
        let mid = (gx.clamp(18, NARROW_W - 18), (a.ya + a.yb) / 2);
        l.edges
            .push(route(a.edge, (a.from, a.to), points, false, mid));
    }
    l
}

/// Both drawings of `d`.
pub fn layout(d: &Diagram) -> Layouts {
    let g = graph(d);
    let order = order(&g);
    Layouts {
        wide: wide(d, &g, &order),
        narrow: narrow(d, &g, &order),
    }
}

/// Whether segments p and q meet (crossing or touching).
fn cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let o = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
        if v.abs() < 1e-9 {
            0
        } else if v > 0.0 {
            1
        } else {
            -1
        }
    };
    let on = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        a.0.min(b.0) <= c.0 && c.0 <= a.0.max(b.0) && a.1.min(b.1) <= c.1 && c.1 <= a.1.max(b.1)
    };
    let (d1, d2) = (o(q1, q2, p1), o(q1, q2, p2));
    let (d3, d4) = (o(p1, p2, q1), o(p1, p2, q2));
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && on(q1, q2, p1))
        || (d2 == 0 && on(q1, q2, p2))
        || (d3 == 0 && on(p1, p2, q1))
        || (d4 == 0 && on(p1, p2, q2))
}

/// Pairs of drawn edges that cross (edges that share a node are never counted: they meet).
pub fn crossings(l: &Layout) -> usize {
    let lines: Vec<Vec<(f64, f64)>> = l.edges.iter().map(Route::flatten).collect();
    let mut n = 0;
    for i in 0..l.edges.len() {
        for j in i + 1..l.edges.len() {
            let (a, b) = (&l.edges[i], &l.edges[j]);
            if a.from == b.from || a.from == b.to || a.to == b.from || a.to == b.to {
                continue;
            }
            let hit = lines[i]
                .windows(2)
                .any(|p| lines[j].windows(2).any(|q| cross(p[0], p[1], q[0], q[1])));
            n += usize::from(hit);
        }
    }
    n
}

/// Overlapping node boxes, plus edges drawn through a node they do not connect (for tests).
#[cfg(test)]
pub(super) fn collisions(l: &Layout) -> usize {
    let mut n = 0;
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            n += usize::from(!apart);
        }
    }
    for r in &l.edges {
        let line = r.flatten();
        for p in l
            .nodes
            .iter()
            .filter(|p| p.node != r.from && p.node != r.to)
        {
            let (x0, y0) = (f64::from(p.x), f64::from(p.y));
            let (x1, y1) = (f64::from(p.x + p.w), f64::from(p.y + p.h));
            let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
            let inside = |q: &(f64, f64)| q.0 > x0 && q.0 < x1 && q.1 > y0 && q.1 < y1;
            let hit = line.iter().any(inside)
                || line
                    .windows(2)
                    .any(|s| corners.windows(2).any(|c| cross(s[0], s[1], c[0], c[1])));
            n += usize::from(hit);
        }
    }
    n
}
