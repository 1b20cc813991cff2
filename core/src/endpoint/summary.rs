//! The answer at a glance: who answered a token request and why, in one line ([`one_line`]),
//! and who answers each identity selector a host's endpoint accepts ([`who_answers`]).
//!
//! Both are pure: [`one_line`] reads the rule the endpoint recorded ([`Why`]) with the request
//! and the world; [`who_answers`] really sends every request to the simulator, each in a fresh
//! [`EndpointState`] (no faults, no cache), so the table can never disagree with the endpoint.

use super::http::HttpRequest;
use super::state::{EndpointState, Exchange, Why};
use super::{arc, hosts, send};
use crate::cloud::{ComputeKind, EndpointKind, ManagedIdentity, World};

/// How an answer should look: a token, a step to take, a passing failure, a mistake, silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A token came back.
    Ok,
    /// A normal step before the token (the Arc challenge).
    Step,
    /// Try again later (410, 429, 500).
    Retry,
    /// The request or the scenario must change.
    Error,
    /// Nothing answered.
    NoAnswer,
}

impl Tone {
    /// A stable name for styling and tests.
    pub fn tag(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Step => "step",
            Tone::Retry => "retry",
            Tone::Error => "error",
            Tone::NoAnswer => "none",
        }
    }
}

/// Who answered and why, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine {
    /// The HTTP status; `None` when nothing answered.
    pub status: Option<u16>,
    /// The identity whose token came back.
    pub identity: Option<ManagedIdentity>,
    /// The endpoint's own short error text ("Identity not found"), when it names one.
    pub error: Option<String>,
    /// Why, in a few words (long ids shortened with "…").
    pub reason: String,
    pub tone: Tone,
}

impl ResultLine {
    /// "200", "401", or "no answer".
    pub fn status_text(&self) -> String {
        self.status
            .map_or_else(|| "no answer".to_string(), |s| s.to_string())
    }

    /// "id-orders (user-assigned)", "vm-web (system-assigned)".
    pub fn identity_text(&self, host: &str) -> Option<String> {
        let i = self.identity.as_ref()?;
        Some(format!("{} ({})", identity_label(i, host), kind_text(i)))
    }

    /// The error and the reason: "Identity not found: no identity on vm-x has client_id 0000…".
    pub fn why_text(&self) -> String {
        match &self.error {
            Some(e) => format!("{e}: {}", self.reason),
            None => self.reason.clone(),
        }
    }

    /// The whole line: `200 → id-orders (user-assigned), chosen by client_id=5292…`,
    /// `400 → several user-assigned identities and no selector`, `no answer: …`.
    pub fn text(&self, host: &str) -> String {
        match (self.status, self.identity_text(host)) {
            (None, _) => format!("no answer: {}", self.reason),
            (Some(s), Some(who)) => format!("{s} → {who}, {}", self.why_text()),
            (Some(s), None) => format!("{s} → {}", self.why_text()),
        }
    }
}

/// The name people know an identity by: its resource name, or the host's for the
/// system-assigned one (its service principal carries the host's name).
pub fn identity_label(i: &ManagedIdentity, host: &str) -> String {
    i.user_assigned_name
        .clone()
        .unwrap_or_else(|| host.to_string())
}

/// "system-assigned" or "user-assigned".
pub fn kind_text(i: &ManagedIdentity) -> &'static str {
    if i.is_system_assigned() {
        "system-assigned"
    } else {
        "user-assigned"
    }
}

/// "an App Service web app", "a Virtual Machine"…
pub fn a_kind(kind: ComputeKind) -> String {
    let label = kind.label();
    let article = if label.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}

/// A long id made short for a glance: a GUID (or any long value) keeps its first 8 characters,
/// an ARM id its last segment: `5292ab12…`, `…/id-orders`. Short values stay whole.
pub fn short(value: &str) -> String {
    if value.chars().count() <= 12 {
        return value.to_string();
    }
    match value.rsplit_once('/') {
        Some((_, last)) if value.starts_with('/') && !last.is_empty() => format!("…/{last}"),
        _ => format!("{}…", value.chars().take(8).collect::<String>()),
    }
}

/// Who answered `req` sent from `host`, and why, from the exchange the simulator returned.
pub fn one_line(world: &World, host: &str, req: &HttpRequest, ex: &Exchange) -> ResultLine {
    let status = ex.response.as_ref().map(|r| r.status);
    let app_service = world.compute(host).is_some_and(|h| {
        matches!(
            h.kind.endpoint(),
            EndpointKind::AppService | EndpointKind::ContainerApps
        )
    });
    let not_found = if app_service {
        "No Managed Identity found"
    } else {
        "Identity not found"
    };
    let mut error = None;
    let reason = match &ex.why {
        Why::Chosen(Some((p, v))) => format!("chosen by {p}={}", short(v)),
        Why::Chosen(None) => match &ex.identity {
            Some(i) if !i.is_system_assigned() => {
                "no selector, no system-assigned identity: the only user-assigned one answers"
                    .to_string()
            }
            _ => "no selector: the system-assigned identity answers".to_string(),
        },
        Why::NotFound(by) => {
            error = Some(not_found.to_string());
            match by {
                Some((p, v)) => format!("no identity on {host} has {p} {}", short(v)),
                None => format!("{host} has no managed identity"),
            }
        }
        Why::Ambiguous => "several user-assigned identities and no selector".to_string(),
        Why::NoSystemIdentity => {
            error = Some("Unable to load the proper Managed Identity".to_string());
            format!("no selector, and {host} has no system-assigned identity")
        }
        Why::Challenge => {
            "challenge: read the key file named in WWW-Authenticate, retry with its contents"
                .to_string()
        }
        Why::Retry(s) | Why::Said(s) => s.to_string(),
        Why::Unreachable(s) => s.clone(),
        Why::Unknown => match &ex.response {
            Some(r) => format!("{} from {}", r.reason(), req.url.host),
            None => ex
                .connection_error
                .as_deref()
                .map(|e| match e.split_once(") ") {
                    Some((curl, rest)) if curl.starts_with("curl: (") => rest,
                    _ => e,
                })
                .unwrap_or("nothing answered")
                .to_string(),
        },
    };
    let tone = match (status, &ex.why) {
        (None, _) => Tone::NoAnswer,
        (Some(s), _) if s < 300 => Tone::Ok,
        (_, Why::Challenge) => Tone::Step,
        (_, Why::Retry(_)) => Tone::Retry,
        _ => Tone::Error,
    };
    ResultLine {
        status,
        identity: ex.identity.clone(),
        error,
        reason,
        tone,
    }
}

/// One request of the "who answers?" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoRow {
    /// The selector sent, as (parameter, value); `None` for the request without one.
    pub selector: Option<(&'static str, String)>,
    /// Whose value the selector carries: the identity's name (see [`identity_label`]).
    pub whose: String,
    /// Whether that identity is assigned to the host (the world's other user-assigned
    /// identities are listed too: naming one is a classic mistake).
    pub assigned: bool,
    /// The request, ready to send from the page.
    pub request: HttpRequest,
    /// The answer.
    pub answer: ResultLine,
    /// Arc: the answer came after following the key-file challenge, as a client does.
    pub after_challenge: bool,
}

/// Who answers each selector `host` accepts (managed-identity.md §1–2): the host's default
/// request for `resource` without a selector, then with each selector kind of its endpoint
/// ([`hosts::selector_params`]) naming each of its identities, then each of the world's other
/// user-assigned identities (when the host can hold them). Each request goes to the simulator
/// in a fresh [`EndpointState`]; an Arc challenge is followed once. Empty for an unknown host.
pub fn who_answers(world: &World, host: &str, resource: &str) -> Vec<WhoRow> {
    let Some(h) = world.compute(host) else {
        return Vec::new();
    };
    let kind = h.kind.endpoint();
    let base = hosts::with_selector(&hosts::default_request(h, resource), kind, None, "");
    let mut candidates: Vec<(ManagedIdentity, bool)> = world
        .identities_of(h)
        .into_iter()
        .map(|i| (i, true))
        .collect();
    if h.kind.supports_user_assigned() {
        for u in &world.identities {
            if !h
                .user_identities
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&u.name))
            {
                candidates.push((
                    ManagedIdentity {
                        sp: u.sp.clone(),
                        user_assigned_name: Some(u.name.clone()),
                        arm_id: world.identity_arm_id(u),
                    },
                    false,
                ));
            }
        }
    }
    let mut rows = vec![row(world, host, base.clone(), None, String::new(), true)];
    for (i, assigned) in &candidates {
        for (param, of) in hosts::selector_params(kind) {
            let value = hosts::identity_value(i, of);
            let req = hosts::with_selector(&base, kind, Some(param), &value);
            let whose = identity_label(i, host);
            rows.push(row(
                world,
                host,
                req,
                Some((param, value)),
                whose,
                *assigned,
            ));
        }
    }
    rows
}

fn row(
    world: &World,
    host: &str,
    request: HttpRequest,
    selector: Option<(&'static str, String)>,
    whose: String,
    assigned: bool,
) -> WhoRow {
    let mut state = EndpointState::new();
    let mut ex = send(world, &mut state, host, &request);
    let mut sent = request.clone();
    let mut after_challenge = false;
    if let Some(retry) = ex
        .response
        .as_ref()
        .filter(|_| ex.why == Why::Challenge)
        .and_then(|r| arc::retry_after_challenge(&state, &request, r))
    {
        ex = send(world, &mut state, host, &retry);
        sent = retry;
        after_challenge = true;
    }
    WhoRow {
        selector,
        whose,
        assigned,
        answer: one_line(world, host, &sent, &ex),
        request,
        after_challenge,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::dsl::parse_actions;
    use crate::cloud::time::EPOCH;
    use crate::endpoint::http::Url;
    use crate::endpoint::{imds, Faults};

    fn world(extra: &str) -> World {
        let mut actions = crate::cloud::default_scenario_actions();
        actions.extend(parse_actions(extra).unwrap());
        World::replay(crate::cloud::DEFAULT_SEED, EPOCH, &actions).unwrap()
    }

    fn line_for(w: &World, host: &str, req: &HttpRequest, faults: Faults) -> ResultLine {
        let mut st = EndpointState::new();
        st.faults = faults;
        let ex = send(w, &mut st, host, req);
        one_line(w, host, req, &ex)
    }

    fn line(w: &World, host: &str, req: &HttpRequest) -> (ResultLine, String) {
        let l = line_for(w, host, req, Faults::default());
        let t = l.text(host);
        (l, t)
    }

    fn default_req(w: &World, host: &str) -> HttpRequest {
        hosts::default_request(w.compute(host).unwrap(), hosts::DEFAULT_RESOURCE)
    }

    fn selected(w: &World, host: &str, param: &str, value: &str) -> HttpRequest {
        let kind = w.compute(host).unwrap().kind.endpoint();
        hosts::with_selector(&default_req(w, host), kind, Some(param), value)
    }

    #[test]
    fn system_assigned_answers_without_a_selector() {
        let w = world("");
        let (l, t) = line(&w, "vm-web", &default_req(&w, "vm-web"));
        assert_eq!(l.status, Some(200));
        assert_eq!(l.tone, Tone::Ok);
        assert!(l.identity.as_ref().unwrap().is_system_assigned());
        assert_eq!(
            t,
            "200 → vm-web (system-assigned), no selector: the system-assigned identity answers"
        );
    }

    #[test]
    fn each_selector_kind_names_its_identity() {
        let w = world("");
        let orders = w.identity("id-orders").unwrap().sp.clone();
        let (_, t) = line(
            &w,
            "vm-web",
            &selected(&w, "vm-web", "client_id", &orders.client_id),
        );
        assert_eq!(
            t,
            format!(
                "200 → id-orders (user-assigned), chosen by client_id={}…",
                &orders.client_id[..8]
            )
        );
        let reports = w.identity("id-reports").unwrap().sp.clone();
        let (l, t) = line(
            &w,
            "vm-web",
            &selected(&w, "vm-web", "object_id", &reports.principal_id),
        );
        assert_eq!(
            l.identity.unwrap().user_assigned_name.unwrap(),
            "id-reports"
        );
        assert!(t.ends_with(&format!(
            "chosen by object_id={}…",
            &reports.principal_id[..8]
        )));
        let arm = w.resource_arm_id("id-orders").unwrap().to_arm_string();
        let (_, t) = line(&w, "vm-web", &selected(&w, "vm-web", "msi_res_id", &arm));
        assert_eq!(
            t,
            "200 → id-orders (user-assigned), chosen by msi_res_id=…/id-orders"
        );
        // The observed mi_res_id alias on IMDS.
        let (_, t) = line(&w, "vm-web", &selected(&w, "vm-web", "mi_res_id", &arm));
        assert!(t.ends_with("chosen by mi_res_id=…/id-orders"), "{t}");
    }

    #[test]
    fn a_selector_naming_nothing_is_not_found() {
        let w = world("");
        let zero = "00000000-0000-0000-0000-000000000000";
        let (l, t) = line(&w, "vm-web", &selected(&w, "vm-web", "client_id", zero));
        assert_eq!(l.tone, Tone::Error);
        assert_eq!(
            t,
            "400 → Identity not found: no identity on vm-web has client_id 00000000…"
        );
        // A host with no identity at all.
        let w = world(";c:vm:rg-playground:vm-x");
        let (_, t) = line(&w, "vm-x", &default_req(&w, "vm-x"));
        assert_eq!(t, "400 → Identity not found: vm-x has no managed identity");
    }

    #[test]
    fn two_user_assigned_and_no_selector_is_ambiguous() {
        let w = world(";-si:vm-web");
        let (l, t) = line(&w, "vm-web", &default_req(&w, "vm-web"));
        assert_eq!(l.status, Some(400));
        assert_eq!(t, "400 → several user-assigned identities and no selector");
        // With one left, it answers without a selector.
        let w = world(";-si:vm-web;-ua:vm-web:id-reports");
        let (_, t) = line(&w, "vm-web", &default_req(&w, "vm-web"));
        assert_eq!(t, "200 → id-orders (user-assigned), no selector, no system-assigned identity: the only user-assigned one answers");
    }

    #[test]
    fn app_service_rules() {
        let w = world("");
        let (_, t) = line(&w, "app-shop", &default_req(&w, "app-shop"));
        assert_eq!(
            t,
            "200 → app-shop (system-assigned), no selector: the system-assigned identity answers"
        );
        // A user-assigned identity of the world that is not assigned to the app.
        let orders = w.identity("id-orders").unwrap().sp.principal_id.clone();
        let (_, t) = line(
            &w,
            "app-shop",
            &selected(&w, "app-shop", "principal_id", &orders),
        );
        assert_eq!(
            t,
            format!(
                "400 → No Managed Identity found: no identity on app-shop has principal_id {}…",
                &orders[..8]
            )
        );
        // No selector and no system-assigned identity.
        let w = world(";-si:app-shop;ua:app-shop:id-orders");
        let (_, t) = line(&w, "app-shop", &default_req(&w, "app-shop"));
        assert_eq!(t, "400 → Unable to load the proper Managed Identity: no selector, and app-shop has no system-assigned identity");
        // The app's header.
        let mut r = default_req(&w, "app-shop");
        r.set_header("X-IDENTITY-HEADER", "nope");
        let (l, t) = line(&w, "app-shop", &r);
        assert_eq!(l.status, Some(401));
        assert_eq!(
            t,
            "401 → the X-IDENTITY-HEADER value is not this app's IDENTITY_HEADER"
        );
        r.headers.clear();
        assert_eq!(
            line(&w, "app-shop", &r).1,
            "400 → the X-IDENTITY-HEADER header is missing"
        );
    }

    #[test]
    fn a_missing_metadata_header_is_said() {
        let w = world("");
        let mut r = default_req(&w, "vm-web");
        r.headers.clear();
        assert_eq!(
            line(&w, "vm-web", &r).1,
            "400 → the Metadata: true header is missing"
        );
    }

    #[test]
    fn faults_say_retry() {
        let w = world("");
        let r = default_req(&w, "vm-web");
        let gone = line_for(
            &w,
            "vm-web",
            &r,
            Faults {
                updating: true,
                ..Faults::default()
            },
        );
        assert_eq!((gone.status, gone.tone), (Some(410), Tone::Retry));
        assert!(gone.text("vm-web").contains("back within 70 s"));
        let failing = line_for(
            &w,
            "vm-web",
            &r,
            Faults {
                server_error: true,
                ..Faults::default()
            },
        );
        assert_eq!((failing.status, failing.tone), (Some(500), Tone::Retry));
        // 429: the 21st request within one simulated second.
        let mut st = EndpointState::new();
        st.faults.rate_limit = true;
        let ex = (0..21)
            .map(|_| send(&w, &mut st, "vm-web", &r))
            .last()
            .unwrap();
        let l = one_line(&w, "vm-web", &r, &ex);
        assert_eq!((l.status, l.tone), (Some(429), Tone::Retry));
        assert!(l.reason.contains("20 requests per second"), "{}", l.reason);
    }

    #[test]
    fn the_arc_challenge_is_a_step() {
        let w = world(";c:arc:rg-playground:arc-1");
        let (l, t) = line(&w, "arc-1", &default_req(&w, "arc-1"));
        assert_eq!((l.status, l.tone), (Some(401), Tone::Step));
        assert!(t.starts_with("401 → challenge: read the key file"), "{t}");
        // After the retry, a selector is ignored and the system-assigned identity answers.
        let rows = who_answers(&w, "arc-1", hosts::DEFAULT_RESOURCE);
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.after_challenge));
        assert!(rows.iter().all(|r| r.answer.status == Some(200)));
        assert!(rows[1].answer.text("arc-1").ends_with(
            "the selector is ignored: an Arc server has only its system-assigned identity"
        ));
    }

    #[test]
    fn unreachable_endpoints_say_no_answer() {
        let w = world("");
        let imds_from_app = default_req(&w, "vm-web");
        let (l, t) = line(&w, "app-shop", &imds_from_app);
        assert_eq!((l.status, l.tone), (None, Tone::NoAnswer));
        assert_eq!(
            t,
            "no answer: IMDS is not reachable from an App Service web app"
        );
        let mut wrong_port = imds_from_app.clone();
        wrong_port.url.port = Some(8080);
        assert_eq!(
            line(&w, "vm-web", &wrong_port).1,
            "no answer: IMDS listens on port 80, not 8080"
        );
        let local = HttpRequest::get(Url::parse("http://localhost:9999/token").unwrap(), &[]);
        assert_eq!(
            line(&w, "vm-web", &local).1,
            "no answer: nothing listens on localhost:9999 on vm-web"
        );
        assert_eq!(
            line(&w, "vm-nope", &imds_from_app).1,
            "no answer: there is no host named 'vm-nope'"
        );
        let vault = HttpRequest::get(
            Url::parse("https://kv-nope.vault.azure.net/secrets/x").unwrap(),
            &[],
        );
        assert_eq!(
            line(&w, "vm-web", &vault).1,
            "no answer: Could not resolve host: kv-nope.vault.azure.net"
        );
    }

    #[test]
    fn other_request_mistakes_are_said() {
        let w = world("");
        let r = default_req(&w, "vm-web");
        let mut post = r.clone();
        post.method = "POST".into();
        assert_eq!(line(&w, "vm-web", &post).1, "405 → only GET is allowed");
        let mut unknown = r.clone();
        unknown.url.query = vec![
            ("api-version".into(), "2018-02-01".into()),
            ("resource".into(), "https://example.com".into()),
        ];
        assert_eq!(
            line(&w, "vm-web", &unknown).1,
            "400 → Entra knows no such resource (AADSTS500011)"
        );
        let mut no_version = r.clone();
        no_version.url.query.retain(|(n, _)| n != "api-version");
        assert_eq!(
            line(&w, "vm-web", &no_version).1,
            "400 → api-version is missing"
        );
        // A data plane answer without a recorded rule says who answered.
        let kv = HttpRequest::get(
            Url::parse("https://kv-contoso-demo.vault.azure.net/secrets/x?api-version=7.4")
                .unwrap(),
            &[],
        );
        let (l, t) = line(&w, "vm-web", &kv);
        assert_eq!(l.status, Some(401));
        assert_eq!(t, "401 → Unauthorized from kv-contoso-demo.vault.azure.net");
    }

    #[test]
    fn who_answers_the_default_vm() {
        let w = world("");
        let rows = who_answers(&w, "vm-web", hosts::DEFAULT_RESOURCE);
        // No selector, then 3 selector kinds × 3 identities (system, id-orders, id-reports).
        assert_eq!(rows.len(), 10);
        assert_eq!(rows[0].selector, None);
        assert_eq!(rows[0].request, default_req(&w, "vm-web"));
        assert!(rows[0]
            .answer
            .identity
            .as_ref()
            .unwrap()
            .is_system_assigned());
        let names: Vec<&str> = rows[1..4]
            .iter()
            .map(|r| r.selector.as_ref().unwrap().0)
            .collect();
        assert_eq!(names, ["client_id", "object_id", "msi_res_id"]);
        for r in &rows[1..] {
            let who = r.answer.identity.as_ref().unwrap();
            assert_eq!(identity_label(who, "vm-web"), r.whose, "{r:?}");
            assert!(r.assigned && !r.after_challenge);
        }
        // Each row's request, sent again, gives the same answer (a fresh session each).
        for r in &rows {
            assert_eq!(line(&w, "vm-web", &r.request).0, r.answer);
        }
    }

    #[test]
    fn who_answers_lists_unassigned_identities_as_not_found() {
        let w = world("");
        let rows = who_answers(&w, "app-shop", hosts::DEFAULT_RESOURCE);
        // No selector, the app's system-assigned identity, and the two unassigned ones.
        assert_eq!(rows.len(), 1 + 3 * 3);
        let params: Vec<&str> = rows[1..4]
            .iter()
            .map(|r| r.selector.as_ref().unwrap().0)
            .collect();
        assert_eq!(params, ["client_id", "principal_id", "mi_res_id"]);
        for r in &rows[4..] {
            assert!(!r.assigned);
            assert_eq!(r.answer.status, Some(400));
            assert_eq!(r.answer.error.as_deref(), Some("No Managed Identity found"));
        }
        // No host, no rows; an ambiguous VM still gets its table.
        assert!(who_answers(&w, "nope", hosts::DEFAULT_RESOURCE).is_empty());
        let w = world(";-si:vm-web");
        let rows = who_answers(&w, "vm-web", hosts::DEFAULT_RESOURCE);
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[0].answer.status, Some(400));
    }

    #[test]
    fn the_token_span_is_the_token_in_the_wire() {
        let w = world("");
        let ex = send(
            &w,
            &mut EndpointState::new(),
            "vm-web",
            &default_req(&w, "vm-web"),
        );
        let wire = ex.wire();
        let span = ex.token_span().unwrap();
        assert_eq!(wire[span].to_string(), ex.token.unwrap().jwt);
        let mut r = default_req(&w, "vm-web");
        r.headers.clear();
        let ex = send(&w, &mut EndpointState::new(), "vm-web", &r);
        assert!(ex.token_span().is_none());
        assert!(ex.wire().ends_with(imds::METADATA_MISSING_BODY));
    }

    #[test]
    fn short_keeps_ids_recognisable() {
        assert_eq!(short("abc"), "abc");
        assert_eq!(short("5292ab12-0000-0000-0000-000000000000"), "5292ab12…");
        assert_eq!(
            short("/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a"),
            "…/id-a"
        );
        assert_eq!(short("/subscriptions/x/trailing/"), "/subscri…");
        assert_eq!(short("ééééééééééééééé"), "éééééééé…");
        assert_eq!(a_kind(ComputeKind::ArcServer), "an Azure Arc server");
        assert_eq!(a_kind(ComputeKind::FunctionApp), "a Function App");
    }

    #[test]
    fn no_panics_on_odd_worlds() {
        // Every host kind, with and without identities, never panics and always says something.
        let w = world(
            ";c:vmss:rg-playground:ss;c:func:rg-playground:fn;c:aca:rg-playground:ca;si:ca;c:arc:rg-playground:arc-0",
        );
        for h in &w.computes {
            for r in who_answers(&w, &h.name, "https://vault.azure.net") {
                assert!(!r.answer.reason.is_empty());
                assert!(!r.answer.text(&h.name).is_empty());
            }
        }
    }
}
