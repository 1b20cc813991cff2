//! Signature: alg and kid, and verification with a pasted public key through WebCrypto.
//! No key is ever fetched from the network.

use std::rc::Rc;

use mi_core::token::{self, keys};
use yew::prelude::*;

use super::Decoded;

/// The public key set of the playground's demo signer (tokens minted by the simulator).
const DEMO_JWKS: &str = include_str!("../../../../static/demo-jwks.json");

#[derive(Properties, PartialEq)]
pub struct Props {
    pub decoded: Rc<Decoded>,
}

#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Running,
    Valid(Vec<String>),
    Invalid(String),
    Failed(String, String),
}

#[function_component(VerifyView)]
pub fn verify_view(props: &Props) -> Html {
    let key_text = use_state(String::new);
    let outcome = use_state(|| Outcome::None);
    // A new token invalidates the previous result.
    {
        let outcome = outcome.clone();
        use_effect_with(props.decoded.reading.token_text.clone(), move |_| {
            outcome.set(Outcome::None)
        });
    }
    let r = &props.decoded.reading;
    let header = r.header_claims();
    let alg = r.alg().map(str::to_string);
    let kid = header
        .and_then(|h| h.get("kid"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let has_nonce = header.is_some_and(|h| h.contains_key("nonce"));

    let oninput = {
        let key_text = key_text.clone();
        Callback::from(move |e: InputEvent| {
            key_text.set(crate::browser::event_value(&e));
        })
    };
    let use_demo = {
        let key_text = key_text.clone();
        Callback::from(move |_| key_text.set(DEMO_JWKS.trim().to_string()))
    };
    let verify = {
        let key_text = key_text.clone();
        let outcome = outcome.clone();
        let decoded = props.decoded.clone();
        Callback::from(move |_| {
            let r = &decoded.reading;
            let kid = r
                .header_claims()
                .and_then(|h| h.get("kid"))
                .and_then(|v| v.as_str());
            let Some(alg) = r.alg() else {
                outcome.set(Outcome::Failed(
                    "The header has no 'alg'.".into(),
                    "Only signed tokens can be verified.".into(),
                ));
                return;
            };
            let (Some(signature), Some(signed)) =
                (token::signature_bytes(r), token::signing_input(r))
            else {
                outcome.set(Outcome::Failed(
                    "This token has no signature to verify.".into(),
                    "Paste a complete signed token (three parts).".into(),
                ));
                return;
            };
            let key = match keys::parse_key(&key_text, kid) {
                Ok(k) => k,
                Err(e) => return outcome.set(Outcome::Failed(e.message, e.fix)),
            };
            if let Err(e) = key.check_alg(alg) {
                return outcome.set(Outcome::Failed(e.message, e.fix));
            }
            let Some(params) = keys::webcrypto_algorithm(alg) else {
                return;
            };
            let signed = signed.as_bytes().to_vec();
            let outcome = outcome.clone();
            outcome.set(Outcome::Running);
            wasm_bindgen_futures::spawn_local(async move {
                let result =
                    crate::browser::webcrypto::verify(&key.material, &params, &signature, &signed)
                        .await;
                outcome.set(match result {
                    Ok(true) => Outcome::Valid(key.notes.clone()),
                    Ok(false) => Outcome::Invalid(format!(
                        "The signature does not match this {} key.",
                        key.key_type.describe()
                    )),
                    Err(reason) => Outcome::Failed(
                        reason,
                        "Check that the key is a public key of the right type.".into(),
                    ),
                });
            });
        })
    };
    if !matches!(r.form, token::TokenForm::Jws | token::TokenForm::Unsecured) {
        return html! {};
    }
    html! {
        <section class="verify" aria-labelledby="verify-title">
            <h2 id="verify-title">{ "Signature" }</h2>
            <dl class="kv-list compact">
                <div class="kv"><dt>{ "Algorithm (alg)" }</dt><dd><code data-testid="sig-alg">{ alg.clone().unwrap_or_else(|| "—".into()) }</code></dd></div>
                <div class="kv"><dt>{ "Key id (kid)" }</dt><dd><code class="wrap-anywhere" data-testid="sig-kid">{ kid.unwrap_or_else(|| "—".into()) }</code></dd></div>
            </dl>
            if has_nonce {
                <p class="note">{ "This header has a 'nonce': it is a Microsoft Graph token. Graph hashes the nonce \
                                   before signing, so no standard library — and not this page — can verify its \
                                   signature. That is expected; only Graph validates these tokens." }</p>
            }
            if r.form == token::TokenForm::Unsecured {
                <p class="note">{ "alg is 'none': this token is not signed, so there is nothing to verify. \
                                   No API should ever accept it." }</p>
            } else {
                <label for="verify-key">{ "Public key (JWK, JWKS or PEM)" }</label>
                <textarea id="verify-key" data-testid="verify-key" rows="4" spellcheck="false"
                    value={(*key_text).clone()} {oninput}
                    placeholder="{\"kty\":\"RSA\",\"n\":\"…\",\"e\":\"AQAB\"}  or  -----BEGIN PUBLIC KEY-----" />
                <p class="muted small">{ "Keys are never fetched: paste the issuer's key. For Entra ID tokens it is in \
                    https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys — open it yourself and paste it here." }</p>
                <div class="actions">
                    <button type="button" onclick={verify} disabled={key_text.trim().is_empty() || *outcome == Outcome::Running}>{ "Verify signature" }</button>
                    <button type="button" class="secondary" onclick={use_demo}>{ "Use the playground's demo key" }</button>
                </div>
                <div role="status" data-testid="verify-result" class="verify-result">
                    { match &*outcome {
                        Outcome::None => html! {},
                        Outcome::Running => html! { <span>{ "Verifying…" }</span> },
                        Outcome::Valid(notes) => html! {
                            <p class="ok-text"><strong>{ "Signature valid. " }</strong>
                               { format!("{} {}", alg.clone().unwrap_or_default(), notes.join(" ")) }</p>
                        },
                        Outcome::Invalid(msg) => html! { <p class="bad-text"><strong>{ "Signature invalid. " }</strong>{ msg }</p> },
                        Outcome::Failed(msg, fix) => html! { <p class="bad-text"><strong>{ "Could not verify. " }</strong>{ msg }{ " " }<span class="muted">{ fix }</span></p> },
                    } }
                </div>
            }
        </section>
    }
}
