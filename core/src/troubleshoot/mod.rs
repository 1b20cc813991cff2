//! "What does this error mean?" (pure): paste an exception message, a log excerpt or an HTTP
//! error body from any Azure SDK, token endpoint, Entra ID or the service called, and get the
//! likely cause, the alternatives with the question that decides between them, what the text
//! names (ids, audiences, ARM ids, tokens), how to fix it and a simulator link that shows it.
//!
//! - [`CATALOGUE`]: known texts as data (stable fragments, emitter, exception class, cause,
//!   certainty, source), `&'static` only.
//! - [`explain`]: finds every catalogue entry in the text in one linear pass (no regex), ranks
//!   the matches — a service's body beats an SDK message, which beats an HTTP status, which
//!   beats a wrapper that only says "unavailable"; among equals the longer match wins — and
//!   lets an unambiguous match settle an ambiguous one ("Identity not found" plus Go's
//!   "the requested identity isn't assigned" means a selector was sent).
//! - [`Explanation::fix`]: the cause's commands with the values the text named filled in;
//!   [`reproduce`]: the deep link.
//!
//! UI use: `explain(&pasted)`; show `top` (its [`Cause::id`] as `data-cause`), its
//! explanation, fix and reproduction, then `candidates` with their `check`, then `extracted`.

mod catalogue;
mod causes;
#[cfg(test)]
mod coverage;
#[cfg(test)]
mod coverage_sources;
mod extract;
mod repro;
mod scan;
#[cfg(test)]
mod tests;

pub use catalogue::{Entry, Layer, Origin, CATALOGUE};
pub use causes::Cause;
pub use extract::{Assertion, Extracted, MAX_ITEMS};
pub use repro::{reproduce, Reproduce};

use crate::arm::ArmId;

/// Texts longer than this are read up to here (4 MiB; the scan is linear, this bounds memory).
pub const MAX_INPUT: usize = 4 << 20;

/// Another cause the text may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub cause: Cause,
    /// Why it is a candidate.
    pub why: String,
    /// What to check to decide.
    pub check: &'static str,
}

/// What a pasted text means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The most likely cause; [`Cause::Unknown`] when nothing (or only a wrapper) matched.
    pub top: Cause,
    /// The other causes worth checking, most likely first.
    pub candidates: Vec<Candidate>,
    /// Ids of the catalogue entries found, best first.
    pub matched: Vec<&'static str>,
    /// The entry that gave `top` (`None` for [`Cause::Unknown`]).
    pub decided_by: Option<&'static str>,
    pub extracted: Extracted,
    /// The text is (mostly) a token: offer the decoder.
    pub is_token: bool,
    /// The text was longer than [`MAX_INPUT`]; only its start was read.
    pub truncated: bool,
}

/// The catalogue entry with this id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.id == id)
}

/// A few texts to try (for the page's example buttons).
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "Python: no identity",
        "azure.identity._exceptions.CredentialUnavailableError: ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint. Token request error: (invalid_request) Identity not found",
    ),
    (
        "Key Vault: 403",
        "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Caller is not authorized to perform action on resource.\\r\\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\\r\\nCaller: appid=5e1f8c2a-7b3d-4c9e-a1f0-6d2b8e4c9a71;oid=9c2d7e4f-1a3b-4d5c-8e6f-0a1b2c3d4e5f;iss=https://sts.windows.net/72f3a1b4-8c5d-4e6f-9a0b-1c2d3e4f5a6b/\\r\\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\\r\\nResource: '/subscriptions/2b7e9c41-5d3a-4f8e-b6c2-9a1d0e3f7b58/resourcegroups/rg-orders/providers/microsoft.keyvault/vaults/kv-orders/secrets/db-password'\\r\\nAssignment: (not found)\\r\\nDenyAssignmentId: null\\r\\nDecisionReason: 'DeniedWithNoValidRBAC' \\r\\nVault: kv-orders;location=eastus\\r\\n\",\"innererror\":{\"code\":\"ForbiddenByRbac\"}}}",
    ),
    (
        "AKS: federated credential",
        "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://oidc.prod-aks.azure.com/4e1c7a2b-9d3f-4b6e-8a5c-2f0d1b3e7c94/'. Assertion Subject: 'system:serviceaccount:orders:orders-api'. Assertion Audience: 'api://AzureADTokenExchange'.",
    ),
];

/// The rank of a match: real causes before wrappers that say nothing, then the layer, then
/// the length matched.
fn rank(e: &Entry) -> (bool, Layer, usize) {
    (
        e.cause != Cause::Unknown,
        e.layer,
        e.all.iter().map(|f| f.len()).sum(),
    )
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Explains `text` (see the module docs). Never panics; linear in the text.
pub fn explain(text: &str) -> Explanation {
    let truncated = text.len() > MAX_INPUT;
    let text = head(text, MAX_INPUT);
    let found = scan::find(CATALOGUE, &scan::normalize(text));
    let mut matched: Vec<&'static Entry> = Vec::new();
    let mut at = 0;
    for e in CATALOGUE {
        let n = e.all.len();
        if found.get(at..at + n).is_some_and(|f| f.iter().all(|x| *x)) {
            matched.push(e);
        }
        at += n;
    }
    // Stable: among equal ranks the catalogue order holds.
    matched.sort_by_key(|e| std::cmp::Reverse(rank(e)));
    let extracted = extract::extract(text);
    let is_token = is_mostly_token(text, &extracted);

    let mut top = Cause::Unknown;
    let mut decided_by = None;
    let mut candidates: Vec<Candidate> = Vec::new();
    if let Some(best) = matched.first().filter(|e| e.cause != Cause::Unknown) {
        top = best.cause;
        decided_by = Some(best.id);
        let group: Vec<Cause> = std::iter::once(best.cause)
            .chain(best.alternatives.iter().copied())
            .collect();
        let mut settled = group.len() == 1;
        if !settled {
            // Another match that is sure, and is one of the group, settles it.
            if let Some(d) = matched.iter().find(|e| {
                e.layer > Layer::Wrapper && e.alternatives.is_empty() && group.contains(&e.cause)
            }) {
                top = d.cause;
                decided_by = Some(d.id);
                settled = true;
            } else if group.contains(&Cause::IdentityNotFound) && !extracted.selectors.is_empty() {
                top = Cause::IdentityNotFound;
            }
        }
        if !settled {
            for c in group.iter().copied().filter(|c| *c != top) {
                let mut why = causes::ambiguity(top, c).to_string();
                if top == Cause::IdentityNotFound && c == Cause::NoIdentity {
                    why.push_str(&format!(
                        " The text shows a selector ({}), so the identity it names was not found.",
                        extracted.selectors.join(", ")
                    ));
                }
                candidates.push(Candidate {
                    cause: c,
                    why,
                    check: c.check(),
                });
            }
        }
    }
    // Other matches with other causes, best first (wrappers only beside other wrappers).
    let best_layer = matched.first().map_or(Layer::Wrapper, |e| e.layer);
    for e in &matched {
        if e.cause == top
            || (e.layer == Layer::Wrapper && best_layer > Layer::Wrapper)
            || e.cause == Cause::Unknown
            || e.alternatives.contains(&top)
            || candidates.iter().any(|c| c.cause == e.cause)
            || candidates.len() >= 4
        {
            continue;
        }
        candidates.push(Candidate {
            cause: e.cause,
            why: format!(
                "The text also matches {} (\"{}\"), which usually means this.",
                e.emitter,
                e.all.first().copied().unwrap_or_default()
            ),
            check: e.cause.check(),
        });
    }
    Explanation {
        top,
        candidates,
        matched: matched.iter().map(|e| e.id).collect(),
        decided_by,
        extracted,
        is_token,
        truncated,
    }
}

/// A JWT that decodes and makes up most of the text (a token, `Bearer …`, a token response).
fn is_mostly_token(text: &str, ex: &Extracted) -> bool {
    let Some(t) = ex.tokens.iter().max_by_key(|t| t.len()) else {
        return false;
    };
    let trimmed = text.trim().len();
    t.len() * 10 >= trimmed * 6 && crate::token::read(t, 0).payload_claims().is_some()
}

/// A value safe to put into a shell command: no quoting, substitution or separators.
fn shell_safe(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 512
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./:@".contains(&c))
}

impl Explanation {
    /// The matched entries, best first.
    pub fn entries(&self) -> impl Iterator<Item = &'static Entry> + '_ {
        self.matched.iter().filter_map(|id| entry(id))
    }

    /// The entry that gave [`Explanation::top`].
    pub fn top_entry(&self) -> Option<&'static Entry> {
        self.decided_by.and_then(entry)
    }

    /// A service's answer that is recognised and is no identity problem (a secret or blob
    /// that does not exist, a SQL server not reached), when nothing else matched.
    pub fn not_identity(&self) -> Option<&'static Entry> {
        if self.top != Cause::Unknown {
            return None;
        }
        self.entries()
            .find(|e| e.cause == Cause::Unknown && e.layer == Layer::Body)
    }

    /// What to paste instead, when the cause is [`Cause::Unknown`].
    pub fn suggestion(&self) -> String {
        if let Some(b) = self.not_identity() {
            return format!(
                "This is {}'s answer, and it is no identity problem: {}",
                b.emitter,
                causes::not_identity(b.id)
            );
        }
        if let Some(w) = self.entries().find(|e| e.cause == Cause::Unknown) {
            return format!(
                "This is {}'s summary, and nothing inside it is a managed-identity error the playground knows. Paste the whole message: the ManagedIdentityCredential line (or the inner exception) says why managed identity failed; if there is none, managed identity was not tried.",
                w.emitter
            );
        }
        if self.is_token {
            return "This is a token, not an error: open it in the decoder to see which identity it names and for which audience.".to_string();
        }
        "Nothing here matches a known managed-identity error. Paste the whole exception message with its inner exception, or the token request's HTTP response (status line and body), or the log lines around the failure.".to_string()
    }

    /// The fix for [`Explanation::top`]: its commands, with the ids, names and resources the
    /// text gave filled in (only values that are safe in a shell command).
    pub fn fix(&self) -> String {
        fill(causes::Cause::fix_template(self.top), &self.values())
    }

    /// The fix of another cause (a candidate), filled in the same way.
    pub fn fix_for(&self, cause: Cause) -> String {
        fill(cause.fix_template(), &self.values())
    }

    /// Placeholder → value, from what the text named.
    fn values(&self) -> Vec<(&'static str, String)> {
        let x = &self.extracted;
        let mut v: Vec<(&'static str, String)> = Vec::new();
        let ids: Vec<ArmId> = x
            .resource_ids
            .iter()
            .filter_map(|s| ArmId::parse(s).ok())
            .collect();
        let of_type = |provider: &str, ty: &str| {
            x.resource_ids.iter().zip(&ids).find(|(_, a)| {
                a.provider
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case(provider))
                    && a.resource_type.as_deref().is_some_and(|t| {
                        t.eq_ignore_ascii_case(ty)
                            || t.to_ascii_lowercase()
                                .starts_with(&format!("{}/", ty.to_ascii_lowercase()))
                    })
            })
        };
        if let Some(a) = ids.iter().find(|a| a.resource_group.is_some()) {
            v.push(("<rg>", a.resource_group.clone().unwrap_or_default()));
        }
        let name_of = |a: &ArmId| {
            a.name
                .as_deref()
                .and_then(|n| n.split('/').next())
                .unwrap_or_default()
                .to_string()
        };
        if let Some((_, a)) = of_type("Microsoft.Compute", "virtualMachines") {
            v.push(("<vm>", name_of(a)));
        }
        if let Some((_, a)) = of_type("Microsoft.Web", "sites") {
            v.push(("<app>", name_of(a)));
        }
        if let Some((s, a)) = of_type("Microsoft.ManagedIdentity", "userAssignedIdentities") {
            v.push(("<uami>", name_of(a)));
            v.push(("<uami-resource-id>", s.clone()));
        }
        if let Some((s, a)) = of_type("Microsoft.KeyVault", "vaults") {
            let name = name_of(a);
            v.push(("<vault>", name.clone()));
            let cut = s
                .to_ascii_lowercase()
                .find(&format!("/vaults/{}", name.to_ascii_lowercase()))
                .map(|p| p + "/vaults/".len() + name.len())
                .unwrap_or(s.len());
            v.push(("<vault-resource-id>", s.get(..cut).unwrap_or(s).to_string()));
        }
        // The RBAC scope: the first id that is not a host or an identity, without child paths.
        if let Some(s) = x.resource_ids.iter().zip(&ids).find_map(|(s, a)| {
            let p = a
                .provider
                .as_deref()
                .unwrap_or_default()
                .to_ascii_lowercase();
            (!matches!(
                p.as_str(),
                "microsoft.compute" | "microsoft.web" | "microsoft.managedidentity"
            ))
            .then_some(s)
        }) {
            let lower = s.to_ascii_lowercase();
            let cut = ["/secrets/", "/keys/", "/certificates/", "/blobservices/"]
                .iter()
                .filter_map(|c| lower.find(c))
                .min()
                .unwrap_or(s.len());
            v.push(("<scope>", s.get(..cut).unwrap_or(s).to_string()));
        }
        if let Some(o) = x.object_ids.first() {
            v.push(("<principal-id>", o.clone()));
        }
        let selector_client = x.selectors.iter().find_map(|s| {
            let (k, val) = s.split_once('=')?;
            k.to_ascii_lowercase()
                .ends_with("client_id")
                .then(|| val.to_string())
        });
        if let Some(c) = x.client_ids.first().cloned().or(selector_client) {
            v.push(("<client-id>", c));
        }
        if let Some(r) = x.resources.first() {
            v.push(("<resource>", r.clone()));
        }
        let role = x
            .roles
            .iter()
            .find(|r| !r.contains('/'))
            .cloned()
            .or_else(|| {
                let actions = x.roles.join(" ").to_ascii_lowercase();
                if actions.contains("keyvault/vaults/secrets") {
                    Some("Key Vault Secrets User".to_string())
                } else if actions.contains("keyvault/vaults/keys") {
                    Some("Key Vault Crypto User".to_string())
                } else if actions.contains("storage/storageaccounts/blobservices")
                    || self.matched.contains(&"storage-permission-mismatch")
                {
                    Some("Storage Blob Data Reader".to_string())
                } else if self.matched.contains(&"kv-forbidden-by-rbac") {
                    Some("Key Vault Secrets User".to_string())
                } else {
                    None
                }
            });
        if let Some(r) = role {
            v.push(("<role>", r));
        }
        let a = &x.assertion;
        if let Some(i) = &a.issuer {
            v.push(("<issuer>", i.clone()));
        }
        if let Some(s) = &a.subject {
            v.push(("<subject>", s.clone()));
            if let Some(rest) = s.strip_prefix("system:serviceaccount:") {
                if let Some((ns, sa)) = rest.split_once(':') {
                    v.push(("<namespace>", ns.to_string()));
                    v.push(("<serviceaccount>", sa.to_string()));
                }
            }
        }
        v
    }
}

/// Replaces each `<placeholder>` with its value when the value is shell-safe (role names,
/// which the catalogue chose, may hold spaces: they sit in quotes in the templates).
fn fill(template: &str, values: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (k, val) in values {
        let ok = if *k == "<role>" {
            val.bytes().all(|c| c.is_ascii_alphanumeric() || c == b' ')
        } else {
            shell_safe(val)
        };
        if ok {
            out = out.replace(k, val);
        }
    }
    out
}
