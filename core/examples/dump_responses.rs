//! Prints the raw HTTP responses of the default scenario, one block per request, for eyeballing
//! and for feeding a real SDK on loopback (see core/conformance/).
//!
//! `cargo run -p mi-core --example dump_responses`

use mi_core::cloud::World;
use mi_core::endpoint::{self, hosts, parse, EndpointState};

fn main() {
    let world = World::default_scenario();
    let mut state = EndpointState::new();
    let orders = world
        .identity("id-orders")
        .map(|i| i.sp.client_id.clone())
        .unwrap_or_default();
    let app_header = world
        .compute("app-shop")
        .map(|c| c.identity_header.clone())
        .unwrap_or_default();
    let requests = [
        ("vm-web", "curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'".to_string()),
        ("vm-web", format!("curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id={orders}'")),
        ("vm-web", "curl 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'".to_string()),
        ("vm-web", "curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/&client_id=00000000-0000-0000-0000-000000000000'".to_string()),
        ("app-shop", format!("curl -H 'X-IDENTITY-HEADER: {app_header}' 'http://localhost:4141/MSI/token?resource=https://management.azure.com&api-version=2019-08-01'")),
        ("app-shop", format!("curl -H 'secret: {app_header}' 'http://localhost:4141/MSI/token?resource=https://vault.azure.net&api-version=2017-09-01'")),
    ];
    for (host, text) in requests {
        let env = world
            .compute(host)
            .map(|h| hosts::host_endpoint(h).env)
            .unwrap_or_default();
        match parse::parse_any(&text, &env) {
            Ok(req) => {
                let ex = endpoint::send(&world, &mut state, host, &req);
                println!("### {host}: {text}\n{}\n", ex.wire());
            }
            Err(e) => println!("### {host}: {text}\nparse error: {e}\n"),
        }
    }
}
