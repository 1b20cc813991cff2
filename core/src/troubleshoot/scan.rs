//! Finding every catalogue fragment in a text in one pass, without a regex engine.
//!
//! 1. [`normalize`]: ASCII-lowercase the text, read every run of whitespace and the escapes
//!    `\n`, `\r`, `\t` (as they appear in JSON, Python reprs and logs) as one space, drop other
//!    backslashes (`\"` → `"`). Linear.
//! 2. [`find`]: slide over the normalised bytes once; the first four bytes at each position are
//!    looked up in a 4096-bit filter built from the fragments' first four bytes, and only on a
//!    hit are the fragments with exactly those four bytes compared. A fragment that was found is
//!    not looked for again. A fragment that ends (starts) with a digit must not be followed
//!    (preceded) by one, so `AADSTS70021` does not match inside `AADSTS700213`.
//!
//! The cost is linear in the text: each position costs a filter probe, and a compare stops at
//! the first differing byte; fragments are natural-language text with no short period, so long
//! partial matches cannot repeat at many nearby positions.

use super::catalogue::Entry;

/// The normalised form of `text` (see the module docs).
pub(crate) fn normalize(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    // True after a space was written (and at the start): runs collapse, leading ones vanish.
    let mut space = true;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let escape = c == b'\\' && matches!(b.get(i + 1), Some(b'n' | b'r' | b't'));
        if escape || c.is_ascii_whitespace() || c == 0x0b {
            if !space {
                out.push(b' ');
                space = true;
            }
            i += if escape { 2 } else { 1 };
            continue;
        }
        i += 1;
        if c == b'\\' {
            continue;
        }
        out.push(c.to_ascii_lowercase());
        space = false;
    }
    out
}

/// A fragment as the scanner compares it: lower-case bytes.
fn key(fragment: &[u8]) -> Option<u32> {
    let k = fragment.get(..4)?;
    Some(u32::from_le_bytes([
        k[0].to_ascii_lowercase(),
        k[1].to_ascii_lowercase(),
        k[2].to_ascii_lowercase(),
        k[3].to_ascii_lowercase(),
    ]))
}

fn bit(k: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// Which fragments of `entries` occur in `norm` (a [`normalize`]d text): one flag per
/// fragment, in entry order then fragment order.
pub(crate) fn find(entries: &[Entry], norm: &[u8]) -> Vec<bool> {
    // (key, fragment index, fragment bytes), sorted by key.
    let mut table: Vec<(u32, usize, &[u8])> = Vec::new();
    let mut filter = [0u64; 64];
    let mut count = 0;
    for e in entries {
        for f in e.all {
            if let Some(k) = key(f.as_bytes()) {
                table.push((k, count, f.as_bytes()));
                filter[bit(k) / 64] |= 1 << (bit(k) % 64);
            }
            count += 1;
        }
    }
    table.sort_unstable_by_key(|t| t.0);
    let mut found = vec![false; count];
    let mut left = table.len();
    let mut i = 0;
    while left > 0 && i + 4 <= norm.len() {
        let k = u32::from_le_bytes([norm[i], norm[i + 1], norm[i + 2], norm[i + 3]]);
        let b = bit(k);
        if filter[b / 64] & (1 << (b % 64)) != 0 {
            let start = table.partition_point(|t| t.0 < k);
            for (tk, idx, frag) in table.iter().skip(start) {
                if *tk != k {
                    break;
                }
                if found[*idx] || !matches_at(norm, i, frag) {
                    continue;
                }
                found[*idx] = true;
                left -= 1;
            }
        }
        i += 1;
    }
    found
}

/// Whether `frag` (compared case-insensitively) occurs at `norm[i..]`, with the digit rule.
fn matches_at(norm: &[u8], i: usize, frag: &[u8]) -> bool {
    let Some(window) = norm.get(i..i + frag.len()) else {
        return false;
    };
    if !window
        .iter()
        .zip(frag)
        .all(|(a, b)| *a == b.to_ascii_lowercase())
    {
        return false;
    }
    let digit = |x: Option<&u8>| x.is_some_and(u8::is_ascii_digit);
    let ends_in_digit = digit(frag.last());
    let starts_with_digit = digit(frag.first());
    let glued_after = ends_in_digit && digit(norm.get(i + frag.len()));
    let glued_before = starts_with_digit && i > 0 && digit(norm.get(i - 1));
    !glued_after && !glued_before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_reads_escapes_and_runs_as_one_space() {
        assert_eq!(
            normalize("  A\\r\\nB \t\n C\\\"d\\\\n"),
            b"a b c\"d ".to_vec()
        );
        assert_eq!(normalize(""), Vec::<u8>::new());
        assert_eq!(normalize("\\"), Vec::<u8>::new());
        // Only ASCII is lower-cased; other characters pass through unchanged.
        assert_eq!(normalize("Ünïcode É"), "Ünïcode É".as_bytes());
    }

    #[test]
    fn digits_bound_codes() {
        let e = [Entry {
            all: &["AADSTS70021"],
            ..super::super::catalogue::CATALOGUE[0]
        }];
        assert_eq!(find(&e, &normalize("x AADSTS700213: y")), vec![false]);
        assert_eq!(find(&e, &normalize("x AADSTS70021: y")), vec![true]);
        assert_eq!(find(&e, &normalize("1AADSTS70021")), vec![true]);
        assert_eq!(find(&e, &normalize("AADSTS70021")), vec![true]);
    }
}
