//! Property tests: any input is read without panicking, deterministically, and the result is
//! internally consistent (segment ranges, diagnostics).

use proptest::prelude::*;

use super::tests::{
    make_token, mi_header, mi_payload, system_assigned_token, uai_mirid, vm_mirid, NOW,
};
use super::*;

/// Invariants every reading satisfies.
fn check_invariants(input: &str, r: &Reading) {
    for s in &r.segments {
        assert!(s.range.start <= s.range.end && s.range.end <= r.token_text.len());
        assert_eq!(
            r.token_text.get(s.range.clone()),
            Some(s.text.as_str()),
            "range on char boundaries"
        );
    }
    for d in &r.diagnostics {
        assert!(!d.message.is_empty() && !d.fix.is_empty());
    }
    if input.len() <= MAX_INPUT_BYTES && r.form == TokenForm::Jws {
        assert!(signing_input(r).is_some());
        assert!(signature_bytes(r).is_some());
    }
    if r.form == TokenForm::NotJwt {
        assert!(r.header.is_none() && r.payload.is_none());
    }
    // Everything the UI might call on a reading.
    if let Some(p) = r.payload_claims() {
        for (k, v) in p {
            let _ = claims::human_reading(k, v, NOW);
        }
        let _ = compare(p, p);
    }
    if let Some(h) = &r.header {
        let _ = pretty_json(h);
    }
}

fn read_twice(input: &str) -> Reading {
    let a = read(input, NOW);
    let b = read(input, NOW);
    assert_eq!(a, b, "reading is deterministic");
    check_invariants(input, &a);
    a
}

/// Characters that stress the decoder: separators, padding, both alphabets, whitespace,
/// quotes, JSON punctuation, multi-byte and control characters.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('.'),
        Just('='),
        Just('+'),
        Just('/'),
        Just('-'),
        Just('_'),
        Just(' '),
        Just('\n'),
        Just('"'),
        Just('{'),
        Just('%'),
        Just('#'),
        Just('é'),
        Just('\u{0}'),
        Just('\u{feff}'),
        Just('😀'),
        prop::char::range('A', 'z'),
        any::<char>(),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), nasty_char()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), nasty_char()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(s: &str, muts: &[Mutation]) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for m in muts {
        let n = chars.len();
        match *m {
            Mutation::Insert(i, c) => chars.insert(i % (n + 1), c),
            Mutation::Delete(i) if n > 0 => {
                chars.remove(i % n);
            }
            Mutation::Replace(i, c) if n > 0 => chars[i % n] = c,
            Mutation::Truncate(i) => chars.truncate(i % (n + 1)),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn real_inputs() -> Vec<String> {
    let token = system_assigned_token();
    let uai = make_token(
        &mi_header(),
        &mi_payload(
            "https://vault.azure.net",
            &uai_mirid(),
            &format!(r#""xms_az_rid":"{}","#, vm_mirid()),
        ),
        256,
    );
    vec![
        token.clone(),
        uai,
        format!("Bearer {token}"),
        format!(r#"{{"access_token":"{token}","expires_in":"86399","token_type":"Bearer"}}"#),
        format!("curl -H \"Authorization: Bearer {token}\" https://x"),
        format!("https://jwt.ms/#id_token={token}"),
        make_token(
            r#"{"alg":"none"}"#,
            r#"{"a":1,"a":[{"b":{"b":1,"b":2}}]}"#,
            0,
        ),
        mi_payload("https://management.azure.com/", &vm_mirid(), ""),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(chars in prop::collection::vec(nasty_char(), 0..400)) {
        let s: String = chars.into_iter().collect();
        read_twice(&s);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        read_twice(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_segments_never_panic(
        parts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..120), 1..7),
        json_start in any::<bool>(),
    ) {
        // Each part base64url-encoded: reaches the JSON parser and duplicate scanner with
        // arbitrary bytes; optionally force a '{' so the input is treated as a JWT.
        let encoded: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut p = p.clone();
                if json_start && i < 2 {
                    p.insert(0, b'{');
                }
                base64url::encode(&p)
            })
            .collect();
        read_twice(&encoded.join("."));
    }

    #[test]
    fn mutated_real_tokens_never_panic(
        which in 0usize..8,
        muts in prop::collection::vec(mutation(), 1..10),
    ) {
        let inputs = real_inputs();
        let base = &inputs[which % inputs.len()];
        read_twice(&mutate(base, &muts));
    }

    #[test]
    fn mutated_json_inside_valid_base64_never_panics(
        muts in prop::collection::vec(mutation(), 1..10),
        in_header in any::<bool>(),
    ) {
        let payload = mi_payload("https://management.azure.com/", &vm_mirid(), "");
        let token = if in_header {
            make_token(&mutate(&mi_header(), &muts), &payload, 256)
        } else {
            make_token(&mi_header(), &mutate(&payload, &muts), 256)
        };
        let r = read_twice(&token);
        if !in_header {
            // The header is intact, so the token is always split into its three parts.
            prop_assert_eq!(r.segments.len(), 3);
            prop_assert!(r.header.is_some());
        }
    }

    #[test]
    fn verification_key_parser_never_panics(chars in prop::collection::vec(nasty_char(), 0..300)) {
        let s: String = chars.into_iter().collect();
        let _ = keys::parse_key(&s, Some("k"));
        let _ = keys::parse_key(&format!("-----BEGIN PUBLIC KEY-----\n{s}\n-----END PUBLIC KEY-----"), None);
        let _ = keys::parse_key(&format!(r#"{{"keys":[{{"kty":"RSA","kid":"k","n":"{s}","e":"AQAB"}}]}}"#), Some("k"));
    }

    #[test]
    fn time_formatting_is_total(t in any::<i64>(), now in any::<i64>()) {
        let _ = time::format_utc(t);
        let _ = time::format_relative(t, now);
        if let Some(s) = time::format_utc(t) {
            prop_assert!(s.ends_with(" UTC"));
        }
    }
}
