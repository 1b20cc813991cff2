//! Finding the token in whatever was pasted, and saying what was removed.
//!
//! People paste tokens with `Bearer `, inside a whole `Authorization:` header or curl command,
//! as an IMDS / App Service JSON response, an MSAL cache entry, a jwt.ms-style URL, quoted, or
//! wrapped over several lines. We peel such layers one at a time (a bounded number of passes,
//! each linear, so the whole is linear) and record a note for every removal.

use serde_json::{Map, Value};

use super::{Area, Diagnostic, Severity};

/// Where the token was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The input was the token itself (possibly trimmed, unquoted, re-joined).
    Plain,
    /// After a `Bearer ` prefix.
    BearerPrefix,
    /// In an `Authorization:` header line (also inside raw HTTP requests).
    AuthorizationHeader,
    /// In the `Authorization` header of a curl command.
    CurlCommand,
    /// The `access_token` of a token endpoint response (IMDS, App Service, …).
    TokenResponse,
    /// A `secret` of an MSAL token cache entry.
    MsalCache,
    /// Another field of a JSON document.
    JsonField,
    /// A URL or fragment parameter (`#access_token=`, `#id_token=`, `#token=`).
    Url,
    /// A token-looking word inside other text.
    Text,
}

/// What was found and what was removed around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// The outermost wrapper that was recognised.
    pub source: Source,
    /// One sentence per removal, in the order they were done, e.g. "Removed the 'Bearer ' prefix."
    pub notes: Vec<String>,
    /// Path of the JSON field the token came from, e.g. `access_token` or
    /// `AccessToken.<key>.secret`.
    pub json_path: Option<String>,
    /// The other members of the JSON object that held the token (e.g. `expires_in`,
    /// `resource`, `client_id` of an IMDS response), in their original order.
    pub extra_fields: Map<String, Value>,
}

pub(crate) struct Extracted {
    pub extraction: Extraction,
    pub token: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Characters that can appear in a (possibly sloppily encoded) compact JWT.
pub(crate) fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/' | '=' | '.')
}

/// JSON keys that hold a token, by preference.
const TOKEN_KEYS: [&[&str]; 4] = [
    &["access_token", "accessToken", "AccessToken"],
    &["secret"],
    &["id_token", "idToken", "IdToken"],
    &["token", "Token"],
];

const MAX_PASSES: usize = 8;

/// Finds the token in `input`. Never fails: at worst the token is the trimmed input.
pub(crate) fn extract(input: &str) -> Extracted {
    let mut ex = Extraction {
        source: Source::Plain,
        notes: Vec::new(),
        json_path: None,
        extra_fields: Map::new(),
    };
    let mut diagnostics = Vec::new();
    let mut cur = input.to_string();
    let mut source_set = false;
    let mut noted_whitespace = false;
    let mut set_source = |ex: &mut Extraction, s: Source| {
        if !source_set {
            ex.source = s;
            source_set = true;
        }
    };

    for _ in 0..MAX_PASSES {
        let trimmed =
            cur.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}');
        if trimmed.len() != cur.len() {
            if !trimmed.is_empty() && !noted_whitespace {
                noted_whitespace = true;
                ex.notes.push("Removed surrounding whitespace.".to_string());
            }
            cur = trimmed.to_string();
        }
        if cur.is_empty() {
            break;
        }

        // Raw HTTP response: keep the body.
        if starts_with_ci(&cur, "HTTP/") {
            if let Some(body) = http_body(&cur) {
                ex.notes
                    .push("Removed the HTTP status line and headers.".to_string());
                cur = body.to_string();
                continue;
            }
        }

        // A JSON document holding the token.
        if cur.starts_with('{') || cur.starts_with('[') {
            if let Ok(doc) = serde_json::from_str::<Value>(&cur) {
                match find_in_json(&doc) {
                    Some(found) => {
                        let (source, note) = describe_json_find(&found);
                        set_source(&mut ex, source);
                        ex.notes.push(note);
                        ex.json_path = Some(found.path);
                        ex.extra_fields = found.siblings;
                        cur = found.token;
                        continue;
                    }
                    None => {
                        diagnostics.push(json_without_token(&doc));
                        return Extracted {
                            extraction: ex,
                            token: String::new(),
                            diagnostics,
                        };
                    }
                }
            }
        }

        // An Authorization header, alone, in raw HTTP, or in a curl command.
        if let Some((token, notes, source)) = from_authorization_header(&cur) {
            set_source(&mut ex, source);
            ex.notes.extend(notes);
            cur = token;
            continue;
        }

        if let Some(rest) = strip_prefix_ci(&cur, "bearer") {
            if rest.starts_with(char::is_whitespace) {
                set_source(&mut ex, Source::BearerPrefix);
                ex.notes.push("Removed the 'Bearer ' prefix.".to_string());
                cur = rest.trim_start().to_string();
                continue;
            }
        }

        if let Some(inner) = strip_quotes(&cur) {
            ex.notes.push("Removed the surrounding quotes.".to_string());
            cur = inner.to_string();
            continue;
        }

        if let Some((token, note, warning)) = from_url(&cur) {
            set_source(&mut ex, Source::Url);
            ex.notes.push(note);
            if let Some(w) = warning {
                diagnostics.push(w);
            }
            cur = token;
            continue;
        }
        break;
    }

    // Line breaks and spaces inside the token (wrapped terminals, e-mails, PDFs).
    if cur.chars().any(char::is_whitespace) || !cur.chars().all(is_token_char) {
        if cur.chars().all(|c| is_token_char(c) || c.is_whitespace())
            && looks_like_wrapped_jwt(&cur)
        {
            // A CRLF counts as one line break.
            let breaks =
                cur.matches('\n').count() + cur.matches('\r').count() - cur.matches("\r\n").count();
            let others = cur
                .chars()
                .filter(|c| c.is_whitespace() && *c != '\n' && *c != '\r')
                .count();
            cur.retain(|c| !c.is_whitespace());
            ex.notes.push(whitespace_note(breaks, others));
        } else if let Some(word) = first_jwt_word(&cur).filter(|w| {
            // A single word that starts like a JWT is decoded whole, so that stray characters
            // inside it are reported with their position rather than cut off silently.
            !cur.starts_with(*w) || cur.contains(char::is_whitespace)
        }) {
            set_source(&mut ex, Source::Text);
            ex.notes.push(
                "Took the token out of the surrounding text (the first word starting with 'eyJ')."
                    .to_string(),
            );
            cur = word.to_string();
        }
    }

    Extracted {
        extraction: ex,
        token: cur,
        diagnostics,
    }
}

/// Whitespace is removed only when the joined text looks like a JWT (starts like base64url of
/// `{` or has a '.'); prose such as "hello world" stays as it is.
fn looks_like_wrapped_jwt(s: &str) -> bool {
    let mut compact = s.chars().filter(|c| !c.is_whitespace());
    let first_two: String = compact.by_ref().take(2).collect();
    first_two == "ey" || first_two == "ew" || s.contains('.')
}

fn whitespace_note(breaks: usize, others: usize) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (breaks, others) {
        (b, 0) => format!(
            "Removed {} inside the token.",
            plural(b, "line break", "line breaks")
        ),
        (0, o) => format!("Removed {} inside the token.", plural(o, "space", "spaces")),
        (b, o) => format!(
            "Removed {} and {} inside the token.",
            plural(b, "line break", "line breaks"),
            plural(o, "space", "spaces")
        ),
    }
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if starts_with_ci(s, prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

/// Byte index of the first ASCII-case-insensitive occurrence of `needle` (ASCII) in `hay`.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

fn http_body(s: &str) -> Option<&str> {
    let crlf = s.find("\r\n\r\n").map(|i| i + 4);
    let lf = s.find("\n\n").map(|i| i + 2);
    let start = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    s.get(start..)
}

fn strip_quotes(s: &str) -> Option<&str> {
    for q in ['"', '\'', '`'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s.get(1..s.len() - 1);
        }
    }
    None
}

/// The token in an `Authorization` header found anywhere in `s`: `Authorization: Bearer …`
/// (header lines, raw HTTP, curl `-H`) or `Authorization = "Bearer …"` (PowerShell hashtables).
/// Returns (token, notes, source).
fn from_authorization_header(s: &str) -> Option<(String, Vec<String>, Source)> {
    const NAME: &str = "authorization";
    let mut from = 0usize;
    while let Some(rel) = s.get(from..).and_then(|rest| find_ci(rest, NAME)) {
        let at = from + rel;
        from = at + NAME.len();
        let after_name = s.get(from..)?.trim_start_matches(['"', '\'', ' ', '\t']);
        let Some(value) = after_name.strip_prefix([':', '=']) else {
            continue;
        };
        let value = value.trim_start_matches([' ', '\t', '"', '\'']);
        // An authentication scheme: a word followed by a space, e.g. "Bearer " or "Basic ".
        let scheme_len = value.chars().take_while(char::is_ascii_alphabetic).count();
        let (scheme, value) = match (value.get(..scheme_len), value.get(scheme_len..)) {
            (Some(word), Some(rest)) if scheme_len > 0 && rest.starts_with([' ', '\t']) => {
                (Some(word), rest.trim_start_matches([' ', '\t']))
            }
            _ => (None, value),
        };
        let token: String = value.chars().take_while(|&c| is_token_char(c)).collect();
        if token.is_empty() {
            continue;
        }
        let is_command = starts_with_ci(s.trim_start(), "curl")
            || find_ci(s, "invoke-restmethod").is_some()
            || find_ci(s, "invoke-webrequest").is_some();
        let (note, source) = if is_command {
            (
                "Removed the command around the 'Authorization' header (curl / PowerShell).",
                Source::CurlCommand,
            )
        } else if at == 0 {
            (
                "Removed the 'Authorization:' header name.",
                Source::AuthorizationHeader,
            )
        } else {
            (
                "Took the token from the 'Authorization' header in the pasted text.",
                Source::AuthorizationHeader,
            )
        };
        let mut notes = vec![note.to_string()];
        match scheme {
            Some(w) if w.eq_ignore_ascii_case("bearer") => {
                notes.push("Removed the 'Bearer ' prefix.".to_string())
            }
            Some(w) => notes.push(format!(
                "Removed the '{w}' authorization scheme; only Bearer credentials are usually JWTs."
            )),
            None => {}
        }
        return Some((token, notes, source));
    }
    None
}

/// A token in a URL / fragment parameter. Returns (token, note, warning for query strings).
fn from_url(s: &str) -> Option<(String, String, Option<Diagnostic>)> {
    for name in ["access_token", "id_token", "token"] {
        let needle = format!("{name}=");
        let mut search_from = 0usize;
        while let Some(rel) = s.get(search_from..).and_then(|rest| rest.find(&needle)) {
            let at = search_from + rel;
            search_from = at + needle.len();
            // The name must start a parameter: at the start, or after '#', '?', '&', '/'.
            let prev = s.get(..at).and_then(|p| p.chars().next_back());
            if !matches!(prev, None | Some('#' | '?' | '&' | '/')) {
                continue;
            }
            let value_start = at + needle.len();
            let value: &str = s
                .get(value_start..)
                .map(|v| {
                    v.split(['&', '#', ' ', '\n', '\r', '\t'])
                        .next()
                        .unwrap_or("")
                })
                .unwrap_or("");
            if value.is_empty() {
                continue;
            }
            let in_query = s
                .get(..at)
                .is_some_and(|p| p.contains('?') && !p.contains('#'));
            let decoded = percent_decode(value);
            let place = if in_query { "query" } else { "fragment" };
            let mut note = format!("Took the token from the URL {place} parameter '{name}'");
            if decoded != value {
                note.push_str(" (percent-decoded)");
            }
            note.push('.');
            let warning = in_query.then(|| {
                Diagnostic::new(
                    Severity::Warning,
                    Area::Input,
                    format!("The token was in the URL query string ('?{name}='): query strings are sent to servers and kept in their logs and in browser history."),
                    "Put tokens in the fragment ('#token=…'), which never leaves the browser.",
                )
            });
            return Some((decoded, note, warning));
        }
    }
    None
}

/// `%XX` → byte; malformed escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// First maximal run of token characters that starts with `eyJ` (base64url of `{"`).
fn first_jwt_word(s: &str) -> Option<&str> {
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if is_token_char(c) {
            start.get_or_insert(i);
        } else if let Some(st) = start.take() {
            let word = s.get(st..i)?;
            if word.starts_with("eyJ") {
                return Some(word);
            }
        }
    }
    None
}

struct JsonFind {
    token: String,
    path: String,
    key: String,
    siblings: Map<String, Value>,
    depth: usize,
}

/// Depth-first search for the best token-holding field; linear in the document.
fn find_in_json(doc: &Value) -> Option<JsonFind> {
    let mut best: [Option<JsonFind>; TOKEN_KEYS.len()] = Default::default();
    let mut path: Vec<String> = Vec::new();
    walk(doc, &mut path, &mut best);
    best.into_iter().flatten().next()
}

fn walk(v: &Value, path: &mut Vec<String>, best: &mut [Option<JsonFind>; TOKEN_KEYS.len()]) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if let Value::String(s) = child {
                    let rank = TOKEN_KEYS
                        .iter()
                        .position(|keys| keys.contains(&k.as_str()));
                    if let Some(rank) = rank {
                        let looks_like_token =
                            s.len() >= 8 && !s.trim().contains(char::is_whitespace);
                        if looks_like_token && best.get(rank).is_some_and(Option::is_none) {
                            let mut siblings = map.clone();
                            siblings.shift_remove(k);
                            let mut p = path.clone();
                            p.push(k.clone());
                            if let Some(slot) = best.get_mut(rank) {
                                *slot = Some(JsonFind {
                                    token: s.clone(),
                                    path: p.join("."),
                                    key: k.clone(),
                                    siblings,
                                    depth: path.len(),
                                });
                            }
                        }
                    }
                } else {
                    path.push(k.clone());
                    walk(child, path, best);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                walk(child, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

fn describe_json_find(found: &JsonFind) -> (Source, String) {
    let is_response = found.depth == 0
        && found.key == "access_token"
        && [
            "token_type",
            "expires_in",
            "expires_on",
            "resource",
            "client_id",
        ]
        .iter()
        .any(|k| found.siblings.contains_key(*k));
    let is_msal = found.key == "secret"
        && found
            .path
            .split('.')
            .next()
            .is_some_and(|first| ["AccessToken", "IdToken", "RefreshToken"].contains(&first));
    if is_response {
        (
            Source::TokenResponse,
            "Took 'access_token' from a token endpoint response (IMDS / App Service style); its other fields are listed separately.".to_string(),
        )
    } else if is_msal {
        (
            Source::MsalCache,
            format!(
                "Took the token from the MSAL token cache entry '{}'.",
                found.path
            ),
        )
    } else {
        (
            Source::JsonField,
            format!("Took the token from the JSON field '{}'.", found.path),
        )
    }
}

/// Explains a JSON document that holds no token.
fn json_without_token(doc: &Value) -> Diagnostic {
    let get = |k: &str| doc.get(k).and_then(Value::as_str);
    if let Some(code) = get("error") {
        let desc = get("error_description").unwrap_or("");
        return Diagnostic::new(
            Severity::Error,
            Area::Input,
            format!("This is an error response from a token endpoint, not a token: {code}: {desc}"),
            "Fix the request (see the error) and paste the 'access_token' of a successful response.",
        );
    }
    if let (Some(status), Some(message)) = (doc.get("statusCode"), get("message")) {
        return Diagnostic::new(
            Severity::Error,
            Area::Input,
            format!("This is an App Service identity endpoint error (statusCode {status}), not a token: {message}"),
            "Fix the request (see the message) and paste the 'access_token' of a successful response.",
        );
    }
    let claim_like = ["aud", "iss", "exp", "iat", "oid", "tid"]
        .iter()
        .filter(|k| doc.get(**k).is_some())
        .count();
    if claim_like >= 2 {
        return Diagnostic::new(
            Severity::Error,
            Area::Input,
            "This JSON looks like an already-decoded token payload, not a token.".to_string(),
            "Paste the encoded token (it starts with 'eyJ'), not its decoded claims.",
        );
    }
    Diagnostic::new(
        Severity::Error,
        Area::Input,
        "The pasted JSON holds no token (looked for 'access_token', 'accessToken', 'secret', 'id_token' and 'token' fields).".to_string(),
        "Paste the token itself, or the full token endpoint response.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln";

    fn run(input: &str) -> Extracted {
        extract(input)
    }

    #[test]
    fn plain_token_has_no_notes() {
        let e = run(T);
        assert_eq!(e.token, T);
        assert!(e.extraction.notes.is_empty());
        assert_eq!(e.extraction.source, Source::Plain);
    }

    #[test]
    fn bearer_quotes_and_whitespace() {
        let e = run(&format!("  \"Bearer {T}\"\n"));
        assert_eq!(e.token, T);
        assert_eq!(
            e.extraction.notes,
            [
                "Removed surrounding whitespace.",
                "Removed the surrounding quotes.",
                "Removed the 'Bearer ' prefix."
            ]
        );
        assert_eq!(e.extraction.source, Source::BearerPrefix);
    }

    #[test]
    fn line_breaks_inside() {
        let wrapped = format!("{}\r\n{} \n{}", &T[..10], &T[10..20], &T[20..]);
        let e = run(&wrapped);
        assert_eq!(e.token, T);
        assert_eq!(
            e.extraction.notes,
            ["Removed 2 line breaks and 1 space inside the token."]
        );
    }

    #[test]
    fn authorization_header_and_curl() {
        let e = run(&format!("Authorization: Bearer {T}"));
        assert_eq!(e.token, T);
        assert_eq!(e.extraction.source, Source::AuthorizationHeader);
        assert_eq!(
            e.extraction.notes,
            [
                "Removed the 'Authorization:' header name.",
                "Removed the 'Bearer ' prefix."
            ]
        );
        let curl = format!(
            "curl -s \\\n  -H \"Authorization: Bearer {T}\" \\\n  https://management.azure.com/subscriptions?api-version=2020-01-01"
        );
        let e = run(&curl);
        assert_eq!(e.token, T);
        assert_eq!(e.extraction.source, Source::CurlCommand);
        let raw = format!("GET /x HTTP/1.1\r\nHost: a\r\nauthorization: bearer {T}\r\n\r\n");
        assert_eq!(run(&raw).token, T);
        let ps =
            format!("Invoke-RestMethod -Uri $u -Headers @{{ \"Authorization\" = \"Bearer {T}\" }}");
        let e = run(&ps);
        assert_eq!(
            (e.token.as_str(), e.extraction.source),
            (T, Source::CurlCommand)
        );
        let e = run("Authorization: Basic dXNlcjpwYXNz");
        assert_eq!(e.token, "dXNlcjpwYXNz");
        assert_eq!(
            e.extraction.notes[1],
            "Removed the 'Basic' authorization scheme; only Bearer credentials are usually JWTs."
        );
        // The word "authorization" in prose is not a header.
        assert_eq!(run("no authorization here").token, "no authorization here");
    }

    #[test]
    fn imds_response_keeps_other_fields_in_order() {
        let body = format!(
            r#"{{"access_token":"{T}","client_id":"c","expires_in":"86399","expires_on":"1","ext_expires_in":"86399","not_before":"1","resource":"https://management.azure.com/","token_type":"Bearer"}}"#
        );
        let e = run(&body);
        assert_eq!(e.token, T);
        assert_eq!(e.extraction.source, Source::TokenResponse);
        assert_eq!(e.extraction.json_path.as_deref(), Some("access_token"));
        let keys: Vec<_> = e
            .extraction
            .extra_fields
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "expires_in",
                "expires_on",
                "ext_expires_in",
                "not_before",
                "resource",
                "token_type"
            ]
        );
        // With the HTTP status line and headers around it.
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{body}");
        let e = run(&http);
        assert_eq!(e.token, T);
        assert_eq!(
            e.extraction.notes[0],
            "Removed the HTTP status line and headers."
        );
    }

    #[test]
    fn msal_cache_entry() {
        let cache = format!(
            r#"{{"Account":{{}},"AccessToken":{{"uid.utid-login.microsoftonline.com-accesstoken-cid-tid-scope":{{"credential_type":"AccessToken","secret":"{T}","target":"https://graph.microsoft.com/.default"}}}}}}"#
        );
        let e = run(&cache);
        assert_eq!(e.token, T);
        assert_eq!(e.extraction.source, Source::MsalCache);
        assert_eq!(
            e.extraction.json_path.as_deref(),
            Some("AccessToken.uid.utid-login.microsoftonline.com-accesstoken-cid-tid-scope.secret")
        );
        assert!(e.extraction.extra_fields.contains_key("target"));
        // Other JSON shapes.
        let e = run(&format!(r#"{{"result":{{"accessToken":"{T}"}}}}"#));
        assert_eq!(
            (e.token.as_str(), e.extraction.source),
            (T, Source::JsonField)
        );
        let e = run(&format!(r#"[{{"id_token":"{T}"}}]"#));
        assert_eq!(e.extraction.json_path.as_deref(), Some("[0].id_token"));
    }

    #[test]
    fn json_without_a_token_is_explained() {
        let e = run(r#"{"error":"invalid_request","error_description":"Identity not found"}"#);
        assert_eq!(e.token, "");
        assert_eq!(
            e.diagnostics[0].message,
            "This is an error response from a token endpoint, not a token: invalid_request: Identity not found"
        );
        let e = run(r#"{"aud":"x","iss":"y"}"#);
        assert!(e.diagnostics[0].message.contains("already-decoded"));
    }

    #[test]
    fn urls_and_fragments() {
        let e = run(&format!("https://jwt.ms/#id_token={T}&state=1"));
        assert_eq!(e.token, T);
        assert_eq!(
            e.extraction.notes,
            ["Took the token from the URL fragment parameter 'id_token'."]
        );
        let e = run(&format!("#access_token={}", T.replace('.', "%2E")));
        assert_eq!(e.token, T);
        assert!(e.extraction.notes[0].ends_with("(percent-decoded)."));
        let e = run(&format!("https://x.example/cb?token={T}"));
        assert_eq!(e.token, T);
        assert_eq!(e.diagnostics[0].severity, Severity::Warning);
        // "mytoken=" is not a token parameter.
        let e = run("https://x/#mytoken=abc");
        assert_eq!(e.token, "https://x/#mytoken=abc");
    }

    #[test]
    fn token_in_prose() {
        let e = run(&format!("here it is: {T}, thanks"));
        assert_eq!(e.token, T);
        assert_eq!(e.extraction.source, Source::Text);
    }

    #[test]
    fn whitespace_only_and_non_ascii_do_not_panic() {
        assert_eq!(run(" \n\t ").token, "");
        assert_eq!(run("é").token, "é");
        assert_eq!(run("\"").token, "\"");
        assert_eq!(run("authorization:é").token, "authorization:é");
        assert_eq!(run("Bearer").token, "Bearer");
    }
}
