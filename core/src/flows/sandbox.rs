//! The free sandbox (any actions, undo by replay, share link via the action DSL) and the
//! diagram model of a world (nodes and edges, each with a text equivalent).

use super::{event, Event};
use crate::arm::same_arm_id;
use crate::cloud::{dsl, Action, ActionError, Role, World, DEFAULT_SEED};
use crate::fragment::Fragment;

/// A free-play world: `seed`, start time and the actions applied so far. The world and the
/// timeline are derived (kept in sync on every change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    pub seed: u64,
    /// When the world began (unix seconds): the visitor's clock, or a link's `t=`.
    pub start: u64,
    pub actions: Vec<Action>,
    world: World,
    timeline: Vec<Event>,
}

/// Why a fragment or action list could not be fully loaded. `recovered` holds what could be
/// (the actions before the bad one), so a hand-edited link still opens something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxError {
    pub message: String,
    /// 0-based index of the action that failed, if an action did.
    pub action: Option<usize>,
    pub recovered: Box<Sandbox>,
}

impl Sandbox {
    pub fn new(seed: u64, start: u64) -> Sandbox {
        Sandbox {
            seed,
            start,
            actions: Vec::new(),
            world: World::new(seed, start),
            timeline: Vec::new(),
        }
    }

    /// Replays `actions`; stops at the first invalid one (see [`SandboxError`]).
    pub fn replay(seed: u64, start: u64, actions: &[Action]) -> Result<Sandbox, SandboxError> {
        let mut s = Sandbox::new(seed, start);
        s.actions.reserve(actions.len());
        s.timeline.reserve(actions.len());
        for (i, a) in actions.iter().enumerate() {
            // In place: `apply` copies the world for every action so that a failed one changes
            // nothing, which made a long list quadratic.
            match s.world.apply_in_place(a) {
                Ok(o) => {
                    s.timeline.push(event(a, o));
                    s.actions.push(a.clone());
                }
                Err(e) => {
                    // The failed action may have left its mark: rebuild what came before it.
                    let before = actions.get(..i).unwrap_or(&[]);
                    let recovered =
                        Sandbox::replay(seed, start, before).unwrap_or_else(|e| *e.recovered);
                    return Err(SandboxError {
                        message: format!("action {}: {e}", i + 1),
                        action: Some(i),
                        recovered: Box::new(recovered),
                    });
                }
            }
        }
        Ok(s)
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// One event per applied action, oldest first.
    pub fn timeline(&self) -> &[Event] {
        &self.timeline
    }

    /// Applies one action; on error nothing changes. Returns the new timeline event.
    pub fn apply(&mut self, action: &Action) -> Result<Event, ActionError> {
        let ev = event(action, self.world.apply(action)?);
        self.actions.push(action.clone());
        self.timeline.push(ev.clone());
        Ok(ev)
    }

    /// Undoes the last action (exactly: the world is replayed without it). Returns it.
    pub fn undo(&mut self) -> Option<Action> {
        let last = self.actions.pop()?;
        let actions = std::mem::take(&mut self.actions);
        *self = Sandbox::replay(self.seed, self.start, &actions).unwrap_or_else(|e| *e.recovered);
        Some(last)
    }

    /// Back to an empty world with the same seed and start.
    pub fn reset(&mut self) {
        *self = Sandbox::new(self.seed, self.start);
    }

    /// The share state: `#/flows?sandbox=<actions DSL>&t=<start>` (plus `seed=` when not the
    /// default).
    pub fn to_fragment(&self) -> Fragment {
        let mut f = Fragment {
            path: "/flows".into(),
            params: Vec::new(),
        };
        if self.seed != DEFAULT_SEED {
            f.set("seed", &self.seed.to_string());
        }
        f.params
            .push(("sandbox".into(), dsl::format_actions(&self.actions)));
        f.set(crate::fragment::START_PARAM, &self.start.to_string());
        f
    }

    /// Loads `seed`, `t` and `sandbox` from a fragment; `now` (unix seconds, the visitor's
    /// clock) is the start when the link has no valid `t`. Never panics.
    pub fn from_fragment(f: &Fragment, now: u64) -> Result<Sandbox, SandboxError> {
        let (start, start_error) = f.world_start(now);
        let fail = |message: String, seed: u64| SandboxError {
            message,
            action: None,
            recovered: Box::new(Sandbox::new(seed, start)),
        };
        let seed = match f.get("seed").map(str::trim) {
            None | Some("") => DEFAULT_SEED,
            Some(s) => s.parse::<u64>().map_err(|_| {
                fail(
                    format!("The seed '{s}' is not a whole number; using the default seed."),
                    DEFAULT_SEED,
                )
            })?,
        };
        if let Some(message) = start_error {
            return Err(fail(message, seed));
        }
        let actions = dsl::parse_actions(f.get("sandbox").unwrap_or(""))
            .map_err(|e| fail(e.to_string(), seed))?;
        Sandbox::replay(seed, start, &actions)
    }

    /// The diagram of the current world.
    pub fn diagram(&self) -> Diagram {
        diagram(&self.world)
    }
}

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id, e.g. `c:app-web`, `si:app-web`, `id:id-shared`, `ra:<guid>`, `t:kv-x`.
    pub id: String,
    pub kind: NodeKind,
    /// Short label for the drawing.
    pub label: String,
    /// Sentence for screen readers and the text view.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub text: String,
}

/// Nodes and edges of a world; render as SVG with `text` as the accessible description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagram {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Diagram {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The text equivalent: every node, then every edge, one sentence each.
    pub fn text(&self) -> Vec<&str> {
        let n = self.nodes.iter().map(|n| n.text.as_str());
        n.chain(self.edges.iter().map(|e| e.text.as_str()))
            .collect()
    }

    fn add(&mut self, id: String, kind: NodeKind, label: String, text: String) {
        if self.node(&id).is_none() {
            self.nodes.push(Node {
                id,
                kind,
                label,
                text,
            });
        }
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind) {
        let label = |id: &str| self.node(id).map_or(id, |n| n.label.as_str()).to_string();
        let (a, b) = (label(from), label(to));
        let text = match kind {
            EdgeKind::HasIdentity => format!("{a} has identity {b}."),
            EdgeKind::AssignedTo => format!("Role assignment {a} is assigned to {b}."),
            EdgeKind::GrantsOn => format!("Role assignment {a} grants on {b}."),
        };
        self.edges.push(Edge {
            from: from.into(),
            to: to.into(),
            kind,
            text,
        });
    }
}

/// The node id of a principal (object id): a host's system-assigned identity, a user-assigned
/// identity, or (added on the fly) a missing one.
fn principal_node(w: &World, d: &mut Diagram, oid: &str) -> String {
    let is = |p: &str| p.eq_ignore_ascii_case(oid);
    if let Some(c) = w.computes.iter().find(|c| {
        c.system_identity
            .as_ref()
            .is_some_and(|s| is(&s.principal_id))
    }) {
        return format!("si:{}", c.name);
    }
    if let Some(i) = w.identities.iter().find(|i| is(&i.sp.principal_id)) {
        return format!("id:{}", i.name);
    }
    let id = format!("oid:{oid}");
    d.add(
        id.clone(),
        NodeKind::MissingIdentity,
        "Identity not found".into(),
        format!("Identity not found: object id {oid} no longer exists (type Unknown)."),
    );
    id
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
    let label = match scope.rsplit_once('/') {
        Some((rest, name)) if rest.to_ascii_lowercase().ends_with("/resourcegroups") => {
            format!("resource group {name}")
        }
        _ if same_arm_id(scope, &w.subscription_arm_id()) => "the subscription".into(),
        _ => scope.to_string(),
    };
    let id = format!("s:{scope}");
    d.add(
        id.clone(),
        NodeKind::Scope,
        label.clone(),
        format!("Scope {label} ({scope})."),
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
        d.add(id, NodeKind::Host, c.name.clone(), text);
    }
    for i in &w.identities {
        let text = format!(
            "User-assigned identity {} (object id {}, client id {}).",
            i.name, i.sp.principal_id, i.sp.client_id
        );
        d.add(
            format!("id:{}", i.name),
            NodeKind::UserIdentity,
            i.name.clone(),
            text,
        );
    }
    for t in &w.targets {
        let text = format!("{} {} in {}.", t.kind.label(), t.name, t.resource_group);
        d.add(
            format!("t:{}", t.name),
            NodeKind::Target,
            t.name.clone(),
            text,
        );
    }
    for c in &w.computes {
        let host = format!("c:{}", c.name);
        if let Some(sp) = &c.system_identity {
            let id = format!("si:{}", c.name);
            let text = format!(
                "System-assigned identity of {} (object id {}, client id {}).",
                c.name, sp.principal_id, sp.client_id
            );
            d.add(
                id.clone(),
                NodeKind::SystemIdentity,
                format!("{} (system-assigned)", c.name),
                text,
            );
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
        let text = format!(
            "Role assignment {} ({}) for object id {} at {}.",
            ra.role.name(),
            ra.name,
            ra.principal_id,
            ra.scope
        );
        d.add(
            id.clone(),
            NodeKind::RoleAssignment,
            role_label(ra.role),
            text,
        );
        let p = principal_node(w, &mut d, &ra.principal_id);
        d.edge(&id, &p, EdgeKind::AssignedTo);
        let s = scope_node(w, &mut d, &ra.scope);
        d.edge(&id, &s, EdgeKind::GrantsOn);
    }
    d
}

fn role_label(r: Role) -> String {
    r.name().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::EPOCH;

    const SCENARIO: &str = "rg:g;c:vm:g:vm;si:vm;id:g:i1;id:g:i2;ua:vm:i1;ua:vm:i2;\
t:kv:g:kv-demo1;ra:u:i1:kvsu:r/kv-demo1;-ua:vm:i1;-id:i2;-r:kv-demo1;clk:60;-si:vm";

    #[test]
    fn replay_in_place_equals_applying_one_by_one() {
        // Replay applied each action through `apply`, which copies the whole world: quadratic
        // over a long list. It now builds the world in place; the result must not change.
        let actions = dsl::parse_actions(SCENARIO).unwrap();
        let mut one_by_one = Sandbox::new(DEFAULT_SEED, EPOCH);
        for a in &actions {
            one_by_one.apply(a).unwrap();
        }
        assert_eq!(
            Sandbox::replay(DEFAULT_SEED, EPOCH, &actions),
            Ok(one_by_one)
        );
        // A bad action: its index, the message, and what comes before it recovered.
        for k in [0, 6, actions.len()] {
            let mut with_bad = actions.clone();
            let bad = Action::AssignIdentity {
                resource: "vm".into(),
                identity: "nope".into(),
            };
            with_bad.insert(k, bad.clone());
            let e = Sandbox::replay(DEFAULT_SEED, EPOCH, &with_bad).unwrap_err();
            let mut recovered = Sandbox::new(DEFAULT_SEED, EPOCH);
            for a in &actions[..k] {
                recovered.apply(a).unwrap();
            }
            let why = recovered.apply(&bad).unwrap_err();
            assert_eq!(e.action, Some(k));
            assert_eq!(e.message, format!("action {}: {why}", k + 1));
            assert_eq!(*e.recovered, recovered);
        }
    }
}
