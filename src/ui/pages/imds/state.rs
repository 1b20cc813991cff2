//! The simulator page's state: scenario (seed + actions), host, request text, faults, and the
//! exchange on screen. Every change goes through [`Msg`]; the fragment follows (replace, not
//! push).
//!
//! The response shown after an edit is always the answer of a *fresh* endpoint session, so a
//! share link reproduces it exactly. "Send again" and the Arc retry keep the session (token
//! cache, request counters, throttling, challenges) to show what repeated requests do.

use std::rc::Rc;

use mi_core::cloud::{
    default_scenario_actions, dsl, Action, ActionError, Compute, World, DEFAULT_SEED,
};
use mi_core::endpoint::summary::{self, ResultLine, WhoRow};
use mi_core::endpoint::{
    self, arc, codegen, hosts, parse, secrets, EndpointState, Exchange, Faults, HttpRequest,
    ParseError,
};
use mi_core::fragment::{Fragment, START_PARAM};
use yew::prelude::*;

use crate::browser;

/// Bursts sent while the throttling fault is on stop at the first 429 or after this many.
const MAX_BURST: usize = 64;

/// The fault switches, as the page names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Updating,
    Throttled,
    ServerError,
}

impl Fault {
    pub const ALL: [Fault; 3] = [Fault::Updating, Fault::Throttled, Fault::ServerError];

    /// The status code the fault produces, also its name in the fragment (`faults=410,429`).
    pub fn code(self) -> &'static str {
        match self {
            Fault::Updating => "410",
            Fault::Throttled => "429",
            Fault::ServerError => "500",
        }
    }

    pub fn is_on(self, faults: &Faults) -> bool {
        match self {
            Fault::Updating => faults.updating,
            Fault::Throttled => faults.rate_limit,
            Fault::ServerError => faults.server_error,
        }
    }

    fn set(self, faults: &mut Faults, on: bool) {
        match self {
            Fault::Updating => faults.updating = on,
            Fault::Throttled => faults.rate_limit = on,
            Fault::ServerError => faults.server_error = on,
        }
    }
}

/// The "who answers?" rows, compared by identity: they are recomputed only when what they
/// depend on changes, so comparing pointers is enough (and keeps comparisons cheap).
#[derive(Debug, Clone, Default)]
pub struct WhoTable(pub Rc<Vec<WhoRow>>);

impl PartialEq for WhoTable {
    fn eq(&self, other: &WhoTable) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for WhoTable {
    type Target = [WhoRow];

    fn deref(&self) -> &[WhoRow] {
        &self.0
    }
}

/// A user intention.
pub enum Msg {
    /// Send from another host (its default request).
    Host(String),
    /// The request text was typed or pasted (curl, PowerShell, raw HTTP, URL).
    RequestText(String),
    /// The form produced a new request.
    Request(HttpRequest),
    Fault(Fault, bool),
    /// Send the same request again in the same session.
    SendAgain,
    /// Arc: retry with the key file's contents.
    ArcRetry,
    /// The host's system-assigned identity on or off.
    SetSystem(bool),
    /// A user-assigned identity of the world assigned to the host or not.
    SetAssigned(String, bool),
    /// The name typed for a new user-assigned identity.
    NewIdentityName(String),
    /// Create that identity and assign it to the host.
    CreateAndAssign,
    /// Send the request of row `n` of the "who answers?" table.
    SendWho(usize),
    /// Show the whole access token in the raw response (or fold it).
    ShowToken(bool),
    /// The scenario text (DSL) was edited.
    ScenarioText(String),
}

/// The last scenario action's result: what it did, or why it was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionResult {
    Done(String),
    Refused(ActionError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sim {
    pub seed: u64,
    pub actions: Vec<Action>,
    pub world: World,
    /// The scenario textarea's text (may be invalid while typing).
    pub scenario_text: String,
    /// Why the scenario text (or the link's scenario) could not be used.
    pub scenario_error: Option<String>,
    /// Why the link's start time (`t=`) could not be used.
    pub start_error: Option<String>,
    pub action_result: Option<ActionResult>,
    pub host: String,
    /// The request as text: what the user typed, or curl generated from the form.
    pub req_text: String,
    /// The form of the request the address bar holds: credentials the user pasted withheld.
    pub link: secrets::LinkText,
    /// The last request that parsed.
    pub request: Option<HttpRequest>,
    pub parse_error: Option<ParseError>,
    pub faults: Faults,
    /// The endpoint session behind the exchange on screen.
    pub session: EndpointState,
    /// The request whose answer is on screen (differs from `request` after an Arc retry).
    pub sent: Option<HttpRequest>,
    pub exchange: Option<Exchange>,
    /// Requests sent in the session so far.
    pub sends: usize,
    /// Set when the throttling fault sent a burst: how many requests it took.
    pub burst: Option<usize>,
    /// Who answers each selector from this host (computed when the world, the host or the
    /// resource changes: every row mints a token).
    pub who: WhoTable,
    /// What `who` was computed for: (world generation, host, resource).
    who_key: Option<(u32, String, String)>,
    /// Counts changes of the world.
    world_gen: u32,
    /// The name typed for a new user-assigned identity.
    pub new_identity: String,
    /// The raw response shows the whole access token.
    pub show_token: bool,
}

impl Sim {
    /// The state a fragment describes (defaults: the default scenario, its default request),
    /// in a world that starts at `start` (unix seconds); `start_error` says why the link's
    /// `t=` was not used.
    pub fn from_fragment(f: &Fragment, start: u64, start_error: Option<String>) -> Sim {
        let mut scenario_error = None;
        let mut actions = default_scenario_actions();
        if let Some(text) = f.get("scenario") {
            match dsl::parse_actions(text) {
                Ok(a) => actions = a,
                Err(e) => {
                    scenario_error = Some(format!("The scenario in the link was not used: {e}"))
                }
            }
        }
        let seed = DEFAULT_SEED;
        let world = match World::replay(seed, start, &actions) {
            Ok(w) => w,
            Err((i, e)) => {
                scenario_error = Some(format!(
                    "The scenario in the link was not used: action {} — {e}",
                    i + 1
                ));
                actions = default_scenario_actions();
                World::default_scenario(start)
            }
        };
        let mut faults = Faults::default();
        for code in f.get("faults").unwrap_or_default().split(',') {
            if let Some(fault) = Fault::ALL.iter().find(|x| x.code() == code.trim()) {
                fault.set(&mut faults, true);
            }
        }
        let mut sim = Sim {
            seed,
            scenario_text: dsl::format_actions(&actions),
            actions,
            world,
            scenario_error,
            start_error,
            action_result: None,
            host: String::new(),
            req_text: String::new(),
            link: secrets::LinkText {
                text: None,
                withheld: Vec::new(),
            },
            request: None,
            parse_error: None,
            faults,
            session: EndpointState::new(),
            sent: None,
            exchange: None,
            sends: 0,
            burst: None,
            who: WhoTable::default(),
            who_key: None,
            world_gen: 0,
            new_identity: "id-extra".to_string(),
            show_token: false,
        };
        sim.host = match f.get("host") {
            Some(h) if sim.world.compute(h).is_some() => h.to_string(),
            _ => default_host(&sim.world),
        };
        match f.get("req") {
            Some(text) => sim.set_text(text.to_string()),
            None => sim.reset_request(hosts::DEFAULT_RESOURCE),
        }
        sim.resend();
        sim.update_link();
        sim.refresh_who();
        sim
    }

    /// The audience of the current request (the default one when it names none).
    pub fn resource(&self) -> String {
        self.request
            .as_ref()
            .and_then(|r| r.url.query_value("resource"))
            .filter(|r| !r.is_empty())
            .unwrap_or(hosts::DEFAULT_RESOURCE)
            .to_string()
    }

    /// Recomputes the "who answers?" table when what it depends on changed.
    fn refresh_who(&mut self) {
        let key = (self.world_gen, self.host.clone(), self.resource());
        if self.who_key.as_ref() != Some(&key) {
            self.who = WhoTable(Rc::new(summary::who_answers(
                &self.world,
                &self.host,
                &key.2,
            )));
            self.who_key = Some(key);
        }
    }

    /// The answer on screen in one line.
    pub fn line(&self) -> Option<ResultLine> {
        let ex = self.exchange.as_ref()?;
        let req = self.sent.as_ref()?;
        Some(summary::one_line(&self.world, &self.host, req, ex))
    }

    /// Recomputes what of the request may go in the address bar.
    fn update_link(&mut self) {
        self.link = secrets::link_text(
            &self.req_text,
            self.request.as_ref().filter(|_| self.parse_error.is_none()),
            &self.world,
            &self.session,
        );
    }

    /// The page's state as a fragment. `share`: the user asked for a share link, so the
    /// request goes in exactly as typed, credentials included.
    pub fn fragment(&self, share: bool) -> Fragment {
        let mut f = browser::fragment::current();
        f.set("host", &self.host);
        let req = if share {
            Some(self.req_text.as_str())
        } else {
            self.link.text.as_deref()
        };
        // None: the text does not parse and mentions a credential; keep the previous request.
        if let Some(req) = req {
            f.set("req", req);
        }
        f.set("scenario", &dsl::format_actions(&self.actions));
        let faults: Vec<&str> = Fault::ALL
            .iter()
            .filter(|x| x.is_on(&self.faults))
            .map(|x| x.code())
            .collect();
        f.set("faults", &faults.join(","));
        // Last, so the link reads host, request, scenario first.
        f.set(START_PARAM, "");
        f.set(START_PARAM, &self.world.start.to_string());
        f
    }

    pub fn host(&self) -> Option<&Compute> {
        self.world.compute(&self.host)
    }

    /// The environment variables of the host (what `$IDENTITY_HEADER` etc. resolve to).
    pub fn env(&self) -> Vec<(String, String)> {
        self.host()
            .map(|h| hosts::host_endpoint(h).env)
            .unwrap_or_default()
    }

    /// Arc: the retry a client would make after the challenge on screen.
    pub fn arc_retry(&self) -> Option<HttpRequest> {
        let response = self.exchange.as_ref()?.response.as_ref()?;
        arc::retry_after_challenge(&self.session, self.sent.as_ref()?, response)
    }

    fn set_text(&mut self, text: String) {
        match parse::parse_any(&text, &self.env()) {
            Ok(req) => {
                self.request = Some(req);
                self.parse_error = None;
            }
            Err(e) => self.parse_error = Some(e),
        }
        self.req_text = text;
    }

    fn set_request(&mut self, req: HttpRequest) {
        self.req_text = codegen::to_curl(&req);
        self.request = Some(req);
        self.parse_error = None;
    }

    /// The host's default request for `resource`.
    fn reset_request(&mut self, resource: &str) {
        match self.host().map(|h| hosts::default_request(h, resource)) {
            Some(req) => self.set_request(req),
            None => {
                self.req_text.clear();
                self.request = None;
                self.parse_error = None;
            }
        }
    }

    fn send(&mut self, req: &HttpRequest) -> Exchange {
        self.sends += 1;
        endpoint::send(&self.world, &mut self.session, &self.host, req)
    }

    /// A fresh session, then the current request (a burst when throttling is on).
    fn resend(&mut self) {
        self.session = EndpointState::new();
        self.session.faults = self.faults;
        self.sends = 0;
        self.burst = None;
        self.exchange = None;
        self.sent = None;
        let Some(req) = self.request.clone() else {
            return;
        };
        let mut ex = self.send(&req);
        if self.faults.rate_limit {
            while self.sends < MAX_BURST && status(&ex) != Some(429) {
                ex = self.send(&req);
            }
            self.burst = Some(self.sends);
        }
        self.exchange = Some(ex);
        self.sent = Some(req);
    }

    fn send_again(&mut self, req: HttpRequest) {
        let ex = self.send(&req);
        self.exchange = Some(ex);
        self.sent = Some(req);
    }

    fn commit_world(&mut self, actions: Vec<Action>, world: World) {
        self.world_gen = self.world_gen.wrapping_add(1);
        self.actions = actions;
        self.world = world;
        self.scenario_text = dsl::format_actions(&self.actions);
        self.scenario_error = None;
        if self.host().is_none() {
            self.host = default_host(&self.world);
            self.reset_request(hosts::DEFAULT_RESOURCE);
        } else {
            // The host's variables may have changed what the text means.
            let text = self.req_text.clone();
            self.set_text(text);
        }
    }

    fn apply(&mut self, actions: Vec<Action>) {
        let mut world = self.world.clone();
        let mut done = Vec::new();
        for a in &actions {
            match world.apply(a) {
                Ok(outcome) => done.push(outcome.summary),
                Err(e) => {
                    self.action_result = Some(ActionResult::Refused(e));
                    return;
                }
            }
        }
        let mut all = self.actions.clone();
        all.extend(actions);
        self.commit_world(all, world);
        self.action_result = Some(ActionResult::Done(done.join(" ")));
    }

    fn scenario_text(&mut self, text: String) {
        let parsed = dsl::parse_actions(&text)
            .map_err(|e| e.to_string())
            .and_then(
                |actions| match World::replay(self.seed, self.world.start, &actions) {
                    Ok(w) => Ok((actions, w)),
                    Err((i, e)) => Err(format!("action {} — {e}", i + 1)),
                },
            );
        match parsed {
            Ok((actions, world)) => {
                self.commit_world(actions, world);
                self.scenario_text = text;
            }
            Err(e) => {
                self.scenario_text = text;
                self.scenario_error = Some(e);
            }
        }
        self.action_result = None;
    }

    /// Writes the state into the fragment (replace, not push), credentials withheld.
    fn store(&mut self) {
        self.update_link();
        browser::fragment::replace(&self.fragment(false));
    }
}

fn default_host(world: &World) -> String {
    hosts::default_scenario_request(world)
        .map(|(h, _)| h)
        .unwrap_or_default()
}

/// The status of an exchange's response, if one came.
pub fn status(ex: &Exchange) -> Option<u16> {
    ex.response.as_ref().map(|r| r.status)
}

impl Reducible for Sim {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        match msg {
            Msg::Host(h) => {
                if s.world.compute(&h).is_none() {
                    return self;
                }
                let resource = s
                    .request
                    .as_ref()
                    .and_then(|r| r.url.query_value("resource"))
                    .unwrap_or(hosts::DEFAULT_RESOURCE)
                    .to_string();
                s.host = h;
                s.reset_request(&resource);
                s.resend();
            }
            Msg::RequestText(t) => {
                s.set_text(t);
                if s.parse_error.is_none() {
                    s.resend();
                }
            }
            Msg::Request(r) => {
                s.set_request(r);
                s.resend();
            }
            Msg::Fault(fault, on) => {
                fault.set(&mut s.faults, on);
                s.resend();
            }
            Msg::SendAgain => {
                let Some(req) = s.sent.clone().or_else(|| s.request.clone()) else {
                    return self;
                };
                s.burst = None;
                s.send_again(req);
                // Not stored: a link reproduces the first answer, not the session.
                return Rc::new(s);
            }
            Msg::ArcRetry => {
                let Some(req) = s.arc_retry() else {
                    return self;
                };
                s.send_again(req);
                return Rc::new(s);
            }
            Msg::SetSystem(_) | Msg::SetAssigned(..) | Msg::CreateAndAssign => {
                let Some(host) = s.host().map(|h| (h.name.clone(), h.resource_group.clone()))
                else {
                    return self;
                };
                let (resource, group) = host;
                let identity = |n: &str| n.trim().to_string();
                let actions = match msg {
                    Msg::SetSystem(true) => vec![Action::EnableSystemAssigned { resource }],
                    Msg::SetSystem(false) => vec![Action::DisableSystemAssigned { resource }],
                    Msg::SetAssigned(name, true) => vec![Action::AssignIdentity {
                        resource,
                        identity: name,
                    }],
                    Msg::SetAssigned(name, false) => vec![Action::UnassignIdentity {
                        resource,
                        identity: name,
                    }],
                    _ => vec![
                        Action::CreateIdentity {
                            resource_group: group,
                            name: identity(&s.new_identity),
                        },
                        Action::AssignIdentity {
                            resource,
                            identity: identity(&s.new_identity),
                        },
                    ],
                };
                s.apply(actions);
                s.resend();
            }
            Msg::NewIdentityName(n) => {
                s.new_identity = n;
                return Rc::new(s);
            }
            Msg::SendWho(n) => {
                let Some(req) = s.who.get(n).map(|r| r.request.clone()) else {
                    return self;
                };
                s.set_request(req);
                s.resend();
            }
            Msg::ShowToken(on) => {
                s.show_token = on;
                return Rc::new(s);
            }
            Msg::ScenarioText(t) => {
                s.scenario_text(t);
                s.resend();
            }
        }
        s.refresh_who();
        s.store();
        Rc::new(s)
    }
}
