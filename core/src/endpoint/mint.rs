//! Minting v1 access tokens shaped exactly like Entra's managed-identity tokens
//! (managed-identity.md §5), signed RS256 with the playground's DEMO key.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{Map, Value};

use crate::jsonw::Json;

use super::rsa;
use crate::cloud::ids::{self, Stream};
use crate::cloud::{Compute, ManagedIdentity, World};

/// Entra backdates `iat`/`nbf` by five minutes.
pub const BACKDATE: u64 = 300;
/// `exp − iat` of 2023+ managed-identity tokens.
pub const LIFETIME: u64 = 86_700;

/// A minted token and its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintedToken {
    /// The compact JWT `header.payload.signature`.
    pub jwt: String,
    /// Header and payload JSON exactly as encoded.
    pub header_json: String,
    pub payload_json: String,
    /// The claims, in token order.
    pub claims: Map<String, Value>,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    /// The `aud` claim: the `resource` exactly as requested.
    pub resource: String,
    /// The identity's client id (lowercase, as in `appid`).
    pub client_id: String,
    pub principal_id: String,
}

/// Whether Entra adds `xms_mirid` for this audience (Microsoft first-party APIs; Graph tokens
/// were seen without it).
fn gets_mirid(resource: &str) -> bool {
    !resource
        .to_ascii_lowercase()
        .contains("graph.microsoft.com")
}

/// Mints the `n`-th token of the simulation for `identity` on `host`, at `world.now`.
pub fn mint(
    world: &World,
    host: &Compute,
    identity: &ManagedIdentity,
    resource: &str,
    n: u64,
) -> MintedToken {
    let seed = world.seed;
    let tid = &world.tenant.id;
    let iat = world.now.saturating_sub(BACKDATE);
    let exp = iat + LIFETIME;
    let opaque = ids::bytes(seed, Stream::Token, n, 64);
    let part = |a: usize, b: usize| opaque.get(a..b).unwrap_or(&[]).to_vec();
    // aio: standard base64 of 22 bytes, the last ones zero (…AA==), like real tokens.
    let mut aio_bytes = part(0, 20);
    aio_bytes.extend_from_slice(&[0, 0]);
    let aio = STANDARD.encode(aio_bytes);
    // rh: "0.A" + base64url of tenant-ish and resource-ish bytes + "AAA."
    let mut rh_bytes = part(20, 44);
    rh_bytes.extend_from_slice(&[0, 0, 0]);
    let rh = format!("0.A{}.", URL_SAFE_NO_PAD.encode(rh_bytes));
    let uti = URL_SAFE_NO_PAD.encode(part(44, 60));
    let idrel = 2 + opaque.get(60).map_or(0, |b| b % 30);
    let iss = format!("https://sts.windows.net/{tid}/");
    let host_id = world.compute_arm_id(host).to_token_string();

    let mut c = Json::compact();
    c.obj().key("aud").str(resource).key("iss").str(&iss);
    c.key("iat")
        .num(iat)
        .key("nbf")
        .num(iat)
        .key("exp")
        .num(exp);
    c.key("aio").str(&aio);
    c.key("appid")
        .str(&identity.sp.client_id.to_ascii_lowercase());
    c.key("appidacr").str("2").key("idp").str(&iss);
    c.key("idtyp")
        .str("app")
        .key("oid")
        .str(&identity.sp.principal_id);
    c.key("rh")
        .str(&rh)
        .key("sub")
        .str(&identity.sp.principal_id);
    c.key("tid")
        .str(tid)
        .key("uti")
        .str(&uti)
        .key("ver")
        .str("1.0");
    let idrel = format!("7 {idrel}");
    if gets_mirid(resource) {
        if identity.is_system_assigned() {
            c.key("xms_idrel")
                .str(&idrel)
                .key("xms_mirid")
                .str(&host_id);
        } else {
            c.key("xms_az_rid").str(&host_id);
            c.key("xms_idrel").str(&idrel);
            c.key("xms_mirid").str(&identity.arm_id.to_token_string());
        }
    } else {
        c.key("xms_idrel").str(&idrel);
    }
    c.key("xms_tcdt").num(world.tenant.created).end();

    let header_json = format!(
        "{{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5t\":\"{k}\",\"kid\":\"{k}\"}}",
        k = rsa::KID
    );
    let payload_json = c.done();
    let claims = match serde_json::from_str(&payload_json) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let jwt = rsa::sign_jwt(&header_json, &payload_json);
    MintedToken {
        jwt,
        header_json,
        payload_json,
        claims,
        iat,
        nbf: iat,
        exp,
        resource: resource.to_string(),
        client_id: identity.sp.client_id.to_ascii_lowercase(),
        principal_id: identity.sp.principal_id.clone(),
    }
}
