//! A deep link into the simulator that reproduces each cause: the IMDS page with a scenario
//! (action DSL), a host and a request (curl), or a step of the Flows lanes.
//!
//! The links are plain strings built without the simulator, so the troubleshooter does not
//! pull it in. The two tokens they carry were minted by the simulator with the playground's
//! public demo key (no service accepts them); the unit tests check that every link's scenario
//! parses and that sending its request reproduces the cause.

use super::Cause;
use crate::fragment::{Fragment, START_PARAM};

/// A way to see a cause happen in the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reproduce {
    /// What the link shows, e.g. "A VM with no identity asks IMDS for a token".
    pub label: &'static str,
    /// The fragment, with its leading `#`.
    pub link: String,
}

/// When the linked worlds start (2025-12-01T00:00:00Z): the tokens below were minted then.
pub const START: u64 = 1_764_547_200;

const IMDS_ARM: &str = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/";

/// The object (principal) id of `id-orders` in the default scenario: sent as a client id, it
/// names no identity.
pub(crate) const ORDERS_OBJECT_ID: &str = "8eaafc5b-014f-40a7-b6b8-40df62f20815";

/// A Key Vault token of `id-orders` from `vm-web` in the default scenario, minted at [`START`].
pub(crate) const ORDERS_VAULT_TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6IkUxdzduTG9EVHJ6bWNGaWtqVjMta25zUHlJWSIsImtpZCI6IkUxdzduTG9EVHJ6bWNGaWtqVjMta25zUHlJWSJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCIsImlzcyI6Imh0dHBzOi8vc3RzLndpbmRvd3MubmV0LzM3MzY0YjE1LWQ4NDUtNDU5Yi1iZGFjLTViNDkwMWE3MjY0Ni8iLCJpYXQiOjE3NjQ1NDY5MDAsIm5iZiI6MTc2NDU0NjkwMCwiZXhwIjoxNzY0NjMzNjAwLCJhaW8iOiJQbUczNzNsYzluQ3JHNTdnU0xtbFdCUDExZklBQUE9PSIsImFwcGlkIjoiNTI5MjFjM2EtZDU5Yi00MTRmLTkxNTctN2E4MDgyMDNlYThmIiwiYXBwaWRhY3IiOiIyIiwiaWRwIjoiaHR0cHM6Ly9zdHMud2luZG93cy5uZXQvMzczNjRiMTUtZDg0NS00NTliLWJkYWMtNWI0OTAxYTcyNjQ2LyIsImlkdHlwIjoiYXBwIiwib2lkIjoiOGVhYWZjNWItMDE0Zi00MGE3LWI2YjgtNDBkZjYyZjIwODE1IiwicmgiOiIwLkFENkJ4aV8yX0tGdjY3UzhheHdFS0tuUFNNYkkzVTlPa0FBQUEuIiwic3ViIjoiOGVhYWZjNWItMDE0Zi00MGE3LWI2YjgtNDBkZjYyZjIwODE1IiwidGlkIjoiMzczNjRiMTUtZDg0NS00NTliLWJkYWMtNWI0OTAxYTcyNjQ2IiwidXRpIjoiMWFIRHVoYnpBNDZWdUhET09NalNZdyIsInZlciI6IjEuMCIsInhtc19hel9yaWQiOiIvc3Vic2NyaXB0aW9ucy9kZjJhNmI3Ni0yZTA3LTQ3OGEtYWFjOC1mYTcxOWNlZjE0MWUvcmVzb3VyY2Vncm91cHMvcmctcGxheWdyb3VuZC9wcm92aWRlcnMvTWljcm9zb2Z0LkNvbXB1dGUvdmlydHVhbE1hY2hpbmVzL3ZtLXdlYiIsInhtc19pZHJlbCI6IjcgMzAiLCJ4bXNfbWlyaWQiOiIvc3Vic2NyaXB0aW9ucy9kZjJhNmI3Ni0yZTA3LTQ3OGEtYWFjOC1mYTcxOWNlZjE0MWUvcmVzb3VyY2Vncm91cHMvcmctcGxheWdyb3VuZC9wcm92aWRlcnMvTWljcm9zb2Z0Lk1hbmFnZWRJZGVudGl0eS91c2VyQXNzaWduZWRJZGVudGl0aWVzL2lkLW9yZGVycyIsInhtc190Y2R0IjoxNTI3MTg4NzU0fQ.tq-CSDVrh6tadcs-UMkleWOcjN1pi-6VuuqmShRv2n_91cNh9QnOxSlcexKw64Q8Ps2F2cB3dPbN6gI3cY4jNTWNtiJCY40n0QE037yIrJYKpwQlaGU32BqbJlbpvVT2hjoysg9_r9MMZUtlb3OeDUh2qtDlbmNft3MighRrTMWCWEwYMHeOc7caln4R_RsljquwsmkXKLAUOhwN8znJhp3_QJIXldPgU9XJFw93iodzkigZzhCtmQlQj43qVdSb1Al7hGy7DfpEYFpN4WM4fqerNaxJvqi7Vp90N64Cu1MzwqKdFtZ0OPHFX7H0cY5tT2eKOOTfNu3AGiQXFMOY_w";

fn imds(
    label: &'static str,
    scenario: Option<&str>,
    host: &str,
    req: &str,
    faults: &str,
) -> Reproduce {
    let mut f = Fragment {
        path: "/imds".into(),
        params: Vec::new(),
    };
    f.set("host", host);
    f.set("req", req);
    f.set("scenario", scenario.unwrap_or_default());
    f.set("faults", faults);
    f.set(START_PARAM, &START.to_string());
    Reproduce {
        label,
        link: f.to_hash(),
    }
}

fn curl_imds(query: &str, metadata: bool) -> String {
    let header = if metadata {
        "-H \"Metadata: true\" "
    } else {
        ""
    };
    format!("curl -s {header}\"{IMDS_ARM}{query}\"")
}

fn curl_vault(token: &str) -> String {
    format!("curl -s -H \"Authorization: Bearer {token}\" \"https://kv-contoso-demo.vault.azure.net/secrets/db-password?api-version=7.4\"")
}

/// An AKS pod's environment with workload identity (the webhook's variables).
pub(crate) const WORKLOAD_IDENTITY_ENV: &str = "AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/\nAZURE_CLIENT_ID=0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60\nAZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47\nAZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token\n";

/// The simulator link that reproduces `cause`, if the simulator can (it has no SQL sign-in).
pub fn reproduce(cause: Cause) -> Option<Reproduce> {
    const DEMO_VM: &str = "rg:rg-demo;c:vm:rg-demo:vm-demo";
    Some(match cause {
        Cause::NoIdentity => imds(
            "A VM without any identity asks IMDS for a token",
            Some(DEMO_VM),
            "vm-demo",
            &curl_imds("", true),
            "",
        ),
        Cause::IdentityNotFound => imds(
            "vm-web asks for id-orders, but sends its object id as client_id",
            None,
            "vm-web",
            &curl_imds(&format!("&client_id={ORDERS_OBJECT_ID}"), true),
            "",
        ),
        Cause::MultipleIdentities => imds(
            "A VM with two user-assigned identities asks without naming one",
            Some("rg:rg-demo;c:vm:rg-demo:vm-demo;id:rg-demo:id-a;id:rg-demo:id-b;ua:vm-demo:id-a;ua:vm-demo:id-b"),
            "vm-demo",
            &curl_imds("", true),
            "",
        ),
        Cause::EndpointUnreachable => imds(
            "A web app calls IMDS, which only VMs have",
            None,
            "app-shop",
            &curl_imds("", true),
            "",
        ),
        Cause::MetadataHeaderMissing => imds(
            "A request to IMDS without 'Metadata: true'",
            None,
            "vm-web",
            &curl_imds("", false),
            "",
        ),
        Cause::UnknownResource => imds(
            "A scope (…/.default) sent as the IMDS resource",
            None,
            "vm-web",
            &curl_imds(".default", true),
            "",
        ),
        Cause::WrongAudience => imds(
            "An Azure Resource Manager token sent to Key Vault",
            None,
            "vm-web",
            &curl_vault(crate::token::samples::SAMPLES[0].1),
            "",
        ),
        Cause::RbacDenied => Reproduce {
            label: "A recreated web app reads a secret its old identity was granted: 403",
            link: "#/flows?lane=system&system=8&user=1".into(),
        },
        Cause::TokenExpired => imds(
            "A Key Vault token used 25 hours after it was issued",
            Some(&format!("{};clk:90000", crate::cloud::DEFAULT_SCENARIO)),
            "vm-web",
            &curl_vault(ORDERS_VAULT_TOKEN),
            "",
        ),
        Cause::Throttled => imds(
            "A burst of token requests over IMDS's 20 per second",
            None,
            "vm-web",
            &curl_imds("", true),
            "429",
        ),
        Cause::EndpointUnavailable => imds(
            "IMDS fails to get a token from Entra: 500",
            None,
            "vm-web",
            &curl_imds("", true),
            "500",
        ),
        Cause::ArcKeyAccess => imds(
            "An Arc server's agent answers with its key-file challenge",
            Some("rg:rg-demo;c:arc:rg-demo:srv-demo"),
            "srv-demo",
            "curl -s -H \"Metadata: true\" \"http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://management.azure.com/\"",
            "",
        ),
        Cause::FederatedMismatch => {
            // The IMDS page's "Which source will my code use?" panel: the pod's token exchange
            // after the pod moved to another namespace.
            let mut f = Fragment::parse("#/imds");
            f.set("env", WORKLOAD_IDENTITY_ENV);
            f.set("sdk", "python");
            f.set("situation", "namespace-changed");
            Reproduce {
                label: "An AKS pod moved to another namespace exchanges its service-account token",
                link: f.to_hash(),
            }
        }
        Cause::SqlUserMissing | Cause::Unknown => return None,
    })
}
