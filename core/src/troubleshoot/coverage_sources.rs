//! Mechanical coverage of the sources the world does not host (Service Fabric, Azure ML, Cloud
//! Shell, workload identity; `endpoint::sources`): every error they answer, for each SDK's own
//! request and for broken variants of it, must be explained by the troubleshooter, and by the
//! right cause.

use super::*;
use crate::diagnose::{situation_context, situations};
use crate::endpoint::detect::{self, DetectOptions, DetectSdk, RequestPreview, Source};
use crate::endpoint::sources::{self, workload_identity, Context};

const START: u64 = 1_764_547_200;

/// Example environments of each new source (detect's presets).
const ENVS: [&str; 4] = [
    "service-fabric",
    "azure-ml",
    "cloud-shell",
    "aks-workload-identity",
];

fn env(code: &str) -> Vec<(String, String)> {
    detect::examples()
        .into_iter()
        .find(|e| e.code == code)
        .map(|e| e.vars)
        .unwrap_or_default()
}

/// Broken variants of a request: no headers, another method, an unknown resource or scope, a
/// selector that names nothing.
fn variants(r: &RequestPreview) -> Vec<(String, RequestPreview)> {
    let mut out = vec![("as sent".to_string(), r.clone())];
    let mut bare = r.clone();
    bare.headers.clear();
    out.push(("without headers".into(), bare));
    let mut other = r.clone();
    other.method = if r.method == "GET" {
        "POST".into()
    } else {
        "GET".into()
    };
    out.push(("other method".into(), other));
    let mut resource = r.clone();
    resource.url = resource.url.replace("management.azure.com", "nope.example");
    resource.body = resource
        .body
        .replace("management.azure.com", "nope.example");
    out.push(("unknown resource".into(), resource));
    let mut selector = r.clone();
    let sep = if selector.url.contains('?') { '&' } else { '?' };
    selector.url = format!(
        "{}{sep}client_id=11111111-1111-4111-8111-111111111111&clientid=11111111-1111-4111-8111-111111111111&principalId=11111111-1111-4111-8111-111111111111",
        selector.url
    );
    selector.body = selector
        .body
        .replace("client_id=0c5b4d1e", "client_id=11111111");
    out.push(("a selector naming nothing".into(), selector));
    out
}

/// Every (description, wire) error the new sources answer for the grid.
fn errors() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for code in ENVS {
        let vars = env(code);
        for sdk in DetectSdk::ALL {
            let d = detect::detect(&vars, sdk, &DetectOptions::default());
            let Some(r) = &d.request else { continue };
            let mut contexts: Vec<(String, Context)> = situations(d.chosen)
                .iter()
                .map(|(s, _)| (s.to_string(), situation_context(&vars, d.chosen, s, START)))
                .collect();
            if d.chosen == Source::WorkloadIdentity {
                // The service-account token expired before the exchange.
                let mut late = situation_context(&vars, d.chosen, "ok", START);
                let sa = workload_identity::projected_token(&late).jwt;
                late.now += 7200;
                let mut r2 = r.clone();
                r2.body = workload_identity::fill_assertion(&r2.body, &late)
                    .replace(&workload_identity::projected_token(&late).jwt, &sa);
                if let Ok(a) = sources::answer(d.chosen, &r2, &late) {
                    if a.response.status >= 400 {
                        out.push((format!("{code} {sdk:?} expired assertion"), a.wire()));
                    }
                }
                contexts.push(("ok".into(), late));
            }
            for (situation, ctx) in &contexts {
                for (what, v) in variants(r) {
                    if let Ok(a) = sources::answer(d.chosen, &v, ctx) {
                        if a.response.status >= 400 {
                            out.push((format!("{code} {sdk:?} {situation} {what}"), a.wire()));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The cause a new source's error means, from what is in it (codes and fixed texts).
fn expected(wire: &str) -> Option<&'static [Cause]> {
    use Cause::*;
    const TABLE: &[(&str, &[Cause])] = &[
        ("AADSTS70021", &[FederatedMismatch]),
        ("AADSTS700016", &[IdentityNotFound]),
        ("AADSTS700024", &[TokenExpired]),
        ("AADSTS500011", &[UnknownResource]),
        ("AADSTS900561", &[EndpointUnavailable]),
        ("AADSTS7000216", &[FederatedMismatch]),
        ("Method not allowed", &[EndpointUnavailable]),
        ("MethodNotAllowed", &[EndpointUnavailable]),
        ("only accepts POST", &[EndpointUnavailable]),
        (
            "InternalServerError",
            &[EndpointUnavailable, UnknownResource],
        ),
        (
            "An unexpected error occured while fetching the AAD Token",
            &[UnknownResource, EndpointUnavailable],
        ),
        ("secret header", &[MetadataHeaderMissing]),
        ("SecretHeaderNotFound", &[MetadataHeaderMissing]),
        ("metadata header", &[MetadataHeaderMissing]),
        (
            "Unable to load the proper Managed Identity",
            &[NoIdentity, MultipleIdentities],
        ),
        ("ManagedIdentityNotFound", &[NoIdentity, IdentityNotFound]),
        (
            "No Managed Identity found for specified ClientId",
            &[IdentityNotFound],
        ),
        (
            "Required parameter resource not specified",
            &[UnknownResource],
        ),
    ];
    TABLE
        .iter()
        .find(|(fragment, _)| wire.contains(fragment))
        .map(|(_, causes)| *causes)
}

#[test]
fn every_error_of_the_new_sources_is_explained() {
    let all = errors();
    assert!(
        all.len() > 100,
        "the grid reaches the errors: {}",
        all.len()
    );
    let mut failures = Vec::new();
    let mut distinct = std::collections::BTreeSet::new();
    for (what, wire) in &all {
        let body = wire.split("\r\n\r\n").nth(1).unwrap_or(wire);
        distinct.insert(body.to_string());
        let ex = explain(wire);
        match expected(wire) {
            None => failures.push(format!("{what}: no expectation for {body}")),
            Some(causes) if !causes.contains(&ex.top) => failures.push(format!(
                "{what}: explained as {} instead of one of {:?}: {body}",
                ex.top.id(),
                causes.iter().map(|c| c.id()).collect::<Vec<_>>()
            )),
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        distinct.len() >= 15,
        "distinct error bodies: {}",
        distinct.len()
    );
}
