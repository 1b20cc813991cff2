//! Consistency warnings: things a well-formed Entra ID / managed-identity token would not do,
//! and things people misread (Graph nonces, unsecured tokens).

use serde_json::{Map, Value};

use super::json::kind_name;
use super::summary::{
    check_mirid, is_guid, tenant_from_issuer, IdentityKind, MiridProblem, Summary,
};
use super::time;
use super::{Area, Diagnostic, Severity, TokenForm};

/// What the checks look at.
pub struct CheckInput<'a> {
    pub form: TokenForm,
    pub header: Option<&'a Map<String, Value>>,
    pub payload: Option<&'a Map<String, Value>>,
    /// Decoded signature length in bytes (signed tokens only).
    pub signature_len: Option<usize>,
    pub summary: &'a Summary,
}

fn warn(area: Area, message: String, fix: &str) -> Diagnostic {
    Diagnostic::new(Severity::Warning, area, message, fix)
}

/// Runs every check; the result is in a stable order (header, signature, payload).
pub fn check(input: &CheckInput<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(h) = input.header {
        header_checks(h, input, &mut out);
    }
    if let Some(p) = input.payload {
        payload_checks(p, input.summary, &mut out);
    }
    out
}

fn header_checks(h: &Map<String, Value>, input: &CheckInput<'_>, out: &mut Vec<Diagnostic>) {
    let alg = h.get("alg").and_then(Value::as_str);
    if input.form != TokenForm::Jwe {
        match h.get("alg") {
            None => out.push(warn(
                Area::Header,
                "Header: has no 'alg'; every JWS header names its algorithm.".to_string(),
                "The token is not a standard JWT; check that the header was copied whole.",
            )),
            Some(Value::String(_)) => {}
            Some(other) => out.push(warn(
                Area::Header,
                format!("Header: 'alg' is a {}, not a string.", kind_name(other)),
                "The token is not a standard JWT.",
            )),
        }
    }
    if alg.is_some_and(|a| a.eq_ignore_ascii_case("none")) {
        out.push(warn(
            Area::Header,
            "Header: alg is 'none': the token is not signed, so anyone could have written it; no service should accept it.".to_string(),
            "Never accept unsecured tokens; Entra ID never issues them.",
        ));
    }
    if h.contains_key("nonce") {
        out.push(warn(
            Area::Header,
            "Header: has a 'nonce', as Microsoft Graph tokens do. Graph hashes this nonce before signing, so standard signature verification fails for Graph tokens; that is expected, not a sign of tampering.".to_string(),
            "Don't validate Graph tokens yourself (only Graph can); to practise verification, use a token for another audience.",
        ));
    }
    if let (TokenForm::Jws, Some(len), Some(alg)) = (input.form, input.signature_len, alg) {
        if let Some(expected) = expected_signature_lengths(alg) {
            if !expected.lengths.contains(&len) {
                let list = join_or(expected.lengths);
                let der_hint = if alg.starts_with("ES") && (8..=139).contains(&len) {
                    " ECDSA signatures in JWS are raw r‖s, not DER."
                } else {
                    ""
                };
                out.push(warn(
                    Area::Signature,
                    format!(
                        "Signature: is {len} bytes, but {alg} {} {list} bytes.{der_hint}",
                        expected.phrase
                    ),
                    "The signature was probably cut or altered: copy the token again.",
                ));
            }
        }
    }
}

struct ExpectedLengths {
    phrase: &'static str,
    lengths: &'static [usize],
}

/// Plausible signature sizes per algorithm.
fn expected_signature_lengths(alg: &str) -> Option<ExpectedLengths> {
    let rsa = ExpectedLengths {
        phrase: "signatures with a 2048-, 3072- or 4096-bit key are",
        lengths: &[256, 384, 512],
    };
    let e = |n: &'static [usize]| ExpectedLengths {
        phrase: "signatures are",
        lengths: n,
    };
    Some(match alg {
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => rsa,
        "ES256" | "ES256K" => e(&[64]),
        "ES384" => e(&[96]),
        "ES512" => e(&[132]),
        "HS256" => e(&[32]),
        "HS384" => e(&[48]),
        "HS512" => e(&[64]),
        "EdDSA" | "Ed25519" => e(&[64]),
        _ => return None,
    })
}

fn join_or(items: &[usize]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!(
            "{} or {last}",
            init.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn payload_checks(p: &Map<String, Value>, summary: &Summary, out: &mut Vec<Diagnostic>) {
    let s = |k: &str| p.get(k).and_then(Value::as_str);
    let is_mi = summary.identity.is_managed_identity();

    // Time claims: numbers, plausible, in order.
    for k in ["iat", "nbf", "exp", "auth_time"] {
        let Some(v) = p.get(k) else { continue };
        match (v, time::unix_from_value(v)) {
            (Value::String(raw), Some(_)) => out.push(warn(
                Area::Payload,
                format!("Payload: '{k}' is a string (\"{raw}\"), not a number; RFC 7519 dates are JSON numbers. Read it anyway."),
                "Issuers must write Unix seconds as a JSON number; some clients will reject this token.",
            )),
            (_, Some((unix, _))) if unix > 100_000_000_000 => out.push(warn(
                Area::Payload,
                format!("Payload: '{k}' ({unix}) is far in the future; it looks like milliseconds, but JWT dates are seconds."),
                "Divide by 1000: JWT dates count seconds since 1970.",
            )),
            (_, Some(_)) => {}
            (Value::Number(n), None)
                if n.as_f64().is_some_and(|f| {
                    (f / 1000.0).abs() <= time::MAX_UNIX as f64
                }) =>
            {
                out.push(warn(
                    Area::Payload,
                    format!("Payload: '{k}' ({n}) is far in the future; it looks like milliseconds, but JWT dates are seconds."),
                    "Divide by 1000: JWT dates count seconds since 1970.",
                ))
            }
            (other, None) => out.push(warn(
                Area::Payload,
                format!("Payload: '{k}' is not a date: a {} that is not Unix seconds between years 0 and 9999.", kind_name(other)),
                "JWT dates are Unix seconds as a JSON number.",
            )),
        }
    }
    let t = |k: &str| p.get(k).and_then(time::unix_from_value).map(|(u, _)| u);
    if let Some(exp) = t("exp") {
        for k in ["nbf", "iat"] {
            if let Some(other) = t(k) {
                if exp <= other {
                    out.push(warn(
                        Area::Payload,
                        format!("Payload: 'exp' ({exp}) is not after '{k}' ({other}): the token was never valid."),
                        "A real issuer never does this; the token was probably edited.",
                    ));
                }
            }
        }
    }

    // GUID-valued claims.
    let app_token = summary.app_only;
    let mut guid_claims = vec!["oid", "tid", "appid", "azp"];
    if app_token {
        guid_claims.push("sub");
    }
    for k in guid_claims {
        match p.get(k) {
            None => {}
            Some(Value::String(v)) if is_guid(v) => {}
            Some(Value::String(v)) => out.push(warn(
                Area::Payload,
                format!("Payload: '{k}' should be a GUID (8-4-4-4-12 hex digits), but is \"{v}\"."),
                "Entra ID always writes this claim as a GUID; the token was probably edited or is not from Entra ID.",
            )),
            Some(other) => out.push(warn(
                Area::Payload,
                format!("Payload: '{k}' should be a GUID string, but is a {}.", kind_name(other)),
                "Entra ID always writes this claim as a GUID string.",
            )),
        }
    }

    // Tenant in the issuer vs tid.
    if let (Some(iss), Some(tid)) = (s("iss"), s("tid")) {
        if let Some(t) = tenant_from_issuer(iss) {
            if is_guid(t) && is_guid(tid) && !t.eq_ignore_ascii_case(tid) {
                out.push(warn(
                    Area::Payload,
                    format!("Payload: the tenant in 'iss' ({t}) differs from 'tid' ({tid})."),
                    "Entra ID issues both from the same tenant; validate the issuer against the tenant you expect.",
                ));
            }
        }
    }

    // Version vs issuer shape.
    if let (Some(ver), Some(iss)) = (s("ver"), s("iss")) {
        let v2_issuer = iss
            .to_ascii_lowercase()
            .trim_end_matches('/')
            .ends_with("/v2.0");
        if (ver == "1.0" && v2_issuer)
            || (ver == "2.0"
                && iss
                    .to_ascii_lowercase()
                    .starts_with("https://sts.windows.net/"))
        {
            out.push(warn(
                Area::Payload,
                format!("Payload: 'ver' is {ver}, but the issuer {iss} is the other version's."),
                "v1.0 tokens come from https://sts.windows.net/{tid}/, v2.0 tokens from https://login.microsoftonline.com/{tid}/v2.0.",
            ));
        }
    }

    // App-only tokens: sub == oid.
    if app_token {
        if let (Some(sub), Some(oid)) = (s("sub"), s("oid")) {
            if !sub.eq_ignore_ascii_case(oid) {
                out.push(warn(
                    Area::Payload,
                    format!("Payload: 'sub' ({sub}) differs from 'oid' ({oid}) in an app-only token; in app and managed-identity tokens they are equal."),
                    "Identify the caller by 'oid' (and 'tid'); the token may have been edited.",
                ));
            }
        }
    }

    // Managed-identity specifics.
    if is_mi {
        if p.contains_key("scp") {
            out.push(warn(
                Area::Payload,
                "Payload: has 'scp' (delegated scopes), but this claims to be a managed-identity token; managed identities get app-only tokens, which never carry 'scp'.".to_string(),
                "Managed identities are granted app roles or Azure RBAC roles, not delegated scopes; the token was probably edited.",
            ));
        }
        if summary.identity == IdentityKind::UserAssigned && !p.contains_key("xms_az_rid") {
            out.push(Diagnostic::new(
                Severity::Info,
                Area::Payload,
                "Payload: a user-assigned identity token without 'xms_az_rid', so it does not say which resource used the identity (tokens before 2023, and some audiences, lack it).",
                "Nothing to fix.",
            ));
        }
    }
    // An `xms_mirid` that names no managed identity: the kind is then unknown.
    match p.get("xms_mirid").map(check_mirid) {
        None | Some(Ok(_)) | Some(Err(MiridProblem::NotString(_))) => {} // the type check below
        Some(Err(problem)) => out.push(warn(
            Area::Payload,
            format!(
                "Payload: 'xms_mirid' {}, so it does not say which managed identity this is.",
                problem.describe()
            ),
            "Managed-identity tokens carry ids like /subscriptions/<sub>/resourcegroups/<rg>/providers/<type>/<name>; the token was probably edited.",
        )),
    }
    if let Some(Err(e)) = summary.resource.as_ref().map(|c| &c.parsed) {
        out.push(warn(
            Area::Payload,
            format!("Payload: 'xms_az_rid' is not a valid ARM resource id: {e}."),
            "Managed-identity tokens carry ids like /subscriptions/<sub>/resourcegroups/<rg>/providers/<type>/<name>.",
        ));
    }
    for k in ["xms_mirid", "xms_az_rid"] {
        if let Some(v) = p.get(k) {
            if !v.is_string() {
                out.push(warn(
                    Area::Payload,
                    format!(
                        "Payload: '{k}' should be an ARM id string, but is a {}.",
                        kind_name(v)
                    ),
                    "The token was probably edited.",
                ));
            }
        }
    }
}
