//! Decoded bytes → ordered JSON, with UTF-8, syntax, shape and duplicate-key diagnostics.
//!
//! serde_json (with `preserve_order`) keeps key order but silently keeps the last of duplicate
//! keys, and JSON parsers disagree about duplicates (a classic token-confusion trick), so we
//! scan for them ourselves. Everything here is linear in the input.

use std::collections::HashSet;

use serde_json::Value;

use super::{Area, Diagnostic, Severity};

/// How many duplicate keys are reported one by one.
const MAX_REPORTED_DUPLICATES: usize = 5;

/// Result of reading one JSON segment.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedJson {
    /// The decoded text (invalid UTF-8 replaced with U+FFFD), shown when JSON parsing fails.
    pub text: String,
    /// The value, when the text is JSON (object or not).
    pub value: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `bytes` as a JSON object. `label` names the segment in messages ("Header", "Payload").
pub fn parse(bytes: &[u8], label: &str, area: Area) -> ParsedJson {
    let mut diagnostics = Vec::new();
    let text = utf8_lossy_with_diagnostic(bytes, label, area, &mut diagnostics);
    // A byte-order mark is not JSON whitespace; tolerate it, but say so.
    let json_text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                area,
                format!("{label}: starts with a byte-order mark (U+FEFF); ignored it."),
                "Encode the JSON as UTF-8 without a byte-order mark.",
            ));
            rest
        }
        None => text.as_str(),
    };
    let value = match serde_json::from_str::<Value>(json_text) {
        Ok(v) => Some(v),
        Err(e) => {
            diagnostics.push(json_error(&e, label, area));
            None
        }
    };
    if let Some(v) = &value {
        if !v.is_object() {
            diagnostics.push(Diagnostic::new(
                Severity::Error,
                area,
                format!(
                    "{label}: is a JSON {}, not an object; a JWT's {} must be a JSON object (RFC 7519 §7.2).",
                    kind_name(v),
                    if area == Area::Header { "header" } else { "claims" }
                ),
                "Nothing to fix on your side if the issuer produced it; the token is not a standard JWT.",
            ));
        }
        find_duplicate_keys(json_text, label, area, &mut diagnostics);
    }
    ParsedJson {
        text,
        value,
        diagnostics,
    }
}

/// "object", "array", "string", … for messages.
pub(crate) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn utf8_lossy_with_diagnostic(
    bytes: &[u8],
    label: &str,
    area: Area,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut first_bad: Option<usize> = None;
    let mut bad = 0usize;
    let mut offset = 0usize;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first_bad.get_or_insert(offset);
            bad += 1;
            out.push('\u{fffd}');
            offset += chunk.invalid().len();
        }
    }
    diagnostics.push(Diagnostic::new(
        Severity::Warning,
        area,
        format!(
            "{label}: is not valid UTF-8 ({bad} invalid byte sequence{}, the first at byte {} of the decoded {}); shown with replacement characters (\u{fffd}).",
            if bad == 1 { "" } else { "s" },
            first_bad.unwrap_or(0) + 1,
            label.to_lowercase()
        ),
        "JWT JSON must be UTF-8 (RFC 7519); the issuer probably wrote Latin-1 or binary data.",
    ));
    out
}

fn json_error(e: &serde_json::Error, label: &str, area: Area) -> Diagnostic {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we phrase the position ourselves.
    let what = match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full),
        None => &full,
    };
    let fix = match e.classify() {
        serde_json::error::Category::Eof => {
            "The JSON ends early: the segment was probably cut off. Copy the whole token again."
        }
        _ => "Look at the character at that position; the issuer did not write valid JSON, or the segment was edited.",
    };
    Diagnostic::new(
        Severity::Error,
        area,
        format!(
            "{label}: is not valid JSON at line {}, column {}: {what}.",
            e.line(),
            e.column()
        ),
        fix,
    )
}

enum Frame {
    Object {
        keys: HashSet<String>,
        last_key: Option<String>,
        expect_key: bool,
    },
    Array,
}

/// Scans valid JSON text for keys repeated within one object. Linear: one pass, one hash set per
/// open object.
fn find_duplicate_keys(text: &str, label: &str, area: Area, diagnostics: &mut Vec<Diagnostic>) {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    let mut line = 1usize;
    let mut line_start = 0usize;
    let mut reported = 0usize;
    let mut more = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut escaped = false;
                while let Some(&c) = bytes.get(j) {
                    if c == b'\\' {
                        escaped = true;
                        j += 2;
                        continue;
                    }
                    if c == b'"' {
                        break;
                    }
                    j += 1;
                }
                if matches!(
                    stack.last(),
                    Some(Frame::Object {
                        expect_key: true,
                        ..
                    })
                ) {
                    let raw = text.get(start..j).unwrap_or("");
                    let key = if escaped {
                        serde_json::from_str::<String>(text.get(i..=j).unwrap_or("\"\""))
                            .unwrap_or_else(|_| raw.to_string())
                    } else {
                        raw.to_string()
                    };
                    let duplicate = match stack.last_mut() {
                        Some(Frame::Object {
                            keys, expect_key, ..
                        }) => {
                            *expect_key = false;
                            !keys.insert(key.clone())
                        }
                        _ => false,
                    };
                    if duplicate {
                        if reported < MAX_REPORTED_DUPLICATES {
                            reported += 1;
                            let column =
                                text.get(line_start..i).map_or(0, |s| s.chars().count()) + 1;
                            let path = object_path(&stack, &key);
                            diagnostics.push(Diagnostic::new(
                                Severity::Warning,
                                area,
                                format!(
                                    "{label}: key '{path}' appears more than once (again at line {line}, column {column}); shown with its last value, as most parsers do, but parsers disagree about duplicates."
                                ),
                                "A well-formed token never repeats a key; treat this token as suspicious.",
                            ));
                        } else {
                            more += 1;
                        }
                    }
                    // Remember the key: it names the object or array that may follow as its value.
                    if let Some(Frame::Object { last_key, .. }) = stack.last_mut() {
                        *last_key = Some(key);
                    }
                }
                i = j + 1;
                continue;
            }
            b'{' => stack.push(Frame::Object {
                keys: HashSet::new(),
                last_key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if more > 0 {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            area,
            format!("{label}: {more} more duplicate keys."),
            "A well-formed token never repeats a key; treat this token as suspicious.",
        ));
    }
}

/// `outer.inner.key` for a key in a nested object; array elements show as `[]`.
fn object_path(stack: &[Frame], key: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    // Each frame but the last is a container whose current member holds the next frame.
    for frame in stack.iter().take(stack.len().saturating_sub(1)) {
        match frame {
            Frame::Object { last_key, .. } => parts.push(last_key.as_deref().unwrap_or("?")),
            Frame::Array => parts.push("[]"),
        }
    }
    parts.push(key);
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(p: &ParsedJson) -> Vec<&str> {
        p.diagnostics.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn keeps_key_order() {
        let p = parse(br#"{"z":1,"a":2,"m":3}"#, "Payload", Area::Payload);
        let keys: Vec<_> = p
            .value
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn reports_syntax_errors_with_line_and_column() {
        let p = parse(b"{\"a\":1,\n \"b\" 2}", "Payload", Area::Payload);
        assert!(p.value.is_none());
        assert_eq!(
            messages(&p),
            ["Payload: is not valid JSON at line 2, column 6: expected `:`."]
        );
        let p = parse(br#"{"a":"#, "Header", Area::Header);
        assert!(p.diagnostics[0].fix.contains("ends early"));
    }

    #[test]
    fn flags_non_objects() {
        let p = parse(b"[1,2]", "Payload", Area::Payload);
        assert_eq!(p.value, Some(serde_json::json!([1, 2])));
        assert_eq!(
            messages(&p),
            ["Payload: is a JSON array, not an object; a JWT's claims must be a JSON object (RFC 7519 §7.2)."]
        );
    }

    #[test]
    fn flags_invalid_utf8_and_replaces() {
        let p = parse(b"{\"name\":\"Jos\xe9\"}", "Payload", Area::Payload);
        assert_eq!(p.value.as_ref().unwrap()["name"], "Jos\u{fffd}");
        assert_eq!(
            messages(&p),
            ["Payload: is not valid UTF-8 (1 invalid byte sequence, the first at byte 13 of the decoded payload); shown with replacement characters (\u{fffd})."]
        );
    }

    #[test]
    fn detects_duplicates_including_nested_and_escaped() {
        let p = parse(
            br#"{"aud":"a","x":{"k":1,"k":2},"list":[{"q":1,"q":2}],"a\u0075d":"b"}"#,
            "Payload",
            Area::Payload,
        );
        let v = p.value.clone().unwrap();
        assert_eq!(v["aud"], "b", "serde_json keeps the last value");
        let m = messages(&p);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0]
            .starts_with("Payload: key 'x.k' appears more than once (again at line 1, column 23)"));
        assert!(m[1].starts_with("Payload: key 'list.[].q' appears more than once"));
        assert!(m[2].starts_with("Payload: key 'aud' appears more than once"));
    }

    #[test]
    fn string_values_that_look_like_keys_are_not_keys() {
        let p = parse(
            br#"{"a":"a","b":["a","a"],"c":{"a":"a"}}"#,
            "Payload",
            Area::Payload,
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn tolerates_bom() {
        let p = parse("\u{feff}{}".as_bytes(), "Header", Area::Header);
        assert!(p.value.is_some());
        assert_eq!(p.diagnostics.len(), 1);
    }
}
