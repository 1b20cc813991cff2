//! Requests from what people type: a form, a `curl` command, a PowerShell
//! `Invoke-RestMethod`/`Invoke-WebRequest` line, or raw HTTP. Errors say what, where (line and
//! column, 1-based) and how to fix it. Never panics.

use super::http::{perr, HttpRequest, ParseError, Url};

/// The request form of the UI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestForm {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
}

impl RequestForm {
    pub fn to_request(&self) -> Result<HttpRequest, ParseError> {
        let method = if self.method.trim().is_empty() {
            "GET".to_string()
        } else {
            self.method.trim().to_ascii_uppercase()
        };
        let url = Url::parse(self.url.trim())?;
        for (i, (n, _)) in self.headers.iter().enumerate() {
            if n.trim().is_empty() || n.contains(|c: char| c.is_whitespace() || c == ':') {
                return Err(perr(
                    i + 1,
                    1,
                    format!("Header {} has an invalid name '{n}'.", i + 1),
                    "A header name is a single word such as Metadata or X-IDENTITY-HEADER.",
                ));
            }
        }
        Ok(HttpRequest {
            method,
            url,
            headers: self
                .headers
                .iter()
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .collect(),
            body: String::new(),
        })
    }
}

/// Which syntax a text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Curl,
    PowerShell,
    RawHttp,
    Url,
}

/// Guesses the syntax of `text`.
pub fn detect(text: &str) -> Option<Syntax> {
    let t = text.trim_start();
    let first = t.split_whitespace().next().unwrap_or("");
    let lower = first.to_ascii_lowercase();
    if lower == "curl" || lower == "curl.exe" {
        Some(Syntax::Curl)
    } else if ["invoke-restmethod", "invoke-webrequest", "irm", "iwr"].contains(&lower.as_str())
        || (first.starts_with('$') && {
            let l = t.to_ascii_lowercase();
            l.contains("invoke-") || l.contains("= irm ") || l.contains("= iwr ")
        })
    {
        Some(Syntax::PowerShell)
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Some(Syntax::Url)
    } else if ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"].contains(&first) {
        Some(Syntax::RawHttp)
    } else {
        None
    }
}

/// Parses any supported syntax. `env` resolves `$NAME` / `${NAME}` (bash) and `$env:NAME`
/// (PowerShell), e.g. `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` on App Service.
pub fn parse_any(text: &str, env: &[(String, String)]) -> Result<HttpRequest, ParseError> {
    match detect(text) {
        Some(Syntax::Curl) => parse_curl(text, env),
        Some(Syntax::PowerShell) => parse_powershell(text, env),
        Some(Syntax::RawHttp) => parse_raw_http(text),
        Some(Syntax::Url) => {
            // Offsets into the trimmed URL are offsets into the text after its leading blanks.
            let lead = text.chars().take_while(|c| c.is_whitespace()).count();
            let url = Url::parse_mapped(text.trim(), &|offset| position(text, lead + offset))?;
            Ok(HttpRequest::get(url, &[]))
        }
        None => {
            let (line, col) = first_non_space(text);
            Err(perr(line, col, "Cannot tell what this is.", "Paste a curl command, an Invoke-RestMethod line, raw HTTP (GET /path HTTP/1.1 + Host: header) or a URL."))
        }
    }
}

fn first_non_space(text: &str) -> (usize, usize) {
    for (li, l) in text.lines().enumerate() {
        if let Some(c) = l.chars().position(|c| !c.is_whitespace()) {
            return (li + 1, c + 1);
        }
    }
    (1, 1)
}

/// A word of a command line, its quotes, escapes and variables resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    /// Where the word starts (inside the quote when it starts with one), 1-based.
    line: usize,
    col: usize,
    /// The input position (line, column) of each character of `text`: where it is written, or
    /// the `$` of the variable it was expanded from.
    pos: Vec<(usize, usize)>,
    /// The input position just after the last source character of `text`.
    end: (usize, usize),
}

impl Word {
    fn new(line: usize, col: usize) -> Word {
        Word {
            text: String::new(),
            line,
            col,
            pos: Vec::new(),
            end: (line, col),
        }
    }

    fn push(&mut self, ch: char, at: (usize, usize)) {
        self.text.push(ch);
        self.pos.push(at);
    }

    /// Where the character at `offset` of `text` is in the input; past the end, the position
    /// just after the word's last character.
    fn at(&self, offset: usize) -> (usize, usize) {
        self.pos.get(offset).copied().unwrap_or(self.end)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shell {
    Bash,
    Pwsh,
}

/// Reads a text character by character, keeping the 1-based line and column (in characters)
/// of the next one.
struct Cursor {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
}

impl Cursor {
    fn new(text: &str) -> Cursor {
        Cursor {
            chars: text.chars().collect(),
            i: 0,
            line: 1,
            col: 1,
        }
    }

    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn here(&self) -> (usize, usize) {
        (self.line, self.col)
    }

    /// Consumes one character; returns it and its position. After a line break the next line
    /// starts; the `\r` of a `\r\n` and its `\n` share a position, just past the line's end.
    fn bump(&mut self) -> Option<(char, (usize, usize))> {
        let ch = self.peek(0)?;
        let at = self.here();
        self.i += 1;
        if ch == '\n' {
            self.line += 1;
            self.col = 1;
        } else if !(ch == '\r' && self.peek(0) == Some('\n')) {
            self.col += 1;
        }
        Some((ch, at))
    }

    /// Consumes one character into `w`.
    fn take(&mut self, w: &mut Word) {
        if let Some((ch, at)) = self.bump() {
            w.push(ch, at);
            w.end = self.here();
        }
    }

    /// Consumes a variable at `$` into `w`: its value, each character placed at the `$`, or the
    /// text as written when it is not expanded.
    fn expand(
        &mut self,
        w: &mut Word,
        shell: Shell,
        env: &[(String, String)],
    ) -> Result<(), ParseError> {
        let dollar = self.here();
        let (value, used) = variable(&self.chars, self.i, shell, env, dollar)?;
        match value {
            Some(v) => {
                for _ in 0..used {
                    self.bump();
                }
                for ch in v.chars() {
                    w.push(ch, dollar);
                }
                w.end = self.here();
            }
            None => {
                for _ in 0..used {
                    self.take(w);
                }
            }
        }
        Ok(())
    }
}

/// The (line, column) of the character at `offset` of `text`, or just past its end.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut cur = Cursor::new(text);
    for _ in 0..offset {
        if cur.bump().is_none() {
            break;
        }
    }
    cur.here()
}

fn lookup(
    env: &[(String, String)],
    name: &str,
    (line, col): (usize, usize),
) -> Result<String, ParseError> {
    env.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .ok_or_else(|| perr(line, col, format!("The variable '{name}' is not set on this host."), "Replace it with its value, or pick a host where it exists (App Service sets IDENTITY_ENDPOINT and IDENTITY_HEADER)."))
}

/// Splits a command line into words: quotes, escapes, line continuations (`\` in bash, a
/// backtick in PowerShell), variables. PowerShell's `@{…}` hashtable is kept as one word.
/// Each word knows where each of its characters came from.
fn words(text: &str, shell: Shell, env: &[(String, String)]) -> Result<Vec<Word>, ParseError> {
    let mut cur = Cursor::new(text);
    let mut out = Vec::new();
    let esc = if shell == Shell::Bash { '\\' } else { '`' };
    while let Some(c) = cur.peek(0) {
        // Continuations and whitespace.
        if c == esc
            && (cur.peek(1) == Some('\n')
                || (cur.peek(1) == Some('\r') && cur.peek(2) == Some('\n')))
        {
            while cur.bump().is_some_and(|(ch, _)| ch != '\n') {}
            continue;
        }
        if c == '\n' || (c == '\r' && cur.peek(1) == Some('\n')) {
            if out.is_empty() {
                // Blank lines before the command.
                while cur.bump().is_some_and(|(ch, _)| ch != '\n') {}
                continue;
            }
            // A bare newline ends the command; the rest must be blank.
            if cur
                .chars
                .get(cur.i..)
                .is_some_and(|r| r.iter().all(|c| c.is_whitespace()))
            {
                break;
            }
            return Err(perr(
                cur.line,
                cur.col,
                "The command continues on a new line without a line continuation.",
                if shell == Shell::Bash {
                    "End the previous line with a backslash '\\', or put everything on one line."
                } else {
                    "End the previous line with a backtick '`', or put everything on one line."
                },
            ));
        }
        if c.is_whitespace() {
            cur.bump();
            continue;
        }
        let (wl, wc) = (
            cur.line,
            if c == '"' || c == '\'' {
                cur.col + 1
            } else {
                cur.col
            },
        );
        let mut w = Word::new(wl, wc);
        // PowerShell hashtable literal.
        if shell == Shell::Pwsh && c == '@' && cur.peek(1) == Some('{') {
            let mut depth = 0i32;
            let mut quote: Option<char> = None;
            while let Some(ch) = cur.peek(0) {
                cur.take(&mut w);
                match (quote, ch) {
                    (Some(q), _) if ch == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"') | (None, '\'') => quote = Some(ch),
                    (None, '{') => depth += 1,
                    (None, '}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if depth != 0 {
                return Err(perr(
                    wl,
                    wc,
                    "The hashtable @{ … } is not closed.",
                    "Add the closing '}'.",
                ));
            }
            out.push(w);
            continue;
        }
        while let Some(ch) = cur.peek(0) {
            if ch.is_whitespace() {
                break;
            }
            if ch == '\'' || ch == '"' {
                // Single quotes are literal; double quotes also take escapes and variables.
                let (q, expands) = (ch, ch == '"');
                let (ql, qc) = cur.here();
                cur.bump();
                loop {
                    match cur.peek(0) {
                        None => {
                            return Err(perr(
                                ql,
                                qc,
                                if expands {
                                    "This double quote is never closed."
                                } else {
                                    "This single quote is never closed."
                                },
                                if expands {
                                    "Add the closing \" (double quote)."
                                } else {
                                    "Add the closing ' (single quote)."
                                },
                            ))
                        }
                        Some(x) if x == q => {
                            cur.bump();
                            break;
                        }
                        Some(x) if expands && x == esc => {
                            cur.bump();
                            cur.take(&mut w);
                        }
                        Some('$') if expands => cur.expand(&mut w, shell, env)?,
                        Some(_) => cur.take(&mut w),
                    }
                }
            } else if ch == esc && shell == Shell::Bash {
                cur.bump();
                cur.take(&mut w);
            } else if ch == '$' {
                cur.expand(&mut w, shell, env)?;
            } else {
                cur.take(&mut w);
            }
        }
        out.push(w);
    }
    Ok(out)
}

/// Reads a variable at `chars[i] == '$'` that starts at input position `at`; returns its value
/// (`None`: it stays as written) and the number of characters it takes.
fn variable(
    chars: &[char],
    i: usize,
    shell: Shell,
    env: &[(String, String)],
    at: (usize, usize),
) -> Result<(Option<String>, usize), ParseError> {
    // Works on the characters after the `$` in place: copying the rest of the text for every
    // `$` made a line of many `$` quadratic (seconds for 64 KiB).
    let rest = chars.get(i + 1..).unwrap_or(&[]);
    let ident_len = |s: &[char]| {
        s.iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .count()
    };
    let text = |s: &[char], n: usize| s.get(..n).unwrap_or(&[]).iter().collect::<String>();
    if shell == Shell::Pwsh {
        if text(rest, 4).eq_ignore_ascii_case("env:") {
            let tail = rest.get(4..).unwrap_or(&[]);
            let n = ident_len(tail);
            return Ok((Some(lookup(env, &text(tail, n), at)?), 1 + 4 + n));
        }
        // Other PowerShell variables stay literal (e.g. `$r = …`); a URL containing one fails
        // later with its own message.
        return Ok((None, 1 + ident_len(rest)));
    }
    if rest.first() == Some(&'{') {
        let inner = rest.get(1..).unwrap_or(&[]);
        let Some(end) = inner.iter().position(|c| *c == '}') else {
            return Err(perr(at.0, at.1, "'${' is not closed.", "Write ${NAME}."));
        };
        return Ok((Some(lookup(env, &text(inner, end), at)?), 3 + end));
    }
    let n = ident_len(rest);
    if n == 0 {
        return Ok((None, 1));
    }
    Ok((Some(lookup(env, &text(rest, n), at)?), 1 + n))
}

fn url_from(word: &Word) -> Result<Url, ParseError> {
    let t = word.text.trim();
    // Character offsets into `t` are offsets into the word after its leading whitespace.
    let lead = word.text.chars().take_while(|c| c.is_whitespace()).count();
    let at = |offset: usize| word.at(lead + offset);
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || t.contains("://") {
        Url::parse_mapped(t, &at)
    } else {
        // curl assumes http:// when the scheme is missing. Errors of the completed URL are at
        // or after its host, so offsets move back by the added length.
        Url::parse_mapped(&format!("http://{t}"), &|offset| {
            at(offset.saturating_sub(7))
        })
    }
}

fn split_header(word: &Word) -> Result<(String, String), ParseError> {
    match word.text.split_once(':') {
        Some((n, v)) if !n.trim().is_empty() && !n.trim().contains(' ') => {
            Ok((n.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(perr(
            word.line,
            word.col,
            format!("'{}' is not a header.", word.text),
            "Write headers as \"Name: value\", e.g. -H \"Metadata: true\".",
        )),
    }
}

/// Parses a `curl` command line.
pub fn parse_curl(text: &str, env: &[(String, String)]) -> Result<HttpRequest, ParseError> {
    let ws = words(text, Shell::Bash, env)?;
    let mut it = ws.iter().peekable();
    match it.next() {
        Some(w)
            if w.text.eq_ignore_ascii_case("curl") || w.text.eq_ignore_ascii_case("curl.exe") => {}
        Some(w) => {
            return Err(perr(
                w.line,
                w.col,
                "A curl command starts with 'curl'.",
                "Start the line with curl.",
            ))
        }
        None => return Err(perr(1, 1, "The command is empty.", "Type a curl command.")),
    }
    let mut method: Option<String> = None;
    let mut url: Option<Url> = None;
    let mut headers = Vec::new();
    let mut get = false;
    let mut data: Vec<(String, bool, Word)> = Vec::new();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        let mut value = |name: &str| -> Result<Word, ParseError> {
            it.next().cloned().ok_or_else(|| {
                perr(
                    w.line,
                    w.col,
                    format!("'{name}' needs a value after it."),
                    format!("Write {name} <value>."),
                )
            })
        };
        match t {
            "-H" | "--header" => headers.push(split_header(&value(t)?)?),
            "-X" | "--request" => method = Some(value(t)?.text.to_ascii_uppercase()),
            "-G" | "--get" => get = true,
            "--url" => url = Some(url_from(&value(t)?)?),
            "--data-urlencode" => {
                let v = value(t)?;
                data.push((v.text.clone(), true, v));
            }
            "-d" | "--data" | "--data-raw" | "--data-ascii" => {
                let v = value(t)?;
                data.push((v.text.clone(), false, v));
            }
            "--noproxy" | "--max-time" | "-m" | "--connect-timeout" | "-o" | "--output" | "-w" | "--write-out" | "--retry" => {
                value(t)?;
            }
            "-s" | "--silent" | "-S" | "--show-error" | "-v" | "--verbose" | "-i" | "--include" | "-L" | "--location" | "-f" | "--fail" | "-k" | "--insecure" | "--compressed" | "-4" | "-6" => {}
            _ if t.starts_with("--") => return Err(perr(w.line, w.col, format!("Unknown curl option '{t}'."), "Supported: -H/--header, -X/--request, -G/--get, --data-urlencode, -d, --url, -s, -S, -v, -i, -L, --noproxy.")),
            _ if t.starts_with('-') && t.len() > 1 => {
                // Combined short flags such as -sS or -sSL; -H/-X/-d must come last.
                let flags: Vec<char> = t.chars().skip(1).collect();
                for (k, f) in flags.iter().enumerate() {
                    match f {
                        's' | 'S' | 'v' | 'i' | 'L' | 'f' | 'k' => {}
                        'G' => get = true,
                        'H' | 'X' | 'd' if k + 1 == flags.len() => {
                            let v = value(&format!("-{f}"))?;
                            match f {
                                'H' => headers.push(split_header(&v)?),
                                'X' => method = Some(v.text.to_ascii_uppercase()),
                                _ => data.push((v.text.clone(), false, v)),
                            }
                        }
                        _ => {
                            let (line, column) = w.at(k + 1);
                            return Err(perr(line, column, format!("Unknown curl flag '-{f}' in '{t}'."), "Supported short flags: -s -S -v -i -L -f -k -G, and -H/-X/-d with a value."));
                        }
                    }
                }
            }
            _ => {
                if url.is_some() {
                    return Err(perr(w.line, w.col, format!("A second URL '{t}'."), "Send one request at a time; quote URLs that contain '&' or '?'."));
                }
                url = Some(url_from(w)?);
            }
        }
    }
    let Some(mut url) = url else {
        // At the end of the command's last line.
        let t = text.trim_end();
        let last = t.rsplit('\n').next().unwrap_or(t);
        return Err(perr(t.split('\n').count(), last.chars().count().max(1), "The curl command has no URL.", "Add the URL, e.g. 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'."));
    };
    let mut body = String::new();
    for (d, encode, w) in &data {
        if get {
            let pair = if *encode {
                match d.split_once('=') {
                    Some((n, v)) => (n.to_string(), v.to_string()),
                    None if d.starts_with('@') || d.contains('@') => {
                        return Err(perr(
                            w.line,
                            w.col,
                            "Reading data from a file is not supported here.",
                            "Write name=value.",
                        ))
                    }
                    None => (d.clone(), String::new()),
                }
            } else {
                let q = super::http::parse_query_mapped(d, &|offset| w.at(offset))?;
                url.query.extend(q);
                continue;
            };
            url.query.push(pair);
        } else {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(d);
        }
    }
    let method = method.unwrap_or_else(|| {
        if !body.is_empty() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
    })
}

/// Parses `Invoke-RestMethod` / `Invoke-WebRequest` (`irm`, `iwr`), optionally assigned to a
/// variable (`$r = Invoke-RestMethod …`).
pub fn parse_powershell(text: &str, env: &[(String, String)]) -> Result<HttpRequest, ParseError> {
    let mut ws = words(text, Shell::Pwsh, env)?;
    if ws.first().is_some_and(|w| w.text.starts_with('$')) {
        // `$r = Invoke-…`: drop the assignment (variables were not expanded for the target).
        ws.drain(
            ..ws.iter()
                .position(|w| w.text == "=")
                .map_or(1, |p| p + 1)
                .min(ws.len()),
        );
    }
    let mut it = ws.iter();
    match it.next() {
        Some(w)
            if ["invoke-restmethod", "invoke-webrequest", "irm", "iwr"]
                .contains(&w.text.to_ascii_lowercase().as_str()) => {}
        Some(w) => {
            return Err(perr(
                w.line,
                w.col,
                format!(
                    "Expected Invoke-RestMethod or Invoke-WebRequest, found '{}'.",
                    w.text
                ),
                "Start with Invoke-RestMethod -Uri '…' -Headers @{Metadata=\"true\"}.",
            ))
        }
        None => {
            return Err(perr(
                1,
                1,
                "The command is empty.",
                "Type an Invoke-RestMethod command.",
            ))
        }
    }
    let mut method = "GET".to_string();
    let mut url: Option<Url> = None;
    let mut headers = Vec::new();
    while let Some(w) = it.next() {
        let lower = w.text.to_ascii_lowercase();
        let param = |p: &str| lower.len() > 1 && p.starts_with(&lower) && lower.starts_with('-');
        let mut value = || -> Result<Word, ParseError> {
            it.next().cloned().ok_or_else(|| {
                perr(
                    w.line,
                    w.col,
                    format!("'{}' needs a value after it.", w.text),
                    "Give the parameter a value.",
                )
            })
        };
        if param("-uri") {
            url = Some(url_from(&value()?)?);
        } else if param("-method") {
            method = value()?.text.to_ascii_uppercase();
        } else if param("-headers") {
            let v = value()?;
            headers = hashtable(&v, env)?;
        } else if param("-usebasicparsing") || param("-noproxy") || lower == "-verbose" {
        } else if lower.starts_with('-') {
            return Err(perr(
                w.line,
                w.col,
                format!("Unsupported parameter '{}'.", w.text),
                "Supported: -Uri, -Method, -Headers @{…}, -UseBasicParsing, -NoProxy.",
            ));
        } else if url.is_none() {
            url = Some(url_from(w)?);
        } else {
            return Err(perr(
                w.line,
                w.col,
                format!("Unexpected '{}'.", w.text),
                "Name parameters with -Uri, -Method or -Headers.",
            ));
        }
    }
    let Some(url) = url else {
        return Err(perr(1, 1, "No -Uri given.", "Add -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'."));
    };
    Ok(HttpRequest {
        method,
        url,
        headers,
        body: String::new(),
    })
}

/// Parses `@{Metadata="true"; "X-IDENTITY-HEADER"=$env:IDENTITY_HEADER}`.
fn hashtable(w: &Word, env: &[(String, String)]) -> Result<Vec<(String, String)>, ParseError> {
    let t = w.text.trim();
    let Some(inner) = t.strip_prefix("@{").and_then(|s| s.strip_suffix('}')) else {
        return Err(perr(
            w.line,
            w.col,
            "-Headers takes a hashtable.",
            "Write -Headers @{Metadata=\"true\"}.",
        ));
    };
    let mut out = Vec::new();
    for entry in inner.split([';', '\n']) {
        let e = entry.trim();
        if e.is_empty() {
            continue;
        }
        let Some((k, v)) = e.split_once('=') else {
            return Err(perr(
                w.line,
                w.col,
                format!("'{e}' is not a Name=Value entry."),
                "Separate entries with ';', e.g. @{Metadata=\"true\"; Other=\"x\"}.",
            ));
        };
        let unq = |s: &str| s.trim().trim_matches('"').trim_matches('\'').to_string();
        let v = v.trim();
        let value = if let Some(name) = v
            .strip_prefix("$env:")
            .or_else(|| v.strip_prefix("$Env:"))
            .or_else(|| v.strip_prefix("$ENV:"))
        {
            lookup(env, name.trim(), (w.line, w.col))?
        } else if v.starts_with('"') && v.contains("$env:") {
            let inner = unq(v);
            // Errors of this re-read are positioned in its own text: report them at the hashtable.
            let words =
                words(&format!("\"{inner}\""), Shell::Pwsh, env).map_err(|e| ParseError {
                    line: w.line,
                    column: w.col,
                    ..e
                })?;
            words.first().map(|x| x.text.clone()).unwrap_or_default()
        } else {
            unq(v)
        };
        out.push((unq(k), value));
    }
    Ok(out)
}

/// Parses raw HTTP: a request line, headers (one must be `Host` unless the target is an
/// absolute URL), a blank line, an optional body. `\n` or `\r\n` line endings.
pub fn parse_raw_http(text: &str) -> Result<HttpRequest, ParseError> {
    let normalized = text.replace("\r\n", "\n");
    let trimmed = normalized.trim_start_matches('\n');
    let skipped = normalized.len() - trimmed.len();
    let first_line_no = normalized
        .get(..skipped)
        .map_or(0, |s| s.matches('\n').count())
        + 1;
    let (head, body) = trimmed.split_once("\n\n").unwrap_or((trimmed, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("");
    let parts = fields(request_line);
    let ((method, _), (target, target_col), (version, version_col)) = match parts.as_slice() {
        [m, t, v] => (*m, *t, *v),
        [m, t] => (*m, *t, ("HTTP/1.1", 1)),
        _ => return Err(perr(first_line_no, 1, "The request line should be 'METHOD target HTTP/1.1'.", "e.g. GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/ HTTP/1.1")),
    };
    if !version.starts_with("HTTP/") {
        return Err(perr(
            first_line_no,
            version_col,
            format!("'{version}' is not an HTTP version."),
            "End the request line with HTTP/1.1.",
        ));
    }
    if !method.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(perr(
            first_line_no,
            1,
            format!("'{method}' is not an HTTP method."),
            "Use GET (token endpoints only accept GET).",
        ));
    }
    let mut headers = Vec::new();
    // The first Host value and its input position.
    let mut host: Option<(&str, usize, usize)> = None;
    for (i, l) in lines.enumerate() {
        let line_no = first_line_no + 1 + i;
        if l.trim().is_empty() {
            continue;
        }
        if l.starts_with([' ', '\t']) {
            return Err(perr(
                line_no,
                1,
                "Folded (indented) header lines are not allowed.",
                "Put each header on its own line, starting at column 1.",
            ));
        }
        match l.split_once(':') {
            Some((n, v)) if !n.is_empty() && !n.contains(' ') => {
                if host.is_none() && n.eq_ignore_ascii_case("host") {
                    let lead = v.chars().take_while(|c| c.is_whitespace()).count();
                    host = Some((v.trim(), line_no, n.chars().count() + 2 + lead));
                }
                headers.push((n.to_string(), v.trim().to_string()))
            }
            _ => {
                return Err(perr(
                    line_no,
                    1,
                    format!("'{l}' is not a header line."),
                    "Write 'Name: value', e.g. Metadata: true.",
                ))
            }
        }
    }
    let url = if target.starts_with("http://") || target.starts_with("https://") {
        Url::parse_at(target, first_line_no, target_col)?
    } else if target.starts_with('/') {
        let Some((host, host_line, host_col)) = host else {
            return Err(perr(
                first_line_no,
                target_col,
                "No Host header.",
                "Add a line 'Host: 169.254.169.254' after the request line.",
            ));
        };
        // The Host value and the target are read where each is written.
        let mut url = host_url(host, host_line, host_col)?;
        match target.split_once('?') {
            Some((path, q)) => {
                url.path = path.to_string();
                let q_col = target_col + path.chars().count() + 1;
                url.query = super::http::parse_query(q, first_line_no, q_col)?;
            }
            None => url.path = target.to_string(),
        }
        url
    } else {
        return Err(perr(
            first_line_no,
            target_col,
            format!("'{target}' is not a path."),
            "The target starts with '/', e.g. /metadata/identity/oauth2/token?…",
        ));
    };
    headers.retain(|(n, _)| {
        !n.eq_ignore_ascii_case("host") && !n.eq_ignore_ascii_case("content-length")
    });
    Ok(HttpRequest {
        method: method.to_string(),
        url,
        headers,
        body: body.to_string(),
    })
}

/// The scheme, host and port of a request from its `Host` value (`host[:port]`), which starts
/// at `line`, `col`.
fn host_url(host: &str, line: usize, col: usize) -> Result<Url, ParseError> {
    if let Some(i) = host.find(['/', '?']) {
        return Err(perr(
            line,
            col + host.get(..i).map_or(0, |h| h.chars().count()),
            "The Host header holds a host name and an optional port, nothing else.",
            "Move the path and query to the request line, e.g. Host: 169.254.169.254.",
        ));
    }
    // The added `http://` is not in the input: offsets move back by its length.
    Url::parse_mapped(&format!("http://{host}"), &|offset| {
        (line, col + offset.saturating_sub(7))
    })
}

/// The whitespace-separated fields of a line with their 1-based character columns.
fn fields(line: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (col, (at, c)) in line.char_indices().enumerate() {
        match (c.is_whitespace(), start) {
            (true, Some((b, sc))) => {
                out.push((line.get(b..at).unwrap_or(""), sc));
                start = None;
            }
            (false, None) => start = Some((at, col + 1)),
            _ => {}
        }
    }
    if let Some((b, sc)) = start {
        out.push((line.get(b..).unwrap_or(""), sc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<(String, String)> {
        vec![
            (
                "IDENTITY_ENDPOINT".into(),
                "http://localhost:4141/MSI/token".into(),
            ),
            ("IDENTITY_HEADER".into(), "abc".into()),
        ]
    }

    #[test]
    fn curl_forms() {
        let r = parse_any("curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'", &[]).unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.headers,
            vec![("Metadata".to_string(), "true".to_string())]
        );
        assert_eq!(
            r.url.query_value("resource"),
            Some("https://management.azure.com/")
        );
        let r = parse_any("curl -sS -G \\\n  --header \"Metadata: true\" \\\n  --data-urlencode 'resource=https://vault.azure.net' \\\n  -d api-version=2018-02-01 \\\n  http://169.254.169.254/metadata/identity/oauth2/token", &[]).unwrap();
        assert_eq!(
            r.url.query,
            vec![
                ("resource".into(), "https://vault.azure.net".into()),
                ("api-version".into(), "2018-02-01".into())
            ]
        );
        let r = parse_any("curl \"$IDENTITY_ENDPOINT?resource=https://vault.azure.net&api-version=2019-08-01\" -H \"X-IDENTITY-HEADER: ${IDENTITY_HEADER}\"", &env()).unwrap();
        assert_eq!(r.url.port, Some(4141));
        assert_eq!(r.headers[0].1, "abc");
        let r = parse_any(
            "curl -X POST 169.254.169.254/metadata/identity/oauth2/token -H 'Metadata: true'",
            &[],
        )
        .unwrap();
        assert_eq!((r.method.as_str(), r.url.scheme.as_str()), ("POST", "http"));
    }

    #[test]
    fn curl_errors() {
        let e = parse_any("curl -H 'Metadata: true", &[]).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.contains("never closed")),
            (1, 9, true)
        );
        let e = parse_any("curl --frobnicate http://x", &[]).unwrap_err();
        assert_eq!(e.column, 6);
        let e = parse_any("curl -H", &[]).unwrap_err();
        assert!(e.message.contains("needs a value"));
        let e = parse_any("curl -s", &[]).unwrap_err();
        assert!(e.message.contains("no URL"));
        let e = parse_any("curl -H Metadata http://x", &[]).unwrap_err();
        assert!(e.message.contains("not a header"));
        let e = parse_any("curl http://x\n -H a:b", &[]).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.fix.contains("backslash"));
        let e = parse_any("curl $IDENTITY_ENDPOINT", &[]).unwrap_err();
        assert!(e.message.contains("not set"));
        let e = parse_any("curl 'http://h/p?a=%zz'", &[]).unwrap_err();
        assert_eq!(e.column, 20);
        let e = parse_any("curl -sZ http://x", &[]).unwrap_err();
        assert_eq!(e.column, 8);
    }

    #[test]
    fn powershell_forms() {
        let r = parse_any("Invoke-RestMethod -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/' -Headers @{Metadata=\"true\"} -Method GET", &[]).unwrap();
        assert_eq!(
            r.headers,
            vec![("Metadata".to_string(), "true".to_string())]
        );
        let r = parse_any("$r = iwr -UseBasicParsing \"$env:IDENTITY_ENDPOINT`?resource=https://vault.azure.net&api-version=2019-08-01\" `\n  -Headers @{ \"X-IDENTITY-HEADER\" = $env:IDENTITY_HEADER }", &env()).unwrap();
        assert_eq!(r.url.host, "localhost");
        assert_eq!(
            r.headers,
            vec![("X-IDENTITY-HEADER".to_string(), "abc".to_string())]
        );
        let e = parse_any(
            "Invoke-RestMethod -Uri http://x -Headers @{Metadata=\"true\"",
            &[],
        )
        .unwrap_err();
        assert!(e.message.contains("not closed"));
        let e = parse_any("Invoke-RestMethod -Foo 1", &[]).unwrap_err();
        assert_eq!(e.column, 19);
        let e = parse_any("Invoke-RestMethod -Headers @{Metadata}", &[]).unwrap_err();
        assert!(e.message.contains("Name=Value"));
    }

    #[test]
    fn raw_http_forms() {
        let r = parse_any("GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\n\r\n", &[]).unwrap();
        assert_eq!(r.url.host, "169.254.169.254");
        assert_eq!(
            r.headers,
            vec![("Metadata".to_string(), "true".to_string())]
        );
        assert_eq!(parse_raw_http(&r.to_wire()).unwrap(), r);
        let e = parse_any("GET /x HTTP/1.1\nMetadata: true", &[]).unwrap_err();
        assert!(e.message.contains("No Host"));
        let e = parse_any("GET /x FTP\nHost: h", &[]).unwrap_err();
        assert_eq!(e.column, 8);
        let e = parse_any("GET /x HTTP/1.1\nHost: h\nbad header", &[]).unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse_any("\n\nGET\n", &[]).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse_any("hello", &[])
            .unwrap_err()
            .message
            .contains("Cannot tell"));
    }

    #[test]
    fn found_by_fuzzing() {
        // A variable per `$` copied the rest of the text: 1 MiB of `$` took minutes.
        let dollars = "$".repeat(1 << 20);
        for shell in ["curl", "irm", "curl \""] {
            let _ = parse_any(&format!("{shell} {dollars}"), &env());
        }
        // Request-line columns count characters, not bytes.
        let e = parse_any("GET /ééé FTP\nHost: h", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (1, 10));
        // Errors of a URL that curl completes with http:// stay inside the word.
        let e = parse_any("iwr \"\"", &[]).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (1, 6, "The URL has no host.")
        );
        let e = parse_any("curl ' h/?a=%zz'", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (1, 13));
        // A hashtable value that is re-read reports its errors at the hashtable.
        let e = parse_any("irm http://h -Headers @{a=\"x\"$env:Y\"}", &env()).unwrap_err();
        assert_eq!((e.line, e.column), (1, 23));
        // An escaped line break inside a word or a string moves to the next line.
        let e = parse_any("irm \"a`\nb\" \"", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (2, 4));
        let e = parse_any("curl a\\\nb '", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        // Blank lines before a command; CRLF line ends.
        assert!(parse_any("\r\n\ncurl http://h/", &[]).is_ok());
        let e = parse_any("\r\niwr", &[]).unwrap_err();
        assert_eq!(e.message, "No -Uri given.");
        let e = parse_any("curl http://h/\r\n -H a:b", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (1, 15));
        // "No URL" is at the end of the command's last line.
        let e = parse_any("curl -s \\\n  -v", &[]).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (2, 4, "The curl command has no URL.")
        );
        // "No Host" points at the path that needs one (there may be no line 2).
        let e = parse_any("GET /x HTTP/1.1", &[]).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (1, 5, "No Host header.")
        );
        // A bare URL after blank lines: the position is in the text, not in its trimmed copy.
        let e = parse_any("\n\n  http://h/?a=%zz", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (3, 15));
    }

    #[test]
    fn url_errors_point_into_the_input() {
        let at = |text: &str, env: &[(String, String)]| {
            let e = parse_any(text, env).unwrap_err();
            (e.line, e.column)
        };
        // Found by fuzzing: a non-ASCII host counted bytes (column 9 on a 6-character line).
        assert_eq!(at("iwr \u{fffd}:", &[]), (1, 7));
        assert_eq!(at("curl 'http://é:x/'", &[]), (1, 16));
        // Characters expanded from a variable are at its `$`, the rest where they are written.
        assert_eq!(at("curl $IDENTITY_ENDPOINT?a=%zz", &env()), (1, 27));
        let bad_port = vec![("E".to_string(), "http://h:x".to_string())];
        assert_eq!(at("curl \"${E}/\"", &bad_port), (1, 7));
        let no_port = vec![("E".to_string(), "http://h:".to_string())];
        assert_eq!(at("curl ${E}/", &no_port), (1, 10));
        assert_eq!(at("irm \"$env:IDENTITY_ENDPOINT`?a=%zz\"", &env()), (1, 32));
        // Escapes: the escaped character, not the backslash.
        assert_eq!(at("curl http://h/?a=\\%zz", &[]), (1, 19));
        // A quoted string across lines.
        assert_eq!(at("curl \"http://h/?a=1&\nb=%zz\"", &[]), (2, 3));
        assert_eq!(at("curl -G http://h/ -d 'x=1&\r\ny=%zz'", &[]), (2, 3));
        // A bare URL across lines.
        assert_eq!(at("http://h/?a=1&\nb=%zz", &[]), (2, 3));
    }

    #[test]
    fn raw_http_reads_host_and_target_where_they_are() {
        let at = |text: &str| {
            let e = parse_any(text, &[]).unwrap_err();
            (e.line, e.column)
        };
        // Found by fuzzing: the URL was built as http://{host}{target} at the target's column.
        assert_eq!(
            at("GET /?a=%zz HTTP/1.1\nHost: averyveryverylonghostname.example.com"),
            (1, 9)
        );
        assert_eq!(at("GET / HTTP/1.1\nHost:  h:99999"), (2, 10));
        assert_eq!(at("GET / HTTP/1.1\r\nHost: h h\r\n"), (2, 8));
        assert_eq!(at("GET / HTTP/1.1\nHost: h/x"), (2, 8));
        assert_eq!(at("GET / HTTP/1.1\nHost:"), (2, 6));
        let r = parse_any("GET /p?a=%41 HTTP/1.1\nHost: h:8080", &[]).unwrap();
        assert_eq!(r.url.to_string(), "http://h:8080/p?a=A");
    }

    #[test]
    fn form() {
        let f = RequestForm {
            method: "get".into(),
            url: "http://169.254.169.254/metadata/identity/oauth2/token?resource=x".into(),
            headers: vec![("Metadata".into(), "true".into())],
        };
        assert_eq!(f.to_request().unwrap().method, "GET");
        let f = RequestForm {
            headers: vec![("Bad Name".into(), "x".into())],
            url: "http://h/".into(),
            ..Default::default()
        };
        assert!(f.to_request().is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "(curl|Invoke-RestMethod|GET|\\$r = irm|http://)?[ -~\\n\\r\\t'\"`@{}$]{0,80}") {
            let _ = parse_any(&s, &env());
        }
    }
}
