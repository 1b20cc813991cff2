//! Sample tokens for the decoder's "Sample" buttons: a system-assigned and a user-assigned
//! token that the simulator mints for the default scenario's VM (Azure Resource Manager
//! audience), signed with the playground's public demo key.
//!
//! They are stored here rather than minted on the page so the decoder does not pull the whole
//! simulator into its code; `core/tests/samples.rs` checks they equal the simulator's output.

pub const SAMPLES: &[(&str, &str)] = &[
    (
        "system-assigned",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6IkUxdzduTG9EVHJ6bWNGaWtqVjMta25zUHlJWSIsImtpZCI6IkUxdzduTG9EVHJ6bWNGaWtqVjMta25zUHlJWSJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyIsImlzcyI6Imh0dHBzOi8vc3RzLndpbmRvd3MubmV0LzM3MzY0YjE1LWQ4NDUtNDU5Yi1iZGFjLTViNDkwMWE3MjY0Ni8iLCJpYXQiOjE3NjQ1NDY5MDAsIm5iZiI6MTc2NDU0NjkwMCwiZXhwIjoxNzY0NjMzNjAwLCJhaW8iOiJQbUczNzNsYzluQ3JHNTdnU0xtbFdCUDExZklBQUE9PSIsImFwcGlkIjoiN2JjNGQxMDEtYzc4My00YWM4LTgyYmItOWQ1NTJmNjBkMzFhIiwiYXBwaWRhY3IiOiIyIiwiaWRwIjoiaHR0cHM6Ly9zdHMud2luZG93cy5uZXQvMzczNjRiMTUtZDg0NS00NTliLWJkYWMtNWI0OTAxYTcyNjQ2LyIsImlkdHlwIjoiYXBwIiwib2lkIjoiNzZlMTJhMWEtZjBmOC00NzMwLWE5OWMtM2E4ZWMyMTVjMTJhIiwicmgiOiIwLkFENkJ4aV8yX0tGdjY3UzhheHdFS0tuUFNNYkkzVTlPa0FBQUEuIiwic3ViIjoiNzZlMTJhMWEtZjBmOC00NzMwLWE5OWMtM2E4ZWMyMTVjMTJhIiwidGlkIjoiMzczNjRiMTUtZDg0NS00NTliLWJkYWMtNWI0OTAxYTcyNjQ2IiwidXRpIjoiMWFIRHVoYnpBNDZWdUhET09NalNZdyIsInZlciI6IjEuMCIsInhtc19pZHJlbCI6IjcgMzAiLCJ4bXNfbWlyaWQiOiIvc3Vic2NyaXB0aW9ucy9kZjJhNmI3Ni0yZTA3LTQ3OGEtYWFjOC1mYTcxOWNlZjE0MWUvcmVzb3VyY2Vncm91cHMvcmctcGxheWdyb3VuZC9wcm92aWRlcnMvTWljcm9zb2Z0LkNvbXB1dGUvdmlydHVhbE1hY2hpbmVzL3ZtLXdlYiIsInhtc190Y2R0IjoxNTI3MTg4NzU0fQ.ksW-mrgYTdgIesdiydm1ixi3Zws3mMR5JUAHdA0HdIrRwNeyjTk_8csTzadLbJYpsRY0cBdcw5GYI4SttVIxorP3xYEGPD8jd62DvrO9pa0Lgm27rvKmGalSqjqpzOAzhUqAgvkUHfs3e0gun61_iwj3litypwMc07aArPLezDFO7eKYnps3JRD19fwUyrkIcAXaeXIoVHQlz-ddBzJmEzAYN3xvX6fY1sE5YNVuSv9Ik-oAfg8_qGM496fqDVwy_uHOHtzUWLqxyskDFcXAkKn7yRyUtrLkuMgi9wAXT3ZIzkeUOB7GXKf_MobbazeRjeIXNzl6Q5XckTNYQLeIKw",
    ),
    (
        "user-assigned",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6IkUxdzduTG9EVHJ6bWNGaWtqVjMta25zUHlJWSIsImtpZCI6IkUxdzduTG9EVHJ6bWNGaWtqVjMta25zUHlJWSJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyIsImlzcyI6Imh0dHBzOi8vc3RzLndpbmRvd3MubmV0LzM3MzY0YjE1LWQ4NDUtNDU5Yi1iZGFjLTViNDkwMWE3MjY0Ni8iLCJpYXQiOjE3NjQ1NDY5MDAsIm5iZiI6MTc2NDU0NjkwMCwiZXhwIjoxNzY0NjMzNjAwLCJhaW8iOiJNM1BrUFEvUTJhc1R4L1ZrZmNFSmNzVDRyQ29BQUE9PSIsImFwcGlkIjoiNTI5MjFjM2EtZDU5Yi00MTRmLTkxNTctN2E4MDgyMDNlYThmIiwiYXBwaWRhY3IiOiIyIiwiaWRwIjoiaHR0cHM6Ly9zdHMud2luZG93cy5uZXQvMzczNjRiMTUtZDg0NS00NTliLWJkYWMtNWI0OTAxYTcyNjQ2LyIsImlkdHlwIjoiYXBwIiwib2lkIjoiOGVhYWZjNWItMDE0Zi00MGE3LWI2YjgtNDBkZjYyZjIwODE1IiwicmgiOiIwLkFEeTFvTW56RUpTV3VnNzBXYnl0VE0tcW5neUNxeTVxNUFBQUEuIiwic3ViIjoiOGVhYWZjNWItMDE0Zi00MGE3LWI2YjgtNDBkZjYyZjIwODE1IiwidGlkIjoiMzczNjRiMTUtZDg0NS00NTliLWJkYWMtNWI0OTAxYTcyNjQ2IiwidXRpIjoiSkRtWHVSa2o0NkMyMmctUmJXX3I3ZyIsInZlciI6IjEuMCIsInhtc19hel9yaWQiOiIvc3Vic2NyaXB0aW9ucy9kZjJhNmI3Ni0yZTA3LTQ3OGEtYWFjOC1mYTcxOWNlZjE0MWUvcmVzb3VyY2Vncm91cHMvcmctcGxheWdyb3VuZC9wcm92aWRlcnMvTWljcm9zb2Z0LkNvbXB1dGUvdmlydHVhbE1hY2hpbmVzL3ZtLXdlYiIsInhtc19pZHJlbCI6IjcgMjciLCJ4bXNfbWlyaWQiOiIvc3Vic2NyaXB0aW9ucy9kZjJhNmI3Ni0yZTA3LTQ3OGEtYWFjOC1mYTcxOWNlZjE0MWUvcmVzb3VyY2Vncm91cHMvcmctcGxheWdyb3VuZC9wcm92aWRlcnMvTWljcm9zb2Z0Lk1hbmFnZWRJZGVudGl0eS91c2VyQXNzaWduZWRJZGVudGl0aWVzL2lkLW9yZGVycyIsInhtc190Y2R0IjoxNTI3MTg4NzU0fQ.FE1clemosdcUVpMkNzgb9csTDZTqN5VyOxO3cFdT0GxFdaRzxhiEFBAwngGQOKeua45kk63os58ih5XbGSwdDmAPYz809OyZ33SQE89LrSxCVlOHJnuJ8T7ybOt9zyQ6_Xv1q8hmtGpN3oCAnhJ8_TmoXCDtvnHqcBg05vL2m0LM9FAYs3174sfUc_tWwW9ANeRxn5q1HFcinpjRR6tfIGWncBf8-3sT8cq3SckNUnPC_aK9r2dliihohTOOliPYw-cij3EDlIW0MTFS7Ry-EHVbmjetGaJBqTkQGlEFWfAoORGeqqEHriBQJMjZ3ZI3tDz4S2NrpsJsP10MGEVPVw",
    ),
];

/// The `kid` (and `x5t`) of the playground's public demo signing key (`static/demo-jwks.json`;
/// `core/tests/samples.rs` checks it is the simulator's key).
pub const DEMO_KID: &str = "E1w7nLoDTrzmcFikjV3-knsPyIY";

/// Whether a token's header names the playground's demo key, i.e. the simulator minted it.
/// Such a token is a credential nowhere: no Azure service trusts that key, and a real token
/// whose header is edited to name it no longer verifies. So it may live in links, while any
/// other token stays out of the address bar unless the user asks for a share link.
pub fn names_demo_key(reading: &super::Reading) -> bool {
    reading
        .header_claims()
        .and_then(|h| h.get("kid"))
        .and_then(serde_json::Value::as_str)
        == Some(DEMO_KID)
}

/// What a decoded input may put in a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPolicy {
    /// Nothing to link (empty input, or no token found).
    Nothing,
    /// One of the built-in samples: `sample=<label>` in the fragment.
    Sample(&'static str),
    /// Minted with the demo key: may live in the address bar like any simulator state.
    DemoToken,
    /// Anything else may be a live credential: never written to the address bar, history or
    /// storage by itself; only a share link the user asks for carries it.
    Credential,
    /// Over [`MAX_TOKEN_IN_LINK`] bytes: too large for any link.
    TooLarge,
}

/// Tokens larger than this stay out of links (URLs of megabytes break browsers).
pub const MAX_TOKEN_IN_LINK: usize = 16 * 1024;

/// How a decoded input may appear in a link (see [`LinkPolicy`]).
pub fn link_policy(reading: &super::Reading) -> LinkPolicy {
    let text = reading.token_text.as_str();
    if text.is_empty() {
        return LinkPolicy::Nothing;
    }
    if text.len() > MAX_TOKEN_IN_LINK {
        return LinkPolicy::TooLarge;
    }
    if let Some((label, _)) = SAMPLES.iter().find(|(_, t)| *t == text) {
        return LinkPolicy::Sample(label);
    }
    if names_demo_key(reading) {
        LinkPolicy::DemoToken
    } else {
        LinkPolicy::Credential
    }
}

/// The sample a `sample=` value names: its label and token. Accepts `system` / `user` as
/// short forms of `system-assigned` / `user-assigned`.
pub fn sample(name: &str) -> Option<(&'static str, &'static str)> {
    let name = name.trim();
    SAMPLES
        .iter()
        .copied()
        .find(|(label, _)| *label == name || label.strip_suffix("-assigned") == Some(name))
}
