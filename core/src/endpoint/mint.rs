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
    let host_id = world.compute_arm_id(host).to_token_string();
    let (mirid, az_rid) = if identity.is_system_assigned() {
        (host_id, None)
    } else {
        (identity.arm_id.to_token_string(), Some(host_id))
    };
    mint_parts(&MintParts {
        seed: world.seed,
        n,
        now: world.now,
        tenant_id: &world.tenant.id,
        tenant_created: world.tenant.created,
        client_id: &identity.sp.client_id,
        principal_id: &identity.sp.principal_id,
        mirid: &mirid,
        az_rid: az_rid.as_deref(),
        resource,
        lifetime: LIFETIME,
    })
}

/// What a managed-identity token is made of, for callers without a [`World`] (the sources
/// simulator, `super::sources`).
pub(crate) struct MintParts<'a> {
    pub seed: u64,
    /// Index of the token in the simulation (varies `aio`, `rh`, `uti`).
    pub n: u64,
    pub now: u64,
    pub tenant_id: &'a str,
    pub tenant_created: u64,
    pub client_id: &'a str,
    pub principal_id: &'a str,
    /// `xms_mirid`: the host for a system-assigned identity, the identity resource otherwise.
    pub mirid: &'a str,
    /// `xms_az_rid`: the host that asked for a user-assigned identity's token (2023+), if any.
    pub az_rid: Option<&'a str>,
    pub resource: &'a str,
    /// `exp − iat`.
    pub lifetime: u64,
}

/// Mints a v1 managed-identity token from its parts.
pub(crate) fn mint_parts(p: &MintParts<'_>) -> MintedToken {
    let seed = p.seed;
    let n = p.n;
    let resource = p.resource;
    let tid = p.tenant_id;
    let iat = p.now.saturating_sub(BACKDATE);
    let exp = iat.saturating_add(p.lifetime);
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

    let mut c = Json::compact();
    c.obj().key("aud").str(resource).key("iss").str(&iss);
    c.key("iat")
        .num(iat)
        .key("nbf")
        .num(iat)
        .key("exp")
        .num(exp);
    c.key("aio").str(&aio);
    c.key("appid").str(&p.client_id.to_ascii_lowercase());
    c.key("appidacr").str("2").key("idp").str(&iss);
    c.key("idtyp").str("app").key("oid").str(p.principal_id);
    c.key("rh").str(&rh).key("sub").str(p.principal_id);
    c.key("tid")
        .str(tid)
        .key("uti")
        .str(&uti)
        .key("ver")
        .str("1.0");
    let idrel = format!("7 {idrel}");
    if gets_mirid(resource) {
        if let Some(az_rid) = p.az_rid {
            c.key("xms_az_rid").str(az_rid);
        }
        c.key("xms_idrel").str(&idrel).key("xms_mirid").str(p.mirid);
    } else {
        c.key("xms_idrel").str(&idrel);
    }
    c.key("xms_tcdt").num(p.tenant_created).end();

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
        client_id: p.client_id.to_ascii_lowercase(),
        principal_id: p.principal_id.to_string(),
    }
}
