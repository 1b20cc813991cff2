//! The decoder's built-in sample tokens are exactly what the simulator mints, so the decoder
//! can offer them without linking the whole simulator into its page.

#[test]
fn built_in_samples_equal_the_simulator_output() {
    let minted = mi_core::endpoint::samples::decoder_samples();
    let built_in: Vec<(String, String)> = mi_core::token::samples::SAMPLES
        .iter()
        .map(|(l, t)| (l.to_string(), t.to_string()))
        .collect();
    if std::env::var_os("MI_PRINT_SAMPLES").is_some() {
        for (label, jwt) in &minted {
            println!("SAMPLE {label} {jwt}");
        }
    }
    assert_eq!(
        built_in, minted,
        "regenerate with MI_PRINT_SAMPLES=1 cargo test -p mi-core --test samples -- --nocapture"
    );
}

#[test]
fn demo_tokens_are_recognised_and_real_ones_are_not() {
    use mi_core::token::{read, samples};
    assert_eq!(samples::DEMO_KID, mi_core::endpoint::rsa::KID);
    for (_, jwt) in samples::SAMPLES {
        assert!(samples::names_demo_key(&read(jwt, 0)));
    }
    // Same claims, another key id: a credential as far as the playground can tell.
    let header = r#"{"typ":"JWT","alg":"RS256","kid":"nOo3ZDrODXEK1jKWhXslHR_KXEg"}"#;
    let other = format!("{}.eyJhdWQiOiJ4In0.c2ln", base64_url(header.as_bytes()));
    assert!(!samples::names_demo_key(&read(&other, 0)));
    assert!(!samples::names_demo_key(&read("not a token", 0)));
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn link_policy_keeps_credentials_out_of_links() {
    use mi_core::token::read;
    use mi_core::token::samples::{self, LinkPolicy};
    let policy = |s: &str| samples::link_policy(&read(s, 0));
    let (label, system) = samples::SAMPLES[0];
    assert_eq!(policy(system), LinkPolicy::Sample(label));
    assert_eq!(
        policy(&format!("Bearer {system}")),
        LinkPolicy::Sample(label)
    );
    assert_eq!(samples::sample("system"), Some(samples::SAMPLES[0]));
    assert_eq!(samples::sample("user-assigned"), Some(samples::SAMPLES[1]));
    assert_eq!(samples::sample("other"), None);
    // Another demo-key token (e.g. minted on the IMDS page today) is simulator state.
    let mut parts: Vec<&str> = system.split('.').collect();
    let payload = base64_url(br#"{"aud":"https://vault.azure.net","oid":"x"}"#);
    parts[1] = &payload;
    assert_eq!(policy(&parts.join(".")), LinkPolicy::DemoToken);
    let header = base64_url(br#"{"typ":"JWT","alg":"RS256","kid":"real-key"}"#);
    assert_eq!(
        policy(&format!("{header}.{payload}.c2ln")),
        LinkPolicy::Credential
    );
    assert_eq!(policy(""), LinkPolicy::Nothing);
    let huge = format!("{header}.{}.c2ln", "A".repeat(samples::MAX_TOKEN_IN_LINK));
    assert_eq!(policy(&huge), LinkPolicy::TooLarge);
}
