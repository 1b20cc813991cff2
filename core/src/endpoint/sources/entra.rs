//! Entra ID's token endpoint (`login.microsoftonline.com/<tenant>/oauth2/v2.0/token`): its
//! headers and its error JSON, shared by the workload-identity exchange.

use crate::cloud::time;
use crate::jsonw::Json;
use crate::text::owned;

use super::super::http::{h, HttpResponse};

/// The `x-ms-ests-server` value shown (a real one has this shape; the build varies) \[guess\].
const ESTS_SERVER: &str = "2.1.19456.6 - SCUS ProdSlices";

/// Response headers of the token endpoint. `x-ms-request-id` is the error's Trace ID [seen:
/// Entra errors quote the request id as Trace ID]; the rest of the set and its order follow
/// captures such as Azure/azure-powershell#22213 minus cookies and client-request-id echo
/// \[guess for the exact set\].
pub(crate) fn headers(now: u64, trace_id: &str) -> Vec<(String, String)> {
    vec![
        h("Cache-Control", "no-store, no-cache"),
        h("Pragma", "no-cache"),
        h("Content-Type", "application/json; charset=utf-8"),
        h("Expires", "-1"),
        h(
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ),
        h("X-Content-Type-Options", "nosniff"),
        h("P3P", "CP=\"DSP CUR OTPi IND OTRi ONL FIN\""),
        h("x-ms-request-id", trace_id),
        h("x-ms-ests-server", ESTS_SERVER),
        h("X-XSS-Protection", "0"),
        h("Date", time::rfc1123(now)),
    ]
}

/// How the description ends: older replies separate `Trace ID:`… with `\r\n`, replies seen
/// since 2024 with single spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tail {
    CrLf,
    Spaces,
}

/// One Entra error, as `(status, body)` on the wire.
pub(crate) struct EntraError<'a> {
    pub status: u16,
    /// OAuth error, e.g. `invalid_request`.
    pub error: &'a str,
    /// The AADSTS number, e.g. 70021.
    pub code: u32,
    /// The description before the trace part, starting `AADSTS<code>: `.
    pub head: String,
    pub tail: Tail,
}

impl EntraError<'_> {
    /// `{"error","error_description","error_codes","timestamp","trace_id","correlation_id","error_uri"}`
    /// compact, in this order \[seen: every captured Entra error, e.g.
    /// Azure/azure-workload-identity#616\].
    pub(crate) fn response(&self, now: u64, trace: &str, correlation: &str) -> HttpResponse {
        let ts = time::entra_timestamp(now);
        let description = match self.tail {
            Tail::CrLf => format!(
                "{}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {ts}",
                self.head
            ),
            Tail::Spaces => format!(
                "{} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {ts}",
                self.head
            ),
        };
        let mut j = Json::compact();
        j.obj().key("error").str(self.error);
        j.key("error_description").str(&description);
        j.key("error_codes").arr().el().num(self.code.into()).end();
        j.key("timestamp").str(&ts);
        j.key("trace_id").str(trace);
        j.key("correlation_id").str(correlation);
        j.key("error_uri").str(&format!(
            "https://login.microsoftonline.com/error?code={}",
            self.code
        ));
        let body = j.end().done();
        HttpResponse::with_body(self.status, headers(now, trace), body, false)
    }
}

/// The v2 success body `{"token_type","expires_in","ext_expires_in","access_token"}`, numbers
/// as numbers \[doc: client-credentials response sample; seen in captures\].
pub(crate) fn token_body(expires_in: u64, access_token: &str) -> String {
    let mut j = Json::compact();
    j.obj().key("token_type").str("Bearer");
    j.key("expires_in").num(expires_in);
    j.key("ext_expires_in").num(expires_in);
    j.key("access_token").str(access_token);
    j.end().done()
}

/// `AADSTS500011: The resource principal named … was not found in the tenant named …`
/// (the text IMDS relays, managed-identity.md §1) \[seen\].
pub(crate) fn aadsts500011_head(resource: &str, tenant_name: &str) -> String {
    let mut s = owned("AADSTS500011: The resource principal named ");
    s.push_str(resource);
    s.push_str(" was not found in the tenant named ");
    s.push_str(tenant_name);
    s.push_str(". This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");
    s
}
