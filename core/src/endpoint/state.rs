//! What every endpoint shares: the simulator's state across requests (token cache, counters,
//! faults, Arc challenges), the result of one exchange, explanatory notes, identity selection
//! and the audience check.

use super::http::{HttpRequest, HttpResponse};
use super::mint::{self, MintedToken};
use crate::cloud::ids::{self, Stream};
use crate::cloud::{Compute, ManagedIdentity, World};
use crate::text::Text;

/// How sure the simulator is about a behaviour (managed-identity.md tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Microsoft documentation or REST spec.
    Documented,
    /// A real captured response or token.
    Seen,
    /// Read in Azure SDK / MSAL source.
    Sdk,
    /// Replayed against the real client: core/conformance serves the simulator's bytes to it on
    /// loopback and checks that it did exactly this (class, message, retries and their waits).
    Tested,
    /// An inference nobody has confirmed: the UI should say it is uncertain.
    Guess,
}

impl Certainty {
    pub fn tag(self) -> &'static str {
        match self {
            Certainty::Documented => "doc",
            Certainty::Seen => "seen",
            Certainty::Sdk => "sdk",
            Certainty::Tested => "run",
            Certainty::Guess => "guess",
        }
    }

    /// What the tag means, for people.
    pub fn meaning(self) -> &'static str {
        match self {
            Certainty::Documented => "Microsoft documentation or REST spec",
            Certainty::Seen => "seen in a real response or token",
            Certainty::Sdk => "read in Azure SDK / MSAL source",
            Certainty::Tested => "replayed against the real client library",
            Certainty::Guess => "a guess nobody has confirmed",
        }
    }
}

/// One explanatory line for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub certainty: Certainty,
    pub text: String,
}

pub(crate) fn note(certainty: Certainty, text: impl Text) -> Note {
    Note {
        certainty,
        text: text.text(),
    }
}

/// Fault injection switches for the token endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// IMDS is being updated: answer 410 Gone (back within 70 s).
    pub updating: bool,
    /// Enforce the 20 requests/s limit (per simulated second): excess gets 429.
    pub rate_limit: bool,
    /// The identity subsystem fails: 500.
    pub server_error: bool,
}

/// The rule that decided an exchange, recorded where it applied, so a page can say in one line
/// who answered and why ([`super::summary::one_line`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Why {
    /// Not recorded (e.g. a target's data plane answered).
    #[default]
    Unknown,
    /// An identity answered, chosen by the selector `(parameter, value)`, or by the endpoint's
    /// rule for requests without one (`None`).
    Chosen(Option<(String, String)>),
    /// The selector `(parameter, value)` names no identity of the host; `None`: no selector
    /// and the host has no identity that could answer.
    NotFound(Option<(String, String)>),
    /// IMDS: no selector, no system-assigned identity, several user-assigned ones.
    Ambiguous,
    /// App Service: no selector, so the system-assigned identity — which the app lacks.
    NoSystemIdentity,
    /// Arc: the first request is challenged with a key file (401).
    Challenge,
    /// A passing failure the client should retry (410, 429, 500), in a few words.
    Retry(&'static str),
    /// Anything else, in a few words.
    Said(&'static str),
    /// Nothing answered, in a few words.
    Unreachable(String),
}

/// The first identity selector the request carries among `names`, as (parameter, value).
pub(crate) fn sent_selector(req: &HttpRequest, names: &[&str]) -> Option<(String, String)> {
    req.url
        .query
        .iter()
        .find(|(n, _)| names.contains(&n.as_str()))
        .cloned()
}

/// The result of sending one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The response, or `None` when nothing answered (see `connection_error`).
    pub response: Option<HttpResponse>,
    /// What the client sees when no HTTP answer comes (e.g. IMDS outside a VM).
    pub connection_error: Option<String>,
    /// Which identity answered, when one did.
    pub identity: Option<ManagedIdentity>,
    /// The token in the response, if any.
    pub token: Option<MintedToken>,
    /// True when the token came from the endpoint's cache.
    pub from_cache: bool,
    /// Step-by-step explanation, each line tagged with its certainty.
    pub notes: Vec<Note>,
    /// The rule that decided the answer.
    pub why: Why,
}

impl Exchange {
    pub(crate) fn response(response: HttpResponse, notes: Vec<Note>) -> Exchange {
        Exchange {
            response: Some(response),
            connection_error: None,
            identity: None,
            token: None,
            from_cache: false,
            notes,
            why: Why::Unknown,
        }
    }

    pub(crate) fn no_connection(message: String, notes: Vec<Note>) -> Exchange {
        Exchange {
            response: None,
            connection_error: Some(message),
            identity: None,
            token: None,
            from_cache: false,
            notes,
            why: Why::Unknown,
        }
    }

    /// The same exchange, decided by `why`.
    pub(crate) fn because(mut self, why: Why) -> Exchange {
        self.why = why;
        self
    }

    /// Where the token's value sits in [`Exchange::wire`] (byte range), to fold it on screen.
    pub fn token_span(&self) -> Option<std::ops::Range<usize>> {
        let jwt = &self.token.as_ref()?.jwt;
        let start = self.response.as_ref()?.to_wire().find(jwt.as_str())?;
        Some(start..start + jwt.len())
    }

    /// The raw response text (or the connection error), for display.
    pub fn wire(&self) -> String {
        match (&self.response, &self.connection_error) {
            (Some(r), _) => r.to_wire(),
            (None, Some(e)) => e.clone(),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CacheEntry {
    principal_id: String,
    resource: String,
    token: MintedToken,
}

/// An Azure Arc challenge: the key file the agent wrote, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArcChallenge {
    pub host: String,
    pub path: String,
    pub contents: String,
}

/// State the endpoints keep across requests. Deterministic: the same world and the same
/// request sequence give the same responses. Keep one per page/session; it is independent of
/// world undo/replay (a cached token outlives the identity, as in Azure).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointState {
    pub faults: Faults,
    requests: u64,
    tokens: u64,
    cache: Vec<CacheEntry>,
    rate_second: u64,
    rate_count: u32,
    arc: Vec<ArcChallenge>,
}

/// Tokens with less than this left are refreshed instead of served from cache [guess].
pub const CACHE_REFRESH_MARGIN: u64 = 300;

impl EndpointState {
    pub fn new() -> EndpointState {
        EndpointState::default()
    }

    /// The next request-scoped GUID (request ids, correlation ids, trace ids).
    pub(crate) fn next_guid(&mut self, world: &World) -> String {
        let g = ids::guid(world.seed, Stream::Request, self.requests);
        self.requests += 1;
        g
    }

    /// Counts a request against the 20/s limit; true when over the limit.
    pub(crate) fn over_rate_limit(&mut self, now: u64) -> bool {
        if self.rate_second != now {
            self.rate_second = now;
            self.rate_count = 0;
        }
        self.rate_count += 1;
        self.faults.rate_limit && self.rate_count > 20
    }

    /// A token for `identity` and `resource`: from the cache while it has more than
    /// [`CACHE_REFRESH_MARGIN`] seconds left, else newly minted. Returns (token, from_cache).
    pub(crate) fn token(
        &mut self,
        world: &World,
        host: &Compute,
        identity: &ManagedIdentity,
        resource: &str,
        bypass_cache: bool,
    ) -> (MintedToken, bool) {
        let key =
            |e: &CacheEntry| e.principal_id == identity.sp.principal_id && e.resource == resource;
        if !bypass_cache {
            if let Some(e) = self.cache.iter().find(|e| key(e)) {
                if e.token.exp > world.now + CACHE_REFRESH_MARGIN && e.token.iat <= world.now {
                    return (e.token.clone(), true);
                }
            }
        }
        let t = mint::mint(world, host, identity, resource, self.tokens);
        self.tokens += 1;
        self.cache.retain(|e| !key(e));
        self.cache.push(CacheEntry {
            principal_id: identity.sp.principal_id.clone(),
            resource: resource.to_string(),
            token: t.clone(),
        });
        (t, false)
    }

    /// The index of the next token a source other than the world's endpoints mints (the
    /// workload identity exchange): tokens stay distinct from the endpoints' ones.
    pub(crate) fn next_exchange(&mut self) -> u64 {
        self.tokens += 1;
        self.tokens - 1
    }

    /// Forgets all cached tokens.
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }

    pub(crate) fn new_arc_challenge(&mut self, world: &World, host: &str) -> ArcChallenge {
        let n = self.arc.len() as u64;
        let name = ids::guid(world.seed, Stream::ArcKey, 2 * n);
        let contents: String = ids::bytes(world.seed, Stream::ArcKey, 2 * n + 1, 32)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let c = ArcChallenge {
            host: host.to_string(),
            path: format!("/var/opt/azcmagent/tokens/{name}.key"),
            contents,
        };
        self.arc.push(c.clone());
        c
    }

    /// The contents of an Arc key file (what `sudo cat <path>` shows), if the agent wrote it.
    pub fn arc_key_file(&self, path: &str) -> Option<&str> {
        self.arc
            .iter()
            .find(|c| c.path == path)
            .map(|c| c.contents.as_str())
    }

    /// The contents of every Arc key file the simulated agent wrote in this session.
    pub fn arc_keys(&self) -> impl Iterator<Item = &str> {
        self.arc.iter().map(|c| c.contents.as_str())
    }

    /// The most recent Arc challenge for `host`.
    pub(crate) fn latest_arc(&self, host: &str) -> Option<&ArcChallenge> {
        self.arc.iter().rev().find(|c| c.host == host)
    }
}

/// Identity selectors found in a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selectors {
    pub client_id: Option<String>,
    pub object_id: Option<String>,
    pub resource_id: Option<String>,
}

impl Selectors {
    pub fn count(&self) -> usize {
        [&self.client_id, &self.object_id, &self.resource_id]
            .iter()
            .filter(|s| s.is_some())
            .count()
    }
}

/// The documented outcomes of identity selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// One identity answers; `quirk` explains an uncertain rule that applied.
    Identity {
        identity: Box<ManagedIdentity>,
        quirk: Option<String>,
    },
    /// 400 "Identity not found".
    NotFound,
    /// 400 "Multiple user assigned identities exist…" (IMDS) / "Unable to load…" (App Service).
    Ambiguous,
}

fn matches(identity: &ManagedIdentity, s: &Selectors) -> bool {
    let c = s
        .client_id
        .as_deref()
        .is_none_or(|v| v.eq_ignore_ascii_case(&identity.sp.client_id));
    let o = s
        .object_id
        .as_deref()
        .is_none_or(|v| v.eq_ignore_ascii_case(&identity.sp.principal_id));
    let r = s
        .resource_id
        .as_deref()
        .is_none_or(|v| crate::arm::same_arm_id(v, &identity.arm_id.to_arm_string()));
    c && o && r
}

/// Which identity answers (managed-identity.md §1 table). `identities` is the host's list,
/// system-assigned first. `no_selector_defaults_to_system_only` is App Service's rule (no
/// selector → the system-assigned identity, which may not exist).
pub fn select(
    identities: &[ManagedIdentity],
    s: &Selectors,
    no_selector_defaults_to_system_only: bool,
) -> Selection {
    if s.count() == 0 {
        let system = identities.iter().find(|i| i.is_system_assigned());
        let users: Vec<&ManagedIdentity> = identities
            .iter()
            .filter(|i| !i.is_system_assigned())
            .collect();
        return match (system, users.len()) {
            (Some(sys), n) => Selection::Identity {
                identity: Box::new(sys.clone()),
                quirk: (n == 1 && !no_selector_defaults_to_system_only).then(|| {
                    "With the system-assigned identity on and exactly one user-assigned identity, a user-assigned token has been reported (SDK comment); the simulator follows the documentation and answers with the system-assigned identity.".to_string()
                }),
            },
            (None, _) if no_selector_defaults_to_system_only => Selection::NotFound,
            (None, 0) => Selection::NotFound,
            (None, 1) => match users.first() {
                Some(u) => Selection::Identity {
                    identity: Box::new((*u).clone()),
                    quirk: None,
                },
                None => Selection::NotFound,
            },
            (None, _) => Selection::Ambiguous,
        };
    }
    let found: Vec<&ManagedIdentity> = identities.iter().filter(|i| matches(i, s)).collect();
    // Selectors name user-assigned identities; IMDS also answers a selector naming the
    // system-assigned identity's client/object id [guess], so all are searched.
    match found.first() {
        Some(i) => Selection::Identity {
            identity: Box::new((*i).clone()),
            quirk: (s.count() > 1).then(|| {
                "Several selectors were sent. The documentation says they are mutually exclusive; the simulator answers when they all name the same identity and says 'Identity not found' otherwise (uncertain).".to_string()
            }),
        },
        None => Selection::NotFound,
    }
}

/// Microsoft first-party audiences the simulated tenant knows.
pub const KNOWN_RESOURCES: &[&str] = &[
    "https://management.azure.com",
    "https://management.core.windows.net",
    "https://vault.azure.net",
    "https://storage.azure.com",
    "https://database.windows.net",
    "https://graph.microsoft.com",
    "https://ossrdbms-aad.database.windows.net",
    "https://eventhubs.azure.net",
    "https://servicebus.azure.net",
    "https://cognitiveservices.azure.com",
    "https://monitor.azure.com",
    "https://api.loganalytics.io",
    "https://appconfig.azure.com",
    "https://redis.azure.com",
    "https://search.azure.com",
    "https://eventgrid.azure.net",
];

/// Whether Entra would issue a token for `resource` (with or without a trailing slash;
/// `https://<account>.blob.core.windows.net` too). A scope such as `…/.default` is not a resource.
pub fn resource_known(resource: &str) -> bool {
    let r = resource.trim_end_matches('/').to_ascii_lowercase();
    if KNOWN_RESOURCES.iter().any(|k| *k == r) {
        return true;
    }
    r.strip_prefix("https://")
        .and_then(|h| h.strip_suffix(".blob.core.windows.net"))
        .is_some_and(|acct| !acct.is_empty() && acct.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The AADSTS500011 description, with `\r\n` separators.
pub fn aadsts500011(world: &World, resource: &str, trace: &str, correlation: &str) -> String {
    format!(
        "AADSTS500011: The resource principal named {resource} was not found in the tenant named {}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {}",
        world.tenant.display_name,
        crate::cloud::time::entra_timestamp(world.now)
    )
}
