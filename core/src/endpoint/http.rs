//! The HTTP model: requests and responses exactly as on the wire.

use crate::text::{owned, Text};
use std::fmt;

/// A precise parse error: what, where (1-based line and column), how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub fix: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} {}",
            self.line, self.column, self.message, self.fix
        )
    }
}

impl std::error::Error for ParseError {}

pub(crate) fn perr(
    line: usize,
    column: usize,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> ParseError {
    ParseError {
        message: message.into(),
        line,
        column,
        fix: fix.into(),
    }
}

/// A URL split into the parts the endpoints look at. Query pairs are percent-decoded and kept
/// in order, duplicates included (IMDS rejects duplicates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub query: Vec<(String, String)>,
}

impl Url {
    /// Parses an absolute `http(s)://host[:port]/path?query` URL. Column numbers in errors are
    /// 1-based offsets into `text` plus `column_offset`.
    pub fn parse(text: &str) -> Result<Url, ParseError> {
        Url::parse_at(text, 1, 1)
    }

    pub(crate) fn parse_at(text: &str, line: usize, column: usize) -> Result<Url, ParseError> {
        let (scheme, rest) = match text.split_once("://") {
            Some((s, r)) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
                (s.to_ascii_lowercase(), r)
            }
            Some((s, _)) => {
                return Err(perr(
                    line,
                    column,
                    format!("Unsupported URL scheme '{s}'."),
                    "Token endpoints use http:// (IMDS, local endpoints) or https:// (Azure services).",
                ))
            }
            None => {
                return Err(perr(
                    line,
                    column,
                    format!("'{}' is not an absolute URL.", shorten(text)),
                    "Start the URL with http://, e.g. http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/",
                ))
            }
        };
        let rest_col = column + scheme.len() + 3;
        let (authority, path_query) = match rest.find(['/', '?']) {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
            None => (rest, ""),
        };
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        if authority.is_empty() {
            return Err(perr(
                line,
                rest_col,
                "The URL has no host.",
                "Write the host after '://', e.g. 169.254.169.254.",
            ));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || !p.is_empty() => {
                let port = p.parse::<u16>().map_err(|_| {
                    perr(
                        line,
                        rest_col + h.len() + 1,
                        format!("'{p}' is not a port number."),
                        "A port is a number from 1 to 65535, e.g. localhost:4141.",
                    )
                })?;
                (h.to_ascii_lowercase(), Some(port))
            }
            _ => (authority.to_ascii_lowercase(), None),
        };
        if let Some(bad) = host.find(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
            return Err(perr(
                line,
                rest_col + bad,
                "Unexpected character in the host name.",
                "Remove spaces and quotes from the URL.",
            ));
        }
        let (path, query_text) = match path_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_query, None),
        };
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            path.to_string()
        };
        let query_col = rest_col + authority.len() + path.len() + 1;
        let query = match query_text {
            Some(q) => parse_query(q, line, query_col)?,
            None => Vec::new(),
        };
        Ok(Url {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// The port, defaulting by scheme.
    pub fn effective_port(&self) -> u16 {
        self.port
            .unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }

    /// `host[:port]` as written in a `Host` header.
    pub fn authority(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    /// The first value of query parameter `name` (exact, case-sensitive as IMDS is).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Path plus encoded query, as in a request line.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, encode_query(&self.query))
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme,
            self.authority(),
            self.path_and_query()
        )
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Parses `a=1&b=2` into decoded pairs. A name without `=` gets an empty value.
pub fn parse_query(
    q: &str,
    line: usize,
    column: usize,
) -> Result<Vec<(String, String)>, ParseError> {
    let mut out = Vec::new();
    let mut col = column;
    for part in q.split('&') {
        if !part.is_empty() {
            let (n, v) = part.split_once('=').unwrap_or((part, ""));
            let name = percent_decode(n, line, col)?;
            let value = percent_decode(v, line, col + n.len() + 1)?;
            out.push((name, value));
        }
        col += part.len() + 1;
    }
    Ok(out)
}

/// Decodes `%XX` escapes and `+` (space). Invalid escapes are errors with their column.
pub fn percent_decode(s: &str, line: usize, column: usize) -> Result<String, ParseError> {
    let bytes = crate::percent::decode_bytes(s, true).map_err(|i| {
        perr(
            line,
            column + i,
            "'%' must be followed by two hex digits.",
            "Encode a literal '%' as %25, e.g. https%3A%2F%2Fmanagement.azure.com%2F.",
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        perr(
            line,
            column,
            "The decoded query is not valid UTF-8.",
            "Check the %-escapes.",
        )
    })
}

/// Encodes a query component the way the Azure SDKs do (like Python's `quote_plus`):
/// unreserved characters stay, everything else becomes `%XX`.
pub fn percent_encode(s: &str) -> String {
    crate::percent::encode(s, b"")
}

/// `a=1&b=2` with encoded values.
pub fn encode_query(q: &[(String, String)]) -> String {
    q.iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// An HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Upper-case verb, e.g. `GET`.
    pub method: String,
    pub url: Url,
    /// Headers in order, names as written.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpRequest {
    /// A GET request with headers.
    pub fn get(url: Url, headers: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: "GET".to_string(),
            url,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: String::new(),
        }
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets (replaces or appends) a header.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// The request as raw HTTP/1.1 text (CRLF line endings), with a `Host` header first.
    pub fn to_wire(&self) -> String {
        let mut s = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\n",
            self.method,
            self.url.path_and_query(),
            self.url.authority()
        );
        for (n, v) in &self.headers {
            if !n.eq_ignore_ascii_case("host") {
                s.push_str(&format!("{n}: {v}\r\n"));
            }
        }
        if !self.body.is_empty() {
            s.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        s.push_str("\r\n");
        s.push_str(&self.body);
        s
    }
}

/// An HTTP response, rendered byte-exact by [`HttpResponse::to_wire`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Headers in wire order. `Content-Length` / `Transfer-Encoding` are included as sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Body sent with `Transfer-Encoding: chunked` (App Service's Kestrel does this).
    pub chunked: bool,
}

impl HttpResponse {
    /// The reason phrase for the status code.
    pub fn reason(&self) -> &'static str {
        reason_phrase(self.status)
    }

    /// `HTTP/1.1 200 OK`
    pub fn status_line(&self) -> String {
        format!("HTTP/1.1 {} {}", self.status, self.reason())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The response exactly as on the wire: status line, headers, CRLF, body (one chunk plus
    /// the terminating zero chunk when chunked).
    pub fn to_wire(&self) -> String {
        let mut s = self.status_line();
        s.push_str("\r\n");
        for (n, v) in &self.headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        s.push_str("\r\n");
        if self.chunked {
            if !self.body.is_empty() {
                s.push_str(&format!("{:x}\r\n{}\r\n", self.body.len(), self.body));
            }
            s.push_str("0\r\n\r\n");
        } else {
            s.push_str(&self.body);
        }
        s
    }

    /// The body parsed as JSON (order preserved), if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// Builds a response with the given headers followed by `Content-Length` (or
    /// `Transfer-Encoding: chunked`) computed from the body.
    pub fn with_body(
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
        chunked: bool,
    ) -> HttpResponse {
        let mut headers = headers;
        if chunked {
            headers.push(("Transfer-Encoding".to_string(), "chunked".to_string()));
        } else {
            headers.push(("Content-Length".to_string(), body.len().to_string()));
        }
        HttpResponse {
            status,
            headers,
            body,
            chunked,
        }
    }
}

/// Standard reason phrases.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

pub(crate) fn h(name: &str, value: impl Text) -> (String, String) {
    (owned(name), value.text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders_urls() {
        let u = Url::parse("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F").unwrap();
        assert_eq!(u.host, "169.254.169.254");
        assert_eq!(u.port, None);
        assert_eq!(
            u.query_value("resource"),
            Some("https://management.azure.com/")
        );
        assert_eq!(u.to_string(), "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F");
        let u = Url::parse("http://localhost:4141/MSI/token?resource=https://vault.azure.net&x")
            .unwrap();
        assert_eq!(u.port, Some(4141));
        assert_eq!(
            u.query,
            vec![
                ("resource".into(), "https://vault.azure.net".into()),
                ("x".into(), String::new())
            ]
        );
    }

    #[test]
    fn url_errors_have_columns() {
        let e = Url::parse("ftp://x").unwrap_err();
        assert!(e.message.contains("scheme"));
        let e = Url::parse("http://localhost:99999/x").unwrap_err();
        assert_eq!(e.column, 18);
        let e = Url::parse("http://h/p?a=%zz").unwrap_err();
        assert_eq!(e.column, 14);
        assert!(Url::parse("169.254.169.254/metadata")
            .unwrap_err()
            .message
            .contains("absolute"));
        assert!(Url::parse("http:///x").is_err());
    }

    #[test]
    fn renders_responses_exactly() {
        let r = HttpResponse::with_body(
            200,
            vec![h("Content-Type", "text/plain")],
            "hi".into(),
            false,
        );
        assert_eq!(
            r.to_wire(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
        );
        let r = HttpResponse::with_body(400, vec![], "{}".into(), true);
        assert_eq!(
            r.to_wire(),
            "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
        );
    }
}
