//! Service Fabric's Managed Identity Token Service (`IDENTITY_ENDPOINT`, e.g.
//! `https://localhost:2377/metadata/identity/oauth2/token`).
//!
//! Source: azure-docs `articles/service-fabric/how-to-managed-identity-service-fabric-app-code.md`
//! ("Acquiring an access token using REST API", "Error handling") \[doc\]; the
//! `InvalidApiVersion` reply quoted in Azure/AppConfiguration#144 \[seen\]; msal 1.39
//! `managed_identity.py` `_obtain_token_on_service_fabric` and MSAL.NET
//! `ServiceFabricManagedIdentitySource.cs` \[sdk\].

use crate::cloud::time;
use crate::jsonw::Json;

use super::super::http::{h, HttpRequest, HttpResponse};
use super::super::mint::LIFETIME;
use super::super::state::{note, Certainty::*, Note};
use super::{resource_known, Answer, Chosen, Context};

/// The version the docs, msal, msal-node and azure-identity send.
pub const API_VERSION: &str = "2019-07-01-preview";
/// The version newer runtimes put in `IDENTITY_API_VERSION` (MSAL.NET sends it) \[sdk\].
pub const API_VERSION_2020: &str = "2020-05-01";

/// What the real clients did with the 404 (core/conformance/sources.sh).
const REPLAYED_404: &str = "Replayed: azure-identity 1.27 raises CredentialUnavailableError (\"Service Fabric managed identity configuration not found in environment. Token request error: (invalid_client) <body>\"), so DefaultAzureCredential moves on; @azure/identity 4.13 retries the 404 five times, then raises CredentialUnavailableError \"… ManagedIdentityNotFound: … Description: Managed identity not found for the specified application host. - Correlation ID: Not Available …\" (msal-node looks for correlationId only at the top level).";

const REF_DOC: &str =
    "azure-docs service-fabric/how-to-managed-identity-service-fabric-app-code.md";

/// `{"error":{"correlationId","code","message"}}`, compact, in the docs' sample order \[doc\].
pub fn error_body(correlation: &str, code: &str, message: &str) -> String {
    let mut j = Json::compact();
    j.obj().key("error").obj();
    j.key("correlationId").str(correlation);
    j.key("code").str(code);
    j.key("message").str(message);
    j.end().end().done()
}

/// The docs' sample shows only `Content-Type: application/json`; `Date` and an exact
/// `Content-Length` as any HTTP server sends \[guess beyond the docs\].
fn response(ctx: &Context, status: u16, body: String) -> HttpResponse {
    HttpResponse::with_body(
        status,
        vec![
            h("Content-Type", "application/json"),
            h("Date", time::rfc1123(ctx.now)),
        ],
        body,
        false,
    )
}

fn from(text: impl Into<String>) -> String {
    format!("{} ({REF_DOC})", text.into())
}

/// Answers a request that reached the token service.
pub fn answer(req: &HttpRequest, ctx: &Context) -> Answer {
    let correlation = ctx.guid(0);
    let mut notes: Vec<Note> = Vec::new();
    let fail = |status: u16, code: &str, message: &str, mut notes: Vec<Note>| {
        if code == "ManagedIdentityNotFound" {
            notes.push(note(Tested, REPLAYED_404));
        }
        Answer::new(
            response(ctx, status, error_body(&correlation, code, message)),
            notes,
        )
    };

    if req.method != "GET" {
        notes.push(note(Guess, format!("The token service is asked with GET; {} is refused. Status, code and message are guesses.", req.method)));
        return fail(
            405,
            "MethodNotAllowed",
            "The requested HTTP method is not supported.",
            notes,
        );
    }
    match req.url.query_value("api-version") {
        Some(API_VERSION) => {}
        Some(API_VERSION_2020) => notes.push(note(
            Sdk,
            "api-version 2020-05-01, as MSAL.NET sends it (the runtime's IDENTITY_API_VERSION); the docs say 2019-07-01-preview \"is still supported\".",
        )),
        other => {
            let v = other.unwrap_or("");
            notes.push(note(Seen, format!("InvalidApiVersion, 400, with this message (Azure/AppConfiguration#144 quotes it for api-version 2017-09-01: \"MSI ResponseCode: BadRequest\"). The docs list the same code and message with '{v}'.")));
            return fail(
                400,
                "InvalidApiVersion",
                &format!("The api-version '{v}' is not supported. Supported version is '{API_VERSION}'."),
                notes,
            );
        }
    }
    // The docs call the header `Secret`; msal Python sends `Secret`, the others `secret`:
    // header names are case-insensitive.
    match req.header("secret") {
        None => {
            notes.push(note(
                Documented,
                from("SecretHeaderNotFound: the Secret header (IDENTITY_HEADER) is missing."),
            ));
            notes.push(note(Guess, "Status 404 is a guess: the docs list 404 for an unknown authentication code; msal's own test answers this error with 404."));
            return fail(
                404,
                "SecretHeaderNotFound",
                "Secret is not found in the request headers.",
                notes,
            );
        }
        Some(s) if s != ctx.secret => {
            notes.push(note(Documented, from("404 ManagedIdentityNotFound: the Secret is not this service's IDENTITY_HEADER (\"the authentication code is unknown\").")));
            return fail(
                404,
                "ManagedIdentityNotFound",
                "Managed identity not found for the specified application host.",
                notes,
            );
        }
        Some(_) => {}
    }
    let Some(resource) = req.url.query_value("resource").filter(|r| !r.is_empty()) else {
        notes.push(note(
            Documented,
            from("ArgumentNullOrEmpty: no resource (audience) in the request."),
        ));
        notes.push(note(
            Guess,
            "Status 400 is a guess (the docs: \"4xx Error in request\").",
        ));
        return fail(
            400,
            "ArgumentNullOrEmpty",
            "The parameter 'resource' should not be null or empty string.",
            notes,
        );
    };
    let identity = match choose(req, ctx, &mut notes) {
        Ok(c) => c,
        Err(notes) => {
            return fail(
                404,
                "ManagedIdentityNotFound",
                "Managed identity not found for the specified application host.",
                notes,
            );
        }
    };
    if !resource_known(resource) {
        notes.push(note(Documented, from(format!("Entra knows no resource '{resource}': InternalServerError, \"Most likely cause is an incorrect value specified for the resource\".")))
        );
        notes.push(note(Guess, "Status 500 follows the docs' \"5xx Error from service\" row; exact status unconfirmed."));
        return fail(500, "InternalServerError", "An error occurred.", notes);
    }
    let token = ctx.mint_for(identity, resource, LIFETIME);
    let mut j = Json::compact();
    j.obj().key("token_type").str("Bearer");
    j.key("access_token").str(&token.jwt);
    j.key("expires_on").str(&token.exp.to_string());
    j.key("resource").str(resource);
    let body = j.end().done();
    notes.push(note(Documented, from(format!("Token for {}. Body keys in the docs' order: token_type, access_token, expires_on, resource.", identity.describe()))));
    notes.push(note(Sdk, "expires_on is a string here: the docs' sample shows a number, but msal's comment says \"Azure SDK team's test obtained a string\"; msal int()s either. Compact JSON is a guess (the docs' sample is indented)."));
    notes.push(note(Tested, "Replayed: azure-identity 1.27 (sync and asyncio) and @azure/identity 4.13 return this token with this expiry. The endpoint's certificate is the cluster's own: the sync client (msal 1.39) pins it to IDENTITY_SERVER_THUMBPRINT and sends nothing to another; the asyncio client checks no certificate at all (connection_verify=False); @azure/identity ignores the thumbprint and needs a CA that trusts it, else \"Network unreachable. Message: network_error: Network request failed\"."));
    let mut a = Answer::new(response(ctx, 200, body), notes);
    a.client_id = Some(identity.client_id().to_string());
    a.token = Some(token);
    a
}

/// The identity the service answers for. The cluster binds identities to the service in its
/// manifest; clients cannot pick at run time (MSAL.NET warns
/// `ManagedIdentityUserAssignedNotConfigurableAtRuntime`, msal Python ignores the choice,
/// azure-identity refuses it) \[sdk\]. MSAL.NET still sends `client_id` / `mi_res_id` /
/// `object_id` (or `principalId`); honouring them is a guess.
fn choose<'a>(
    req: &HttpRequest,
    ctx: &'a Context,
    notes: &mut Vec<Note>,
) -> Result<Chosen<'a>, Vec<Note>> {
    let q = |n: &str| req.url.query_value(n).filter(|v| !v.is_empty());
    let selected = if let Some(v) = q("client_id") {
        Some(("client_id", v, ctx.by_client_id(v)))
    } else if let Some(v) = q("mi_res_id") {
        Some(("mi_res_id", v, ctx.by_resource_id(v)))
    } else if let Some((n, v)) = q("principalId")
        .map(|v| ("principalId", v))
        .or_else(|| q("object_id").map(|v| ("object_id", v)))
    {
        Some((n, v, ctx.by_principal_id(v)))
    } else {
        None
    };
    match selected {
        Some((name, value, Some(c))) => {
            notes.push(note(Guess, format!("{name}={value} selects {}: whether the token service honours a selector at all is unconfirmed (identities are bound to the service in the application manifest).", c.describe())));
            Ok(c)
        }
        Some((name, value, None)) => {
            let mut n = std::mem::take(notes);
            n.push(note(Guess, format!("{name}={value} names no identity of this service: answered as ManagedIdentityNotFound (404), a guess.")));
            Err(n)
        }
        None => {
            if let Some(s) = &ctx.system_assigned {
                Ok(Chosen::System(s))
            } else if let Some(u) = ctx.user_assigned.first() {
                if ctx.user_assigned.len() > 1 {
                    notes.push(note(Guess, "Several user-assigned identities and no selector: the first is used (the manifest's binding decides in reality)."));
                }
                Ok(Chosen::User(u))
            } else {
                let mut n = std::mem::take(notes);
                n.push(note(
                    Documented,
                    from("404 ManagedIdentityNotFound: the application has no identity."),
                ));
                Err(n)
            }
        }
    }
}
