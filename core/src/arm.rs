//! Azure Resource Manager (ARM) resource ids: parsing and formatting.
//!
//! Managed-identity tokens carry ARM ids in `xms_mirid` / `xms_az_rid` with a lowercase
//! `resourcegroups` segment, while ARM itself writes `resourceGroups`; ids must therefore be
//! compared case-insensitively (managed-identity.md §5).

use std::fmt;

/// A parsed ARM resource id such as
/// `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmId {
    pub subscription: String,
    /// `None` for subscription-scoped ids.
    pub resource_group: Option<String>,
    /// Provider namespace, e.g. `Microsoft.Compute`. `None` for subscription or group ids.
    pub provider: Option<String>,
    /// Resource type path, e.g. `virtualMachines`, or `vaults/secrets` for a child resource.
    pub resource_type: Option<String>,
    /// Name path, e.g. `vm1`, or `vault1/secret1` for a child resource.
    pub name: Option<String>,
    /// True when the id spelled the group segment `resourcegroups` (the token quirk).
    pub lowercase_group_segment: bool,
}

/// Why a string is not an ARM id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmIdError {
    pub message: String,
}

impl fmt::Display for ArmIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArmIdError {}

fn err(message: impl Into<String>) -> ArmIdError {
    ArmIdError {
        message: message.into(),
    }
}

impl ArmId {
    /// Parses an ARM id. Segment keywords (`subscriptions`, `resourceGroups`, `providers`) are
    /// matched case-insensitively; names keep their casing.
    pub fn parse(input: &str) -> Result<ArmId, ArmIdError> {
        let trimmed = input.trim();
        let rest = trimmed
            .strip_prefix('/')
            .ok_or_else(|| err("an ARM id starts with '/subscriptions/'"))?;
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(err(
                "an ARM id has no empty segments (look for '//' or a trailing '/')",
            ));
        }
        let mut it = parts.into_iter();
        match it.next() {
            Some(s) if s.eq_ignore_ascii_case("subscriptions") => {}
            _ => return Err(err("an ARM id starts with '/subscriptions/'")),
        }
        let subscription = it
            .next()
            .ok_or_else(|| err("the subscription id is missing after '/subscriptions/'"))?
            .to_string();
        let mut id = ArmId {
            subscription,
            resource_group: None,
            provider: None,
            resource_type: None,
            name: None,
            lowercase_group_segment: false,
        };
        let Some(keyword) = it.next() else {
            return Ok(id);
        };
        if keyword.eq_ignore_ascii_case("resourcegroups") {
            id.lowercase_group_segment = keyword == "resourcegroups";
            id.resource_group = Some(
                it.next()
                    .ok_or_else(|| {
                        err("the resource group name is missing after 'resourceGroups/'")
                    })?
                    .to_string(),
            );
            let Some(next) = it.next() else {
                return Ok(id);
            };
            if !next.eq_ignore_ascii_case("providers") {
                return Err(err(format!(
                    "expected 'providers' after the resource group, found '{next}'"
                )));
            }
        } else if !keyword.eq_ignore_ascii_case("providers") {
            return Err(err(format!(
                "expected 'resourceGroups' or 'providers' after the subscription, found '{keyword}'"
            )));
        }
        let provider = it
            .next()
            .ok_or_else(|| err("the provider namespace is missing after 'providers/'"))?;
        let rest: Vec<&str> = it.collect();
        if rest.is_empty() || rest.len() % 2 != 0 {
            return Err(err(format!(
                "after '{provider}' an ARM id has type/name pairs, e.g. 'virtualMachines/vm1'"
            )));
        }
        let types: Vec<&str> = rest.iter().step_by(2).copied().collect();
        let names: Vec<&str> = rest.iter().skip(1).step_by(2).copied().collect();
        id.provider = Some(provider.to_string());
        id.resource_type = Some(types.join("/"));
        id.name = Some(names.join("/"));
        Ok(id)
    }

    /// `Microsoft.Compute/virtualMachines`, or `None` when this is not a resource id.
    pub fn full_type(&self) -> Option<String> {
        Some(format!(
            "{}/{}",
            self.provider.as_deref()?,
            self.resource_type.as_deref()?
        ))
    }

    /// True for `Microsoft.ManagedIdentity/userAssignedIdentities` (case-insensitive).
    pub fn is_user_assigned_identity(&self) -> bool {
        self.full_type().is_some_and(|t| {
            t.eq_ignore_ascii_case("Microsoft.ManagedIdentity/userAssignedIdentities")
        })
    }

    /// Formats the id the way ARM writes it (`resourceGroups`).
    pub fn to_arm_string(&self) -> String {
        self.format("resourceGroups")
    }

    /// Formats the id the way managed-identity tokens write it (`resourcegroups`).
    pub fn to_token_string(&self) -> String {
        self.format("resourcegroups")
    }

    fn format(&self, group_segment: &str) -> String {
        let mut out = format!("/subscriptions/{}", self.subscription);
        if let Some(rg) = &self.resource_group {
            out.push_str(&format!("/{group_segment}/{rg}"));
        }
        if let (Some(p), Some(t), Some(n)) = (&self.provider, &self.resource_type, &self.name) {
            out.push_str(&format!("/providers/{p}"));
            for (ty, name) in t.split('/').zip(n.split('/')) {
                out.push_str(&format!("/{ty}/{name}"));
            }
        }
        out
    }
}

/// Compares two ARM ids as ARM does: case-insensitively.
pub fn same_arm_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const VM: &str = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourcegroups/Demo-RG/providers/Microsoft.Compute/virtualMachines/vm-web";

    #[test]
    fn parses_token_style_id_and_keeps_casing() {
        let id = ArmId::parse(VM).unwrap();
        assert_eq!(id.subscription, "0b1f6471-1bf0-4dda-aec3-cb9272f09590");
        assert_eq!(id.resource_group.as_deref(), Some("Demo-RG"));
        assert_eq!(id.provider.as_deref(), Some("Microsoft.Compute"));
        assert_eq!(id.resource_type.as_deref(), Some("virtualMachines"));
        assert_eq!(id.name.as_deref(), Some("vm-web"));
        assert!(id.lowercase_group_segment);
        assert_eq!(id.to_token_string(), VM);
        assert_eq!(
            id.to_arm_string(),
            VM.replace("resourcegroups", "resourceGroups")
        );
    }

    #[test]
    fn parses_child_resources_and_identity_type() {
        let id = ArmId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/db",
        )
        .unwrap();
        assert_eq!(id.resource_type.as_deref(), Some("vaults/secrets"));
        assert_eq!(id.name.as_deref(), Some("kv/db"));
        let uai = ArmId::parse("/subscriptions/s/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/id1").unwrap();
        assert!(uai.is_user_assigned_identity());
    }

    #[test]
    fn scopes_without_resources() {
        let sub = ArmId::parse("/subscriptions/s").unwrap();
        assert_eq!(sub.resource_group, None);
        assert_eq!(sub.to_arm_string(), "/subscriptions/s");
        let rg = ArmId::parse("/subscriptions/s/resourceGroups/rg").unwrap();
        assert_eq!(rg.to_arm_string(), "/subscriptions/s/resourceGroups/rg");
    }

    #[test]
    fn rejects_malformed_ids_with_specific_messages() {
        for (input, needle) in [
            ("subscriptions/s", "starts with"),
            ("/tenants/x", "starts with"),
            ("/subscriptions/", "empty segments"),
            ("/subscriptions/s/resourceGroups", "group name is missing"),
            (
                "/subscriptions/s/resourceGroups/rg/foo",
                "expected 'providers'",
            ),
            (
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites",
                "type/name pairs",
            ),
        ] {
            let e = ArmId::parse(input).unwrap_err();
            assert!(e.message.contains(needle), "{input}: {}", e.message);
        }
    }

    #[test]
    fn compares_case_insensitively() {
        assert!(same_arm_id(VM, &VM.to_uppercase()));
        assert!(!same_arm_id(VM, "/subscriptions/x"));
    }
}
