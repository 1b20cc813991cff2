//! Reading tokens: everything the decoder page shows, computed without a browser.
//!
//! One call does it all: [`read`] finds the token in whatever was pasted ([`extract`]),
//! decodes it leniently with precise [`Diagnostic`]s ([`decode`]), explains the claims
//! ([`claims`]), says what the token means ([`summary`]) and checks it for inconsistencies
//! ([`checks`]). Time is a parameter (`now`, Unix seconds), so every output is reproducible.
//!
//! ```
//! use mi_core::token;
//! let reading = token::read("Bearer not-a-token", 1_714_564_800);
//! assert_eq!(reading.form, token::TokenForm::NotJwt);
//! assert_eq!(reading.extraction.notes, ["Removed the 'Bearer ' prefix."]);
//! ```
//!
//! Guarantees: never panics on any input; linear time in the input size; inputs above
//! [`MAX_INPUT_BYTES`] are refused with an error instead of being decoded.

pub mod base64url;
pub mod checks;
pub mod claims;
pub mod compare;
pub mod decode;
pub mod extract;
pub mod json;
pub mod keys;
pub mod samples;
pub mod summary;
pub mod time;

use std::fmt;
use std::ops::Range;

use serde_json::{Map, Value};

pub use compare::{compare, ClaimDiff, DiffKind};
pub use extract::{Extraction, Source};
pub use summary::{IdentityKind, Summary, ValidityStatus};

/// The largest input [`read`] decodes: 1 MiB. Real tokens are 1–4 KB.
pub const MAX_INPUT_BYTES: usize = 1_048_576;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something is broken; what is shown may be incomplete.
    Error,
    /// Decoded, but not as a standard, well-formed token would be; or a suspicious claim.
    Warning,
    /// For information, e.g. what was removed around the token.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        })
    }
}

/// Which part of the input a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// The pasted text as a whole (extraction, size, part count).
    Input,
    Header,
    Payload,
    Signature,
    /// The encrypted parts of a JWE (encrypted key, IV, ciphertext, tag).
    Encrypted,
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Area::Input => "Input",
            Area::Header => "Header",
            Area::Payload => "Payload",
            Area::Signature => "Signature",
            Area::Encrypted => "Encrypted parts",
        })
    }
}

/// One finding: what is wrong or notable, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub segment: Area,
    /// A complete sentence, e.g. "Payload: ends with '=' padding (1 character), …".
    pub message: String,
    /// One line: how to fix it, or why nothing needs fixing.
    pub fix: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        segment: Area,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            segment,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// What the token is, structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenForm {
    /// Signed JWT: header.payload.signature.
    Jws,
    /// `alg: none`: header.payload. with no signature.
    Unsecured,
    /// Encrypted JWT, 5 parts; only the protected header is readable.
    Jwe,
    /// 1 or 2 parts, or a signed token whose signature is missing: decoded what is there.
    Partial,
    /// 4 or more than 5 parts, or 5 whose header has no `enc` (neither JWS nor JWE): decoded the
    /// header and, when it is JSON, the payload; the rest is unexpected.
    Malformed,
    /// Not a JWT at all (opaque token, random text, nothing pasted).
    NotJwt,
}

impl TokenForm {
    /// Short name for the UI, e.g. "Signed JWT (JWS)".
    pub fn label(self) -> &'static str {
        match self {
            TokenForm::Jws => "Signed JWT (JWS)",
            TokenForm::Unsecured => "Unsecured JWT",
            TokenForm::Jwe => "Encrypted JWE",
            TokenForm::Partial => "Partial token",
            TokenForm::Malformed => "Malformed JWT",
            TokenForm::NotJwt => "Not a JWT",
        }
    }
}

/// The role of one `.`-separated part of the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    Header,
    Payload,
    Signature,
    /// JWE parts.
    EncryptedKey,
    Iv,
    Ciphertext,
    Tag,
    /// A part beyond what a JWS / JWE has (malformed tokens), or the whole text of a non-JWT.
    Unexpected,
}

impl SegmentKind {
    /// Human name, e.g. "Initialization vector".
    pub fn label(self) -> &'static str {
        match self {
            SegmentKind::Header => "Header",
            SegmentKind::Payload => "Payload",
            SegmentKind::Signature => "Signature",
            SegmentKind::EncryptedKey => "Encrypted key",
            SegmentKind::Iv => "Initialization vector",
            SegmentKind::Ciphertext => "Ciphertext",
            SegmentKind::Tag => "Authentication tag",
            SegmentKind::Unexpected => "Unexpected part",
        }
    }
}

/// One part of the token, for colour-coding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// Byte range in [`Reading::token_text`] (always on `char` boundaries).
    pub range: Range<usize>,
    /// The segment's text as it appears in the token.
    pub text: String,
    /// Header and payload: the decoded text (invalid UTF-8 replaced), for showing raw when it is
    /// not JSON. `None` for binary parts.
    pub decoded: Option<String>,
}

/// Everything the decoder knows about one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// What was found and removed around the token.
    pub extraction: Extraction,
    /// The cleaned token that was decoded.
    pub token_text: String,
    /// Its parts with byte ranges in `token_text`.
    pub segments: Vec<Segment>,
    /// The (protected) header, when it is JSON; usually an object.
    pub header: Option<Value>,
    /// The claims, when they are JSON; usually an object. `None` for JWE and non-JWTs.
    pub payload: Option<Value>,
    pub form: TokenForm,
    /// Extraction notes (Info), decoding problems and consistency warnings, in that order.
    pub diagnostics: Vec<Diagnostic>,
    /// What the token says.
    pub summary: Summary,
}

impl Reading {
    /// The header as an ordered map, when it is a JSON object.
    pub fn header_claims(&self) -> Option<&Map<String, Value>> {
        self.header.as_ref().and_then(Value::as_object)
    }

    /// The claims as an ordered map, when the payload is a JSON object.
    pub fn payload_claims(&self) -> Option<&Map<String, Value>> {
        self.payload.as_ref().and_then(Value::as_object)
    }

    /// Diagnostics of one severity.
    pub fn diagnostics_of(&self, severity: Severity) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.severity == severity)
    }

    /// The first segment of a kind.
    pub fn segment(&self, kind: SegmentKind) -> Option<&Segment> {
        self.segments.iter().find(|s| s.kind == kind)
    }

    /// The header's `alg`, when it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header_claims()?.get("alg")?.as_str()
    }
}

/// Reads `input` (anything pasted) as a token, at time `now` (Unix seconds).
pub fn read(input: &str, now: i64) -> Reading {
    if input.len() > MAX_INPUT_BYTES {
        return too_large(input.len(), now);
    }
    let extracted = extract::extract(input);
    let mut diagnostics: Vec<Diagnostic> = extracted
        .extraction
        .notes
        .iter()
        .map(|n| {
            Diagnostic::new(
                Severity::Info,
                Area::Input,
                n.clone(),
                "Nothing to fix; shown so you know exactly what was decoded.",
            )
        })
        .collect();
    let extraction_failed = extracted
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    diagnostics.extend(extracted.diagnostics);
    let token_text = extracted.token;
    let decoded = decode::decode(&token_text, !extraction_failed);
    diagnostics.extend(decoded.diagnostics);
    let header = decoded.header;
    let payload = decoded.payload;
    let signature_len = decoded.signature_len;
    let summary = summary::summarize(
        decoded.form,
        header.as_ref().and_then(Value::as_object),
        payload.as_ref().and_then(Value::as_object),
        now,
    );
    diagnostics.extend(checks::check(&checks::CheckInput {
        form: decoded.form,
        header: header.as_ref().and_then(Value::as_object),
        payload: payload.as_ref().and_then(Value::as_object),
        signature_len,
        summary: &summary,
    }));
    Reading {
        extraction: extracted.extraction,
        token_text,
        segments: decoded.segments,
        header,
        payload,
        form: decoded.form,
        diagnostics,
        summary,
    }
}

fn too_large(len: usize, now: i64) -> Reading {
    Reading {
        extraction: Extraction {
            source: Source::Plain,
            notes: Vec::new(),
            json_path: None,
            extra_fields: Map::new(),
        },
        token_text: String::new(),
        segments: Vec::new(),
        header: None,
        payload: None,
        form: TokenForm::NotJwt,
        diagnostics: vec![Diagnostic::new(
            Severity::Error,
            Area::Input,
            format!(
                "The input is {len} bytes; the decoder reads at most 1 MiB ({MAX_INPUT_BYTES} bytes), so it was not decoded."
            ),
            "Paste only the token; real tokens are a few kilobytes.",
        )],
        summary: summary::summarize(TokenForm::NotJwt, None, None, now),
    }
}

/// The signature's bytes (for WebCrypto `verify`), when the token is signed.
pub fn signature_bytes(reading: &Reading) -> Option<Vec<u8>> {
    if !matches!(reading.form, TokenForm::Jws) {
        return None;
    }
    let sig = reading.segment(SegmentKind::Signature)?;
    if sig.text.is_empty() {
        return None;
    }
    Some(base64url::decode_quiet(&sig.text))
}

/// `header.payload` exactly as it appeared in the token: the bytes the signature covers.
pub fn signing_input(reading: &Reading) -> Option<&str> {
    if !matches!(reading.form, TokenForm::Jws | TokenForm::Unsecured) {
        return None;
    }
    let header = reading.segment(SegmentKind::Header)?;
    let payload = reading.segment(SegmentKind::Payload)?;
    reading
        .token_text
        .get(header.range.start..payload.range.end)
}

/// Pretty-printed JSON with the original key order (two-space indent).
pub fn pretty_json(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
