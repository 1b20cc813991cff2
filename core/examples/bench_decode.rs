//! Host benchmark of `token::read` (extraction + decoding + summary + checks).
//!
//! Run: `cargo run --release -p mi-core --example bench_decode`
//! Prints the median and 95th percentile over many runs for a realistic ~1.5 KB
//! managed-identity token and for 1 MiB inputs (the largest the decoder accepts).

use std::hint::black_box;
use std::time::{Duration, Instant};

use mi_core::token::{self, base64url::encode, TokenForm, MAX_INPUT_BYTES};

const NOW: i64 = 1_714_564_800;

fn realistic_mi_token() -> String {
    let tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let oid = "6f8e3a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b";
    let kid = "L1KfKFI_jnXbwWc22xZxw1sUHH0";
    let header = format!(r#"{{"typ":"JWT","alg":"RS256","x5t":"{kid}","kid":"{kid}"}}"#);
    let iat = NOW - 300;
    let payload = format!(
        concat!(
            r#"{{"aud":"https://management.azure.com/","iss":"https://sts.windows.net/{tid}/","iat":{iat},"nbf":{iat},"exp":{exp},"#,
            r#""aio":"k2BgYJjQ7xt1bX/AAAA=","appid":"5d1fe1e8-b908-419b-9baa-6d9baea11d75","appidacr":"2","#,
            r#""idp":"https://sts.windows.net/{tid}/","idtyp":"app","oid":"{oid}","#,
            r#""rh":"0.AFEAv4j5cvGGr0GRqy180BHbR0ZIf3kAutdPukPawfj2MBNRAAA.","sub":"{oid}","tid":"{tid}","#,
            r#""uti":"AbCdEfGhIjKlMnOpQrStUw","ver":"1.0","xms_az_rid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourcegroups/Web-RG/providers/Microsoft.Web/sites/orders-api","#,
            r#""xms_idrel":"7 18","xms_mirid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourcegroups/Identity-RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders","#,
            r#""xms_tcdt":1289241547,"xms_cae":"1","xms_rd":"0.42LlYBJi9BYS4WAXEiBgnBEOBwA"}}"#
        ),
        tid = tid,
        oid = oid,
        iat = iat,
        exp = iat + 86_700,
    );
    let sig: Vec<u8> = (0..256u32).map(|i| (i * 37 + 11) as u8).collect();
    format!(
        "{}.{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes()),
        encode(&sig)
    )
}

/// A token padded with one huge claim to exactly `MAX_INPUT_BYTES`.
fn one_mib_token() -> String {
    let header = encode(br#"{"typ":"JWT","alg":"RS256"}"#);
    let sig = encode(&[7u8; 256]);
    // base64 grows 4/3: solve for the filler so the token is just under 1 MiB, then pad.
    let overhead = header.len() + sig.len() + 2;
    let payload_b64_len = MAX_INPUT_BYTES - overhead;
    let json_len = payload_b64_len / 4 * 3;
    let filler = "x".repeat(json_len - r#"{"big":""}"#.len());
    let payload = encode(format!(r#"{{"big":"{filler}"}}"#).as_bytes());
    let mut t = format!("{header}.{payload}.{sig}");
    while t.len() < MAX_INPUT_BYTES {
        t.push(' ');
    }
    t
}

fn measure(name: &str, input: &str, runs: usize) {
    // Warm up (allocator, caches).
    for _ in 0..runs.min(20) {
        black_box(token::read(black_box(input), NOW));
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(token::read(black_box(input), NOW));
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{name:<38} {:>9} bytes  median {:>10.1?}  p95 {:>10.1?}  ({runs} runs)",
        input.len(),
        median,
        p95
    );
}

fn main() {
    let small = realistic_mi_token();
    let r = token::read(&small, NOW);
    assert_eq!(r.form, TokenForm::Jws);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);

    let big = one_mib_token();
    assert_eq!(big.len(), MAX_INPUT_BYTES);
    assert_eq!(token::read(&big, NOW).form, TokenForm::Jws);

    let prose = "lorem ipsum dolor sit amet ".repeat(MAX_INPUT_BYTES / 27 + 1);
    let prose = &prose[..MAX_INPUT_BYTES];
    let garbage: String = (0..MAX_INPUT_BYTES)
        .map(|i| if i % 97 == 0 { '.' } else { '!' })
        .collect();

    println!("token::read — host, release profile of the workspace");
    measure("realistic MI token (user-assigned)", &small, 5000);
    measure(
        "Bearer + IMDS JSON around it",
        &format!(r#"{{"access_token":"{small}","expires_in":"86399","token_type":"Bearer"}}"#),
        5000,
    );
    measure("1 MiB token (one huge claim)", &big, 40);
    measure("1 MiB prose (not a JWT)", prose, 40);
    measure("1 MiB of '!' and '.' (not a JWT)", &garbage, 40);
    // Adversarial shapes for the linear-time guarantee.
    let quotes = "\"".repeat(MAX_INPUT_BYTES);
    measure("1 MiB of '\"' (quote peeling)", &quotes, 40);
    let auth = "authorization".repeat(MAX_INPUT_BYTES / 13);
    measure("1 MiB of 'authorization' (header scan)", &auth, 40);
    let dup_payload = format!("{{{}\"a\":0}}", "\"a\":0,".repeat(120_000));
    let dup = format!(
        "{}.{}.{}",
        encode(br#"{"alg":"RS256"}"#),
        encode(dup_payload.as_bytes()),
        encode(&[1u8; 256])
    );
    measure("~1 MiB token, 120k duplicate keys", &dup, 40);
    measure("1 MiB + 1 byte (refused)", &format!("{big} "), 40);
}
