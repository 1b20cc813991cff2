//! Azure Arc-enabled servers: the local agent (himds) with its file-based challenge,
//! managed-identity.md §3.

use super::http::{h, HttpRequest, HttpResponse};
// The Arc agent answers errors in the IMDS format.
use super::imds::{error_body, success_body, METADATA_MISSING_BODY};
use super::state::{
    note, resource_known, sent_selector, Certainty::*, EndpointState, Exchange, Note, Why,
};
use crate::cloud::{time, Compute, World};

pub const ENDPOINT: &str = "http://localhost:40342/metadata/identity/oauth2/token";
pub const IMDS_ENDPOINT: &str = "http://localhost:40342";
pub const API_VERSION: &str = "2020-06-01";

fn headers(world: &World) -> Vec<(String, String)> {
    vec![
        h("Content-Type", "application/json; charset=utf-8"),
        h("Date", time::rfc1123(world.now)),
    ]
}

/// Handles a request that reached the Arc agent on `host`.
pub fn handle(
    world: &World,
    state: &mut EndpointState,
    host: &Compute,
    req: &HttpRequest,
) -> Exchange {
    let mut notes: Vec<Note> = Vec::new();
    let respond =
        |status: u16, extra: Vec<(String, String)>, body: String, notes: Vec<Note>, why: Why| {
            let mut hs = headers(world);
            hs.extend(extra);
            Exchange::response(HttpResponse::with_body(status, hs, body, false), notes).because(why)
        };
    if req.method != "GET" {
        notes.push(note(
            Guess,
            "The Arc agent expects GET; status and body are guesses.",
        ));
        return respond(
            405,
            vec![],
            String::new(),
            notes,
            Why::Said("only GET is allowed"),
        );
    }
    if !req
        .header("Metadata")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        notes.push(note(
            Documented,
            "Like IMDS, the Arc agent requires 'Metadata: true'.",
        ));
        notes.push(note(Guess, "Body assumed to be IMDS's."));
        return respond(
            400,
            vec![],
            METADATA_MISSING_BODY.to_string(),
            notes,
            Why::Said("the Metadata: true header is missing"),
        );
    }
    if req.url.query_value("api-version").is_none() {
        notes.push(note(
            Guess,
            format!("api-version is required (SDKs send {API_VERSION}); the body is a guess."),
        ));
        return respond(
            400,
            vec![],
            error_body("invalid_request", "api-version was not specified"),
            notes,
            Why::Said("api-version is missing"),
        );
    }
    let Some(resource) = req.url.query_value("resource").filter(|r| !r.is_empty()) else {
        notes.push(note(
            Guess,
            "The 'resource' parameter is required; the body is a guess.",
        ));
        return respond(
            400,
            vec![],
            error_body(
                "invalid_request",
                "Required audience parameter not specified",
            ),
            notes,
            Why::Said("the resource parameter is missing"),
        );
    };
    let presented = req
        .header("Authorization")
        .and_then(|v| v.trim().strip_prefix("Basic "))
        .map(|s| s.trim().to_string());
    let valid = match (&presented, state.latest_arc(&host.name)) {
        (Some(p), Some(c)) => *p == c.contents,
        _ => false,
    };
    if !valid {
        let challenge = state.new_arc_challenge(world, &host.name);
        if presented.is_some() {
            notes.push(note(Guess, "The Authorization value does not match the latest key file: the agent issues a new challenge."));
        }
        notes.push(note(Documented, format!(
            "First request: 401 with 'WWW-Authenticate: Basic realm={}'. Only root or members of the himds group can read that file; the client reads it and retries with 'Authorization: Basic <file contents>'.",
            challenge.path
        )));
        let extra = vec![h(
            "WWW-Authenticate",
            format!("Basic realm={}", challenge.path),
        )];
        return respond(401, extra, String::new(), notes, Why::Challenge);
    }
    if !resource_known(resource) {
        notes.push(note(Guess, format!("Entra does not know '{resource}'; the agent relays an invalid_resource error (shape assumed to be IMDS's).")));
        return respond(400, vec![], error_body("invalid_resource", &format!("AADSTS500011: The resource principal named {resource} was not found in the tenant named {}.", world.tenant.display_name)), notes, Why::Said("Entra knows no such resource (AADSTS500011)"));
    }
    let identities = world.identities_of(host);
    let Some(identity) = identities.into_iter().find(|i| i.is_system_assigned()) else {
        notes.push(note(
            Documented,
            "Arc servers have only a system-assigned identity.",
        ));
        return respond(
            400,
            vec![],
            error_body("invalid_request", "Identity not found"),
            notes,
            Why::NotFound(None),
        );
    };
    let (token, cached) = state.token(world, host, &identity, resource, false);
    let expires_in = token.exp.saturating_sub(world.now);
    notes.push(note(Documented, "The retry with the key file's contents succeeds: an IMDS-shaped token response for the server's system-assigned identity."));
    let ignored = sent_selector(req, &["client_id", "object_id", "msi_res_id", "mi_res_id"]);
    if let Some((name, _)) = &ignored {
        notes.push(note(Sdk, format!("An Arc server has only its system-assigned identity: the agent ignores '{name}' and answers for that one. MSAL Python 1.39 then refuses the token, because the body does not echo the identity it asked for (checked on loopback, core/conformance).")));
    }
    let body = success_body(
        &token.jwt,
        &identity.sp.client_id,
        expires_in,
        token.exp,
        token.nbf,
        resource,
    );
    let why = match ignored {
        Some(_) => Why::Said(
            "the selector is ignored: an Arc server has only its system-assigned identity",
        ),
        None => Why::Chosen(None),
    };
    let mut ex = respond(200, vec![], body, notes, why);
    ex.identity = Some(identity);
    ex.token = Some(token);
    ex.from_cache = cached;
    ex
}

/// The retry a client makes after a 401 challenge: the same request plus
/// `Authorization: Basic <key file contents>`. `None` when `response` is not a challenge or the
/// file does not exist.
pub fn retry_after_challenge(
    state: &EndpointState,
    req: &HttpRequest,
    response: &HttpResponse,
) -> Option<HttpRequest> {
    let realm = response
        .header("WWW-Authenticate")?
        .strip_prefix("Basic realm=")?;
    let contents = state.arc_key_file(realm.trim())?;
    let mut r = req.clone();
    r.set_header("Authorization", &format!("Basic {contents}"));
    Some(r)
}
