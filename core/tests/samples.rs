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
