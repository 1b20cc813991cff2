//! "What the token says": kind, version, managed-identity kind and ARM ids, who it is for,
//! and when it is valid.

use std::fmt;

use serde_json::{Map, Value};

use super::claims;
use super::time;
use super::TokenForm;
use crate::arm::{ArmId, ArmIdError};

/// Which kind of managed identity a token belongs to. Only `xms_mirid` tells system- from
/// user-assigned; only positive evidence (a user's token, a client with a secret or no credential,
/// an ID token, no JWT at all) says "not a managed identity". Everything else is `Unknown`:
/// Microsoft Graph tokens and tokens issued before about 2019 have no `xms_mirid` even for
/// managed identities (managed-identity.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    /// `xms_mirid` is the ARM id of the resource the identity belongs to.
    SystemAssigned,
    /// `xms_mirid` is the ARM id of a `Microsoft.ManagedIdentity/userAssignedIdentities`.
    UserAssigned,
    /// The token shows it is not a managed identity's (see [`Summary::identity_reason`]).
    NotManagedIdentity,
    /// The token does not say: no `xms_mirid`, an unusable one, or no readable claims.
    Unknown,
}

impl IdentityKind {
    pub fn label(self) -> &'static str {
        match self {
            IdentityKind::SystemAssigned => "System-assigned",
            IdentityKind::UserAssigned => "User-assigned",
            IdentityKind::NotManagedIdentity => "Not a managed identity token",
            IdentityKind::Unknown => "Managed identity? Can't tell from this token",
        }
    }

    /// System- or user-assigned.
    pub fn is_managed_identity(self) -> bool {
        matches!(
            self,
            IdentityKind::SystemAssigned | IdentityKind::UserAssigned
        )
    }
}

/// A command that settles what the token cannot: whether its `oid` is a managed identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmCommand {
    /// Azure CLI, built with the token's `oid` (only when that is a GUID, so it is safe to run).
    pub command: String,
    /// What the output means.
    pub expect: String,
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
    /// Why `identity` is what it is, naming the claims it rests on (one or two sentences).
    pub identity_reason: String,
    /// For `Unknown`: what in the token points toward a managed identity (may be empty).
    pub identity_hints: Vec<String>,
    /// For `Unknown`: how to find out, when the token has a GUID `oid`.
    pub confirm: Option<ConfirmCommand>,
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
    /// `idtyp: app`, or a system- or user-assigned identity's token (not `Unknown` ones without
    /// `idtyp: app`).
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
    let reading = read_identity(form, p);
    let identity = reading.kind;
    let host_resource = match identity {
        IdentityKind::SystemAssigned => mirid.clone(),
        IdentityKind::UserAssigned => az_rid.clone(),
        IdentityKind::NotManagedIdentity | IdentityKind::Unknown => None,
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
        identity_reason: reading.reason,
        identity_hints: reading.hints,
        confirm: reading.confirm,
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
        app_only: str_claim(p, "idtyp") == Some("app") || identity.is_managed_identity(),
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

/// What is wrong with an `xms_mirid` as the id of a managed identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MiridProblem {
    /// Not a JSON string (the name of the JSON type).
    NotString(&'static str),
    /// Not an ARM id at all.
    Unparsable(ArmIdError),
    /// A subscription or resource group id: a scope, not a resource.
    NotAResource(&'static str),
    /// A `Microsoft.ManagedIdentity` resource other than a user-assigned identity (e.g. a
    /// federated identity credential), which is not an identity.
    NotAnIdentity(String),
}

impl MiridProblem {
    /// Completes "'xms_mirid' …", e.g. "is the ARM id of a resource group, not of a resource".
    pub fn describe(&self) -> String {
        match self {
            MiridProblem::NotString(kind) => format!("is a {kind}, not an ARM id string"),
            MiridProblem::Unparsable(e) => format!("is not a valid ARM resource id ({e})"),
            MiridProblem::NotAResource(what) => {
                format!("is the ARM id of {what}, not of a resource")
            }
            MiridProblem::NotAnIdentity(t) => {
                format!("is the ARM id of a {t} resource, which is not an identity")
            }
        }
    }
}

/// Checks an `xms_mirid` value: the ARM id when it names a resource that is or can hold an
/// identity, else what is wrong with it.
pub fn check_mirid(value: &Value) -> Result<ArmId, MiridProblem> {
    let Value::String(raw) = value else {
        return Err(MiridProblem::NotString(super::json::kind_name(value)));
    };
    let id = ArmId::parse(raw).map_err(MiridProblem::Unparsable)?;
    let Some(full_type) = id.full_type() else {
        return Err(MiridProblem::NotAResource(if id.resource_group.is_some() {
            "a resource group"
        } else {
            "a subscription"
        }));
    };
    let managed_identity_provider = id
        .provider
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("Microsoft.ManagedIdentity"));
    if managed_identity_provider && !id.is_user_assigned_identity() {
        return Err(MiridProblem::NotAnIdentity(full_type));
    }
    Ok(id)
}

/// The identity kind with its explanation.
struct IdentityReading {
    kind: IdentityKind,
    reason: String,
    hints: Vec<String>,
    confirm: Option<ConfirmCommand>,
}

impl IdentityReading {
    fn known(kind: IdentityKind, reason: String) -> IdentityReading {
        IdentityReading {
            kind,
            reason,
            hints: Vec::new(),
            confirm: None,
        }
    }
}

/// 2019-01-01 00:00:00 UTC: tokens issued before about then had no `xms_mirid`.
const MIRID_ERA_START: i64 = 1_546_300_800;

/// `appidacr` / `azpacr` as text, whether written as a string or a number.
fn acr(p: &Map<String, Value>, k: &str) -> Option<String> {
    match p.get(k)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_identity(form: TokenForm, payload: Option<&Map<String, Value>>) -> IdentityReading {
    let Some(p) = payload else {
        let (kind, reason) = match form {
            TokenForm::NotJwt => (
                IdentityKind::NotManagedIdentity,
                "No JWT was found in the input, and managed-identity tokens are always JWTs.",
            ),
            TokenForm::Jwe => (
                IdentityKind::Unknown,
                "The claims are encrypted, so this token cannot say which identity it was issued to.",
            ),
            _ => (
                IdentityKind::Unknown,
                "The claims could not be read, so this token cannot say which identity it was issued to.",
            ),
        };
        return IdentityReading::known(kind, reason.to_string());
    };

    // `xms_mirid` decides when it is usable.
    let mirid_issue = match p.get("xms_mirid").map(check_mirid) {
        None => None,
        Some(Err(problem)) => Some(problem),
        Some(Ok(id)) if id.is_user_assigned_identity() => {
            return IdentityReading::known(
                IdentityKind::UserAssigned,
                "'xms_mirid' is the ARM id of a user-assigned identity (Microsoft.ManagedIdentity/userAssignedIdentities).".to_string(),
            );
        }
        Some(Ok(id)) => {
            return IdentityReading::known(
                IdentityKind::SystemAssigned,
                format!(
                    "'xms_mirid' is the ARM id of a {} resource: a system-assigned identity's tokens name the resource it belongs to.",
                    id.full_type().unwrap_or_default()
                ),
            );
        }
    };

    // Positive evidence that this is not a managed identity's token.
    if mirid_issue.is_none() {
        let evidence = not_managed_identity_evidence(p);
        if !evidence.is_empty() {
            return IdentityReading::known(
                IdentityKind::NotManagedIdentity,
                format!(
                    "Not a managed identity: {}. Managed-identity tokens are app-only access tokens from Entra ID, and their client authenticates with a certificate ('appidacr' \"2\").",
                    evidence.join("; ")
                ),
            );
        }
    }

    let reason = match &mirid_issue {
        Some(problem) => format!(
            "'xms_mirid' {}, so it does not say which managed identity this is.",
            problem.describe()
        ),
        None => "This token has no 'xms_mirid', the claim that names a managed identity. That does not rule one out: tokens for Microsoft Graph, and tokens issued before about 2019, leave it out even for managed identities.".to_string(),
    };
    IdentityReading {
        kind: IdentityKind::Unknown,
        reason,
        hints: managed_identity_hints(p, mirid_issue.is_none()),
        confirm: confirm_command(p),
    }
}

/// Claims no managed-identity token has, each as a phrase naming the claim.
fn not_managed_identity_evidence(p: &Map<String, Value>) -> Vec<String> {
    let s = |k: &str| p.get(k).and_then(Value::as_str);
    let mut out = Vec::new();
    if s("idtyp") == Some("user") {
        out.push("'idtyp' is \"user\" (a token for a signed-in user)".to_string());
    }
    if p.contains_key("scp") {
        out.push(
            "it has 'scp' (delegated scopes, which only tokens for a signed-in user carry)"
                .to_string(),
        );
    }
    for k in ["appidacr", "azpacr"] {
        match acr(p, k).as_deref() {
            Some("0") => out.push(format!(
                "'{k}' is \"0\" (the client is a public client with no credential)"
            )),
            Some("1") => out.push(format!(
                "'{k}' is \"1\" (the client authenticated with a client secret)"
            )),
            _ => {}
        }
    }
    if let Some(k) = ["nonce", "at_hash", "c_hash"]
        .into_iter()
        .find(|k| p.contains_key(*k))
    {
        out.push(format!(
            "it has '{k}', so it is an ID token from a user's sign-in"
        ));
    }
    if !p.contains_key("iss") && !p.contains_key("tid") {
        out.push("it has neither 'iss' nor 'tid', which every Entra ID token carries".to_string());
    }
    out
}

/// What points toward a managed identity in a token that does not say. `no_mirid`: the claim is
/// absent (rather than unusable), so the reasons it can be absent apply.
fn managed_identity_hints(p: &Map<String, Value>, no_mirid: bool) -> Vec<String> {
    let s = |k: &str| p.get(k).and_then(Value::as_str);
    let mut out = Vec::new();
    if s("idtyp") == Some("app") {
        out.push(
            "'idtyp' is \"app\": an app-only token, as every managed-identity token is."
                .to_string(),
        );
    }
    for k in ["appidacr", "azpacr"] {
        if acr(p, k).as_deref() == Some("2") {
            out.push(format!(
                "'{k}' is \"2\": the client authenticated with a certificate credential, as managed identities do (so can app registrations)."
            ));
        }
    }
    if p.contains_key("xms_idrel") {
        out.push(
            "It has 'xms_idrel', an undocumented claim seen in managed-identity tokens."
                .to_string(),
        );
    }
    if p.contains_key("xms_az_rid") {
        out.push(
            "It has 'xms_az_rid', which names the resource that used a user-assigned identity."
                .to_string(),
        );
    }
    if no_mirid {
        let graph = match p.get("aud") {
            Some(Value::String(a)) => claims::audience_name(a) == Some("Microsoft Graph"),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .any(|a| claims::audience_name(a) == Some("Microsoft Graph")),
            _ => false,
        };
        if graph {
            out.push("Its audience is Microsoft Graph, and Graph tokens leave out 'xms_mirid' even for managed identities.".to_string());
        }
        let iat = p.get("iat").and_then(time::unix_from_value).map(|(u, _)| u);
        if let Some(iat) = iat.filter(|i| *i < MIRID_ERA_START) {
            if let Some(utc) = time::format_utc(iat) {
                let date = utc.split(' ').next().unwrap_or(&utc);
                out.push(format!(
                    "It was issued on {date}, before about 2019, when tokens did not carry 'xms_mirid' yet."
                ));
            }
        }
    }
    out
}

/// `az ad sp show` for the token's `oid` (`--id` takes an object id). A managed identity's
/// service principal has servicePrincipalType "ManagedIdentity", an app registration's
/// "Application". Source: Microsoft Graph, servicePrincipal resource type, property
/// servicePrincipalType (https://learn.microsoft.com/graph/api/resources/serviceprincipal);
/// the text was checked in microsoftgraph/msgraph-sdk-go models/service_principal.go
/// (GetServicePrincipalType), which is generated from that description: "ManagedIdentity - A
/// service principal that represents a managed identity."
/// Built only from a GUID, so nothing from the token reaches a shell unchecked.
fn confirm_command(p: &Map<String, Value>) -> Option<ConfirmCommand> {
    let oid = p
        .get("oid")
        .and_then(Value::as_str)
        .filter(|o| is_guid(o))?;
    let tenant = p
        .get("tid")
        .and_then(Value::as_str)
        .filter(|t| is_guid(t))
        .map(|t| format!(" Run it signed in to the token's tenant, {t} (az login --tenant {t})."))
        .unwrap_or_default();
    Some(ConfirmCommand {
        command: format!("az ad sp show --id {oid} --query servicePrincipalType -o tsv"),
        expect: format!(
            "Prints \"ManagedIdentity\" when the object id (oid) is a managed identity's service principal, \"Application\" for an app registration's.{tenant}"
        ),
    })
}

/// What an ARM resource type is, for people: "VM", "App Service or Functions app", … (the
/// token says only `Microsoft.Web/sites`, which is both). `None` for unknown types.
pub fn resource_kind_label(full_type: &str) -> Option<&'static str> {
    const KINDS: [(&str, &str); 9] = [
        ("Microsoft.Compute/virtualMachines", "VM"),
        ("Microsoft.Compute/virtualMachineScaleSets", "VM scale set"),
        ("Microsoft.Web/sites", "App Service or Functions app"),
        ("Microsoft.App/containerApps", "Container App"),
        ("Microsoft.ContainerService/managedClusters", "AKS cluster"),
        ("Microsoft.HybridCompute/machines", "Arc-enabled server"),
        ("Microsoft.Logic/workflows", "Logic App"),
        ("Microsoft.DataFactory/factories", "Data Factory"),
        (
            "Microsoft.Automation/automationAccounts",
            "Automation account",
        ),
    ];
    KINDS
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(full_type))
        .map(|(_, label)| *label)
}

/// A resource named by an ARM id claim, for people: "VM vm-web (resource group rg-1)".
fn named_resource(claim: &ArmIdClaim) -> Option<String> {
    let id = claim.parsed.as_ref().ok()?;
    let name = id.name.as_deref()?;
    let kind = id.full_type();
    let kind = kind
        .as_deref()
        .map(|t| resource_kind_label(t).map_or_else(|| t.to_string(), str::to_string))
        .unwrap_or_default();
    let rg = id
        .resource_group
        .as_deref()
        .map(|g| format!(" (resource group {g})"))
        .unwrap_or_default();
    Some(format!("{kind} {name}{rg}").trim().to_string())
}

/// The decoder's first sentence: which identity, used by which resource, and whether the token
/// is still good. E.g. "User-assigned identity id-orders (resource group rg-1), used by VM
/// vm-web · valid, expires in 23 h 59 min".
pub fn headline(s: &Summary) -> String {
    let who = match s.identity {
        IdentityKind::SystemAssigned => {
            match s.managed_identity.as_ref().and_then(named_resource) {
                Some(host) => format!("System-assigned identity of {host}"),
                None => "System-assigned managed identity".to_string(),
            }
        }
        IdentityKind::UserAssigned => {
            let name = s
                .managed_identity
                .as_ref()
                .and_then(|c| c.parsed.as_ref().ok())
                .and_then(|id| {
                    let rg = id
                        .resource_group
                        .as_deref()
                        .map(|g| format!(" (resource group {g})"))
                        .unwrap_or_default();
                    Some(format!("{}{rg}", id.name.as_deref()?))
                });
            let used_by = match s.resource.as_ref().and_then(named_resource) {
                Some(host) => format!(", used by {host}"),
                None => ", host not named in this token (no xms_az_rid)".to_string(),
            };
            match name {
                Some(n) => format!("User-assigned identity {n}{used_by}"),
                None => format!("User-assigned managed identity{used_by}"),
            }
        }
        IdentityKind::NotManagedIdentity => "Not a managed identity".to_string(),
        IdentityKind::Unknown => "Managed identity or not: this token does not say".to_string(),
    };
    let v = &s.validity;
    let when = match (v.status, &v.expires, &v.not_before) {
        (ValidityStatus::Valid, Some(e), _) => format!("valid, expires {}", e.relative),
        (ValidityStatus::Expired, Some(e), _) => format!("expired {}", e.relative),
        (ValidityStatus::NotYetValid, _, Some(n)) => format!("not valid until {}", n.relative),
        (ValidityStatus::NotYetValid, _, None) => "not valid yet".to_string(),
        _ => "no expiry".to_string(),
    };
    format!("{who} · {when}")
}
