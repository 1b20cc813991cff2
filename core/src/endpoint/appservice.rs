//! App Service / Functions / Container Apps local token endpoint: managed-identity.md §2.
//! Protocol 2019-08-01 (`X-IDENTITY-HEADER`) and the legacy 2017-09-01 (`secret`).

use crate::jsonw::Json;

use super::http::{h, HttpRequest, HttpResponse};
use super::state::{
    note, resource_known, select, sent_selector, Certainty::*, EndpointState, Exchange, Note,
    Selection, Selectors, Why,
};
use crate::cloud::{time, Compute, ComputeKind, World};

/// `IDENTITY_ENDPOINT` on App Service and Functions.
pub const APP_SERVICE_ENDPOINT: &str = "http://localhost:4141/MSI/token";
/// `IDENTITY_ENDPOINT` on Container Apps.
pub const CONTAINER_APPS_ENDPOINT: &str = "http://localhost:42356/msi/token";

/// The endpoint URL for a host (`None` when the host is not App Service-like).
pub fn endpoint_for(kind: ComputeKind) -> Option<&'static str> {
    match kind {
        ComputeKind::AppService | ComputeKind::FunctionApp => Some(APP_SERVICE_ENDPOINT),
        ComputeKind::ContainerApp => Some(CONTAINER_APPS_ENDPOINT),
        _ => None,
    }
}

fn headers(world: &World, correlation: &str) -> Vec<(String, String)> {
    vec![
        h("Content-Type", "application/json; charset=utf-8"),
        h("Date", time::rfc1123(world.now)),
        h("Server", "Kestrel"),
        h("Transfer-Encoding", "chunked"),
        h("X-CORRELATION-ID", correlation),
    ]
}

/// No selector and no system-assigned identity (seen: azure-sdk-for-net#43691).
pub const UNABLE_TO_LOAD: &str = "Unable to load the proper Managed Identity.";
/// A selector that matches no assigned identity (seen: azure-sdk-for-net#28050).
pub const NOT_FOUND: &str =
    "No Managed Identity found for specified ClientId/ResourceId/PrincipalId.";
/// The later wording of [`NOT_FOUND`] (seen: Azure-Samples/azure-search-openai-demo#2148).
pub const NOT_FOUND_LATER: &str =
    "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId";

/// `{"statusCode":…,"message":…,"correlationId":…}`
pub fn error_body(status: u16, message: &str, correlation: &str) -> String {
    let mut j = Json::compact();
    j.obj().key("statusCode").num(status.into());
    j.key("message").str(message);
    j.key("correlationId").str(correlation).end().done()
}

/// Handles a request that reached the local endpoint of `host`.
pub fn handle(
    world: &World,
    state: &mut EndpointState,
    host: &Compute,
    req: &HttpRequest,
) -> Exchange {
    let corr = state.next_guid(world);
    let mut notes: Vec<Note> = Vec::new();
    let respond = |status: u16, body: String, notes: Vec<Note>, why: Why| {
        Exchange::response(
            HttpResponse {
                status,
                headers: headers(world, &corr),
                body,
                chunked: true,
            },
            notes,
        )
        .because(why)
    };
    let err = |status: u16, message: &str, notes: Vec<Note>, why: Why| {
        respond(status, error_body(status, message, &corr), notes, why)
    };

    if req.method != "GET" {
        notes.push(note(
            Guess,
            format!(
                "The endpoint expects GET; {} is refused (status and body are guesses).",
                req.method
            ),
        ));
        return err(
            405,
            "Method not allowed.",
            notes,
            Why::Said("only GET is allowed"),
        );
    }
    let legacy = match req.url.query_value("api-version") {
        Some("2019-08-01") => false,
        Some("2017-09-01") => {
            notes.push(note(Documented, "Legacy protocol 2017-09-01: header 'secret' (MSI_SECRET), selector 'clientid', expires_on as a date string."));
            true
        }
        other => {
            notes.push(note(Guess, format!("api-version {} is not supported here: use 2019-08-01 (or the legacy 2017-09-01). Status and text are guesses.", other.unwrap_or("(missing)"))));
            return err(
                400,
                "The api-version is missing or not supported.",
                notes,
                Why::Said("api-version is missing or not 2019-08-01"),
            );
        }
    };
    let (header_name, env_name) = if legacy {
        ("secret", "MSI_SECRET")
    } else {
        ("X-IDENTITY-HEADER", "IDENTITY_HEADER")
    };
    match req.header(header_name) {
        None => {
            if legacy && req.header("X-IDENTITY-HEADER").is_some() {
                notes.push(note(Documented, "X-IDENTITY-HEADER was sent with api-version 2017-09-01: the legacy protocol wants the 'secret' header, so this fails."));
            } else {
                notes.push(note(Documented, format!("The '{header_name}' header (value of {env_name}) is required; it proves the caller runs inside the app.")));
            }
            notes.push(note(Guess, "Status and message are guesses."));
            return err(
                400,
                &format!("The {header_name} header is missing."),
                notes,
                Why::Said(if legacy {
                    "the secret header is missing"
                } else {
                    "the X-IDENTITY-HEADER header is missing"
                }),
            );
        }
        Some(v) if v.trim() != host.identity_header => {
            notes.push(note(
                Documented,
                format!(
                    "The '{header_name}' value must equal {env_name}, which the platform rotates."
                ),
            ));
            notes.push(note(Guess, "Status and message are guesses."));
            return err(
                401,
                &format!("The {header_name} header value is invalid."),
                notes,
                Why::Said(if legacy {
                    "the secret value is not this app's MSI_SECRET"
                } else {
                    "the X-IDENTITY-HEADER value is not this app's IDENTITY_HEADER"
                }),
            );
        }
        Some(_) => {}
    }
    let Some(resource) = req.url.query_value("resource").filter(|r| !r.is_empty()) else {
        notes.push(note(
            Guess,
            "The 'resource' parameter is required; status and message are guesses.",
        ));
        return err(
            400,
            "The resource parameter is missing.",
            notes,
            Why::Said("the resource parameter is missing"),
        );
    };
    let q = |n: &str| req.url.query_value(n).map(str::to_string);
    let selectors = if legacy {
        Selectors {
            client_id: q("clientid"),
            object_id: None,
            resource_id: None,
        }
    } else {
        Selectors {
            client_id: q("client_id"),
            object_id: q("principal_id").or_else(|| q("object_id")),
            resource_id: q("mi_res_id"),
        }
    };
    let by = if legacy {
        sent_selector(req, &["clientid"])
    } else {
        sent_selector(
            req,
            &["client_id", "principal_id", "object_id", "mi_res_id"],
        )
    };
    let identities = world.identities_of(host);
    let identity = match select(&identities, &selectors, true) {
        Selection::Identity { identity, quirk } => {
            if let Some(q) = quirk {
                notes.push(note(Guess, q));
            }
            *identity
        }
        Selection::NotFound | Selection::Ambiguous if selectors.count() == 0 => {
            // Seen: azure-sdk-for-net#43691 and Azure/logicapps#1497 (no selector, only
            // user-assigned identities on the app).
            notes.push(note(
                Seen,
                "400 'Unable to load the proper Managed Identity.': no selector was given, so App Service uses the system-assigned identity — and this app has none. Name a user-assigned identity with client_id, principal_id (object_id) or mi_res_id.",
            ));
            return err(400, UNABLE_TO_LOAD, notes, Why::NoSystemIdentity);
        }
        Selection::NotFound | Selection::Ambiguous => {
            // Seen: azure-sdk-for-net#28050 (its Content-Length, 158, is exactly this body
            // with a GUID correlation id) and Azure-Samples/azure-search-openai-demo#2148 (the
            // later wording).
            notes.push(note(
                Seen,
                "400 'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.': the selector names no identity assigned to this app. The identity exists elsewhere, or the id is a different kind of id (an object id sent as client_id).",
            ));
            notes.push(note(
                Seen,
                format!("Newer platform versions word it '{NOT_FOUND_LATER}'."),
            ));
            return err(400, NOT_FOUND, notes, Why::NotFound(by));
        }
    };
    notes.push(note(
        Documented,
        format!(
            "Identity selected: {} (client id {}).",
            identity
                .user_assigned_name
                .clone()
                .map(|n| format!("user-assigned {n}"))
                .unwrap_or_else(|| format!("the system-assigned identity of {}", host.name)),
            identity.sp.client_id
        ),
    ));
    if !resource_known(resource) {
        notes.push(note(Seen, format!("Entra rejected the resource '{resource}'; App Service reports it as a 500 with this text (sic 'occured').")));
        return err(
            500,
            "An unexpected error occured while fetching the AAD Token.",
            notes,
            Why::Said("Entra knows no such resource; App Service says 500"),
        );
    }
    if state.faults.server_error {
        notes.push(note(
            Guess,
            "Injected failure: the platform token service answers 500.",
        ));
        return err(
            500,
            "An unexpected error occured while fetching the AAD Token.",
            notes,
            Why::Retry("the platform's token service failed; retry with back-off"),
        );
    }
    let (token, cached) = state.token(world, host, &identity, resource, false);
    let mut m = Json::compact();
    m.obj().key("access_token").str(&token.jwt);
    if legacy {
        m.key("expires_on").str(&time::msi_2017_linux(token.exp));
        m.key("resource").str(resource);
        m.key("token_type").str("Bearer");
        notes.push(note(
            Seen,
            "Legacy body: expires_on is a date string (Linux format MM/dd/yyyy HH:mm:ss +00:00).",
        ));
        // Replayed (core/conformance): azure-identity 1.27 sync raises ValueError, its asyncio
        // credential parses the date; @azure/identity 4.13 reads it as expired at once.
        notes.push(note(Sdk, "Current SDKs no longer speak 2017-09-01 to App Service: they route MSI_ENDPOINT + MSI_SECRET to Azure Machine Learning. The date-string expires_on makes the sync Python client raise ValueError; Python's asyncio client parses it; JavaScript treats the token as expired at once."));
    } else {
        m.key("expires_on").str(&token.exp.to_string());
        m.key("resource").str(resource);
        m.key("token_type").str("Bearer");
        m.key("client_id")
            .str(&identity.sp.client_id.to_ascii_uppercase());
        notes.push(note(Seen, "2019-08-01 body: keys in this order, expires_on a string, client_id in UPPERCASE (the token's appid is lowercase). No expires_in."));
    }
    if cached {
        notes.push(note(
            Guess,
            "Served from the platform's token cache: the same token as before.",
        ));
    }
    let mut ex = respond(200, m.end().done(), notes, Why::Chosen(by));
    ex.identity = Some(identity);
    ex.token = Some(token);
    ex.from_cache = cached;
    ex
}
