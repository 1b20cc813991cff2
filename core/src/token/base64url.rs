//! Lenient base64url decoding that explains every deviation.
//!
//! Why our own decoder: strict decoders (RFC 7515 §2) stop at the first `=` or `+`, but a
//! debugger should show as much as it can and say precisely what was wrong (jwt.io issue #723).
//! We accept both alphabets and padding, skip invalid characters, and report each with its
//! 1-based character position in the segment and in the whole token. Linear time.

use super::{Area, Diagnostic, Severity};

/// How many invalid characters are reported one by one before the rest are summarised.
const MAX_REPORTED_INVALID: usize = 3;

/// The result of decoding one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub bytes: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a segment sits, for messages.
#[derive(Debug, Clone, Copy)]
pub struct SegmentPlace<'a> {
    /// Name used in messages, e.g. "Payload" or "Initialization vector".
    pub label: &'a str,
    /// Where diagnostics are attached.
    pub area: Area,
    /// Characters of the token before this segment (0-based).
    pub chars_before: usize,
}

fn sextet(c: char) -> Option<(u8, Alphabet)> {
    let v = match c {
        'A'..='Z' => c as u8 - b'A',
        'a'..='z' => c as u8 - b'a' + 26,
        '0'..='9' => c as u8 - b'0' + 52,
        '-' => return Some((62, Alphabet::Url)),
        '_' => return Some((63, Alphabet::Url)),
        '+' => return Some((62, Alphabet::Standard)),
        '/' => return Some((63, Alphabet::Standard)),
        _ => return None,
    };
    Some((v, Alphabet::Both))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    Both,
    Url,
    Standard,
}

/// Printable form of a character for messages: control and invisible characters as `U+XXXX`.
pub(crate) fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// Decodes `text` leniently. Never fails: the bytes are whatever could be decoded.
pub fn decode(text: &str, place: SegmentPlace<'_>) -> Decoded {
    let label = place.label;
    let mut diagnostics = Vec::new();
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut nbits: u32 = 0;
    let mut sextets: usize = 0;
    let mut first_standard: Option<(char, usize)> = None;
    let mut saw_url_only = false;
    let mut padding = 0usize;
    let mut padding_start: Option<usize> = None;
    let mut data_after_padding: Option<usize> = None;
    let mut invalid = 0usize;

    for (i, c) in text.chars().enumerate() {
        let pos = i + 1;
        if c == '=' {
            if padding == 0 {
                padding_start = Some(pos);
            }
            padding += 1;
            continue;
        }
        let Some((v, alphabet)) = sextet(c) else {
            invalid += 1;
            if invalid <= MAX_REPORTED_INVALID {
                diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    place.area,
                    format!(
                        "{label}: invalid character {} at position {pos} of the segment (position {} of the token); skipped it.",
                        show_char(c),
                        place.chars_before + pos
                    ),
                    "Copy the token again from its source; it may have been edited or mangled in transit.",
                ));
            }
            continue;
        };
        if padding > 0 && data_after_padding.is_none() {
            data_after_padding = Some(pos);
        }
        match alphabet {
            Alphabet::Standard if first_standard.is_none() => first_standard = Some((c, pos)),
            Alphabet::Url => saw_url_only = true,
            _ => {}
        }
        acc = (acc << 6) | u32::from(v);
        nbits += 6;
        sextets += 1;
        if nbits >= 8 {
            nbits -= 8;
            bytes.push((acc >> nbits) as u8);
            acc &= (1 << nbits) - 1;
        }
    }

    if invalid > MAX_REPORTED_INVALID {
        diagnostics.push(Diagnostic::new(
            Severity::Error,
            place.area,
            format!(
                "{label}: {} more invalid characters skipped.",
                invalid - MAX_REPORTED_INVALID
            ),
            "Copy the token again from its source.",
        ));
    }
    if let Some((c, pos)) = first_standard {
        let mixed = if saw_url_only {
            " It mixes both alphabets, which no encoder produces."
        } else {
            ""
        };
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            place.area,
            format!(
                "{label}: uses the standard base64 alphabet ('{c}' at position {pos} of the segment, position {} of the token) instead of base64url ('-' and '_'); decoded anyway.{mixed}",
                place.chars_before + pos
            ),
            "JWTs use base64url: replace '+' with '-' and '/' with '_'.",
        ));
    }
    if let Some(start) = padding_start {
        if let Some(after) = data_after_padding {
            diagnostics.push(Diagnostic::new(
                Severity::Error,
                place.area,
                format!(
                    "{label}: '=' at position {start} of the segment (position {} of the token) is followed by more data at position {after}; ignored the '='.",
                    place.chars_before + start
                ),
                "Padding may only appear at the end; the token was probably pasted together from pieces.",
            ));
        } else {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                place.area,
                format!(
                    "{label}: ends with '=' padding ({padding} character{}), which base64url in JWTs does not use; decoded anyway.",
                    if padding == 1 { "" } else { "s" }
                ),
                "Remove the trailing '=' characters.",
            ));
        }
    }
    if sextets % 4 == 1 {
        diagnostics.push(Diagnostic::new(
            Severity::Error,
            place.area,
            format!(
                "{label}: has {sextets} base64url characters; a length of 4n+1 is impossible (the last character carries only 6 bits), so the segment is truncated or has an extra character."
            ),
            "Copy the whole token again; the end of this segment is probably cut off.",
        ));
    }
    Decoded { bytes, diagnostics }
}

/// Strict-enough decode for callers that just need bytes (signature, key material):
/// lenient, diagnostics dropped.
pub fn decode_quiet(text: &str) -> Vec<u8> {
    decode(
        text,
        SegmentPlace {
            label: "",
            area: Area::Input,
            chars_before: 0,
        },
    )
    .bytes
}

/// base64url without padding, for building tokens in tests and examples.
pub fn encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(chars_before: usize) -> SegmentPlace<'static> {
        SegmentPlace {
            label: "Payload",
            area: Area::Payload,
            chars_before,
        }
    }

    #[test]
    fn decodes_clean_base64url_without_diagnostics() {
        for input in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"\xff\xfe\xfd\x00",
            b"{\"a\":1}",
        ] {
            let d = decode(&encode(input), place(0));
            assert_eq!(d.bytes, input);
            assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
        }
    }

    #[test]
    fn accepts_padding_with_a_warning() {
        let d = decode("Zm8=", place(0));
        assert_eq!(d.bytes, b"fo");
        assert_eq!(d.diagnostics.len(), 1);
        assert_eq!(d.diagnostics[0].severity, Severity::Warning);
        assert_eq!(
            d.diagnostics[0].message,
            "Payload: ends with '=' padding (1 character), which base64url in JWTs does not use; decoded anyway."
        );
    }

    #[test]
    fn accepts_standard_alphabet_with_position() {
        // 0xfb 0xff → "+/8" in standard base64, "-_8" in base64url.
        let d = decode("+_8", place(10));
        assert_eq!(d.bytes, vec![0xfb, 0xff]);
        assert_eq!(d.diagnostics.len(), 1);
        assert!(d.diagnostics[0]
            .message
            .starts_with("Payload: uses the standard base64 alphabet ('+' at position 1 of the segment, position 11 of the token)"));
        assert!(d.diagnostics[0].message.contains("mixes both alphabets"));
    }

    #[test]
    fn reports_invalid_characters_with_char_positions() {
        // A multi-byte character: positions count characters, not bytes.
        let d = decode("Zé9v!", place(100));
        assert_eq!(d.bytes, vec![0x67, 0xdb]); // "Z9v" → 3 sextets → 2 bytes
        let msgs: Vec<_> = d.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs[0],
            "Payload: invalid character 'é' at position 2 of the segment (position 102 of the token); skipped it."
        );
        assert!(msgs[1].contains("'!' at position 5 of the segment (position 105"));
        assert!(d.diagnostics.iter().all(|d| d.severity == Severity::Error));
    }

    #[test]
    fn summarises_many_invalid_characters() {
        let d = decode("!!!!!!Zm9v", place(0));
        assert_eq!(d.bytes, b"foo");
        assert_eq!(d.diagnostics.len(), 4);
        assert_eq!(
            d.diagnostics[3].message,
            "Payload: 3 more invalid characters skipped."
        );
    }

    #[test]
    fn flags_impossible_length_and_inner_padding() {
        let d = decode("Zm9vY", place(0));
        assert_eq!(d.bytes, b"foo");
        assert!(d.diagnostics[0].message.contains("4n+1 is impossible"));
        let d = decode("Zg==Zg", place(0));
        assert!(d.diagnostics[0]
            .message
            .contains("followed by more data at position 5"));
    }

    #[test]
    fn control_characters_are_named() {
        let d = decode("Zm\u{0}9v", place(0));
        assert!(d.diagnostics[0].message.contains("U+0000 at position 3"));
    }
}
