//! Credentials in a request, and the form of a request that may go in the address bar.
//!
//! The request text is page state (`req=` in the fragment), but a value the user pasted into a
//! credential header may be a real secret: a live bearer token, an App Service
//! `IDENTITY_HEADER`, an Arc key file's contents. Those never reach the address bar by
//! themselves. Values the simulated world made (a host's `IDENTITY_HEADER`, an Arc key its
//! agent wrote, a token minted with the demo key) are simulator state and stay in links.

use super::{EndpointState, HttpRequest};
use crate::cloud::World;
use crate::token;

/// Headers whose values are credentials (compared case-insensitively).
pub const CREDENTIAL_HEADERS: [&str; 5] = [
    "authorization",
    "x-identity-header",
    "secret",
    "cookie",
    "proxy-authorization",
];

/// What replaces a withheld value in the address bar's copy of a request.
pub const WITHHELD: &str = "<withheld>";

/// The request text the address bar may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkText {
    /// The text for `req=`; `None`: keep the address bar's previous request (the text does
    /// not parse and mentions a credential header, so no safe form of it is known).
    pub text: Option<String>,
    /// Names of the headers whose values were withheld, as written in the request.
    pub withheld: Vec<String>,
}

fn is_credential_header(name: &str) -> bool {
    CREDENTIAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name.trim()))
}

/// Whether the simulated world made this credential value.
fn simulated(value: &str, world: &World, session: &EndpointState) -> bool {
    let v = value.trim();
    if world.computes.iter().any(|c| c.identity_header == v) {
        return true;
    }
    let (scheme, rest) = v.split_once(' ').unwrap_or(("", v));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") && session.arc_keys().any(|k| k == rest) {
        return true;
    }
    scheme.eq_ignore_ascii_case("bearer") && token::samples::names_demo_key(&token::read(rest, 0))
}

/// The form of a request that may go in the address bar (see the module docs): `text` itself
/// when it holds no credential the world did not make, else the request as curl with each
/// such value replaced by [`WITHHELD`]. `req` is what `text` parsed to (`None` on a parse
/// error).
pub fn link_text(
    text: &str,
    req: Option<&HttpRequest>,
    world: &World,
    session: &EndpointState,
) -> LinkText {
    let Some(req) = req else {
        let lower = text.to_ascii_lowercase();
        let risky = CREDENTIAL_HEADERS.iter().any(|h| lower.contains(h))
            || lower.contains("bearer ")
            || lower.contains("basic ");
        return LinkText {
            text: (!risky).then(|| text.to_string()),
            withheld: Vec::new(),
        };
    };
    let mut safe = req.clone();
    let mut withheld = Vec::new();
    for (name, value) in &mut safe.headers {
        if is_credential_header(name) && !simulated(value, world, session) {
            withheld.push(name.clone());
            *value = WITHHELD.to_string();
        }
    }
    if withheld.is_empty() {
        return LinkText {
            text: Some(text.to_string()),
            withheld,
        };
    }
    LinkText {
        text: Some(super::codegen::to_curl(&safe)),
        withheld,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::EPOCH;
    use crate::endpoint::parse::parse_any;

    fn world() -> World {
        World::default_scenario(EPOCH)
    }

    fn link(text: &str, host: &str) -> LinkText {
        let w = world();
        let env = crate::endpoint::hosts::host_endpoint(w.compute(host).unwrap()).env;
        let req = parse_any(text, &env).ok();
        link_text(text, req.as_ref(), &w, &EndpointState::new())
    }

    #[test]
    fn the_worlds_own_values_stay_in_links() {
        let imds = "curl -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'";
        assert_eq!(link(imds, "vm-web").text.as_deref(), Some(imds));
        let app = "curl -H \"X-IDENTITY-HEADER: $IDENTITY_HEADER\" \"$IDENTITY_ENDPOINT?resource=https://vault.azure.net&api-version=2019-08-01\"";
        let l = link(app, "app-shop");
        assert_eq!((l.text.as_deref(), l.withheld.len()), (Some(app), 0));
        let demo = crate::token::samples::SAMPLES[0].1;
        let kv = format!("curl -H 'Authorization: Bearer {demo}' https://kv-contoso-demo.vault.azure.net/secrets/db?api-version=7.4");
        assert_eq!(link(&kv, "vm-web").text, Some(kv));
    }

    #[test]
    fn pasted_secrets_are_withheld() {
        let secret = "853b8b1c-real-secret-from-my-app-service";
        let app = format!("curl -H 'X-IDENTITY-HEADER: {secret}' 'http://localhost:4141/MSI/token?resource=https://vault.azure.net&api-version=2019-08-01'");
        let l = link(&app, "app-shop");
        assert_eq!(l.withheld, ["X-IDENTITY-HEADER"]);
        let text = l.text.unwrap();
        assert!(!text.contains(secret), "{text}");
        assert!(text.contains("X-IDENTITY-HEADER: <withheld>"), "{text}");
        // What is left still parses, to the same request but the secret.
        assert!(parse_any(&text, &[]).is_ok());

        let real = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6InJlYWwifQ.eyJhdWQiOiJ4In0.c2ln";
        let kv = format!("GET /secrets/db?api-version=7.4 HTTP/1.1\nHost: kv.vault.azure.net\nAuthorization: Bearer {real}\n");
        let l = link(&kv, "vm-web");
        assert_eq!(l.withheld, ["Authorization"]);
        assert!(!l.text.unwrap().contains(real));
    }

    #[test]
    fn unparsable_text_with_a_credential_is_not_linked() {
        let l = link(
            "curl -H 'secret: hunter2' 'http://localhost:4141/MSI/token",
            "app-shop",
        );
        assert_eq!(l.text, None);
        let l = link("curl -H 'Metadata: true", "vm-web");
        assert_eq!(l.text.as_deref(), Some("curl -H 'Metadata: true"));
    }
}
