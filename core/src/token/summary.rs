//! "What the token says": kind, version, managed-identity kind and ARM ids, who it is for,
//! and when it is valid.

use std::fmt;

use serde_json::{Map, Value};

use super::claims;
use super::time;
use super::TokenForm;
use crate::arm::{ArmId, ArmIdError};

/// Which kind of managed identity a token belongs to, from `xms_mirid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    SystemAssigned,
    UserAssigned,
    NotManagedIdentity,
}

impl IdentityKind {
    pub fn label(self) -> &'static str {
        match self {
            IdentityKind::SystemAssigned => "System-assigned",
            IdentityKind::UserAssigned => "User-assigned",
            IdentityKind::NotManagedIdentity => "Not a managed identity token",
        }
    }
}

impl fmt::Display for IdentityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Entra ID token format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenVersion {
    V1,
    V2,
}

impl TokenVersion {
    pub fn label(self) -> &'static str {
        match self {
            TokenVersion::V1 => "v1.0",
            TokenVersion::V2 => "v2.0",
        }
    }
}

/// Is the token usable at `now`?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidityStatus {
    Valid,
    Expired,
    NotYetValid,
    /// No readable `exp`.
    Unknown,
}

impl ValidityStatus {
    pub fn label(self) -> &'static str {
        match self {
            ValidityStatus::Valid => "Valid",
            ValidityStatus::Expired => "Expired",
            ValidityStatus::NotYetValid => "Not yet valid",
            ValidityStatus::Unknown => "No expiry",
        }
    }
}

impl fmt::Display for ValidityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A time claim, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimePoint {
    /// Unix seconds.
    pub unix: i64,
    /// `2024-05-01 12:00:00 UTC` (the UI shows local time itself).
    pub utc: String,
    /// `in 23 h 55 min`, `3 days ago`.
    pub relative: String,
    /// True when the claim was a numeric string rather than a JSON number.
    pub was_string: bool,
}

/// `iat`, `nbf`, `exp` and what they mean at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    pub issued_at: Option<TimePoint>,
    pub not_before: Option<TimePoint>,
    pub expires: Option<TimePoint>,
    /// `exp − iat` in seconds, when both are present and `exp ≥ iat`.
    pub lifetime_secs: Option<i64>,
    /// The lifetime for people, e.g. `24 h 5 min`.
    pub lifetime: Option<String>,
    pub status: ValidityStatus,
}

/// An ARM id claim, raw and parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmIdClaim {
    pub raw: String,
    pub parsed: Result<ArmId, ArmIdError>,
}

impl ArmIdClaim {
    fn new(raw: &str) -> ArmIdClaim {
        ArmIdClaim {
            raw: raw.to_string(),
            parsed: ArmId::parse(raw),
        }
    }
}

/// An audience value and its well-known name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub raw: String,
    pub name: Option<&'static str>,
}

/// What the token says, for the summary panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// "Access token (v1.0)", "Access token (v2.0)", "ID token", "Signed JWT", "Unsecured JWT",
    /// "Encrypted JWE", "Partial token", "Malformed JWT" or "Not a JWT".
    pub kind_text: String,
    pub version: Option<TokenVersion>,
    pub identity: IdentityKind,
    /// `xms_mirid`: the managed identity's ARM id.
    pub managed_identity: Option<ArmIdClaim>,
    /// `xms_az_rid`: the compute resource that used a user-assigned identity.
    pub resource: Option<ArmIdClaim>,
    /// The resource the identity belongs to or was used by: for system-assigned the
    /// `xms_mirid`; for user-assigned the `xms_az_rid` when present.
    pub host_resource: Option<ArmIdClaim>,
    /// `oid`: the principal (object) id — what role assignments use.
    pub principal_id: Option<String>,
    /// `appid` (v1) or `azp` (v2): the client id.
    pub client_id: Option<String>,
    /// `tid`, or else the tenant in `iss`.
    pub tenant_id: Option<String>,
    /// True when `tenant_id` came from `iss` because `tid` was missing.
    pub tenant_from_issuer: bool,
    pub issuer: Option<String>,
    /// Every audience (usually one).
    pub audiences: Vec<Audience>,
    /// `idtyp: app`, or a managed identity token.
    pub app_only: bool,
    pub validity: Validity,
}

impl Summary {
    /// The first audience.
    pub fn audience(&self) -> Option<&Audience> {
        self.audiences.first()
    }
}

/// True for `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex, any case).
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The tenant in an Entra ID issuer: the first path segment, e.g.
/// `https://sts.windows.net/{tid}/` or `https://login.microsoftonline.com/{tid}/v2.0`.
pub fn tenant_from_issuer(iss: &str) -> Option<&str> {
    let rest = iss
        .strip_prefix("https://")
        .or_else(|| iss.strip_prefix("http://"))?;
    let mut parts = rest.split('/');
    parts.next()?;
    let t = parts.next()?;
    (!t.is_empty()).then_some(t)
}

fn str_claim<'a>(m: Option<&'a Map<String, Value>>, k: &str) -> Option<&'a str> {
    m?.get(k)?.as_str()
}

fn time_point(m: Option<&Map<String, Value>>, k: &str, now: i64) -> Option<TimePoint> {
    let (unix, enc) = time::unix_from_value(m?.get(k)?)?;
    Some(TimePoint {
        unix,
        utc: time::format_utc(unix)?,
        relative: time::format_relative(unix, now),
        was_string: enc == time::TimeEncoding::NumericString,
    })
}

/// Token version from `ver`, else from the issuer's shape.
fn version(p: Option<&Map<String, Value>>) -> Option<TokenVersion> {
    match str_claim(p, "ver") {
        Some("1.0") => return Some(TokenVersion::V1),
        Some("2.0") => return Some(TokenVersion::V2),
        _ => {}
    }
    let iss = str_claim(p, "iss")?.to_ascii_lowercase();
    if iss.trim_end_matches('/').ends_with("/v2.0") {
        Some(TokenVersion::V2)
    } else if iss.starts_with("https://sts.windows.net/") {
        Some(TokenVersion::V1)
    } else {
        None
    }
}

fn kind_text(
    form: TokenForm,
    p: Option<&Map<String, Value>>,
    version: Option<TokenVersion>,
) -> String {
    match form {
        TokenForm::Jws => {}
        other => return other.label().to_string(),
    }
    let Some(p) = p else {
        return "Signed JWT".to_string();
    };
    let has = |k: &str| p.contains_key(k);
    let client = has("appid") || has("azp") || has("scp") || has("roles") || has("idtyp");
    let id_markers = has("nonce") || has("at_hash") || has("c_hash");
    let aud_is_guid = p.get("aud").and_then(Value::as_str).is_some_and(is_guid);
    if !client && has("sub") && (id_markers || aud_is_guid) {
        return "ID token".to_string();
    }
    if client || has("ver") {
        return match version {
            Some(v) => format!("Access token ({})", v.label()),
            None => "Access token".to_string(),
        };
    }
    "Signed JWT".to_string()
}

/// Builds the summary from the decoded header and claims.
pub fn summarize(
    form: TokenForm,
    _header: Option<&Map<String, Value>>,
    payload: Option<&Map<String, Value>>,
    now: i64,
) -> Summary {
    let p = payload;
    let version = version(p);
    let mirid = str_claim(p, "xms_mirid").map(ArmIdClaim::new);
    let az_rid = str_claim(p, "xms_az_rid").map(ArmIdClaim::new);
    let identity = match &mirid {
        None => IdentityKind::NotManagedIdentity,
        Some(c) => {
            let user = match &c.parsed {
                Ok(id) => id.is_user_assigned_identity(),
                // Unparsable: still tell by the type name when it is there.
                Err(_) => c
                    .raw
                    .to_ascii_lowercase()
                    .contains("/microsoft.managedidentity/userassignedidentities/"),
            };
            if user {
                IdentityKind::UserAssigned
            } else {
                IdentityKind::SystemAssigned
            }
        }
    };
    let host_resource = match identity {
        IdentityKind::SystemAssigned => mirid.clone(),
        IdentityKind::UserAssigned => az_rid.clone(),
        IdentityKind::NotManagedIdentity => None,
    };
    let issuer = str_claim(p, "iss").map(str::to_string);
    let (tenant_id, tenant_from_issuer) = match str_claim(p, "tid") {
        Some(t) => (Some(t.to_string()), false),
        None => match issuer.as_deref().and_then(tenant_from_issuer) {
            Some(t) => (Some(t.to_string()), true),
            None => (None, false),
        },
    };
    let audiences = match p.and_then(|m| m.get("aud")) {
        Some(Value::String(s)) => vec![audience(s)],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(audience)
            .collect(),
        _ => Vec::new(),
    };
    let issued_at = time_point(p, "iat", now);
    let not_before = time_point(p, "nbf", now);
    let expires = time_point(p, "exp", now);
    let lifetime_secs = match (&issued_at, &expires) {
        (Some(i), Some(e)) if e.unix >= i.unix => Some(e.unix - i.unix),
        _ => None,
    };
    let status = match (&not_before, &expires) {
        (Some(n), _) if now < n.unix => ValidityStatus::NotYetValid,
        (_, Some(e)) if now >= e.unix => ValidityStatus::Expired,
        (_, Some(_)) => ValidityStatus::Valid,
        (_, None) => ValidityStatus::Unknown,
    };
    Summary {
        kind_text: kind_text(form, p, version),
        version,
        identity,
        managed_identity: mirid,
        resource: az_rid,
        host_resource,
        principal_id: str_claim(p, "oid").map(str::to_string),
        client_id: str_claim(p, "appid")
            .or_else(|| str_claim(p, "azp"))
            .map(str::to_string),
        tenant_id,
        tenant_from_issuer,
        issuer,
        audiences,
        app_only: str_claim(p, "idtyp") == Some("app")
            || identity != IdentityKind::NotManagedIdentity,
        validity: Validity {
            issued_at,
            not_before,
            expires,
            lifetime_secs,
            lifetime: lifetime_secs
                .and_then(|s| u64::try_from(s).ok())
                .map(time::format_duration),
            status,
        },
    }
}

fn audience(s: &str) -> Audience {
    Audience {
        raw: s.to_string(),
        name: claims::audience_name(s),
    }
}
