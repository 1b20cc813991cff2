//! Azure Machine Learning compute's token endpoint (`MSI_ENDPOINT` + `MSI_SECRET`, the
//! App Service 2017-09-01 protocol).
//!
//! Microsoft documents no protocol for it (msal's comment: "Could not find protocol docs");
//! what the clients send and read is \[sdk\]: msal 1.39 `_obtain_token_on_machine_learning`,
//! azure-identity 1.27 `azure_ml.py` ("Azure ML … returns expires_on as an integer"),
//! msal-node `MachineLearning`, MSAL.NET `MachineLearningManagedIdentitySource.cs`.

use crate::cloud::time;
use crate::jsonw::Json;

use super::super::http::{h, HttpRequest, HttpResponse};
use super::super::mint::LIFETIME;
use super::super::state::{note, Certainty::*, Note};
use super::{resource_known, Answer, Chosen, Context};

pub const API_VERSION: &str = "2017-09-01";

/// Errors in App Service's shape `{"statusCode","message","correlationId"}`: the endpoint
/// speaks App Service's 2017 protocol, so its error shape is assumed too \[guess\].
pub fn error_body(status: u16, message: &str, correlation: &str) -> String {
    super::super::appservice::error_body(status, message, correlation)
}

fn response(ctx: &Context, status: u16, body: String) -> HttpResponse {
    HttpResponse::with_body(
        status,
        vec![
            h("Content-Type", "application/json; charset=utf-8"),
            h("Date", time::rfc1123(ctx.now)),
        ],
        body,
        false,
    )
}

const GUESS_ERROR: &str = "Azure ML's error statuses and texts are not published: this status, message and body shape (App Service's) are guesses.";

/// Answers a request that reached `MSI_ENDPOINT`.
pub fn answer(req: &HttpRequest, ctx: &Context) -> Answer {
    let correlation = ctx.guid(0);
    let mut notes: Vec<Note> = Vec::new();
    let fail = |status: u16, message: &str, mut notes: Vec<Note>| {
        notes.push(note(Guess, GUESS_ERROR));
        Answer::new(
            response(ctx, status, error_body(status, message, &correlation)),
            notes,
        )
    };
    if req.method != "GET" {
        notes.push(note(
            Sdk,
            format!("Every client asks with GET; {} is refused.", req.method),
        ));
        return fail(405, "Method not allowed.", notes);
    }
    if req.url.query_value("api-version") != Some(API_VERSION) {
        notes.push(note(Sdk, "Every client sends api-version=2017-09-01."));
        return fail(400, "The api-version is missing or not supported.", notes);
    }
    match req.header("secret") {
        None => {
            notes.push(note(
                Sdk,
                "The 'secret' header (MSI_SECRET) is required; clients always send it.",
            ));
            return fail(400, "The secret header is missing.", notes);
        }
        Some(s) if s != ctx.secret => {
            notes.push(note(Sdk, "The 'secret' value must equal MSI_SECRET."));
            notes.push(note(Tested, "Replayed: azure-identity 1.27 raises CredentialUnavailableError \"Azure ML managed identity configuration not found in environment. Token request error: (invalid_scope) {'statusCode': 401, …}\" (msal turns any body without a token into invalid_scope, printing it as a Python dict); @azure/identity 4.13 raises CredentialUnavailableError \"… Message undefined: … Description: The secret header value is invalid. - Correlation ID: <id> …\". Neither retries."));
            return fail(401, "The secret header value is invalid.", notes);
        }
        Some(_) => {}
    }
    let Some(resource) = req.url.query_value("resource").filter(|r| !r.is_empty()) else {
        notes.push(note(Sdk, "The 'resource' parameter is required."));
        return fail(400, "The resource parameter is missing.", notes);
    };
    // `clientid` (no underscore) is the 2017 protocol's only selector [sdk]; MSAL.NET and
    // msal-node send DEFAULT_IDENTITY_CLIENT_ID there for the system-assigned identity.
    let identity = match req.url.query_value("clientid").filter(|v| !v.is_empty()) {
        Some(id) => match ctx.by_client_id(id) {
            Some(c) => c,
            None => {
                notes.push(note(
                    Sdk,
                    format!("clientid={id} names no identity of this compute."),
                ));
                return fail(
                    400,
                    "No Managed Identity found for specified ClientId.",
                    notes,
                );
            }
        },
        None => match &ctx.system_assigned {
            Some(s) => {
                notes.push(note(Sdk, "No clientid: the compute's system-assigned identity (msal Python sends none for it; MSAL.NET and msal-node send DEFAULT_IDENTITY_CLIENT_ID)."));
                Chosen::System(s)
            }
            None => {
                notes.push(note(
                    Sdk,
                    "No clientid and no system-assigned identity on this compute.",
                ));
                return fail(400, "Unable to load the proper Managed Identity.", notes);
            }
        },
    };
    if !resource_known(resource) {
        notes.push(note(
            Guess,
            format!("Entra knows no resource '{resource}'; reported as App Service does (500)."),
        ));
        return fail(
            500,
            "An unexpected error occured while fetching the AAD Token.",
            notes,
        );
    }
    let token = ctx.mint_for(identity, resource, LIFETIME);
    let mut j = Json::compact();
    j.obj().key("access_token").str(&token.jwt);
    j.key("expires_on").num(token.exp);
    j.key("resource").str(resource);
    j.key("token_type").str("Bearer");
    let body = j.end().done();
    notes.push(note(Sdk, format!("Token for {}. expires_on is an integer (azure-identity: \"Azure ML … returns expires_on as an integer\"); msal reads access_token, expires_on, resource, token_type.", identity.describe())));
    notes.push(note(
        Guess,
        "Key order (the 2017 App Service order) and the absence of client_id are guesses.",
    ));
    notes.push(note(Tested, "Replayed: azure-identity 1.27 (msal 1.39) and @azure/identity 4.13 return this token with this expiry."));
    let mut a = Answer::new(response(ctx, 200, body), notes);
    a.client_id = Some(identity.client_id().to_string());
    a.token = Some(token);
    a
}
