//! The sandbox: any sequence of actions on the simulated world (a form, or the action DSL as
//! text), undo, reset, the timeline of events and the diagram. Its state is the action list in
//! the fragment (`sandbox=`, `t=`, plus `seed=` when not the default), replaced on every change.

use std::rc::Rc;

use mi_core::cloud::{
    dsl, Action, ActionError, ComputeKind, PrincipalRef, Role, Scope, TargetKind, World,
    DEFAULT_SEED,
};
use mi_core::flows::{
    additions, diagram, diagram_between, node_of_resource, offers_for, resource_of_node,
    Event as FlowEvent, Offer, Sandbox, PRESETS,
};
use mi_core::fragment::Fragment;
use yew::prelude::*;

use super::diagram_view::DiagramView;
use crate::browser;
use crate::ui::widgets::CodeBlock;

/// The last thing the sandbox said.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Done(String),
    Refused(ActionError),
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SandboxState {
    pub sb: Sandbox,
    pub message: Option<Message>,
    /// The world before the last applied actions: the diagram marks what they changed.
    pub before: Option<World>,
}

pub enum SandboxMsg {
    /// Apply actions, all or nothing.
    Apply(Vec<Action>),
    /// Parse DSL text, then apply it all or nothing.
    Text(String),
    Undo,
    Reset,
    /// Replace the sandbox (e.g. "Open in sandbox" from a lane).
    Load(Box<Sandbox>),
    /// The fragment changed from outside: load its sandbox if it differs.
    Fragment(Fragment),
}

impl SandboxState {
    pub fn from_fragment(f: &Fragment) -> SandboxState {
        let now = u64::try_from(browser::unix_now()).unwrap_or_default();
        match Sandbox::from_fragment(f, now) {
            Ok(sb) => SandboxState {
                sb,
                message: None,
                before: None,
            },
            Err(e) => SandboxState {
                sb: *e.recovered,
                before: None,
                message: Some(Message::Invalid(format!(
                    "The sandbox in the link was only partly loaded: {}",
                    e.message
                ))),
            },
        }
    }

    fn apply(&mut self, actions: &[Action]) {
        let mut next = self.sb.clone();
        let mut done = Vec::new();
        for a in actions {
            match next.apply(a) {
                Ok(ev) => done.push(ev.summary),
                Err(e) => {
                    self.message = Some(Message::Refused(e));
                    return;
                }
            }
        }
        self.before = Some(self.sb.world().clone());
        self.sb = next;
        self.message = Some(Message::Done(done.join(" ")));
    }

    fn store(&self) {
        let mut f = browser::fragment::current();
        let seed = if self.sb.seed == DEFAULT_SEED {
            String::new()
        } else {
            self.sb.seed.to_string()
        };
        f.set("seed", &seed);
        // Kept when empty: a link without `sandbox=` opens the default world.
        let actions = dsl::format_actions(&self.sb.actions);
        match f.params.iter_mut().find(|(k, _)| k == "sandbox") {
            Some(slot) => slot.1 = actions,
            None => f.params.push(("sandbox".into(), actions)),
        }
        f.set(mi_core::fragment::START_PARAM, &self.sb.start.to_string());
        browser::fragment::replace(&f);
    }
}

impl Reducible for SandboxState {
    type Action = SandboxMsg;

    fn reduce(self: Rc<Self>, msg: SandboxMsg) -> Rc<Self> {
        if let SandboxMsg::Fragment(f) = &msg {
            let next = SandboxState::from_fragment(f);
            if next.sb == self.sb {
                return self;
            }
            return Rc::new(next);
        }
        let mut s = (*self).clone();
        if !matches!(msg, SandboxMsg::Apply(_) | SandboxMsg::Text(_)) {
            s.before = None;
        }
        match msg {
            SandboxMsg::Fragment(_) => return self,
            SandboxMsg::Apply(actions) => s.apply(&actions),
            SandboxMsg::Text(text) => match dsl::parse_actions(&text) {
                Ok(actions) if actions.is_empty() => {
                    s.message = Some(Message::Invalid("No actions in the text.".into()))
                }
                Ok(actions) => s.apply(&actions),
                Err(e) => s.message = Some(Message::Invalid(e.to_string())),
            },
            SandboxMsg::Undo => {
                s.message = Some(match s.sb.undo() {
                    Some(a) => Message::Done(format!("Undid {}.", dsl::format_action(&a))),
                    None => Message::Invalid("Nothing to undo.".into()),
                });
            }
            SandboxMsg::Reset => {
                s.sb.reset();
                s.message = Some(Message::Done("The world is empty again.".into()));
            }
            SandboxMsg::Load(sb) => {
                s.message = Some(Message::Done(format!(
                    "Loaded {} actions into the sandbox.",
                    sb.actions.len()
                )));
                s.sb = *sb;
            }
        }
        s.store();
        Rc::new(s)
    }
}

/// The form's operations: (code, label).
const OPS: [(&str, &str); 18] = [
    ("rg", "Create resource group"),
    ("c", "Create compute resource"),
    ("t", "Create target resource"),
    ("id", "Create user-assigned identity"),
    ("si", "Enable system-assigned identity"),
    ("-si", "Disable system-assigned identity"),
    ("ua", "Assign user-assigned identity"),
    ("-ua", "Unassign user-assigned identity"),
    ("ra", "Grant a role"),
    ("-r", "Delete a resource"),
    ("-id", "Delete user-assigned identity"),
    ("-rg", "Delete resource group"),
    ("-ra", "Delete role assignment"),
    ("aks", "Create AKS cluster"),
    ("wl", "Deploy a Kubernetes workload"),
    ("fc", "Add a federated credential"),
    ("-wl", "Delete a Kubernetes workload"),
    ("-fc", "Delete a federated credential"),
];

/// A suggested name for a new resource.
fn suggestion(op: &str) -> &'static str {
    match op {
        "rg" => "rg-sandbox",
        "c" => "app-sandbox",
        "t" => "kv-sandbox",
        "id" => "id-sandbox",
        "aks" => "aks-sandbox",
        "wl" => "orders-api",
        "fc" => "fc-orders-api",
        _ => "",
    }
}

/// The form's fields (select values as their option values).
#[derive(Debug, Clone, PartialEq, Default)]
struct Form {
    op: String,
    name: String,
    group: String,
    compute_kind: String,
    target_kind: String,
    host: String,
    identity: String,
    principal: String,
    role: String,
    scope: String,
    resource: String,
    assignment: String,
    cluster: String,
    namespace: String,
    service_account: String,
    workload: String,
    credential: String,
}

type Options = Vec<(String, String)>;

fn opts<'a>(it: impl Iterator<Item = &'a str>) -> Options {
    it.map(|n| (n.to_string(), n.to_string())).collect()
}

/// The stored value when it is an option, else the first option.
fn pick(stored: &str, options: &Options) -> String {
    options
        .iter()
        .find(|(v, _)| v == stored)
        .or(options.first())
        .map(|(v, _)| v.clone())
        .unwrap_or_default()
}

struct Choices {
    groups: Options,
    compute_kinds: Options,
    target_kinds: Options,
    hosts: Options,
    system_hosts: Options,
    identities: Options,
    principals: Options,
    roles: Options,
    scopes: Options,
    resources: Options,
    assignments: Options,
    clusters: Options,
    workloads: Options,
    /// `identity/credential` of every federated credential.
    credentials: Options,
}

fn choices(w: &World) -> Choices {
    let hosts = opts(w.computes.iter().map(|c| c.name.as_str()));
    let identities = opts(w.identities.iter().map(|i| i.name.as_str()));
    let mut principals: Options = w
        .computes
        .iter()
        .filter(|c| c.system_identity.is_some())
        .map(|c| {
            (
                format!("s:{}", c.name),
                format!("{} (system-assigned)", c.name),
            )
        })
        .collect();
    principals.extend(w.identities.iter().map(|i| {
        (
            format!("u:{}", i.name),
            format!("{} (user-assigned)", i.name),
        )
    }));
    let mut scopes: Options = w
        .targets
        .iter()
        .map(|t| {
            (
                format!("r/{}", t.name),
                format!("{} ({})", t.name, t.kind.label()),
            )
        })
        .collect();
    scopes.extend(w.resource_groups.iter().map(|g| {
        (
            format!("rg/{}", g.name),
            format!("resource group {}", g.name),
        )
    }));
    scopes.push(("sub".into(), "the subscription".into()));
    let mut resources = hosts.clone();
    resources.extend(opts(w.targets.iter().map(|t| t.name.as_str())));
    resources.extend(opts(w.clusters.iter().map(|k| k.name.as_str())));
    let credentials = w
        .identities
        .iter()
        .flat_map(|i| {
            i.federated_credentials.iter().map(move |f| {
                (
                    format!("{}/{}", i.name, f.name),
                    format!("{} of {} ({})", f.name, i.name, f.subject),
                )
            })
        })
        .collect();
    Choices {
        groups: opts(w.resource_groups.iter().map(|g| g.name.as_str())),
        compute_kinds: ComputeKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect(),
        target_kinds: TargetKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect(),
        system_hosts: opts(
            w.computes
                .iter()
                .filter(|c| c.system_identity.is_some())
                .map(|c| c.name.as_str()),
        ),
        hosts,
        identities,
        principals,
        roles: Role::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.name().to_string()))
            .collect(),
        scopes,
        resources,
        clusters: opts(w.clusters.iter().map(|k| k.name.as_str())),
        workloads: opts(w.workloads.iter().map(|x| x.name.as_str())),
        credentials,
        assignments: w
            .role_assignments
            .iter()
            .map(|ra| {
                let who = w.principal_display(&ra.principal_id);
                let who = match who {
                    mi_core::cloud::PrincipalDisplay::Found { display_name, .. } => display_name,
                    mi_core::cloud::PrincipalDisplay::NotFound => "Identity not found".into(),
                };
                (
                    ra.name.clone(),
                    format!("{} for {who} ({})", ra.role.name(), ra.name),
                )
            })
            .collect(),
    }
}

/// What the form's fields need for its operation, in order: (field, label, options or None
/// for a text input).
fn fields<'a>(op: &str, c: &'a Choices) -> Vec<(&'static str, &'static str, Option<&'a Options>)> {
    match op {
        "rg" => vec![("name", "Name", None)],
        "c" => vec![
            ("compute_kind", "Kind", Some(&c.compute_kinds)),
            ("group", "Resource group", Some(&c.groups)),
            ("name", "Name", None),
        ],
        "t" => vec![
            ("target_kind", "Kind", Some(&c.target_kinds)),
            ("group", "Resource group", Some(&c.groups)),
            ("name", "Name", None),
        ],
        "id" => vec![
            ("group", "Resource group", Some(&c.groups)),
            ("name", "Name", None),
        ],
        "si" => vec![("host", "Host", Some(&c.hosts))],
        "-si" => vec![("host", "Host", Some(&c.system_hosts))],
        "ua" | "-ua" => vec![
            ("host", "Host", Some(&c.hosts)),
            ("identity", "Identity", Some(&c.identities)),
        ],
        "ra" => vec![
            ("principal", "Identity", Some(&c.principals)),
            ("role", "Role", Some(&c.roles)),
            ("scope", "Scope", Some(&c.scopes)),
        ],
        "-r" => vec![("resource", "Resource", Some(&c.resources))],
        "-id" => vec![("identity", "Identity", Some(&c.identities))],
        "-rg" => vec![("group", "Resource group", Some(&c.groups))],
        "-ra" => vec![("assignment", "Role assignment", Some(&c.assignments))],
        "aks" => vec![
            ("group", "Resource group", Some(&c.groups)),
            ("name", "Name", None),
        ],
        "wl" => vec![
            ("cluster", "Cluster", Some(&c.clusters)),
            ("namespace", "Namespace", None),
            ("name", "Service account and pod name", None),
            (
                "identity",
                "Identity (its client id goes in the annotation)",
                Some(&c.identities),
            ),
        ],
        "fc" => vec![
            ("identity", "On identity", Some(&c.identities)),
            ("name", "Credential name", None),
            ("cluster", "Trust the issuer of cluster", Some(&c.clusters)),
            ("namespace", "Namespace", None),
            ("service_account", "Service account", None),
        ],
        "-wl" => vec![("workload", "Workload", Some(&c.workloads))],
        "-fc" => vec![("credential", "Federated credential", Some(&c.credentials))],
        _ => Vec::new(),
    }
}

impl Form {
    fn get(&self, field: &str) -> &str {
        match field {
            "op" => &self.op,
            "name" => &self.name,
            "group" => &self.group,
            "compute_kind" => &self.compute_kind,
            "target_kind" => &self.target_kind,
            "host" => &self.host,
            "identity" => &self.identity,
            "principal" => &self.principal,
            "role" => &self.role,
            "scope" => &self.scope,
            "resource" => &self.resource,
            "assignment" => &self.assignment,
            "cluster" => &self.cluster,
            "namespace" => &self.namespace,
            "service_account" => &self.service_account,
            "workload" => &self.workload,
            "credential" => &self.credential,
            _ => "",
        }
    }

    fn set(&mut self, field: &str, v: String) {
        let slot = match field {
            "op" => {
                self.name = suggestion(&v).to_string();
                // Kubernetes names to start from, so the form is complete at once.
                if self.namespace.is_empty() {
                    self.namespace = "orders".into();
                }
                if self.service_account.is_empty() {
                    self.service_account = "orders-api".into();
                }
                &mut self.op
            }
            "name" => &mut self.name,
            "group" => &mut self.group,
            "compute_kind" => &mut self.compute_kind,
            "target_kind" => &mut self.target_kind,
            "host" => &mut self.host,
            "identity" => &mut self.identity,
            "principal" => &mut self.principal,
            "role" => &mut self.role,
            "scope" => &mut self.scope,
            "resource" => &mut self.resource,
            "assignment" => &mut self.assignment,
            "cluster" => &mut self.cluster,
            "namespace" => &mut self.namespace,
            "service_account" => &mut self.service_account,
            "workload" => &mut self.workload,
            "credential" => &mut self.credential,
            _ => return,
        };
        *slot = v;
    }

    /// The action the form describes (`values` are the effective field values).
    fn action(op: &str, v: &dyn Fn(&str) -> String) -> Result<Action, String> {
        let need = |field: &str, what: &str| {
            let s = v(field);
            if s.trim().is_empty() {
                Err(format!("Choose or enter {what} first."))
            } else {
                Ok(s.trim().to_string())
            }
        };
        Ok(match op {
            "rg" => Action::CreateResourceGroup {
                name: need("name", "a name")?,
            },
            "c" => Action::CreateCompute {
                kind: ComputeKind::from_code(&v("compute_kind")).ok_or("Choose a kind.")?,
                resource_group: need("group", "a resource group (create one)")?,
                name: need("name", "a name")?,
            },
            "t" => Action::CreateTarget {
                kind: TargetKind::from_code(&v("target_kind")).ok_or("Choose a kind.")?,
                resource_group: need("group", "a resource group (create one)")?,
                name: need("name", "a name")?,
            },
            "id" => Action::CreateIdentity {
                resource_group: need("group", "a resource group (create one)")?,
                name: need("name", "a name")?,
            },
            "si" => Action::EnableSystemAssigned {
                resource: need("host", "a host (create one)")?,
            },
            "-si" => Action::DisableSystemAssigned {
                resource: need("host", "a host with a system-assigned identity")?,
            },
            "ua" => Action::AssignIdentity {
                resource: need("host", "a host (create one)")?,
                identity: need("identity", "a user-assigned identity (create one)")?,
            },
            "-ua" => Action::UnassignIdentity {
                resource: need("host", "a host")?,
                identity: need("identity", "a user-assigned identity")?,
            },
            "ra" => {
                let p = need("principal", "an identity (enable or create one)")?;
                let principal = match p.split_once(':') {
                    Some(("s", n)) => PrincipalRef::SystemAssigned(n.to_string()),
                    Some((_, n)) => PrincipalRef::UserAssigned(n.to_string()),
                    None => PrincipalRef::UserAssigned(p),
                };
                let scope = need("scope", "a scope")?;
                let scope = match scope.split_once('/') {
                    Some(("rg", g)) => Scope::ResourceGroup(g.to_string()),
                    Some((_, r)) => Scope::Resource(r.to_string()),
                    None => Scope::Subscription,
                };
                Action::CreateRoleAssignment {
                    principal,
                    role: Role::from_code(&v("role")).ok_or("Choose a role.")?,
                    scope,
                }
            }
            "-r" => Action::DeleteResource {
                name: need("resource", "a resource")?,
            },
            "-id" => Action::DeleteIdentity {
                name: need("identity", "a user-assigned identity")?,
            },
            "-rg" => Action::DeleteResourceGroup {
                name: need("group", "a resource group")?,
            },
            "-ra" => Action::DeleteRoleAssignment {
                name: need("assignment", "a role assignment")?,
            },
            "aks" => Action::CreateCluster {
                resource_group: need("group", "a resource group (create one)")?,
                name: need("name", "a name")?,
            },
            "wl" => Action::DeployWorkload {
                cluster: need("cluster", "an AKS cluster (create one)")?,
                namespace: need("namespace", "a namespace")?,
                name: need("name", "a name")?,
                identity: need("identity", "a user-assigned identity (create one)")?,
            },
            "fc" => Action::CreateFederatedCredential {
                identity: need("identity", "a user-assigned identity (create one)")?,
                name: need("name", "a name")?,
                cluster: need("cluster", "an AKS cluster (create one)")?,
                namespace: need("namespace", "a namespace")?,
                service_account: need("service_account", "a service account")?,
            },
            "-wl" => Action::DeleteWorkload {
                name: need("workload", "a workload")?,
            },
            "-fc" => {
                let c = need("credential", "a federated credential")?;
                let (identity, name) = c.split_once('/').ok_or("Choose a federated credential.")?;
                Action::DeleteFederatedCredential {
                    identity: identity.to_string(),
                    name: name.to_string(),
                }
            }
            _ => return Err("Choose an action.".into()),
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<SandboxState>,
}

#[function_component(SandboxView)]
pub fn sandbox_view(props: &Props) -> Html {
    let state = &props.state;
    let form = use_state(|| Form {
        op: "rg".into(),
        name: suggestion("rg").into(),
        ..Form::default()
    });
    let text = use_state(String::new);
    let world = state.sb.world();
    let c = choices(world);
    let op = pick(
        &form.op,
        &OPS.iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect(),
    );
    let wanted = fields(&op, &c);
    let value = |field: &str| -> String {
        match wanted.iter().find(|(f, _, _)| *f == field) {
            Some((_, _, Some(options))) => pick(form.get(field), options),
            _ => form.get(field).to_string(),
        }
    };
    let action = Form::action(&op, &value);

    let set = |field: &'static str| {
        let form = form.clone();
        move |v: String| {
            let mut f = (*form).clone();
            f.set(field, v);
            form.set(f);
        }
    };
    let field_html = |(field, label, options): &(&'static str, &'static str, Option<&Options>)| {
        let id = format!("flows-sb-{}", field.replace('_', "-"));
        let current = value(field);
        let set = set(field);
        match options {
            Some(options) => {
                let onchange = Callback::from(move |e: Event| set(crate::browser::event_value(&e)));
                html! {
                    <div class="flows-field">
                        <label for={id.clone()}>{ *label }</label>
                        <select {id} {onchange} disabled={options.is_empty()}>
                            if options.is_empty() {
                                <option value="">{ "(none yet)" }</option>
                            }
                            { for options.iter().map(|(v, l)| html! {
                                <option value={v.clone()} selected={*v == current}>{ l }</option>
                            }) }
                        </select>
                    </div>
                }
            }
            None => {
                let oninput =
                    Callback::from(move |e: InputEvent| set(crate::browser::event_value(&e)));
                html! {
                    <div class="flows-field">
                        <label for={id.clone()}>{ *label }</label>
                        <input type="text" {id} class="mono" spellcheck="false" autocomplete="off"
                            value={current} {oninput} />
                    </div>
                }
            }
        }
    };
    let on_op = {
        let set = set("op");
        Callback::from(move |e: Event| set(crate::browser::event_value(&e)))
    };
    let on_apply = {
        let state = state.clone();
        let action = action.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The submit button is disabled while the form is incomplete.
            if let Ok(a) = &action {
                state.dispatch(SandboxMsg::Apply(vec![a.clone()]));
            }
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(crate::browser::event_value(&e)))
    };
    let on_apply_text = {
        let state = state.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(SandboxMsg::Text((*text).clone())))
    };
    let on_undo = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(SandboxMsg::Undo))
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(SandboxMsg::Reset))
    };
    // The resource whose offers are shown (picked in the list or on the diagram).
    let picked = use_state(|| None::<String>);
    let pick_name = {
        let picked = picked.clone();
        Callback::from(move |name: String| {
            picked.set(if picked.as_deref() == Some(name.as_str()) {
                None
            } else {
                Some(name)
            })
        })
    };
    let on_node = {
        let picked = picked.clone();
        Callback::from(move |node: String| {
            if let Some(name) = resource_of_node(&node) {
                picked.set(Some(name.to_string()));
            }
        })
    };
    let apply = {
        let state = state.clone();
        Callback::from(move |actions: Vec<Action>| state.dispatch(SandboxMsg::Apply(actions)))
    };
    let load_preset = {
        let state = state.clone();
        let picked = picked.clone();
        move |actions: &'static str| {
            let state = state.clone();
            let picked = picked.clone();
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                let actions = dsl::parse_actions(actions).unwrap_or_default();
                let sb = Sandbox::replay(DEFAULT_SEED, state.sb.start, &actions)
                    .unwrap_or_else(|e| *e.recovered);
                picked.set(None);
                state.dispatch(SandboxMsg::Load(Box::new(sb)));
            })
        }
    };
    let selected: Option<AttrValue> = picked
        .as_deref()
        .and_then(|n| node_of_resource(world, n))
        .map(AttrValue::from);
    let diagram = Rc::new(match &state.before {
        Some(before) => diagram_between(before, world),
        None => diagram(world),
    });
    let timeline = state.sb.timeline();

    html! {
        <section class="flows-sandbox card" aria-labelledby="flows-sandbox-title" data-testid="sandbox">
            <div class="page-head">
                <h2 id="flows-sandbox-title" tabindex="-1">{ "Sandbox" }</h2>
                <crate::ui::widgets::EmbedBuilder preselect="sandbox" />
            </div>
            <p class="muted">
                { "Do anything to the simulated Azure, in any order; the diagram and the timeline follow." }
                // An iframe has no address bar: in a blog post, only the first sentence is true.
                if !crate::browser::fragment::is_embed() {
                    { " The address bar is a link to exactly this world." }
                }
            </p>
            <nav class="flows-presets" aria-label="Start from a ready-made world">
                <span class="small">{ "Start from:" }</span>
                <ul>
                    { for PRESETS.iter().map(|p| html! {
                        <li><a href={p.to_hash()} data-testid="sandbox-preset" data-preset={p.id}
                            title={p.description} onclick={load_preset(p.actions)}>{ p.title }</a></li>
                    }) }
                </ul>
            </nav>
            { message(state.message.as_ref()) }
            <h3 id="flows-diagram-title" class="visually-hidden">{ "Diagram" }</h3>
            <DiagramView {diagram} on_select={on_node} {selected} />
            { resources(world, picked.as_deref(), &pick_name, &apply) }
            <div class="actions">
                <button type="button" class="secondary" disabled={state.sb.actions.is_empty()} onclick={on_undo}>{ "Undo" }</button>
                <button type="button" class="secondary" disabled={state.sb.actions.is_empty()} onclick={on_reset}>{ "Empty the world" }</button>
                <span class="muted small" data-testid="sandbox-count">{ mi_core::teach::count(state.sb.actions.len(), "action", "actions") }</span>
            </div>
            <details class="flows-more" data-testid="sandbox-more">
                <summary>{ "Any action: the form, or the action text for power users" }</summary>
                <form class="flows-sandbox-form" onsubmit={on_apply}>
                    <div class="flows-field">
                        <label for="flows-sb-op">{ "Action" }</label>
                        <select id="flows-sb-op" onchange={on_op}>
                            { for OPS.iter().map(|(v, l)| html! {
                                <option value={*v} selected={*v == op}>{ *l }</option>
                            }) }
                        </select>
                    </div>
                    { for wanted.iter().map(field_html) }
                    <div class="actions">
                        <button type="submit" disabled={action.is_err()}>{ "Apply" }</button>
                        if let Err(m) = &action {
                            <span class="muted small" data-testid="form-hint">{ m }</span>
                        }
                    </div>
                </form>
                <div class="flows-field flows-sandbox-text">
                    <label for="flows-sb-dsl">{ "Or type actions (action DSL, separated by ;)" }</label>
                    <textarea id="flows-sb-dsl" class="mono" rows="2" spellcheck="false" autocomplete="off"
                        aria-describedby="flows-sb-syntax"
                        placeholder="rg:rg-a;c:vm:rg-a:vm-a;si:vm-a" value={(*text).clone()} oninput={on_text} />
                    <p id="flows-sb-syntax" class="muted small" data-testid="dsl-help">{ dsl::SYNTAX_HELP }</p>
                    <button type="button" class="secondary" onclick={on_apply_text}>{ "Apply text" }</button>
                </div>
                <p class="small">{ "This world as action text: " }<code class="wrap-anywhere" data-testid="sandbox-dsl">{ dsl::format_actions(&state.sb.actions) }</code></p>
            </details>
            <h3>{ "Timeline" }</h3>
            if timeline.is_empty() {
                <p class="muted" data-testid="timeline-empty">{ "No actions yet." }</p>
            } else {
                <ol class="flows-timeline" data-testid="timeline">
                    { for timeline.iter().map(timeline_item) }
                </ol>
            }
        </section>
    }
}

/// The world's resources, each with what a reader can do to it (shown for the picked one),
/// then what can be added.
fn resources(
    w: &World,
    picked: Option<&str>,
    pick: &Callback<String>,
    apply: &Callback<Vec<Action>>,
) -> Html {
    let offer = |o: Offer| {
        let apply = apply.clone();
        let actions = o.actions;
        html! {
            <li>
                <button type="button" class="small" data-testid="sandbox-offer"
                    onclick={Callback::from(move |_: MouseEvent| apply.emit(actions.clone()))}>{ o.label }</button>
                { " " }<span class="muted small">{ o.hint }</span>
            </li>
        }
    };
    // (name, shown as, kind)
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for c in &w.computes {
        rows.push((c.name.clone(), c.name.clone(), c.kind.label().to_string()));
    }
    for i in &w.identities {
        let kind = "User-assigned identity".to_string();
        rows.push((i.name.clone(), i.name.clone(), kind));
    }
    for t in &w.targets {
        rows.push((t.name.clone(), t.name.clone(), t.kind.label().to_string()));
    }
    for k in &w.clusters {
        rows.push((k.name.clone(), k.name.clone(), "AKS cluster".to_string()));
    }
    for x in &w.workloads {
        let kind = format!("Pod in {} on {}", x.namespace, x.cluster);
        rows.push((x.name.clone(), x.name.clone(), kind));
    }
    for ra in &w.role_assignments {
        let who = match w.principal_display(&ra.principal_id) {
            mi_core::cloud::PrincipalDisplay::Found { display_name, .. } => display_name,
            mi_core::cloud::PrincipalDisplay::NotFound => "Identity not found".into(),
        };
        let shown = format!("{} for {who}", ra.role.name());
        rows.push((ra.name.clone(), shown, "Role assignment".into()));
    }
    let row = |(name, shown, kind): (String, String, String)| {
        let open = picked.is_some_and(|p| p.eq_ignore_ascii_case(&name));
        let onclick = {
            let (pick, name) = (pick.clone(), name.clone());
            Callback::from(move |_: MouseEvent| pick.emit(name.clone()))
        };
        html! {
            <li class={classes!("flows-resource", open.then_some("open"))} data-testid="sandbox-resource" data-name={name.clone()}>
                <button type="button" class="linklike" aria-expanded={if open { "true" } else { "false" }} {onclick}>
                    <strong>{ shown }</strong>{ " " }<span class="muted small">{ kind }</span>
                </button>
                if open {
                    <ul class="flows-offers">
                        { for offers_for(w, &name).into_iter().map(offer) }
                    </ul>
                }
            </li>
        }
    };
    let adds = additions(w);
    let add = |o: Offer| {
        let apply = apply.clone();
        let actions = o.actions;
        html! {
            <li>
                <button type="button" class="secondary small" data-testid="sandbox-offer" title={o.hint}
                    onclick={Callback::from(move |_: MouseEvent| apply.emit(actions.clone()))}>{ o.label }</button>
            </li>
        }
    };
    html! {
        <div class="flows-resources">
            <h3 class="flows-resources-title">{ "What you can do: pick a resource, here or on the diagram" }</h3>
            if rows.is_empty() {
                <p class="muted">{ "No resources yet." }</p>
            } else {
                <ul class="flows-resource-list">{ for rows.into_iter().map(row) }</ul>
            }
            if !adds.is_empty() {
                <ul class="flows-additions" aria-label="Add to the world">
                    { for adds.into_iter().map(add) }
                </ul>
            }
        </div>
    }
}

fn message(m: Option<&Message>) -> Html {
    match m {
        None => html! { <p class="visually-hidden" role="status"></p> },
        Some(Message::Done(s)) => html! {
            <p class="ok-text" role="status" data-testid="sandbox-result">{ s }</p>
        },
        Some(Message::Refused(e)) => html! {
            <div class="flows-error" role="alert" data-testid="sandbox-error">
                <p><strong>{ &e.what }</strong>{ " " }{ &e.why }</p>
                <p>{ format!("Fix: {}", e.fix) }</p>
            </div>
        },
        Some(Message::Invalid(s)) => html! {
            <p class="flows-error" role="alert" data-testid="sandbox-error">{ s }</p>
        },
    }
}

fn timeline_item(ev: &FlowEvent) -> Html {
    html! {
        <li data-testid="timeline-event">
            <span>{ &ev.summary }</span>
            <details>
                <summary>{ "az, Bicep and output" }</summary>
                <p class="small">{ "Action text: " }<code class="flows-dsl">{ &ev.dsl }</code></p>
                <CodeBlock title="az" code={ev.cli.az.clone()} />
                if let Some(out) = &ev.cli.output {
                    <CodeBlock title="az output (JSON)" code={out.clone()} />
                }
                if let Some(b) = &ev.cli.bicep {
                    <CodeBlock title="Bicep" code={b.clone()} />
                }
            </details>
        </li>
    }
}
