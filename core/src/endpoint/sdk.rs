//! "What will the SDK do with this?" — how azure-identity (Python, via MSAL Python),
//! Azure.Identity (.NET, via MSAL.NET) and @azure/identity (JS, via msal-node) read a token
//! endpoint's response (managed-identity.md §4). A pure function of the response.
//!
//! The key facts: no client judges success by the HTTP status — the body decides, the status
//! only drives retries. Python takes the expiry from `expires_in` (IMDS, Arc) or converts
//! App Service's `expires_on` with `int()`; msal-node reads only `expires_on`; MSAL.NET reads
//! `expires_on` (number, numeric string or date string; below 978307200 it is relative).

use serde_json::Value;

use super::http::HttpResponse;
use super::state::Certainty;
use crate::cloud::EndpointKind;

/// The client libraries explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    /// azure-identity 1.27 (Python), token requests through MSAL Python 1.39.
    Python,
    /// azure-identity 1.27's asyncio credential (`azure.identity.aio`): its own
    /// implementation on azure-core's pipeline, not MSAL, so it reads responses differently.
    PythonAsync,
    /// Azure.Identity (.NET), through MSAL.NET.
    DotNet,
    /// @azure/identity 4.13 (JS), through @azure/msal-node 7.2.
    JavaScript,
}

impl Sdk {
    pub const ALL: [Sdk; 4] = [Sdk::Python, Sdk::PythonAsync, Sdk::DotNet, Sdk::JavaScript];

    pub fn label(self) -> &'static str {
        match self {
            Sdk::Python => "azure-identity (Python) + MSAL Python",
            Sdk::PythonAsync => "azure-identity (Python, asyncio)",
            Sdk::DotNet => "Azure.Identity (.NET) + MSAL.NET",
            Sdk::JavaScript => "@azure/identity (JS) + msal-node",
        }
    }
}

/// What a client ends up with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkOutcome {
    /// A token; `expires_on` is the unix time the client believes, `read_from` the field used.
    Token {
        expires_on: u64,
        read_from: &'static str,
    },
    /// The client follows a challenge (Arc) and sends a second request.
    FollowsChallenge { detail: String },
    /// An exception / error with this message.
    Error { kind: &'static str, message: String },
}

/// How one client reads the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkReading {
    pub sdk: Sdk,
    pub outcome: SdkOutcome,
    /// Whether the client retries this status first, and how.
    pub retry: Option<String>,
    pub certainty: Certainty,
}

fn retry_policy(sdk: Sdk, status: u16) -> Option<String> {
    match sdk {
        Sdk::Python | Sdk::PythonAsync if matches!(status, 404 | 410 | 429) || status >= 500 => {
            Some(if status == 410 {
                "retried up to 5 times (410: with longer waits, IMDS is back within 70 s) before giving up".to_string()
            } else {
                "retried up to 5 times with exponential back-off (factor 0.8) before giving up"
                    .to_string()
            })
        }
        Sdk::DotNet | Sdk::JavaScript
            if matches!(status, 404 | 408 | 410 | 429) || status >= 500 =>
        {
            Some(
                "retried 3 times with exponential back-off (1, 2, 4 s) before giving up"
                    .to_string(),
            )
        }
        _ => None,
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

/// Reads `response` (from an endpoint of `kind`) at time `now` as each client would.
pub fn readings(kind: EndpointKind, response: &HttpResponse, now: u64) -> Vec<SdkReading> {
    Sdk::ALL
        .iter()
        .map(|sdk| read(*sdk, kind, response, now))
        .collect()
}

fn read(sdk: Sdk, kind: EndpointKind, r: &HttpResponse, now: u64) -> SdkReading {
    let body = r.json();
    let field = |k: &str| body.as_ref().and_then(|b| b.get(k));
    let token = field("access_token").filter(|v| v.as_str().is_some_and(|s| !s.is_empty()));
    let retry = retry_policy(sdk, r.status);
    let mk = |outcome, certainty| SdkReading {
        sdk,
        outcome,
        retry: retry.clone(),
        certainty,
    };

    if r.status == 401 && kind == EndpointKind::Arc {
        if let Some(realm) = r
            .header("WWW-Authenticate")
            .and_then(|v| v.strip_prefix("Basic realm="))
        {
            return mk(
                SdkOutcome::FollowsChallenge {
                    detail: format!("reads {realm} (must be a .key file in the agent's token folder, at most 4096 bytes; needs root or the himds group) and retries with 'Authorization: Basic <contents>'"),
                },
                Certainty::Sdk,
            );
        }
    }
    if sdk == Sdk::PythonAsync {
        return mk(python_aio(kind, r, now), Certainty::Sdk);
    }
    if token.is_none() {
        let msg = field("error_description")
            .or_else(|| field("message"))
            .or_else(|| field("error"))
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| {
                if r.body.is_empty() {
                    format!("{} {}", r.status, r.reason())
                } else {
                    r.body.chars().take(200).collect()
                }
            });
        let unavailable = r.status == 400 && msg.contains("Identity not found");
        let (kind_name, message) = match sdk {
            Sdk::Python | Sdk::PythonAsync => {
                let (kind, message) = python_error(kind, r, body.as_ref());
                return mk(SdkOutcome::Error { kind, message }, Certainty::Sdk);
            }
            Sdk::DotNet if unavailable => ("CredentialUnavailableException", format!("ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource. {msg}")),
            Sdk::DotNet => ("AuthenticationFailedException", format!("ManagedIdentityCredential authentication failed: {msg}")),
            Sdk::JavaScript if unavailable => ("CredentialUnavailableError", format!("ManagedIdentityCredential: The requested identity has not been assigned to this resource. {msg}")),
            Sdk::JavaScript => ("AuthenticationError", format!("ManagedIdentityCredential authentication failed. {msg}")),
        };
        return mk(
            SdkOutcome::Error {
                kind: kind_name,
                message,
            },
            Certainty::Guess,
        );
    }
    let expires_in = field("expires_in");
    let expires_on = field("expires_on");
    match sdk {
        Sdk::Python | Sdk::PythonAsync => {
            let app_service = matches!(kind, EndpointKind::AppService | EndpointKind::ContainerApps);
            if app_service && expires_in.is_none() {
                match expires_on {
                    Some(v) => match as_u64(v) {
                        Some(on) => mk(SdkOutcome::Token { expires_on: on, read_from: "expires_on (int(), converted to expires_in)" }, Certainty::Sdk),
                        None => mk(SdkOutcome::Error { kind: "ValueError", message: int_error(v) }, Certainty::Sdk),
                    },
                    None => {
                        let (kind, message) = python_error(kind, r, body.as_ref());
                        mk(SdkOutcome::Error { kind, message }, Certainty::Sdk)
                    }
                }
            } else {
                match expires_in {
                    Some(v) => match as_u64(v) {
                        Some(secs) => mk(SdkOutcome::Token { expires_on: now + secs, read_from: "expires_in (expires_on is ignored)" }, Certainty::Sdk),
                        None => mk(SdkOutcome::Error { kind: "ValueError", message: int_error(v) }, Certainty::Sdk),
                    },
                    None => {
                        let (kind, message) = python_error(kind, r, body.as_ref());
                        mk(SdkOutcome::Error { kind, message }, Certainty::Sdk)
                    }
                }
            }
        }
        Sdk::JavaScript => match expires_on {
            Some(v) => match as_u64(v) {
                Some(on) => mk(SdkOutcome::Token { expires_on: on, read_from: "expires_on (expires_in is ignored)" }, Certainty::Sdk),
                None => mk(SdkOutcome::Token { expires_on: now, read_from: "expires_on is not a number or ISO date: the token counts as expired at once" }, Certainty::Sdk),
            },
            None => mk(SdkOutcome::Error { kind: "AuthenticationError", message: "The response has no expires_on.".into() }, Certainty::Sdk),
        },
        Sdk::DotNet => match expires_on {
            Some(v) => match as_u64(v) {
                Some(on) if on < 978_307_200 => mk(SdkOutcome::Token { expires_on: now + on, read_from: "expires_on (below 978307200: read as relative seconds)" }, Certainty::Sdk),
                Some(on) => mk(SdkOutcome::Token { expires_on: on, read_from: "expires_on" }, Certainty::Sdk),
                None => match v.as_str().and_then(parse_msi_date) {
                    Some(on) => mk(SdkOutcome::Token { expires_on: on, read_from: "expires_on (date string)" }, Certainty::Sdk),
                    None => mk(SdkOutcome::Error { kind: "AuthenticationFailedException", message: format!("Could not parse expires_on '{v}'.") }, Certainty::Guess),
                },
            },
            None => mk(SdkOutcome::Error { kind: "AuthenticationFailedException", message: "The response has no expires_on.".into() }, Certainty::Sdk),
        },
    }
}

/// Python's `str()` of a JSON value, as it appears in an f-string / `format`.
fn py_str(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "None".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => (if *b { "True" } else { "False" }).to_string(),
        Some(other) => other.to_string(),
    }
}

/// The message of Python's `int(v)` failing on a JSON string (`'…'` is its repr).
fn int_error(v: &Value) -> String {
    format!(
        "invalid literal for int() with base 10: '{}'",
        py_str(Some(v))
    )
}

/// What azure-identity 1.27 (through MSAL Python 1.39) raises when the body holds no usable
/// token — the messages it produced when the simulator's responses were replayed to it
/// (core/conformance/run.sh). MSAL turns the body into an error; the credential wraps it.
fn python_error(
    kind: EndpointKind,
    r: &HttpResponse,
    body: Option<&Value>,
) -> (&'static str, String) {
    let get = |k: &str| body.and_then(|b| b.get(k));
    match kind {
        EndpointKind::AppService | EndpointKind::ContainerApps => match body {
            Some(_) => ("CredentialUnavailableError", format!(
                "App Service managed identity configuration not found in environment. Token request error: (invalid_scope) {}, {}",
                py_str(get("statusCode")), py_str(get("message")))),
            None => ("JSONDecodeError", "Expecting value: line 1 column 1 (char 0)".to_string()),
        },
        EndpointKind::Arc => ("CredentialUnavailableError", format!(
            "Azure Arc managed identity configuration not found in environment. Token request error: (invalid_request) {}",
            r.body)),
        EndpointKind::Imds => match body {
            // Not JSON (e.g. the empty bodies of 410/429): MSAL's json.loads fails.
            None => ("CredentialUnavailableError", "ManagedIdentityCredential authentication unavailable.".to_string()),
            Some(b) => {
                let mut m = "ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint. ".to_string();
                if b.get("error").is_some() {
                    m.push_str(&format!("Token request error: ({}) {}", py_str(get("error")), b.get("error_description").map_or(String::new(), |v| py_str(Some(v)))));
                }
                ("CredentialUnavailableError", m)
            }
        },
    }
}

/// An exception azure-core formats: `HttpResponseError(message, response)`.
struct CoreError {
    class: &'static str,
    /// The `message` attribute: the ODataV4 error's text when the body has one, else the
    /// message given.
    message: String,
    /// `str(exception)`: `message`, plus `\nContent: <body>` when the body is not an ODataV4
    /// error, cut at 2048 characters (azure-core 1.41 `exceptions.py`).
    text: String,
}

fn core_error(class: &'static str, message: String, r: &HttpResponse) -> CoreError {
    let odata = r.json().and_then(|v| odata_v4(&v));
    let message = odata.unwrap_or(message);
    let text = if r.json().and_then(|v| odata_v4(&v)).is_none() && !r.body.is_empty() {
        format!("{message}\nContent: {}", r.body)
    } else {
        message.clone()
    };
    CoreError {
        class,
        message,
        text: text.chars().take(2048).collect(),
    }
}

/// azure-core's `ODataV4Format(body)` as `str()`: `(code) message\nCode: code\nMessage: message`
/// when the body (or its `error` member) is an object with a `code` or `message`.
fn odata_v4(body: &Value) -> Option<String> {
    let obj = match body.get("error") {
        Some(e) => e.as_object()?,
        None => body.as_object()?,
    };
    let code = obj.get("code").filter(|v| !v.is_null());
    let message = obj.get("message").filter(|v| !v.is_null());
    let truthy =
        |v: Option<&Value>| v.is_some_and(|v| !matches!(v, Value::String(s) if s.is_empty()));
    if !truthy(code) && !truthy(message) {
        return None;
    }
    let (c, m) = (py_str(code), py_str(message));
    let mut out = format!("({c}) {m}\nCode: {c}\nMessage: {m}");
    if let Some(t) = obj.get("target").filter(|v| truthy(Some(v))) {
        out.push_str(&format!("\nTarget: {}", py_str(Some(t))));
    }
    Some(out)
}

/// What azure-identity 1.27's asyncio `ManagedIdentityCredential` does with a response
/// (`aio/_internal/managed_identity_client.py`, `_internal/managed_identity_client.py`
/// `_process_response`, `aio/_credentials/imds.py`); replayed in core/conformance.
fn python_aio(kind: EndpointKind, r: &HttpResponse, now: u64) -> SdkOutcome {
    let error = |e: CoreError| SdkOutcome::Error {
        kind: e.class,
        message: e.text,
    };
    let processed = aio_process(kind, r, now);
    if kind != EndpointKind::Imds {
        // App Service, Azure ML, Arc: the exception propagates unchanged.
        return match processed {
            Ok(expires_on) => SdkOutcome::Token {
                expires_on,
                read_from: "expires_on (int(); expires_in only when expires_on is missing)",
            },
            Err(AioError::Core(e)) => error(e),
            Err(AioError::Value(message)) => SdkOutcome::Error {
                kind: "ValueError",
                message,
            },
        };
    }
    // ImdsCredential._request_token wraps what the client raised.
    match processed {
        Ok(expires_on) => SdkOutcome::Token {
            expires_on,
            read_from: "expires_on (int(); unlike the sync client, which reads expires_in)",
        },
        Err(AioError::Core(e)) if e.class == "CredentialUnavailableError" => error(e),
        Err(AioError::Core(e)) if r.status == 400 => {
            // ManagedIdentityCredential always passes client_id/identity_config to
            // ImdsCredential, so it takes the user-assigned wording even with no selector.
            let mut m = "ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.".to_string();
            if !e.message.is_empty() {
                m.push_str(&format!(" Error: {}", e.message));
            }
            SdkOutcome::Error {
                kind: "CredentialUnavailableError",
                message: m,
            }
        }
        Err(AioError::Core(e)) => error(core_error("ClientAuthenticationError", e.message, r)),
        Err(AioError::Value(_)) => SdkOutcome::Error {
            kind: "CredentialUnavailableError",
            message: "ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint.".into(),
        },
    }
}

enum AioError {
    Core(CoreError),
    /// A bare `ValueError` from `int()` or a date parse.
    Value(String),
}

/// `ManagedIdentityClientBase._process_response`: the token's `expires_on`, or the error.
fn aio_process(kind: EndpointKind, r: &HttpResponse, now: u64) -> Result<u64, AioError> {
    let content_type = r.header("Content-Type").unwrap_or_default();
    let content = if r.body.trim().is_empty() {
        None
    } else {
        match r.json() {
            Some(v) => Some(v),
            None if content_type.starts_with("application/json") => {
                return Err(AioError::Core(core_error(
                    "ClientAuthenticationError",
                    "Failed to deserialize JSON from response".into(),
                    r,
                )))
            }
            None => {
                return Err(AioError::Core(core_error(
                    "CredentialUnavailableError",
                    format!("Unexpected content type \"{content_type}\""),
                    r,
                )))
            }
        }
    };
    let falsy = |v: &Value| match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
    };
    let Some(content) = content.filter(|c| !falsy(c)) else {
        return Err(AioError::Core(core_error(
            "ClientAuthenticationError",
            "No token received.".into(),
            r,
        )));
    };
    let has = |k: &str| content.as_object().is_some_and(|m| m.contains_key(k));
    if !has("access_token") || !(has("expires_in") || has("expires_on")) {
        let mut shown = content.clone();
        if let Some(t) = shown.get_mut("access_token") {
            *t = Value::String("****".into());
        }
        return Err(AioError::Core(core_error(
            "ClientAuthenticationError",
            format!("Unexpected response \"{}\"", py_repr(&shown)),
            r,
        )));
    }
    let get = |k: &str| content.get(k).filter(|v| !falsy(v));
    // Azure ML (MSI_ENDPOINT + MSI_SECRET) first converts a 2017 date string.
    let ml_date = match (kind, get("expires_on")) {
        (EndpointKind::AppService, Some(Value::String(s))) if s.trim().parse::<i64>().is_err() => {
            match s.strip_suffix(" +00:00").and_then(parse_msi_date) {
                Some(t) => Some(t),
                None => {
                    return Err(AioError::Value(format!(
                        "'{s}' doesn't match the expected format"
                    )))
                }
            }
        }
        _ => None,
    };
    if let Some(t) = ml_date {
        return Ok(t);
    }
    // `int(content.get("expires_on") or int(content["expires_in"]) + request_time)`
    match (get("expires_on"), get("expires_in")) {
        (Some(on), _) => py_int(on),
        (None, Some(rel)) => py_int(rel).map(|n| n + now),
        (None, None) => Err(AioError::Value(
            "expires_on and expires_in are empty".into(),
        )),
    }
}

/// Python's `int(v)` of a JSON value, as unix seconds.
fn py_int(v: &Value) -> Result<u64, AioError> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.trunc() as u64))
            .ok_or_else(|| AioError::Value(format!("invalid literal for int(): {n}"))),
        Value::String(s) => s
            .trim()
            .parse::<u64>()
            .map_err(|_| AioError::Value(int_error(v))),
        other => Err(AioError::Value(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            match other {
                Value::Bool(_) => "bool",
                Value::Array(_) => "list",
                Value::Object(_) => "dict",
                _ => "NoneType",
            }
        ))),
    }
}

/// Python's `repr()` of a JSON value decoded by `json.loads` (dicts keep their order).
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_repr_str(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text has a `'` and no `"`.
fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Parses `MM/dd/yyyy HH:mm:ss +00:00` (and the Windows `M/d/yyyy h:mm:ss AM +00:00`) to unix
/// seconds (UTC offsets other than +00:00 are not handled).
pub fn parse_msi_date(s: &str) -> Option<u64> {
    let mut parts = s.split_whitespace();
    let date = parts.next()?;
    let time = parts.next()?;
    let third = parts.next();
    let pm = matches!(third, Some(x) if x.eq_ignore_ascii_case("PM"));
    let am = matches!(third, Some(x) if x.eq_ignore_ascii_case("AM"));
    let mut d = date.split('/').map(|x| x.parse::<u64>().ok());
    let (mo, day, y) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':').map(|x| x.parse::<u64>().ok());
    let (mut hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    if pm && hh < 12 {
        hh += 12;
    }
    if am && hh == 12 {
        hh = 0;
    }
    if !(1..=12).contains(&mo)
        || !(1..=31).contains(&day)
        || y < 1970
        || hh > 23
        || mm > 59
        || ss > 60
    {
        return None;
    }
    // days_from_civil
    let (y, m) = if mo <= 2 {
        (y as i64 - 1, mo + 9)
    } else {
        (y as i64, mo - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m as i64 + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days as u64 * 86_400 + hh * 3600 + mm * 60 + ss)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::{msi_2017_linux, EPOCH};
    use crate::endpoint::http::HttpResponse;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse::with_body(status, vec![], body.to_string(), false)
    }

    #[test]
    fn imds_success_is_read_consistently() {
        let r = resp(200, "{\"access_token\":\"x\",\"client_id\":\"c\",\"expires_in\":\"84296\",\"expires_on\":\"1764633600\",\"ext_expires_in\":\"84296\",\"not_before\":\"1764546900\",\"resource\":\"r\",\"token_type\":\"Bearer\"}");
        let now = 1_764_633_600 - 84_296;
        for reading in readings(EndpointKind::Imds, &r, now) {
            match reading.outcome {
                SdkOutcome::Token { expires_on, .. } => {
                    assert_eq!(expires_on, 1_764_633_600, "{:?}", reading.sdk)
                }
                other => panic!("{other:?}"),
            }
            assert!(reading.retry.is_none());
        }
    }

    #[test]
    fn legacy_app_service_date_string() {
        let on = msi_2017_linux(EPOCH + 86_400);
        assert_eq!(parse_msi_date(&on), Some(EPOCH + 86_400));
        assert_eq!(
            parse_msi_date("2/16/2019 8:46:00 AM +00:00"),
            Some(1_550_306_760)
        );
        let r = resp(200, &format!("{{\"access_token\":\"x\",\"expires_on\":\"{on}\",\"resource\":\"r\",\"token_type\":\"Bearer\"}}"));
        let rs = readings(EndpointKind::AppService, &r, EPOCH);
        assert!(matches!(
            &rs[0].outcome,
            SdkOutcome::Error {
                kind: "ValueError",
                ..
            }
        ));
        let of = |sdk: Sdk| &rs.iter().find(|x| x.sdk == sdk).unwrap().outcome;
        // The asyncio credential parses the date string (azure_ml.py `_parse_expires_on`).
        for sdk in [Sdk::PythonAsync, Sdk::DotNet] {
            assert!(
                matches!(of(sdk), SdkOutcome::Token { expires_on, .. } if *expires_on == EPOCH + 86_400),
                "{sdk:?}"
            );
        }
        assert!(
            matches!(of(Sdk::JavaScript), SdkOutcome::Token { expires_on, .. } if *expires_on == EPOCH)
        );
    }

    #[test]
    fn the_asyncio_client_words_errors_its_own_way() {
        let aio = |kind, r: &HttpResponse| {
            readings(kind, r, EPOCH)
                .into_iter()
                .find(|x| x.sdk == Sdk::PythonAsync)
                .unwrap()
                .outcome
        };
        let err = |kind: &'static str, message: &str| SdkOutcome::Error {
            kind,
            message: message.into(),
        };
        let not_found = resp(
            400,
            "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
        );
        assert_eq!(
            aio(EndpointKind::Imds, &not_found),
            err("CredentialUnavailableError", "ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource. Error: Unexpected response \"{'error': 'invalid_request', 'error_description': 'Identity not found'}\"")
        );
        let failed = resp(
            500,
            "{\"error\":\"unknown\",\"error_description\":\"it's \\r\\n\\\"x\\\"\"}",
        );
        assert_eq!(
            aio(EndpointKind::Imds, &failed),
            err("ClientAuthenticationError", &format!("Unexpected response \"{{'error': 'unknown', 'error_description': 'it\\'s \\r\\n\"x\"'}}\"\nContent: {}", failed.body))
        );
        assert_eq!(
            aio(EndpointKind::Imds, &resp(410, "")),
            err("ClientAuthenticationError", "No token received.")
        );
        let app = resp(400, "{\"statusCode\":400,\"message\":\"Unable to load the proper Managed Identity.\",\"correlationId\":\"c\"}");
        assert_eq!(
            aio(EndpointKind::AppService, &app),
            err("ClientAuthenticationError", "(None) Unable to load the proper Managed Identity.\nCode: None\nMessage: Unable to load the proper Managed Identity.")
        );
        // A token body: expires_on wins (the sync client reads expires_in).
        let ok = resp(
            200,
            "{\"access_token\":\"t\",\"expires_in\":\"100\",\"expires_on\":\"1800000000\"}",
        );
        assert!(matches!(
            aio(EndpointKind::Imds, &ok),
            SdkOutcome::Token {
                expires_on: 1_800_000_000,
                ..
            }
        ));
    }

    #[test]
    fn python_repr_matches_python() {
        use serde_json::json;
        assert_eq!(
            py_repr(&json!({"a": [1, true, null], "b": "x'y"})),
            "{'a': [1, True, None], 'b': \"x'y\"}"
        );
        assert_eq!(py_repr(&json!("both ' and \"")), "'both \\' and \"'");
        assert_eq!(py_repr(&json!("tab\tbell\u{7}é")), "'tab\\tbell\\x07é'");
    }

    #[test]
    fn errors_and_retries() {
        let r = resp(
            400,
            "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
        );
        for reading in readings(EndpointKind::Imds, &r, EPOCH) {
            assert!(matches!(reading.outcome, SdkOutcome::Error { .. }));
            assert!(reading.retry.is_none());
        }
        // The exact messages azure-identity 1.27 raised on loopback (core/conformance).
        assert_eq!(
            readings(EndpointKind::Imds, &r, EPOCH)[0].outcome,
            SdkOutcome::Error {
                kind: "CredentialUnavailableError",
                message: "ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint. Token request error: (invalid_request) Identity not found".into()
            }
        );
        let app = resp(400, "{\"statusCode\":400,\"message\":\"Unable to load the proper Managed Identity.\",\"correlationId\":\"c\"}");
        assert_eq!(
            readings(EndpointKind::AppService, &app, EPOCH)[0].outcome,
            SdkOutcome::Error {
                kind: "CredentialUnavailableError",
                message: "App Service managed identity configuration not found in environment. Token request error: (invalid_scope) 400, Unable to load the proper Managed Identity.".into()
            }
        );
        let r = resp(429, "");
        let rs = readings(EndpointKind::Imds, &r, EPOCH);
        assert!(rs.iter().all(|x| x.retry.is_some()));
        let r = resp(200, "{\"error\":\"x\"}");
        assert!(
            readings(EndpointKind::Imds, &r, EPOCH)
                .iter()
                .all(|x| matches!(x.outcome, SdkOutcome::Error { .. })),
            "status 200 without a token is still an error"
        );
        let mut r = resp(401, "");
        r.headers.push((
            "WWW-Authenticate".into(),
            "Basic realm=/var/opt/azcmagent/tokens/a.key".into(),
        ));
        assert!(readings(EndpointKind::Arc, &r, EPOCH)
            .iter()
            .all(|x| matches!(x.outcome, SdkOutcome::FollowsChallenge { .. })));
    }
}
