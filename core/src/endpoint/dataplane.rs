//! Target resources answering requests made with a token: Key Vault get secret, Storage get
//! blob, SQL sign-in (managed-identity.md §7). Judged from the token's claims (`aud`, `exp`,
//! `tid`, `oid`, `appid`), so a pasted or stale token behaves as in Azure. The signature is not
//! checked here (the UI's decoder does that).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::jsonw::Json;

use super::http::{h, HttpRequest, HttpResponse};
use super::state::{note, Certainty::*, EndpointState, Exchange, Note};
use crate::cloud::rbac::{check_access, GET_SECRET, READ_BLOB};
use crate::cloud::{ids, time, TargetKind, World};

type Claims = Map<String, Value>;

/// Decodes the claims of a bearer token without checking the signature. `None` if it is not a
/// JWT with a JSON object payload.
pub fn decode_claims(token: &str) -> Option<Claims> {
    let payload = token.trim().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_str::<Value>(std::str::from_utf8(&bytes).ok()?).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Routes a request to a target's data plane, taking claims from its `Authorization` header.
pub fn handle(world: &World, state: &mut EndpointState, req: &HttpRequest) -> Exchange {
    let claims = req
        .header("Authorization")
        .and_then(|v| v.trim().strip_prefix("Bearer "))
        .map(|t| decode_claims(t).unwrap_or_default());
    answer(world, state, req, claims.as_ref())
}

fn s<'a>(c: &'a Claims, k: &str) -> &'a str {
    c.get(k).and_then(Value::as_str).unwrap_or("")
}

fn aud_matches(aud: &str, expected: &str) -> bool {
    aud.trim_end_matches('/').eq_ignore_ascii_case(expected)
}

/// Answers `req` given the already-decoded claims of its bearer token (`None`: no token).
pub fn answer(
    world: &World,
    state: &mut EndpointState,
    req: &HttpRequest,
    claims: Option<&Claims>,
) -> Exchange {
    let host = req.url.host.clone();
    if let Some(vault) = host.strip_suffix(".vault.azure.net") {
        return key_vault(world, state, req, vault, claims);
    }
    if let Some(acct) = host.strip_suffix(".blob.core.windows.net") {
        return storage(world, state, req, acct, claims);
    }
    Exchange::no_connection(
        format!("curl: (6) Could not resolve host: {host}"),
        vec![note(Documented, "The simulator answers Key Vault (<vault>.vault.azure.net), Blob Storage (<account>.blob.core.windows.net) and the token endpoints.")],
    )
}

fn kv_headers(world: &World, rid: &str) -> Vec<(String, String)> {
    vec![
        h("Cache-Control", "no-cache"),
        h("Pragma", "no-cache"),
        h("Content-Type", "application/json; charset=utf-8"),
        h("Expires", "-1"),
        h("x-ms-keyvault-region", world.location.clone()),
        h("x-ms-request-id", rid),
        h("x-ms-keyvault-service-version", "1.9.2164.1"),
        h(
            "x-ms-keyvault-network-info",
            "conn_type=Ipv4;addr=20.42.64.10;act_addr_fam=InterNetwork;",
        ),
        h("X-Content-Type-Options", "nosniff"),
        h(
            "Strict-Transport-Security",
            "max-age=31536000;includeSubDomains",
        ),
        h("Date", time::rfc1123(world.now)),
    ]
}

fn kv_error(code: &str, message: &str, inner: Option<&str>) -> String {
    let mut j = Json::compact();
    j.obj().key("error").obj().key("code").str(code);
    j.key("message").str(message);
    if let Some(i) = inner {
        j.key("innererror").obj().key("code").str(i).end();
    }
    j.end().end().done()
}

/// Common token checks: `None` = token acceptable, else (message, note).
fn token_problem(world: &World, claims: &Claims, audience: &str) -> Option<(String, Note)> {
    let aud = s(claims, "aud");
    if !aud_matches(aud, audience) {
        return Some((
            format!("AKV10022: Invalid audience. Expected {audience}, found: {aud}."),
            note(Guess, format!("The token's aud is '{aud}', this service wants '{audience}': ask the endpoint for resource={audience}. (Error text from public reports; the challenge header shape is from SDK code.)")),
        ));
    }
    let tid = s(claims, "tid");
    if !tid.eq_ignore_ascii_case(&world.tenant.id) {
        return Some((
            format!("AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{}/, found https://sts.windows.net/{tid}/.", world.tenant.id),
            note(Guess, "The token was issued by another tenant than the resource's."),
        ));
    }
    let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    if exp <= world.now {
        return Some((
            "[TokenExpired] Error validating token: 'S2S12086'.".to_string(),
            note(Guess, format!("The token expired at {} (exp {exp}); the simulated clock is at {}. Tokens stay valid until exp even after the identity is deleted.", time::iso(exp), time::iso(world.now))),
        ));
    }
    None
}

fn key_vault(
    world: &World,
    state: &mut EndpointState,
    req: &HttpRequest,
    vault: &str,
    claims: Option<&Claims>,
) -> Exchange {
    let Some(kv) = world
        .target(vault)
        .filter(|t| t.kind == TargetKind::KeyVault)
    else {
        return Exchange::no_connection(
            format!("curl: (6) Could not resolve host: {vault}.vault.azure.net"),
            vec![note(
                Documented,
                format!("No Key Vault named '{vault}' exists in this world."),
            )],
        );
    };
    let rid = state.next_guid(world);
    let mut notes = Vec::new();
    let respond = |status: u16, extra: Vec<(String, String)>, body: String, notes: Vec<Note>| {
        let mut hs = kv_headers(world, &rid);
        hs.extend(extra);
        Exchange::response(HttpResponse::with_body(status, hs, body, false), notes)
    };
    let challenge = vec![h(
        "WWW-Authenticate",
        format!("Bearer authorization=\"https://login.microsoftonline.com/{}\", resource=\"https://vault.azure.net\"", world.tenant.id),
    )];
    let Some(claims) = claims else {
        notes.push(note(Documented, "No bearer token: Key Vault answers 401 with a challenge naming the tenant and the resource to ask a token for."));
        return respond(
            401,
            challenge,
            kv_error(
                "Unauthorized",
                "AKV10000: Request is missing a Bearer or PoP token.",
                None,
            ),
            notes,
        );
    };
    if let Some((msg, n)) = token_problem(world, claims, "https://vault.azure.net") {
        notes.push(n);
        return respond(401, challenge, kv_error("Unauthorized", &msg, None), notes);
    }
    let segs: Vec<&str> = req.url.path.split('/').filter(|p| !p.is_empty()).collect();
    let secret_name = match segs.as_slice() {
        ["secrets", name] | ["secrets", name, _] => name.to_string(),
        _ => {
            notes.push(note(
                Documented,
                "The simulator serves GET /secrets/<name>?api-version=7.4.",
            ));
            return respond(
                400,
                vec![],
                kv_error(
                    "BadParameter",
                    "The request URI is not supported by the simulator.",
                    None,
                ),
                notes,
            );
        }
    };
    let arm = world.target_arm_id(kv);
    let resource = format!("{}/secrets/{secret_name}", arm.to_token_string()).to_ascii_lowercase();
    let oid = s(claims, "oid");
    let decision = check_access(world, oid, &GET_SECRET, &resource);
    if !decision.allowed {
        notes.push(note(
            Seen,
            format!("403 ForbiddenByRbac. {}", decision.reason),
        ));
        notes.push(note(Documented, "Fix: assign 'Key Vault Secrets User' to the identity's object id (not its client id) at the vault (or above); allow up to ~10 minutes to propagate."));
        let msg = format!(
            "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid={};oid={oid};iss={}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '{resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: {};location={}\r\n",
            s(claims, "appid"),
            s(claims, "iss"),
            kv.name,
            world.location
        );
        return respond(
            403,
            vec![],
            kv_error("Forbidden", &msg, Some("ForbiddenByRbac")),
            notes,
        );
    }
    notes.push(note(Documented, decision.reason));
    let Some((_, value)) = kv
        .items
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(&secret_name))
    else {
        notes.push(note(
            Seen,
            "Access is granted but the secret does not exist.",
        ));
        return respond(404, vec![], kv_error("SecretNotFound", &format!("A secret with (name/id) {secret_name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"), None), notes);
    };
    let version: String = ids::bytes(world.seed, ids::Stream::Root, 1000 + kv.created, 16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut j = Json::compact();
    j.obj().key("value").str(value).key("id").str(&format!(
        "https://{}.vault.azure.net/secrets/{secret_name}/{version}",
        kv.name
    ));
    j.key("attributes").obj().key("enabled").raw("true");
    j.key("created")
        .num(kv.created)
        .key("updated")
        .num(kv.created);
    j.key("recoveryLevel").str("Recoverable+Purgeable");
    j.key("recoverableDays").num(90).end();
    j.key("tags").raw("{}").end();
    respond(200, vec![], j.done(), notes)
}

fn storage(
    world: &World,
    state: &mut EndpointState,
    req: &HttpRequest,
    acct: &str,
    claims: Option<&Claims>,
) -> Exchange {
    let Some(st) = world
        .target(acct)
        .filter(|t| t.kind == TargetKind::StorageAccount)
    else {
        return Exchange::no_connection(
            format!("curl: (6) Could not resolve host: {acct}.blob.core.windows.net"),
            vec![note(
                Documented,
                format!("No Storage account named '{acct}' exists in this world."),
            )],
        );
    };
    let rid = state.next_guid(world);
    let mut notes = Vec::new();
    let time_str = format!("{}.0000000Z", time::iso(world.now).trim_end_matches('Z'));
    let xml = |code: &str, msg: &str, detail: Option<&str>| {
        let d = detail
            .map(|d| format!("<AuthenticationErrorDetail>{d}</AuthenticationErrorDetail>"))
            .unwrap_or_default();
        format!("\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{msg}\nRequestId:{rid}\nTime:{time_str}</Message>{d}</Error>")
    };
    let respond =
        |status: u16, ct: &str, extra: Vec<(String, String)>, body: String, notes: Vec<Note>| {
            let mut hs = vec![
                h("Content-Type", ct),
                h("Server", "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0"),
                h("x-ms-request-id", rid.clone()),
                h("x-ms-version", "2023-11-03"),
            ];
            hs.extend(extra);
            hs.push(h("Date", time::rfc1123(world.now)));
            Exchange::response(HttpResponse::with_body(status, hs, body, false), notes)
        };
    let challenge = vec![h("WWW-Authenticate", format!("Bearer authorization_uri=https://login.microsoftonline.com/{}/oauth2/authorize resource_id=https://storage.azure.com", world.tenant.id))];
    let Some(claims) = claims else {
        notes.push(note(
            Guess,
            "No token (and anonymous access is off): 401 with a challenge.",
        ));
        return respond(401, "application/xml", challenge, xml("NoAuthenticationInformation", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", None), notes);
    };
    let aud = s(claims, "aud");
    let acct_aud = format!("https://{}.blob.core.windows.net", st.name);
    let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    let problem = if !aud_matches(aud, "https://storage.azure.com") && !aud_matches(aud, &acct_aud)
    {
        Some("Audience validation failed. Audience did not match.")
    } else if exp <= world.now {
        Some("Lifetime validation failed. The token is expired.")
    } else if !s(claims, "tid").eq_ignore_ascii_case(&world.tenant.id) {
        Some("Issuer validation failed. Issuer did not match.")
    } else {
        None
    };
    if let Some(detail) = problem {
        notes.push(note(Guess, format!("Storage rejects the token: {detail} (aud must be https://storage.azure.com or {acct_aud}).")));
        return respond(401, "application/xml", challenge, xml("InvalidAuthenticationInfo", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", Some(detail)), notes);
    }
    let path = req.url.path.trim_start_matches('/').to_string();
    let resource = format!(
        "{}/blobServices/default/containers/{}",
        world.target_arm_id(st).to_arm_string(),
        path.replacen('/', "/blobs/", 1)
    );
    let decision = check_access(world, s(claims, "oid"), &READ_BLOB, &resource);
    if !decision.allowed {
        notes.push(note(
            Seen,
            format!("403 AuthorizationPermissionMismatch. {}", decision.reason),
        ));
        notes.push(note(Documented, "Fix: assign 'Storage Blob Data Reader' (a data role; Reader/Contributor are not enough) to the identity's object id."));
        return respond(
            403,
            "application/xml",
            vec![],
            xml(
                "AuthorizationPermissionMismatch",
                "This request is not authorized to perform this operation using this permission.",
                None,
            ),
            notes,
        );
    }
    notes.push(note(Documented, decision.reason));
    match st.items.iter().find(|(n, _)| *n == path) {
        Some((_, content)) => respond(200, "text/plain", vec![], content.clone(), notes),
        None => respond(
            404,
            "application/xml",
            vec![],
            xml("BlobNotFound", "The specified blob does not exist.", None),
            notes,
        ),
    }
}

/// The result of signing in to an Azure SQL database with a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlSignIn {
    pub ok: bool,
    /// What the client shows, e.g. `Login failed for user '<token-identified principal>'.`
    pub message: String,
    pub notes: Vec<Note>,
}

/// Signs in to `database` with a token (TDS, not HTTP: the result is a message, not a response).
/// SQL uses contained database users, not Azure RBAC: see `Action::CreateSqlUser`.
pub fn sql_sign_in(world: &World, database: &str, claims: &Claims) -> SqlSignIn {
    let fail = |message: String, n: Note| SqlSignIn {
        ok: false,
        message,
        notes: vec![n],
    };
    let Some(db) = world
        .target(database)
        .filter(|t| t.kind == TargetKind::SqlDatabase)
    else {
        return fail(format!("A network-related or instance-specific error occurred while establishing a connection to SQL Server ('{database}' not found)."), note(Documented, "No such SQL database in this world."));
    };
    let aud = s(claims, "aud");
    if !aud_matches(aud, "https://database.windows.net") {
        return fail("Login failed for user '<token-identified principal>'. (Microsoft SQL Server, Error: 18456)".into(), note(Guess, format!("The token's aud is '{aud}'; Azure SQL wants https://database.windows.net/.")));
    }
    let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    if exp <= world.now {
        return fail("Login failed for user '<token-identified principal>'. The token is expired. (Microsoft SQL Server, Error: 18456)".into(), note(Guess, "The token has expired."));
    }
    let appid = s(claims, "appid");
    match db.sql_users.iter().find(|u| u.client_id.eq_ignore_ascii_case(appid)) {
        Some(u) => SqlSignIn {
            ok: true,
            // USER_NAME() vs SUSER_SNAME(): MicrosoftDocs/sql-docs#9584 [seen].
            message: format!("Connected to {} as [{}]. SELECT USER_NAME() returns '{}'; SUSER_SNAME() returns '{}@{}'.", db.name, u.name, u.name, appid, s(claims, "tid")),
            notes: vec![
                note(Documented, format!("A contained user [{}] FROM EXTERNAL PROVIDER is mapped to this identity's client id.", u.name)),
                note(Seen, "For a managed identity, SUSER_SNAME() and SYSTEM_USER give <client id>@<tenant id>; USER_NAME() gives the database user's name."),
            ],
        },
        None => fail(
            "Login failed for user '<token-identified principal>'. (Microsoft SQL Server, Error: 18456)".into(),
            note(Documented, format!("No database user maps to client id {appid}. Run CREATE USER [<identity name>] FROM EXTERNAL PROVIDER in {} (a user created for an earlier identity with the same name points at the old client id: drop and recreate it).", db.name)),
        ),
    }
}
