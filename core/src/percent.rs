//! Percent-encoding, shared by the URL fragment (page state) and the HTTP request model.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `s` to `out`, keeping ASCII letters, digits, `-._~` and the bytes in `also_safe`
/// and writing every other byte as `%XX`.
pub fn encode_into(s: &str, also_safe: &[u8], out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || also_safe.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// [`encode_into`] a new string.
pub fn encode(s: &str, also_safe: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(s, also_safe, &mut out);
    out
}

/// Decodes `%XX` escapes and `+` (a space, as in form encoding). An invalid escape is an error
/// carrying its byte index when `strict`; otherwise its `%` is kept literally.
pub fn decode_bytes(s: &str, strict: bool) -> Result<Vec<u8>, usize> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = (b == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, escaped) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
                continue;
            }
            (b'%', None) if strict => return Err(i),
            (b'+', _) => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_with_a_chosen_safe_set() {
        assert_eq!(encode("a b/c:é", b""), "a%20b%2Fc%3A%C3%A9");
        assert_eq!(encode("a b/c:é", b"/:"), "a%20b/c:%C3%A9");
    }

    #[test]
    fn decodes_strictly_or_leniently() {
        assert_eq!(decode_bytes("a+b%2F%zz", false), Ok(b"a b/%zz".to_vec()));
        assert_eq!(decode_bytes("a+b%2F%zz", true), Err(6));
        assert_eq!(decode_bytes("%4", true), Err(0));
        assert_eq!(decode_bytes("%4", false), Ok(b"%4".to_vec()));
    }
}
