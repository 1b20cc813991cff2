//! The cleaned token → segments, header, payload and its form (JWS, unsecured, JWE, partial,
//! malformed, not a JWT), with diagnostics. Decodes as much as possible.

use serde_json::Value;

use super::base64url::{self, SegmentPlace};
use super::json::{self, kind_name};
use super::{Area, Diagnostic, Segment, SegmentKind, Severity, TokenForm};

/// The structural reading of a token.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedToken {
    pub segments: Vec<Segment>,
    pub header: Option<Value>,
    pub payload: Option<Value>,
    pub form: TokenForm,
    pub diagnostics: Vec<Diagnostic>,
    /// Decoded signature length in bytes (JWS only), for plausibility checks.
    pub signature_len: Option<usize>,
}

/// A `.`-separated part: byte range and number of characters before it.
struct Part {
    start: usize,
    end: usize,
    chars_before: usize,
}

fn split(token: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut start = 0usize;
    let mut chars_before = 0usize;
    for (count, (i, c)) in token.char_indices().enumerate() {
        if c == '.' {
            parts.push(Part {
                start,
                end: i,
                chars_before,
            });
            start = i + 1;
            chars_before = count + 1;
        }
    }
    parts.push(Part {
        start,
        end: token.len(),
        chars_before,
    });
    parts
}

/// True when the text decodes to something starting with `{`: the mark of a JOSE header.
fn decodes_to_json_object(text: &str) -> bool {
    // Only the first few characters matter; decoding 8 is enough to see the first bytes.
    let head: String = text.chars().take(8).collect();
    base64url::decode_quiet(&head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'{')
}

/// Decodes `token`. `report_empty`: whether an empty token deserves an error (not when the
/// extraction already explained why there is none).
pub fn decode(token: &str, report_empty: bool) -> DecodedToken {
    let mut out = DecodedToken {
        segments: Vec::new(),
        header: None,
        payload: None,
        form: TokenForm::NotJwt,
        diagnostics: Vec::new(),
        signature_len: None,
    };
    if token.is_empty() {
        if report_empty {
            out.diagnostics.push(Diagnostic::new(
                Severity::Error,
                Area::Input,
                "Nothing to decode: no token was found in the input.",
                "Paste a token (it starts with 'eyJ'), a token endpoint response, or an Authorization header.",
            ));
        }
        return out;
    }
    let parts = split(token);
    let text_of = |p: &Part| token.get(p.start..p.end).unwrap_or("");
    let first = parts.first().map(text_of).unwrap_or("");

    // A JWT when the header decodes to JSON, or (header damaged) when the payload does.
    let second = parts.get(1).map(text_of);
    let jwt_like = decodes_to_json_object(first) || second.is_some_and(decodes_to_json_object);
    if !jwt_like {
        out.segments.push(Segment {
            kind: SegmentKind::Unexpected,
            range: 0..token.len(),
            text: token.to_string(),
            decoded: None,
        });
        out.diagnostics.push(not_a_jwt(token, parts.len()));
        return out;
    }

    // Header (JWS and JWE alike): it decides what a 5-part token is.
    let (header, header_text) = decode_json_part(
        token,
        &parts,
        0,
        "Header",
        Area::Header,
        &mut out.diagnostics,
    );
    out.header = header;
    let header_map = out.header.as_ref().and_then(Value::as_object);
    let alg = header_map
        .and_then(|h| h.get("alg"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let enc = header_map
        .and_then(|h| h.get("enc"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let alg_none = alg
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case("none"));
    // A JWE names its content encryption in 'enc' (RFC 7516 §4.1.2); 5 parts without it are
    // neither a JWE nor a JWS. Their second part is read as a payload only when it is JSON.
    let jwe = parts.len() == 5 && enc.is_some();
    let read_payload = parts.len() >= 2
        && (parts.len() != 5 || (!jwe && second.is_some_and(decodes_to_json_object)));

    let kinds: &[SegmentKind] = if jwe {
        &[
            SegmentKind::Header,
            SegmentKind::EncryptedKey,
            SegmentKind::Iv,
            SegmentKind::Ciphertext,
            SegmentKind::Tag,
        ]
    } else if parts.len() == 5 && !read_payload {
        &[SegmentKind::Header]
    } else {
        &[
            SegmentKind::Header,
            SegmentKind::Payload,
            SegmentKind::Signature,
        ]
    };
    for (i, p) in parts.iter().enumerate() {
        out.segments.push(Segment {
            kind: kinds.get(i).copied().unwrap_or(SegmentKind::Unexpected),
            range: p.start..p.end,
            text: text_of(p).to_string(),
            decoded: None,
        });
    }
    if let Some(seg) = out.segments.get_mut(0) {
        seg.decoded = header_text;
    }

    if jwe {
        out.form = TokenForm::Jwe;
        for (i, p) in parts.iter().enumerate().skip(1) {
            let label = kinds.get(i).map_or("Part", |k| k.label());
            let d = base64url::decode(
                text_of(p),
                SegmentPlace {
                    label,
                    area: Area::Encrypted,
                    chars_before: p.chars_before,
                },
            );
            out.diagnostics.extend(d.diagnostics);
        }
        let what = match (&alg, &enc) {
            (Some(a), Some(e)) => format!(" (key management '{a}', content encryption '{e}')"),
            (None, Some(e)) => format!(" (content encryption '{e}')"),
            _ => String::new(),
        };
        out.diagnostics.push(Diagnostic::new(
            Severity::Info,
            Area::Encrypted,
            format!("Encrypted JWE: only the protected header is readable; the claims are encrypted{what} and can be read only with the recipient's private key."),
            "Nothing to fix: an encrypted token is meant only for its recipient, which decrypts it.",
        ));
        return out;
    }

    // Payload.
    if read_payload {
        let payload_empty = parts.get(1).is_some_and(|p| p.start == p.end);
        if payload_empty {
            out.diagnostics.push(Diagnostic::new(
                Severity::Error,
                Area::Payload,
                "Payload: is empty, so there are no claims to show (a detached-payload JWS, RFC 7515 Appendix F?).",
                "Paste the token with its payload between the two '.' characters.",
            ));
        } else {
            let (payload, text) = decode_json_part(
                token,
                &parts,
                1,
                "Payload",
                Area::Payload,
                &mut out.diagnostics,
            );
            out.payload = payload;
            if let Some(seg) = out.segments.get_mut(1) {
                seg.decoded = text;
            }
        }
    }

    // Signature and form.
    match parts.len() {
        1 | 2 => {
            out.form = TokenForm::Partial;
            let (what, missing) = if parts.len() == 1 {
                ("only a header", "payload and signature")
            } else {
                ("a header and a payload", "signature")
            };
            out.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Area::Input,
                format!("Partial token: {what}, no {missing}; decoded what is there."),
                if alg_none {
                    "An unsecured JWT (alg 'none') still ends with a '.' after the payload."
                } else {
                    "Copy the whole token: a signed JWT has three parts separated by '.'."
                },
            ));
        }
        3 => {
            let sig = parts.get(2).map(text_of).unwrap_or("");
            if alg_none {
                out.form = TokenForm::Unsecured;
                if !sig.is_empty() {
                    out.diagnostics.push(Diagnostic::new(
                        Severity::Error,
                        Area::Signature,
                        "Signature: the header says alg 'none', yet there is a signature; an unsecured JWT ends with an empty part.",
                        "Treat the token as forged: the header was probably changed after signing.",
                    ));
                }
            } else if sig.is_empty() {
                out.form = TokenForm::Partial;
                out.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    Area::Signature,
                    format!(
                        "Signature: missing (the token ends with '.'), though the header says alg '{}'.",
                        alg.as_deref().unwrap_or("?")
                    ),
                    "Copy the whole token: the signature was cut off.",
                ));
            } else {
                out.form = TokenForm::Jws;
                if let Some(p) = parts.get(2) {
                    let d = base64url::decode(
                        sig,
                        SegmentPlace {
                            label: "Signature",
                            area: Area::Signature,
                            chars_before: p.chars_before,
                        },
                    );
                    out.signature_len = Some(d.bytes.len());
                    out.diagnostics.extend(d.diagnostics);
                }
            }
            if enc.is_some() {
                out.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    Area::Header,
                    "Header: has 'enc', which belongs to encrypted tokens (JWE, 5 parts), but this token has 3 parts.",
                    "Check that the token was copied whole.",
                ));
            }
        }
        5 => {
            out.form = TokenForm::Malformed;
            let why = match header_map.map(|h| h.get("enc")) {
                None => "its header is not a readable JSON object, so it has no 'enc'".to_string(),
                Some(None) => "its header has no 'enc'".to_string(),
                Some(Some(v)) => format!("its header's 'enc' is a {}, not a string", kind_name(v)),
            };
            let decoded = if read_payload {
                "Decoded the header and the second part as the payload; the rest is shown as unexpected parts."
            } else {
                "Decoded the header; the other parts are shown as unexpected parts."
            };
            out.diagnostics.push(Diagnostic::new(
                Severity::Error,
                Area::Input,
                format!("The token has 5 parts separated by '.', but {why}: not a JWE (RFC 7516 §4.1.2 requires 'enc') and not a JWS (3 parts). {decoded}"),
                "For a signed JWT, look for a stray '.' or two tokens pasted together; a JWE's header must name its content encryption in 'enc'.",
            ));
        }
        n => {
            out.form = TokenForm::Malformed;
            out.diagnostics.push(Diagnostic::new(
                Severity::Error,
                Area::Input,
                format!("The token has {n} parts separated by '.'; a JWT has 3 (signed) or 5 (encrypted). Decoded the first two; the rest is shown as unexpected parts."),
                "Look for a stray '.' or two tokens pasted together.",
            ));
        }
    }
    out
}

/// Decodes part `index` as base64url JSON. Returns the value and the decoded text.
fn decode_json_part(
    token: &str,
    parts: &[Part],
    index: usize,
    label: &str,
    area: Area,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Value>, Option<String>) {
    let Some(p) = parts.get(index) else {
        return (None, None);
    };
    let text = token.get(p.start..p.end).unwrap_or("");
    let d = base64url::decode(
        text,
        SegmentPlace {
            label,
            area,
            chars_before: p.chars_before,
        },
    );
    diagnostics.extend(d.diagnostics);
    let parsed = json::parse(&d.bytes, label, area);
    diagnostics.extend(parsed.diagnostics);
    (parsed.value, Some(parsed.text))
}

fn not_a_jwt(token: &str, parts: usize) -> Diagnostic {
    let len = token.chars().count();
    if token.starts_with("Ew") && len > 100 && !token.contains('.') {
        return Diagnostic::new(
            Severity::Error,
            Area::Input,
            "Not a JWT: this looks like an opaque access token for a personal Microsoft account (they start with 'Ew'). Such tokens are encrypted for Microsoft's own services; nobody else can decode them.",
            "Nothing to fix: to see claims, use a work or school (Entra ID) account, or a token for your own API.",
        );
    }
    let why = if parts == 1 {
        "it has no '.' separators and does not decode to JSON"
    } else {
        "its first part does not decode to a JSON header (a JWT starts with 'eyJ', the encoding of '{\"')"
    };
    Diagnostic::new(
        Severity::Error,
        Area::Input,
        format!("Not a JWT: {why}. It may be an opaque token, a secret or other text."),
        "Paste a JWT (three base64url parts separated by '.', starting with 'eyJ').",
    )
}
