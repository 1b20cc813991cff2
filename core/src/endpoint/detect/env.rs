//! Reading a pasted environment: the output of `env`, `printenv`, `set` (bash or cmd),
//! `export -p`, PowerShell's `Get-ChildItem env:` (table or `Format-List`), `$env:NAME = '…'`
//! lines or plain `NAME=value` lines. Never panics; one pass over the text (linear time).

use std::collections::HashMap;

use super::RELEVANT;

/// How much a note matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Something was read differently from what was pasted, or could not be read.
    Warning,
    /// Worth knowing; nothing was lost.
    Info,
}

/// One remark about the pasted text, tied to a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvNote {
    pub line: usize,
    pub level: Level,
    pub message: String,
}

/// What a pasted environment holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedEnv {
    /// Every variable read, in the order first seen; a name set twice keeps its later value.
    pub vars: Vec<(String, String)>,
    /// Lines that are neither blank, a variable, nor part of a recognised layout (a table
    /// header, a shell function printed by `set`, a `#` comment).
    pub ignored_lines: usize,
    /// Remarks, at most [`MAX_NOTES`] plus one that counts the rest.
    pub notes: Vec<EnvNote>,
}

/// Notes kept before the rest are only counted.
pub const MAX_NOTES: usize = 20;

impl ParsedEnv {
    /// The value of `name`, if the text sets it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Characters of a value quoted in a message.
const EXCERPT: usize = 40;

fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(EXCERPT).collect();
    if s.chars().nth(EXCERPT).is_some() {
        out.push('…');
    }
    out
}

/// A name as shells, Windows and the SDKs accept it: no whitespace, quotes, `=` or `$`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '=' | '"' | '\'' | '$' | '`' | '#')
        })
}

/// Removes one level of shell quoting when the whole value is quoted: `'…'` (with bash's
/// `'\''`), `$'…'` (ANSI-C escapes) or `"…"` (backslash escapes). Anything else is kept as is.
fn unquote(v: &str) -> String {
    let b = v.as_bytes();
    let n = b.len();
    if n >= 3 && v.starts_with("$'") && v.ends_with('\'') {
        let inner = &v[2..n - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('e') | Some('E') => out.push('\u{1b}'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        return out;
    }
    if n >= 2 && b[0] == b'\'' && b[n - 1] == b'\'' {
        return v[1..n - 1].replace("'\\''", "'");
    }
    if n >= 2 && b[0] == b'"' && b[n - 1] == b'"' {
        let inner = &v[1..n - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(&next) = chars.peek() {
                    if matches!(next, '"' | '\\' | '$' | '`') {
                        out.push(next);
                        chars.next();
                        continue;
                    }
                }
            }
            out.push(c);
        }
        return out;
    }
    v.to_string()
}

/// Whether a PowerShell table or list cut the text off (`...` or `…` at its end).
fn cut_off(s: &str) -> bool {
    s.ends_with("...") || s.ends_with('…')
}

/// The byte offset of the `col`-th character of `line` (or its length).
fn byte_at_char(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col)
        .map(|(i, _)| i)
        .unwrap_or(line.len())
}

/// `Name   Value` (a PowerShell table header).
fn is_table_header(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("Name") && words.next() == Some("Value") && words.next().is_none()
}

/// The column (in characters) where the second group of dashes starts: `----   -----`.
fn dashes_value_column(line: &str) -> Option<usize> {
    let t = line.trim_end();
    if t.is_empty() || !t.chars().all(|c| c == '-' || c == ' ') {
        return None;
    }
    let mut groups = 0;
    let mut prev = ' ';
    for (i, c) in t.chars().enumerate() {
        if c == '-' && prev == ' ' {
            groups += 1;
            if groups == 2 {
                return Some(i);
            }
        }
        prev = c;
    }
    None
}

/// `Label : rest` as `Format-List` prints it.
fn list_field<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(label)?;
    let rest = rest.trim_start_matches(' ');
    let rest = rest.strip_prefix(':')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// `name () ` — the first line of a shell function printed by bash's `set`.
fn is_function_start(line: &str) -> bool {
    let t = line.trim_end();
    let Some(name) = t.strip_suffix("()") else {
        return false;
    };
    let name = name.trim_end();
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
}

/// Names the SDKs read to pick a source (the start of [`super::RELEVANT`]; the rest are
/// other credentials' variables), to warn about a near miss in letter case.
const KNOWN: &[&str] = RELEVANT.split_at(12).0;

#[derive(Default)]
struct Reader {
    out: ParsedEnv,
    index: HashMap<String, (usize, usize)>,
    suppressed: usize,
    /// The variable the previous line set (a wrapped table or list row continues it).
    last: Option<usize>,
}

impl Reader {
    fn note(&mut self, line: usize, level: Level, message: String) {
        if self.out.notes.len() < MAX_NOTES {
            self.out.notes.push(EnvNote {
                line,
                level,
                message,
            });
        } else {
            self.suppressed += 1;
        }
    }

    fn ignore(&mut self, line: usize, message: Option<String>) {
        self.out.ignored_lines += 1;
        if let Some(m) = message {
            self.note(line, Level::Warning, m);
        }
        self.last = None;
    }

    fn set(&mut self, line: usize, name: &str, value: String) {
        if let Some(known) = KNOWN
            .iter()
            .find(|k| k.eq_ignore_ascii_case(name) && **k != name)
        {
            self.note(
                line,
                Level::Warning,
                format!("line {line}: {name} is not {known}: names are case-sensitive on Linux, so the SDKs there do not read it (Windows would)."),
            );
        }
        match self.index.get(name).copied() {
            Some((i, first)) => {
                self.note(
                    line,
                    Level::Info,
                    format!("line {line}: {name} was already set on line {first}; the later value is used."),
                );
                if let Some(slot) = self.out.vars.get_mut(i) {
                    slot.1 = value;
                }
                self.last = Some(i);
            }
            None => {
                let i = self.out.vars.len();
                self.index.insert(name.to_string(), (i, line));
                self.out.vars.push((name.to_string(), value));
                self.last = Some(i);
            }
        }
    }

    fn append(&mut self, more: &str) {
        if let Some((_, v)) = self.last.and_then(|i| self.out.vars.get_mut(i)) {
            v.push_str(more);
        }
    }

    fn last_name(&self) -> Option<&str> {
        self.last
            .and_then(|i| self.out.vars.get(i))
            .map(|(n, _)| n.as_str())
    }

    /// `NAME=value`, with an optional `export `, `declare -x `, `set ` or `$env:` in front.
    fn assignment(&mut self, n: usize, line: &str) {
        let t = line.trim_start();
        let (body, powershell) =
            if let Some(rest) = t.strip_prefix("$env:").or_else(|| t.strip_prefix("$Env:")) {
                (rest, true)
            } else {
                let mut rest = t;
                for prefix in [
                    "export ",
                    "declare -x ",
                    "declare -- ",
                    "typeset -x ",
                    "set ",
                ] {
                    if let Some(r) = rest.strip_prefix(prefix) {
                        rest = r.trim_start();
                        break;
                    }
                }
                (rest, false)
            };
        let Some((raw_name, raw_value)) = body.split_once('=') else {
            let hint = match self.last_name() {
                Some(prev) => format!(" If it continues the value of {prev} (a value with a line break), that part was not read."),
                None => String::new(),
            };
            if valid_name(body.trim()) && !body.trim().is_empty() && t.starts_with("declare") {
                // `declare -x NAME`: exported without a value, so not in the environment.
                self.ignore(n, None);
                return;
            }
            self.ignore(
                n,
                Some(format!(
                    "line {n}: no '=' in \"{}\", so it is not NAME=value; ignored.{hint}",
                    excerpt(t)
                )),
            );
            return;
        };
        let name = raw_name.trim_end();
        let spaced = name.len() != raw_name.len();
        if !valid_name(name) {
            self.ignore(
                n,
                Some(format!("line {n}: \"{}\" is not a variable name (spaces, quotes or '$' in it); ignored.", excerpt(name))),
            );
            return;
        }
        let value = if powershell || spaced {
            raw_value.trim()
        } else {
            raw_value
        };
        if spaced && !powershell {
            self.note(
                n,
                Level::Info,
                format!("line {n}: spaces around '=' were dropped (read as {name}=…)."),
            );
        }
        self.set(n, name, unquote(value));
    }
}

/// Reads the variables of a pasted environment (see the module docs). Unknown lines are
/// counted and explained, never fatal.
pub fn parse_env(text: &str) -> ParsedEnv {
    let mut r = Reader::default();
    // PowerShell table: the character column where values start, once header and dashes seen.
    let mut table: Option<usize> = None;
    // The line number of a `Name  Value` header waiting for its dashes.
    let mut header: Option<usize> = None;
    // Format-List: the name waiting for its `Value :` line, and whether values may wrap.
    let mut list_name: Option<(String, usize)> = None;
    let mut in_list = false;
    // A shell function printed by `set` (its first line).
    let mut function: Option<usize> = None;

    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(start) = function {
            r.out.ignored_lines += 1;
            if line.trim_end() == "}" {
                function = None;
                r.note(
                    start,
                    Level::Info,
                    format!("lines {start}–{n}: a shell function (printed by `set`), skipped."),
                );
            }
            continue;
        }
        if let Some(h) = header.take() {
            if let Some(col) = dashes_value_column(line) {
                table = Some(col);
                r.last = None;
                continue;
            }
            r.ignore(
                h,
                Some(format!("line {h}: \"Name Value\" without the dashes line under it; not read as a table header.")),
            );
        }
        if line.trim().is_empty() {
            table = None;
            in_list = false;
            r.last = None;
            continue;
        }
        if let Some(col) = table {
            let cut = byte_at_char(line, col);
            let (name_part, value_part) = line.split_at(cut);
            let name = name_part.trim();
            let value = value_part.trim();
            if name.is_empty() {
                if r.last.is_some() {
                    // `Format-Table -Wrap`: the value continues under its column.
                    r.append(value);
                } else {
                    r.ignore(
                        n,
                        Some(format!(
                            "line {n}: a value with no name in the Name column; ignored."
                        )),
                    );
                }
                continue;
            }
            if !valid_name(name) {
                r.ignore(
                    n,
                    Some(format!(
                        "line {n}: \"{}\" in the Name column is not a variable name; ignored.",
                        excerpt(name)
                    )),
                );
                continue;
            }
            if cut_off(name) {
                r.ignore(
                    n,
                    Some(format!("line {n}: the name \"{}\" is cut off by PowerShell's table; ignored. Paste the output of `Get-ChildItem env: | Format-Table -AutoSize -Wrap` or `Get-ChildItem env: | ForEach-Object {{ \"$($_.Name)=$($_.Value)\" }}` instead.", excerpt(name))),
                );
                continue;
            }
            if cut_off(value) {
                r.note(
                    n,
                    Level::Warning,
                    format!("line {n}: the value of {name} is cut off by PowerShell's table (it ends in \"...\"); its start is used. For whole values paste `Get-ChildItem env: | ForEach-Object {{ \"$($_.Name)=$($_.Value)\" }}`."),
                );
            }
            r.set(n, name, value.to_string());
            continue;
        }
        if is_table_header(line) {
            header = Some(n);
            continue;
        }
        if let Some(name) = list_field(line, "Name") {
            list_name = Some((name.trim().to_string(), n));
            in_list = true;
            r.last = None;
            continue;
        }
        if let Some(value) = list_field(line, "Value") {
            match list_name.take() {
                Some((name, _)) if valid_name(&name) => {
                    if cut_off(value.trim_end()) {
                        r.note(
                            n,
                            Level::Info,
                            format!("line {n}: the value of {name} ends in \"...\"; if PowerShell cut it off, its start is used."),
                        );
                    }
                    r.set(n, &name, value.trim_end().to_string());
                }
                Some((name, at)) => r.ignore(
                    at,
                    Some(format!(
                        "line {at}: \"{}\" is not a variable name; ignored.",
                        excerpt(&name)
                    )),
                ),
                None => r.ignore(
                    n,
                    Some(format!(
                        "line {n}: \"Value :\" without a \"Name :\" line before it; ignored."
                    )),
                ),
            }
            continue;
        }
        if in_list && line.starts_with(' ') && r.last.is_some() {
            // Format-List wraps long values onto indented lines.
            r.append(line.trim());
            continue;
        }
        if line.trim_start().starts_with('#') {
            r.ignore(n, None);
            continue;
        }
        if is_function_start(line) {
            function = Some(n);
            r.out.ignored_lines += 1;
            r.last = None;
            continue;
        }
        r.assignment(n, line);
    }
    if let Some(h) = header {
        r.ignore(
            h,
            Some(format!("line {h}: \"Name Value\" without the dashes line under it; not read as a table header.")),
        );
    }
    if let Some((_, at)) = list_name {
        r.ignore(
            at,
            Some(format!(
                "line {at}: \"Name :\" without a \"Value :\" line after it; ignored."
            )),
        );
    }
    if let Some(start) = function {
        r.note(
            start,
            Level::Warning,
            format!("line {start}: a shell function that never ends (no closing \"}}\"); everything after it was skipped."),
        );
    }
    if r.suppressed > 0 {
        let count = r.suppressed;
        r.out.notes.push(EnvNote {
            line: 0,
            level: Level::Info,
            message: format!(
                "… and {count} more remark{} not shown.",
                if count == 1 { "" } else { "s" }
            ),
        });
    }
    r.out
}

#[cfg(test)]
mod known_names {
    #[test]
    fn the_near_miss_names_are_those_that_pick_a_source() {
        assert_eq!(super::KNOWN.first(), Some(&"IDENTITY_ENDPOINT"));
        assert_eq!(super::KNOWN.last(), Some(&"DEFAULT_IDENTITY_CLIENT_ID"));
    }
}
