//! The verification-key parser (JWK, JWKS, PEM, DER). Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::token::keys;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    if let Ok(key) = keys::parse_key(&input, Some("k")) {
        for alg in ["RS256", "PS256", "ES256", "ES512", "HS256", "EdDSA", "none"] {
            let _ = key.check_alg(alg);
        }
    }
    let pem = format!("-----BEGIN PUBLIC KEY-----\n{input}\n-----END PUBLIC KEY-----");
    let _ = keys::parse_key(&pem, None);
});
