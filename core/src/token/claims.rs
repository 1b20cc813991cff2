//! The claim catalogue: what each Entra ID / managed-identity claim means, and a human reading
//! of its value.
//!
//! Sources: entra-docs access-token claims reference (documented claims) and published
//! managed-identity tokens (claims marked `documented: false` rest on observation only).

use serde_json::Value;

use super::time;

/// What kind of value a claim holds, for formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Unix seconds (NumericDate).
    Timestamp,
    /// A GUID.
    Guid,
    /// An Azure Resource Manager resource id.
    ArmId,
    /// One of a few codes; the pairs are (value, meaning).
    Enum(&'static [(&'static str, &'static str)]),
    Url,
    Text,
    /// A JSON array.
    List,
    /// Internal to Microsoft; nothing to read.
    Opaque,
}

/// Where a claim lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Header,
    Payload,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimInfo {
    pub name: &'static str,
    pub location: Location,
    /// One line.
    pub meaning: &'static str,
    /// False for claims known only from observed tokens (undocumented by Microsoft).
    pub documented: bool,
    /// Which token versions carry it, e.g. "v1 and v2", "v1 only", "managed identity tokens".
    pub versions: &'static str,
    pub kind: ValueKind,
}

/// `appidacr` / `azpacr`.
pub const CLIENT_AUTH: &[(&str, &str)] = &[
    ("0", "public client"),
    ("1", "client secret"),
    ("2", "certificate"),
];
const ACR: &[(&str, &str)] = &[
    (
        "0",
        "the user's authentication did not meet ISO/IEC 29115 level 1",
    ),
    ("1", "authenticated"),
];
const IDTYP: &[(&str, &str)] = &[
    ("app", "app-only token (no user)"),
    (
        "user",
        "user token (observed; the docs describe only 'app')",
    ),
];
const VER: &[(&str, &str)] = &[("1.0", "v1.0 token format"), ("2.0", "v2.0 token format")];
const TYP: &[(&str, &str)] = &[
    ("JWT", "a JSON Web Token"),
    ("at+jwt", "an OAuth 2.0 access token (RFC 9068)"),
];
const ALG: &[(&str, &str)] = &[
    (
        "RS256",
        "RSA PKCS#1 v1.5 signature with SHA-256 (Entra ID's algorithm)",
    ),
    ("RS384", "RSA PKCS#1 v1.5 with SHA-384"),
    ("RS512", "RSA PKCS#1 v1.5 with SHA-512"),
    ("PS256", "RSA-PSS with SHA-256"),
    ("PS384", "RSA-PSS with SHA-384"),
    ("PS512", "RSA-PSS with SHA-512"),
    ("ES256", "ECDSA P-256 with SHA-256"),
    ("ES384", "ECDSA P-384 with SHA-384"),
    ("ES512", "ECDSA P-521 with SHA-512"),
    ("HS256", "HMAC with SHA-256 (shared secret)"),
    ("HS384", "HMAC with SHA-384 (shared secret)"),
    ("HS512", "HMAC with SHA-512 (shared secret)"),
    ("EdDSA", "Edwards-curve signature (Ed25519)"),
    ("none", "no signature at all (unsecured)"),
    ("RSA-OAEP", "key encrypted with RSA-OAEP (JWE)"),
    ("RSA-OAEP-256", "key encrypted with RSA-OAEP-256 (JWE)"),
    ("dir", "direct use of a shared key (JWE)"),
];
const ENC: &[(&str, &str)] = &[
    ("A128GCM", "AES-128 GCM"),
    ("A256GCM", "AES-256 GCM"),
    ("A128CBC-HS256", "AES-128 CBC with HMAC SHA-256"),
    ("A256CBC-HS512", "AES-256 CBC with HMAC SHA-512"),
];
const ZIP: &[(&str, &str)] = &[("DEF", "DEFLATE-compressed before encryption")];
const XMS_CAE: &[(&str, &str)] = &[("1", "continuous access evaluation enabled")];

macro_rules! claim {
    ($name:literal, $loc:ident, $doc:literal, $ver:expr, $kind:expr, $meaning:literal) => {
        ClaimInfo {
            name: $name,
            location: Location::$loc,
            meaning: $meaning,
            documented: $doc,
            versions: $ver,
            kind: $kind,
        }
    };
}

use ValueKind::*;

const V12: &str = "v1 and v2";

/// Header parameters.
pub static HEADER_CLAIMS: &[ClaimInfo] = &[
    claim!("typ", Header, true, "v1 and v2", Enum(TYP), "Token type; always JWT for Entra ID tokens."),
    claim!("alg", Header, true, "v1 and v2", Enum(ALG), "Signature (or key-encryption) algorithm; Entra ID signs with RS256."),
    claim!("kid", Header, true, "v1 and v2", Text, "Key id: which of the issuer's published keys signed the token (its thumbprint)."),
    claim!("x5t", Header, true, "v1 only", Text, "SHA-1 thumbprint of the signing certificate; same value as kid in v1 tokens."),
    claim!("nonce", Header, false, "Microsoft Graph tokens", Opaque, "Graph-only value that is hashed before signing, so Graph tokens never verify with standard libraries; only Graph validates them."),
    claim!("enc", Header, true, "JWE", Enum(ENC), "Content encryption algorithm of an encrypted token (JWE)."),
    claim!("zip", Header, true, "JWE", Enum(ZIP), "Compression applied to the claims before encryption."),
    claim!("cty", Header, true, "nested tokens", Text, "Content type; 'JWT' means the payload is itself a token (nested JWT)."),
    claim!("x5c", Header, true, "rare", List, "The signing certificate chain (base64 DER)."),
    claim!("jku", Header, true, "rare", Url, "URL of the key set holding the signing key; never trust it blindly."),
];

/// Payload claims.
pub static PAYLOAD_CLAIMS: &[ClaimInfo] = &[
    claim!("aud", Payload, true, V12, Url, "Audience: who the token is for. v1: the resource URI or client id requested; v2: the API's client id."),
    claim!("iss", Payload, true, V12, Url, "Issuer: the token service and tenant. v1 https://sts.windows.net/{tid}/, v2 https://login.microsoftonline.com/{tid}/v2.0."),
    claim!("idp", Payload, true, V12, Url, "Identity provider that authenticated the subject; equals iss unless a guest or personal account."),
    claim!("iat", Payload, true, V12, Timestamp, "Issued at (Entra ID backdates it by about 5 minutes)."),
    claim!("nbf", Payload, true, V12, Timestamp, "Not before: the token is not valid earlier."),
    claim!("exp", Payload, true, V12, Timestamp, "Expiry: the token must be rejected from this time on."),
    claim!("aio", Payload, true, V12, Opaque, "Internal Entra ID data; ignore."),
    claim!("rh", Payload, true, V12, Opaque, "Internal Entra ID data used to revalidate tokens; ignore."),
    claim!("acr", Payload, true, "v1 only", Enum(ACR), "Authentication context class of the user."),
    claim!("amr", Payload, true, "v1 only", List, "How the user authenticated: pwd, mfa, wia, …"),
    claim!("appid", Payload, true, "v1 only", Guid, "Client id of the application that requested the token; for a managed identity, the identity's client id."),
    claim!("appidacr", Payload, true, "v1 only", Enum(CLIENT_AUTH), "How the client authenticated: 0 public client, 1 client secret, 2 certificate (managed identities: 2)."),
    claim!("azp", Payload, true, "v2 only", Guid, "Client id of the application that requested the token (v2 name of appid)."),
    claim!("azpacr", Payload, true, "v2 only", Enum(CLIENT_AUTH), "How the client authenticated (v2 name of appidacr): 0 public, 1 secret, 2 certificate."),
    claim!("oid", Payload, true, V12, Guid, "Object id of the user or service principal; for a managed identity, its principal id (use it in role assignments)."),
    claim!("sub", Payload, true, V12, Text, "Subject. For users a per-app pairwise id; in app and managed-identity tokens equal to oid."),
    claim!("tid", Payload, true, V12, Guid, "Tenant id of the directory that issued the token."),
    // optional-claims-reference.md documents idtyp with the value 'app'; 'user' is observed.
    claim!("idtyp", Payload, true, "v1 and v2 (optional)", Enum(IDTYP), "Token type: 'app' for app-only tokens (documented; all managed-identity tokens since about 2023). 'user' appears in user tokens (observed, not documented)."),
    claim!("roles", Payload, true, V12, List, "App roles (application permissions) granted to the caller."),
    claim!("scp", Payload, true, V12, Text, "Delegated scopes granted to the client on behalf of a user; never in managed-identity tokens."),
    claim!("groups", Payload, true, V12, List, "Object ids of the groups the subject belongs to."),
    claim!("hasgroups", Payload, true, V12, Text, "Marker: the subject has too many groups for the token; query Graph instead."),
    claim!("_claim_names", Payload, true, V12, Opaque, "Group overage marker: groups are available from a Graph endpoint."),
    claim!("_claim_sources", Payload, true, V12, Opaque, "Where overage groups can be fetched from."),
    claim!("wids", Payload, true, V12, List, "Directory role template ids assigned to the subject."),
    claim!("name", Payload, true, "v1 default, v2 optional", Text, "Display name of the user; never use for authorization."),
    claim!("preferred_username", Payload, true, "v2 only", Text, "Sign-in name of the user; mutable, never use for authorization."),
    claim!("unique_name", Payload, true, "v1 only", Text, "Display sign-in name of the user; mutable."),
    claim!("upn", Payload, true, "v1 default, v2 optional", Text, "User principal name; mutable."),
    claim!("email", Payload, true, "optional", Text, "E-mail address, when known; may be unverified."),
    claim!("given_name", Payload, true, "v1 default, v2 optional", Text, "User's first name."),
    claim!("family_name", Payload, true, "v1 default, v2 optional", Text, "User's last name."),
    claim!("ipaddr", Payload, true, "v1 only", Text, "IP address the user authenticated from."),
    claim!("uti", Payload, true, V12, Opaque, "Token identifier (like jti), used internally by Entra ID."),
    claim!("ver", Payload, true, V12, Enum(VER), "Token format version: 1.0 or 2.0, chosen by the resource's accessTokenAcceptedVersion."),
    claim!("sid", Payload, true, "optional", Guid, "Session id of the user's sign-in."),
    claim!("xms_cc", Payload, true, V12, List, "Client capabilities; 'cp1' means the client can handle continuous-access claims challenges."),
    claim!("acrs", Payload, true, V12, List, "Authentication context ids the user satisfied (Conditional Access)."),
    claim!("xms_mirid", Payload, false, "managed identity tokens", ArmId, "ARM id of the managed identity: the host resource for system-assigned, the identity resource for user-assigned."),
    claim!("xms_az_rid", Payload, false, "managed identity tokens (2023+)", ArmId, "ARM id of the compute resource that used a user-assigned identity (AKS nodes: the scale set)."),
    claim!("xms_az_nwperimid", Payload, false, "managed identity tokens", List, "Network security perimeter ids, often empty."),
    claim!("xms_idrel", Payload, false, "managed-identity tokens", Opaque, "Internal relation data (e.g. '7 18'); ignore."),
    claim!("xms_tcdt", Payload, false, "managed-identity tokens", Timestamp, "Looks like a Unix time, perhaps when the tenant was created."),
    claim!("xms_cae", Payload, false, "managed-identity tokens", Enum(XMS_CAE), "Continuous access evaluation marker."),
    claim!("xms_rd", Payload, false, "managed-identity tokens", Opaque, "Internal data; ignore."),
    claim!("xms_ftd", Payload, false, "managed-identity tokens", Opaque, "Internal data; ignore."),
    claim!("xms_act_fct", Payload, false, "managed-identity tokens", Opaque, "Internal data (actor facets); ignore."),
    claim!("xms_sub_fct", Payload, false, "managed-identity tokens", Opaque, "Internal data (subject facets); ignore."),
    claim!("app_displayname", Payload, false, "Microsoft Graph tokens", Text, "Display name of the client application."),
    // A documented optional claim (optional-claims-reference.md); Graph tokens carry it.
    claim!("tenant_region_scope", Payload, true, "v1 and v2 (optional)", Text, "Region of the resource's tenant, e.g. EU or NA (a documented optional claim; Microsoft Graph tokens carry it)."),
    claim!("jti", Payload, true, "generic JWT", Text, "Unique token id (RFC 7519)."),
    claim!("nonce", Payload, true, "ID tokens", Text, "Value the client sent in the sign-in request, echoed to prevent replay."),
    claim!("at_hash", Payload, true, "ID tokens", Opaque, "Hash of the access token issued alongside this ID token."),
    claim!("c_hash", Payload, true, "ID tokens", Opaque, "Hash of the authorization code issued alongside this ID token."),
    claim!("auth_time", Payload, true, "ID tokens", Timestamp, "When the user last authenticated."),
];

/// Looks a claim up by name, payload claims first (`nonce` is both a payload claim and, in Graph
/// tokens, a header parameter: use [`lookup_header`] for the header).
pub fn lookup(name: &str) -> Option<&'static ClaimInfo> {
    PAYLOAD_CLAIMS
        .iter()
        .chain(HEADER_CLAIMS)
        .find(|c| c.name == name)
}

/// Looks a header parameter up by name.
pub fn lookup_header(name: &str) -> Option<&'static ClaimInfo> {
    HEADER_CLAIMS.iter().find(|c| c.name == name)
}

/// One row of a claims table: the claim, its catalogue entry and a human reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    pub name: String,
    pub value: Value,
    /// `None` for claims the catalogue does not know.
    pub info: Option<&'static ClaimInfo>,
    /// e.g. `2024-05-01 12:00:00 UTC (in 2 h)`; `None` when the raw value says it all.
    pub reading: Option<String>,
}

/// The rows of a claims table, in the token's key order. `location` picks the catalogue
/// (`nonce` means different things in the header and the payload).
pub fn rows(
    claims: &serde_json::Map<String, Value>,
    location: Location,
    now: i64,
) -> Vec<ClaimRow> {
    claims
        .iter()
        .map(|(name, value)| {
            let info = match location {
                Location::Header => lookup_header(name),
                Location::Payload => PAYLOAD_CLAIMS.iter().find(|c| c.name == name.as_str()),
            };
            let reading = match location {
                Location::Header => info.and_then(|i| match i.kind {
                    ValueKind::Enum(pairs) => value
                        .as_str()
                        .and_then(|v| pairs.iter().find(|(code, _)| *code == v))
                        .map(|(_, meaning)| (*meaning).to_string()),
                    _ => None,
                }),
                Location::Payload => human_reading(name, value, now),
            };
            ClaimRow {
                name: name.clone(),
                value: value.clone(),
                info,
                reading,
            }
        })
        .collect()
}

/// The tenant of personal Microsoft accounts.
pub const MSA_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// Known audiences, compared case-insensitively and ignoring a trailing slash.
static AUDIENCES: &[(&str, &str)] = &[
    ("https://management.azure.com", "Azure Resource Manager"),
    (
        "https://management.core.windows.net",
        "Azure Resource Manager (classic URI)",
    ),
    (
        "797f4846-ba00-4fd7-ba43-dac1f8f63013",
        "Azure Resource Manager",
    ),
    (
        "https://management.usgovcloudapi.net",
        "Azure Resource Manager (US Government)",
    ),
    (
        "https://management.chinacloudapi.cn",
        "Azure Resource Manager (China)",
    ),
    ("https://vault.azure.net", "Azure Key Vault"),
    ("cfa8b339-82a2-471a-a3c9-0fc0be7a4093", "Azure Key Vault"),
    (
        "https://vault.usgovcloudapi.net",
        "Azure Key Vault (US Government)",
    ),
    ("https://vault.azure.cn", "Azure Key Vault (China)"),
    ("https://storage.azure.com", "Azure Storage"),
    ("e406a681-f3d4-42a8-90b6-c2b029497af1", "Azure Storage"),
    ("https://database.windows.net", "Azure SQL Database"),
    ("022907d3-0f1b-48f7-badc-1ba6abab6d66", "Azure SQL Database"),
    (
        "https://ossrdbms-aad.database.windows.net",
        "Azure Database for PostgreSQL / MySQL",
    ),
    ("https://graph.microsoft.com", "Microsoft Graph"),
    ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
    ("https://servicebus.azure.net", "Azure Service Bus"),
    ("https://eventhubs.azure.net", "Azure Event Hubs"),
    ("https://cosmos.azure.com", "Azure Cosmos DB"),
    ("https://api.loganalytics.io", "Azure Log Analytics"),
    ("https://monitor.azure.com", "Azure Monitor"),
    ("https://api.applicationinsights.io", "Application Insights"),
    (
        "https://cognitiveservices.azure.com",
        "Azure AI services (Cognitive Services)",
    ),
    ("https://ml.azure.com", "Azure Machine Learning"),
    ("https://digitaltwins.azure.net", "Azure Digital Twins"),
    ("https://eventgrid.azure.net", "Azure Event Grid"),
    ("https://kusto.kusto.windows.net", "Azure Data Explorer"),
    ("https://batch.core.windows.net", "Azure Batch"),
    ("https://appconfig.azure.com", "Azure App Configuration"),
    ("https://dev.azuresynapse.net", "Azure Synapse"),
    ("https://datalake.azure.net", "Azure Data Lake"),
    (
        "6dae42f8-4368-4678-94ff-3960e28e3630",
        "Azure Kubernetes Service AAD server",
    ),
    ("499b84ac-1321-427f-aa17-267ca6975798", "Azure DevOps"),
    (
        "api://AzureADTokenExchange",
        "Entra ID token exchange (workload identity federation)",
    ),
];

/// Storage account endpoints as audiences: `https://<account>.blob.core.windows.net`, ….
static STORAGE_SUFFIXES: &[(&str, &str)] = &[
    (".blob.core.windows.net", "Azure Blob Storage (one account)"),
    (
        ".queue.core.windows.net",
        "Azure Queue Storage (one account)",
    ),
    (
        ".table.core.windows.net",
        "Azure Table Storage (one account)",
    ),
    (".file.core.windows.net", "Azure Files (one account)"),
    (
        ".dfs.core.windows.net",
        "Azure Data Lake Storage (one account)",
    ),
    (".vault.azure.net", "Azure Key Vault (one vault)"),
    (".documents.azure.com", "Azure Cosmos DB (one account)"),
    (
        ".servicebus.windows.net",
        "Azure Service Bus / Event Hubs (one namespace)",
    ),
];

/// The name of a well-known audience, e.g. `https://vault.azure.net/` → "Azure Key Vault".
pub fn audience_name(aud: &str) -> Option<&'static str> {
    let a = aud.trim();
    let a = a.strip_suffix('/').unwrap_or(a);
    if let Some((_, name)) = AUDIENCES.iter().find(|(k, _)| k.eq_ignore_ascii_case(a)) {
        return Some(name);
    }
    let lower = a.to_ascii_lowercase();
    let host = lower.strip_prefix("https://")?;
    if host.contains('/') {
        return None;
    }
    STORAGE_SUFFIXES
        .iter()
        .find(|(suffix, _)| host.ends_with(suffix) && host.len() > suffix.len())
        .map(|(_, name)| *name)
}

/// A human reading of a claim value, e.g. a timestamp as `2024-05-01 12:00:00 UTC (in 2 h)`,
/// `appidacr` `"2"` as "certificate", a known tenant or audience by name. `None` when there is
/// nothing to add to the raw value (or the claim is unknown).
pub fn human_reading(name: &str, value: &Value, now: i64) -> Option<String> {
    match name {
        "tid" => {
            let v = value.as_str()?;
            if v.eq_ignore_ascii_case(MSA_TENANT) {
                return Some("Personal Microsoft accounts (consumer tenant)".to_string());
            }
            if v.eq_ignore_ascii_case("72f988bf-86f1-41af-91ab-2d7cd011db47") {
                return Some("Microsoft's corporate tenant".to_string());
            }
            return None;
        }
        "aud" => {
            return match value {
                Value::String(s) => audience_reading(s),
                Value::Array(items) => {
                    let names: Vec<String> = items
                        .iter()
                        .filter_map(Value::as_str)
                        .filter_map(audience_reading)
                        .collect();
                    (!names.is_empty()).then(|| names.join("; "))
                }
                _ => None,
            };
        }
        "iss" | "idp" => return value.as_str().and_then(issuer_reading),
        _ => {}
    }
    let info = lookup(name)?;
    match info.kind {
        ValueKind::Timestamp => {
            let (unix, _) = time::unix_from_value(value)?;
            let utc = time::format_utc(unix)?;
            Some(format!("{utc} ({})", time::format_relative(unix, now)))
        }
        ValueKind::Enum(pairs) => {
            let v = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            pairs
                .iter()
                .find(|(code, _)| *code == v)
                .map(|(_, meaning)| (*meaning).to_string())
        }
        ValueKind::ArmId => {
            let raw = value.as_str()?;
            let id = crate::arm::ArmId::parse(raw).ok()?;
            let kind = if id.is_user_assigned_identity() {
                "User-assigned identity".to_string()
            } else {
                id.full_type().unwrap_or_else(|| "Scope".to_string())
            };
            let mut s = format!(
                "{kind} '{}'",
                id.name.as_deref().unwrap_or(&id.subscription)
            );
            if let Some(rg) = &id.resource_group {
                s.push_str(&format!(" in resource group '{rg}'"));
            }
            s.push_str(&format!(", subscription {}", id.subscription));
            Some(s)
        }
        _ => None,
    }
}

fn audience_reading(aud: &str) -> Option<String> {
    if let Some(name) = audience_name(aud) {
        return Some(name.to_string());
    }
    if aud.starts_with("api://") {
        return Some("An application's own API (App ID URI)".to_string());
    }
    super::summary::is_guid(aud)
        .then(|| "An application, by client id (usual for v2 tokens and your own APIs)".to_string())
}

fn issuer_reading(iss: &str) -> Option<String> {
    let tenant = super::summary::tenant_from_issuer(iss);
    let lower = iss.to_ascii_lowercase();
    let endpoint = if lower.starts_with("https://sts.windows.net/") {
        "Entra ID, v1.0 endpoint"
    } else if lower.starts_with("https://login.microsoftonline.com/")
        && lower.trim_end_matches('/').ends_with("/v2.0")
    {
        "Entra ID, v2.0 endpoint"
    } else if lower.starts_with("https://login.microsoftonline.com/") {
        "Entra ID"
    } else if lower.starts_with("https://login.microsoftonline.us/")
        || lower.starts_with("https://sts.windows.net.us/")
    {
        "Entra ID (US Government)"
    } else if lower.starts_with("https://login.chinacloudapi.cn/")
        || lower.starts_with("https://sts.chinacloudapi.cn/")
    {
        "Entra ID (China)"
    } else if lower.starts_with("https://sts.windows.net") || lower.contains(".b2clogin.com/") {
        "Entra ID"
    } else {
        return None;
    };
    Some(match tenant {
        Some(t) if t.eq_ignore_ascii_case(MSA_TENANT) => {
            format!("{endpoint}, personal Microsoft accounts")
        }
        Some(t) => format!("{endpoint}, tenant {t}"),
        None => endpoint.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn catalogue_covers_the_reference_claims() {
        let payload = [
            "aud",
            "iss",
            "idp",
            "iat",
            "nbf",
            "exp",
            "aio",
            "rh",
            "acr",
            "amr",
            "appid",
            "appidacr",
            "azp",
            "azpacr",
            "oid",
            "sub",
            "tid",
            "idtyp",
            "roles",
            "scp",
            "groups",
            "hasgroups",
            "_claim_names",
            "_claim_sources",
            "wids",
            "name",
            "preferred_username",
            "unique_name",
            "upn",
            "email",
            "given_name",
            "family_name",
            "ipaddr",
            "uti",
            "ver",
            "sid",
            "xms_cc",
            "acrs",
            "xms_mirid",
            "xms_az_rid",
            "xms_az_nwperimid",
            "xms_idrel",
            "xms_tcdt",
            "xms_cae",
            "xms_rd",
            "xms_ftd",
            "xms_act_fct",
            "xms_sub_fct",
            "app_displayname",
            "tenant_region_scope",
        ];
        for name in payload {
            let c = lookup(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(c.location, Location::Payload, "{name}");
            assert!(!c.meaning.is_empty());
        }
        for name in ["typ", "alg", "kid", "x5t", "nonce", "enc", "zip", "cty"] {
            assert_eq!(
                lookup_header(name).map(|c| c.location),
                Some(Location::Header),
                "{name}"
            );
        }
        assert!(!lookup("xms_mirid").unwrap().documented);
        assert!(lookup("oid").unwrap().documented);
        assert_eq!(lookup("appid").unwrap().versions, "v1 only");
        assert_eq!(lookup("kid").map(|c| c.location), Some(Location::Header));
        assert_eq!(lookup("nonce").map(|c| c.location), Some(Location::Payload));
        assert_eq!(lookup("no_such_claim"), None);
        // No name appears twice within one table.
        for table in [PAYLOAD_CLAIMS, HEADER_CLAIMS] {
            let mut names: Vec<_> = table.iter().map(|c| c.name).collect();
            names.sort_unstable();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len());
        }
    }

    #[test]
    fn human_readings() {
        let now = 1_714_564_800; // 2024-05-01 12:00:00 UTC
        assert_eq!(
            human_reading("exp", &json!(now + 86_100), now).as_deref(),
            Some("2024-05-02 11:55:00 UTC (in 23 h 55 min)")
        );
        assert_eq!(
            human_reading("iat", &json!((now - 3 * 86_400).to_string()), now).as_deref(),
            Some("2024-04-28 12:00:00 UTC (3 days ago)")
        );
        assert_eq!(
            human_reading("appidacr", &json!("0"), now).as_deref(),
            Some("public client")
        );
        assert_eq!(
            human_reading("appidacr", &json!("1"), now).as_deref(),
            Some("client secret")
        );
        assert_eq!(
            human_reading("azpacr", &json!(2), now).as_deref(),
            Some("certificate")
        );
        assert_eq!(human_reading("appidacr", &json!("7"), now), None);
        assert_eq!(
            human_reading("tid", &json!(MSA_TENANT.to_uppercase()), now).as_deref(),
            Some("Personal Microsoft accounts (consumer tenant)")
        );
        assert_eq!(
            human_reading("tid", &json!("11111111-1111-1111-1111-111111111111"), now),
            None
        );
        assert_eq!(
            human_reading("aud", &json!("https://vault.azure.net"), now).as_deref(),
            Some("Azure Key Vault")
        );
        assert_eq!(
            human_reading("aud", &json!(["x", "https://graph.microsoft.com/"]), now).as_deref(),
            Some("Microsoft Graph")
        );
        assert_eq!(
            human_reading(
                "iss",
                &json!("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"),
                now
            )
            .as_deref(),
            Some("Entra ID, v1.0 endpoint, tenant 72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert_eq!(
            human_reading(
                "xms_mirid",
                &json!("/subscriptions/s1/resourcegroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app"),
                now
            )
            .as_deref(),
            Some("User-assigned identity 'id-app' in resource group 'RG', subscription s1")
        );
        assert_eq!(
            human_reading("idtyp", &json!("app"), now).as_deref(),
            Some("app-only token (no user)")
        );
        assert_eq!(human_reading("unknown_claim", &json!(1), now), None);
        assert_eq!(human_reading("exp", &json!("soon"), now), None);
        assert_eq!(human_reading("exp", &json!(1e300), now), None);
    }

    #[test]
    fn claim_rows_keep_order_and_use_the_right_catalogue() {
        let header = json!({"typ":"JWT","nonce":"n","alg":"RS256","custom":1});
        let rows_h = rows(header.as_object().unwrap(), Location::Header, 0);
        let names: Vec<_> = rows_h.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["typ", "nonce", "alg", "custom"]);
        assert_eq!(rows_h[1].info.map(|i| i.location), Some(Location::Header));
        assert_eq!(
            rows_h[2].reading.as_deref(),
            Some("RSA PKCS#1 v1.5 signature with SHA-256 (Entra ID's algorithm)")
        );
        assert_eq!(rows_h[3].info, None);
        let payload = json!({"nonce":"n","exp":60,"typ":"x"});
        let rows_p = rows(payload.as_object().unwrap(), Location::Payload, 0);
        assert_eq!(rows_p[0].info.map(|i| i.location), Some(Location::Payload));
        assert_eq!(
            rows_p[1].reading.as_deref(),
            Some("1970-01-01 00:01:00 UTC (in 1 min)")
        );
        assert_eq!(
            rows_p[2].info, None,
            "header-only names are unknown in the payload"
        );
    }

    #[test]
    fn audience_names_ignore_case_and_trailing_slash() {
        for (aud, name) in [
            ("https://management.azure.com/", "Azure Resource Manager"),
            ("https://MANAGEMENT.azure.com", "Azure Resource Manager"),
            (
                "https://management.core.windows.net/",
                "Azure Resource Manager (classic URI)",
            ),
            ("https://vault.azure.net", "Azure Key Vault"),
            ("https://storage.azure.com/", "Azure Storage"),
            ("https://database.windows.net/", "Azure SQL Database"),
            ("https://graph.microsoft.com", "Microsoft Graph"),
            ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
            ("https://servicebus.azure.net", "Azure Service Bus"),
            ("https://eventhubs.azure.net", "Azure Event Hubs"),
            ("https://cosmos.azure.com", "Azure Cosmos DB"),
            ("https://api.loganalytics.io", "Azure Log Analytics"),
            ("https://monitor.azure.com/", "Azure Monitor"),
            (
                "https://myacct.blob.core.windows.net/",
                "Azure Blob Storage (one account)",
            ),
        ] {
            assert_eq!(audience_name(aud), Some(name), "{aud}");
        }
        assert_eq!(
            audience_name("https://blob.core.windows.net.evil.example"),
            None
        );
        assert_eq!(
            audience_name("https://x.blob.core.windows.net/container"),
            None
        );
        assert_eq!(audience_name("api://my-api"), None);
    }
}
