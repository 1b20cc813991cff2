//! Token endpoints as HTTP (pure): raw request in, raw response out.
//!
//! Typical UI flow:
//! 1. pick a host of the [`crate::cloud::World`]; [`hosts::host_endpoint`] tells which endpoint
//!    and environment variables it has, [`hosts::default_request`] gives a starting request;
//! 2. the user edits the request as a form, a `curl` line, a PowerShell line or raw HTTP:
//!    [`parse::parse_any`] turns text into an [`http::HttpRequest`] (or a precise error);
//! 3. [`send`] routes it from that host to IMDS, App Service, Container Apps, Arc or a target's
//!    data plane and returns an [`Exchange`]: the raw response ([`http::HttpResponse::to_wire`]),
//!    the minted token, explanatory [`Note`]s tagged with their certainty;
//! 4. [`sdk::readings`] says what each Azure SDK does with that response, [`codegen`] shows the
//!    request as curl / PowerShell / raw HTTP / SDK code.
//!
//! A Kubernetes workload of the world has no endpoint: [`send`] from it exchanges its
//! service-account token at Entra ([`workload`]).
//!
//! The sources no simulated host has — Service Fabric, Azure Machine Learning, Cloud Shell, AKS
//! workload identity — are answered by [`sources::answer`], from the request
//! [`detect::detect`] predicts and a small [`sources::Context`].
//!
//! Keep one [`EndpointState`] per page: it holds the token cache, counters (for request ids),
//! fault switches and Arc challenges, so repeated requests behave as in Azure.

pub mod appservice;
pub mod arc;
pub mod codegen;
pub mod dataplane;
mod demo_key;
pub mod detect;
pub mod hosts;
pub mod http;
pub mod imds;
pub mod mint;
pub mod parse;
pub mod rsa;
pub mod samples;
pub mod sdk;
pub mod secrets;
pub mod sources;
pub mod state;
pub mod summary;
pub mod workload;

#[cfg(test)]
mod tests;

pub use http::{HttpRequest, HttpResponse, ParseError, Url};
pub use mint::MintedToken;
pub use state::{Certainty, EndpointState, Exchange, Faults, Note, Why};

use crate::cloud::World;
use state::{note, Certainty::*, Why::Unreachable};

/// Sends `req` from the compute host (or Kubernetes workload) named `host` and returns what
/// comes back.
pub fn send(world: &World, state: &mut EndpointState, host: &str, req: &HttpRequest) -> Exchange {
    if let Some(w) = world.workload(host) {
        return workload::handle(world, state, w, req);
    }
    let Some(h) = world.compute(host) else {
        return Exchange::no_connection(
            format!("There is no compute host named '{host}' in this world."),
            vec![note(Documented, "Pick a VM, scale set, web app, function app, container app or Arc server to send from.")],
        )
        .because(Unreachable(format!("there is no host named '{host}'")));
    };
    let target = req.url.host.as_str();
    let port = req.url.effective_port();
    let local = matches!(target, "localhost" | "127.0.0.1");
    match (target, h.kind.endpoint()) {
        (imds::HOST, crate::cloud::EndpointKind::Imds) if port == 80 => imds::handle(world, state, h, req),
        (imds::HOST, kind) => Exchange::no_connection(
            format!("curl: (28) Failed to connect to 169.254.169.254 port {port} after 21000 ms: Timeout was reached"),
            vec![note(
                Documented,
                match kind {
                    crate::cloud::EndpointKind::Imds => "IMDS listens on port 80 only.".to_string(),
                    crate::cloud::EndpointKind::Arc => "An Arc server is not an Azure VM: there is no IMDS. Its agent serves tokens at http://localhost:40342 (IDENTITY_ENDPOINT).".to_string(),
                    _ => format!("{} does not expose IMDS to your code; use IDENTITY_ENDPOINT with the X-IDENTITY-HEADER header.", h.kind.label()),
                },
            )],
        )
        .because(Unreachable(match kind {
            crate::cloud::EndpointKind::Imds => format!("IMDS listens on port 80, not {port}"),
            _ => format!("IMDS is not reachable from {}", summary::a_kind(h.kind)),
        })),
        (_, crate::cloud::EndpointKind::AppService | crate::cloud::EndpointKind::ContainerApps)
            if local && Some(port) == appservice::endpoint_for(h.kind).and_then(|u| Url::parse(u).ok()).and_then(|u| u.port) =>
        {
            appservice::handle(world, state, h, req)
        }
        (_, crate::cloud::EndpointKind::Arc) if local && port == 40342 => arc::handle(world, state, h, req),
        _ if local => Exchange::no_connection(
            format!("curl: (7) Failed to connect to {target} port {port} after 0 ms: Connection refused"),
            vec![note(Documented, format!("Nothing listens on {target}:{port} on {}. Its endpoint is {}.", h.name, hosts::host_endpoint(h).url))],
        )
        .because(Unreachable(format!("nothing listens on {target}:{port} on {}", h.name))),
        _ => dataplane::handle(world, state, req),
    }
}
