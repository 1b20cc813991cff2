//! Verification keys, parsed without crypto so the UI can hand them to WebCrypto.
//!
//! Accepted: a JWK, a JWKS (`{"keys":[…]}`, the key picked by the token's `kid`), a PEM
//! `PUBLIC KEY` (SPKI), `RSA PUBLIC KEY` (PKCS#1, converted to SPKI), `CERTIFICATE` (its SPKI
//! is extracted), or the bare base64 of an SPKI or certificate (an `x5c` value). The UI imports
//! [`KeyMaterial::Jwk`] with `importKey("jwk", …)` and [`KeyMaterial::Spki`] with
//! `importKey("spki", …)`, using [`webcrypto_algorithm`] for the parameters.

use base64::Engine;
use serde_json::{Map, Value};

use super::base64url;

/// The kind of public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// RSA; `bits` is the modulus size when known.
    Rsa {
        bits: Option<usize>,
    },
    /// An RSA key restricted to RSA-PSS (SPKI OID id-RSASSA-PSS).
    RsaPss {
        bits: Option<usize>,
    },
    /// Elliptic curve: "P-256", "P-384" or "P-521".
    Ec {
        curve: &'static str,
    },
    Ed25519,
    /// A shared secret (JWK `kty: oct`) for HS256/384/512.
    Symmetric,
}

impl KeyType {
    /// e.g. "RSA 2048-bit", "EC P-256".
    pub fn describe(&self) -> String {
        match self {
            KeyType::Rsa { bits: Some(b) } => format!("RSA {b}-bit"),
            KeyType::Rsa { bits: None } => "RSA".to_string(),
            KeyType::RsaPss { bits: Some(b) } => format!("RSA-PSS {b}-bit"),
            KeyType::RsaPss { bits: None } => "RSA-PSS".to_string(),
            KeyType::Ec { curve } => format!("EC {curve}"),
            KeyType::Ed25519 => "Ed25519".to_string(),
            KeyType::Symmetric => "shared secret (HMAC)".to_string(),
        }
    }
}

/// What to give WebCrypto's `importKey`.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyMaterial {
    /// A public JWK with only the members WebCrypto needs (`kty`, `n`/`e`, `crv`/`x`/`y`, `k`)
    /// plus `ext: true`; for `importKey("jwk", …)`.
    Jwk(Map<String, Value>),
    /// SubjectPublicKeyInfo DER bytes, for `importKey("spki", …)`.
    Spki(Vec<u8>),
}

/// Where the key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Jwk,
    /// A key set; `kids` lists every key id it holds, in order.
    Jwks {
        kids: Vec<String>,
    },
    Pem,
    Certificate,
    Base64Der,
}

/// A parsed public key, ready for WebCrypto.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationKey {
    pub material: KeyMaterial,
    pub key_type: KeyType,
    pub kid: Option<String>,
    /// The JWK's `alg`, when it names one.
    pub alg: Option<String>,
    pub source: KeySource,
    /// What was done to the input, e.g. "Picked the key with kid 'abc' from a set of 6."
    pub notes: Vec<String>,
}

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub message: String,
    pub fix: String,
}

fn err(message: impl Into<String>, fix: impl Into<String>) -> KeyError {
    KeyError {
        message: message.into(),
        fix: fix.into(),
    }
}

/// WebCrypto parameters for a JWS `alg`, as plain data.
///
/// `importKey`: RSASSA-PKCS1-v1_5, RSA-PSS and HMAC take `{name, hash}`, ECDSA takes
/// `{name, namedCurve}`, Ed25519 `{name}`. `verify`: ECDSA takes `{name, hash}`, RSA-PSS
/// `{name, saltLength}`, the others `{name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebCryptoAlgorithm {
    pub name: &'static str,
    pub hash: Option<&'static str>,
    pub named_curve: Option<&'static str>,
    pub salt_length: Option<u32>,
}

/// Maps a JWS `alg` to WebCrypto parameters; `None` for algorithms WebCrypto cannot verify.
pub fn webcrypto_algorithm(alg: &str) -> Option<WebCryptoAlgorithm> {
    let a = |name, hash, named_curve, salt_length| WebCryptoAlgorithm {
        name,
        hash,
        named_curve,
        salt_length,
    };
    Some(match alg {
        "RS256" => a("RSASSA-PKCS1-v1_5", Some("SHA-256"), None, None),
        "RS384" => a("RSASSA-PKCS1-v1_5", Some("SHA-384"), None, None),
        "RS512" => a("RSASSA-PKCS1-v1_5", Some("SHA-512"), None, None),
        "PS256" => a("RSA-PSS", Some("SHA-256"), None, Some(32)),
        "PS384" => a("RSA-PSS", Some("SHA-384"), None, Some(48)),
        "PS512" => a("RSA-PSS", Some("SHA-512"), None, Some(64)),
        "ES256" => a("ECDSA", Some("SHA-256"), Some("P-256"), None),
        "ES384" => a("ECDSA", Some("SHA-384"), Some("P-384"), None),
        "ES512" => a("ECDSA", Some("SHA-512"), Some("P-521"), None),
        "HS256" => a("HMAC", Some("SHA-256"), None, None),
        "HS384" => a("HMAC", Some("SHA-384"), None, None),
        "HS512" => a("HMAC", Some("SHA-512"), None, None),
        "EdDSA" | "Ed25519" => a("Ed25519", None, None, None),
        _ => return None,
    })
}

impl VerificationKey {
    /// Checks that this key can verify a token signed with `alg`.
    pub fn check_alg(&self, alg: &str) -> Result<(), KeyError> {
        let Some(w) = webcrypto_algorithm(alg) else {
            return Err(err(
                format!("The algorithm '{alg}' cannot be verified in the browser."),
                "WebCrypto supports RS*, PS*, ES*, HS* and EdDSA.",
            ));
        };
        if let Some(key_alg) = &self.alg {
            if key_alg != alg {
                return Err(err(
                    format!("The key is for '{key_alg}', but the token is signed with '{alg}'."),
                    "Use the key the issuer publishes for this algorithm (match the token's 'kid').",
                ));
            }
        }
        let ok = match (w.name, self.key_type) {
            ("RSASSA-PKCS1-v1_5", KeyType::Rsa { .. }) => true,
            ("RSA-PSS", KeyType::Rsa { .. } | KeyType::RsaPss { .. }) => true,
            ("ECDSA", KeyType::Ec { curve }) => Some(curve) == w.named_curve,
            ("HMAC", KeyType::Symmetric) => true,
            ("Ed25519", KeyType::Ed25519) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(err(
                format!("A {} key cannot verify a '{alg}' signature.", self.key_type.describe()),
                "Use a key of the kind the algorithm needs (RS/PS: RSA, ES256: EC P-256, HS: a shared secret).",
            ))
        }
    }
}

/// Parses a verification key. `kid` (the token header's) picks the key from a JWKS.
pub fn parse_key(input: &str, kid: Option<&str>) -> Result<VerificationKey, KeyError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(err(
            "No key was given.",
            "Paste a JWK, a JWKS, or a PEM public key (-----BEGIN PUBLIC KEY-----).",
        ));
    }
    if text.starts_with('{') {
        let v: Value = serde_json::from_str(text).map_err(|e| {
            err(
                format!("The key is not valid JSON: {e}."),
                "Paste the JWK or JWKS exactly as the issuer publishes it.",
            )
        })?;
        let obj = v
            .as_object()
            .ok_or_else(|| err("The key JSON is not an object.", "Paste a JWK or a JWKS."))?;
        return if let Some(keys) = obj.get("keys") {
            from_jwks(keys, kid)
        } else {
            from_jwk(obj, KeySource::Jwk)
        };
    }
    if text.contains("-----BEGIN") {
        return from_pem(text);
    }
    // Bare base64: an x5c certificate or an SPKI.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|_| {
            err(
                "The key is neither JSON (JWK / JWKS), PEM, nor base64 DER.",
                "Paste a JWK, a JWKS, or a PEM public key (-----BEGIN PUBLIC KEY-----).",
            )
        })?;
    if let Ok(key) = from_spki(der.clone(), KeySource::Base64Der) {
        return Ok(key);
    }
    let spki = spki_from_certificate(&der)?;
    let mut key = from_spki(spki, KeySource::Base64Der)?;
    key.notes
        .push("Took the public key out of the base64 certificate (x5c).".to_string());
    Ok(key)
}

fn from_jwks(keys: &Value, kid: Option<&str>) -> Result<VerificationKey, KeyError> {
    let list = keys.as_array().ok_or_else(|| {
        err(
            "The JWKS 'keys' member is not an array.",
            "Paste the key set as published.",
        )
    })?;
    let kids: Vec<String> = list
        .iter()
        .filter_map(|k| k.get("kid").and_then(Value::as_str).map(str::to_string))
        .collect();
    let chosen = match kid {
        Some(want) => list
            .iter()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(want))
            .ok_or_else(|| {
                err(
                    format!(
                        "No key with kid '{want}' in this key set; it has {}.",
                        if kids.is_empty() { "no kids".to_string() } else { kids.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ") }
                    ),
                    "Fetch the issuer's current keys (its jwks_uri, e.g. https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys); keys rotate.",
                )
            })?,
        None if list.len() == 1 => list.first().ok_or_else(|| err("The key set is empty.", "Paste a key set with keys."))?,
        None => {
            return Err(err(
                format!(
                    "The key set has {} keys and the token header has no 'kid' to pick one (kids: {}).",
                    list.len(),
                    kids.join(", ")
                ),
                "Paste the single JWK that signed the token.",
            ))
        }
    };
    let obj = chosen.as_object().ok_or_else(|| {
        err(
            "The chosen key is not a JSON object.",
            "Paste the key set as published.",
        )
    })?;
    let mut key = from_jwk(obj, KeySource::Jwks { kids: kids.clone() })?;
    if let Some(k) = &key.kid {
        key.notes.push(format!(
            "Picked the key with kid '{k}' from a set of {}.",
            list.len()
        ));
    }
    Ok(key)
}

fn jwk_str<'a>(jwk: &'a Map<String, Value>, k: &str) -> Result<&'a str, KeyError> {
    jwk.get(k).and_then(Value::as_str).ok_or_else(|| {
        err(
            format!("The JWK has no '{k}' member."),
            "Paste the complete JWK as the issuer publishes it.",
        )
    })
}

fn from_jwk(jwk: &Map<String, Value>, source: KeySource) -> Result<VerificationKey, KeyError> {
    let kty = jwk_str(jwk, "kty")?;
    let private: Vec<&str> = ["d", "p", "q", "dp", "dq", "qi"]
        .into_iter()
        .filter(|m| jwk.contains_key(*m))
        .collect();
    if !private.is_empty() && kty != "oct" {
        return Err(err(
            format!("This JWK contains a private key (member '{}').", private.join("', '")),
            "Never paste private keys anywhere; verification needs only the public key (drop d, p, q, dp, dq, qi).",
        ));
    }
    let mut clean = Map::new();
    clean.insert("kty".into(), Value::String(kty.to_string()));
    let key_type = match kty {
        "RSA" => {
            let n = jwk_str(jwk, "n")?;
            let e = jwk_str(jwk, "e")?;
            clean.insert("n".into(), n.into());
            clean.insert("e".into(), e.into());
            KeyType::Rsa {
                bits: Some(unsigned_bits(&base64url::decode_quiet(n))),
            }
        }
        "EC" => {
            let crv = jwk_str(jwk, "crv")?;
            let curve = match crv {
                "P-256" => "P-256",
                "P-384" => "P-384",
                "P-521" => "P-521",
                other => {
                    return Err(err(
                        format!("The EC curve '{other}' is not supported by WebCrypto."),
                        "Use P-256, P-384 or P-521.",
                    ))
                }
            };
            for m in ["crv", "x", "y"] {
                clean.insert(m.into(), jwk_str(jwk, m)?.into());
            }
            KeyType::Ec { curve }
        }
        "OKP" => {
            let crv = jwk_str(jwk, "crv")?;
            if crv != "Ed25519" {
                return Err(err(
                    format!("The OKP curve '{crv}' is not supported."),
                    "Only Ed25519 keys can verify EdDSA tokens here.",
                ));
            }
            clean.insert("crv".into(), crv.into());
            clean.insert("x".into(), jwk_str(jwk, "x")?.into());
            KeyType::Ed25519
        }
        "oct" => {
            clean.insert("k".into(), jwk_str(jwk, "k")?.into());
            KeyType::Symmetric
        }
        other => {
            return Err(err(
                format!("Unknown key type (kty) '{other}'."),
                "A JWK's kty is RSA, EC, OKP or oct.",
            ))
        }
    };
    clean.insert("ext".into(), Value::Bool(true));
    Ok(VerificationKey {
        material: KeyMaterial::Jwk(clean),
        key_type,
        kid: jwk.get("kid").and_then(Value::as_str).map(str::to_string),
        alg: jwk.get("alg").and_then(Value::as_str).map(str::to_string),
        source,
        notes: Vec::new(),
    })
}

fn from_pem(text: &str) -> Result<VerificationKey, KeyError> {
    let begin = text.find("-----BEGIN ").ok_or_else(|| {
        err(
            "No PEM header.",
            "A PEM key starts with -----BEGIN PUBLIC KEY-----.",
        )
    })?;
    let after = text.get(begin + "-----BEGIN ".len()..).unwrap_or("");
    let label_end = after.find("-----").ok_or_else(|| {
        err(
            "The PEM header line is incomplete.",
            "A PEM key starts with -----BEGIN PUBLIC KEY-----.",
        )
    })?;
    let label = after.get(..label_end).unwrap_or("").trim();
    let body_and_rest = after.get(label_end + 5..).unwrap_or("");
    let end = body_and_rest.find("-----END").ok_or_else(|| {
        err(
            format!("The PEM block '{label}' has no -----END line."),
            "Copy the whole key, including the -----END … ----- line.",
        )
    })?;
    let body: String = body_and_rest
        .get(..end)
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(&body)
        .map_err(|e| {
            err(
                format!("The PEM body is not valid base64: {e}."),
                "Copy the key again; lines between BEGIN and END must be unchanged.",
            )
        })?;
    match label {
        "PUBLIC KEY" => from_spki(der, KeySource::Pem),
        "RSA PUBLIC KEY" => {
            let mut key = from_spki(wrap_pkcs1(&der), KeySource::Pem)?;
            key.notes.push("Converted the PKCS#1 'RSA PUBLIC KEY' to SubjectPublicKeyInfo.".to_string());
            Ok(key)
        }
        "CERTIFICATE" => {
            let mut key = from_spki(spki_from_certificate(&der)?, KeySource::Certificate)?;
            key.notes.push("Took the public key out of the certificate.".to_string());
            Ok(key)
        }
        l if l.contains("PRIVATE KEY") => Err(err(
            "This is a private key.",
            "Never paste private keys anywhere; verification needs only the public key (openssl pkey -pubout).",
        )),
        other => Err(err(
            format!("A PEM '{other}' block is not a public key."),
            "Paste a -----BEGIN PUBLIC KEY----- block, a certificate, a JWK or a JWKS.",
        )),
    }
}

// --- A minimal, panic-free DER reader -------------------------------------------------------

struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

fn der_error() -> KeyError {
    err(
        "The key's DER structure is malformed.",
        "Copy the key again; it may be truncated.",
    )
}

/// Reads one TLV; returns it and the bytes after it.
fn read_tlv(b: &[u8]) -> Result<(Tlv<'_>, &[u8]), KeyError> {
    let tag = *b.first().ok_or_else(der_error)?;
    let first_len = *b.get(1).ok_or_else(der_error)?;
    let (len, header) = if first_len < 0x80 {
        (usize::from(first_len), 2usize)
    } else {
        let n = usize::from(first_len & 0x7f);
        if n == 0 || n > 4 {
            return Err(der_error());
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*b.get(2 + i).ok_or_else(der_error)?);
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len).ok_or_else(der_error)?;
    let content = b.get(header..end).ok_or_else(der_error)?;
    let whole = b.get(..end).ok_or_else(der_error)?;
    let rest = b.get(end..).ok_or_else(der_error)?;
    Ok((
        Tlv {
            tag,
            content,
            whole,
        },
        rest,
    ))
}

fn expect(b: &[u8], tag: u8) -> Result<(Tlv<'_>, &[u8]), KeyError> {
    let (t, rest) = read_tlv(b)?;
    if t.tag == tag {
        Ok((t, rest))
    } else {
        Err(der_error())
    }
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// Bits of a big-endian unsigned integer (leading zeros ignored).
fn unsigned_bits(b: &[u8]) -> usize {
    let mut it = b.iter().skip_while(|&&x| x == 0);
    match it.next() {
        None => 0,
        Some(first) => (8 - first.leading_zeros() as usize) + 8 * it.count(),
    }
}

fn from_spki(der: Vec<u8>, source: KeySource) -> Result<VerificationKey, KeyError> {
    let (spki, trailing) = expect(&der, 0x30)?;
    if !trailing.is_empty() {
        return Err(der_error());
    }
    let (alg_id, rest) = expect(spki.content, 0x30)?;
    let (bits, _) = expect(rest, 0x03)?;
    let (oid, params) = expect(alg_id.content, 0x06)?;
    let key_bytes = bits.content.get(1..).unwrap_or(&[]);
    let rsa_bits = || -> Option<usize> {
        let (seq, _) = expect(key_bytes, 0x30).ok()?;
        let (n, _) = expect(seq.content, 0x02).ok()?;
        Some(unsigned_bits(n.content))
    };
    let key_type = match oid.content {
        OID_RSA => KeyType::Rsa { bits: rsa_bits() },
        OID_RSA_PSS => KeyType::RsaPss { bits: rsa_bits() },
        OID_EC => {
            let (curve, _) = expect(params, 0x06)?;
            let curve = match curve.content {
                OID_P256 => "P-256",
                OID_P384 => "P-384",
                OID_P521 => "P-521",
                _ => {
                    return Err(err(
                        "The EC key uses a curve WebCrypto does not support.",
                        "Use P-256, P-384 or P-521.",
                    ))
                }
            };
            KeyType::Ec { curve }
        }
        OID_ED25519 => KeyType::Ed25519,
        _ => {
            return Err(err(
                "The public key's algorithm is not one JWTs use (RSA, EC, Ed25519).",
                "Paste the issuer's signing key.",
            ))
        }
    };
    Ok(VerificationKey {
        material: KeyMaterial::Spki(der),
        key_type,
        kid: None,
        alg: None,
        source,
        notes: Vec::new(),
    })
}

/// DER length bytes.
fn der_len(len: usize) -> Vec<u8> {
    if len < 0x80 {
        vec![len as u8]
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        let mut out = vec![0x80 | bytes.len() as u8];
        out.extend(bytes);
        out
    }
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_len(content.len()));
    out.extend_from_slice(content);
    out
}

/// PKCS#1 RSAPublicKey → SubjectPublicKeyInfo.
fn wrap_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    let mut alg = der(0x06, OID_RSA);
    alg.extend([0x05, 0x00]);
    let alg = der(0x30, &alg);
    let mut bit = vec![0u8];
    bit.extend_from_slice(pkcs1);
    let mut spki = alg;
    spki.extend(der(0x03, &bit));
    der(0x30, &spki)
}

/// X.509 certificate DER → its SubjectPublicKeyInfo DER.
fn spki_from_certificate(cert: &[u8]) -> Result<Vec<u8>, KeyError> {
    let not_cert = || {
        err(
            "This is not a certificate or public key DER.",
            "Paste a PEM public key, a certificate, a JWK or a JWKS.",
        )
    };
    let (c, _) = expect(cert, 0x30).map_err(|_| not_cert())?;
    let (tbs, _) = expect(c.content, 0x30).map_err(|_| not_cert())?;
    let mut rest = tbs.content;
    // Optional [0] version.
    if rest.first() == Some(&0xa0) {
        rest = read_tlv(rest)?.1;
    }
    // serialNumber, signature, issuer, validity, subject.
    for _ in 0..5 {
        rest = read_tlv(rest).map_err(|_| not_cert())?.1;
    }
    let (spki, _) = expect(rest, 0x30).map_err(|_| not_cert())?;
    Ok(spki.whole.to_vec())
}

#[cfg(test)]
mod tests;
