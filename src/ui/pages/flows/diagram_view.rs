//! The sandbox diagram as SVG: nodes in columns by kind (hosts, identities, role assignments,
//! targets and scopes), edges as arrows. Every node and edge carries its text equivalent in a
//! `<title>`, and the same sentences are listed below the drawing.

use std::collections::HashMap;

use mi_core::flows::{Diagram, EdgeKind, NodeKind};
use yew::prelude::*;

const COL_W: i32 = 215;
const NODE_W: i32 = 185;
const NODE_H: i32 = 46;
const ROW_H: i32 = 60;
const PAD: i32 = 8;
const HEAD: i32 = 28;
const COLUMNS: [&str; 4] = [
    "Hosts",
    "Identities",
    "Role assignments",
    "Targets and scopes",
];
const MAX_LABEL: usize = 24;

fn column(k: NodeKind) -> i32 {
    match k {
        NodeKind::Host => 0,
        NodeKind::SystemIdentity | NodeKind::UserIdentity | NodeKind::MissingIdentity => 1,
        NodeKind::RoleAssignment => 2,
        NodeKind::Target | NodeKind::Scope => 3,
    }
}

fn kind_code(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Host => "host",
        NodeKind::SystemIdentity => "system",
        NodeKind::UserIdentity => "user",
        NodeKind::MissingIdentity => "missing",
        NodeKind::RoleAssignment => "role",
        NodeKind::Target => "target",
        NodeKind::Scope => "scope",
    }
}

fn kind_label(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Host => "compute host",
        NodeKind::SystemIdentity => "system-assigned identity",
        NodeKind::UserIdentity => "user-assigned identity",
        NodeKind::MissingIdentity => "deleted principal",
        NodeKind::RoleAssignment => "role assignment",
        NodeKind::Target => "target resource",
        NodeKind::Scope => "scope",
    }
}

fn edge_code(k: EdgeKind) -> &'static str {
    match k {
        EdgeKind::HasIdentity => "has-identity",
        EdgeKind::AssignedTo => "assigned-to",
        EdgeKind::GrantsOn => "grants-on",
    }
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_string();
    }
    let mut s: String = label.chars().take(MAX_LABEL - 1).collect();
    s.push('…');
    s
}

/// Top-left corner of each node, by id.
fn layout(d: &Diagram) -> (HashMap<&str, (i32, i32, i32)>, i32) {
    let mut rows = [0i32; 4];
    let mut pos = HashMap::new();
    for n in &d.nodes {
        let col = column(n.kind);
        let slot = &mut rows[col as usize];
        pos.insert(
            n.id.as_str(),
            (col, PAD + col * COL_W, HEAD + *slot * ROW_H),
        );
        *slot += 1;
    }
    let max_rows = rows.iter().copied().max().unwrap_or(0).max(1);
    (pos, HEAD + max_rows * ROW_H + PAD)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub diagram: Diagram,
}

#[function_component(DiagramView)]
pub fn diagram_view(props: &Props) -> Html {
    let d = &props.diagram;
    let (pos, height) = layout(d);
    let width = PAD * 2 + 3 * COL_W + NODE_W;
    let edges = d.edges.iter().filter_map(|e| {
        let &(fc, fx, fy) = pos.get(e.from.as_str())?;
        let &(tc, tx, ty) = pos.get(e.to.as_str())?;
        let (x1, x2) = if tc > fc {
            (fx + NODE_W, tx - 2)
        } else if tc < fc {
            (fx, tx + NODE_W + 2)
        } else {
            (fx + NODE_W, tx + NODE_W + 2)
        };
        let (y1, y2) = (fy + NODE_H / 2, ty + NODE_H / 2);
        Some(html! {
            <g class={classes!("flows-edge", format!("flows-edge-{}", edge_code(e.kind)))}
                data-testid="diagram-edge" data-from={e.from.clone()} data-to={e.to.clone()}>
                <title>{ &e.text }</title>
                <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()}
                    stroke-width="2" marker-end="url(#flows-arrow)" />
            </g>
        })
    });
    let nodes = d.nodes.iter().filter_map(|n| {
        let &(_, x, y) = pos.get(n.id.as_str())?;
        Some(html! {
            <g class={classes!("flows-node", format!("flows-node-{}", kind_code(n.kind)))}
                data-testid="diagram-node" data-node={n.id.clone()} data-kind={kind_code(n.kind)}>
                <title>{ &n.text }</title>
                <rect x={x.to_string()} y={y.to_string()} width={NODE_W.to_string()} height={NODE_H.to_string()}
                    rx="6" stroke-width="1.5" />
                <text x={(x + 8).to_string()} y={(y + 19).to_string()} class="flows-node-label">{ short(&n.label) }</text>
                <text x={(x + 8).to_string()} y={(y + 37).to_string()} class="flows-node-kind">{ kind_label(n.kind) }</text>
            </g>
        })
    });
    let heads = COLUMNS.iter().enumerate().map(|(i, h)| {
        let x = PAD + i as i32 * COL_W;
        html! { <text x={x.to_string()} y="18" class="flows-col-head">{ *h }</text> }
    });
    html! {
        <div class="flows-diagram">
            if d.nodes.is_empty() {
                <p class="muted" data-testid="diagram-empty">{ "Nothing to draw yet: the world is empty." }</p>
            } else {
                <div class="flows-diagram-scroll" tabindex="0" role="region" aria-label="Diagram (scrolls sideways)">
                    <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
                        role="group" aria-labelledby="flows-diagram-title" data-testid="diagram">
                        <defs>
                            <marker id="flows-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
                                orient="auto-start-reverse">
                                <path d="M 0 0 L 10 5 L 0 10 z" class="flows-arrow-head" />
                            </marker>
                        </defs>
                        { for heads }
                        { for edges }
                        { for nodes }
                    </svg>
                </div>
            }
            <h4 id="flows-diagram-text-title">{ "The diagram in words" }</h4>
            <ul class="flows-diagram-text" data-testid="diagram-text" aria-labelledby="flows-diagram-text-title">
                { for d.text().into_iter().map(|t| html! { <li>{ t }</li> }) }
            </ul>
        </div>
    }
}
