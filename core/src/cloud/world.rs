//! The simulated world: state plus read-only queries. Changes go through [`super::Action`].

use super::ids::{self, Stream};
use super::model::*;
use crate::arm::ArmId;

/// The whole simulated Azure: one tenant, one subscription, resources, identities, role
/// assignments and a clock. A pure function of `(seed, start, actions)`: see [`World::replay`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    pub seed: u64,
    /// When the world began, unix seconds: the visitor's clock when a page opened (or the
    /// `t=` of a share link), so tokens minted here are valid now.
    pub start: u64,
    /// Simulated time, unix seconds. Starts at `start`; only `AdvanceClock` moves it.
    pub now: u64,
    pub tenant: Tenant,
    pub subscription: Subscription,
    /// Region of every resource.
    pub location: String,
    pub resource_groups: Vec<ResourceGroup>,
    pub computes: Vec<Compute>,
    pub identities: Vec<UserAssignedIdentity>,
    pub targets: Vec<Target>,
    pub role_assignments: Vec<RoleAssignment>,
    /// AKS clusters (workload identity's token issuers).
    pub clusters: Vec<Cluster>,
    /// Kubernetes workloads on those clusters.
    pub workloads: Vec<Workload>,
    /// Counter of the [`Stream::World`] id stream; every new id takes the next value.
    pub(crate) next_id: u64,
}

/// Any named resource, as found by [`World::find`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceRef<'a> {
    Compute(&'a Compute),
    Identity(&'a UserAssignedIdentity),
    Target(&'a Target),
    Cluster(&'a Cluster),
}

impl World {
    /// An empty world for `seed`: tenant "Contoso", subscription "Playground", clock at
    /// `start` (unix seconds).
    pub fn new(seed: u64, start: u64) -> World {
        let tcdt_offset = ids::bytes(seed, Stream::Root, 3, 4)
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
            % (5 * 365 * 86_400);
        World {
            seed,
            start,
            now: start,
            tenant: Tenant {
                id: ids::guid(seed, Stream::Root, 1),
                display_name: "Contoso".to_string(),
                created: 1_500_000_000 + tcdt_offset,
            },
            subscription: Subscription {
                id: ids::guid(seed, Stream::Root, 2),
                display_name: "Playground".to_string(),
            },
            location: "eastus".to_string(),
            resource_groups: Vec::new(),
            computes: Vec::new(),
            identities: Vec::new(),
            targets: Vec::new(),
            role_assignments: Vec::new(),
            clusters: Vec::new(),
            workloads: Vec::new(),
            next_id: 0,
        }
    }

    pub(crate) fn new_guid(&mut self) -> String {
        let g = ids::guid(self.seed, Stream::World, self.next_id);
        self.next_id += 1;
        g
    }

    pub(crate) fn new_sp(&mut self) -> ServicePrincipal {
        ServicePrincipal {
            principal_id: self.new_guid(),
            client_id: self.new_guid(),
        }
    }

    /// The resource group named `name` (case-insensitive, as in Azure).
    pub fn resource_group(&self, name: &str) -> Option<&ResourceGroup> {
        self.resource_groups
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name))
    }

    pub fn compute(&self, name: &str) -> Option<&Compute> {
        self.computes
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn identity(&self, name: &str) -> Option<&UserAssignedIdentity> {
        self.identities
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
    }

    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// A Kubernetes workload (not an ARM resource, but its name is unique in the world too).
    pub fn workload(&self, name: &str) -> Option<&Workload> {
        self.workloads
            .iter()
            .find(|w| w.name.eq_ignore_ascii_case(name))
    }

    /// Any resource by name. Names are unique across the world (stricter than Azure, which
    /// scopes most names to a group and type) so that actions can name things unambiguously.
    pub fn find(&self, name: &str) -> Option<ResourceRef<'_>> {
        if let Some(c) = self.compute(name) {
            return Some(ResourceRef::Compute(c));
        }
        if let Some(i) = self.identity(name) {
            return Some(ResourceRef::Identity(i));
        }
        if let Some(t) = self.target(name) {
            return Some(ResourceRef::Target(t));
        }
        self.cluster(name).map(ResourceRef::Cluster)
    }

    fn arm(&self, rg: &str, provider: &str, ty: &str, name: &str) -> ArmId {
        ArmId {
            subscription: self.subscription.id.clone(),
            resource_group: Some(rg.to_string()),
            provider: Some(provider.to_string()),
            resource_type: Some(ty.to_string()),
            name: Some(name.to_string()),
            lowercase_group_segment: false,
        }
    }

    /// ARM id of the subscription (`/subscriptions/<id>`).
    pub fn subscription_arm_id(&self) -> String {
        format!("/subscriptions/{}", self.subscription.id)
    }

    /// ARM id of a resource group (ARM casing).
    pub fn resource_group_arm_id(&self, rg: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{rg}",
            self.subscription.id
        )
    }

    pub fn compute_arm_id(&self, c: &Compute) -> ArmId {
        let (p, t) = c.kind.arm_type();
        self.arm(&c.resource_group, p, t, &c.name)
    }

    pub fn identity_arm_id(&self, i: &UserAssignedIdentity) -> ArmId {
        self.arm(
            &i.resource_group,
            "Microsoft.ManagedIdentity",
            "userAssignedIdentities",
            &i.name,
        )
    }

    pub fn cluster_arm_id(&self, c: &Cluster) -> ArmId {
        self.arm(
            &c.resource_group,
            "Microsoft.ContainerService",
            "managedClusters",
            &c.name,
        )
    }

    pub fn target_arm_id(&self, t: &Target) -> ArmId {
        let (p, ty) = t.kind.arm_type();
        let name = match t.kind {
            TargetKind::SqlDatabase => format!("{}/{}", sql_server_name(&t.name), t.name),
            _ => t.name.clone(),
        };
        self.arm(&t.resource_group, p, ty, &name)
    }

    /// ARM id (ARM casing) of any named resource.
    pub fn resource_arm_id(&self, name: &str) -> Option<ArmId> {
        Some(match self.find(name)? {
            ResourceRef::Compute(c) => self.compute_arm_id(c),
            ResourceRef::Identity(i) => self.identity_arm_id(i),
            ResourceRef::Target(t) => self.target_arm_id(t),
            ResourceRef::Cluster(c) => self.cluster_arm_id(c),
        })
    }

    /// The resource group a named resource lives in.
    pub fn resource_group_of(&self, name: &str) -> Option<&str> {
        Some(match self.find(name)? {
            ResourceRef::Compute(c) => &c.resource_group,
            ResourceRef::Identity(i) => &i.resource_group,
            ResourceRef::Target(t) => &t.resource_group,
            ResourceRef::Cluster(c) => &c.resource_group,
        })
    }

    /// The identities a host can get tokens for: its system-assigned one first (if enabled),
    /// then its user-assigned ones in assignment order.
    pub fn identities_of(&self, host: &Compute) -> Vec<ManagedIdentity> {
        let mut out = Vec::new();
        if let Some(sp) = &host.system_identity {
            out.push(ManagedIdentity {
                sp: sp.clone(),
                user_assigned_name: None,
                arm_id: self.compute_arm_id(host),
            });
        }
        for name in &host.user_identities {
            if let Some(i) = self.identity(name) {
                out.push(ManagedIdentity {
                    sp: i.sp.clone(),
                    user_assigned_name: Some(i.name.clone()),
                    arm_id: self.identity_arm_id(i),
                });
            }
        }
        out
    }

    /// Resolves a principal reference to the identity's service principal.
    pub fn principal(&self, p: &PrincipalRef) -> Option<&ServicePrincipal> {
        match p {
            PrincipalRef::SystemAssigned(host) => self.compute(host)?.system_identity.as_ref(),
            PrincipalRef::UserAssigned(name) => Some(&self.identity(name)?.sp),
        }
    }

    /// What a principal (object) id is today: an existing identity, or "Identity not found"
    /// (a deleted identity's role assignments stay behind, orphaned).
    pub fn principal_display(&self, principal_id: &str) -> PrincipalDisplay {
        for c in &self.computes {
            if c.system_identity
                .as_ref()
                .is_some_and(|sp| sp.principal_id.eq_ignore_ascii_case(principal_id))
            {
                return PrincipalDisplay::Found {
                    display_name: c.name.clone(),
                    system_assigned: true,
                };
            }
        }
        for i in &self.identities {
            if i.sp.principal_id.eq_ignore_ascii_case(principal_id) {
                return PrincipalDisplay::Found {
                    display_name: i.name.clone(),
                    system_assigned: false,
                };
            }
        }
        PrincipalDisplay::NotFound
    }

    /// Role assignments whose principal no longer exists.
    pub fn orphaned_role_assignments(&self) -> Vec<&RoleAssignment> {
        self.role_assignments
            .iter()
            .filter(|ra| self.principal_display(&ra.principal_id) == PrincipalDisplay::NotFound)
            .collect()
    }

    /// Resolves a scope to its ARM id, if it exists.
    pub fn scope_arm_id(&self, scope: &Scope) -> Option<String> {
        match scope {
            Scope::Subscription => Some(self.subscription_arm_id()),
            Scope::ResourceGroup(rg) => self
                .resource_group(rg)
                .map(|g| self.resource_group_arm_id(&g.name)),
            Scope::Resource(name) => self.resource_arm_id(name).map(|a| a.to_arm_string()),
        }
    }

    /// The compute hosts, with the endpoint each one's code talks to.
    pub fn hosts(&self) -> impl Iterator<Item = (&Compute, EndpointKind)> {
        self.computes.iter().map(|c| (c, c.kind.endpoint()))
    }
}

/// The logical SQL server a simulated database lives on.
pub fn sql_server_name(database: &str) -> String {
    format!("{database}-srv")
}
