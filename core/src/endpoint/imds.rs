//! Azure Instance Metadata Service, identity endpoint (VM, VMSS): managed-identity.md §1.

use crate::jsonw::Json;

use super::http::{h, HttpRequest, HttpResponse};
use super::state::{
    aadsts500011, note, resource_known, select, sent_selector, Certainty::*, EndpointState,
    Exchange, Note, Selection, Selectors, Why,
};
use crate::cloud::{time, Compute, World};

pub const HOST: &str = "169.254.169.254";
pub const PATH: &str = "/metadata/identity/oauth2/token";
pub const SERVER: &str = "IMDS/150.870.65.1253";

/// Identity api-versions IMDS accepts: the "Supported API versions" list of azure-docs
/// `articles/virtual-machines/instance-metadata-service.md` [doc] (2021-08-01 added after
/// issue #9 pointed out it is listed there).
pub const API_VERSIONS: &[&str] = &[
    "2018-02-01",
    "2018-04-02",
    "2018-10-01",
    "2019-02-01",
    "2019-03-11",
    "2019-04-30",
    "2019-06-01",
    "2019-06-04",
    "2019-08-01",
    "2019-08-15",
    "2019-11-01",
    "2020-06-01",
    "2020-07-15",
    "2020-09-01",
    "2020-10-01",
    "2020-12-01",
    "2021-01-01",
    "2021-02-01",
    "2021-03-01",
    "2021-05-01",
    "2021-08-01",
    "2021-10-01",
    "2021-11-01",
    "2021-11-15",
    "2021-12-13",
    "2023-07-01",
];

/// The two documented bodies for a missing `Metadata` header; the simulator sends the docs'.
pub const METADATA_MISSING_BODY: &str =
    "{\"error\":\"bad_request_102\",\"error_description\":\"Required metadata header not specified\"}";

pub(crate) fn headers(world: &World, request_id: &str) -> Vec<(String, String)> {
    vec![
        h("Content-Type", "application/json; charset=utf-8"),
        h("Server", SERVER),
        h("x-ms-request-id", request_id),
        h("Date", time::rfc1123(world.now)),
    ]
}

/// `{"error":…,"error_description":…}`, compact: IMDS errors (and the Arc agent's).
pub(crate) fn error_body(code: &str, description: &str) -> String {
    Json::compact()
        .obj()
        .key("error")
        .str(code)
        .key("error_description")
        .str(description)
        .end()
        .done()
}

/// `ext_expires_in` as IMDS sends it: `"86399"` in every public capture 2021–2025, fresh token
/// or cached — it does not count down and differs from a fresh `expires_in` (`"86400"`)
/// (managed-identity.md §1, seen in ≥ 8 captures).
pub const EXT_EXPIRES_IN: &str = "86399";

/// The IMDS success body: compact, keys alphabetical, every value a string.
pub fn success_body(
    access_token: &str,
    client_id: &str,
    expires_in: u64,
    exp: u64,
    nbf: u64,
    resource: &str,
) -> String {
    let (ein, exp, nbf) = (expires_in.to_string(), exp.to_string(), nbf.to_string());
    let mut j = Json::compact();
    j.obj().key("access_token").str(access_token);
    j.key("client_id")
        .str(client_id)
        .key("expires_in")
        .str(&ein);
    j.key("expires_on")
        .str(&exp)
        .key("ext_expires_in")
        .str(EXT_EXPIRES_IN);
    j.key("not_before").str(&nbf).key("resource").str(resource);
    j.key("token_type").str("Bearer").end().done()
}

/// The selector parameters IMDS reads, the observed `mi_res_id` included.
const SELECTORS: &[&str] = &["client_id", "object_id", "msi_res_id", "mi_res_id"];

/// Reads selectors: `client_id`, `object_id`, `msi_res_id` and the observed `mi_res_id`.
pub(crate) fn imds_selectors(req: &HttpRequest) -> Selectors {
    let q = |n: &str| req.url.query_value(n).map(str::to_string);
    Selectors {
        client_id: q("client_id"),
        object_id: q("object_id"),
        resource_id: q("msi_res_id").or_else(|| q("mi_res_id")),
    }
}

/// Handles a request that reached IMDS from `host` (a VM or scale set).
pub fn handle(
    world: &World,
    state: &mut EndpointState,
    host: &Compute,
    req: &HttpRequest,
) -> Exchange {
    let rid = state.next_guid(world);
    let mut notes: Vec<Note> = Vec::new();
    let respond = |status: u16, body: String, notes: Vec<Note>, why: Why| {
        Exchange::response(
            HttpResponse::with_body(status, headers(world, &rid), body, false),
            notes,
        )
        .because(why)
    };

    if state.over_rate_limit(world.now) {
        notes.push(note(Documented, "IMDS allows 20 requests per second (5 concurrent) for the identity category; the excess gets 429. Retry with exponential back-off."));
        notes.push(note(
            Guess,
            "The 429 body is undocumented; the simulator sends a short JSON error.",
        ));
        return respond(
            429,
            error_body("too_many_requests", "Too many requests"),
            notes,
            Why::Retry("throttled: over 20 requests per second; retry with back-off"),
        );
    }
    if state.faults.updating {
        notes.push(note(
            Documented,
            "IMDS is being updated: 410 Gone means it will be back within 70 seconds; retry.",
        ));
        notes.push(note(Guess, "The 410 body is undocumented."));
        return respond(
            410,
            String::new(),
            notes,
            Why::Retry("IMDS is being updated; retry, it is back within 70 s"),
        );
    }
    let path = req.url.path.trim_end_matches('/');
    if !path.eq_ignore_ascii_case(PATH) {
        notes.push(note(Guess, format!("IMDS serves managed-identity tokens at {PATH}; '{}' is not that path. The 404 body is a guess.", req.url.path)));
        return respond(
            404,
            error_body("not_found", "The requested path was not found"),
            notes,
            Why::Said("not the identity endpoint's path"),
        );
    }
    if req.url.path.ends_with('/') {
        notes.push(note(
            Sdk,
            "msal-node requests the path with a trailing slash; IMDS accepts it.",
        ));
    }
    if req.method != "GET" {
        notes.push(note(
            Documented,
            format!(
                "Only GET is allowed on the identity endpoint; {} gets 405.",
                req.method
            ),
        ));
        notes.push(note(
            Guess,
            "The 405 body is undocumented; the simulator sends none.",
        ));
        return respond(405, String::new(), notes, Why::Said("only GET is allowed"));
    }
    if req.header("X-Forwarded-For").is_some() {
        notes.push(note(
            Documented,
            "IMDS rejects requests carrying an X-Forwarded-For header (they look proxied).",
        ));
        notes.push(note(Guess, "The exact body is a guess."));
        return respond(
            400,
            error_body("invalid_request", "Request contains X-Forwarded-For header"),
            notes,
            Why::Said("an X-Forwarded-For header: IMDS refuses proxied requests"),
        );
    }
    let metadata_ok = req
        .header("Metadata")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if !metadata_ok {
        notes.push(note(Documented, "The 'Metadata: true' header is required (it proves the request is not a forwarded SSRF)."));
        notes.push(note(Guess, "Uncertain body: the docs give bad_request_102 (shown); SDK test mocks use invalid_request. Both are 88 bytes, like a real 88-byte capture."));
        return respond(
            400,
            METADATA_MISSING_BODY.to_string(),
            notes,
            Why::Said("the Metadata: true header is missing"),
        );
    }
    let bad_version = |error: &str| {
        Json::compact()
            .obj()
            .key("error")
            .str(error)
            .key("newest-versions")
            .raw(r#"["2023-07-01","2021-12-13","2021-11-15"]"#)
            .end()
            .done()
    };
    match req.url.query_value("api-version") {
        None => {
            notes.push(note(Guess, "Missing api-version: this body is documented for /metadata/instance; assumed the same here."));
            let body = bad_version("Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds");
            return respond(400, body, notes, Why::Said("api-version is missing"));
        }
        Some(v) if !API_VERSIONS.contains(&v) => {
            notes.push(note(Guess, format!("api-version '{v}' is not one IMDS knows; every SDK sends 2018-02-01. The body is a guess modelled on the documented one.")));
            let body = bad_version("Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds");
            return respond(
                400,
                body,
                notes,
                Why::Said("IMDS does not know this api-version"),
            );
        }
        Some(_) => {}
    }
    let mut seen: Vec<&str> = Vec::new();
    for (n, _) in &req.url.query {
        if seen.contains(&n.as_str()) {
            notes.push(note(
                Documented,
                format!("Duplicate query parameter '{n}': IMDS rejects duplicate names."),
            ));
            notes.push(note(Guess, "The exact body is a guess."));
            return respond(
                400,
                error_body(
                    "invalid_request",
                    &format!("Duplicate query parameter '{n}'"),
                ),
                notes,
                Why::Said("a query parameter is named twice"),
            );
        }
        seen.push(n);
    }
    let Some(resource) = req.url.query_value("resource").filter(|r| !r.is_empty()) else {
        notes.push(note(Guess, "No 'resource' parameter: IMDS needs the audience (e.g. https://management.azure.com/). Body from public reports, not in the reference."));
        return respond(
            400,
            error_body(
                "invalid_request",
                "Required audience parameter not specified",
            ),
            notes,
            Why::Said("the resource parameter is missing"),
        );
    };

    let selectors = imds_selectors(req);
    let by = sent_selector(req, SELECTORS);
    let identities = world.identities_of(host);
    let identity = match select(&identities, &selectors, false) {
        Selection::Identity { identity, quirk } => {
            if let Some(q) = quirk {
                notes.push(note(Guess, q));
            }
            *identity
        }
        Selection::NotFound => {
            let why = if identities.is_empty() {
                format!("{} has no managed identity at all: enable the system-assigned one or assign a user-assigned one.", host.name)
            } else if selectors.count() > 0 {
                "The selector names no identity assigned to this VM (check the client id / object id / ARM id; a deleted or unassigned identity is not found).".to_string()
            } else {
                "No identity to pick.".to_string()
            };
            notes.push(note(Seen, format!("400 Identity not found. {why}")));
            return respond(
                400,
                error_body("invalid_request", "Identity not found"),
                notes,
                Why::NotFound(by),
            );
        }
        Selection::Ambiguous => {
            notes.push(note(Seen, "No system-assigned identity and several user-assigned ones: IMDS cannot guess. Add client_id, object_id or msi_res_id."));
            return respond(400, error_body("invalid_request", "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"), notes, Why::Ambiguous);
        }
    };
    let which = match &identity.user_assigned_name {
        Some(n) => format!("user-assigned identity {n}"),
        None => format!("the system-assigned identity of {}", host.name),
    };
    notes.push(note(
        Documented,
        format!(
            "Identity selected: {which} (client id {}, object id {}).",
            identity.sp.client_id, identity.sp.principal_id
        ),
    ));

    if !resource_known(resource) {
        let trace = state.next_guid(world);
        let corr = state.next_guid(world);
        let desc = aadsts500011(world, resource, &trace, &corr);
        let mut j = Json::compact();
        j.obj().key("error").str("invalid_resource");
        j.key("error_description").str(&desc);
        j.key("error_codes").raw("[500011]");
        j.key("timestamp").str(&time::entra_timestamp(world.now));
        j.key("trace_id")
            .str(&trace)
            .key("correlation_id")
            .str(&corr);
        j.key("error_uri")
            .str("https://login.microsoftonline.com/error?code=500011")
            .end();
        let hint = if resource.ends_with("/.default") {
            " It ends with '/.default': that is a scope (v2); the IMDS 'resource' parameter takes the resource URI without it."
        } else {
            ""
        };
        notes.push(note(
            Seen,
            format!("Entra does not know a resource named '{resource}' (AADSTS500011).{hint}"),
        ));
        notes.push(note(Guess, "Real replies are ~790 bytes, so they probably carry error_codes, timestamp, trace_id, correlation_id and error_uri as well; the simulator adds them."));
        return respond(
            400,
            j.done(),
            notes,
            Why::Said("Entra knows no such resource (AADSTS500011)"),
        );
    }
    if state.faults.server_error {
        notes.push(note(
            Documented,
            "The identity subsystem failed to get a token from Entra: 500. Retry with back-off.",
        ));
        return respond(500, error_body("unknown", "Failed to retrieve token from the Active directory. For details please check the logs in /var/log/waagent.log"), notes, Why::Retry("the identity subsystem failed to get a token; retry with back-off"));
    }

    let bypass = req
        .url
        .query_value("bypass_cache")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let (token, cached) = state.token(world, host, &identity, resource, bypass);
    let expires_in = token.exp.saturating_sub(world.now);
    if cached {
        notes.push(note(Documented, format!("IMDS served its cached token (cached ~24 h per identity and resource): same token, expires_in now {expires_in}. Add bypass_cache=true to force a new one.")));
    } else if bypass {
        notes.push(note(
            Documented,
            "bypass_cache=true: a new token was minted.",
        ));
    } else {
        notes.push(note(Seen, "A new token: iat/nbf backdated 5 minutes, exp = iat + 86700, so expires_in = exp − now = 86400."));
    }
    // The simulator copies `resource` into `aud` as sent, as in the published v1 captures;
    // Entra documents only that a v1 aud is the requested app ID URI (any of its forms) or
    // client id and that a v2 aud is always the client id (access-token-claims-reference.md).
    notes.push(note(
        Seen,
        "The token's aud is the resource as requested here, trailing slash kept or not — as in published v1 tokens. Documented: a v1 aud may be any app ID URI form of the API or its client id; a v2 token's aud is always the API's client id. Compare aud case- and slash-insensitively, or by client id.",
    ));
    let body = success_body(
        &token.jwt,
        &identity.sp.client_id,
        expires_in,
        token.exp,
        token.nbf,
        resource,
    );
    let mut ex = respond(200, body, notes, Why::Chosen(by));
    ex.identity = Some(identity);
    ex.token = Some(token);
    ex.from_cache = cached;
    ex
}
