//! AKS workload identity: the service-account token Kubernetes projects into the pod
//! (`AZURE_FEDERATED_TOKEN_FILE`), and Entra's answer when the SDK exchanges it
//! (`POST {authority}/{tenant}/oauth2/v2.0/token`, client credentials with a JWT assertion).
//!
//! Error texts are real replies: AADSTS70021 from external-secrets/external-secrets#2783 (2023:
//! 401, `invalid_client`; Azure/azure-workload-identity#616 shows the 2022 form, 400
//! `invalid_request`, same description), AADSTS700024 from AzureAD/microsoft-authentication-library-for-java#984
//! (2025) and obikuro/Sato#1 (`invalid_client`), AADSTS700016 from
//! hashicorp/terraform-provider-azurerm#20623 (`unauthorized_client`, 400), AADSTS7000216 from
//! stephaneey/azure-apim-extension#138 (`invalid_client`, 401) \[seen\].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use crate::cloud::time;
use crate::jsonw::Json;

use super::super::http::{parse_query, percent_encode, HttpRequest};
use super::super::mint::{mint_parts, MintParts, BACKDATE};
use super::super::rsa;
use super::super::state::{note, Certainty::*, Note};
use super::entra::{self, EntraError, Tail};
use super::federated::{subject_of, Mismatch, TOKEN_EXCHANGE_AUDIENCE};
use super::{resource_known, Answer, Context, UserIdentity};

/// Default lifetime of the projected token (the webhook's default; 3600–86400 allowed) \[doc\].
pub const DEFAULT_TOKEN_LIFETIME: u64 = 3600;
/// `expires_in` of a managed identity's token from the exchange ("around 24 hours", Azure
/// DevOps' workload-identity troubleshooting page) \[doc for the lifetime, guess for 86399\].
pub const EXCHANGED_EXPIRES_IN: u64 = 86_399;
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The projected service-account token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectedToken {
    /// Compact JWT, as in the token file (no trailing newline).
    pub jwt: String,
    pub header_json: String,
    pub payload_json: String,
    pub iat: u64,
    pub exp: u64,
}

/// The token Kubernetes projects for `ctx.cluster`'s service account at `ctx.now`: `aud`,
/// `exp`, `iat`, `iss`, `kubernetes.io`, `nbf`, `sub` in alphabetical order (Go marshals the
/// claims map sorted) \[doc: claims; seen: order\]. Newer clusters add `jti` and the node in
/// `kubernetes.io`, left out here \[guess\]. Signed with the playground's DEMO key.
pub fn projected_token(ctx: &Context) -> ProjectedToken {
    let c = &ctx.cluster;
    let iat = ctx.now;
    let exp = iat.saturating_add(c.token_lifetime);
    let mut j = Json::compact();
    j.obj()
        .key("aud")
        .arr()
        .el()
        .str(TOKEN_EXCHANGE_AUDIENCE)
        .end();
    j.key("exp")
        .num(exp)
        .key("iat")
        .num(iat)
        .key("iss")
        .str(&c.issuer);
    j.key("kubernetes.io").obj();
    j.key("namespace").str(&c.namespace);
    j.key("pod")
        .obj()
        .key("name")
        .str(&c.pod_name)
        .key("uid")
        .str(&c.pod_uid)
        .end();
    j.key("serviceaccount").obj();
    j.key("name")
        .str(&c.service_account)
        .key("uid")
        .str(&c.service_account_uid);
    j.end().end();
    j.key("nbf").num(iat);
    j.key("sub")
        .str(&subject_of(&c.namespace, &c.service_account));
    let payload_json = j.end().done();
    let header_json = format!("{{\"alg\":\"RS256\",\"kid\":\"{}\"}}", rsa::KID);
    ProjectedToken {
        jwt: rsa::sign_jwt(&header_json, &payload_json),
        header_json,
        payload_json,
        iat,
        exp,
    }
}

/// `body` with detect's placeholder assertion (`<contents of …>`) replaced by the projected
/// token; any other body is returned unchanged.
pub fn fill_assertion(body: &str, ctx: &Context) -> String {
    body.split('&')
        .map(|kv| match kv.split_once('=') {
            Some(("client_assertion", v)) if v.starts_with("<contents of") => {
                format!(
                    "client_assertion={}",
                    percent_encode(&projected_token(ctx).jwt)
                )
            }
            _ => kv.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// What the exchange reads from an assertion.
struct Assertion {
    issuer: String,
    subject: String,
    audiences: Vec<String>,
    nbf: Option<u64>,
    exp: Option<u64>,
}

/// The assertion's payload claims, without checking its signature (see the note in
/// [`exchange`]). `None` when it is not a JWT with a JSON object payload.
fn read_assertion(jwt: &str) -> Option<Assertion> {
    let payload = jwt.trim().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    // from_str, as the rest of the crate: a from_slice deserialiser would be a second copy.
    let Value::Object(claims) =
        serde_json::from_str::<Value>(std::str::from_utf8(&bytes).ok()?).ok()?
    else {
        return None;
    };
    let s = |n: &str| {
        claims
            .get(n)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let audiences = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Some(Assertion {
        issuer: s("iss"),
        subject: s("sub"),
        audiences,
        nbf: claims.get("nbf").and_then(Value::as_u64),
        exp: claims.get("exp").and_then(Value::as_u64),
    })
}

/// `2025-08-29T05:47:32.0000000Z`, as AADSTS700024 prints times (7 fraction digits).
fn entra_instant(unix: u64) -> String {
    let iso = time::iso(unix);
    format!("{}.0000000Z", iso.trim_end_matches('Z'))
}

/// Entra's answer to a token request (client credentials with a federated assertion).
pub fn exchange(req: &HttpRequest, ctx: &Context) -> Answer {
    let trace = ctx.guid(0);
    let correlation = ctx.guid(1);
    let mut notes: Vec<Note> = Vec::new();
    let fail = |e: EntraError<'_>, mut notes: Vec<Note>| {
        if matches!(e.code, 70021 | 700024 | 700016) {
            notes.push(note(Tested, format!("Replayed: azure-identity 1.27 raises ClientAuthenticationError \"Microsoft Entra ID error '({}) AADSTS{}: …'\"; @azure/identity 4.13 raises AuthenticationRequiredError \"{}: Error(s): {} - Timestamp: … - Description: AADSTS{}: …\". Neither retries.", e.error, e.code, e.error, e.code, e.code)));
        }
        Answer::new(e.response(ctx.now, &trace, &correlation), notes)
    };

    if req.method != "POST" {
        notes.push(note(Guess, "The token endpoint takes POST only; AADSTS900561's text is quoted from memory, not a capture."));
        return fail(
            EntraError {
                status: 400,
                error: "invalid_request",
                code: 900561,
                head: format!("AADSTS900561: The endpoint only accepts POST, OPTIONS requests. Received a {} request.", req.method),
                tail: Tail::CrLf,
            },
            notes,
        );
    }
    let tenant = req
        .url
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    notes.push(note(Documented, format!("Entra's token endpoint for tenant '{tenant}' (the authority host is not checked by the simulator).")));
    let form = parse_query(&req.body, 1, 1).unwrap_or_default();
    let field = |n: &str| {
        form.iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };

    let client_id = field("client_id").unwrap_or("");
    let assertion_text = match (field("client_assertion"), field("client_assertion_type")) {
        (Some(a), Some(JWT_BEARER)) => a,
        _ => {
            notes.push(note(Seen, "No client_assertion (or not of type jwt-bearer): AADSTS7000216, invalid_client, 401 (stephaneey/azure-apim-extension#138, 2025)."));
            return fail(
                EntraError {
                    status: 401,
                    error: "invalid_client",
                    code: 7000216,
                    head: "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.".to_string(),
                    tail: Tail::Spaces,
                },
                notes,
            );
        }
    };
    let identity: Option<&UserIdentity> = if tenant.eq_ignore_ascii_case(&ctx.tenant_id) {
        ctx.user_assigned
            .iter()
            .find(|u| u.client_id.eq_ignore_ascii_case(client_id))
    } else {
        None
    };
    let Some(identity) = identity else {
        notes.push(note(Seen, "AADSTS700016, unauthorized_client, 400 (hashicorp/terraform-provider-azurerm#20623): no application (here: user-assigned identity) with this client id in the tenant — a wrong AZURE_CLIENT_ID, an identity in another tenant, or an object id sent as client id."));
        return fail(
            EntraError {
                status: 400,
                error: "unauthorized_client",
                code: 700016,
                head: format!("AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", if tenant.eq_ignore_ascii_case(&ctx.tenant_id) { ctx.tenant_name.as_str() } else { tenant }),
                tail: Tail::CrLf,
            },
            notes,
        );
    };
    let Some(assertion) = read_assertion(assertion_text) else {
        notes.push(note(
            Guess,
            "The client_assertion is not a JWT: AADSTS50027's wording is a guess.",
        ));
        return fail(
            EntraError {
                status: 400,
                error: "invalid_request",
                code: 50027,
                head: "AADSTS50027: JWT token is invalid or malformed.".to_string(),
                tail: Tail::CrLf,
            },
            notes,
        );
    };
    notes.push(note(Guess, "The simulator does not verify the assertion's signature; Entra fetches the issuer's OpenID configuration and keys and does."));
    if let Some(exp) = assertion.exp.filter(|e| *e <= ctx.now) {
        notes.push(note(Seen, "The projected token expired: AADSTS700024, invalid_client (AzureAD/microsoft-authentication-library-for-java#984, obikuro/Sato#1). Kubernetes refreshes the file; clients re-read it (azure-identity after 10 minutes). Status 401 as for Entra's other invalid_client replies [guess]."));
        let from = assertion.nbf.unwrap_or(0);
        return fail(
            EntraError {
                status: 401,
                error: "invalid_client",
                code: 700024,
                head: format!(
                    "AADSTS700024: Client assertion is not within its valid time range. Current time: {}, assertion valid from {}, expiry time of assertion {}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
                    entra_instant(ctx.now),
                    entra_instant(from),
                    entra_instant(exp)
                ),
                tail: Tail::Spaces,
            },
            notes,
        );
    }
    let matched = identity
        .federated_credentials
        .iter()
        .find(|f| f.matches(&assertion.issuer, &assertion.subject, &assertion.audiences));
    let Some(credential) = matched else {
        for f in &identity.federated_credentials {
            let why = match f.check(&assertion.issuer, &assertion.subject, &assertion.audiences) {
                Err(Mismatch::Issuer) => format!("issuer '{}' ≠ '{}'", f.issuer, assertion.issuer),
                Err(Mismatch::Subject) => {
                    format!("subject '{}' ≠ '{}'", f.subject, assertion.subject)
                }
                Err(Mismatch::Audience) => format!(
                    "none of its audiences {:?} is in the token's {:?}",
                    f.audiences, assertion.audiences
                ),
                Ok(()) => continue,
            };
            notes.push(note(Documented, format!("Credential '{}' does not match: {why} (issuer and subject must be equal exactly, case included).", f.name)));
        }
        if identity.federated_credentials.is_empty() {
            notes.push(note(
                Documented,
                format!("{} has no federated identity credential.", identity.name),
            ));
        }
        notes.push(note(Seen, "AADSTS70021, invalid_client, 401, naming the assertion's issuer, subject and audience (external-secrets/external-secrets#2783, 2023; in 2022 the same text came as 400 invalid_request, Azure/azure-workload-identity#616). Newer replies may say AADSTS700213 for a subject mismatch (Azure/azure-workload-identity#1200)."));
        return fail(
            EntraError {
                status: 401,
                error: "invalid_client",
                code: 70021,
                head: format!(
                    "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{}'. Assertion Subject: '{}'. Assertion Audience: '{}'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation",
                    assertion.issuer,
                    assertion.subject,
                    assertion.audiences.join(",")
                ),
                tail: Tail::CrLf,
            },
            notes,
        );
    };
    notes.push(note(
        Documented,
        format!(
            "Federated credential '{}' of {} matches (issuer, subject, audience).",
            credential.name, identity.name
        ),
    ));
    let scope = field("scope").unwrap_or("");
    let resource = scope.strip_suffix("/.default").unwrap_or(scope);
    if !resource_known(resource) {
        notes.push(note(
            Seen,
            format!("Entra knows no resource '{resource}': AADSTS500011, invalid_resource, 400."),
        ));
        return fail(
            EntraError {
                status: 400,
                error: "invalid_resource",
                code: 500011,
                head: entra::aadsts500011_head(resource, &ctx.tenant_name),
                tail: Tail::CrLf,
            },
            notes,
        );
    }
    let token = mint_parts(&MintParts {
        seed: ctx.seed,
        n: ctx.request_index,
        now: ctx.now,
        tenant_id: &ctx.tenant_id,
        tenant_created: ctx.tenant_created,
        client_id: &identity.client_id,
        principal_id: &identity.principal_id,
        mirid: &identity.resource_id,
        az_rid: None,
        resource,
        lifetime: BACKDATE + EXCHANGED_EXPIRES_IN,
    });
    let body = entra::token_body(EXCHANGED_EXPIRES_IN, &token.jwt);
    notes.push(note(Documented, format!("Token for user-assigned {} (appid {}, oid {}); a v1 token as the resource ({resource}) asks for, xms_mirid the identity, no xms_az_rid (no Azure host asked).", identity.name, identity.client_id, identity.principal_id)));
    notes.push(note(Guess, "expires_in 86399 (managed identities' ~24 h) and the claims beyond appid/oid/tid/aud are modelled on IMDS tokens, not on a captured exchange."));
    notes.push(note(Tested, "Replayed: azure-identity 1.27 (msal 1.39, AZURE_AUTHORITY_HOST=https://127.0.0.1:<port>) and @azure/identity 4.13 (after msal-node's OpenID discovery) return this token, expiring expires_in seconds after receipt."));
    let mut a = Answer::new(
        super::super::http::HttpResponse::with_body(
            200,
            entra::headers(ctx.now, &trace),
            body,
            false,
        ),
        notes,
    );
    a.client_id = Some(identity.client_id.clone());
    a.token = Some(token);
    a
}
