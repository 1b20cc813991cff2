//! Guided scenarios (pure): one lane per identity kind, stepping forward and back, plus the
//! free sandbox and its diagram model.
//!
//! A lane is data ([`lane`]): each [`StepSpec`] applies cloud actions, may request a token from
//! a host and may read the Key Vault secret with the lane's latest token. [`play`] replays
//! steps `0..=upto` on a fresh world (the lane's [`Lane::seed`], starting at the given time) and a fresh
//! [`EndpointState`], so stepping back is `play(lane, upto - 1, start)` and gives exactly the
//! earlier state.
//!
//! UI use: keep [`FlowsView`] in the fragment (`#/flows?lane=user&system=3&user=5&t=…`, steps
//! 1-based in the URL), render `play(lane, step, start)` for each lane side by side, link the
//! [`COMPARISON`] rows with [`FlowsView::link`].

mod diagram;
mod offers;
mod presets;
mod sandbox;
mod steps;
#[cfg(test)]
mod tests;

pub use diagram::{
    crossings, diagram, diagram_between, export_style, lane_diagram, layout, node_of_resource,
    resolve_light_dark, resource_of_node, short_id, svg_markup, svg_tree, Change, Diagram, Edge,
    EdgeKind, Head, Layout, Layouts, Node, NodeKind, Placed, Route, SvgChild, SvgEl, SvgOptions,
    TokenUse,
};
pub use offers::{additions, free_name, offers_for, typical_role, Offer};
pub use presets::{preset, Preset, PRESETS};
pub use sandbox::{Sandbox, SandboxError};
pub use steps::{
    key_steps, lane, summary_rows, CompareRow, StepSpec, TokenSpec, COMPARISON, SECRET, VAULT,
};

use serde_json::{Map, Value};

use crate::cloud::cli::{self, CliText};
use crate::cloud::{dsl, Action, ActionError, Outcome, World, DEFAULT_SEED};
use crate::endpoint::{dataplane, hosts, send, EndpointState, Exchange, HttpRequest, Note, Url};
use crate::fragment::Fragment;
use crate::token::{self, ClaimDiff, Reading};

/// The guided scenarios: system-assigned, user-assigned, and AKS workload identity (a
/// user-assigned identity trusted through federated credentials).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    System,
    User,
    Workload,
}

impl Lane {
    pub const ALL: [Lane; 3] = [Lane::System, Lane::User, Lane::Workload];

    /// The fragment value: `system` / `user`.
    pub fn code(self) -> &'static str {
        match self {
            Lane::System => "system",
            Lane::User => "user",
            Lane::Workload => "workload",
        }
    }

    pub fn from_code(s: &str) -> Option<Lane> {
        Lane::ALL.into_iter().find(|l| l.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Lane::System => "System-assigned",
            Lane::User => "User-assigned",
            Lane::Workload => "Workload",
        }
    }

    /// Number of steps.
    pub fn step_count(self) -> usize {
        lane(self).len()
    }

    /// The lane's own seed: each default world has its own GUIDs, so no id plays two roles
    /// across pages (an object id here is never a client id or a header secret elsewhere).
    pub fn seed(self) -> u64 {
        match self {
            Lane::System => DEFAULT_SEED + 1,
            Lane::User => DEFAULT_SEED + 2,
            Lane::Workload => DEFAULT_SEED + 3,
        }
    }
}

/// One applied action: its DSL text, the summary, and how it is done for real.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub dsl: String,
    pub summary: String,
    /// `az` command, Bicep and JSON output.
    pub cli: CliText,
}

/// One HTTP exchange of a step, as raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wire {
    /// "Token request from app-web" / "Key Vault: get secret".
    pub label: String,
    pub request: String,
    /// The raw response, or the connection error.
    pub response: String,
    pub status: Option<u16>,
    pub notes: Vec<Note>,
}

/// The token a step obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenView {
    pub jwt: String,
    /// `token::read` of the jwt at the world's time (claims, identity kind, oid, …).
    pub reading: Reading,
}

impl TokenView {
    /// The decoded claims.
    pub fn claims(&self) -> Option<&Map<String, Value>> {
        self.reading.payload_claims()
    }

    /// A string claim.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims()?.get(name)?.as_str()
    }
}

/// The data-plane answer of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub status: u16,
    /// `HTTP/1.1 403 Forbidden`
    pub status_line: String,
    pub body: String,
    /// Why (from the target's notes).
    pub text: String,
}

/// Everything a lane shows at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneState {
    pub lane: Lane,
    /// 0-based current step (clamped to the lane).
    pub step: usize,
    pub spec: StepSpec,
    /// The actions this step applied.
    pub changes: Vec<Event>,
    /// Actions that failed (none for the built-in lanes; kept so nothing is hidden).
    pub errors: Vec<ActionError>,
    /// The focus host's `identity` block as pretty JSON (`null`: no identity), or a workload's
    /// service account, pod and injected variables; `None` when the host does not exist (or
    /// the step has none).
    pub identity_block: Option<String>,
    /// What [`Self::identity_block`] shows, e.g. "identity block of app-web".
    pub identity_title: String,
    /// Token request and data-plane exchanges of this step, in order.
    pub exchanges: Vec<Wire>,
    /// The token obtained in this step.
    pub token: Option<TokenView>,
    /// Claims of this step's token vs the lane's previous token (empty for the first token).
    /// Rows whose kind is not `Same` are the ones to highlight.
    pub diff: Vec<ClaimDiff>,
    /// The data-plane answer of this step.
    pub access: Option<Access>,
    /// `oid` of the lane's most recent token so far.
    pub token_oid: Option<String>,
    /// Status of the lane's most recent data-plane answer so far.
    pub access_status: Option<u16>,
    /// The world after this step (for [`diagram`]).
    pub world: World,
    /// The world before this step's actions: what the step changed is the difference.
    pub world_before: World,
}

pub(crate) fn event(a: &Action, o: Outcome) -> Event {
    Event {
        dsl: dsl::format_action(a),
        summary: o.summary,
        cli: o.cli,
    }
}

fn wire(label: String, req: &HttpRequest, x: &Exchange) -> Wire {
    Wire {
        label,
        request: req.to_wire(),
        response: x.wire(),
        status: x.response.as_ref().map(|r| r.status),
        notes: x.notes.clone(),
    }
}

/// The token request a step sends: the host's default request plus `client_id` when asked.
fn token_request(world: &World, t: &TokenSpec) -> Option<HttpRequest> {
    if let Some(w) = world.workload(t.host) {
        return crate::endpoint::workload::token_request(world, w, t.resource);
    }
    let host = world.compute(t.host)?;
    let mut req = hosts::default_request(host, t.resource);
    if let Some(id) = t.client_id_of {
        let client_id = world.identity(id)?.sp.client_id.clone();
        req.url.query.push(("client_id".into(), client_id));
    }
    Some(req)
}

/// `GET https://<vault>.vault.azure.net/secrets/<secret>?api-version=7.4` with the token.
pub fn secret_request(vault: &str, secret: &str, jwt: &str) -> Option<HttpRequest> {
    let url = Url::parse(&format!(
        "https://{vault}.vault.azure.net/secrets/{secret}?api-version=7.4"
    ))
    .ok()?;
    Some(HttpRequest::get(
        url,
        &[("Authorization", &format!("Bearer {jwt}"))],
    ))
}

/// All cloud actions of steps `0..=upto`: "open this step in the sandbox" is
/// `Sandbox::replay(lane.seed(), start, &lane_actions(lane, upto))`.
pub fn lane_actions(lane: Lane, upto: usize) -> Vec<Action> {
    steps::lane(lane)
        .iter()
        .take(upto.saturating_add(1))
        .flat_map(|s| dsl::parse_actions(s.actions).unwrap_or_default())
        .collect()
}

/// Replays steps `0..=upto` of `lane` on a fresh world starting at `start` (unix seconds) and
/// returns the state at `upto` (clamped to the last step).
pub fn play(lane: Lane, upto: usize, start: u64) -> LaneState {
    let specs = steps::lane(lane);
    let upto = upto.min(specs.len().saturating_sub(1));
    let mut world = World::new(lane.seed(), start);
    let mut ep = EndpointState::new();
    let mut prev: Option<Map<String, Value>> = None;
    let mut jwt: Option<String> = None;
    let mut st = LaneState {
        lane,
        step: upto,
        spec: steps::BLANK,
        changes: Vec::new(),
        errors: Vec::new(),
        identity_block: None,
        identity_title: String::new(),
        exchanges: Vec::new(),
        token: None,
        diff: Vec::new(),
        access: None,
        token_oid: None,
        access_status: None,
        world: world.clone(),
        world_before: world.clone(),
    };
    for spec in specs.iter().take(upto + 1) {
        st.spec = *spec;
        st.changes.clear();
        st.errors.clear();
        st.exchanges.clear();
        st.token = None;
        st.diff.clear();
        st.access = None;
        st.world_before = world.clone();
        let actions = dsl::parse_actions(spec.actions).unwrap_or_default();
        for a in &actions {
            match world.apply(a) {
                Ok(o) => st.changes.push(event(a, o)),
                Err(e) => st.errors.push(e),
            }
        }
        let req = spec
            .token
            .and_then(|t| Some((t.host, token_request(&world, &t)?)));
        if let Some((host, req)) = req {
            // Each step asks afresh: the simulator's cache is keyed by identity and resource
            // only, so another host would otherwise be served this host's token.
            ep.clear_cache();
            let x = send(&world, &mut ep, host, &req);
            st.exchanges
                .push(wire(format!("Token request from {host}"), &req, &x));
            if let Some(t) = x.token {
                let reading = token::read(&t.jwt, world.now as i64);
                let claims = reading.payload_claims().cloned().unwrap_or_default();
                if let Some(p) = &prev {
                    st.diff = token::compare(p, &claims);
                }
                st.token_oid = claims.get("oid").and_then(Value::as_str).map(String::from);
                prev = Some(claims);
                jwt = Some(t.jwt.clone());
                st.token = Some(TokenView {
                    jwt: t.jwt,
                    reading,
                });
            }
        }
        if spec.read {
            let req = jwt
                .as_deref()
                .and_then(|j| secret_request(steps::VAULT, steps::SECRET, j));
            if let Some(req) = req {
                let x = dataplane::handle(&world, &mut ep, &req);
                st.exchanges
                    .push(wire("Key Vault: get secret".into(), &req, &x));
                if let Some(r) = &x.response {
                    st.access_status = Some(r.status);
                    st.access = Some(Access {
                        status: r.status,
                        status_line: r.status_line(),
                        body: r.body.clone(),
                        text: x
                            .notes
                            .iter()
                            .map(|n| n.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    });
                }
            }
        }
    }
    let host = st.spec.host;
    if let Some(w) = world.workload(host) {
        st.identity_title = format!("service account and pod of {host}");
        let env: String = crate::endpoint::workload::injected_env(&world, w)
            .iter()
            .map(|(k, v)| format!("#   {k}={v}\n"))
            .collect();
        st.identity_block = Some(format!(
            "{}# The webhook adds to the pod:\n{env}",
            crate::cloud::federation::workload_yaml(w)
        ));
    } else {
        st.identity_title = format!("identity block of {host}");
        st.identity_block = world
            .compute(host)
            .map(|c| token::pretty_json(&cli::identity_block(&world, c)));
    }
    st.world = world;
    st
}

/// Where the flows page is: the focused lane and each lane's step (0-based here, 1-based in
/// the fragment so links read naturally).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowsView {
    pub focus: Lane,
    pub system: usize,
    pub user: usize,
    pub workload: usize,
}

impl Default for FlowsView {
    fn default() -> Self {
        FlowsView {
            focus: Lane::System,
            system: 0,
            user: 0,
            workload: 0,
        }
    }
}

impl FlowsView {
    /// A view focused on `(lane, step)`: the deep link of a step.
    pub fn at(lane: Lane, step: usize) -> FlowsView {
        let mut v = FlowsView {
            focus: lane,
            ..FlowsView::default()
        };
        v.set(lane, step);
        v
    }

    pub fn step(&self, lane: Lane) -> usize {
        match lane {
            Lane::System => self.system,
            Lane::User => self.user,
            Lane::Workload => self.workload,
        }
    }

    /// Sets a lane's step (clamped) and focuses it.
    pub fn set(&mut self, lane: Lane, step: usize) {
        let step = step.min(lane.step_count().saturating_sub(1));
        match lane {
            Lane::System => self.system = step,
            Lane::User => self.user = step,
            Lane::Workload => self.workload = step,
        }
        self.focus = lane;
    }

    /// Reads `lane`, `system`, `user` (and `step`, an alias for the focused lane's step).
    /// Anything missing or invalid falls back to the first step.
    pub fn from_fragment(f: &Fragment) -> FlowsView {
        let n = |k: &str| {
            f.get(k)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .map(|s| s.saturating_sub(1))
        };
        let mut v = FlowsView::default();
        for l in Lane::ALL {
            if let Some(s) = n(l.code()) {
                v.set(l, s);
            }
        }
        v.focus = f
            .get("lane")
            .and_then(Lane::from_code)
            .unwrap_or(Lane::System);
        if let Some(s) = n("step") {
            v.set(v.focus, s);
        }
        v
    }

    /// Writes the view into `f` (replacing `step` with the per-lane form).
    pub fn write(&self, f: &mut Fragment) {
        f.set("step", "");
        f.set("lane", self.focus.code());
        for l in Lane::ALL {
            // The workload lane came later: left out at its first step unless focused, so
            // the links of the first two lanes read as before.
            let omit = l == Lane::Workload && self.workload == 0 && self.focus != l;
            f.set(
                l.code(),
                &if omit {
                    String::new()
                } else {
                    (self.step(l) + 1).to_string()
                },
            );
        }
    }

    /// `#/flows?lane=…&system=…&user=…` for this view.
    pub fn to_hash(&self) -> String {
        let mut f = Fragment {
            path: "/flows".into(),
            params: Vec::new(),
        };
        self.write(&mut f);
        f.to_hash()
    }

    /// The deep link of `(lane, step)`, e.g. for a [`COMPARISON`] row.
    pub fn link(lane: Lane, step: usize) -> String {
        FlowsView::at(lane, step).to_hash()
    }
}
