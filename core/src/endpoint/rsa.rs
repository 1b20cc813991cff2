//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signing with the embedded DEMO key, and its JWKS.
//!
//! Hand-written on purpose: the `rsa` crate (+ its bignum, pkcs1/pkcs8/der, rand_core) costs
//! about 25 KB gzip of wasm, this file about 2 KB. Only what signing needs: Montgomery
//! multiplication (CIOS) on 32-bit limbs, square-and-multiply, CRT with Garner's recombination.
//! PKCS#1 v1.5 is deterministic, so the same input always gives the same signature. Not
//! constant-time: the key is public demo material, nothing here protects a secret.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::demo_key;
use crate::jsonw::Json;

/// The key id (`kid` = `x5t`): base64url SHA-1 thumbprint of the demo certificate, 27 chars.
pub const KID: &str = demo_key::X5T;

fn hex_to_bytes(h: &str) -> Vec<u8> {
    h.as_bytes()
        .chunks(2)
        .map(|c| {
            let s = std::str::from_utf8(c).unwrap_or("00");
            u8::from_str_radix(s, 16).unwrap_or(0)
        })
        .collect()
}

/// Little-endian u32 limbs from big-endian bytes, zero-padded to `n` limbs.
fn limbs(be: &[u8], n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n];
    for (i, b) in be.iter().rev().enumerate() {
        if let Some(l) = out.get_mut(i / 4) {
            *l |= u32::from(*b) << (8 * (i % 4));
        }
    }
    out
}

fn to_be(l: &[u32], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    for i in 0..len {
        let b = l.get(i / 4).map_or(0, |w| (w >> (8 * (i % 4))) as u8);
        if let Some(o) = out.get_mut(len - 1 - i) {
            *o = b;
        }
    }
    out
}

fn geq(a: &[u32], b: &[u32]) -> bool {
    for (x, y) in a.iter().zip(b).rev() {
        if x != y {
            return x > y;
        }
    }
    true
}

/// a -= b (same length), returns the borrow.
fn sub_assign(a: &mut [u32], b: &[u32]) -> bool {
    let mut borrow = 0i64;
    for (x, y) in a.iter_mut().zip(b) {
        let d = i64::from(*x) - i64::from(*y) - borrow;
        *x = d as u32;
        borrow = i64::from(d < 0);
    }
    borrow != 0
}

/// a += b (same length), returns the carry.
fn add_assign(a: &mut [u32], b: &[u32]) -> bool {
    let mut carry = 0u64;
    for (x, y) in a.iter_mut().zip(b) {
        let s = u64::from(*x) + u64::from(*y) + carry;
        *x = s as u32;
        carry = s >> 32;
    }
    carry != 0
}

/// Montgomery arithmetic modulo an odd `m` with R = 2^(32·len).
struct Mont {
    m: Vec<u32>,
    /// −m⁻¹ mod 2³²
    minv: u32,
    /// R² mod m
    r2: Vec<u32>,
}

impl Mont {
    fn new(m: Vec<u32>) -> Mont {
        let m0 = m.first().copied().unwrap_or(1);
        let mut inv: u32 = 1;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m0.wrapping_mul(inv)));
        }
        let n = m.len();
        // R² mod m by doubling 1, 2·32·n times, reducing each time.
        let mut r = vec![0u32; n];
        if let Some(first) = r.first_mut() {
            *first = 1;
        }
        for _ in 0..(64 * n) {
            let mut carry = 0u32;
            for w in r.iter_mut() {
                let nc = *w >> 31;
                *w = (*w << 1) | carry;
                carry = nc;
            }
            if carry != 0 || geq(&r, &m) {
                sub_assign(&mut r, &m);
            }
        }
        Mont {
            m,
            minv: inv.wrapping_neg(),
            r2: r,
        }
    }

    /// a·b·R⁻¹ mod m (CIOS); a, b < m. Loops over zipped slices rather than indexes: the
    /// release build is optimised for size, and bounds checks in these loops made a signature
    /// take 40 ms on the host.
    fn mul(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let n = self.m.len();
        let m = self.m.as_slice();
        let mut t = vec![0u32; n + 2];
        for &bw in b.iter().take(n) {
            let (low, high) = t.split_at_mut(n);
            let bi = u64::from(bw);
            let mut c = 0u64;
            for (tj, &aj) in low.iter_mut().zip(a) {
                let s = u64::from(*tj) + u64::from(aj) * bi + c;
                *tj = s as u32;
                c = s >> 32;
            }
            let s = u64::from(high[0]) + c;
            high[0] = s as u32;
            high[1] = (s >> 32) as u32;
            let t0 = low.first().copied().unwrap_or(0);
            let mq = u64::from(t0.wrapping_mul(self.minv));
            // t + mq·m is a multiple of 2³²: add, then shift down one word.
            let mut c = 0u64;
            for (tj, &mj) in low.iter_mut().zip(m) {
                let s = u64::from(*tj) + mq * u64::from(mj) + c;
                *tj = s as u32;
                c = s >> 32;
            }
            let s = u64::from(high[0]) + c;
            high[0] = s as u32;
            high[1] += (s >> 32) as u32;
            t.copy_within(1.., 0);
            t[n + 1] = 0;
        }
        let overflow = t[n] != 0;
        t.truncate(n);
        if overflow || geq(&t, &self.m) {
            sub_assign(&mut t, &self.m);
        }
        t
    }

    /// base^exp mod m, base < m, exp big-endian bytes.
    fn pow(&self, base: &[u32], exp: &[u8]) -> Vec<u32> {
        let n = self.m.len();
        let mut one = vec![0u32; n];
        if let Some(f) = one.first_mut() {
            *f = 1;
        }
        let b = self.mul(base, &self.r2);
        let mut acc = self.mul(&one, &self.r2);
        for byte in exp {
            for bit in (0..8).rev() {
                acc = self.mul(&acc, &acc);
                if (byte >> bit) & 1 == 1 {
                    acc = self.mul(&acc, &b);
                }
            }
        }
        self.mul(&acc, &one)
    }

    /// x mod m for x with 2·len limbs, when m > 2^(32·len − 1).
    fn reduce_double(&self, x: &[u32]) -> Vec<u32> {
        let n = self.m.len();
        let mut lo = x.get(..n).unwrap_or(&[]).to_vec();
        let mut hi = x.get(n..2 * n).unwrap_or(&[]).to_vec();
        lo.resize(n, 0);
        hi.resize(n, 0);
        for v in [&mut lo, &mut hi] {
            if geq(v, &self.m) {
                sub_assign(v, &self.m);
            }
        }
        let mut r = self.mul(&hi, &self.r2); // hi·R mod m
        if add_assign(&mut r, &lo) || geq(&r, &self.m) {
            sub_assign(&mut r, &self.m);
        }
        r
    }
}

/// EMSA-PKCS1-v1_5 encoding of a SHA-256 digest for a 256-byte modulus.
fn emsa_pkcs1_sha256(digest: &[u8]) -> Vec<u8> {
    const PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    let mut em = vec![0x00, 0x01];
    em.resize(256 - PREFIX.len() - digest.len() - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(&PREFIX);
    em.extend_from_slice(digest);
    em
}

/// RS256 signature of `data` with the demo key (256 bytes).
pub fn sign(data: &[u8]) -> Vec<u8> {
    let em = emsa_pkcs1_sha256(&Sha256::digest(data));
    let m = limbs(&em, 64);
    let p = Mont::new(limbs(&hex_to_bytes(demo_key::P), 32));
    let q = Mont::new(limbs(&hex_to_bytes(demo_key::Q), 32));
    let s1 = p.pow(&p.reduce_double(&m), &hex_to_bytes(demo_key::DP));
    let s2 = q.pow(&q.reduce_double(&m), &hex_to_bytes(demo_key::DQ));
    // Garner: h = qinv·(s1 − s2) mod p; s = s2 + h·q.
    let mut s2p = s2.clone();
    if geq(&s2p, &p.m) {
        sub_assign(&mut s2p, &p.m);
    }
    let mut diff = s1;
    if sub_assign(&mut diff, &s2p) {
        add_assign(&mut diff, &p.m);
    }
    let qinv = limbs(&hex_to_bytes(demo_key::QINV), 32);
    let h = p.mul(&p.mul(&diff, &qinv), &p.r2);
    let mut s = vec![0u32; 64];
    for (i, hi) in h.iter().enumerate() {
        let mut c = 0u64;
        for (j, qj) in q.m.iter().enumerate() {
            let idx = i + j;
            let cur = s.get(idx).copied().unwrap_or(0);
            let v = u64::from(cur) + u64::from(*hi) * u64::from(*qj) + c;
            if let Some(w) = s.get_mut(idx) {
                *w = v as u32;
            }
            c = v >> 32;
        }
        if let Some(w) = s.get_mut(i + 32) {
            *w = c as u32;
        }
    }
    let mut s2w = s2;
    s2w.resize(64, 0);
    add_assign(&mut s, &s2w);
    to_be(&s, 256)
}

/// Verifies an RS256 signature with the demo public key (e = 65537).
pub fn verify(data: &[u8], signature: &[u8]) -> bool {
    if signature.len() != 256 {
        return false;
    }
    let n = Mont::new(limbs(&hex_to_bytes(demo_key::N), 64));
    let s = limbs(signature, 64);
    if geq(&s, &n.m) {
        return false;
    }
    let m = n.pow(&s, &[0x01, 0x00, 0x01]);
    to_be(&m, 256) == emsa_pkcs1_sha256(&Sha256::digest(data))
}

/// Signs `header.payload` and returns the complete compact JWT.
pub fn sign_jwt(header_json: &str, payload_json: &str) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(payload_json)
    );
    let sig = sign(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// The public JWKS of the demo key, in Entra's shape (pretty JSON with a trailing newline;
/// this exact text is `static/demo-jwks.json`).
pub fn jwks_json() -> String {
    let n = hex_to_bytes(demo_key::N);
    let mut j = Json::pretty();
    j.obj().key("keys").arr().el().obj();
    j.key("kty").str("RSA").key("use").str("sig");
    j.key("kid").str(KID).key("x5t").str(KID);
    j.key("n")
        .str(&URL_SAFE_NO_PAD.encode(n))
        .key("e")
        .str("AQAB");
    j.key("x5c").arr().el().str(demo_key::X5C).end();
    j.key("issuer")
        .str("https://login.microsoftonline.com/{tenantid}/v2.0")
        .end()
        .end()
        .end();
    let mut s = j.done();
    s.push('\n');
    s
}

/// The DER certificate of the demo key (what `x5c` holds), for thumbprint checks.
pub fn certificate_der() -> Vec<u8> {
    STANDARD.decode(demo_key::X5C).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let sig = sign(b"hello");
        assert_eq!(sig.len(), 256);
        assert!(verify(b"hello", &sig));
        assert!(!verify(b"hellp", &sig));
        assert_eq!(sig, sign(b"hello"), "PKCS#1 v1.5 is deterministic");
    }

    #[test]
    fn openssl_verifies_independently() {
        let Ok(out) = std::process::Command::new("openssl")
            .arg("version")
            .output()
        else {
            eprintln!("openssl not found: skipping the independent check");
            return;
        };
        assert!(out.status.success());
        let dir = std::env::temp_dir().join(format!("mi-core-rsa-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let data = b"eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0";
        std::fs::write(dir.join("data"), data).unwrap();
        std::fs::write(dir.join("sig"), sign(data)).unwrap();
        let pem = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/endpoint/demo_key_public.pem"
        );
        let out = std::process::Command::new("openssl")
            .args(["dgst", "-sha256", "-verify", pem, "-signature"])
            .arg(dir.join("sig"))
            .arg(dir.join("data"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Verified OK");
        // The certificate's SHA-1 thumbprint is the kid.
        std::fs::write(dir.join("cert.der"), certificate_der()).unwrap();
        let out = std::process::Command::new("openssl")
            .args([
                "x509",
                "-inform",
                "DER",
                "-noout",
                "-fingerprint",
                "-sha1",
                "-in",
            ])
            .arg(dir.join("cert.der"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let hex: String = text.split('=').nth(1).unwrap().trim().replace(':', "");
        assert_eq!(URL_SAFE_NO_PAD.encode(hex_to_bytes(&hex)), KID);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn static_jwks_file_matches() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/demo-jwks.json");
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        if std::env::var("MI_WRITE_JWKS").is_ok() {
            std::fs::write(path, jwks_json()).unwrap();
            return;
        }
        assert_eq!(
            on_disk,
            jwks_json(),
            "regenerate with MI_WRITE_JWKS=1 cargo test -p mi-core static_jwks"
        );
        assert_eq!(KID.len(), 27);
    }
}
