//! Exact bytes of every answer (token values folded to `<jwt>`; the tokens' claims are
//! compared separately), the federated match rules, `az` and Bicep output, and the path
//! from detect's request to an answer.

use super::federated::{Mismatch, TOKEN_EXCHANGE_AUDIENCE};
use super::*;
use crate::endpoint::detect::{detect, examples, DetectOptions, DetectSdk};
use crate::endpoint::state::Certainty;

/// 2025-12-01 00:00:00 UTC.
const NOW: u64 = 1_764_547_200;
const DATE: &str = "Mon, 01 Dec 2025 00:00:00 GMT";
/// The first two request GUIDs of seed 42, request 0.
const ID0: &str = "5ebebe50-0b0d-4902-84f9-1f53957457fa";
const ID1: &str = "8616b48f-ca34-4acb-a7b9-807444267222";
const UA_CLIENT: &str = "0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60";
const ISSUER: &str = "https://oidc.prod-aks.azure.com/1c7d1c1e-4a53-4f7e-9d26-3e0a7a8f6b21/";
const SUBJECT: &str = "system:serviceaccount:orders:orders-api";
const SF: &str = "https://localhost:2377/metadata/identity/oauth2/token";
const ML: &str = "http://127.0.0.1:46808/MSI/auth";
const SHELL: &str = "http://localhost:50342/oauth2/token";
const TOKEN_URL: &str =
    "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token";
const JWT_BEARER_ENC: &str = "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer";

fn ctx() -> Context {
    Context::example(NOW)
}

fn req(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> RequestPreview {
    RequestPreview {
        method: method.into(),
        url: url.into(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.into(),
    }
}

fn ask(source: Source, r: &RequestPreview, c: &Context) -> Answer {
    match answer(source, r, c) {
        Ok(a) => a,
        Err(e) => panic!("no answer: {e:?}"),
    }
}

/// The wire with the token folded to `<jwt>`.
fn folded(a: &Answer) -> String {
    let w = a.wire();
    match &a.token {
        Some(t) => w.replace(&t.jwt, "<jwt>"),
        None => w,
    }
}

fn sf_url(query: &str) -> String {
    format!("{SF}?{query}")
}

fn sf_ok() -> RequestPreview {
    req(
        "GET",
        &sf_url("api-version=2019-07-01-preview&resource=https%3A%2F%2Fvault.azure.net"),
        &[("Secret", "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a")],
        "",
    )
}

fn sf_error(status: &str, len: usize, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nDate: {DATE}\r\nContent-Length: {len}\r\n\r\n{body}")
}

// ---- Service Fabric ----

#[test]
fn service_fabric_success_is_exact() {
    let a = ask(Source::ServiceFabric, &sf_ok(), &ctx());
    assert_eq!(
        folded(&a),
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: {DATE}\r\nContent-Length: 1584\r\n\r\n{{\"token_type\":\"Bearer\",\"access_token\":\"<jwt>\",\"expires_on\":\"1764633600\",\"resource\":\"https://vault.azure.net\"}}")
    );
    let t = a
        .token
        .as_ref()
        .map(|t| t.payload_json.as_str())
        .unwrap_or("");
    assert_eq!(t, "{\"aud\":\"https://vault.azure.net\",\"iss\":\"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/\",\"iat\":1764546900,\"nbf\":1764546900,\"exp\":1764633600,\"aio\":\"/5Hq4i8K4VNcq0olAw+m4V7ASUwAAA==\",\"appid\":\"5d1fe1e8-b908-419b-9baa-6d9baea11d75\",\"appidacr\":\"2\",\"idp\":\"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/\",\"idtyp\":\"app\",\"oid\":\"3f2a8c1d-6b4e-4a7f-9c2d-8e1b5a3f7c60\",\"rh\":\"0.AGuVwzOiyWJ3mDw7_o6AALqF_lOiiSAEHAAAA.\",\"sub\":\"3f2a8c1d-6b4e-4a7f-9c2d-8e1b5a3f7c60\",\"tid\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\"uti\":\"pPpt5UtsACKYt1Lx_UYslw\",\"ver\":\"1.0\",\"xms_idrel\":\"7 15\",\"xms_mirid\":\"/subscriptions/9b3c1f7e-2a4d-4c6b-8e1f-5d7a9c3b2e10/resourcegroups/rg-orders/providers/Microsoft.Compute/virtualMachines/vm-orders\",\"xms_tcdt\":1546300800}");
    assert_eq!(
        a.client_id.as_deref(),
        Some("5d1fe1e8-b908-419b-9baa-6d9baea11d75")
    );
    // Replayed to the real clients (core/conformance/sources.sh): said so, once.
    let replayed = a.notes.iter().filter(|n| n.certainty == Certainty::Tested);
    assert_eq!(replayed.count(), 1);
}

#[test]
fn service_fabric_errors_are_exact() {
    let c = ctx();
    let secret = c.secret.clone();
    let no_secret = req("GET", &sf_ok().url, &[], "");
    assert_eq!(
        ask(Source::ServiceFabric, &no_secret, &c).wire(),
        sf_error("404 Not Found", 152, &format!("{{\"error\":{{\"correlationId\":\"{ID0}\",\"code\":\"SecretHeaderNotFound\",\"message\":\"Secret is not found in the request headers.\"}}}}"))
    );
    let wrong_secret = req("GET", &sf_ok().url, &[("secret", "nope")], "");
    assert_eq!(
        ask(Source::ServiceFabric, &wrong_secret, &c).wire(),
        sf_error("404 Not Found", 174, &format!("{{\"error\":{{\"correlationId\":\"{ID0}\",\"code\":\"ManagedIdentityNotFound\",\"message\":\"Managed identity not found for the specified application host.\"}}}}"))
    );
    let old_version = req(
        "GET",
        &sf_url("api-version=2017-09-01&resource=https%3A%2F%2Fvault.azure.net"),
        &[("Secret", &secret)],
        "",
    );
    assert_eq!(
        ask(Source::ServiceFabric, &old_version, &c).wire(),
        sf_error("400 Bad Request", 195, &format!("{{\"error\":{{\"correlationId\":\"{ID0}\",\"code\":\"InvalidApiVersion\",\"message\":\"The api-version '2017-09-01' is not supported. Supported version is '2019-07-01-preview'.\"}}}}"))
    );
    let no_version = req(
        "GET",
        &sf_url("resource=https%3A%2F%2Fvault.azure.net"),
        &[("Secret", &secret)],
        "",
    );
    assert!(ask(Source::ServiceFabric, &no_version, &c)
        .wire()
        .ends_with("\"message\":\"The api-version '' is not supported. Supported version is '2019-07-01-preview'.\"}}"));
    let no_resource = req(
        "GET",
        &sf_url("api-version=2019-07-01-preview"),
        &[("Secret", &secret)],
        "",
    );
    assert_eq!(
        ask(Source::ServiceFabric, &no_resource, &c).wire(),
        sf_error("400 Bad Request", 168, &format!("{{\"error\":{{\"correlationId\":\"{ID0}\",\"code\":\"ArgumentNullOrEmpty\",\"message\":\"The parameter 'resource' should not be null or empty string.\"}}}}"))
    );
    let unknown = req(
        "GET",
        &sf_url("api-version=2019-07-01-preview&resource=https%3A%2F%2Fnope.example"),
        &[("Secret", &secret)],
        "",
    );
    assert_eq!(
        ask(Source::ServiceFabric, &unknown, &c).wire(),
        sf_error("500 Internal Server Error", 126, &format!("{{\"error\":{{\"correlationId\":\"{ID0}\",\"code\":\"InternalServerError\",\"message\":\"An error occurred.\"}}}}"))
    );
    let mut none = c.clone();
    none.system_assigned = None;
    none.user_assigned.clear();
    let a = ask(Source::ServiceFabric, &sf_ok(), &none);
    assert_eq!(a.response.status, 404);
    assert!(a.wire().contains("\"code\":\"ManagedIdentityNotFound\""));
    assert!(a.token.is_none());
    let post = req("POST", &sf_ok().url, &[("Secret", &secret)], "");
    assert_eq!(ask(Source::ServiceFabric, &post, &c).response.status, 405);
}

#[test]
fn service_fabric_versions_and_selectors() {
    let c = ctx();
    let secret = c.secret.clone();
    // MSAL.NET: 2020-05-01 and an object id selector.
    let net = req("GET", &sf_url("api-version=2020-05-01&resource=https%3A%2F%2Fvault.azure.net&object_id=e8a1c3f5-7b9d-4e2a-8c6f-1a3b5d7e9f02"), &[("secret", &secret)], "");
    let a = ask(Source::ServiceFabric, &net, &c);
    assert_eq!(a.response.status, 200);
    assert_eq!(a.client_id.as_deref(), Some(UA_CLIENT));
    let claims = a.token.map(|t| t.claims).unwrap_or_default();
    assert_eq!(
        claims.get("xms_az_rid").and_then(|v| v.as_str()),
        Some(c.host_resource_id.as_str())
    );
    let by_principal = req("GET", &sf_url("api-version=2019-07-01-preview&resource=https%3A%2F%2Fvault.azure.net&principalId=E8A1C3F5-7B9D-4E2A-8C6F-1A3B5D7E9F02"), &[("secret", &secret)], "");
    assert_eq!(
        ask(Source::ServiceFabric, &by_principal, &c)
            .client_id
            .as_deref(),
        Some(UA_CLIENT)
    );
    let unknown = req("GET", &sf_url("api-version=2019-07-01-preview&resource=https%3A%2F%2Fvault.azure.net&client_id=11111111-1111-1111-1111-111111111111"), &[("secret", &secret)], "");
    assert_eq!(
        ask(Source::ServiceFabric, &unknown, &c).response.status,
        404
    );
    // Without a system-assigned identity the service's user-assigned one answers.
    let mut ua_only = c.clone();
    ua_only.system_assigned = None;
    assert_eq!(
        ask(Source::ServiceFabric, &sf_ok(), &ua_only)
            .client_id
            .as_deref(),
        Some(UA_CLIENT)
    );
}

// ---- Azure Machine Learning ----

fn ml(query: &str, secret: Option<&str>) -> RequestPreview {
    let headers: Vec<(&str, &str)> = secret.map(|s| vec![("secret", s)]).unwrap_or_default();
    req("GET", &format!("{ML}?{query}"), &headers, "")
}

fn ml_error(status: &str, len: usize, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nDate: {DATE}\r\nContent-Length: {len}\r\n\r\n{body}")
}

const ML_QUERY: &str = "api-version=2017-09-01&resource=https://management.azure.com";

#[test]
fn azure_ml_success_is_exact_with_an_integer_expires_on() {
    let c = ctx();
    let a = ask(Source::AzureMl, &ml(ML_QUERY, Some(&c.secret)), &c);
    assert_eq!(
        folded(&a),
        ml_error("200 OK", 1594, "{\"access_token\":\"<jwt>\",\"expires_on\":1764633600,\"resource\":\"https://management.azure.com\",\"token_type\":\"Bearer\"}")
    );
    assert_eq!(
        a.client_id.as_deref(),
        Some("5d1fe1e8-b908-419b-9baa-6d9baea11d75")
    );
    let by_client = ask(
        Source::AzureMl,
        &ml(&format!("{ML_QUERY}&clientid={UA_CLIENT}"), Some(&c.secret)),
        &c,
    );
    let appid = by_client
        .token
        .as_ref()
        .and_then(|t| t.claims.get("appid"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    assert_eq!(appid.as_deref(), Some(UA_CLIENT));
}

#[test]
fn azure_ml_errors_are_exact() {
    let c = ctx();
    assert_eq!(
        ask(Source::AzureMl, &ml(ML_QUERY, None), &c).wire(),
        ml_error("400 Bad Request", 115, &format!("{{\"statusCode\":400,\"message\":\"The secret header is missing.\",\"correlationId\":\"{ID0}\"}}"))
    );
    assert_eq!(
        ask(Source::AzureMl, &ml(ML_QUERY, Some("x")), &c).wire(),
        ml_error("401 Unauthorized", 121, &format!("{{\"statusCode\":401,\"message\":\"The secret header value is invalid.\",\"correlationId\":\"{ID0}\"}}"))
    );
    assert_eq!(
        ask(Source::AzureMl, &ml(&format!("{ML_QUERY}&clientid=11111111-1111-1111-1111-111111111111"), Some(&c.secret)), &c).wire(),
        ml_error("400 Bad Request", 135, &format!("{{\"statusCode\":400,\"message\":\"No Managed Identity found for specified ClientId.\",\"correlationId\":\"{ID0}\"}}"))
    );
    let v2019 = ml(
        "api-version=2019-08-01&resource=https://management.azure.com",
        Some(&c.secret),
    );
    assert_eq!(ask(Source::AzureMl, &v2019, &c).response.status, 400);
    let mut no_system = c.clone();
    no_system.system_assigned = None;
    let a = ask(Source::AzureMl, &ml(ML_QUERY, Some(&c.secret)), &no_system);
    assert!(a
        .wire()
        .contains("\"message\":\"Unable to load the proper Managed Identity.\""));
    // Every error note says its status and text are guesses.
    assert!(a.notes.iter().any(|n| n.certainty == Certainty::Guess));
}

// ---- Cloud Shell ----

const FORM: &str = "application/x-www-form-urlencoded";

#[test]
fn cloud_shell_answers_with_the_signed_in_users_token() {
    let c = ctx();
    let r = req(
        "POST",
        SHELL,
        &[("Metadata", "true"), ("Content-Type", FORM)],
        "resource=https%3A%2F%2Fmanagement.azure.com",
    );
    let a = ask(Source::CloudShell, &r, &c);
    assert_eq!(
        folded(&a),
        ml_error("200 OK", 1448, "{\"access_token\":\"<jwt>\",\"refresh_token\":\"\",\"expires_in\":\"3599\",\"expires_on\":\"1764550799\",\"not_before\":\"1764546900\",\"resource\":\"https://management.azure.com\",\"token_type\":\"Bearer\"}")
    );
    let claims = a.token.map(|t| t.claims).unwrap_or_default();
    let s = |k: &str| {
        claims
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(s("upn"), "alex@contoso.com");
    assert_eq!(s("oid"), "2b7e9d4c-1f3a-4c5e-8a6b-9d0c2e4f6a81");
    assert_eq!(s("idtyp"), "user");
    assert_eq!(s("scp"), "user_impersonation");
    assert_eq!(s("sub").len(), 43);
    assert_eq!(a.client_id, None);
}

#[test]
fn cloud_shell_errors_are_exact() {
    let c = ctx();
    let get = req(
        "GET",
        &format!("{SHELL}?resource=https%3A%2F%2Fmanagement.azure.com"),
        &[("Metadata", "true")],
        "",
    );
    assert_eq!(
        ask(Source::CloudShell, &get, &c).wire(),
        ml_error("405 Method Not Allowed", 90, "{\"error\":\"invalid_request\",\"error_description\":\"The endpoint only accepts POST requests.\"}")
    );
    let no_metadata = req(
        "POST",
        SHELL,
        &[("Content-Type", FORM)],
        "resource=https%3A%2F%2Fmanagement.azure.com",
    );
    assert_eq!(
        ask(Source::CloudShell, &no_metadata, &c).wire(),
        ml_error("400 Bad Request", 88, "{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}")
    );
    let no_resource = req("POST", SHELL, &[("Metadata", "true")], "");
    assert_eq!(
        ask(Source::CloudShell, &no_resource, &c).wire(),
        ml_error("400 Bad Request", 91, "{\"error\":\"invalid_request\",\"error_description\":\"Required parameter resource not specified\"}")
    );
}

// ---- Workload identity ----

#[test]
fn projected_token_has_the_service_account_claims() {
    let c = ctx();
    let t = workload_identity::projected_token(&c);
    assert_eq!(
        t.header_json,
        "{\"alg\":\"RS256\",\"kid\":\"E1w7nLoDTrzmcFikjV3-knsPyIY\"}"
    );
    assert_eq!(t.payload_json, "{\"aud\":[\"api://AzureADTokenExchange\"],\"exp\":1764550800,\"iat\":1764547200,\"iss\":\"https://oidc.prod-aks.azure.com/1c7d1c1e-4a53-4f7e-9d26-3e0a7a8f6b21/\",\"kubernetes.io\":{\"namespace\":\"orders\",\"pod\":{\"name\":\"orders-api-7d9c6b5f4-x2kqp\",\"uid\":\"b3f1a7c2-58d4-4e0b-9f6a-1d2c3b4a5e6f\"},\"serviceaccount\":{\"name\":\"orders-api\",\"uid\":\"6a0e6a55-3c5e-4b8e-9a9c-2f4d7f1b8e01\"}},\"nbf\":1764547200,\"sub\":\"system:serviceaccount:orders:orders-api\"}");
    assert_eq!((t.iat, t.exp), (NOW, NOW + 3600));
    // The signature is the demo key's, over header.payload.
    let (signed, sig) = t.jwt.rsplit_once('.').unwrap_or(("", ""));
    use base64::Engine;
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap_or_default();
    assert!(crate::endpoint::rsa::verify(signed.as_bytes(), &sig));
    // A longer lifetime moves exp only.
    let mut long = c.clone();
    long.cluster.token_lifetime = 86_400;
    assert_eq!(workload_identity::projected_token(&long).exp, NOW + 86_400);
}

fn exchange_body(assertion: &str, client_id: &str) -> String {
    format!("client_assertion={assertion}&client_assertion_type={JWT_BEARER_ENC}&client_id={client_id}&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default")
}

fn entra_wire(status: &str, len: usize, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\nCache-Control: no-store, no-cache\r\nPragma: no-cache\r\nContent-Type: application/json; charset=utf-8\r\nExpires: -1\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\nX-Content-Type-Options: nosniff\r\nP3P: CP=\"DSP CUR OTPi IND OTRi ONL FIN\"\r\nx-ms-request-id: {ID0}\r\nx-ms-ests-server: 2.1.19456.6 - SCUS ProdSlices\r\nX-XSS-Protection: 0\r\nDate: {DATE}\r\nContent-Length: {len}\r\n\r\n{body}")
}

fn exchange_with(c: &Context, assertion: &str, client_id: &str) -> Answer {
    let r = req(
        "POST",
        TOKEN_URL,
        &[("Content-Type", FORM)],
        &exchange_body(assertion, client_id),
    );
    ask(Source::WorkloadIdentity, &r, c)
}

#[test]
fn exchange_success_is_exact() {
    let c = ctx();
    let sa = workload_identity::projected_token(&c).jwt;
    let a = exchange_with(&c, &sa, UA_CLIENT);
    assert_eq!(
        folded(&a),
        entra_wire("200 OK", 1590, "{\"token_type\":\"Bearer\",\"expires_in\":86399,\"ext_expires_in\":86399,\"access_token\":\"<jwt>\"}")
    );
    let t = a.token.map(|t| t.payload_json).unwrap_or_default();
    assert_eq!(t, "{\"aud\":\"https://management.azure.com\",\"iss\":\"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/\",\"iat\":1764546900,\"nbf\":1764546900,\"exp\":1764633599,\"aio\":\"/5Hq4i8K4VNcq0olAw+m4V7ASUwAAA==\",\"appid\":\"0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60\",\"appidacr\":\"2\",\"idp\":\"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/\",\"idtyp\":\"app\",\"oid\":\"e8a1c3f5-7b9d-4e2a-8c6f-1a3b5d7e9f02\",\"rh\":\"0.AGuVwzOiyWJ3mDw7_o6AALqF_lOiiSAEHAAAA.\",\"sub\":\"e8a1c3f5-7b9d-4e2a-8c6f-1a3b5d7e9f02\",\"tid\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\"uti\":\"pPpt5UtsACKYt1Lx_UYslw\",\"ver\":\"1.0\",\"xms_idrel\":\"7 15\",\"xms_mirid\":\"/subscriptions/9b3c1f7e-2a4d-4c6b-8e1f-5d7a9c3b2e10/resourcegroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders\",\"xms_tcdt\":1546300800}");
}

#[test]
fn aadsts70021_names_issuer_subject_and_audience() {
    let mut c = ctx();
    if let Some(f) = c
        .user_assigned
        .get_mut(0)
        .and_then(|u| u.federated_credentials.get_mut(0))
    {
        f.subject = "system:serviceaccount:orders:other".into();
    }
    let sa = workload_identity::projected_token(&c).jwt;
    let a = exchange_with(&c, &sa, UA_CLIENT);
    assert_eq!(
        a.wire(),
        entra_wire("401 Unauthorized", 795, &format!("{{\"error\":\"invalid_client\",\"error_description\":\"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{ISSUER}'. Assertion Subject: '{SUBJECT}'. Assertion Audience: 'api://AzureADTokenExchange'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation\\r\\nTrace ID: {ID0}\\r\\nCorrelation ID: {ID1}\\r\\nTimestamp: 2025-12-01 00:00:00Z\",\"error_codes\":[70021],\"timestamp\":\"2025-12-01 00:00:00Z\",\"trace_id\":\"{ID0}\",\"correlation_id\":\"{ID1}\",\"error_uri\":\"https://login.microsoftonline.com/error?code=70021\"}}"))
    );
    assert!(a.token.is_none());
    assert!(a.notes.iter().any(|n| n.certainty == Certainty::Tested
        && n.text
            .contains("AuthenticationRequiredError \"invalid_client: Error(s): 70021")));
    assert!(a.notes.iter().any(|n| n
        .text
        .contains("subject 'system:serviceaccount:orders:other'")));
    // Another cluster's token names that cluster's issuer.
    let mut other = ctx();
    other.cluster.issuer =
        "https://oidc.prod-aks.azure.com/00000000-0000-4000-8000-000000000000/".into();
    let sa = workload_identity::projected_token(&other).jwt;
    assert!(exchange_with(&other, &sa, UA_CLIENT).wire().contains("Assertion Issuer: 'https://oidc.prod-aks.azure.com/00000000-0000-4000-8000-000000000000/'."));
}

#[test]
fn federated_match_rules() {
    let f = FederatedCredential {
        name: "fic".into(),
        issuer: ISSUER.into(),
        subject: SUBJECT.into(),
        audiences: vec!["api://Other".into(), TOKEN_EXCHANGE_AUDIENCE.into()],
    };
    let aud = vec![TOKEN_EXCHANGE_AUDIENCE.to_string()];
    assert_eq!(f.check(ISSUER, SUBJECT, &aud), Ok(()));
    // Issuer exact: no trailing slash, other case → no match.
    assert_eq!(
        f.check(ISSUER.trim_end_matches('/'), SUBJECT, &aud),
        Err(Mismatch::Issuer)
    );
    assert_eq!(
        f.check(&ISSUER.to_uppercase(), SUBJECT, &aud),
        Err(Mismatch::Issuer)
    );
    // Subject exact, case-sensitive.
    assert_eq!(
        f.check(ISSUER, "system:serviceaccount:Orders:orders-api", &aud),
        Err(Mismatch::Subject)
    );
    // Audience: one of the token's audiences must be one of the credential's.
    assert_eq!(
        f.check(ISSUER, SUBJECT, &["api://Other".to_string()]),
        Ok(())
    );
    assert_eq!(
        f.check(
            ISSUER,
            SUBJECT,
            &["x".to_string(), "api://Other".to_string()]
        ),
        Ok(())
    );
    assert_eq!(
        f.check(ISSUER, SUBJECT, &["api://azureadtokenexchange".to_string()]),
        Err(Mismatch::Audience)
    );
    assert_eq!(f.check(ISSUER, SUBJECT, &[]), Err(Mismatch::Audience));
}

#[test]
fn expired_assertion_is_aadsts700024() {
    let mut c = ctx();
    let sa = workload_identity::projected_token(&c).jwt;
    c.now = NOW + 3600;
    let a = exchange_with(&c, &sa, UA_CLIENT);
    assert_eq!(
        a.wire(),
        entra_wire("401 Unauthorized", 733, &format!("{{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700024: Client assertion is not within its valid time range. Current time: 2025-12-01T01:00:00.0000000Z, assertion valid from 2025-12-01T00:00:00.0000000Z, expiry time of assertion 2025-12-01T01:00:00.0000000Z. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials . Trace ID: {ID0} Correlation ID: {ID1} Timestamp: 2025-12-01 01:00:00Z\",\"error_codes\":[700024],\"timestamp\":\"2025-12-01 01:00:00Z\",\"trace_id\":\"{ID0}\",\"correlation_id\":\"{ID1}\",\"error_uri\":\"https://login.microsoftonline.com/error?code=700024\"}}")).replace(DATE, "Mon, 01 Dec 2025 01:00:00 GMT")
    );
    // One second before exp it is still accepted.
    c.now = NOW + 3599;
    assert_eq!(exchange_with(&c, &sa, UA_CLIENT).response.status, 200);
}

#[test]
fn unknown_client_id_is_aadsts700016() {
    let c = ctx();
    let sa = workload_identity::projected_token(&c).jwt;
    let id = "11111111-1111-1111-1111-111111111111";
    assert_eq!(
        exchange_with(&c, &sa, id).wire(),
        entra_wire("400 Bad Request", 750, &format!("{{\"error\":\"unauthorized_client\",\"error_description\":\"AADSTS700016: Application with identifier '{id}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.\\r\\nTrace ID: {ID0}\\r\\nCorrelation ID: {ID1}\\r\\nTimestamp: 2025-12-01 00:00:00Z\",\"error_codes\":[700016],\"timestamp\":\"2025-12-01 00:00:00Z\",\"trace_id\":\"{ID0}\",\"correlation_id\":\"{ID1}\",\"error_uri\":\"https://login.microsoftonline.com/error?code=700016\"}}"))
    );
    // The identity's principal (object) id is not its client id.
    assert_eq!(
        exchange_with(&c, &sa, "e8a1c3f5-7b9d-4e2a-8c6f-1a3b5d7e9f02")
            .response
            .status,
        400
    );
}

#[test]
fn missing_assertion_is_aadsts7000216() {
    let c = ctx();
    let r = req("POST", TOKEN_URL, &[("Content-Type", FORM)], &format!("client_id={UA_CLIENT}&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"));
    let a = ask(Source::WorkloadIdentity, &r, &c);
    assert_eq!(a.response.status, 401);
    assert!(a.wire().contains(&format!("\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type. Trace ID: {ID0} Correlation ID: {ID1} Timestamp: 2025-12-01 00:00:00Z\",\"error_codes\":[7000216]")));
    // Garbage instead of a JWT, a GET, an unknown scope.
    assert_eq!(
        exchange_with(&c, "not-a-jwt", UA_CLIENT).response.status,
        400
    );
    let get = req("GET", TOKEN_URL, &[], "");
    assert!(ask(Source::WorkloadIdentity, &get, &c)
        .wire()
        .contains("AADSTS900561"));
    let sa = workload_identity::projected_token(&c).jwt;
    let odd_scope = req(
        "POST",
        TOKEN_URL,
        &[],
        &exchange_body(&sa, UA_CLIENT).replace("management.azure.com", "nope.example"),
    );
    assert!(ask(Source::WorkloadIdentity, &odd_scope, &c).wire().contains("AADSTS500011: The resource principal named https://nope.example was not found in the tenant named Contoso."));
}

#[test]
fn az_and_bicep_are_exact() {
    let c = ctx();
    let f = FederatedCredential::for_service_account("orders-api", &c.cluster);
    assert_eq!(
        f.az_create("id-orders", "rg-orders"),
        format!("az identity federated-credential create --name orders-api --identity-name id-orders --resource-group rg-orders --issuer {ISSUER} --subject {SUBJECT} --audiences api://AzureADTokenExchange")
    );
    assert_eq!(
        f.bicep("id-orders"),
        format!("resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {{\n  name: 'id-orders'\n}}\n\nresource federatedCredential 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {{\n  parent: identity\n  name: 'orders-api'\n  properties: {{\n    issuer: '{ISSUER}'\n    subject: '{SUBJECT}'\n    audiences: [\n      'api://AzureADTokenExchange'\n    ]\n  }}\n}}\n")
    );
    let odd = FederatedCredential {
        name: "it's".into(),
        issuer: "https://x/${y}".into(),
        subject: "a b".into(),
        audiences: vec!["one".into(), "two".into()],
    };
    assert_eq!(
        odd.az_create("id", "rg"),
        "az identity federated-credential create --name 'it'\\''s' --identity-name id --resource-group rg --issuer 'https://x/${y}' --subject 'a b' --audiences one two"
    );
    let b = odd.bicep("id");
    assert!(b.contains("  name: 'it\\'s'\n"));
    assert!(b.contains("    issuer: 'https://x/\\${y}'\n"));
    assert!(b.contains("      'one'\n      'two'\n"));
}

// ---- From detect's request to an answer ----

fn preset(code: &str) -> Vec<(String, String)> {
    examples()
        .into_iter()
        .find(|e| e.code == code)
        .map(|e| e.vars)
        .unwrap_or_default()
}

#[test]
fn each_sdks_first_request_gets_a_token() {
    let cases = [
        (
            "service-fabric",
            Source::ServiceFabric,
            "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a",
        ),
        ("azure-ml", Source::AzureMl, "c3f1e9a2b7d84e6f"),
        ("cloud-shell", Source::CloudShell, ""),
        ("aks-workload-identity", Source::WorkloadIdentity, ""),
    ];
    for (code, source, secret) in cases {
        let env = preset(code);
        assert!(!env.is_empty(), "{code}");
        let mut c = ctx();
        c.secret = secret.to_string();
        for sdk in [DetectSdk::Python, DetectSdk::JavaScript, DetectSdk::DotNet] {
            let d = detect(&env, sdk, &DetectOptions::default());
            assert_eq!(d.chosen, source, "{code} {sdk:?}");
            let Some(r) = d.request else {
                // MSAL.NET sends Azure ML nothing without DEFAULT_IDENTITY_CLIENT_ID; the
                // preset sets it, so every SDK here sends a request.
                panic!("{code} {sdk:?}: no request");
            };
            let a = ask(source, &r, &c);
            assert_eq!(a.response.status, 200, "{code} {sdk:?}: {}", a.wire());
            assert!(a.token.is_some());
        }
    }
}

#[test]
fn other_sources_are_not_answered_here() {
    let r = req(
        "GET",
        "http://169.254.169.254/metadata/identity/oauth2/token",
        &[],
        "",
    );
    assert_eq!(
        answer(Source::Imds, &r, &ctx()),
        Err(NoAnswer::NotThisModule(Source::Imds))
    );
    let bad = req("GET", "not a url", &[], "");
    assert!(matches!(
        answer(Source::AzureMl, &bad, &ctx()),
        Err(NoAnswer::BadUrl(_))
    ));
}

#[test]
fn answers_are_deterministic_and_vary_by_request_index() {
    let a = ask(Source::ServiceFabric, &sf_ok(), &ctx());
    assert_eq!(a, ask(Source::ServiceFabric, &sf_ok(), &ctx()));
    let mut next = ctx();
    next.request_index = 1;
    let b = ask(Source::ServiceFabric, &sf_ok(), &next);
    assert_ne!(a.token.map(|t| t.jwt), b.token.map(|t| t.jwt));
}

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn on_any_request(method in "[A-Z]{0,6}", url in ".{0,80}", header in ".{0,20}", body in ".{0,200}") {
            let c = ctx();
            for source in [Source::ServiceFabric, Source::AzureMl, Source::CloudShell, Source::WorkloadIdentity] {
                let r = req(&method, &url, &[("secret", &header), ("Metadata", &header)], &body);
                let _ = answer(source, &r, &c);
                let r = req(&method, &format!("{SF}?{url}"), &[("secret", &c.secret)], &body);
                let _ = answer(source, &r, &c);
            }
            // A JWT-looking assertion with arbitrary parts.
            let _ = exchange_with(&c, &format!("a.{body}.c"), UA_CLIENT);
        }

        #[test]
        fn on_any_clock_index_or_lifetime(now in any::<u64>(), index in any::<u64>(), lifetime in any::<u64>(), seed in any::<u64>()) {
            let mut c = Context::example(now);
            c.request_index = index;
            c.seed = seed;
            c.cluster.token_lifetime = lifetime;
            let _ = ask(Source::ServiceFabric, &sf_ok(), &c);
            let _ = ask(Source::AzureMl, &ml(ML_QUERY, Some("853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a")), &c);
            let shell = req("POST", SHELL, &[("Metadata", "true")], "resource=https%3A%2F%2Fmanagement.azure.com");
            let _ = ask(Source::CloudShell, &shell, &c);
            let sa = workload_identity::projected_token(&c).jwt;
            let _ = exchange_with(&c, &sa, UA_CLIENT);
        }
    }
}
