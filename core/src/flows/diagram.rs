//! The diagram of a world (pure): what to draw ([`diagram`]), what changed since an earlier
//! world ([`diagram_between`]), the token request of a lane step ([`Diagram::with_request`],
//! [`lane_diagram`]), a layout with as few edge crossings as possible ([`layout`]) and its SVG
//! text ([`svg_markup`]).
//!
//! Node ids are names, so they are stable from one world to the next and diffs work:
//! `c:<host>`, `si:<host>` (its system-assigned identity), `id:<identity>`, `ra:<guid>`,
//! `t:<target>`, `s:<scope ARM id>` (a resource group or the subscription) and
//! `oid:<object id>` (the principal of an orphaned role assignment: "Identity not found"),
//! `k:<cluster>` (an AKS cluster) and `w:<workload>` (a Kubernetes workload).

mod layout;
mod svg;
#[cfg(test)]
mod tests;

pub use layout::{crossings, layout, Head, Layout, Layouts, Placed, Route};
pub use svg::{
    export_style, resolve_light_dark, svg_markup, svg_tree, SvgChild, SvgEl, SvgOptions,
};

use super::{steps, LaneState};
use crate::arm::same_arm_id;
use crate::cloud::{dsl, World};

/// What a diagram node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A compute resource (VM, web app, …).
    Host,
    SystemIdentity,
    UserIdentity,
    /// The principal of an orphaned role assignment: "Identity not found".
    MissingIdentity,
    RoleAssignment,
    /// A Key Vault, Storage account or SQL database.
    Target,
    /// A resource group or the subscription used as a role assignment scope.
    Scope,
    /// An AKS cluster (its OIDC issuer).
    Cluster,
    /// A Kubernetes workload (service account and pod) using workload identity.
    Workload,
}

impl NodeKind {
    /// Kebab-case code (`data-kind`, CSS classes).
    pub fn code(self) -> &'static str {
        match self {
            NodeKind::Host => "host",
            NodeKind::SystemIdentity => "system",
            NodeKind::UserIdentity => "user",
            NodeKind::MissingIdentity => "missing",
            NodeKind::RoleAssignment => "role",
            NodeKind::Target => "target",
            NodeKind::Scope => "scope",
            NodeKind::Cluster => "cluster",
            NodeKind::Workload => "workload",
        }
    }

    /// The layout column: hosts, identities, role assignments, targets and scopes.
    pub fn column(self) -> usize {
        match self {
            NodeKind::Host | NodeKind::Cluster | NodeKind::Workload => 0,
            NodeKind::SystemIdentity | NodeKind::UserIdentity | NodeKind::MissingIdentity => 1,
            NodeKind::RoleAssignment => 2,
            NodeKind::Target | NodeKind::Scope => 3,
        }
    }
}

/// How two nodes relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Host → one of its identities (system- or user-assigned).
    HasIdentity,
    /// Role assignment → the principal it is assigned to.
    AssignedTo,
    /// Role assignment → the scope it grants its role on.
    GrantsOn,
    /// Host → the identity whose token it got (a step's token request).
    Token,
    /// Identity → the target it read with that token; `status` says how it went.
    Access,
    /// Workload → the identity its service account names; labelled with the federated
    /// credential that trusts it, or "no credential" (`status` 401) when none does.
    Federated,
}

impl EdgeKind {
    pub fn code(self) -> &'static str {
        match self {
            EdgeKind::HasIdentity => "has-identity",
            EdgeKind::AssignedTo => "assigned-to",
            EdgeKind::GrantsOn => "grants-on",
            EdgeKind::Token => "token",
            EdgeKind::Access => "access",
            EdgeKind::Federated => "federated",
        }
    }
}

/// How a node or edge differs from the earlier world ([`diagram_between`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// Not in the earlier world.
    Added,
    /// In the earlier world only: still drawn (faded, dashed, tagged "deleted").
    Removed,
    /// Same id, different content: a recreated identity's new object id, an orphaned role
    /// assignment.
    Changed,
}

impl Change {
    /// `data-change` value.
    pub fn code(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id, e.g. `c:app-web`, `si:app-web`, `id:id-shared`, `ra:<guid>`, `t:kv-x`.
    pub id: String,
    pub kind: NodeKind,
    /// First line of the drawing: the name (or the role of an assignment).
    pub label: String,
    /// Second line: `oid 76e1…c12a` for identities, `on kv-x` for role assignments, the kind of
    /// resource for hosts and targets.
    pub detail: String,
    /// Sentence for screen readers and the text view (full ids).
    pub text: String,
    pub change: Option<Change>,
    /// The tag drawn on a changed node: "new", "deleted", "new oid", "orphaned", "changed".
    pub note: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub text: String,
    pub change: Option<Change>,
    /// Drawn on the edge: the status of an access ("200", "403").
    pub label: Option<String>,
    /// The HTTP status of an [`EdgeKind::Access`] edge.
    pub status: Option<u16>,
    /// A one-character stand-in for `label` where a drawing has no room for it (a federation
    /// on the narrow drawing, whose pill would cover a band heading).
    pub mark: Option<&'static str>,
}

/// Nodes and edges of a world; render as SVG with `text` as the accessible description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagram {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The token request of a step, drawn over the diagram: `host` asked, `identity_node`
/// answered, and (optionally) that token was used to read `target`: `(target node id, HTTP
/// status, reason)`. Ids are node ids (`c:app-web`, `si:app-web`, `t:kv-x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUse {
    pub host: String,
    pub identity_node: String,
    pub target: Option<(String, u16, String)>,
}

/// `76e1…c12a`: the first and last four characters of an object id (all of it when short).
pub fn short_id(id: &str) -> String {
    let n = id.len();
    match (id.get(..4), id.get(n.saturating_sub(4)..)) {
        (Some(head), Some(tail)) if n > 10 => format!("{head}…{tail}"),
        _ => id.to_string(),
    }
}

fn oid_detail(oid: &str) -> String {
    format!("oid {}", short_id(oid))
}

impl Diagram {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    fn label_of(&self, id: &str) -> String {
        self.node(id).map_or(id, |n| n.label.as_str()).to_string()
    }

    /// The text equivalent: every node, then every edge, one sentence each.
    pub fn text(&self) -> Vec<&str> {
        let n = self.nodes.iter().map(|n| n.text.as_str());
        n.chain(self.edges.iter().map(|e| e.text.as_str()))
            .collect()
    }

    fn add(&mut self, id: String, kind: NodeKind, label: String, detail: String, text: String) {
        if self.node(&id).is_none() {
            self.nodes.push(Node {
                id,
                kind,
                label,
                detail,
                text,
                change: None,
                note: None,
            });
        }
    }

    fn push_edge(&mut self, from: &str, to: &str, kind: EdgeKind, text: String) {
        self.edges.push(Edge {
            from: from.into(),
            to: to.into(),
            kind,
            text,
            change: None,
            label: None,
            status: None,
            mark: None,
        });
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind) {
        let (a, b) = (self.label_of(from), self.label_of(to));
        let text = match kind {
            EdgeKind::HasIdentity => format!("{a} has identity {b}."),
            EdgeKind::AssignedTo => format!("Role assignment {a} is assigned to {b}."),
            _ => format!("Role assignment {a} grants on {b}."),
        };
        self.push_edge(from, to, kind, text);
    }

    /// Draws a step's token request over the diagram: "host → identity (token)" and, when the
    /// token was used, "identity → target (status)". Parts whose nodes are not in the diagram
    /// are left out.
    pub fn with_request(mut self, u: TokenUse) -> Diagram {
        let (host, id) = (u.host.as_str(), u.identity_node.as_str());
        if self.node(host).is_none() || self.node(id).is_none() {
            return self;
        }
        let oid = self.node(id).map(|n| n.detail.clone()).unwrap_or_default();
        let text = format!(
            "{} asks for a token; it is issued for {} ({oid}).",
            self.label_of(host),
            self.label_of(id)
        );
        self.push_edge(host, id, EdgeKind::Token, text);
        if let Some((target, status, reason)) = u.target {
            if self.node(&target).is_some() {
                let mut text = format!(
                    "With that token, {} reads {}: {status}.",
                    self.label_of(id),
                    self.label_of(&target)
                );
                if !reason.is_empty() {
                    text = format!("{} {reason}", text);
                }
                self.push_edge(id, &target, EdgeKind::Access, text);
                if let Some(e) = self.edges.last_mut() {
                    e.label = Some(status.to_string());
                    e.status = Some(status);
                }
            }
        }
        self
    }
}

/// The node id of a principal (object id): a host's system-assigned identity, a user-assigned
/// identity, or (added on the fly) a missing one.
fn principal_node(w: &World, d: &mut Diagram, oid: &str) -> String {
    if let Some(id) = principal_of(w, oid) {
        return id;
    }
    let id = format!("oid:{oid}");
    d.add(
        id.clone(),
        NodeKind::MissingIdentity,
        "Identity not found".into(),
        oid_detail(oid),
        format!("Identity not found: object id {oid} no longer exists (type Unknown)."),
    );
    id
}

/// The node id of an existing identity with object id `oid`.
fn principal_of(w: &World, oid: &str) -> Option<String> {
    let is = |p: &str| p.eq_ignore_ascii_case(oid);
    if let Some(c) = w.computes.iter().find(|c| {
        c.system_identity
            .as_ref()
            .is_some_and(|s| is(&s.principal_id))
    }) {
        return Some(format!("si:{}", c.name));
    }
    w.identities
        .iter()
        .find(|i| is(&i.sp.principal_id))
        .map(|i| format!("id:{}", i.name))
}

/// The node id of a role assignment scope (adding a scope node for groups / subscription).
fn scope_node(w: &World, d: &mut Diagram, scope: &str) -> String {
    let same = |a: crate::arm::ArmId| same_arm_id(&a.to_arm_string(), scope);
    if let Some(t) = w.targets.iter().find(|t| same(w.target_arm_id(t))) {
        return format!("t:{}", t.name);
    }
    if let Some(c) = w.computes.iter().find(|c| same(w.compute_arm_id(c))) {
        return format!("c:{}", c.name);
    }
    if let Some(i) = w.identities.iter().find(|i| same(w.identity_arm_id(i))) {
        return format!("id:{}", i.name);
    }
    let (label, detail) = match scope.rsplit_once('/') {
        Some((rest, name)) if rest.to_ascii_lowercase().ends_with("/resourcegroups") => {
            (name.to_string(), "resource group")
        }
        _ if same_arm_id(scope, &w.subscription_arm_id()) => {
            (w.subscription.display_name.clone(), "subscription")
        }
        _ => (scope.to_string(), "scope"),
    };
    let id = format!("s:{scope}");
    d.add(
        id.clone(),
        NodeKind::Scope,
        label.clone(),
        detail.into(),
        format!("Scope: {detail} {label} ({scope})."),
    );
    id
}

/// The diagram model of `w`: hosts with their identities, user-assigned identities, targets,
/// role assignments with their principal and scope. Orphaned assignments point at an
/// "Identity not found" node.
pub fn diagram(w: &World) -> Diagram {
    let mut d = Diagram::default();
    for c in &w.computes {
        let id = format!("c:{}", c.name);
        let text = format!("{} {} in {}.", c.kind.label(), c.name, c.resource_group);
        d.add(
            id,
            NodeKind::Host,
            c.name.clone(),
            c.kind.label().into(),
            text,
        );
    }
    for i in &w.identities {
        let text = format!(
            "User-assigned identity {} (object id {}, client id {}).",
            i.name, i.sp.principal_id, i.sp.client_id
        );
        let detail = oid_detail(&i.sp.principal_id);
        d.add(
            format!("id:{}", i.name),
            NodeKind::UserIdentity,
            i.name.clone(),
            detail,
            text,
        );
    }
    for t in &w.targets {
        let text = format!("{} {} in {}.", t.kind.label(), t.name, t.resource_group);
        let id = format!("t:{}", t.name);
        d.add(
            id,
            NodeKind::Target,
            t.name.clone(),
            t.kind.label().into(),
            text,
        );
    }
    workloads(w, &mut d);
    for c in &w.computes {
        let host = format!("c:{}", c.name);
        if let Some(sp) = &c.system_identity {
            let id = format!("si:{}", c.name);
            let text = format!(
                "System-assigned identity of {} (object id {}, client id {}).",
                c.name, sp.principal_id, sp.client_id
            );
            let label = format!("{} (system)", c.name);
            let detail = oid_detail(&sp.principal_id);
            d.add(id.clone(), NodeKind::SystemIdentity, label, detail, text);
            d.edge(&host, &id, EdgeKind::HasIdentity);
        }
        for u in &c.user_identities {
            if let Some(i) = w.identity(u) {
                d.edge(&host, &format!("id:{}", i.name), EdgeKind::HasIdentity);
            }
        }
    }
    for ra in &w.role_assignments {
        let id = format!("ra:{}", ra.name);
        d.add(
            id.clone(),
            NodeKind::RoleAssignment,
            ra.role.name().into(),
            String::new(),
            String::new(),
        );
        let p = principal_node(w, &mut d, &ra.principal_id);
        let s = scope_node(w, &mut d, &ra.scope);
        let who = d.label_of(&p);
        let on = d.label_of(&s);
        if let Some(n) = d.nodes.iter_mut().find(|n| n.id == id) {
            n.detail = format!("on {on}");
            n.text = format!(
                "Role assignment {} ({}) for object id {} ({who}) on {on} ({}).",
                ra.role.name(),
                ra.name,
                ra.principal_id,
                ra.scope
            );
        }
        d.edge(&id, &p, EdgeKind::AssignedTo);
        d.edge(&id, &s, EdgeKind::GrantsOn);
    }
    d
}

/// AKS clusters, workloads and, for each workload, the identity its service account names:
/// trusted through a federated credential or not.
fn workloads(w: &World, d: &mut Diagram) {
    for k in &w.clusters {
        let text = format!(
            "AKS cluster {} in {}, OIDC issuer {}.",
            k.name, k.resource_group, k.issuer
        );
        d.add(
            format!("k:{}", k.name),
            NodeKind::Cluster,
            k.name.clone(),
            "AKS cluster".into(),
            text,
        );
    }
    for wl in &w.workloads {
        let id = format!("w:{}", wl.name);
        let text = format!(
            "Workload {} (service account {}) on {}: subject {}. {}",
            wl.name,
            wl.name,
            wl.cluster,
            wl.subject(),
            w.workload_status(wl)
        );
        let detail = format!("pod in {}", wl.namespace);
        d.add(
            id.clone(),
            NodeKind::Workload,
            wl.name.clone(),
            detail,
            text,
        );
        let Some(identity) = w.workload_identity(wl) else {
            continue;
        };
        let trusted = w.trusted_by(wl);
        let to = format!("id:{}", identity.name);
        let (label, status, text) = if trusted.is_empty() {
            (
                "no credential".to_string(),
                Some(401),
                format!(
                    "{}'s service account names {}, but no federated credential of {} trusts {}.",
                    wl.name,
                    identity.name,
                    identity.name,
                    wl.subject()
                ),
            )
        } else {
            (
                trusted.join(", "),
                None,
                format!(
                    "{} trusts {}'s service account through federated credential {}.",
                    identity.name,
                    wl.name,
                    trusted.join(", ")
                ),
            )
        };
        d.push_edge(&id, &to, EdgeKind::Federated, text);
        if let Some(e) = d.edges.last_mut() {
            e.mark = Some(if status.is_some() { "✗" } else { "✓" });
            e.label = Some(label);
            e.status = status;
        }
    }
}

/// What a same-id node with different content says changed, and the sentence that explains it.
fn change_note(d: &Diagram, old: &Node, new: &Node) -> (&'static str, String) {
    match new.kind {
        NodeKind::SystemIdentity | NodeKind::UserIdentity if old.detail != new.detail => (
            "new oid",
            format!(
                "Changed: same name, new object id (was {}); role assignments made for the old one do not apply.",
                old.detail.trim_start_matches("oid ")
            ),
        ),
        NodeKind::RoleAssignment
            if orphaned(d, &new.id) =>
        {
            (
                "orphaned",
                "Changed: its identity no longer exists, so it grants nothing (orphaned).".into(),
            )
        }
        _ => ("changed", "Changed.".into()),
    }
}

/// Whether role assignment `ra` points at a missing identity.
fn orphaned(d: &Diagram, ra: &str) -> bool {
    d.edges.iter().any(|e| {
        e.from == ra
            && e.kind == EdgeKind::AssignedTo
            && d.node(&e.to).map(|n| n.kind) == Some(NodeKind::MissingIdentity)
    })
}

fn mark(n: &mut Node, change: Change, note: &'static str, sentence: &str) {
    n.change = Some(change);
    n.note = Some(note);
    n.text = format!("{} {sentence}", n.text);
}

/// Marks `after` against `before`: nodes and edges added, removed (kept, marked) or changed.
fn diff(before: &Diagram, mut d: Diagram) -> Diagram {
    let mut changes = Vec::new();
    for n in &d.nodes {
        match before.node(&n.id) {
            None => changes.push((n.id.clone(), Change::Added, "new", "New.".to_string())),
            Some(old) if old.text != n.text => {
                let (note, s) = change_note(&d, old, n);
                changes.push((n.id.clone(), Change::Changed, note, s));
            }
            Some(_) => {}
        }
    }
    for (id, c, note, s) in changes {
        if let Some(n) = d.nodes.iter_mut().find(|n| n.id == id) {
            mark(n, c, note, &s);
        }
    }
    // Removed nodes keep their place: right after the node that preceded them before.
    let mut at = 0;
    for old in &before.nodes {
        match d.nodes.iter().position(|n| n.id == old.id) {
            Some(i) => at = i + 1,
            None => {
                let mut n = old.clone();
                mark(&mut n, Change::Removed, "deleted", "Deleted.");
                d.nodes.insert(at.min(d.nodes.len()), n);
                at += 1;
            }
        }
    }
    let same = |a: &Edge, b: &Edge| a.from == b.from && a.to == b.to && a.kind == b.kind;
    for e in &mut d.edges {
        if !before.edges.iter().any(|b| same(b, e)) {
            e.change = Some(Change::Added);
        }
    }
    for old in &before.edges {
        if !d.edges.iter().any(|e| same(old, e)) {
            let mut e = old.clone();
            e.change = Some(Change::Removed);
            e.text = format!("{} (Deleted.)", e.text);
            d.edges.push(e);
        }
    }
    d
}

/// The diagram of `after`, marked against `before`: nodes and edges not in `before` are
/// [`Change::Added`]; those only in `before` are kept and marked [`Change::Removed`]; a node
/// with the same id but different content is [`Change::Changed`] (a recreated identity with a
/// new object id: "new oid"; a role assignment whose identity is gone: "orphaned").
pub fn diagram_between(before: &World, after: &World) -> Diagram {
    diff(&diagram(before), diagram(after))
}

/// The diagram of a lane step: its world marked against the previous step's, plus the step's
/// token request ([`Diagram::with_request`]) when it asked for a token or read the secret.
/// A node this step re-creates (same id as in an earlier step, gone in the previous one) is
/// compared with its last earlier version, so a recreated app's identity says "new oid".
pub fn lane_diagram(st: &LaneState) -> Diagram {
    let mut d = diff(&diagram(&st.world_before), diagram(&st.world));
    // The worlds before the previous step, newest first (for nodes this step re-creates).
    let specs = steps::lane(st.lane);
    let mut w = World::new(st.lane.seed(), st.world.start);
    let mut worlds = vec![w.clone()];
    for spec in specs.iter().take(st.step.saturating_sub(1)) {
        for a in dsl::parse_actions(spec.actions).unwrap_or_default() {
            // A built-in lane's actions all apply (tested); a failed one changes nothing.
            let _ = w.apply(&a);
        }
        worlds.push(w.clone());
    }
    let earlier: Vec<Diagram> = if st.step == 0 {
        Vec::new()
    } else {
        worlds.iter().rev().map(diagram).collect()
    };
    let mut redo = Vec::new();
    for node in d.nodes.iter().filter(|n| n.change == Some(Change::Added)) {
        if let Some(old) = earlier.iter().find_map(|e| e.node(&node.id)) {
            if Some(old.text.as_str()) != node.text.strip_suffix(" New.") {
                let (note, s) = change_note(&d, old, node);
                redo.push((node.id.clone(), note, s));
            }
        }
    }
    for (id, note, s) in redo {
        if let Some(n) = d.nodes.iter_mut().find(|n| n.id == id) {
            if let Some(t) = n.text.strip_suffix(" New.") {
                n.text = t.to_string();
            }
            mark(n, Change::Changed, note, &s);
        }
    }
    let spec = &st.spec;
    if spec.token.is_none() && !spec.read {
        return d;
    }
    let host = spec.token.map_or(spec.host, |t| t.host);
    // This step's token, or (a read without a request) the lane's latest one.
    let oid = match (&spec.token, &st.token) {
        (Some(_), Some(t)) => t.claim("oid").map(str::to_string),
        (Some(_), None) => None,
        (None, _) => st.token_oid.clone(),
    };
    let Some(identity) = oid.and_then(|o| principal_of(&st.world, &o)) else {
        return d;
    };
    let target = st.access.as_ref().map(|a| {
        let target = format!("t:{}", steps::VAULT);
        (target, a.status, a.text.clone())
    });
    let Some(host) = node_of_resource(&st.world, host) else {
        return d;
    };
    d.with_request(TokenUse {
        host,
        identity_node: identity,
        target,
    })
}

/// The resource a diagram node stands for (`c:vm-a`, `si:vm-a` → `vm-a`; a role assignment by
/// its name); none for a missing identity or a scope.
pub fn resource_of_node(node: &str) -> Option<&str> {
    let (kind, name) = node.split_once(':')?;
    matches!(kind, "c" | "si" | "id" | "t" | "ra" | "k" | "w").then_some(name)
}

/// The diagram node of the resource named `name` in `w`.
pub fn node_of_resource(w: &World, name: &str) -> Option<String> {
    let kind = if w.compute(name).is_some() {
        "c"
    } else if w.identity(name).is_some() {
        "id"
    } else if w.targets.iter().any(|t| t.name == name) {
        "t"
    } else if w.role_assignments.iter().any(|r| r.name == name) {
        "ra"
    } else if w.cluster(name).is_some() {
        "k"
    } else if w.workload(name).is_some() {
        "w"
    } else {
        return None;
    };
    Some(format!("{kind}:{name}"))
}
