//! What a reader can do in the sandbox, in plain language: pick a resource, get the actions that
//! make sense for it ("Enable system-assigned identity", "Assign id-orders", "Grant Key Vault
//! Secrets User on kv-demo", "Delete and recreate"), each a list of [`Action`]s. Nothing here
//! shows the action DSL; the page keeps that for power users.

use crate::cloud::{
    Action, Cluster, ComputeKind, PrincipalRef, Role, Scope, TargetKind, Workload, World,
};

/// One thing the reader can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Button text, e.g. "Assign id-orders".
    pub label: String,
    /// One sentence on what it does and why someone would.
    pub hint: String,
    /// Applied in order, all or nothing.
    pub actions: Vec<Action>,
}

fn offer(label: impl Into<String>, hint: impl Into<String>, actions: Vec<Action>) -> Offer {
    Offer {
        label: label.into(),
        hint: hint.into(),
        actions,
    }
}

/// The data-plane role a workload typically needs on a target, and what it lets it do.
pub fn typical_role(kind: TargetKind) -> Option<(Role, &'static str)> {
    match kind {
        TargetKind::KeyVault => Some((Role::KeyVaultSecretsUser, "read secrets")),
        TargetKind::StorageAccount => Some((Role::StorageBlobDataReader, "read blobs")),
        // Azure SQL uses database users, not Azure RBAC, for data access.
        TargetKind::SqlDatabase => None,
    }
}

/// The first `prefix-N` name not used in the world (names are unique world-wide here).
pub fn free_name(world: &World, prefix: &str) -> String {
    free(world, prefix, "-")
}

fn free(world: &World, prefix: &str, sep: &str) -> String {
    (1..)
        .map(|n| format!("{prefix}{sep}{n}"))
        .find(|n| {
            world.find(n).is_none()
                && world.workload(n).is_none()
                && world.resource_group(n).is_none()
        })
        .unwrap_or_else(|| prefix.to_string())
}

/// The group new resources go to: the first one, or a new `rg-sandbox`.
fn group(world: &World) -> (String, Vec<Action>) {
    match world.resource_groups.first() {
        Some(g) => (g.name.clone(), Vec::new()),
        None => (
            "rg-sandbox".to_string(),
            vec![Action::CreateResourceGroup {
                name: "rg-sandbox".into(),
            }],
        ),
    }
}

/// What can be added to the world (nothing selected).
pub fn additions(world: &World) -> Vec<Offer> {
    let (rg, first) = group(world);
    let mut out = Vec::new();
    let computes = [
        (ComputeKind::VirtualMachine, "vm", "Add a VM"),
        (ComputeKind::AppService, "app", "Add an App Service web app"),
        (ComputeKind::FunctionApp, "func", "Add a Function App"),
        (ComputeKind::ContainerApp, "ca", "Add a Container App"),
        (ComputeKind::ArcServer, "arc", "Add an Arc-enabled server"),
    ];
    for (kind, prefix, label) in computes {
        let name = free_name(world, prefix);
        let mut actions = first.clone();
        actions.push(Action::CreateCompute {
            kind,
            resource_group: rg.clone(),
            name: name.clone(),
        });
        out.push(offer(
            label,
            format!("Creates {} {name} with no identity yet.", kind.label()),
            actions,
        ));
    }
    let id = free_name(world, "id");
    let mut actions = first.clone();
    actions.push(Action::CreateIdentity {
        resource_group: rg.clone(),
        name: id.clone(),
    });
    out.push(offer(
        "Add a user-assigned identity",
        format!("Creates {id}: an identity of its own that hosts can share."),
        actions,
    ));
    let aks = free_name(world, "aks");
    let mut actions = first.clone();
    actions.push(Action::CreateCluster {
        resource_group: rg.clone(),
        name: aks.clone(),
    });
    out.push(offer(
        "Add an AKS cluster",
        format!("Creates {aks} with its OIDC issuer and workload identity: its pods get tokens through federated credentials on a user-assigned identity."),
        actions,
    ));
    let targets = [
        (TargetKind::KeyVault, "kv", "Add a Key Vault"),
        (TargetKind::StorageAccount, "st", "Add a Storage account"),
        (TargetKind::SqlDatabase, "sql", "Add an Azure SQL database"),
    ];
    for (kind, prefix, label) in targets {
        // Storage account names allow no hyphen.
        let name = match kind {
            TargetKind::StorageAccount => free(world, prefix, ""),
            _ => free_name(world, prefix),
        };
        let mut actions = first.clone();
        actions.push(Action::CreateTarget {
            kind,
            resource_group: rg.clone(),
            name: name.clone(),
        });
        out.push(offer(
            label,
            format!("Creates {} {name} for identities to read.", kind.label()),
            actions,
        ));
    }
    out
}

/// The actions that make sense for the resource named `name` (a host, a user-assigned
/// identity, a target or a role assignment by its name). Empty when nothing has that name.
pub fn offers_for(world: &World, name: &str) -> Vec<Offer> {
    if let Some(c) = world.compute(name) {
        return host_offers(world, c);
    }
    if let Some(i) = world.identity(name) {
        let mut out = grants(world, PrincipalRef::UserAssigned(i.name.clone()), &i.name);
        for h in world
            .computes
            .iter()
            .filter(|h| h.kind.supports_user_assigned())
        {
            let assigned = h
                .user_identities
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&i.name));
            if !assigned {
                out.push(offer(
                    format!("Assign to {}", h.name),
                    format!("{} can then get tokens as {}.", h.name, i.name),
                    vec![Action::AssignIdentity {
                        resource: h.name.clone(),
                        identity: i.name.clone(),
                    }],
                ));
            }
        }
        for w in world
            .workloads
            .iter()
            .filter(|w| w.client_id.eq_ignore_ascii_case(&i.sp.client_id))
        {
            if let Some(o) = trust_offer(world, w) {
                out.push(o);
            }
        }
        for f in &i.federated_credentials {
            out.push(offer(
                format!("Delete federated credential {}", f.name),
                format!("Entra stops accepting tokens for {}.", f.subject),
                vec![Action::DeleteFederatedCredential {
                    identity: i.name.clone(),
                    name: f.name.clone(),
                }],
            ));
        }
        out.push(offer(
            "Delete the identity",
            "Hosts lose it; its role assignments stay behind as \"Identity not found\".",
            vec![Action::DeleteIdentity {
                name: i.name.clone(),
            }],
        ));
        return out;
    }
    if let Some(k) = world.cluster(name) {
        return cluster_offers(world, k);
    }
    if let Some(w) = world.workload(name) {
        return workload_offers(world, w);
    }
    if let Some(t) = world.target(name) {
        return vec![offer(
            format!("Delete {}", t.name),
            "Role assignments scoped to it are left behind.",
            vec![Action::DeleteResource {
                name: t.name.clone(),
            }],
        )];
    }
    if let Some(ra) = world
        .role_assignments
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name))
    {
        return vec![offer(
            "Delete the role assignment",
            "Role assignments are never removed for you, not even when their identity is gone.",
            vec![Action::DeleteRoleAssignment {
                name: ra.name.clone(),
            }],
        )];
    }
    Vec::new()
}

fn host_offers(world: &World, c: &crate::cloud::Compute) -> Vec<Offer> {
    let mut out = Vec::new();
    let host = c.name.clone();
    // An Arc-enabled server always has its system-assigned identity (created with it).
    let arc = c.kind == ComputeKind::ArcServer;
    if c.system_identity.is_some() {
        out.extend(grants(
            world,
            PrincipalRef::SystemAssigned(host.clone()),
            &format!("{host}'s system-assigned identity"),
        ));
    }
    if c.system_identity.is_some() && !arc {
        out.push(offer(
            "Disable the system-assigned identity",
            "Deletes it: its object id is gone for good, and its role assignments are orphaned.",
            vec![Action::DisableSystemAssigned {
                resource: host.clone(),
            }],
        ));
    } else if c.system_identity.is_none() {
        out.push(offer(
            "Enable the system-assigned identity",
            format!("Creates an identity that lives and dies with {host}."),
            vec![Action::EnableSystemAssigned {
                resource: host.clone(),
            }],
        ));
    }
    if c.kind.supports_user_assigned() {
        for i in &world.identities {
            let assigned = c
                .user_identities
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&i.name));
            let (label, hint, action) = if assigned {
                (
                    format!("Unassign {}", i.name),
                    format!(
                        "{host} can no longer get tokens as {}; the identity lives on.",
                        i.name
                    ),
                    Action::UnassignIdentity {
                        resource: host.clone(),
                        identity: i.name.clone(),
                    },
                )
            } else {
                (
                    format!("Assign {}", i.name),
                    format!(
                        "{host} can then get tokens as {} (by its client id).",
                        i.name
                    ),
                    Action::AssignIdentity {
                        resource: host.clone(),
                        identity: i.name.clone(),
                    },
                )
            };
            out.push(offer(label, hint, vec![action]));
        }
    }
    // Redeploying the same resource: same name, same settings, but a new system-assigned
    // identity (new object id); user-assigned identities are re-attached unchanged.
    let mut recreate = vec![
        Action::DeleteResource { name: host.clone() },
        Action::CreateCompute {
            kind: c.kind,
            resource_group: c.resource_group.clone(),
            name: host.clone(),
        },
    ];
    if c.system_identity.is_some() && !arc {
        recreate.push(Action::EnableSystemAssigned {
            resource: host.clone(),
        });
    }
    recreate.extend(c.user_identities.iter().map(|u| Action::AssignIdentity {
        resource: host.clone(),
        identity: u.clone(),
    }));
    out.push(offer(
        "Delete and recreate",
        "Same name, same settings — but a system-assigned identity comes back with a new object id, so old role assignments no longer apply.",
        recreate,
    ));
    out.push(offer(
        format!("Delete {host}"),
        "Its system-assigned identity goes with it; user-assigned identities stay.",
        vec![Action::DeleteResource { name: host }],
    ));
    out
}

/// "Trust <workload>'s service account": a federated credential on the identity the workload
/// names, when none matches yet.
fn trust_offer(world: &World, w: &Workload) -> Option<Offer> {
    let identity = world.workload_identity(w)?;
    if !world.trusted_by(w).is_empty() {
        return None;
    }
    let name = (1..)
        .map(|n| match n {
            1 => format!("fc-{}", w.name),
            n => format!("fc-{}-{n}", w.name),
        })
        .find(|n| {
            !identity
                .federated_credentials
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(n))
        })?;
    Some(offer(
        format!("Trust {}'s service account", w.name),
        format!(
            "Adds federated credential {name} to {}: issuer {}'s, subject {}.",
            identity.name,
            w.cluster,
            w.subject()
        ),
        vec![Action::CreateFederatedCredential {
            identity: identity.name.clone(),
            name,
            cluster: w.cluster.clone(),
            namespace: w.namespace.clone(),
            service_account: w.name.clone(),
        }],
    ))
}

fn cluster_offers(world: &World, k: &Cluster) -> Vec<Offer> {
    let mut out = Vec::new();
    for i in &world.identities {
        let name = free_name(world, "app");
        out.push(offer(
            format!("Deploy a pod using {}", i.name),
            format!(
                "A service account {name} in namespace default, annotated with {}'s client id, and a pod running as it.",
                i.name
            ),
            vec![Action::DeployWorkload {
                cluster: k.name.clone(),
                namespace: "default".into(),
                name,
                identity: i.name.clone(),
            }],
        ));
    }
    let mut recreate = vec![
        Action::DeleteResource {
            name: k.name.clone(),
        },
        Action::CreateCluster {
            resource_group: k.resource_group.clone(),
            name: k.name.clone(),
        },
    ];
    let on_it: Vec<&Workload> = world
        .workloads
        .iter()
        .filter(|w| w.cluster.eq_ignore_ascii_case(&k.name))
        .collect();
    recreate.extend(on_it.iter().filter_map(|w| {
        Some(Action::DeployWorkload {
            cluster: k.name.clone(),
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            identity: world.workload_identity(w)?.name.clone(),
        })
    }));
    out.push(offer(
        "Delete and recreate",
        "Same name, same workloads — but a new OIDC issuer URL, so existing federated credentials no longer match.",
        recreate,
    ));
    out.push(offer(
        format!("Delete {}", k.name),
        "Its workloads go with it; federated credentials naming its issuer stay on their identities.",
        vec![Action::DeleteResource {
            name: k.name.clone(),
        }],
    ));
    out
}

fn workload_offers(world: &World, w: &Workload) -> Vec<Offer> {
    let mut out: Vec<Offer> = trust_offer(world, w).into_iter().collect();
    if let Some(identity) = world.workload_identity(w) {
        let ns = if w.namespace.ends_with("-v2") {
            w.namespace.trim_end_matches("-v2").to_string()
        } else {
            format!("{}-v2", w.namespace)
        };
        if ns.len() <= 63 && !ns.is_empty() {
            out.push(offer(
                format!("Move to namespace {ns}"),
                format!(
                    "Redeploys {} in {ns}: its tokens then say system:serviceaccount:{ns}:{}, which credentials must name exactly.",
                    w.name, w.name
                ),
                vec![
                    Action::DeleteWorkload {
                        name: w.name.clone(),
                    },
                    Action::DeployWorkload {
                        cluster: w.cluster.clone(),
                        namespace: ns.clone(),
                        name: w.name.clone(),
                        identity: identity.name.clone(),
                    },
                ],
            ));
        }
    }
    out.push(offer(
        format!("Delete {}", w.name),
        "Removes the pod and its service account; federated credentials naming it stay.",
        vec![Action::DeleteWorkload {
            name: w.name.clone(),
        }],
    ));
    out
}

/// "Grant <role> on <target>" for each target, to `principal`; SQL: a database user.
fn grants(world: &World, principal: PrincipalRef, who: &str) -> Vec<Offer> {
    let mut out = Vec::new();
    for t in &world.targets {
        match typical_role(t.kind) {
            Some((role, what)) => out.push(offer(
                format!("Grant {} on {}", role.name(), t.name),
                format!("Lets {who} {what} in {}.", t.name),
                vec![Action::CreateRoleAssignment {
                    principal: principal.clone(),
                    role,
                    scope: Scope::Resource(t.name.clone()),
                }],
            )),
            None => out.push(offer(
                format!("Create a database user in {}", t.name),
                format!("Azure SQL checks its own users, not Azure roles: CREATE USER for {who}."),
                vec![Action::CreateSqlUser {
                    database: t.name.clone(),
                    principal: principal.clone(),
                }],
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::EPOCH;

    /// Every offer of every resource applies cleanly, in every world a reader can reach by
    /// taking offers one after another from an empty world (two rounds).
    #[test]
    fn every_offer_applies() {
        let mut world = World::new(7, EPOCH);
        for round in 0..2 {
            // Offers describe the current world: take the i-th addition afresh each time.
            for i in 0..additions(&world).len() {
                let o = additions(&world).swap_remove(i);
                world
                    .apply_all(&o.actions)
                    .unwrap_or_else(|e| panic!("{round} {}: {e}", o.label));
            }
            let names: Vec<String> = world
                .computes
                .iter()
                .map(|c| c.name.clone())
                .chain(world.identities.iter().map(|i| i.name.clone()))
                .chain(world.role_assignments.iter().map(|r| r.name.clone()))
                .chain(world.clusters.iter().map(|k| k.name.clone()))
                .chain(world.workloads.iter().map(|w| w.name.clone()))
                .collect();
            for n in names {
                for o in offers_for(&world, &n) {
                    let mut trial = world.clone();
                    trial
                        .apply_all(&o.actions)
                        .unwrap_or_else(|e| panic!("{n} / {}: {e}", o.label));
                }
            }
        }
    }

    #[test]
    fn a_host_gets_the_offers_that_teach() {
        let w = World::default_scenario(EPOCH);
        let labels: Vec<String> = offers_for(&w, "vm-web")
            .into_iter()
            .map(|o| o.label)
            .collect();
        assert!(
            labels.contains(&"Grant Key Vault Secrets User on kv-contoso-demo".to_string()),
            "{labels:?}"
        );
        assert!(labels.contains(&"Unassign id-orders".to_string()));
        assert!(labels.contains(&"Delete and recreate".to_string()));
        assert!(labels.contains(&"Disable the system-assigned identity".to_string()));
        // Recreating gives the VM a new object id and keeps its user-assigned identities.
        let recreate = offers_for(&w, "vm-web")
            .into_iter()
            .find(|o| o.label == "Delete and recreate")
            .unwrap();
        let mut after = w.clone();
        after.apply_all(&recreate.actions).unwrap();
        let (old, new) = (
            w.compute("vm-web").unwrap(),
            after.compute("vm-web").unwrap(),
        );
        assert_ne!(old.system_identity, new.system_identity);
        assert!(new.system_identity.is_some());
        assert_eq!(old.user_identities, new.user_identities);
        assert!(offers_for(&w, "nothing-here").is_empty());
    }

    fn take(w: &mut World, name: &str, label: &str) {
        let o = offers_for(w, name)
            .into_iter()
            .find(|o| o.label == label)
            .unwrap_or_else(|| panic!("no offer '{label}' for {name}"));
        w.apply_all(&o.actions).unwrap();
    }

    #[test]
    fn workload_identity_offers_tell_the_story() {
        let mut w = World::new(7, EPOCH);
        for label in ["Add an AKS cluster", "Add a user-assigned identity"] {
            let o = additions(&w)
                .into_iter()
                .find(|o| o.label == label)
                .unwrap();
            w.apply_all(&o.actions).unwrap();
        }
        take(&mut w, "aks-1", "Deploy a pod using id-1");
        let pod = w.workloads[0].clone();
        assert_eq!(
            (pod.name.as_str(), pod.namespace.as_str()),
            ("app-1", "default")
        );
        assert!(w.workload_status(&pod).contains("AADSTS70021"));
        // The identity offers to trust it too; taking the workload's offer makes it trusted.
        assert!(offers_for(&w, "id-1")
            .iter()
            .any(|o| o.label == "Trust app-1's service account"));
        take(&mut w, "app-1", "Trust app-1's service account");
        assert_eq!(
            w.credentials_trusting(&w.workloads[0]),
            [("id-1".to_string(), "fc-app-1".to_string())]
        );
        assert!(!offers_for(&w, "app-1")
            .iter()
            .any(|o| o.label.starts_with("Trust")));
        // Another namespace: no longer trusted; trusting it again adds a second credential.
        take(&mut w, "app-1", "Move to namespace default-v2");
        assert!(w.credentials_trusting(&w.workloads[0]).is_empty());
        take(&mut w, "app-1", "Trust app-1's service account");
        assert_eq!(w.identities[0].federated_credentials.len(), 2);
        assert_eq!(w.identities[0].federated_credentials[1].name, "fc-app-1-2");
        // A recreated cluster keeps its workloads but not its issuer.
        take(&mut w, "aks-1", "Delete and recreate");
        assert_eq!(w.workloads.len(), 1);
        assert!(w.credentials_trusting(&w.workloads[0]).is_empty());
        // Every offer of every resource still applies.
        let names: Vec<String> = ["aks-1", "app-1", "id-1"].map(String::from).to_vec();
        for n in names {
            for o in offers_for(&w, &n) {
                w.clone()
                    .apply_all(&o.actions)
                    .unwrap_or_else(|e| panic!("{n} / {}: {e}", o.label));
            }
        }
    }
}
