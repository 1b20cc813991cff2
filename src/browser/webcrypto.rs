//! Signature verification with the browser's WebCrypto (no crypto code in the wasm).
//! The core decides *what* to verify (algorithm parameters, key bytes, signed bytes); this
//! module only hands them to `crypto.subtle`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use mi_core::token::keys::{KeyMaterial, WebCryptoAlgorithm};

fn set(obj: &Object, key: &str, value: JsValue) {
    Reflect::set(obj, &key.into(), &value).ok();
}

fn import_params(alg: &WebCryptoAlgorithm) -> Object {
    let o = Object::new();
    set(&o, "name", alg.name.into());
    if let Some(hash) = alg.hash {
        set(&o, "hash", hash.into());
    }
    if let Some(curve) = alg.named_curve {
        set(&o, "namedCurve", curve.into());
    }
    o
}

fn verify_params(alg: &WebCryptoAlgorithm) -> Object {
    let o = Object::new();
    set(&o, "name", alg.name.into());
    if let (Some(hash), "ECDSA") = (alg.hash, alg.name) {
        set(&o, "hash", hash.into());
    }
    if let Some(salt) = alg.salt_length {
        set(&o, "saltLength", salt.into());
    }
    o
}

fn describe(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser gave no reason".into())
}

/// Verifies `signature` over `signed` with `key`. `Ok(true)`: valid; `Ok(false)`: the
/// signature does not match; `Err(reason)`: the key could not be used (wrong type, bad JWK…).
pub async fn verify(
    key: &KeyMaterial,
    alg: &WebCryptoAlgorithm,
    signature: &[u8],
    signed: &[u8],
) -> Result<bool, String> {
    let subtle = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(|_| "WebCrypto is not available in this browser".to_string())?
        .subtle();
    let usages = Array::of1(&"verify".into());
    let (format, data): (&str, Object) = match key {
        KeyMaterial::Jwk(jwk) => {
            let json = serde_json::to_string(jwk).map_err(|e| e.to_string())?;
            let parsed = js_sys::JSON::parse(&json).map_err(|_| "the JWK is not valid JSON")?;
            (
                "jwk",
                parsed
                    .dyn_into::<Object>()
                    .map_err(|_| "the JWK is not an object")?,
            )
        }
        KeyMaterial::Spki(der) => ("spki", Uint8Array::from(der.as_slice()).into()),
    };
    let promise = subtle
        .import_key_with_object(format, &data, &import_params(alg), false, &usages)
        .map_err(describe)?;
    let key = JsFuture::from(promise)
        .await
        .map_err(|e| format!("the browser refused the key: {}", describe(e)))?
        .dyn_into::<web_sys::CryptoKey>()
        .map_err(|_| "the browser returned no key".to_string())?;
    let promise = subtle
        .verify_with_object_and_js_u8_array_and_js_u8_array(
            &verify_params(alg),
            &key,
            &Uint8Array::from(signature),
            &Uint8Array::from(signed),
        )
        .map_err(describe)?;
    let result = JsFuture::from(promise)
        .await
        .map_err(|e| format!("verification failed to run: {}", describe(e)))?;
    Ok(result.as_bool().unwrap_or(false))
}
