//! Deterministic ids: every GUID, secret and opaque token part comes from the world's seed.
//!
//! A small splitmix64 generator keyed by `(seed, stream, n)` gives independent, reproducible
//! streams: the same seed and the same actions always produce the same ids (design.md), so a
//! share link that only holds the seed and the action list reproduces every GUID and token.

/// Independent id streams, so that e.g. sending requests never shifts the ids of resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Tenant, subscription: fixed per seed.
    Root = 1,
    /// Principal ids, client ids, role assignment names, identity headers: per world id counter.
    World = 2,
    /// `x-ms-request-id`, correlation ids, trace ids: per endpoint request counter.
    Request = 3,
    /// Token opaque parts (`uti`, `aio`, `rh`): per minted-token counter.
    Token = 4,
    /// Azure Arc challenge key files.
    ArcKey = 5,
}

/// One step of splitmix64 (Steele, Lea, Flood 2014): a tiny, well-mixed 64-bit generator.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `len` deterministic bytes for `(seed, stream, n)`.
pub fn bytes(seed: u64, stream: Stream, n: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let _ = splitmix64(&mut state);
    state ^= (stream as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    let _ = splitmix64(&mut state);
    state ^= n.wrapping_mul(0xA076_1D64_78BD_642F);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&splitmix64(&mut state).to_be_bytes());
    }
    out.truncate(len);
    out
}

/// A lowercase version-4-shaped GUID for `(seed, stream, n)`, e.g.
/// `1f0c6b6e-3c1a-4b7e-9d2f-6a5b4c3d2e1f`.
pub fn guid(seed: u64, stream: Stream, n: u64) -> String {
    let mut b = bytes(seed, stream, n, 16);
    if let Some(x) = b.get_mut(6) {
        *x = (*x & 0x0f) | 0x40;
    }
    if let Some(x) = b.get_mut(8) {
        *x = (*x & 0x3f) | 0x80;
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_deterministic_and_distinct() {
        let a = guid(42, Stream::World, 0);
        assert_eq!(a, guid(42, Stream::World, 0));
        assert_ne!(a, guid(42, Stream::World, 1));
        assert_ne!(a, guid(43, Stream::World, 0));
        assert_ne!(a, guid(42, Stream::Request, 0));
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
