//! "What will the SDK do with this?" — how azure-identity (Python, sync via MSAL Python, and
//! asyncio), Azure.Identity (.NET, via MSAL.NET) and @azure/identity (JS, via msal-node) read a
//! token endpoint's response (managed-identity.md §4): the outcome, and how they retry first.
//! A pure function of the response.
//!
//! The key facts: no client judges success by the HTTP status — the body decides, the status
//! only drives retries. Python takes the expiry from `expires_in` (IMDS, Arc) or converts
//! App Service's `expires_on` with `int()`; msal-node reads only `expires_on`; MSAL.NET reads
//! `expires_on` (number, numeric string or date string; below 978307200 it is relative).
//!
//! The Python and JavaScript readings are tested claims: core/conformance replays the
//! simulator's responses to the real clients and checks class, full message, the number of
//! retries and every wait ([`Certainty::Tested`] marks what that replay covers). .NET cannot be
//! run here (no NuGet): its rows come from reading Azure.Identity / MSAL.NET source.

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
    /// Azure.Identity ≥ 1.13 (.NET), through MSAL.NET.
    DotNet,
    /// @azure/identity 4.13.0 (JS), through @azure/msal-node 3.8 (msal-common 15).
    JavaScript,
}

impl Sdk {
    pub const ALL: [Sdk; 4] = [Sdk::Python, Sdk::PythonAsync, Sdk::DotNet, Sdk::JavaScript];

    pub fn label(self) -> &'static str {
        match self {
            Sdk::Python => "Python: azure-identity 1.27 (sync, via msal 1.39)",
            Sdk::PythonAsync => "Python: azure-identity 1.27 (asyncio)",
            Sdk::DotNet => ".NET: Azure.Identity ≥ 1.13 (via MSAL.NET)",
            Sdk::JavaScript => "JavaScript: @azure/identity 4.13 (via msal-node 3.8)",
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
    /// What the client ends up with once its retries (if any) are over.
    pub outcome: SdkOutcome,
    /// How the client sends the request again first when the answer is this response;
    /// `None`: it sends the request once.
    pub retry: Option<RetryPlan>,
    /// How sure the `outcome` is (the retries carry their own).
    pub certainty: Certainty,
}

/// A client's retries of one response, as if every answer were the same one — which is what
/// the conformance replay serves; a real 410 or 429 usually clears before the retries run out.
/// The plans assume no `Retry-After` header (the simulator sends none; every client here would
/// wait that long instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPlan {
    /// The wait before each retry in milliseconds, `(least, most)`: equal when the client adds
    /// no jitter. There are as many retries as entries.
    pub delays_ms: Vec<(u32, u32)>,
    /// The rule that produces them, for people: policy, formula, source.
    pub rule: &'static str,
    /// How sure the plan is.
    pub certainty: Certainty,
}

impl RetryPlan {
    /// Waits of `first × 2^k` for k = 0..n, without jitter.
    fn doubling(n: u32, first_ms: u32) -> Vec<(u32, u32)> {
        (0..n).map(|k| (first_ms << k, first_ms << k)).collect()
    }

    /// How many times the request is sent again.
    pub fn retries(&self) -> usize {
        self.delays_ms.len()
    }

    /// The least and the most all the waits add up to, in milliseconds.
    pub fn total_ms(&self) -> (u64, u64) {
        self.delays_ms.iter().fold((0, 0), |(lo, hi), (a, b)| {
            (lo + u64::from(*a), hi + u64::from(*b))
        })
    }

    /// "5 retries, after 0, 1.6, 3.2, 6.4 and 12.8 s" or, with jitter,
    /// "3 retries, after 0.5–1, 1–2 and 2–4 s (random within each range)".
    pub fn summary(&self) -> String {
        let waits: Vec<String> = self
            .delays_ms
            .iter()
            .map(|(lo, hi)| {
                if lo == hi {
                    secs(*lo)
                } else {
                    format!("{}–{}", secs(*lo), secs(*hi))
                }
            })
            .collect();
        let list = match waits.split_last() {
            None => return "No retry".to_string(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        let n = waits.len();
        let jitter = self.delays_ms.iter().any(|(lo, hi)| lo != hi);
        format!(
            "{n} {}, after {list} s{}",
            if n == 1 { "retry" } else { "retries" },
            if jitter {
                " (random within each range)"
            } else {
                ""
            }
        )
    }
}

/// Milliseconds as seconds, without trailing zeros: 1600 → "1.6", 0 → "0".
fn secs(ms: u32) -> String {
    let s = format!("{}.{:03}", ms / 1000, ms % 1000);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The statuses replayed with retries in core/conformance, per endpoint: their plans are tested.
fn retry_replayed(kind: EndpointKind, status: u16) -> bool {
    match kind {
        EndpointKind::Imds => matches!(status, 410 | 429 | 500),
        EndpointKind::AppService | EndpointKind::ContainerApps => status == 500,
        EndpointKind::Arc => false,
    }
}

/// How `sdk` retries `status` from an endpoint of `kind` (no `Retry-After` header).
fn retry_plan(sdk: Sdk, kind: EndpointKind, status: u16) -> Option<RetryPlan> {
    let imds = kind == EndpointKind::Imds;
    let tested = if retry_replayed(kind, status) {
        Certainty::Tested
    } else {
        Certainty::Sdk
    };
    match sdk {
        // azure-identity 1.27, sync and asyncio alike: the pipeline's azure-core 1.41
        // RetryPolicy (`azure/core/pipeline/policies/_retry.py`) retries 408, 429, 500, 502,
        // 503, 504 and 506+ (`_RETRY_CODES`, lines 78-79), the first retry at once and then
        // backoff × 2^(n-1) (`get_backoff_time`, lines 127-143), no jitter.
        // - IMDS (`_credentials/imds.py` PIPELINE_SETTINGS, lines 24-32; aio `imds.py` 53):
        //   5 retries, also on 404, 410 and every 5xx, backoff 0.8 s; 410 uses 2.5 s
        //   (`ImdsRetryPolicy.backoff_factor_for_410`, imds.py 47): 0, 5, 10, 20, 40 s.
        // - App Service, Azure ML, Arc: the default policy, `retry_status` 3, backoff 0.8 s.
        // Replayed: Python slept 0, 1.6, 3.2, 6.4, 12.8 s on IMDS 429 and 500, 0, 5, 10, 20,
        // 40 s on 410, and 0, 1.6, 3.2 s on an App Service 500 (both clients).
        Sdk::Python | Sdk::PythonAsync => {
            let core = matches!(status, 408 | 429 | 500 | 502 | 503 | 504) || status >= 506;
            let (factor_ms, n) = if imds && (core || matches!(status, 404 | 410 | 500..=599)) {
                (if status == 410 { 2500 } else { 800 }, 5)
            } else if !imds && core {
                (800, 3)
            } else {
                return None;
            };
            let mut delays = vec![(0, 0)];
            delays.extend(RetryPlan::doubling(n - 1, 2 * factor_ms));
            Some(RetryPlan {
                delays_ms: delays,
                rule: if !imds {
                    "azure-core RetryPolicy: 3 retries, the first at once, then 0.8 s × 2^(n−1)"
                } else if status == 410 {
                    "azure-identity ImdsRetryPolicy: 5 retries, the first at once, then 2.5 s × 2^(n−1) (410)"
                } else {
                    "azure-identity ImdsRetryPolicy: 5 retries, the first at once, then 0.8 s × 2^(n−1)"
                },
                certainty: tested,
            })
        }
        // @azure/identity 4.13.0 (dist/esm paths in node_modules/@azure/identity):
        // - credentials/managedIdentityCredential/index.js:79 builds msal-node with
        //   `disableInternalRetries: true`, so msal-node's own policies (IMDS 410 seven times
        //   at 10 s; 3 linear retries elsewhere) never run; every request goes through the
        //   credential's IdentityClient pipeline (index.js:68-71).
        // - That pipeline's retry phase (client/identityClient.js:51-53 `maxRetries: 3`;
        //   @azure/core-rest-pipeline 1.24 createPipelineFromOptions.js:42 defaultRetryPolicy;
        //   @typespec/ts-http-runtime 0.3.6 retryStrategies/): 429 and 503 only when a
        //   Retry-After header says how long (throttlingRetryStrategy.js:27), else
        //   exponentialRetryStrategy: 408 and 5xx except 501/505 (exponentialRetryStrategy.js
        //   :45), 3 retries of 1 s × 2^k (line 6) with jitter, each uniform in [d/2, d]
        //   (util/delay.js:17 `clampedDelay / 2 + getRandomIntegerInclusive(0, clampedDelay / 2)`).
        //   So a 429 without Retry-After is not retried at all.
        // - On top, per call (index.js:70, position "perCall"): imdsRetryPolicy.js retries 404
        //   and 410 only (line 26), up to `maxRetries: 5` (index.js:30, imdsRetryPolicy.js:40),
        //   from `startDelayInMs: 800` (index.js:31) — 410 from max(3000, 800) = 3 s (line 11,
        //   31) — with @azure/core-util 1.13's calculateRetryDelay (delay.js:36): 2^k times that,
        //   capped at 64 s, uniform in [d/2, d]. For 410: 1.5–3, 3–6, 6–12, 12–24, 24–48 s,
        //   46.5–93 s in all: the comment above MIN_DELAY_FOR_410_MS (imdsRetryPolicy.js:7-10)
        //   assumes jitter takes at most 20 % off and promises 70 s; with this jitter a run can
        //   give up after 46.5 s (the replay measured 61 s once).
        // - retryCount starts at 0 (ts-http-runtime policies/retryPolicy.js:23-25, 49).
        // Replayed: no retry on 429; 3 retries on 500 (~0.74, 1.26, 3.0 s); 5 on 410.
        Sdk::JavaScript => {
            let jitter = |n: u32, first_ms: u32| -> Vec<(u32, u32)> {
                (0..n)
                    .map(|k| {
                        let d = (first_ms << k).min(64_000);
                        (d / 2, d)
                    })
                    .collect()
            };
            let (delays_ms, rule) = match status {
                410 => (
                    jitter(5, 3000),
                    "@azure/identity imdsRetryPolicy: 5 retries of 3 s × 2^k, each random in [½, 1] of that",
                ),
                404 => (
                    jitter(5, 800),
                    "@azure/identity imdsRetryPolicy: 5 retries of 0.8 s × 2^k, each random in [½, 1] of that",
                ),
                408 | 500 | 502..=504 => (
                    jitter(3, 1000),
                    "core-rest-pipeline exponentialRetryStrategy: 3 retries of 1 s × 2^k, each random in [½, 1] of that",
                ),
                s if s >= 506 => (
                    jitter(3, 1000),
                    "core-rest-pipeline exponentialRetryStrategy: 3 retries of 1 s × 2^k, each random in [½, 1] of that",
                ),
                _ => return None,
            };
            Some(RetryPlan {
                delays_ms,
                rule,
                certainty: tested,
            })
        }
        // Azure.Identity ≥ 1.15.0-beta.1 (CHANGELOG: "ManagedIdentityCredential now retries 410
        // status responses for at least 70 seconds total duration", #50724): its managed-identity
        // pipeline (Azure/azure-sdk-for-net sdk/identity/Azure.Identity/src/
        // ManagedIdentityResponseClassifier.cs: 404 and 410 retriable, 502 not, else Azure.Core's
        // 408, 429, 500, 503, 504; ImdsRetryDelayStrategy.cs: 0.8 s × 2^(n-1), 410: 3 s ×
        // 2^(n-1); the tests expect 6 tries) with Azure.Core's ±20 % jitter (DelayStrategy).
        // Not run here, and MSAL.NET may retry inside as well (its ManagedIdentity retry
        // policies), so the count is a guess; one indexed copy of ImdsRetryDelayStrategy.cs
        // uses 13 s × 3 retries for 410 instead.
        Sdk::DotNet => {
            let first_ms = match status {
                410 => 3000,
                404 | 408 | 429 | 500 | 503 | 504 => 800,
                _ => return None,
            };
            Some(RetryPlan {
                delays_ms: RetryPlan::doubling(5, first_ms)
                    .into_iter()
                    .map(|(d, _)| (d / 5 * 4, d / 5 * 6))
                    .collect(),
                rule: "Azure.Identity ImdsRetryDelayStrategy: 5 retries of 0.8 s × 2^(n−1) (410: 3 s), ±20 %",
                certainty: Certainty::Guess,
            })
        }
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
    if r.status == 401 && kind == EndpointKind::Arc {
        if let Some(realm) = r
            .header("WWW-Authenticate")
            .and_then(|v| v.strip_prefix("Basic realm="))
        {
            return SdkReading {
                sdk,
                outcome: SdkOutcome::FollowsChallenge {
                    detail: format!("reads {realm} (must be a .key file in the agent's token folder, at most 4096 bytes; needs root or the himds group) and retries with 'Authorization: Basic <contents>'"),
                },
                retry: None,
                // The replay's Arc cases follow the challenge with all three clients.
                certainty: if sdk == Sdk::DotNet {
                    Certainty::Sdk
                } else {
                    Certainty::Tested
                },
            };
        }
    }
    let (outcome, certainty) = match sdk {
        Sdk::Python => python_sync(kind, r, now),
        Sdk::PythonAsync => (python_aio(kind, r, now), aio_certainty(kind, r)),
        Sdk::DotNet => dotnet(kind, r, now),
        Sdk::JavaScript => javascript(kind, r, now),
    };
    SdkReading {
        sdk,
        outcome,
        retry: retry_plan(sdk, kind, r.status),
        certainty,
    }
}

/// Whether the replay covers this kind of response for the Python clients, whose reading
/// depends on the endpoint: IMDS answers with a JSON object or no body, App Service answers
/// with a JSON object, Arc tokens (the core/conformance cases). Other shapes (Arc errors,
/// bodies that are not JSON objects) are read in source only.
fn replayed_shape(kind: EndpointKind, r: &HttpResponse) -> bool {
    let object = r.json().is_some_and(|v| v.is_object());
    match kind {
        EndpointKind::Imds => object || r.body.is_empty(),
        EndpointKind::AppService | EndpointKind::ContainerApps => object,
        EndpointKind::Arc => r.status == 200 && object,
    }
}

fn aio_certainty(kind: EndpointKind, r: &HttpResponse) -> Certainty {
    if replayed_shape(kind, r) {
        Certainty::Tested
    } else {
        Certainty::Sdk
    }
}

/// azure-identity 1.27's sync credential, through MSAL Python 1.39.
fn python_sync(kind: EndpointKind, r: &HttpResponse, now: u64) -> (SdkOutcome, Certainty) {
    let body = r.json();
    let field = |k: &str| body.as_ref().and_then(|b| b.get(k));
    let token = field("access_token").filter(|v| v.as_str().is_some_and(|s| !s.is_empty()));
    let certainty = aio_certainty(kind, r);
    let error = || {
        let (kind, message) = python_error(kind, r, body.as_ref());
        (SdkOutcome::Error { kind, message }, certainty)
    };
    if token.is_none() {
        return error();
    }
    let expires_in = field("expires_in");
    let expires_on = field("expires_on");
    let app_service = matches!(kind, EndpointKind::AppService | EndpointKind::ContainerApps);
    let (value, relative, read_from) = if app_service && expires_in.is_none() {
        match expires_on {
            Some(v) => (v, false, "expires_on (int(), converted to expires_in)"),
            None => return error(),
        }
    } else {
        match expires_in {
            Some(v) => (v, true, "expires_in (expires_on is ignored)"),
            None => return error(),
        }
    };
    match as_u64(value) {
        Some(n) => (
            SdkOutcome::Token {
                expires_on: if relative { now + n } else { n },
                read_from,
            },
            certainty,
        ),
        None => (
            SdkOutcome::Error {
                kind: "ValueError",
                message: int_error(value),
            },
            certainty,
        ),
    }
}

/// JavaScript's `${v}` of a JSON value (`None`: `undefined`).
fn js_str(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::Null => String::new(),
                other => js_str(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".into(),
    }
}

/// JavaScript truthiness of a JSON value (`None`: `undefined`).
fn js_truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// `a || b` in JavaScript.
fn js_or<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> Option<&'a Value> {
    if js_truthy(a) {
        a
    } else {
        b
    }
}

/// What @azure/identity 4.13.0's ManagedIdentityCredential ends up with (after its retries),
/// through @azure/msal-node 3.8.10 and @azure/msal-common 15.17 — every branch below was
/// followed in their dist/esm source and checked against the installed package on loopback;
/// core/conformance replays the JSON-or-empty bodies the simulator sends (Tested).
/// - identity client/identityClient.js:197: the body is `JSON.parse(bodyAsText)` when there
///   is text, else `undefined`. A parse failure is not an msal AuthError, so msal-node
///   (BaseManagedIdentitySource.mjs `acquireTokenWithManagedIdentity`) reports `network_error`.
/// - BaseManagedIdentitySource.mjs `getServerTokenResponse` reads `body.expires_on` (a
///   TypeError on an empty body), maps `error` (a string, or `error.code`), `error_description`
///   (`body.message`, or with a string `error` its `error_description`, else `error.message`),
///   `correlation_id`/`correlationId`, `error_codes`, `timestamp`, `trace_id`, and turns
///   `expires_on` (number, numeric string, or exact ISO 8601) into `expires_in` = it − now.
/// - msal-common response/ResponseHandler.mjs `validateTokenResponse`: an `error` or
///   `error_description` raises `ServerError(error, "Error(s): … - Timestamp: … -
///   Description: … - Correlation ID: … - Trace ID: …")` ("Not Available" for what is
///   missing), whose message is "<error>: <that>" (error/AuthError.mjs); interaction-required codes raise
///   InteractionRequiredAuthError "<error>: <description>" instead.
/// - No error and no access_token: no expiry either, and index.js `ensureValidMsalToken`
///   throws AuthenticationRequiredError('Response had no "expiresOn" property.'), re-thrown
///   as is. A token whose expires_on is missing or not a number counts 0 s of validity
///   (ResponseHandler.mjs `generateCacheRecord`: `expires_in || 0`).
/// - index.js:205-208: a network error becomes CredentialUnavailableError "ManagedIdentityCredential:
///   Network unreachable. Message: <msg>", anything else "ManagedIdentityCredential:
///   Authentication failed. Message <msg>" — unavailable, so a chain moves on, whatever the
///   cause (a 500 or a 429 included).
fn javascript(kind: EndpointKind, r: &HttpResponse, now: u64) -> (SdkOutcome, Certainty) {
    let failed = |m: &str| SdkOutcome::Error {
        kind: "CredentialUnavailableError",
        message: format!("ManagedIdentityCredential: Authentication failed. Message {m}"),
    };
    if kind == EndpointKind::Arc && r.status == 401 {
        // AzureArc.mjs `getServerTokenResponseAsync` (ManagedIdentityError.mjs texts, "form" sic).
        match r.header("WWW-Authenticate") {
            None => return (failed("www_authenticate_header_missing: A 401 response was received form the Azure Arc Managed Identity, but the www-authenticate header is missing."), Certainty::Sdk),
            Some(h) if !h.contains("Basic realm=") => return (failed("www_authenticate_header_unsupported_format: A 401 response was received form the Azure Arc Managed Identity, but the www-authenticate header is in an unsupported format."), Certainty::Sdk),
            Some(_) => {}
        }
    }
    if r.body.is_empty() {
        return (
            failed("Cannot read properties of undefined (reading 'expires_on')"),
            Certainty::Tested,
        );
    }
    let Some(body) = r.json() else {
        return (
            SdkOutcome::Error {
                kind: "CredentialUnavailableError",
                message: "ManagedIdentityCredential: Network unreachable. Message: network_error: Network request failed".into(),
            },
            Certainty::Sdk,
        );
    };
    let certainty = if body.is_object() {
        Certainty::Tested
    } else {
        Certainty::Sdk
    };
    if body.is_null() {
        return (
            failed("Cannot read properties of null (reading 'expires_on')"),
            certainty,
        );
    }
    let get = |k: &str| body.as_object().and_then(|o| o.get(k));
    let string_error = matches!(get("error"), Some(Value::String(_)));
    let error = if string_error {
        get("error")
    } else {
        get("error").and_then(|e| e.get("code"))
    };
    let description = js_or(
        get("message"),
        if string_error {
            get("error_description")
        } else {
            get("error").and_then(|e| e.get("message"))
        },
    );
    if js_truthy(error) || js_truthy(description) {
        const INTERACTION: [&str; 6] = [
            "interaction_required",
            "consent_required",
            "login_required",
            "bad_token",
            "ux_not_allowed",
            "interrupted_user",
        ];
        let interaction = error
            .and_then(Value::as_str)
            .is_some_and(|e| INTERACTION.contains(&e))
            || description
                .and_then(Value::as_str)
                .is_some_and(|d| INTERACTION.iter().any(|c| d.contains(c)));
        let message = if interaction {
            if js_truthy(description) {
                format!("{}: {}", js_str(error), js_str(description))
            } else {
                js_str(error)
            }
        } else {
            let or_na = |v: Option<&Value>| {
                if js_truthy(v) {
                    js_str(v)
                } else {
                    "Not Available".to_string()
                }
            };
            format!(
                "{}: Error(s): {} - Timestamp: {} - Description: {} - Correlation ID: {} - Trace ID: {}",
                js_str(error),
                or_na(get("error_codes")),
                or_na(get("timestamp")),
                or_na(description),
                or_na(js_or(get("correlation_id"), get("correlationId"))),
                or_na(get("trace_id")),
            )
        };
        return (failed(&message), certainty);
    }
    if !js_truthy(get("access_token")) {
        return (
            SdkOutcome::Error {
                kind: "AuthenticationRequiredError",
                message: "Response had no \"expiresOn\" property.".into(),
            },
            certainty,
        );
    }
    let expires_on = get("expires_on").filter(|v| js_truthy(Some(v)));
    let parsed = match expires_on {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(f) if !s.trim().is_empty() => Some(f),
            _ => js_iso8601(s),
        },
        _ => None,
    };
    match parsed {
        Some(on) if on.is_finite() && on >= 0.0 => (
            SdkOutcome::Token {
                expires_on: on as u64,
                read_from: "expires_on (expires_in is ignored)",
            },
            certainty,
        ),
        _ => (
            SdkOutcome::Token {
                expires_on: now,
                read_from: "expires_on is missing or not a number or ISO date: the token counts as expired at once",
            },
            certainty,
        ),
    }
}

/// msal-node's `isIso8601` (utils/TimeUtils.mjs): a string `new Date()` reads and
/// `toISOString()` gives back unchanged, i.e. exactly `YYYY-MM-DDTHH:MM:SS.sssZ`; unix seconds.
fn js_iso8601(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[23] != b'Z'
    {
        return None;
    }
    let (y, mo, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (h, mi, sec, ms) = (
        digits(11..13)?,
        digits(14..16)?,
        digits(17..19)?,
        digits(20..23)?,
    );
    let t = unix_from_civil(y, mo, d, h, mi, sec)?;
    // toISOString() gives back another string when the date rolled over (e.g. 02-30).
    (crate::cloud::time::civil(t).2 == d as u32).then_some(t as f64 + ms as f64 / 1000.0)
}

/// Unix seconds of a UTC civil time, or `None` when a field is out of range.
fn unix_from_civil(y: u64, mo: u64, day: u64, hh: u64, mm: u64, ss: u64) -> Option<u64> {
    if !(1..=12).contains(&mo)
        || !(1..=31).contains(&day)
        || y < 1970
        || hh > 23
        || mm > 59
        || ss > 59
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

/// The text Azure.Identity wraps every MSAL.NET failure in (Azure/azure-sdk-for-net
/// sdk/identity/Azure.Identity/src/CredentialDiagnosticScope.cs `TryWrapException`, with
/// ManagedIdentityCredential.cs `Troubleshooting`): AuthenticationFailedException.
fn dotnet_failed(msal: &str) -> SdkOutcome {
    SdkOutcome::Error {
        kind: "AuthenticationFailedException",
        message: format!("ManagedIdentityCredential authentication failed: {msal}\nSee the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/managedidentitycredential/troubleshoot"),
    }
}

/// Azure.Identity ≥ 1.13 (.NET) hands a plain ManagedIdentityCredential's request to MSAL.NET
/// (ManagedIdentityClient.cs `AuthenticateAsync`; a DefaultAzureCredential probes first and
/// words IMDS failures as CredentialUnavailableException instead). Read in source, not run:
/// - MSAL.NET ManagedIdentity/ImdsManagedIdentitySource.cs `HandleResponseAsync`: an IMDS 400
///   (502, 504: "…The request failed due to a gateway error.") gives IdentityUnavailableError,
///   then `CreateRequestFailedMessage` (status name, "Content:" and the body, "Headers:" and
///   the response headers), then the error detail below. The whole text was seen in
///   azure-sdk-for-net#46709 (Azure.Identity 1.13.0, MSAL.NET 4.65).
/// - MSAL.NET ManagedIdentity/AbstractManagedIdentity.cs `GetMessageFromErrorResponse` for any
///   other failure: "[Managed Identity] Error Code: … Error Message: … Error Description: …
///   Managed Identity Correlation ID: … Use this Correlation ID for further investigation."
///   (ManagedIdentityErrorResponse.cs fields error, message, error_description, correlationId),
///   or MsalErrorMessage.ManagedIdentityNoResponseReceived for an empty body;
///   `GetSuccessfulResponse`: ManagedIdentityInvalidResponse without access_token/expires_on.
fn dotnet(kind: EndpointKind, r: &HttpResponse, now: u64) -> (SdkOutcome, Certainty) {
    let body = r.json();
    let get = |k: &str| body.as_ref().and_then(|b| b.get(k));
    let text = |k: &str| get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    if r.status != 200 {
        let detail = if r.body.is_empty() {
            // MSAL.NET (4.65+, as shipped with Azure.Identity 1.13) MsalErrorMessage.cs
            // ManagedIdentityNoResponseReceived.
            "[Managed Identity] Authentication unavailable. No response received from the managed identity endpoint.".to_string()
        } else if body.as_ref().is_some_and(Value::is_object)
            && ["error", "message", "error_description", "correlationId"]
                .iter()
                .all(|k| get(k).is_none_or(|v| v.is_string() || v.is_null()))
        {
            // MSAL.NET (4.65+) ManagedIdentity/AbstractManagedIdentity.cs
            // ExtractErrorMessageFromManagedIdentityErrorResponse (trailing spaces included).
            let mut m = "[Managed Identity] ".to_string();
            if let Some(e) = text("error") {
                m.push_str(&format!("Error Code: {e} "));
            }
            if let Some(e) = text("message") {
                m.push_str(&format!("Error Message: {e} "));
            }
            if let Some(e) = text("error_description") {
                m.push_str(&format!("Error Description: {e} "));
            }
            if let Some(e) = text("correlationId") {
                m.push_str(&format!("Managed Identity Correlation ID: {e} Use this Correlation ID for further investigation."));
            }
            if m.len() == "[Managed Identity] ".len() {
                // MsalErrorMessage.ManagedIdentityUnexpectedErrorResponse + "." (the ".." is
                // in the text seen in azure-sdk-for-net#49174, Azure.Identity 1.13.2).
                "[Managed Identity] The error response was either empty or could not be parsed.."
                    .to_string()
            } else {
                m
            }
        } else {
            // AbstractManagedIdentity.cs TryGetMessageFromNestedErrorResponse, last resort.
            return (
                dotnet_failed(&format!("[Managed Identity] The error response was either empty or could not be parsed.. Error response received from the server: {}.", r.body)),
                Certainty::Sdk,
            );
        };
        // MSAL.NET (4.65+) ManagedIdentity/ImdsManagedIdentitySource.cs IdentityUnavailableError
        // and GatewayError (the 400 text also seen in azure-sdk-for-net#46709, Azure.Identity
        // 1.13.0 with MSAL.NET 4.65.0); `CreateRequestFailedMessage` builds the rest.
        let base = match (kind, r.status) {
            (EndpointKind::Imds, 400) => Some(("BadRequest", "[Managed Identity] Authentication unavailable. Either the requested identity has not been assigned to this resource, or other errors could be present. Ensure the identity is correctly assigned and check the inner exception for more details. For more information, visit https://aka.ms/msal-managed-identity.")),
            (EndpointKind::Imds, 502) => Some(("BadGateway", "[Managed Identity] Authentication unavailable. The request failed due to a gateway error.")),
            (EndpointKind::Imds, 504) => Some(("GatewayTimeout", "[Managed Identity] Authentication unavailable. The request failed due to a gateway error.")),
            _ => None,
        };
        let message = match base {
            Some((status, base)) => {
                // Response headers only: .NET keeps content headers apart.
                let headers: String = r
                    .headers
                    .iter()
                    .filter(|(k, _)| {
                        !k.to_ascii_lowercase().starts_with("content-")
                            && !k.eq_ignore_ascii_case("expires")
                            && !k.eq_ignore_ascii_case("last-modified")
                    })
                    .map(|(k, v)| format!("{k}: {v}\n"))
                    .collect();
                format!(
                    "{base}\nStatus: {status}\nContent:\n{}\n\nHeaders:\n{headers}\n{detail}",
                    r.body
                )
            }
            None => detail,
        };
        return (dotnet_failed(&message), Certainty::Sdk);
    }
    // MSAL.NET (4.65+) AbstractManagedIdentity.cs GetSuccessfulResponse with
    // MsalErrorMessage.ManagedIdentityInvalidResponse.
    let invalid = || {
        dotnet_failed("[Managed Identity] Invalid response, the authentication response received did not contain the expected fields.")
    };
    if text("access_token").is_none() {
        return (invalid(), Certainty::Sdk);
    }
    match get("expires_on").filter(|v| !v.is_null()) {
        None => (invalid(), Certainty::Sdk),
        Some(v) => match as_u64(v) {
            Some(on) if on < 978_307_200 => (
                SdkOutcome::Token {
                    expires_on: now + on,
                    read_from: "expires_on (below 978307200: read as relative seconds)",
                },
                Certainty::Sdk,
            ),
            Some(on) => (
                SdkOutcome::Token {
                    expires_on: on,
                    read_from: "expires_on",
                },
                Certainty::Sdk,
            ),
            None => match v.as_str().and_then(parse_msi_date) {
                Some(on) => (
                    SdkOutcome::Token {
                        expires_on: on,
                        read_from: "expires_on (date string)",
                    },
                    Certainty::Sdk,
                ),
                // Not found in source: what MSAL.NET says about an unreadable expires_on.
                None => (
                    dotnet_failed(&format!("Could not parse expires_on '{v}'.")),
                    Certainty::Guess,
                ),
            },
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
        // A 429 without Retry-After: both Python clients retry 5 times, @azure/identity not at
        // all (core/conformance imds-fault-429).
        let r = resp(429, "");
        let rs = readings(EndpointKind::Imds, &r, EPOCH);
        let retries = |sdk: Sdk| rs.iter().find(|x| x.sdk == sdk).unwrap().retry.clone();
        for sdk in [Sdk::Python, Sdk::PythonAsync] {
            assert_eq!(retries(sdk).map(|p| p.retries()), Some(5), "{sdk:?}");
        }
        assert_eq!(retries(Sdk::JavaScript), None);
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

    fn js(kind: EndpointKind, r: &HttpResponse) -> SdkOutcome {
        readings(kind, r, EPOCH)
            .into_iter()
            .find(|x| x.sdk == Sdk::JavaScript)
            .unwrap()
            .outcome
    }

    fn js_err(message: &str) -> SdkOutcome {
        SdkOutcome::Error {
            kind: "CredentialUnavailableError",
            message: format!("ManagedIdentityCredential: Authentication failed. Message {message}"),
        }
    }

    /// The messages @azure/identity 4.13.0 gave on loopback (core/conformance, and a one-off
    /// run of the installed package for the shapes the simulator never sends).
    #[test]
    fn javascript_words_errors_like_msal_node() {
        let not_found = resp(
            400,
            "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
        );
        assert_eq!(
            js(EndpointKind::Imds, &not_found),
            js_err("invalid_request: Error(s): Not Available - Timestamp: Not Available - Description: Identity not found - Correlation ID: Not Available - Trace ID: Not Available")
        );
        // App Service's body has no `error`: msal-node prints `undefined` as the code.
        let app = resp(400, "{\"statusCode\":400,\"message\":\"Unable to load the proper Managed Identity.\",\"correlationId\":\"c\"}");
        assert_eq!(
            js(EndpointKind::AppService, &app),
            js_err("undefined: Error(s): Not Available - Timestamp: Not Available - Description: Unable to load the proper Managed Identity. - Correlation ID: c - Trace ID: Not Available")
        );
        let full = resp(400, "{\"error\":\"e\",\"error_codes\":[1,2],\"timestamp\":\"t\",\"trace_id\":\"tr\",\"correlation_id\":\"c\",\"error_description\":\"d\"}");
        assert_eq!(
            js(EndpointKind::Imds, &full),
            js_err("e: Error(s): 1,2 - Timestamp: t - Description: d - Correlation ID: c - Trace ID: tr")
        );
        let nested = resp(400, "{\"error\":{\"code\":\"C\",\"message\":\"M\"}}");
        assert_eq!(
            js(EndpointKind::Imds, &nested),
            js_err("C: Error(s): Not Available - Timestamp: Not Available - Description: M - Correlation ID: Not Available - Trace ID: Not Available")
        );
        let interaction = resp(
            400,
            "{\"error\":\"interaction_required\",\"error_description\":\"need\"}",
        );
        assert_eq!(
            js(EndpointKind::Imds, &interaction),
            js_err("interaction_required: need")
        );
        assert_eq!(
            js(EndpointKind::Imds, &resp(410, "")),
            js_err("Cannot read properties of undefined (reading 'expires_on')")
        );
        assert_eq!(
            js(EndpointKind::Imds, &resp(200, "null")),
            js_err("Cannot read properties of null (reading 'expires_on')")
        );
        assert_eq!(
            js(EndpointKind::Imds, &resp(502, "<html>Bad Gateway</html>")),
            SdkOutcome::Error {
                kind: "CredentialUnavailableError",
                message: "ManagedIdentityCredential: Network unreachable. Message: network_error: Network request failed".into()
            }
        );
        // An error_description without a string `error` is not an error to msal-node, and
        // without a token there is no expiry either.
        for body in ["{}", "5", "{\"error_description\":\"only\"}", "{\"foo\":1}"] {
            assert_eq!(
                js(EndpointKind::Imds, &resp(400, body)),
                SdkOutcome::Error {
                    kind: "AuthenticationRequiredError",
                    message: "Response had no \"expiresOn\" property.".into()
                },
                "{body}"
            );
        }
        let iso = resp(
            200,
            "{\"access_token\":\"x\",\"expires_on\":\"2030-01-01T00:00:00.000Z\"}",
        );
        assert!(matches!(
            js(EndpointKind::Imds, &iso),
            SdkOutcome::Token {
                expires_on: 1_893_456_000,
                ..
            }
        ));
        for body in [
            "{\"access_token\":\"x\"}",
            "{\"access_token\":\"x\",\"expires_on\":\"abc\"}",
            "{\"access_token\":\"x\",\"expires_on\":\"2030-01-01T00:00:00Z\"}",
        ] {
            assert!(
                matches!(js(EndpointKind::Imds, &resp(200, body)), SdkOutcome::Token { expires_on, .. } if expires_on == EPOCH),
                "{body}"
            );
        }
        let mut no_header = resp(401, "");
        no_header.headers.clear();
        assert_eq!(
            js(EndpointKind::Arc, &no_header),
            js_err("www_authenticate_header_missing: A 401 response was received form the Azure Arc Managed Identity, but the www-authenticate header is missing.")
        );
    }

    #[test]
    fn retry_plans_state_counts_and_waits() {
        let plan = |sdk: Sdk, kind, status| retry_plan(sdk, kind, status);
        let py = plan(Sdk::Python, EndpointKind::Imds, 500).unwrap();
        assert_eq!(
            py.delays_ms,
            vec![
                (0, 0),
                (1600, 1600),
                (3200, 3200),
                (6400, 6400),
                (12800, 12800)
            ]
        );
        assert_eq!(py.summary(), "5 retries, after 0, 1.6, 3.2, 6.4 and 12.8 s");
        assert_eq!(py.certainty, Certainty::Tested);
        let py410 = plan(Sdk::PythonAsync, EndpointKind::Imds, 410).unwrap();
        assert_eq!(py410.total_ms(), (75_000, 75_000));
        let app = plan(Sdk::Python, EndpointKind::AppService, 500).unwrap();
        assert_eq!(app.summary(), "3 retries, after 0, 1.6 and 3.2 s");
        assert_eq!(plan(Sdk::Python, EndpointKind::AppService, 410), None);
        assert_eq!(plan(Sdk::Python, EndpointKind::AppService, 404), None);
        assert!(plan(Sdk::Python, EndpointKind::Imds, 404).is_some());
        // @azure/identity: jitter within [d/2, d]; a 410 may give up after 46.5 s.
        let js500 = plan(Sdk::JavaScript, EndpointKind::Imds, 500).unwrap();
        assert_eq!(
            js500.summary(),
            "3 retries, after 0.5–1, 1–2 and 2–4 s (random within each range)"
        );
        let js410 = plan(Sdk::JavaScript, EndpointKind::Imds, 410).unwrap();
        assert_eq!(
            js410.delays_ms,
            vec![
                (1500, 3000),
                (3000, 6000),
                (6000, 12000),
                (12000, 24000),
                (24000, 48000)
            ]
        );
        assert_eq!(js410.total_ms(), (46_500, 93_000));
        assert_eq!(plan(Sdk::JavaScript, EndpointKind::Imds, 429), None);
        assert_eq!(plan(Sdk::JavaScript, EndpointKind::Imds, 501), None);
        assert_eq!(
            plan(Sdk::JavaScript, EndpointKind::Imds, 404)
                .unwrap()
                .delays_ms
                .first(),
            Some(&(400, 800))
        );
        // .NET is not run here: its plan is a guess read from source.
        let net = plan(Sdk::DotNet, EndpointKind::Imds, 410).unwrap();
        assert_eq!(net.certainty, Certainty::Guess);
        assert_eq!(net.delays_ms.first(), Some(&(2400, 3600)));
        assert_eq!(plan(Sdk::DotNet, EndpointKind::Imds, 502), None);
    }

    /// The text azure-sdk-for-net#46709 shows for Azure.Identity 1.13.0 on an IMDS 400.
    #[test]
    fn dotnet_words_an_imds_400_as_issue_46709_shows() {
        let mut r = resp(
            400,
            "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
        );
        r.headers = vec![
            (
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            ),
            ("Server".into(), "IMDS/150.870.65.1475".into()),
            (
                "x-ms-request-id".into(),
                "d11f61d9-6399-4609-a78e-87b5bba441aa".into(),
            ),
            ("Date".into(), "Mon, 21 Oct 2024 11:19:24 GMT".into()),
            ("Content-Length".into(), "68".into()),
        ];
        let net = readings(EndpointKind::Imds, &r, EPOCH)
            .into_iter()
            .find(|x| x.sdk == Sdk::DotNet)
            .unwrap();
        assert_eq!(
            net.outcome,
            SdkOutcome::Error {
                kind: "AuthenticationFailedException",
                message: "ManagedIdentityCredential authentication failed: [Managed Identity] Authentication unavailable. Either the requested identity has not been assigned to this resource, or other errors could be present. Ensure the identity is correctly assigned and check the inner exception for more details. For more information, visit https://aka.ms/msal-managed-identity.\nStatus: BadRequest\nContent:\n{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}\n\nHeaders:\nServer: IMDS/150.870.65.1475\nx-ms-request-id: d11f61d9-6399-4609-a78e-87b5bba441aa\nDate: Mon, 21 Oct 2024 11:19:24 GMT\n\n[Managed Identity] Error Code: invalid_request Error Description: Identity not found \nSee the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/managedidentitycredential/troubleshoot".into()
            }
        );
        let app = resp(500, "{\"statusCode\":500,\"message\":\"An unexpected error occured while fetching the AAD Token.\",\"correlationId\":\"c\"}");
        let net = readings(EndpointKind::AppService, &app, EPOCH)
            .into_iter()
            .find(|x| x.sdk == Sdk::DotNet)
            .unwrap();
        assert!(matches!(&net.outcome, SdkOutcome::Error { message, .. }
            if message == "ManagedIdentityCredential authentication failed: [Managed Identity] Error Message: An unexpected error occured while fetching the AAD Token. Managed Identity Correlation ID: c Use this Correlation ID for further investigation.\nSee the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/managedidentitycredential/troubleshoot"));
    }
}
