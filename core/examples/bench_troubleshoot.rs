//! Host benchmark of `troubleshoot::explain` on 1 MiB inputs, ordinary and adversarial.
//!
//! Run: `cargo run --release -p mi-core --example bench_troubleshoot`
//! Prints the median and the slowest of several runs per input, and the time for a typical
//! few-hundred-byte error message.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mi_core::troubleshoot::explain;

const MIB: usize = 1 << 20;

fn fill(unit: &str) -> String {
    unit.repeat(MIB / unit.len() + 1)[..MIB].to_string()
}

fn time(text: &str, runs: usize) -> (Duration, Duration) {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(explain(black_box(text)));
            start.elapsed()
        })
        .collect();
    t.sort();
    (t[t.len() / 2], t[t.len() - 1])
}

fn main() {
    let typical = "azure.identity._exceptions.CredentialUnavailableError: ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint. Token request error: (invalid_request) Identity not found";
    let (median, max) = time(typical, 2000);
    println!(
        "typical message ({} B): median {median:?}, max {max:?}",
        typical.len()
    );
    let random: String = (0..MIB as u32)
        .map(|i| char::from(b' ' + ((i.wrapping_mul(2_654_435_761) >> 24) % 95) as u8))
        .collect();
    let inputs = [
        ("random printable text", random),
        ("one letter", "a".repeat(MIB)),
        (
            "a typical log, repeated",
            fill(&format!("2025-12-01 10:00:00 ERROR {typical}\n")),
        ),
        (
            "fragment prefixes",
            fill("ManagedIdentityCredential authentication unavail "),
        ),
        (
            "labelled GUIDs",
            fill("oid=c4e8a1f2-3b6d-4e9a-8f1c-2d7b5a9e0c13;"),
        ),
        ("hex digits", "0".repeat(MIB)),
        ("ARM id prefixes", fill("/subscriptions/")),
        (
            "extraction markers",
            fill("resource=audience invalid audience. expected found: action: '"),
        ),
        ("JWT starts", fill("eyJ")),
        ("JWT segments", fill("eyJhbGciOiJIUzI1NiJ9.")),
        ("escapes", fill("\\n\\r\\t\\\\")),
        ("scopes", fill("a/.default ")),
        ("code prefixes", fill("AADSTS7002")),
    ];
    let mut worst = Duration::ZERO;
    for (what, text) in &inputs {
        let (median, max) = time(text, 7);
        worst = worst.max(max);
        println!("1 MiB {what:<26} median {median:>10.2?}  max {max:>10.2?}");
    }
    println!("slowest 1 MiB run: {worst:?}");
}
