//! Cloud Shell's local token endpoint (`MSI_ENDPOINT`, `http://localhost:50342/oauth2/token`).
//!
//! Known \[sdk\]: clients POST a form `resource=…` with `Metadata: true` (azure-identity
//! `cloud_shell.py`, msal-node `CloudShell`, MSAL.NET `CloudShellManagedIdentitySource.cs`);
//! it has no identity selector — it hands out the signed-in user's token, so clients refuse
//! a user-assigned identity. msal Python's ManagedIdentityClient does not serve it (it says
//! to use `acquire_token_interactive(prompt="none")`). Its status codes, error texts and exact
//! success body are not published: they are guesses here, marked as such.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{Map, Value};

use crate::cloud::ids::{self, Stream};
use crate::cloud::time;
use crate::jsonw::Json;

use super::super::http::{h, parse_query, HttpRequest, HttpResponse};
use super::super::mint::{MintedToken, BACKDATE};
use super::super::rsa;
use super::super::state::{note, Certainty::*, Note};
use super::{resource_known, Answer, Context};

/// Azure CLI's public client id: Cloud Shell's token is the CLI's delegated token for the
/// signed-in user \[guess: which app id Cloud Shell's tokens carry is unconfirmed\].
pub const AZURE_CLI_CLIENT_ID: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
/// `expires_in` of a fresh user token (about an hour) \[guess\].
pub const USER_TOKEN_EXPIRES_IN: u64 = 3599;

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

/// `{"error","error_description"}` as IMDS words it \[guess for Cloud Shell\].
fn error_body(error: &str, description: &str) -> String {
    let mut j = Json::compact();
    j.obj().key("error").str(error);
    j.key("error_description").str(description);
    j.end().done()
}

/// Answers a request that reached `MSI_ENDPOINT` in Cloud Shell.
pub fn answer(req: &HttpRequest, ctx: &Context) -> Answer {
    let mut notes: Vec<Note> = Vec::new();
    let fail = |status: u16, error: &str, description: &str, mut notes: Vec<Note>| {
        notes.push(note(Guess, "Cloud Shell's error statuses and bodies are not published: this one is modelled on IMDS's."));
        Answer::new(response(ctx, status, error_body(error, description)), notes)
    };
    if req.method != "POST" {
        notes.push(note(Sdk, format!("azure-identity, msal-node and MSAL.NET POST a form; {} is refused here. (msal4j 1.17.2 sends a GET with ?resource=…: whether Cloud Shell accepts that is unconfirmed.)", req.method)));
        return fail(
            405,
            "invalid_request",
            "The endpoint only accepts POST requests.",
            notes,
        );
    }
    if !req
        .header("Metadata")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        notes.push(note(
            Sdk,
            "Every client sends Metadata: true; without it the endpoint refuses (as IMDS does).",
        ));
        return fail(
            400,
            "invalid_request",
            "Required metadata header not specified",
            notes,
        );
    }
    let form = parse_query(&req.body, 1, 1).unwrap_or_default();
    let field = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let Some(resource) = field("resource").filter(|r| !r.is_empty()) else {
        notes.push(note(
            Sdk,
            "The form must carry resource=… (the scope without /.default).",
        ));
        return fail(
            400,
            "invalid_request",
            "Required parameter resource not specified",
            notes,
        );
    };
    for sel in ["client_id", "object_id", "msi_res_id", "mi_res_id"] {
        if let Some(v) = field(sel) {
            notes.push(note(Guess, format!("{sel}={v} is ignored: Cloud Shell has only the signed-in user (azure-identity inside DefaultAzureCredential sends it anyway).")));
        }
    }
    if !resource_known(resource) {
        notes.push(note(
            Guess,
            format!("Entra knows no resource '{resource}': relayed as Entra's AADSTS500011."),
        ));
        let head = super::entra::aadsts500011_head(resource, &ctx.tenant_name);
        return fail(400, "invalid_resource", &head, notes);
    }
    let token = mint_user_token(ctx, resource);
    let mut j = Json::compact();
    j.obj().key("access_token").str(&token.jwt);
    j.key("refresh_token").str("");
    j.key("expires_in").str(&USER_TOKEN_EXPIRES_IN.to_string());
    j.key("expires_on").str(&token.exp.to_string());
    j.key("not_before").str(&token.nbf.to_string());
    j.key("resource").str(resource);
    j.key("token_type").str("Bearer");
    let body = j.end().done();
    notes.push(note(Sdk, format!("Cloud Shell answers with the signed-in user's token ({}), not a managed identity's: role assignments of that user apply.", ctx.user.upn)));
    notes.push(note(Guess, "Body in the v1 token-response shape (every value a string, refresh_token empty) and the token's appid (Azure CLI) are guesses; clients need only access_token and expires_in or expires_on."));
    notes.push(note(Tested, "Replayed: azure-identity 1.27 (its own ManagedIdentityClient) and @azure/identity 4.13 (msal-node) return this token, expiring at expires_on."));
    let mut a = Answer::new(response(ctx, 200, body), notes);
    a.token = Some(token);
    a
}

/// A v1 delegated token for `ctx.user` \[guess: shaped like the Azure CLI's user tokens\].
pub fn mint_user_token(ctx: &Context, resource: &str) -> MintedToken {
    let iat = ctx.now.saturating_sub(BACKDATE);
    let exp = ctx.now.saturating_add(USER_TOKEN_EXPIRES_IN);
    let opaque = ids::bytes(ctx.seed, Stream::Token, ctx.request_index, 96);
    let part = |a: usize, b: usize| opaque.get(a..b).unwrap_or(&[]).to_vec();
    let mut aio_bytes = part(0, 20);
    aio_bytes.extend_from_slice(&[0, 0]);
    let aio = STANDARD.encode(aio_bytes);
    // sub: pairwise per user and app, 43 characters of base64url.
    let sub = URL_SAFE_NO_PAD.encode(part(60, 92));
    let uti = URL_SAFE_NO_PAD.encode(part(44, 60));
    let iss = format!("https://sts.windows.net/{}/", ctx.tenant_id);
    let u = &ctx.user;
    let mut c = Json::compact();
    c.obj().key("aud").str(resource).key("iss").str(&iss);
    c.key("iat")
        .num(iat)
        .key("nbf")
        .num(iat)
        .key("exp")
        .num(exp);
    c.key("acr").str("1").key("aio").str(&aio);
    c.key("amr").arr().el().str("pwd").el().str("mfa").end();
    c.key("appid")
        .str(AZURE_CLI_CLIENT_ID)
        .key("appidacr")
        .str("0");
    c.key("idtyp").str("user").key("name").str(&u.name);
    c.key("oid")
        .str(&u.object_id)
        .key("scp")
        .str("user_impersonation");
    c.key("sub").str(&sub).key("tid").str(&ctx.tenant_id);
    c.key("unique_name").str(&u.upn).key("upn").str(&u.upn);
    c.key("uti").str(&uti).key("ver").str("1.0");
    let payload_json = c.end().done();
    let header_json = format!(
        "{{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5t\":\"{k}\",\"kid\":\"{k}\"}}",
        k = rsa::KID
    );
    let claims = match serde_json::from_str(&payload_json) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    MintedToken {
        jwt: rsa::sign_jwt(&header_json, &payload_json),
        header_json,
        payload_json,
        claims,
        iat,
        nbf: iat,
        exp,
        resource: resource.to_string(),
        client_id: AZURE_CLI_CLIENT_ID.to_string(),
        principal_id: u.object_id.clone(),
    }
}
