//! The simulated Azure's nouns: tenant, subscription, resource groups, compute hosts,
//! user-assigned identities, target resources, roles and role assignments.

use crate::arm::ArmId;
pub use crate::endpoint::sources::FederatedCredential;

/// The single Entra tenant of the simulated world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: String,
    /// Shown in Entra errors ("…was not found in the tenant named Contoso").
    pub display_name: String,
    /// Unix seconds of the tenant's creation (the `xms_tcdt` claim).
    pub created: u64,
}

/// The single subscription of the simulated world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    pub display_name: String,
}

/// A resource group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceGroup {
    pub name: String,
}

/// The service principal behind a managed identity: object (principal) id and client (app) id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePrincipal {
    /// Object id: the `oid`/`sub` claims; what role assignments point to.
    pub principal_id: String,
    /// Application (client) id: the `appid` claim; what `client_id` selectors name.
    pub client_id: String,
}

/// The kinds of compute that can hold managed identities and ask for tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComputeKind {
    VirtualMachine,
    VmScaleSet,
    AppService,
    FunctionApp,
    ContainerApp,
    ArcServer,
}

impl ComputeKind {
    pub const ALL: [ComputeKind; 6] = [
        ComputeKind::VirtualMachine,
        ComputeKind::VmScaleSet,
        ComputeKind::AppService,
        ComputeKind::FunctionApp,
        ComputeKind::ContainerApp,
        ComputeKind::ArcServer,
    ];

    /// Human name, e.g. "Virtual Machine".
    pub fn label(self) -> &'static str {
        match self {
            ComputeKind::VirtualMachine => "Virtual Machine",
            ComputeKind::VmScaleSet => "VM Scale Set",
            ComputeKind::AppService => "App Service web app",
            ComputeKind::FunctionApp => "Function App",
            ComputeKind::ContainerApp => "Container App",
            ComputeKind::ArcServer => "Azure Arc server",
        }
    }

    /// Short code used in the action DSL.
    pub fn code(self) -> &'static str {
        match self {
            ComputeKind::VirtualMachine => "vm",
            ComputeKind::VmScaleSet => "vmss",
            ComputeKind::AppService => "app",
            ComputeKind::FunctionApp => "func",
            ComputeKind::ContainerApp => "aca",
            ComputeKind::ArcServer => "arc",
        }
    }

    pub fn from_code(code: &str) -> Option<ComputeKind> {
        ComputeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// ARM provider namespace and type.
    pub fn arm_type(self) -> (&'static str, &'static str) {
        match self {
            ComputeKind::VirtualMachine => ("Microsoft.Compute", "virtualMachines"),
            ComputeKind::VmScaleSet => ("Microsoft.Compute", "virtualMachineScaleSets"),
            ComputeKind::AppService | ComputeKind::FunctionApp => ("Microsoft.Web", "sites"),
            ComputeKind::ContainerApp => ("Microsoft.App", "containerApps"),
            ComputeKind::ArcServer => ("Microsoft.HybridCompute", "machines"),
        }
    }

    /// Which token endpoint code on this host talks to.
    pub fn endpoint(self) -> EndpointKind {
        match self {
            ComputeKind::VirtualMachine | ComputeKind::VmScaleSet => EndpointKind::Imds,
            ComputeKind::AppService | ComputeKind::FunctionApp => EndpointKind::AppService,
            ComputeKind::ContainerApp => EndpointKind::ContainerApps,
            ComputeKind::ArcServer => EndpointKind::Arc,
        }
    }

    /// Whether user-assigned identities can be attached (Arc servers: system-assigned only).
    pub fn supports_user_assigned(self) -> bool {
        !matches!(self, ComputeKind::ArcServer)
    }

    /// The `az` command group, e.g. `vm`, `webapp`.
    pub fn az_group(self) -> &'static str {
        match self {
            ComputeKind::VirtualMachine => "vm",
            ComputeKind::VmScaleSet => "vmss",
            ComputeKind::AppService => "webapp",
            ComputeKind::FunctionApp => "functionapp",
            ComputeKind::ContainerApp => "containerapp",
            ComputeKind::ArcServer => "connectedmachine",
        }
    }
}

/// The token endpoint families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointKind {
    /// Azure Instance Metadata Service at 169.254.169.254 (VM, VMSS).
    Imds,
    /// App Service / Functions local endpoint (2019-08-01 and legacy 2017-09-01).
    AppService,
    /// Container Apps local endpoint (2019-08-01 protocol).
    ContainerApps,
    /// Azure Arc agent (himds) at localhost:40342 with a file-based challenge.
    Arc,
}

/// A compute resource that can hold identities and request tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compute {
    pub kind: ComputeKind,
    pub name: String,
    pub resource_group: String,
    /// The system-assigned identity, if enabled. Re-enabling creates a new one.
    pub system_identity: Option<ServicePrincipal>,
    /// Names of the assigned user-assigned identities, in assignment order.
    pub user_identities: Vec<String>,
    /// App Service / Container Apps `IDENTITY_HEADER` (and `MSI_SECRET`) value.
    pub identity_header: String,
    pub created: u64,
}

/// A user-assigned identity: an ARM resource of its own, shareable between hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAssignedIdentity {
    pub name: String,
    pub resource_group: String,
    pub sp: ServicePrincipal,
    pub created: u64,
    /// Its federated identity credentials (a child resource: deleted with the identity).
    pub federated_credentials: Vec<FederatedCredential>,
}

/// An AKS cluster with its OIDC issuer and workload identity enabled: the issuer whose
/// service-account tokens Entra accepts through federated credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: String,
    pub resource_group: String,
    /// `oidcIssuerProfile.issuerUrl`, `https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/`:
    /// new for every cluster, so a recreated cluster no longer matches old credentials.
    pub issuer: String,
    pub created: u64,
}

/// A Kubernetes workload using workload identity: service account `name` in `namespace`,
/// annotated `azure.workload.identity/client-id`, and a pod labelled
/// `azure.workload.identity/use: "true"` running as it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// The service account's (and deployment's) name.
    pub name: String,
    pub cluster: String,
    pub namespace: String,
    /// The annotation's value: copied when deployed, so it outlives the identity it names.
    pub client_id: String,
    /// The identity whose client id was annotated (for display).
    pub identity: String,
    pub service_account_uid: String,
    pub pod_name: String,
    pub pod_uid: String,
    pub created: u64,
}

impl Workload {
    /// The subject of its service-account tokens: `system:serviceaccount:<namespace>:<name>`.
    pub fn subject(&self) -> String {
        crate::endpoint::sources::federated::subject_of(&self.namespace, &self.name)
    }
}

/// Kinds of resources a workload wants a token for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    KeyVault,
    StorageAccount,
    SqlDatabase,
}

impl TargetKind {
    pub const ALL: [TargetKind; 3] = [
        TargetKind::KeyVault,
        TargetKind::StorageAccount,
        TargetKind::SqlDatabase,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TargetKind::KeyVault => "Key Vault",
            TargetKind::StorageAccount => "Storage account",
            TargetKind::SqlDatabase => "Azure SQL database",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TargetKind::KeyVault => "kv",
            TargetKind::StorageAccount => "st",
            TargetKind::SqlDatabase => "sql",
        }
    }

    pub fn from_code(code: &str) -> Option<TargetKind> {
        TargetKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn arm_type(self) -> (&'static str, &'static str) {
        match self {
            TargetKind::KeyVault => ("Microsoft.KeyVault", "vaults"),
            TargetKind::StorageAccount => ("Microsoft.Storage", "storageAccounts"),
            // A database is a child of a logical server; the simulator names the server after
            // the database (`<name>-srv`) to keep one name per target.
            TargetKind::SqlDatabase => ("Microsoft.Sql", "servers/databases"),
        }
    }

    /// The token audience (`resource`) the data plane expects.
    pub fn audience(self) -> &'static str {
        match self {
            TargetKind::KeyVault => "https://vault.azure.net",
            TargetKind::StorageAccount => "https://storage.azure.com",
            TargetKind::SqlDatabase => "https://database.windows.net",
        }
    }
}

/// A target resource and its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub name: String,
    pub resource_group: String,
    /// Key Vault: secrets (name, value); Storage: blobs (container/blob path, content);
    /// SQL: unused.
    pub items: Vec<(String, String)>,
    /// SQL only: contained database users created `FROM EXTERNAL PROVIDER`.
    pub sql_users: Vec<SqlUser>,
    pub created: u64,
}

/// A contained database user mapped to an Entra principal (`CREATE USER [x] FROM EXTERNAL
/// PROVIDER`). SQL stores the principal's client (application) id as the user's SID at
/// creation time, so recreating the identity leaves this user pointing at the old one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlUser {
    pub name: String,
    pub client_id: String,
}

/// The built-in roles the playground knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    KeyVaultSecretsUser,
    StorageBlobDataReader,
    Reader,
    Contributor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::KeyVaultSecretsUser,
        Role::StorageBlobDataReader,
        Role::Reader,
        Role::Contributor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::KeyVaultSecretsUser => "Key Vault Secrets User",
            Role::StorageBlobDataReader => "Storage Blob Data Reader",
            Role::Reader => "Reader",
            Role::Contributor => "Contributor",
        }
    }

    /// Built-in role definition GUID (managed-identity.md §6).
    pub fn id(self) -> &'static str {
        match self {
            Role::KeyVaultSecretsUser => "4633458b-17de-408a-b874-0445c86b69e6",
            Role::StorageBlobDataReader => "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            Role::Reader => "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            Role::Contributor => "b24988ac-6180-42a0-ab88-20f7382dd24c",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::KeyVaultSecretsUser => "kvsu",
            Role::StorageBlobDataReader => "sbdr",
            Role::Reader => "reader",
            Role::Contributor => "contrib",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Control-plane `actions` and `notActions` of the definition.
    pub fn actions(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Role::KeyVaultSecretsUser => (&[], &[]),
            Role::StorageBlobDataReader => (
                &[
                    "Microsoft.Storage/storageAccounts/blobServices/containers/read",
                    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
                ],
                &[],
            ),
            Role::Reader => (&["*/read"], &[]),
            Role::Contributor => (
                &["*"],
                &[
                    "Microsoft.Authorization/*/Delete",
                    "Microsoft.Authorization/*/Write",
                    "Microsoft.Authorization/elevateAccess/Action",
                    "Microsoft.Blueprint/blueprintAssignments/write",
                    "Microsoft.Blueprint/blueprintAssignments/delete",
                    "Microsoft.Compute/galleries/share/action",
                    "Microsoft.Purview/consents/write",
                    "Microsoft.Purview/consents/delete",
                ],
            ),
        }
    }

    /// Data-plane `dataActions` of the definition (Reader and Contributor have none: they
    /// cannot read a secret's value or a blob's content).
    pub fn data_actions(self) -> &'static [&'static str] {
        match self {
            Role::KeyVaultSecretsUser => &[
                "Microsoft.KeyVault/vaults/secrets/getSecret/action",
                "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
            ],
            Role::StorageBlobDataReader => {
                &["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]
            }
            Role::Reader | Role::Contributor => &[],
        }
    }
}

/// Where a role assignment applies; assignments are inherited by everything below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Subscription,
    ResourceGroup(String),
    /// A resource by name (compute, identity or target).
    Resource(String),
}

/// A role assignment: a principal (by object id), a role, a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    /// The assignment's name, a GUID.
    pub name: String,
    /// Object (principal) id; never the client id.
    pub principal_id: String,
    pub role: Role,
    /// ARM id of the scope (ARM casing `resourceGroups`).
    pub scope: String,
    pub created: u64,
}

/// Which identity a reference names: the system-assigned identity of a host, or a
/// user-assigned identity resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalRef {
    /// The system-assigned identity of the named compute resource.
    SystemAssigned(String),
    /// The named user-assigned identity.
    UserAssigned(String),
}

/// A resolved managed identity, as an endpoint or token sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedIdentity {
    pub sp: ServicePrincipal,
    /// `Some(name)` for a user-assigned identity, `None` for system-assigned.
    pub user_assigned_name: Option<String>,
    /// ARM id of the identity: the host for system-assigned, the identity resource otherwise.
    pub arm_id: ArmId,
}

impl ManagedIdentity {
    pub fn is_system_assigned(&self) -> bool {
        self.user_assigned_name.is_none()
    }
}

/// What a principal id resolves to in role assignment listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalDisplay {
    /// An existing managed identity: display name (host name or identity name).
    Found {
        display_name: String,
        system_assigned: bool,
    },
    /// Deleted: the portal shows "Identity not found" and type "Unknown".
    NotFound,
}
