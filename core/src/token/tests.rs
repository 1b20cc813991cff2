//! End-to-end tests of [`read`]: realistic managed-identity tokens (managed-identity.md §5), the
//! malformed-input matrix (claims-and-decoders.md §2), consistency warnings and helpers.

use super::*;
use crate::token::base64url::encode;

/// 2024-05-01 12:00:00 UTC.
pub(crate) const NOW: i64 = 1_714_564_800;
pub(crate) const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub(crate) const SUB: &str = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
pub(crate) const OID: &str = "6f8e3a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b";
pub(crate) const APPID: &str = "5d1fe1e8-b908-419b-9baa-6d9baea11d75";
const KID: &str = "L1KfKFI_jnXbwWc22xZxw1sUHH0";

/// A realistic unsigned-but-signature-shaped token: base64url(header).base64url(payload).
/// base64url(`sig_len` deterministic bytes). `sig_len` 0 gives an empty signature.
pub(crate) fn make_token(header: &str, payload: &str, sig_len: usize) -> String {
    let sig: Vec<u8> = (0..sig_len).map(|i| (i * 37 + 11) as u8).collect();
    format!(
        "{}.{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes()),
        encode(&sig)
    )
}

pub(crate) fn mi_header() -> String {
    format!(r#"{{"typ":"JWT","alg":"RS256","x5t":"{KID}","kid":"{KID}"}}"#)
}

/// A v1 managed-identity access token payload, keys in the order Entra ID writes them:
/// aud, iss, iat, nbf, exp, then the rest alphabetically. `extra` is spliced in before `ver`.
pub(crate) fn mi_payload(aud: &str, mirid: &str, extra: &str) -> String {
    let iat = NOW - 300;
    let exp = iat + 86_700;
    format!(
        r#"{{"aud":"{aud}","iss":"https://sts.windows.net/{TID}/","iat":{iat},"nbf":{iat},"exp":{exp},"aio":"k2BgYJjQ7xt1bX/AAAA=","appid":"{APPID}","appidacr":"2","idp":"https://sts.windows.net/{TID}/","idtyp":"app","oid":"{OID}","rh":"0.AFEAv4j5cvGGr0GRqy180BHbR0ZIf3kAutdPukPawfj2MBNRAAA.","sub":"{OID}","tid":"{TID}","uti":"AbCdEfGhIjKlMnOpQrStUw",{extra}"ver":"1.0","xms_idrel":"7 18","xms_mirid":"{mirid}"}}"#
    )
}

pub(crate) fn vm_mirid() -> String {
    format!("/subscriptions/{SUB}/resourcegroups/Demo-RG/providers/Microsoft.Compute/virtualMachines/vm-web")
}

pub(crate) fn uai_mirid() -> String {
    format!("/subscriptions/{SUB}/resourcegroups/Identity-RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders")
}

pub(crate) fn system_assigned_token() -> String {
    make_token(
        &mi_header(),
        &mi_payload("https://management.azure.com/", &vm_mirid(), ""),
        256,
    )
}

fn messages(r: &Reading) -> Vec<&str> {
    r.diagnostics.iter().map(|d| d.message.as_str()).collect()
}

fn has_message(r: &Reading, needle: &str) -> bool {
    r.diagnostics.iter().any(|d| d.message.contains(needle))
}

fn problems(r: &Reading) -> Vec<&Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect()
}

// --- Managed-identity tokens -----------------------------------------------------------------

#[test]
fn system_assigned_vm_token_summary() {
    let r = read(&system_assigned_token(), NOW);
    assert_eq!(r.form, TokenForm::Jws);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let s = &r.summary;
    assert_eq!(s.kind_text, "Access token (v1.0)");
    assert_eq!(s.version, Some(summary::TokenVersion::V1));
    assert_eq!(s.identity, IdentityKind::SystemAssigned);
    assert_eq!(s.identity.to_string(), "System-assigned");
    let mirid = s.managed_identity.as_ref().unwrap();
    let id = mirid.parsed.as_ref().unwrap();
    assert_eq!(id.subscription, SUB);
    assert_eq!(id.resource_group.as_deref(), Some("Demo-RG"));
    assert_eq!(id.provider.as_deref(), Some("Microsoft.Compute"));
    assert_eq!(id.resource_type.as_deref(), Some("virtualMachines"));
    assert_eq!(id.name.as_deref(), Some("vm-web"));
    assert!(id.lowercase_group_segment);
    assert_eq!(
        s.host_resource.as_ref().map(|h| h.raw.clone()),
        Some(vm_mirid())
    );
    assert_eq!(s.resource, None);
    assert_eq!(s.principal_id.as_deref(), Some(OID));
    assert_eq!(s.client_id.as_deref(), Some(APPID));
    assert_eq!(s.tenant_id.as_deref(), Some(TID));
    assert!(!s.tenant_from_issuer);
    assert!(s.app_only);
    let aud = s.audience().unwrap();
    assert_eq!(aud.raw, "https://management.azure.com/");
    assert_eq!(aud.name, Some("Azure Resource Manager"));
    let v = &s.validity;
    assert_eq!(v.issued_at.as_ref().unwrap().utc, "2024-05-01 11:55:00 UTC");
    assert_eq!(v.issued_at.as_ref().unwrap().relative, "5 min ago");
    assert_eq!(v.not_before.as_ref().unwrap().unix, NOW - 300);
    assert_eq!(v.expires.as_ref().unwrap().utc, "2024-05-02 12:00:00 UTC");
    assert_eq!(v.expires.as_ref().unwrap().relative, "in 24 h");
    assert_eq!(v.lifetime.as_deref(), Some("24 h 5 min"));
    assert_eq!(v.lifetime_secs, Some(86_700));
    assert_eq!(v.status, ValidityStatus::Valid);
    // Key order is preserved exactly as in the token.
    let keys: Vec<_> = r
        .payload_claims()
        .unwrap()
        .keys()
        .take(5)
        .cloned()
        .collect();
    assert_eq!(keys, ["aud", "iss", "iat", "nbf", "exp"]);
    let hkeys: Vec<_> = r.header_claims().unwrap().keys().cloned().collect();
    assert_eq!(hkeys, ["typ", "alg", "x5t", "kid"]);
}

#[test]
fn user_assigned_token_with_host_resource() {
    let rid = format!(
        "/subscriptions/{SUB}/resourcegroups/Web-RG/providers/Microsoft.Web/sites/orders-api"
    );
    let payload = mi_payload(
        "https://vault.azure.net",
        &uai_mirid(),
        &format!(r#""xms_az_rid":"{rid}","#),
    );
    let r = read(&make_token(&mi_header(), &payload, 256), NOW);
    assert!(problems(&r).is_empty(), "{:?}", r.diagnostics);
    let s = &r.summary;
    assert_eq!(s.identity, IdentityKind::UserAssigned);
    assert_eq!(s.identity.label(), "User-assigned");
    let id = s
        .managed_identity
        .as_ref()
        .unwrap()
        .parsed
        .as_ref()
        .unwrap();
    assert_eq!(id.name.as_deref(), Some("id-orders"));
    assert!(id.is_user_assigned_identity());
    let host = s.host_resource.as_ref().unwrap();
    assert_eq!(host.raw, rid);
    assert_eq!(
        host.parsed.as_ref().unwrap().full_type().as_deref(),
        Some("Microsoft.Web/sites")
    );
    assert_eq!(s.audience().unwrap().name, Some("Azure Key Vault"));
}

#[test]
fn user_assigned_token_without_az_rid_says_so() {
    let payload = mi_payload("https://storage.azure.com/", &uai_mirid(), "");
    let r = read(&make_token(&mi_header(), &payload, 256), NOW);
    assert_eq!(r.summary.identity, IdentityKind::UserAssigned);
    assert_eq!(r.summary.host_resource, None);
    assert!(problems(&r).is_empty());
    let info: Vec<_> = r.diagnostics_of(Severity::Info).collect();
    assert_eq!(info.len(), 1);
    assert!(info[0].message.contains("without 'xms_az_rid'"));
}

#[test]
fn other_hosts_are_system_assigned_and_lowercase_resourcegroups_is_tolerated() {
    for (provider, name) in [
        ("Microsoft.Web/sites", "app1"),
        ("Microsoft.ContainerService/managedClusters", "aks1"),
        ("Microsoft.App/containerApps", "ca1"),
    ] {
        let mirid = format!("/subscriptions/{SUB}/resourcegroups/rg/providers/{provider}/{name}");
        let r = read(
            &make_token(
                &mi_header(),
                &mi_payload("https://management.azure.com", &mirid, ""),
                256,
            ),
            NOW,
        );
        assert_eq!(
            r.summary.identity,
            IdentityKind::SystemAssigned,
            "{provider}"
        );
        let host = r
            .summary
            .host_resource
            .as_ref()
            .unwrap()
            .parsed
            .as_ref()
            .unwrap();
        assert_eq!(host.full_type().as_deref(), Some(provider));
        assert_eq!(host.name.as_deref(), Some(name));
    }
}

#[test]
fn user_token_v2_and_id_token_and_plain_jwt() {
    let v2 = format!(
        r#"{{"aud":"api://orders","iss":"https://login.microsoftonline.com/{TID}/v2.0","iat":{NOW},"nbf":{NOW},"exp":{},"azp":"{APPID}","azpacr":"0","name":"Ada","oid":"{OID}","preferred_username":"ada@contoso.com","scp":"Orders.Read","sub":"pairwise-subject-value","tid":"{TID}","ver":"2.0"}}"#,
        NOW + 3600
    );
    let r = read(
        &make_token(r#"{"typ":"JWT","alg":"RS256","kid":"k"}"#, &v2, 256),
        NOW,
    );
    assert_eq!(r.summary.kind_text, "Access token (v2.0)");
    assert_eq!(r.summary.identity, IdentityKind::NotManagedIdentity);
    assert_eq!(r.summary.identity.label(), "Not a managed identity token");
    assert_eq!(
        r.summary.identity_reason,
        "Not a managed identity: it has 'scp' (delegated scopes, which only tokens for a signed-in user carry); 'azpacr' is \"0\" (the client is a public client with no credential). Managed-identity tokens are app-only access tokens from Entra ID, and their client authenticates with a certificate ('appidacr' \"2\")."
    );
    assert!(r.summary.identity_hints.is_empty());
    assert_eq!(r.summary.confirm, None);
    assert_eq!(r.summary.client_id.as_deref(), Some(APPID));
    assert!(!r.summary.app_only);
    assert!(problems(&r).is_empty(), "{:?}", r.diagnostics);

    let id_token = format!(
        r#"{{"aud":"{APPID}","iss":"https://login.microsoftonline.com/{TID}/v2.0","iat":{NOW},"nbf":{NOW},"exp":{},"nonce":"abc","oid":"{OID}","sub":"xyz","tid":"{TID}","ver":"2.0"}}"#,
        NOW + 3600
    );
    let r = read(
        &make_token(r#"{"typ":"JWT","alg":"RS256","kid":"k"}"#, &id_token, 256),
        NOW,
    );
    assert_eq!(r.summary.kind_text, "ID token");
    assert_eq!(r.summary.identity, IdentityKind::NotManagedIdentity);
    assert!(r.summary.identity_reason.starts_with(
        "Not a managed identity: it has 'nonce', so it is an ID token from a user's sign-in."
    ));

    let plain = r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#;
    let r = read(
        &make_token(r#"{"alg":"HS256","typ":"JWT"}"#, plain, 32),
        NOW,
    );
    assert_eq!(r.summary.kind_text, "Signed JWT");
    assert_eq!(r.summary.identity, IdentityKind::NotManagedIdentity);
    assert!(r.summary.identity_reason.starts_with(
        "Not a managed identity: it has neither 'iss' nor 'tid', which every Entra ID token carries."
    ));
    assert_eq!(r.summary.validity.status, ValidityStatus::Unknown);
    assert!(problems(&r).is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn validity_status_expired_and_not_yet_valid() {
    let token = system_assigned_token();
    let r = read(&token, NOW + 86_400);
    assert_eq!(r.summary.validity.status, ValidityStatus::Expired);
    assert_eq!(r.summary.validity.expires.as_ref().unwrap().relative, "now");
    let r = read(&token, NOW + 4 * 86_400);
    assert_eq!(
        r.summary.validity.expires.as_ref().unwrap().relative,
        "3 days ago"
    );
    let r = read(&token, NOW - 3600);
    assert_eq!(r.summary.validity.status, ValidityStatus::NotYetValid);
    assert_eq!(r.summary.validity.status.label(), "Not yet valid");
}

#[test]
fn tenant_falls_back_to_issuer() {
    let payload = format!(
        r#"{{"aud":"x","iss":"https://sts.windows.net/{TID}/","exp":{}}}"#,
        NOW + 10
    );
    let r = read(&make_token(r#"{"alg":"RS256"}"#, &payload, 256), NOW);
    assert_eq!(r.summary.tenant_id.as_deref(), Some(TID));
    assert!(r.summary.tenant_from_issuer);
    assert_eq!(
        r.summary.validity.expires.as_ref().unwrap().relative,
        "in 10 s"
    );
}

#[test]
fn graph_token_nonce_is_explained() {
    let header =
        format!(r#"{{"typ":"JWT","nonce":"AbC123","alg":"RS256","x5t":"{KID}","kid":"{KID}"}}"#);
    let payload = mi_payload(
        "https://graph.microsoft.com",
        &vm_mirid(),
        r#""app_displayname":"vm-web","#,
    );
    let r = read(&make_token(&header, &payload, 256), NOW);
    assert_eq!(r.summary.audience().unwrap().name, Some("Microsoft Graph"));
    let w: Vec<_> = r.diagnostics_of(Severity::Warning).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].segment, Area::Header);
    assert_eq!(
        w[0].message,
        "Header: has a 'nonce', as Microsoft Graph tokens do. Graph hashes this nonce before signing, so standard signature verification fails for Graph tokens; that is expected, not a sign of tampering."
    );
}

// --- Identity kind: "not a managed identity" only on evidence (issue #8) -------------------

/// `mi_payload` without `xms_mirid`: what Graph tokens and pre-2019 tokens look like.
fn payload_without_mirid(aud: &str, extra: &str) -> String {
    mi_payload(aud, "MIRID", extra).replace(r#","xms_mirid":"MIRID""#, "")
}

const UNKNOWN_LABEL: &str = "Managed identity? Can't tell from this token";
const NO_MIRID_REASON: &str = "This token has no 'xms_mirid', the claim that names a managed identity. That does not rule one out: tokens for Microsoft Graph, and tokens issued before about 2019, leave it out even for managed identities.";
const HINT_APP: &str = "'idtyp' is \"app\": an app-only token, as every managed-identity token is.";
const HINT_CERT: &str = "'appidacr' is \"2\": the client authenticated with a certificate credential, as managed identities do (so can app registrations).";
const HINT_IDREL: &str =
    "It has 'xms_idrel', an undocumented claim seen in managed-identity tokens.";

fn expected_confirm() -> Option<summary::ConfirmCommand> {
    Some(summary::ConfirmCommand {
        command: format!("az ad sp show --id {OID} --query servicePrincipalType -o tsv"),
        expect: format!("Prints \"ManagedIdentity\" when the object id (oid) is a managed identity's service principal, \"Application\" for an app registration's. Run it signed in to the token's tenant, {TID} (az login --tenant {TID})."),
    })
}

#[test]
fn graph_token_of_a_managed_identity_without_mirid_is_unknown_with_hints() {
    let header =
        format!(r#"{{"typ":"JWT","nonce":"AbC123","alg":"RS256","x5t":"{KID}","kid":"{KID}"}}"#);
    let payload = payload_without_mirid(
        "https://graph.microsoft.com",
        r#""app_displayname":"vm-web","#,
    );
    assert!(!payload.contains("xms_mirid"));
    let r = read(&make_token(&header, &payload, 256), NOW);
    let s = &r.summary;
    assert_eq!(s.identity, IdentityKind::Unknown);
    assert_eq!(s.identity.label(), UNKNOWN_LABEL);
    assert_eq!(s.identity.to_string(), UNKNOWN_LABEL);
    assert!(!s.identity.is_managed_identity());
    assert_eq!(s.identity_reason, NO_MIRID_REASON);
    assert_eq!(
        s.identity_hints,
        [
            HINT_APP,
            HINT_CERT,
            HINT_IDREL,
            "Its audience is Microsoft Graph, and Graph tokens leave out 'xms_mirid' even for managed identities.",
        ]
    );
    assert_eq!(s.confirm, expected_confirm());
    assert!(s.app_only, "idtyp app");
    assert_eq!(s.managed_identity, None);
    assert_eq!(s.host_resource, None);
    assert_eq!(s.principal_id.as_deref(), Some(OID));
    // Only the Graph nonce is worth a warning; a missing xms_mirid is not a fault.
    let w: Vec<_> = r.diagnostics_of(Severity::Warning).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.starts_with("Header: has a 'nonce'"));
}

#[test]
fn vm_token_from_2017_without_mirid_or_idtyp_is_unknown() {
    let iat: i64 = 1_496_318_400; // 2017-06-01 12:00:00 UTC
    let payload = format!(
        r#"{{"aud":"https://management.core.windows.net/","iss":"https://sts.windows.net/{TID}/","iat":{iat},"nbf":{iat},"exp":{},"aio":"Y2ZgYDj9","appid":"{APPID}","appidacr":"2","e_exp":262800,"idp":"https://sts.windows.net/{TID}/","oid":"{OID}","sub":"{OID}","tid":"{TID}","uti":"Xy","ver":"1.0"}}"#,
        iat + 3600
    );
    let r = read(&make_token(&mi_header(), &payload, 256), NOW);
    let s = &r.summary;
    assert_eq!(s.kind_text, "Access token (v1.0)");
    assert_eq!(s.identity, IdentityKind::Unknown);
    assert_eq!(s.identity.label(), UNKNOWN_LABEL);
    assert_eq!(s.identity_reason, NO_MIRID_REASON);
    assert_eq!(
        s.identity_hints,
        [
            HINT_CERT,
            "It was issued on 2017-06-01, before about 2019, when tokens did not carry 'xms_mirid' yet.",
        ]
    );
    assert_eq!(s.confirm, expected_confirm());
    assert!(!s.app_only, "no idtyp: not known to be app-only");
    assert_eq!(s.validity.lifetime.as_deref(), Some("1 h"));
    assert_eq!(s.validity.status, ValidityStatus::Expired);
    assert!(problems(&r).is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn user_and_secret_tokens_are_not_managed_identities_and_say_why() {
    let tail = " Managed-identity tokens are app-only access tokens from Entra ID, and their client authenticates with a certificate ('appidacr' \"2\").";
    let base = payload_without_mirid("https://management.azure.com/", "");
    for (payload, evidence) in [
        (
            base.replace(r#""idtyp":"app""#, r#""idtyp":"user""#),
            "'idtyp' is \"user\" (a token for a signed-in user)",
        ),
        (
            base.replace(r#""appidacr":"2""#, r#""appidacr":"1""#),
            "'appidacr' is \"1\" (the client authenticated with a client secret)",
        ),
        (
            base.replace(r#""appidacr":"2""#, r#""appidacr":0"#),
            "'appidacr' is \"0\" (the client is a public client with no credential)",
        ),
        (
            base.replace(r#""idtyp":"app","#, r#""scp":"user_impersonation","#),
            "it has 'scp' (delegated scopes, which only tokens for a signed-in user carry)",
        ),
    ] {
        let r = read(&make_token(&mi_header(), &payload, 256), NOW);
        let s = &r.summary;
        assert_eq!(s.identity, IdentityKind::NotManagedIdentity, "{evidence}");
        assert_eq!(s.identity.label(), "Not a managed identity token");
        assert_eq!(
            s.identity_reason,
            format!("Not a managed identity: {evidence}.{tail}")
        );
        assert!(s.identity_hints.is_empty());
        assert_eq!(s.confirm, None);
        assert_eq!(s.host_resource, None);
    }
    // Several pieces of evidence are all named, in a stable order.
    let v1_user = base
        .replace(r#""appidacr":"2""#, r#""appidacr":"0""#)
        .replace(r#""idtyp":"app""#, r#""idtyp":"user""#)
        .replace(r#""oid""#, r#""name":"Ada","oid""#)
        .replace(r#""sub""#, r#""scp":"User.Read","sub""#);
    let r = read(&make_token(&mi_header(), &v1_user, 256), NOW);
    assert_eq!(
        r.summary.identity_reason,
        format!("Not a managed identity: 'idtyp' is \"user\" (a token for a signed-in user); it has 'scp' (delegated scopes, which only tokens for a signed-in user carry); 'appidacr' is \"0\" (the client is a public client with no credential).{tail}")
    );
    assert!(!r.summary.app_only);
}

#[test]
fn unusable_mirid_gives_unknown_and_a_payload_diagnostic() {
    let fix = "Managed-identity tokens carry ids like /subscriptions/<sub>/resourcegroups/<rg>/providers/<type>/<name>; the token was probably edited.";
    for (mirid, what) in [
        (
            "not-an-arm-id".to_string(),
            "is not a valid ARM resource id (an ARM id starts with '/subscriptions/')".to_string(),
        ),
        (
            "/subscriptions/x/resourcegroups/rg".to_string(),
            "is the ARM id of a resource group, not of a resource".to_string(),
        ),
        (
            "/subscriptions/x".to_string(),
            "is the ARM id of a subscription, not of a resource".to_string(),
        ),
        (
            // Used to be read as user-assigned because of the type name inside.
            "garbage/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders".to_string(),
            "is not a valid ARM resource id (an ARM id starts with '/subscriptions/')".to_string(),
        ),
        (
            format!("{}/federatedIdentityCredentials/github", uai_mirid()),
            "is the ARM id of a Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials resource, which is not an identity".to_string(),
        ),
    ] {
        let payload = mi_payload("https://management.azure.com/", &mirid, "");
        let r = read(&make_token(&mi_header(), &payload, 256), NOW);
        let s = &r.summary;
        assert_eq!(s.identity, IdentityKind::Unknown, "{mirid}");
        assert_eq!(
            s.identity_reason,
            format!("'xms_mirid' {what}, so it does not say which managed identity this is.")
        );
        // The hints about a *missing* xms_mirid (Graph, age) do not apply.
        assert_eq!(s.identity_hints, [HINT_APP, HINT_CERT, HINT_IDREL]);
        assert_eq!(s.confirm, expected_confirm());
        assert_eq!(s.host_resource, None);
        assert!(s.app_only);
        assert_eq!(s.managed_identity.as_ref().map(|c| c.raw.as_str()), Some(mirid.as_str()));
        let p = problems(&r);
        assert_eq!(p.len(), 1, "{mirid}: {p:?}");
        assert_eq!(p[0].severity, Severity::Warning);
        assert_eq!(p[0].segment, Area::Payload);
        assert_eq!(
            p[0].message,
            format!("Payload: 'xms_mirid' {what}, so it does not say which managed identity this is.")
        );
        assert_eq!(p[0].fix, fix);
    }
    // Not a string: Unknown, and the type warning says what is wrong.
    let payload = mi_payload("https://management.azure.com/", "M", "")
        .replace(r#""xms_mirid":"M""#, r#""xms_mirid":42"#);
    let r = read(&make_token(&mi_header(), &payload, 256), NOW);
    assert_eq!(r.summary.identity, IdentityKind::Unknown);
    assert_eq!(
        r.summary.identity_reason,
        "'xms_mirid' is a number, not an ARM id string, so it does not say which managed identity this is."
    );
    assert_eq!(
        messages(&r),
        ["Payload: 'xms_mirid' should be an ARM id string, but is a number."]
    );
}

#[test]
fn inputs_without_readable_claims() {
    let r = read("hello world", NOW);
    assert_eq!(r.summary.identity, IdentityKind::NotManagedIdentity);
    assert_eq!(
        r.summary.identity_reason,
        "No JWT was found in the input, and managed-identity tokens are always JWTs."
    );
    let header_only = system_assigned_token()
        .split('.')
        .next()
        .unwrap()
        .to_string();
    let r = read(&header_only, NOW);
    assert_eq!(r.form, TokenForm::Partial);
    assert_eq!(r.summary.identity, IdentityKind::Unknown);
    assert_eq!(
        r.summary.identity_reason,
        "The claims could not be read, so this token cannot say which identity it was issued to."
    );
    assert!(r.summary.identity_hints.is_empty());
    assert_eq!(r.summary.confirm, None);
    assert!(!r.summary.app_only);
}

#[test]
fn confirm_command_needs_a_guid_oid() {
    let payload = payload_without_mirid("https://management.azure.com/", "")
        .replace(&format!(r#""oid":"{OID}""#), r#""oid":"x; rm -rf ~""#);
    let r = read(&make_token(&mi_header(), &payload, 256), NOW);
    assert_eq!(r.summary.identity, IdentityKind::Unknown);
    assert_eq!(r.summary.confirm, None);
}

// --- The malformed-input matrix (claims-and-decoders.md §2) ---------------------------------

#[test]
fn padded_segments_decode_with_warnings() {
    // Header `{"alg":"RS256"}` is 15 bytes → needs one '=' of padding in standard base64.
    let token = system_assigned_token();
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    parts[0] = format!("{}=", encode(br#"{"alg":"RS256"}"#));
    let padded = parts.join(".");
    let r = read(&padded, NOW);
    assert_eq!(r.form, TokenForm::Jws);
    assert_eq!(r.summary.identity, IdentityKind::SystemAssigned);
    assert_eq!(
        messages(&r),
        ["Header: ends with '=' padding (1 character), which base64url in JWTs does not use; decoded anyway."]
    );
    assert_eq!(r.diagnostics[0].fix, "Remove the trailing '=' characters.");
    assert_eq!(r.diagnostics[0].segment, Area::Header);
}

#[test]
fn standard_alphabet_decodes_with_position() {
    // Any three aligned '?' bytes encode to "Pz8_": the payload is sure to contain a '_'.
    let payload = format!(r#"{{"aud":"?????????","exp":{}}}"#, NOW + 60);
    let token = make_token(r#"{"alg":"RS256"}"#, &payload, 256);
    let header_len = token.find('.').unwrap();
    let pos = token[header_len + 1..].find('_').unwrap() + 1;
    let mut std_token = token.clone();
    std_token.replace_range(header_len + pos..header_len + pos + 1, "/");
    let r = read(&std_token, NOW);
    assert_eq!(r.payload_claims().unwrap()["aud"], "?????????");
    let w: Vec<_> = r.diagnostics_of(Severity::Warning).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        w[0].message,
        format!("Payload: uses the standard base64 alphabet ('/' at position {pos} of the segment, position {} of the token) instead of base64url ('-' and '_'); decoded anyway. It mixes both alphabets, which no encoder produces.", header_len + 1 + pos)
    );
    assert_eq!(
        w[0].fix,
        "JWTs use base64url: replace '+' with '-' and '/' with '_'."
    );
}

#[test]
fn bearer_prefix_and_inner_line_breaks() {
    let token = system_assigned_token();
    let r = read(&format!("Bearer {token}"), NOW);
    assert_eq!(r.token_text, token);
    assert_eq!(r.extraction.source, Source::BearerPrefix);
    assert_eq!(messages(&r), ["Removed the 'Bearer ' prefix."]);
    assert_eq!(r.diagnostics[0].severity, Severity::Info);
    assert_eq!(r.diagnostics[0].segment, Area::Input);

    let wrapped: String = token
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let r = read(&format!("{wrapped}\n"), NOW);
    assert_eq!(r.token_text, token);
    assert_eq!(r.form, TokenForm::Jws);
    let breaks = token.len().div_ceil(76) - 1;
    assert_eq!(
        messages(&r),
        [
            "Removed surrounding whitespace.".to_string(),
            format!("Removed {breaks} line breaks inside the token.")
        ]
    );
}

#[test]
fn invalid_utf8_payload_is_flagged_and_replaced() {
    let header = encode(br#"{"alg":"RS256"}"#);
    let payload = encode(b"{\"name\":\"Jos\xe9\",\"aud\":\"x\"}");
    let token = format!("{header}.{payload}.{}", encode(&[1u8; 256]));
    let r = read(&token, NOW);
    assert_eq!(r.form, TokenForm::Jws);
    assert_eq!(r.payload_claims().unwrap()["name"], "Jos\u{fffd}");
    assert_eq!(
        messages(&r),
        ["Payload: is not valid UTF-8 (1 invalid byte sequence, the first at byte 13 of the decoded payload); shown with replacement characters (\u{fffd})."]
    );
}

#[test]
fn non_object_payload_is_kept_and_flagged() {
    let r = read(&make_token(r#"{"alg":"RS256"}"#, r#"["a",1]"#, 256), NOW);
    assert_eq!(r.payload, Some(serde_json::json!(["a", 1])));
    assert_eq!(r.payload_claims(), None);
    assert_eq!(
        messages(&r),
        ["Payload: is a JSON array, not an object; a JWT's claims must be a JSON object (RFC 7519 §7.2)."]
    );
    assert_eq!(r.summary.kind_text, "Signed JWT");
}

#[test]
fn two_segments_is_a_partial_token() {
    let token = system_assigned_token();
    let two = token.rsplit_once('.').unwrap().0;
    let r = read(two, NOW);
    assert_eq!(r.form, TokenForm::Partial);
    assert_eq!(r.summary.kind_text, "Partial token");
    // Everything that is there is still read.
    assert_eq!(r.summary.identity, IdentityKind::SystemAssigned);
    assert_eq!(
        messages(&r),
        ["Partial token: a header and a payload, no signature; decoded what is there."]
    );
    assert_eq!(signature_bytes(&r), None);
    assert_eq!(signing_input(&r), None);

    let one = token.split('.').next().unwrap();
    let r = read(one, NOW);
    assert_eq!(r.form, TokenForm::Partial);
    assert!(r.header.is_some());
    assert_eq!(r.payload, None);
    assert!(has_message(&r, "only a header, no payload and signature"));

    // A signed token whose signature was cut: header.payload.
    let r = read(&format!("{two}."), NOW);
    assert_eq!(r.form, TokenForm::Partial);
    assert!(has_message(
        &r,
        "Signature: missing (the token ends with '.'), though the header says alg 'RS256'."
    ));
}

#[test]
fn five_segments_is_an_encrypted_jwe() {
    let header = encode(br#"{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k1"}"#);
    let token = format!(
        "{header}.{}.{}.{}.{}",
        encode(&[7; 256]),
        encode(&[1; 12]),
        encode(b"ciphertext!"),
        encode(&[2; 16])
    );
    let r = read(&token, NOW);
    assert_eq!(r.form, TokenForm::Jwe);
    assert_eq!(r.summary.kind_text, "Encrypted JWE");
    assert_eq!(r.summary.identity, IdentityKind::Unknown);
    assert_eq!(
        r.summary.identity_reason,
        "The claims are encrypted, so this token cannot say which identity it was issued to."
    );
    assert_eq!(r.header_claims().unwrap()["enc"], "A256GCM");
    assert_eq!(r.payload, None);
    let kinds: Vec<_> = r.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SegmentKind::Header,
            SegmentKind::EncryptedKey,
            SegmentKind::Iv,
            SegmentKind::Ciphertext,
            SegmentKind::Tag
        ]
    );
    assert_eq!(
        messages(&r),
        ["Encrypted JWE: only the protected header is readable; the claims are encrypted (key management 'RSA-OAEP', content encryption 'A256GCM') and can be read only with the recipient's private key."]
    );
    assert_eq!(signature_bytes(&r), None);
}

#[test]
fn five_segments_without_enc_are_malformed_not_jwe() {
    let fix = "For a signed JWT, look for a stray '.' or two tokens pasted together; a JWE's header must name its content encryption in 'enc'.";
    // Binary parts after a JWS header: nothing else is read.
    let header = encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let token = format!(
        "{header}.{}.{}.{}.{}",
        encode(&[7; 256]),
        encode(&[1; 12]),
        encode(b"ciphertext!"),
        encode(&[2; 16])
    );
    let r = read(&token, NOW);
    assert_eq!(r.form, TokenForm::Malformed);
    assert_eq!(r.summary.kind_text, "Malformed JWT");
    assert_eq!(r.payload, None);
    assert_eq!(r.header_claims().unwrap()["alg"], "RS256");
    let kinds: Vec<_> = r.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SegmentKind::Header,
            SegmentKind::Unexpected,
            SegmentKind::Unexpected,
            SegmentKind::Unexpected,
            SegmentKind::Unexpected
        ]
    );
    assert_eq!(
        messages(&r),
        ["The token has 5 parts separated by '.', but its header has no 'enc': not a JWE (RFC 7516 §4.1.2 requires 'enc') and not a JWS (3 parts). Decoded the header; the other parts are shown as unexpected parts."]
    );
    assert_eq!(r.diagnostics[0].severity, Severity::Error);
    assert_eq!(r.diagnostics[0].segment, Area::Input);
    assert_eq!(r.diagnostics[0].fix, fix);
    assert!(!messages(&r).iter().any(|m| m.contains("JWE:")));
    assert_eq!(r.summary.identity, IdentityKind::Unknown);
    assert_eq!(signature_bytes(&r), None);

    // A signed token with two stray parts: its claims are still read.
    let r = read(&format!("{}.a.b", system_assigned_token()), NOW);
    assert_eq!(r.form, TokenForm::Malformed);
    assert_eq!(r.summary.identity, IdentityKind::SystemAssigned);
    let kinds: Vec<_> = r.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SegmentKind::Header,
            SegmentKind::Payload,
            SegmentKind::Signature,
            SegmentKind::Unexpected,
            SegmentKind::Unexpected
        ]
    );
    assert_eq!(
        messages(&r),
        ["The token has 5 parts separated by '.', but its header has no 'enc': not a JWE (RFC 7516 §4.1.2 requires 'enc') and not a JWS (3 parts). Decoded the header and the second part as the payload; the rest is shown as unexpected parts."]
    );

    // 'enc' that is not a string names no content encryption either.
    let header = encode(br#"{"alg":"RSA-OAEP","enc":5}"#);
    let r = read(&format!("{header}.AAAA.AAAA.AAAA.AAAA"), NOW);
    assert_eq!(r.form, TokenForm::Malformed);
    assert_eq!(
        messages(&r),
        ["The token has 5 parts separated by '.', but its header's 'enc' is a number, not a string: not a JWE (RFC 7516 §4.1.2 requires 'enc') and not a JWS (3 parts). Decoded the header; the other parts are shown as unexpected parts."]
    );
}

#[test]
fn alg_none_is_unsecured_and_warned() {
    let payload = mi_payload("https://management.azure.com/", &vm_mirid(), "");
    let token = make_token(r#"{"alg":"none","typ":"JWT"}"#, &payload, 0);
    assert!(token.ends_with('.'));
    let r = read(&token, NOW);
    assert_eq!(r.form, TokenForm::Unsecured);
    assert_eq!(r.summary.kind_text, "Unsecured JWT");
    assert_eq!(
        messages(&r),
        ["Header: alg is 'none': the token is not signed, so anyone could have written it; no service should accept it."]
    );
    assert_eq!(signing_input(&r), token.strip_suffix('.'));
    // With a signature attached anyway.
    let r = read(&make_token(r#"{"alg":"none"}"#, "{}", 10), NOW);
    assert!(has_message(
        &r,
        "the header says alg 'none', yet there is a signature"
    ));
}

#[test]
fn duplicate_keys_show_last_value_and_warn() {
    let payload = format!(
        r#"{{"aud":"https://management.azure.com/","oid":"{OID}","aud":"https://vault.azure.net"}}"#
    );
    let r = read(&make_token(r#"{"alg":"RS256"}"#, &payload, 256), NOW);
    assert_eq!(
        r.payload_claims().unwrap()["aud"],
        "https://vault.azure.net"
    );
    assert_eq!(r.summary.audience().unwrap().name, Some("Azure Key Vault"));
    assert_eq!(
        messages(&r),
        ["Payload: key 'aud' appears more than once (again at line 1, column 85); shown with its last value, as most parsers do, but parsers disagree about duplicates."]
    );
}

#[test]
fn invalid_characters_are_located_in_segment_and_token() {
    let token = system_assigned_token();
    let header_len = token.find('.').unwrap();
    // Replace the 5th payload character with '!'.
    let mut chars: Vec<char> = token.chars().collect();
    chars[header_len + 1 + 4] = '!';
    let broken: String = chars.into_iter().collect();
    let r = read(&broken, NOW);
    let errors: Vec<_> = r.diagnostics_of(Severity::Error).collect();
    assert_eq!(
        errors[0].message,
        format!("Payload: invalid character '!' at position 5 of the segment (position {} of the token); skipped it.", header_len + 1 + 5)
    );
    assert_eq!(errors[0].segment, Area::Payload);
}

#[test]
fn json_errors_have_line_and_column() {
    let r = read(
        &make_token(r#"{"alg":"RS256"}"#, "{\"aud\":\"x\",\n\"exp\":}", 256),
        NOW,
    );
    assert_eq!(r.payload, None);
    assert_eq!(
        r.segment(SegmentKind::Payload).unwrap().decoded.as_deref(),
        Some("{\"aud\":\"x\",\n\"exp\":}")
    );
    assert_eq!(
        messages(&r),
        ["Payload: is not valid JSON at line 2, column 7: expected value."]
    );
}

#[test]
fn four_parts_is_malformed_but_decoded() {
    let token = format!("{}.extra", system_assigned_token());
    let r = read(&token, NOW);
    assert_eq!(r.form, TokenForm::Malformed);
    assert_eq!(r.summary.identity, IdentityKind::SystemAssigned);
    assert_eq!(r.segments.last().unwrap().kind, SegmentKind::Unexpected);
    assert!(has_message(&r, "The token has 4 parts separated by '.'"));
}

#[test]
fn not_a_jwt_opaque_msa_token_and_random_text() {
    let msa = format!("EwB4A8l6BAAU{}", "a1B2c3D4e5".repeat(40));
    let r = read(&msa, NOW);
    assert_eq!(r.form, TokenForm::NotJwt);
    assert_eq!(r.summary.kind_text, "Not a JWT");
    assert!(messages(&r)[0].starts_with(
        "Not a JWT: this looks like an opaque access token for a personal Microsoft account"
    ));
    for text in ["hello world", "a.b.c", "12345", "{not json", "zz"] {
        let r = read(text, NOW);
        assert_eq!(r.form, TokenForm::NotJwt, "{text}");
        assert_eq!(
            r.diagnostics_of(Severity::Error).count(),
            1,
            "{text}: {:?}",
            r.diagnostics
        );
    }
    let r = read("hello world", NOW);
    assert_eq!(r.token_text, "hello world", "prose is not joined");
    assert_eq!(
        messages(&r),
        ["Not a JWT: it has no '.' separators and does not decode to JSON. It may be an opaque token, a secret or other text."]
    );
    let r = read("   ", NOW);
    assert_eq!(
        messages(&r),
        ["Nothing to decode: no token was found in the input."]
    );
}

#[test]
fn input_size_cap() {
    let big = "a".repeat(MAX_INPUT_BYTES + 1);
    let r = read(&big, NOW);
    assert_eq!(r.form, TokenForm::NotJwt);
    assert_eq!(r.token_text, "");
    assert_eq!(
        messages(&r),
        ["The input is 1048577 bytes; the decoder reads at most 1 MiB (1048576 bytes), so it was not decoded."]
    );
    // Exactly 1 MiB is decoded: a token padded with a big claim.
    let filler = "x".repeat(700_000);
    let token = make_token(
        r#"{"alg":"RS256"}"#,
        &format!(r#"{{"big":"{filler}"}}"#),
        256,
    );
    let input = format!("{token}{}", " ".repeat(MAX_INPUT_BYTES - token.len()));
    assert_eq!(input.len(), MAX_INPUT_BYTES);
    let r = read(&input, NOW);
    assert_eq!(r.form, TokenForm::Jws);
    assert_eq!(
        r.payload_claims().unwrap()["big"].as_str().map(str::len),
        Some(700_000)
    );
}

// --- Consistency warnings --------------------------------------------------------------------

fn warnings_for(payload: &str) -> Vec<String> {
    let r = read(&make_token(&mi_header(), payload, 256), NOW);
    r.diagnostics_of(Severity::Warning)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn consistency_warnings() {
    let base = mi_payload("https://management.azure.com/", &vm_mirid(), "");
    assert!(warnings_for(&base).is_empty());

    let other = "11111111-2222-3333-4444-555555555555";
    let w = warnings_for(&base.replace(
        &format!("sts.windows.net/{TID}/\",\"iat"),
        &format!("sts.windows.net/{other}/\",\"iat"),
    ));
    assert_eq!(
        w,
        [format!(
            "Payload: the tenant in 'iss' ({other}) differs from 'tid' ({TID})."
        )]
    );

    let w = warnings_for(&base.replace(&format!("\"oid\":\"{OID}\""), "\"oid\":\"not-a-guid\""));
    assert!(
        w.contains(
            &"Payload: 'oid' should be a GUID (8-4-4-4-12 hex digits), but is \"not-a-guid\"."
                .to_string()
        ),
        "{w:?}"
    );
    assert!(
        w.iter().any(|m| m.starts_with("Payload: 'sub' (")),
        "sub ≠ oid: {w:?}"
    );

    let w = warnings_for(&base.replace(
        &format!("\"sub\":\"{OID}\""),
        &format!("\"sub\":\"{other}\""),
    ));
    assert_eq!(w, [format!("Payload: 'sub' ({other}) differs from 'oid' ({OID}) in an app-only token; in app and managed-identity tokens they are equal.")]);

    let w = warnings_for(&base.replace("\"uti\"", "\"scp\":\"user_impersonation\",\"uti\""));
    assert_eq!(w.len(), 1);
    assert!(w[0].starts_with(
        "Payload: has 'scp' (delegated scopes), but this claims to be a managed-identity token"
    ));

    let exp = NOW - 300 + 86_700;
    let w =
        warnings_for(&base.replace(&format!("\"exp\":{exp}"), &format!("\"exp\":{}", NOW - 400)));
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].starts_with("Payload: 'exp' (1714564400) is not after 'nbf' (1714564500)"));

    let w = warnings_for(&base.replace(&format!("\"exp\":{exp}"), &format!("\"exp\":\"{exp}\"")));
    assert_eq!(w, [format!("Payload: 'exp' is a string (\"{exp}\"), not a number; RFC 7519 dates are JSON numbers. Read it anyway.")]);

    let w = warnings_for(&base.replace(
        &format!("\"exp\":{exp}"),
        &format!("\"exp\":{}", exp as i128 * 1000),
    ));
    assert!(w[0].contains("looks like milliseconds"), "{w:?}");

    let w = warnings_for(&base.replace(&vm_mirid(), "/subscriptions/x/resourcegroups"));
    assert_eq!(
        w,
        ["Payload: 'xms_mirid' is not a valid ARM resource id (the resource group name is missing after 'resourceGroups/'), so it does not say which managed identity this is."]
    );
}

#[test]
fn signature_length_plausibility() {
    let payload = r#"{"aud":"x"}"#;
    for (alg, len, ok) in [
        ("RS256", 256, true),
        ("RS256", 384, true),
        ("RS256", 512, true),
        ("PS256", 256, true),
        ("RS256", 100, false),
        ("ES256", 64, true),
        ("ES256", 71, false),
        ("ES384", 96, true),
        ("ES512", 132, true),
        ("HS256", 32, true),
        ("HS256", 31, false),
        ("XX999", 3, true),
    ] {
        let r = read(
            &make_token(&format!(r#"{{"alg":"{alg}"}}"#), payload, len),
            NOW,
        );
        let bad = r.diagnostics.iter().any(|d| d.segment == Area::Signature);
        assert_eq!(!bad, ok, "{alg} {len}: {:?}", r.diagnostics);
    }
    let r = read(&make_token(r#"{"alg":"RS256"}"#, payload, 100), NOW);
    assert_eq!(
        messages(&r),
        ["Signature: is 100 bytes, but RS256 signatures with a 2048-, 3072- or 4096-bit key are 256, 384 or 512 bytes."]
    );
    let r = read(&make_token(r#"{"alg":"ES256"}"#, payload, 71), NOW);
    assert!(messages(&r)[0].ends_with("ECDSA signatures in JWS are raw r‖s, not DER."));
}

// --- Extraction through read() ---------------------------------------------------------------

#[test]
fn imds_response_is_unwrapped_and_fields_kept() {
    let token = system_assigned_token();
    let body = format!(
        r#"{{"access_token":"{token}","client_id":"{APPID}","expires_in":"86399","expires_on":"{}","ext_expires_in":"86399","not_before":"{}","resource":"https://management.azure.com/","token_type":"Bearer"}}"#,
        NOW + 86_400,
        NOW - 300
    );
    let r = read(&body, NOW);
    assert_eq!(r.token_text, token);
    assert_eq!(r.extraction.source, Source::TokenResponse);
    assert_eq!(r.extraction.extra_fields["expires_in"], "86399");
    assert_eq!(
        r.extraction.extra_fields.keys().next().map(String::as_str),
        Some("client_id")
    );
    assert_eq!(r.summary.identity, IdentityKind::SystemAssigned);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].severity, Severity::Info);

    let app_service = format!(
        r#"{{"access_token":"{token}","expires_on":"1694141276","resource":"https://management.azure.com","token_type":"Bearer","client_id":"5D1FE1E8-B908-419B-9BAA-6D9BAEA11D75"}}"#
    );
    let r = read(&app_service, NOW);
    assert_eq!(r.extraction.source, Source::TokenResponse);
    let keys: Vec<_> = r
        .extraction
        .extra_fields
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["expires_on", "resource", "token_type", "client_id"]);
}

#[test]
fn curl_header_and_fragment_inputs() {
    let token = system_assigned_token();
    let curl = format!("curl -H \"Authorization: Bearer {token}\" https://management.azure.com/subscriptions?api-version=2022-12-01");
    let r = read(&curl, NOW);
    assert_eq!(r.token_text, token);
    assert_eq!(r.extraction.source, Source::CurlCommand);
    assert_eq!(r.form, TokenForm::Jws);
    let r = read(&format!("Authorization: Bearer {token}"), NOW);
    assert_eq!(r.token_text, token);
    let r = read(&format!("https://jwt.ms/#access_token={token}"), NOW);
    assert_eq!(r.token_text, token);
    assert_eq!(r.extraction.source, Source::Url);
    let r = read(&format!("#token={token}"), NOW);
    assert_eq!(r.token_text, token);
}

// --- Segments and helpers --------------------------------------------------------------------

#[test]
fn segments_cover_the_token_and_feed_verification() {
    let token = system_assigned_token();
    let r = read(&token, NOW);
    let kinds: Vec<_> = r.segments.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SegmentKind::Header,
            SegmentKind::Payload,
            SegmentKind::Signature
        ]
    );
    for s in &r.segments {
        assert_eq!(&r.token_text[s.range.clone()], s.text);
    }
    assert_eq!(r.segments[2].range.end, token.len());
    let (signing, sig) = token.rsplit_once('.').unwrap();
    assert_eq!(signing_input(&r), Some(signing));
    let bytes = signature_bytes(&r).unwrap();
    assert_eq!(bytes.len(), 256);
    assert_eq!(encode(&bytes), sig);
    assert_eq!(r.alg(), Some("RS256"));
    assert!(r.segments[0]
        .decoded
        .as_deref()
        .unwrap()
        .starts_with("{\"typ\":\"JWT\""));
}

#[test]
fn pretty_json_keeps_order() {
    let r = read(&system_assigned_token(), NOW);
    let pretty = pretty_json(r.header.as_ref().unwrap());
    assert_eq!(
        pretty,
        format!("{{\n  \"typ\": \"JWT\",\n  \"alg\": \"RS256\",\n  \"x5t\": \"{KID}\",\n  \"kid\": \"{KID}\"\n}}")
    );
}

#[test]
fn reading_is_deterministic() {
    let inputs = [
        system_assigned_token(),
        "Bearer x.y.z".to_string(),
        "\u{0}\u{ffff}é.".to_string(),
    ];
    for i in &inputs {
        assert_eq!(read(i, NOW), read(i, NOW));
    }
}

#[test]
fn compare_two_mi_tokens() {
    let a = read(&system_assigned_token(), NOW);
    let b = read(
        &make_token(
            &mi_header(),
            &mi_payload("https://management.azure.com/", &uai_mirid(), ""),
            256,
        ),
        NOW,
    );
    let d = compare(a.payload_claims().unwrap(), b.payload_claims().unwrap());
    let changed: Vec<_> = d
        .iter()
        .filter(|r| r.kind == DiffKind::Changed)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(changed, ["xms_mirid"]);
}

#[test]
fn headline_names_the_identity_its_host_and_the_validity() {
    let ua = format!("/subscriptions/{SUB}/resourcegroups/terraform-tfstates/providers/Microsoft.ManagedIdentity/userAssignedIdentities/test-uai");
    let host = format!("/subscriptions/{SUB}/resourcegroups/rg-fn/providers/Microsoft.Web/sites/kaszebe-function-app");
    let t = make_token(
        &mi_header(),
        &mi_payload(
            "https://vault.azure.net",
            &ua,
            &format!(r#""xms_az_rid":"{host}","#),
        ),
        256,
    );
    assert_eq!(
        summary::headline(&read(&t, NOW).summary),
        "User-assigned identity test-uai (resource group terraform-tfstates), used by App Service or Functions app kaszebe-function-app (resource group rg-fn) · valid, expires in 24 h"
    );
    let later = NOW + 844 * 86_400;
    assert!(summary::headline(&read(&t, later).summary).ends_with(" · expired 843 days ago"));
    let vm = format!("/subscriptions/{SUB}/resourcegroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm-web");
    let t = make_token(
        &mi_header(),
        &mi_payload("https://management.azure.com/", &vm, ""),
        256,
    );
    assert!(summary::headline(&read(&t, NOW).summary)
        .starts_with("System-assigned identity of VM vm-web (resource group rg-1) · valid"));
    let no_host = make_token(
        &mi_header(),
        &mi_payload("https://vault.azure.net", &ua, ""),
        256,
    );
    assert!(summary::headline(&read(&no_host, NOW).summary)
        .contains("host not named in this token (no xms_az_rid)"));
}
