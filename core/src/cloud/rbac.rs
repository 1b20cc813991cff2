//! Azure RBAC checks: "can this identity (object id) do X on resource Y?", with the reason.
//!
//! A role assignment grants its role at its scope and everything below it (subscription →
//! resource group → resource → child resource). Control-plane `actions` and data-plane
//! `dataActions` are separate: Reader and Contributor cannot read a secret's value.

use super::model::{PrincipalDisplay, Role, RoleAssignment};
use super::world::World;

/// An operation to authorize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action`.
    pub name: &'static str,
    /// True for data-plane operations (checked against `dataActions`).
    pub data: bool,
}

/// Key Vault: read a secret's value.
pub const GET_SECRET: Operation = Operation {
    name: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    data: true,
};
/// Storage: read a blob's content.
pub const READ_BLOB: Operation = Operation {
    name: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    data: true,
};
/// Control plane: read a VM's properties.
pub const READ_VM: Operation = Operation {
    name: "Microsoft.Compute/virtualMachines/read",
    data: false,
};
/// Control plane: restart a VM.
pub const RESTART_VM: Operation = Operation {
    name: "Microsoft.Compute/virtualMachines/restart/action",
    data: false,
};
/// Control plane: create a role assignment (Contributor cannot; Owner can).
pub const WRITE_ROLE_ASSIGNMENT: Operation = Operation {
    name: "Microsoft.Authorization/roleAssignments/write",
    data: false,
};

/// The result of an RBAC check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDecision {
    pub allowed: bool,
    /// The assignment that granted access, when allowed.
    pub granted_by: Option<RoleAssignment>,
    /// True when the granting assignment sits at a scope above the resource.
    pub inherited: bool,
    /// Plain-language reason, naming the assignment and scope, or what is missing.
    pub reason: String,
}

/// Whether `role` permits `op` (ignoring scope).
pub fn role_permits(role: Role, op: &Operation) -> bool {
    if op.data {
        role.data_actions().iter().any(|p| wildcard(p, op.name))
    } else {
        let (actions, not_actions) = role.actions();
        actions.iter().any(|p| wildcard(p, op.name))
            && !not_actions.iter().any(|p| wildcard(p, op.name))
    }
}

/// Whether `scope` contains `resource` (equal or an ancestor), case-insensitively, on whole
/// segments.
pub fn scope_covers(scope: &str, resource: &str) -> bool {
    let s = scope.trim_end_matches('/').to_ascii_lowercase();
    let r = resource.trim_end_matches('/').to_ascii_lowercase();
    r == s || r.strip_prefix(&s).is_some_and(|rest| rest.starts_with('/'))
}

/// Can `principal_id` perform `op` on `resource` (an ARM id, any casing)?
pub fn check_access(
    world: &World,
    principal_id: &str,
    op: &Operation,
    resource: &str,
) -> AccessDecision {
    let mine: Vec<&RoleAssignment> = world
        .role_assignments
        .iter()
        .filter(|ra| ra.principal_id.eq_ignore_ascii_case(principal_id))
        .collect();
    // Prefer the most specific scope when several grant.
    let mut best: Option<&RoleAssignment> = None;
    for ra in &mine {
        if scope_covers(&ra.scope, resource)
            && role_permits(ra.role, op)
            && best.is_none_or(|b| ra.scope.len() > b.scope.len())
        {
            best = Some(ra);
        }
    }
    let who = match world.principal_display(principal_id) {
        PrincipalDisplay::Found { display_name, .. } => format!("{display_name} ({principal_id})"),
        PrincipalDisplay::NotFound => format!("principal {principal_id}"),
    };
    if let Some(ra) = best {
        let inherited = !crate::arm::same_arm_id(&ra.scope, resource);
        return AccessDecision {
            allowed: true,
            granted_by: Some(ra.clone()),
            inherited,
            reason: format!(
                "Allowed: {who} holds '{}' at {}{} (assignment {}), which includes {}.",
                ra.role.name(),
                ra.scope,
                if inherited {
                    ", inherited by this resource"
                } else {
                    ""
                },
                ra.name,
                op.name
            ),
        };
    }
    let near: Vec<String> = mine
        .iter()
        .filter(|ra| scope_covers(&ra.scope, resource))
        .map(|ra| format!("'{}' at {}", ra.role.name(), ra.scope))
        .collect();
    let elsewhere: Vec<String> = mine
        .iter()
        .filter(|ra| role_permits(ra.role, op) && !scope_covers(&ra.scope, resource))
        .map(|ra| format!("'{}' at {}", ra.role.name(), ra.scope))
        .collect();
    let mut reason = format!(
        "Denied: no role assignment gives {who} {} on this resource.",
        op.name
    );
    if !near.is_empty() {
        reason.push_str(&format!(
            " It holds {}, but {} {}.",
            near.join(", "),
            if near.len() == 1 { "that role does" } else { "those roles do" },
            if op.data {
                "not include this data action (control-plane roles like Reader or Contributor do not grant data access)"
            } else {
                "not include this action"
            }
        ));
    }
    if !elsewhere.is_empty() {
        reason.push_str(&format!(
            " It holds {} at another scope that does not contain this resource.",
            elsewhere.join(", ")
        ));
    }
    AccessDecision {
        allowed: false,
        granted_by: None,
        inherited: false,
        reason,
    }
}

/// Case-insensitive match with `*` matching any run of characters.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::EPOCH;
    use crate::cloud::{dsl::parse_actions, World};

    #[test]
    fn wildcards() {
        assert!(wildcard("*", "a/b"));
        assert!(wildcard("*/read", "Microsoft.Compute/virtualMachines/read"));
        assert!(!wildcard(
            "*/read",
            "Microsoft.Compute/virtualMachines/write"
        ));
        assert!(wildcard(
            "Microsoft.Authorization/*/Write",
            "microsoft.authorization/roleAssignments/write"
        ));
    }

    #[test]
    fn inheritance_and_data_actions() {
        let w = World::default_scenario(EPOCH);
        let kv = w
            .resource_arm_id("kv-contoso-demo")
            .unwrap()
            .to_arm_string();
        let secret = format!("{kv}/secrets/db-password");
        let orders = w.identity("id-orders").unwrap().sp.principal_id.clone();
        let d = check_access(&w, &orders, &GET_SECRET, &secret.to_lowercase());
        assert!(d.allowed, "{}", d.reason);
        assert!(d.inherited);
        assert!(d.reason.contains("Key Vault Secrets User"));
        let reports = w.identity("id-reports").unwrap().sp.principal_id.clone();
        let d = check_access(&w, &reports, &GET_SECRET, &secret);
        assert!(!d.allowed);

        let mut actions = crate::cloud::default_scenario_actions();
        actions.extend(parse_actions("ra:u:id-reports:contrib:rg/rg-playground").unwrap());
        let w = World::replay(1, EPOCH, &actions).unwrap();
        let reports = w.identity("id-reports").unwrap().sp.principal_id.clone();
        let d = check_access(
            &w,
            &reports,
            &GET_SECRET,
            &secret.replace(
                &World::default_scenario(EPOCH).subscription.id,
                &w.subscription.id,
            ),
        );
        assert!(!d.allowed);
        assert!(
            d.reason.contains("do not grant data access"),
            "{}",
            d.reason
        );
        let vm = w.resource_arm_id("vm-web").unwrap().to_arm_string();
        assert!(check_access(&w, &reports, &RESTART_VM, &vm).allowed);
        assert!(check_access(&w, &reports, &READ_VM, &vm).allowed);
        assert!(!check_access(&w, &reports, &WRITE_ROLE_ASSIGNMENT, &vm).allowed);
    }

    #[test]
    fn scope_cover_is_segment_aware() {
        assert!(scope_covers(
            "/subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/resourcegroups/RG/providers/x/y/z"
        ));
        assert!(!scope_covers(
            "/subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/resourceGroups/rg2"
        ));
    }
}
