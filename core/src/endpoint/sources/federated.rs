//! Federated identity credentials on a user-assigned identity: what Entra compares an
//! external token with, and the `az` command and Bicep resource that create one.

use super::Cluster;

/// The audience AKS workload identity (and most federations) use \[doc\].
pub const TOKEN_EXCHANGE_AUDIENCE: &str = "api://AzureADTokenExchange";

/// The Bicep/ARM API version of the resource type (azure-resource-manager template
/// reference, `Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials`).
pub const BICEP_API_VERSION: &str = "2023-01-31";

/// A federated identity credential (`Microsoft.ManagedIdentity/userAssignedIdentities/
/// federatedIdentityCredentials`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedCredential {
    pub name: String,
    /// The external issuer, e.g. the AKS cluster's OIDC issuer URL.
    pub issuer: String,
    /// The external subject, e.g. `system:serviceaccount:<namespace>:<name>`.
    pub subject: String,
    pub audiences: Vec<String>,
}

/// Which part of an assertion did not match a credential (the first that failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    Issuer,
    Subject,
    Audience,
}

impl FederatedCredential {
    /// The credential AKS workload identity needs for `cluster`'s service account.
    pub fn for_service_account(name: &str, cluster: &Cluster) -> FederatedCredential {
        FederatedCredential {
            name: name.to_string(),
            issuer: cluster.issuer.clone(),
            subject: subject_of(&cluster.namespace, &cluster.service_account),
            audiences: vec![TOKEN_EXCHANGE_AUDIENCE.to_string()],
        }
    }

    /// Entra's rule: issuer and subject equal exactly (case-sensitive since 2025 — the
    /// "Federated identity credentials now use case-sensitive matching" breaking change;
    /// a trailing slash counts), and one of the assertion's audiences is one of the
    /// credential's. `Ok(())` on a match, else the first part that differs.
    pub fn check(&self, issuer: &str, subject: &str, audiences: &[String]) -> Result<(), Mismatch> {
        if self.issuer != issuer {
            return Err(Mismatch::Issuer);
        }
        if self.subject != subject {
            return Err(Mismatch::Subject);
        }
        if !audiences.iter().any(|a| self.audiences.contains(a)) {
            return Err(Mismatch::Audience);
        }
        Ok(())
    }

    pub fn matches(&self, issuer: &str, subject: &str, audiences: &[String]) -> bool {
        self.check(issuer, subject, audiences).is_ok()
    }

    /// `az identity federated-credential create …` (flags as in the az CLI reference:
    /// `--name --identity-name --resource-group --issuer --subject --audiences`; several
    /// audiences are space-separated values of one `--audiences`).
    pub fn az_create(&self, identity_name: &str, resource_group: &str) -> String {
        let mut s = format!(
            "az identity federated-credential create --name {} --identity-name {} --resource-group {} --issuer {} --subject {}",
            shell_word(&self.name),
            shell_word(identity_name),
            shell_word(resource_group),
            shell_word(&self.issuer),
            shell_word(&self.subject),
        );
        if !self.audiences.is_empty() {
            s.push_str(" --audiences");
            for a in &self.audiences {
                s.push(' ');
                s.push_str(&shell_word(a));
            }
        }
        s
    }

    /// The Bicep resource, as a child of the existing identity `identity_name`.
    pub fn bicep(&self, identity_name: &str) -> String {
        let audiences: String = self
            .audiences
            .iter()
            .map(|a| format!("      {}\n", bicep_string(a)))
            .collect();
        format!(
            "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@{BICEP_API_VERSION}' existing = {{\n  name: {}\n}}\n\nresource federatedCredential 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@{BICEP_API_VERSION}' = {{\n  parent: identity\n  name: {}\n  properties: {{\n    issuer: {}\n    subject: {}\n    audiences: [\n{audiences}    ]\n  }}\n}}\n",
            bicep_string(identity_name),
            bicep_string(&self.name),
            bicep_string(&self.issuer),
            bicep_string(&self.subject),
        )
    }
}

/// `system:serviceaccount:<namespace>:<name>`, the subject of a service-account token.
pub fn subject_of(namespace: &str, service_account: &str) -> String {
    format!("system:serviceaccount:{namespace}:{service_account}")
}

/// A word for bash: as is when it holds only safe characters, else single-quoted.
fn shell_word(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=%+,".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A Bicep string literal: single quotes, `\` `'` `${` escaped.
fn bicep_string(s: &str) -> String {
    let mut out = String::from("'");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
