//! Actions: the only way the world changes. Applying is all-or-nothing; an invalid action
//! returns an [`ActionError`] saying what, why and how to fix, and changes nothing.

use std::fmt;

use crate::text::{owned, Text};

use super::cli::{self, CliText};
use super::model::*;
use super::world::World;

/// One change to the simulated Azure. See [`super::dsl`] for the compact text form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CreateResourceGroup {
        name: String,
    },
    /// Deletes the group and everything in it (hosts, their system-assigned identities,
    /// user-assigned identities, targets). Role assignments stay, orphaned.
    DeleteResourceGroup {
        name: String,
    },
    CreateCompute {
        kind: ComputeKind,
        resource_group: String,
        name: String,
    },
    CreateTarget {
        kind: TargetKind,
        resource_group: String,
        name: String,
    },
    /// Deletes a compute host (and its system-assigned identity) or a target.
    DeleteResource {
        name: String,
    },
    EnableSystemAssigned {
        resource: String,
    },
    DisableSystemAssigned {
        resource: String,
    },
    CreateIdentity {
        resource_group: String,
        name: String,
    },
    DeleteIdentity {
        name: String,
    },
    AssignIdentity {
        resource: String,
        identity: String,
    },
    UnassignIdentity {
        resource: String,
        identity: String,
    },
    CreateRoleAssignment {
        principal: PrincipalRef,
        role: Role,
        scope: Scope,
    },
    /// Deletes a role assignment by its name (a GUID).
    DeleteRoleAssignment {
        name: String,
    },
    /// `CREATE USER [<identity name>] FROM EXTERNAL PROVIDER` in an Azure SQL database.
    CreateSqlUser {
        database: String,
        principal: PrincipalRef,
    },
    DropSqlUser {
        database: String,
        user: String,
    },
    AdvanceClock {
        seconds: u64,
    },
    /// An AKS cluster with its OIDC issuer and workload identity on (`super::federation`).
    CreateCluster {
        resource_group: String,
        name: String,
    },
    /// A service account `name` in `namespace`, annotated with `identity`'s client id, and a
    /// pod running as it.
    DeployWorkload {
        cluster: String,
        namespace: String,
        name: String,
        identity: String,
    },
    DeleteWorkload {
        name: String,
    },
    /// A federated identity credential on `identity` trusting `cluster`'s issuer for
    /// `system:serviceaccount:<namespace>:<service_account>`.
    CreateFederatedCredential {
        identity: String,
        name: String,
        cluster: String,
        namespace: String,
        service_account: String,
    },
    DeleteFederatedCredential {
        identity: String,
        name: String,
    },
}

/// The broad class of an [`ActionError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    AlreadyExists,
    InvalidName,
    InvalidValue,
    NotSupported,
    /// The thing is already in the requested state (e.g. enabling twice).
    NoChange,
}

/// Why an action was refused: what, why, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    pub kind: ErrorKind,
    pub what: String,
    pub why: String,
    pub fix: String,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} — {} Fix: {}", self.what, self.why, self.fix)
    }
}

impl std::error::Error for ActionError {}

/// An [`ActionError`] and the position of the failing action in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionErrorAt {
    pub index: usize,
    pub error: ActionError,
}

impl fmt::Display for ActionErrorAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {}: {}", self.index + 1, self.error)
    }
}

#[inline(never)]
pub(super) fn error(kind: ErrorKind, what: String, why: &str, fix: impl Text) -> ActionError {
    ActionError {
        kind,
        what,
        why: owned(why),
        fix: fix.text(),
    }
}

/// What an applied action did, and how you would do it for real.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// One plain sentence, e.g. "Enabled the system-assigned identity of vm-web (principal id …)".
    pub summary: String,
    /// The `az` command, Bicep snippet and `az` JSON output.
    pub cli: CliText,
}

/// The seed of the default scenario.
pub const DEFAULT_SEED: u64 = 20_251_201;

/// The default scenario in DSL form (see [`default_scenario_actions`]).
pub const DEFAULT_SCENARIO: &str = "rg:rg-playground;c:vm:rg-playground:vm-web;si:vm-web;\
id:rg-playground:id-orders;id:rg-playground:id-reports;ua:vm-web:id-orders;ua:vm-web:id-reports;\
c:app:rg-playground:app-shop;si:app-shop;t:kv:rg-playground:kv-contoso-demo;\
ra:u:id-orders:kvsu:r/kv-contoso-demo";

/// The default scenario: VM `vm-web` (system-assigned on, user-assigned `id-orders` and
/// `id-reports`), App Service `app-shop` (system-assigned on), Key Vault `kv-contoso-demo`
/// with a secret, all in `rg-playground`; `id-orders` holds Key Vault Secrets User on the vault.
pub fn default_scenario_actions() -> Vec<Action> {
    super::dsl::parse_actions(DEFAULT_SCENARIO).unwrap_or_default()
}

impl World {
    /// Replays `actions` on a fresh world that starts at `start` (unix seconds). Returns the
    /// index and error of the first invalid one.
    pub fn replay(
        seed: u64,
        start: u64,
        actions: &[Action],
    ) -> Result<World, (usize, ActionError)> {
        let mut w = World::new(seed, start);
        for (i, a) in actions.iter().enumerate() {
            // In place and undescribed: a failed action's world is dropped, so it needs neither
            // `apply`'s copy (a copy of the whole world per action made a list quadratic) nor
            // the `az` text nobody reads.
            w.apply_inner(a).map_err(|e| (i, e))?;
        }
        Ok(w)
    }

    /// The default scenario's world (seed [`DEFAULT_SEED`]) starting at `start`.
    pub fn default_scenario(start: u64) -> World {
        World::replay(DEFAULT_SEED, start, &default_scenario_actions())
            .unwrap_or_else(|_| World::new(DEFAULT_SEED, start))
    }

    /// Applies `actions` in order, all or nothing: on the first error nothing changes and the
    /// error says which action (0-based) failed.
    pub fn apply_all(&mut self, actions: &[Action]) -> Result<Vec<Outcome>, ActionErrorAt> {
        let mut next = self.clone();
        let mut done = Vec::with_capacity(actions.len());
        for (index, a) in actions.iter().enumerate() {
            // On an error `next` is dropped: one copy of the world for the whole list.
            match next.apply_in_place(a) {
                Ok(o) => done.push(o),
                Err(error) => return Err(ActionErrorAt { index, error }),
            }
        }
        *self = next;
        Ok(done)
    }

    /// Applies one action. On error nothing changes.
    pub fn apply(&mut self, action: &Action) -> Result<Outcome, ActionError> {
        let mut next = self.clone();
        let outcome = next.apply_in_place(action)?;
        *self = next;
        Ok(outcome)
    }

    /// Applies one action to this world and describes it. On error the world may be partly
    /// changed: callers drop it (replays, [`World::apply_all`]'s copy) or work on a copy.
    pub(crate) fn apply_in_place(&mut self, action: &Action) -> Result<Outcome, ActionError> {
        let before = cli::before_text(self, action);
        let summary = self.apply_inner(action)?;
        let cli = cli::describe_after(self, action, &before);
        Ok(Outcome { summary, cli })
    }

    pub(super) fn need_rg(&self, rg: &str) -> Result<String, ActionError> {
        self.resource_group(rg).map(|g| g.name.clone()).ok_or_else(|| {
            error(
                ErrorKind::NotFound,
                format!("Resource group '{rg}' could not be found."),
                "Resources live in a resource group, and this one does not exist (yet, or any more).",
                format!("Create it first (rg:{rg}) or pick an existing group."),
            )
        })
    }

    pub(super) fn need_unique(&self, name: &str) -> Result<(), ActionError> {
        if self.find(name).is_some() || self.workload(name).is_some() {
            return Err(error(
                ErrorKind::AlreadyExists,
                format!("A resource named '{name}' already exists."),
                "The playground keeps names unique across the whole world (Azure scopes most names to a group and type; Key Vault and Storage names are even globally unique).",
                "Choose another name, or delete the existing resource first.".to_string(),
            ));
        }
        Ok(())
    }

    fn need_compute(&self, name: &str) -> Result<usize, ActionError> {
        if let Some(i) = self
            .computes
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
        {
            return Ok(i);
        }
        let why = if self.find(name).is_some() {
            "That resource exists but is not a compute host (VM, scale set, web app, function app, container app, Arc server); only hosts have managed identities."
        } else {
            "No compute host has that name."
        };
        Err(error(
            ErrorKind::NotFound,
            format!("Compute resource '{name}' was not found."),
            why,
            "Create the host first, or check the name.".to_string(),
        ))
    }

    pub(super) fn need_identity(&self, name: &str) -> Result<usize, ActionError> {
        self.identities
            .iter()
            .position(|i| i.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                error(
                    ErrorKind::NotFound,
                    format!("User-assigned identity '{name}' was not found."),
                    "It was never created, or it has been deleted.",
                    format!("Create it first (id:<group>:{name})."),
                )
            })
    }

    fn need_target(&self, name: &str) -> Result<usize, ActionError> {
        self.targets
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                error(
                    ErrorKind::NotFound,
                    format!("Target resource '{name}' was not found."),
                    "No Key Vault, Storage account or SQL database has that name.",
                    "Create it first, or check the name.".to_string(),
                )
            })
    }

    fn need_principal(&self, p: &PrincipalRef) -> Result<(ServicePrincipal, String), ActionError> {
        match p {
            PrincipalRef::SystemAssigned(host) => {
                let i = self.need_compute(host)?;
                let c = self.computes.get(i).ok_or_else(internal)?;
                let sp = c.system_identity.clone().ok_or_else(|| {
                    error(
                        ErrorKind::NotFound,
                        format!("'{}' has no system-assigned identity.", c.name),
                        "Its system-assigned identity is off, so there is no principal to name.",
                        format!("Enable it first (si:{}).", c.name),
                    )
                })?;
                Ok((sp, c.name.clone()))
            }
            PrincipalRef::UserAssigned(name) => {
                let i = self.need_identity(name)?;
                let id = self.identities.get(i).ok_or_else(internal)?;
                Ok((id.sp.clone(), id.name.clone()))
            }
        }
    }

    fn apply_inner(&mut self, action: &Action) -> Result<String, ActionError> {
        match action {
            Action::CreateResourceGroup { name } => {
                validate_name(name, NameRule::ResourceGroup)?;
                if let Some(g) = self.resource_group(name) {
                    return Err(error(
                        ErrorKind::AlreadyExists,
                        format!("Resource group '{}' already exists.", g.name),
                        "Group names are unique within a subscription (case-insensitively).",
                        "Use the existing group, or choose another name.".to_string(),
                    ));
                }
                self.resource_groups
                    .push(ResourceGroup { name: name.clone() });
                Ok(format!("Created resource group {name}."))
            }
            Action::DeleteResourceGroup { name } => {
                let rg = self.need_rg(name)?;
                let in_rg = |g: &str| g.eq_ignore_ascii_case(&rg);
                let gone_ids: Vec<String> = self
                    .identities
                    .iter()
                    .filter(|i| in_rg(&i.resource_group))
                    .map(|i| i.name.clone())
                    .collect();
                let n = self
                    .computes
                    .iter()
                    .filter(|c| in_rg(&c.resource_group))
                    .count()
                    + self
                        .targets
                        .iter()
                        .filter(|t| in_rg(&t.resource_group))
                        .count()
                    + gone_ids.len();
                let gone_clusters: Vec<String> = self
                    .clusters
                    .iter()
                    .filter(|c| in_rg(&c.resource_group))
                    .map(|c| c.name.clone())
                    .collect();
                let n = n + gone_clusters.len();
                for c in &gone_clusters {
                    self.remove_cluster(c);
                }
                self.computes.retain(|c| !in_rg(&c.resource_group));
                self.targets.retain(|t| !in_rg(&t.resource_group));
                self.identities.retain(|i| !in_rg(&i.resource_group));
                for c in &mut self.computes {
                    c.user_identities
                        .retain(|u| !gone_ids.iter().any(|g| g.eq_ignore_ascii_case(u)));
                }
                self.resource_groups.retain(|g| !in_rg(&g.name));
                Ok(format!(
                    "Deleted resource group {rg} and the {n} resource(s) in it. Role assignments that pointed at their identities remain, orphaned."
                ))
            }
            Action::CreateCompute {
                kind,
                resource_group,
                name,
            } => {
                let rg = self.need_rg(resource_group)?;
                validate_name(name, NameRule::Compute)?;
                self.need_unique(name)?;
                let identity_header = self.new_guid();
                let system_identity = if *kind == ComputeKind::ArcServer {
                    Some(self.new_sp())
                } else {
                    None
                };
                self.computes.push(Compute {
                    kind: *kind,
                    name: name.clone(),
                    resource_group: rg,
                    system_identity,
                    user_identities: Vec::new(),
                    identity_header,
                    created: self.now,
                });
                let extra = if *kind == ComputeKind::ArcServer {
                    " Arc servers get their system-assigned identity when they connect."
                } else {
                    ""
                };
                Ok(format!("Created {} {name}.{extra}", kind.label()))
            }
            Action::CreateTarget {
                kind,
                resource_group,
                name,
            } => {
                let rg = self.need_rg(resource_group)?;
                let rule = match kind {
                    TargetKind::KeyVault => NameRule::KeyVault,
                    TargetKind::StorageAccount => NameRule::Storage,
                    TargetKind::SqlDatabase => NameRule::Compute,
                };
                validate_name(name, rule)?;
                self.need_unique(name)?;
                let items = match kind {
                    TargetKind::KeyVault => vec![(
                        "db-password".to_string(),
                        "correct-horse-battery-staple".to_string(),
                    )],
                    TargetKind::StorageAccount => {
                        vec![("data/hello.txt".to_string(), format!("Hello from {name}!"))]
                    }
                    TargetKind::SqlDatabase => Vec::new(),
                };
                self.targets.push(Target {
                    kind: *kind,
                    name: name.clone(),
                    resource_group: rg,
                    items,
                    sql_users: Vec::new(),
                    created: self.now,
                });
                Ok(format!("Created {} {name}.", kind.label()))
            }
            Action::DeleteResource { name } => {
                if let Some(i) = self
                    .computes
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
                {
                    let c = self.computes.remove(i);
                    let sys = match &c.system_identity {
                        Some(sp) => format!(
                            " Its system-assigned identity (principal id {}) was deleted with it; role assignments naming it remain, orphaned.",
                            sp.principal_id
                        ),
                        None => String::new(),
                    };
                    return Ok(format!("Deleted {} {}.{sys}", c.kind.label(), c.name));
                }
                if let Some(i) = self
                    .targets
                    .iter()
                    .position(|t| t.name.eq_ignore_ascii_case(name))
                {
                    let t = self.targets.remove(i);
                    return Ok(format!("Deleted {} {}.", t.kind.label(), t.name));
                }
                if let Some(summary) = self.remove_cluster(name) {
                    return Ok(summary);
                }
                if self.identity(name).is_some() {
                    return Err(error(
                        ErrorKind::NotSupported,
                        format!("'{name}' is a user-assigned identity."),
                        "Identities are deleted with the identity action, which also explains what happens to the hosts using it.",
                        format!("Use DeleteIdentity (-id:{name})."),
                    ));
                }
                Err(error(
                    ErrorKind::NotFound,
                    format!("Resource '{name}' was not found."),
                    "It was never created, or it has already been deleted.",
                    "Check the name against the resource list.".to_string(),
                ))
            }
            Action::EnableSystemAssigned { resource } => {
                let i = self.need_compute(resource)?;
                let c = self.computes.get(i).ok_or_else(internal)?;
                if let Some(sp) = &c.system_identity {
                    return Err(error(
                        ErrorKind::NoChange,
                        format!("'{}' already has a system-assigned identity.", c.name),
                        &format!("Its principal id is {}; enabling again in Azure is a no-op that returns the same identity.", sp.principal_id),
                        "Nothing to do. To get a new identity, disable it and enable it again (the new one has new ids and no role assignments).".to_string(),
                    ));
                }
                let sp = self.new_sp();
                let pid = sp.principal_id.clone();
                let c = self.computes.get_mut(i).ok_or_else(internal)?;
                c.system_identity = Some(sp);
                Ok(format!(
                    "Enabled the system-assigned identity of {} (principal id {pid}).",
                    c.name
                ))
            }
            Action::DisableSystemAssigned { resource } => {
                let i = self.need_compute(resource)?;
                let c = self.computes.get_mut(i).ok_or_else(internal)?;
                if c.kind == ComputeKind::ArcServer {
                    return Err(error(
                        ErrorKind::NotSupported,
                        format!("The system-assigned identity of Arc server '{}' cannot be turned off.", c.name),
                        "An Azure Arc-enabled server always has its system-assigned identity; it goes away only when the server is disconnected (azcmagent disconnect) or deleted.",
                        format!("Delete the server instead (-r:{}).", c.name),
                    ));
                }
                let Some(sp) = c.system_identity.take() else {
                    return Err(error(
                        ErrorKind::NoChange,
                        format!("'{}' has no system-assigned identity.", c.name),
                        "It is already off.",
                        format!("Nothing to do; enable it with si:{}.", c.name),
                    ));
                };
                Ok(format!(
                    "Disabled the system-assigned identity of {}: principal {} is deleted; its role assignments remain, orphaned. Enabling again creates a new identity with new ids.",
                    c.name, sp.principal_id
                ))
            }
            Action::CreateIdentity {
                resource_group,
                name,
            } => {
                let rg = self.need_rg(resource_group)?;
                validate_name(name, NameRule::Identity)?;
                self.need_unique(name)?;
                let sp = self.new_sp();
                let msg = format!(
                    "Created user-assigned identity {name} (principal id {}, client id {}).",
                    sp.principal_id, sp.client_id
                );
                self.identities.push(UserAssignedIdentity {
                    name: name.clone(),
                    resource_group: rg,
                    sp,
                    created: self.now,
                    federated_credentials: Vec::new(),
                });
                Ok(msg)
            }
            Action::DeleteIdentity { name } => {
                let i = self.need_identity(name)?;
                let id = self.identities.remove(i);
                let mut users = Vec::new();
                for c in &mut self.computes {
                    let before = c.user_identities.len();
                    c.user_identities
                        .retain(|u| !u.eq_ignore_ascii_case(&id.name));
                    if c.user_identities.len() != before {
                        users.push(c.name.clone());
                    }
                }
                let hosts = if users.is_empty() {
                    String::new()
                } else {
                    format!(" It is gone from {} (the playground removes the reference; Azure may keep a dangling one).", users.join(", "))
                };
                Ok(format!(
                    "Deleted user-assigned identity {} (principal id {}). Tokens already issued for it stay valid until they expire; its role assignments remain, orphaned.{hosts}",
                    id.name, id.sp.principal_id
                ))
            }
            Action::AssignIdentity { resource, identity } => {
                let ci = self.need_compute(resource)?;
                let ii = self.need_identity(identity)?;
                let id_name = self.identities.get(ii).ok_or_else(internal)?.name.clone();
                let c = self.computes.get_mut(ci).ok_or_else(internal)?;
                if !c.kind.supports_user_assigned() {
                    return Err(error(
                        ErrorKind::NotSupported,
                        format!("{} '{}' cannot hold user-assigned identities.", c.kind.label(), c.name),
                        "Azure Arc-enabled servers support only their system-assigned identity.",
                        "Give the Arc server's system-assigned identity the roles it needs instead.".to_string(),
                    ));
                }
                if c.user_identities
                    .iter()
                    .any(|u| u.eq_ignore_ascii_case(&id_name))
                {
                    return Err(error(
                        ErrorKind::NoChange,
                        format!("'{id_name}' is already assigned to '{}'.", c.name),
                        "An identity is attached to a resource at most once.",
                        "Nothing to do.".to_string(),
                    ));
                }
                c.user_identities.push(id_name.clone());
                Ok(format!(
                    "Assigned user-assigned identity {id_name} to {}.",
                    c.name
                ))
            }
            Action::UnassignIdentity { resource, identity } => {
                let ci = self.need_compute(resource)?;
                let c = self.computes.get_mut(ci).ok_or_else(internal)?;
                let Some(pos) = c
                    .user_identities
                    .iter()
                    .position(|u| u.eq_ignore_ascii_case(identity))
                else {
                    return Err(error(
                        ErrorKind::NotFound,
                        format!("'{identity}' is not assigned to '{}'.", c.name),
                        "Only an assigned identity can be removed.",
                        format!("Check the identities of {} first.", c.name),
                    ));
                };
                let name = c.user_identities.remove(pos);
                Ok(format!(
                    "Removed user-assigned identity {name} from {}. The identity itself still exists, with its role assignments.",
                    c.name
                ))
            }
            Action::CreateRoleAssignment {
                principal,
                role,
                scope,
            } => {
                let (sp, display) = self.need_principal(principal)?;
                let scope_id = self.scope_arm_id(scope).ok_or_else(|| {
                    let what = match scope {
                        Scope::Subscription => "the subscription".to_string(),
                        Scope::ResourceGroup(g) => format!("resource group '{g}'"),
                        Scope::Resource(r) => format!("resource '{r}'"),
                    };
                    error(
                        ErrorKind::NotFound,
                        format!("The scope {what} was not found."),
                        "A role assignment applies to an existing subscription, group or resource.",
                        "Create the scope first or pick another one.".to_string(),
                    )
                })?;
                if self.role_assignments.iter().any(|ra| {
                    ra.role == *role
                        && ra.principal_id.eq_ignore_ascii_case(&sp.principal_id)
                        && crate::arm::same_arm_id(&ra.scope, &scope_id)
                }) {
                    return Err(error(
                        ErrorKind::AlreadyExists,
                        "RoleAssignmentExists: The role assignment already exists.".to_string(),
                        "The same principal already holds this role at this scope.",
                        "Nothing to do.".to_string(),
                    ));
                }
                let name = self.new_guid();
                self.role_assignments.push(RoleAssignment {
                    name: name.clone(),
                    principal_id: sp.principal_id.clone(),
                    role: *role,
                    scope: scope_id.clone(),
                    created: self.now,
                });
                Ok(format!(
                    "Gave {display} (object id {}) the role {} at scope {scope_id} (assignment {name}). Azure may take up to ~10 minutes to apply it.",
                    sp.principal_id,
                    role.name()
                ))
            }
            Action::DeleteRoleAssignment { name } => {
                let Some(pos) = self
                    .role_assignments
                    .iter()
                    .position(|ra| ra.name.eq_ignore_ascii_case(name))
                else {
                    return Err(error(
                        ErrorKind::NotFound,
                        format!("Role assignment '{name}' was not found."),
                        "No role assignment has that name (a GUID).",
                        "Pick one from the role assignment list.".to_string(),
                    ));
                };
                let ra = self.role_assignments.remove(pos);
                Ok(format!(
                    "Deleted role assignment {} ({} for {} at {}).",
                    ra.name,
                    ra.role.name(),
                    ra.principal_id,
                    ra.scope
                ))
            }
            Action::CreateSqlUser {
                database,
                principal,
            } => {
                let ti = self.need_sql(database)?;
                let (sp, display) = self.need_principal(principal)?;
                let t = self.targets.get_mut(ti).ok_or_else(internal)?;
                if t.sql_users
                    .iter()
                    .any(|u| u.name.eq_ignore_ascii_case(&display))
                {
                    return Err(error(
                        ErrorKind::AlreadyExists,
                        format!("The server principal '{display}' already exists in database '{}'.", t.name),
                        "A contained user with that name exists (maybe mapped to an earlier identity of the same name).",
                        format!("Drop it first (-sql:{}:{display}).", t.name),
                    ));
                }
                t.sql_users.push(SqlUser {
                    name: display.clone(),
                    client_id: sp.client_id.clone(),
                });
                Ok(format!(
                    "Created contained user [{display}] FROM EXTERNAL PROVIDER in {}, mapped to client id {}. Azure RBAC roles do not grant SQL data access; database users and their roles do.",
                    t.name, sp.client_id
                ))
            }
            Action::DropSqlUser { database, user } => {
                let ti = self.need_sql(database)?;
                let t = self.targets.get_mut(ti).ok_or_else(internal)?;
                let Some(pos) = t
                    .sql_users
                    .iter()
                    .position(|u| u.name.eq_ignore_ascii_case(user))
                else {
                    return Err(error(
                        ErrorKind::NotFound,
                        format!("Cannot drop the user '{user}', because it does not exist in database '{}'.", t.name),
                        "No contained user has that name.",
                        "Check the database's users.".to_string(),
                    ));
                };
                let u = t.sql_users.remove(pos);
                Ok(format!("Dropped user [{}] from {}.", u.name, t.name))
            }
            Action::CreateCluster { .. }
            | Action::DeployWorkload { .. }
            | Action::DeleteWorkload { .. }
            | Action::CreateFederatedCredential { .. }
            | Action::DeleteFederatedCredential { .. } => self.apply_federation(action),
            Action::AdvanceClock { seconds } => {
                if *seconds == 0 || *seconds > 10 * 365 * 86_400 {
                    return Err(error(
                        ErrorKind::InvalidValue,
                        format!("Cannot advance the clock by {seconds} seconds."),
                        "The clock moves forward by 1 second to 10 years.",
                        "Use a positive number of seconds, e.g. 3600 for an hour.".to_string(),
                    ));
                }
                self.now += seconds;
                Ok(format!(
                    "Advanced the clock by {seconds} s to {}.",
                    super::time::iso(self.now)
                ))
            }
        }
    }

    fn need_sql(&self, database: &str) -> Result<usize, ActionError> {
        let ti = self.need_target(database)?;
        match self.targets.get(ti) {
            Some(t) if t.kind == TargetKind::SqlDatabase => Ok(ti),
            Some(t) => Err(error(
                ErrorKind::NotSupported,
                format!(
                    "'{}' is a {}, not an Azure SQL database.",
                    t.name,
                    t.kind.label()
                ),
                "Contained database users exist only in SQL databases.",
                "Pick a SQL database.".to_string(),
            )),
            None => Err(internal()),
        }
    }
}

pub(super) fn internal() -> ActionError {
    error(
        ErrorKind::InvalidValue,
        "Internal inconsistency.".to_string(),
        "The playground lost track of a resource it had just found.",
        "Please report this.".to_string(),
    )
}

#[derive(Debug, Clone, Copy)]
pub(super) enum NameRule {
    ResourceGroup,
    Compute,
    Identity,
    KeyVault,
    Storage,
}

pub(super) fn validate_name(name: &str, rule: NameRule) -> Result<(), ActionError> {
    let bad = |why: &str, fix: &str| {
        Err(error(
            ErrorKind::InvalidName,
            format!("'{name}' is not a valid name."),
            why,
            fix.to_string(),
        ))
    };
    match rule {
        NameRule::KeyVault => {
            let ok = (3..=24).contains(&name.len())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && name.starts_with(|c: char| c.is_ascii_alphabetic())
                && !name.ends_with('-')
                && !name.contains("--");
            if !ok {
                return bad(
                    "A Key Vault name has 3-24 characters: letters, digits and single hyphens, starting with a letter and not ending with a hyphen.",
                    "Use e.g. kv-contoso-demo.",
                );
            }
        }
        NameRule::Storage => {
            let ok = (3..=24).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !ok {
                return bad(
                    "A Storage account name has 3-24 lowercase letters and digits only.",
                    "Use e.g. stcontosodemo.",
                );
            }
        }
        NameRule::ResourceGroup | NameRule::Compute | NameRule::Identity => {
            let max = if matches!(rule, NameRule::ResourceGroup) {
                90
            } else {
                64
            };
            let ok = !name.is_empty()
                && name.len() <= max
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
                && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                && !name.ends_with('.');
            if !ok {
                return bad(
                    "Names here use 1-64 letters, digits, '-', '_' or '.', start with a letter or digit and do not end with '.'.",
                    "Use e.g. vm-web or id-orders.",
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::dsl::{parse_actions, MAX_ACTIONS};
    use crate::cloud::time::EPOCH;

    /// Every kind of action, in an order where each applies (the role assignment deletion is
    /// added by [`every_kind`]).
    const EVERY_KIND: &str = "rg:g;rg:h;c:vm:g:vm;c:app:g:app;c:arc:g:srv;t:kv:g:kv-demo1;\
t:st:g:stdemo1;t:sql:g:db;si:vm;si:app;id:g:i1;id:h:i2;ua:vm:i1;ua:vm:i2;ua:app:i2;\
ra:u:i1:kvsu:r/kv-demo1;ra:s:vm:reader:rg/g;ra:u:i2:contrib:sub;sql:db:u:i1;sql:db:s:vm;\
-sql:db:i1;-ua:vm:i1;clk:3600;-si:vm;-id:i2;-r:app;-r:stdemo1;-rg:h";

    fn every_kind() -> Vec<Action> {
        let mut actions = parse_actions(EVERY_KIND).unwrap();
        let w = World::replay(3, EPOCH, &actions).unwrap();
        let name = w.role_assignments[0].name.clone();
        actions.insert(20, Action::DeleteRoleAssignment { name });
        actions.push(Action::DeleteResourceGroup { name: "g".into() });
        actions
    }

    /// The world and outcomes of applying `actions` one at a time, up to the first error.
    fn one_by_one(actions: &[Action]) -> (World, Vec<Outcome>, Option<(usize, ActionError)>) {
        let mut w = World::new(3, EPOCH);
        let mut done = Vec::new();
        for (i, a) in actions.iter().enumerate() {
            let before = w.clone();
            match w.apply(a) {
                Ok(o) => done.push(o),
                Err(e) => {
                    assert_eq!(w, before, "a failed apply changed the world");
                    return (w, done, Some((i, e)));
                }
            }
        }
        (w, done, None)
    }

    #[test]
    fn replay_in_place_equals_applying_one_by_one() {
        // Found by fuzzing: replay copied and described the whole world per action, so 1 MiB of
        // `rg:gN;` took minutes. It now applies in place; results must not change.
        let actions = every_kind();
        let (w, outcomes, err) = one_by_one(&actions);
        assert_eq!(err, None);
        assert_eq!(outcomes.len(), actions.len());
        assert_eq!(World::replay(3, EPOCH, &actions), Ok(w.clone()));
        // apply_all: the same outcomes as one by one, and nothing changes on an error.
        let mut all = World::new(3, EPOCH);
        assert_eq!(all.apply_all(&actions), Ok(outcomes));
        assert_eq!(all, w);
        let bad = [
            Action::AdvanceClock { seconds: 60 },
            Action::EnableSystemAssigned {
                resource: "srv".into(),
            },
        ];
        let e = all.apply_all(&bad).unwrap_err();
        assert_eq!(e.index, 1);
        assert_eq!(all, w);
        // Errors: the same index and error as one by one, wherever the bad action is.
        for k in [0, 5, 17, actions.len()] {
            let mut with_bad = actions.clone();
            with_bad.insert(
                k,
                Action::CreateResourceGroup {
                    name: "bad name".into(),
                },
            );
            let (_, _, err) = one_by_one(&with_bad);
            assert_eq!(
                World::replay(3, EPOCH, &with_bad).unwrap_err(),
                err.unwrap()
            );
        }
    }

    #[test]
    fn replays_the_longest_list_a_link_may_hold() {
        let text = (0..MAX_ACTIONS)
            .map(|n| format!("rg:g{n}"))
            .collect::<Vec<_>>()
            .join(";");
        let w = World::replay(3, EPOCH, &parse_actions(&text).unwrap()).unwrap();
        assert_eq!(w.resource_groups.len(), MAX_ACTIONS);
    }
}
