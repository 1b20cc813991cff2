//! The whole token pipeline: extraction, decoding, summary, checks, and every helper the UI
//! calls on a reading. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::token;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    // `now` from the first bytes, so time arithmetic is fuzzed too.
    let now = data
        .get(..8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(1_714_564_800, i64::from_le_bytes);
    let r = token::read(&input, now);
    assert_eq!(r, token::read(&input, now), "deterministic");
    for s in &r.segments {
        assert_eq!(r.token_text.get(s.range.clone()), Some(s.text.as_str()));
    }
    let _ = token::signature_bytes(&r);
    let _ = token::signing_input(&r);
    for v in [&r.header, &r.payload].into_iter().flatten() {
        let _ = token::pretty_json(v);
    }
    if let Some(p) = r.payload_claims() {
        for (k, v) in p {
            let _ = token::claims::human_reading(k, v, now);
            let _ = token::claims::lookup(k);
        }
        let _ = token::compare(p, p);
    }
    if let Some(h) = r.header_claims() {
        for (k, v) in h {
            let _ = token::claims::human_reading(k, v, now);
        }
    }
    if let Some(alg) = r.alg() {
        let _ = token::keys::webcrypto_algorithm(alg);
    }
});
