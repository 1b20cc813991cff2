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

/// A problem in a URL or query, at a character offset of the text being parsed. Callers map the
/// offset to a line and column of the input it came from.
#[derive(Debug)]
struct Problem {
    offset: usize,
    message: String,
    fix: &'static str,
}

impl Problem {
    fn new(offset: usize, message: impl Into<String>, fix: &'static str) -> Problem {
        Problem {
            offset,
            message: message.into(),
            fix,
        }
    }

    /// The same problem `by` characters further right (the text was a slice of a longer one).
    fn shifted(self, by: usize) -> Problem {
        Problem {
            offset: self.offset + by,
            ..self
        }
    }

    fn at(self, pos: &dyn Fn(usize) -> (usize, usize)) -> ParseError {
        let (line, column) = pos(self.offset);
        perr(line, column, self.message, self.fix)
    }
}

/// The number of characters of `s` before byte index `byte`.
fn chars_before(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count())
}

impl Url {
    /// Parses an absolute `http(s)://host[:port]/path?query` URL. Error columns count the
    /// characters of `text`, 1-based.
    pub fn parse(text: &str) -> Result<Url, ParseError> {
        Url::parse_at(text, 1, 1)
    }

    /// [`Url::parse`] of a text that starts at `line`, `column` of the input and has no line
    /// breaks.
    pub(crate) fn parse_at(text: &str, line: usize, column: usize) -> Result<Url, ParseError> {
        Url::parse_mapped(text, &|offset| (line, column + offset))
    }

    /// [`Url::parse`] with errors placed by `pos`, which maps a character offset of `text` (or
    /// its length, just past the end) to the (line, column) of the input it came from.
    pub(crate) fn parse_mapped(
        text: &str,
        pos: &dyn Fn(usize) -> (usize, usize),
    ) -> Result<Url, ParseError> {
        parse_url(text).map_err(|p| p.at(pos))
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

/// Parses an absolute URL; problems carry character offsets into `text`.
fn parse_url(text: &str) -> Result<Url, Problem> {
    let (scheme, rest_start) = match text.split_once("://") {
        Some((s, _)) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            (s.to_ascii_lowercase(), s.len() + 3)
        }
        Some((s, _)) => {
            return Err(Problem::new(
                0,
                format!("Unsupported URL scheme '{s}'."),
                "Token endpoints use http:// (IMDS, local endpoints) or https:// (Azure services).",
            ))
        }
        None => {
            return Err(Problem::new(
                0,
                format!("'{}' is not an absolute URL.", shorten(text)),
                "Start the URL with http://, e.g. http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/",
            ))
        }
    };
    let rest = text.get(rest_start..).unwrap_or("");
    let authority_len = rest.find(['/', '?']).unwrap_or(rest.len());
    let user_info = rest
        .get(..authority_len)
        .and_then(|a| a.rfind('@'))
        .map_or(0, |i| i + 1);
    // Byte indexes into `text`: the authority without any `user@` part, then path and query.
    let host_start = rest_start + user_info;
    let path_start = rest_start + authority_len;
    let authority = text.get(host_start..path_start).unwrap_or("");
    let at = |byte: usize| chars_before(text, byte);
    if authority.is_empty() {
        return Err(Problem::new(
            at(host_start),
            "The URL has no host.",
            "Write the host after '://', e.g. 169.254.169.254.",
        ));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || !p.is_empty() => {
            let port = p.parse::<u16>().map_err(|_| {
                Problem::new(
                    at(host_start + h.len() + 1),
                    format!("'{p}' is not a port number."),
                    "A port is a number from 1 to 65535, e.g. localhost:4141.",
                )
            })?;
            (h.to_ascii_lowercase(), Some(port))
        }
        _ => (authority.to_ascii_lowercase(), None),
    };
    if let Some(bad) = host.find(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
        return Err(Problem::new(
            at(host_start + bad),
            "Unexpected character in the host name.",
            "Remove spaces and quotes from the URL.",
        ));
    }
    let path_query = text.get(path_start..).unwrap_or("");
    let (path, query) = match path_query.split_once('?') {
        Some((p, q)) => {
            let q_start = path_start + p.len() + 1;
            (p, query_pairs(q).map_err(|e| e.shifted(at(q_start)))?)
        }
        None => (path_query, Vec::new()),
    };
    Ok(Url {
        scheme,
        host,
        port,
        path: if path.is_empty() { "/" } else { path }.to_string(),
        query,
    })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Parses `a=1&b=2` into decoded pairs. A name without `=` gets an empty value. Error columns
/// count characters from `column` (the query has no line breaks).
pub fn parse_query(
    q: &str,
    line: usize,
    column: usize,
) -> Result<Vec<(String, String)>, ParseError> {
    parse_query_mapped(q, &|offset| (line, column + offset))
}

/// [`parse_query`] with errors placed by `pos` (see [`Url::parse_mapped`]).
pub(crate) fn parse_query_mapped(
    q: &str,
    pos: &dyn Fn(usize) -> (usize, usize),
) -> Result<Vec<(String, String)>, ParseError> {
    query_pairs(q).map_err(|p| p.at(pos))
}

fn query_pairs(q: &str) -> Result<Vec<(String, String)>, Problem> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in q.split('&') {
        if !part.is_empty() {
            let (n, v) = part.split_once('=').unwrap_or((part, ""));
            let name = decode_component(n).map_err(|e| e.shifted(offset))?;
            let value_offset = offset + n.chars().count() + 1;
            let value = decode_component(v).map_err(|e| e.shifted(value_offset))?;
            out.push((name, value));
        }
        offset += part.chars().count() + 1;
    }
    Ok(out)
}

/// Decodes `%XX` escapes and `+` (space). Invalid escapes are errors with their column
/// (`column` plus the characters before the `%`).
pub fn percent_decode(s: &str, line: usize, column: usize) -> Result<String, ParseError> {
    decode_component(s).map_err(|p| p.at(&|offset| (line, column + offset)))
}

fn decode_component(s: &str) -> Result<String, Problem> {
    let bytes = crate::percent::decode_bytes(s, true).map_err(|i| {
        Problem::new(
            chars_before(s, i),
            "'%' must be followed by two hex digits.",
            "Encode a literal '%' as %25, e.g. https%3A%2F%2Fmanagement.azure.com%2F.",
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        Problem::new(
            0,
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
    fn url_error_columns_count_characters_of_the_input() {
        // Found by fuzzing: columns were byte offsets, and the default path and a dropped
        // `user@` moved the query's columns.
        let col = |u: &str| Url::parse(u).unwrap_err().column;
        assert_eq!(col("http://é:x/"), 10);
        assert_eq!(col("http://h/?é=%zz"), 13);
        assert_eq!(col("http://h?a=%zz"), 12);
        assert_eq!(col("http://user@h/?a=%zz"), 18);
        assert_eq!(col("http://u@h:x/"), 12);
        assert_eq!(col("http://u@ h/"), 10);
        assert_eq!(col("http://u@/"), 10);
        let e = parse_query("é=1&b=%zz", 1, 1).unwrap_err();
        assert_eq!(e.column, 7);
        assert_eq!(percent_decode("éé%z", 1, 5).unwrap_err().column, 7);
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
