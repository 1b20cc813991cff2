//! Ready-made sandbox worlds, as data (action DSL): load one with
//! `Sandbox::replay(DEFAULT_SEED, start, &dsl::parse_actions(p.actions)?)`, or link to
//! [`Preset::to_hash`].

/// A sandbox world to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Button text.
    pub title: &'static str,
    /// One sentence: what the world shows.
    pub description: &'static str,
    /// The actions, in the action DSL (`cloud::dsl`).
    pub actions: &'static str,
}

impl Preset {
    /// `#/flows?view=sandbox&sandbox=<actions>`: the sandbox with this world (the visitor's
    /// clock as its start).
    pub fn to_hash(&self) -> String {
        format!("#/flows?view=sandbox&sandbox={}", self.actions)
    }
}

/// The presets, in the order to show them.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "vm-system",
        title: "VM with its own identity",
        description: "A VM with a system-assigned identity that holds Key Vault Secrets User on a vault.",
        actions: "rg:rg-demo;t:kv:rg-demo:kv-demo;c:vm:rg-demo:vm-app;si:vm-app;ra:s:vm-app:kvsu:r/kv-demo",
    },
    Preset {
        id: "app-two-identities",
        title: "Web app with two user-assigned identities",
        description: "An App Service web app with two user-assigned identities, one for a Key Vault and one for a Storage account, each with its own role.",
        actions: "rg:rg-demo;t:kv:rg-demo:kv-demo;t:st:rg-demo:stdemo;c:app:rg-demo:app-web;id:rg-demo:id-vault;id:rg-demo:id-storage;ua:app-web:id-vault;ua:app-web:id-storage;ra:u:id-vault:kvsu:r/kv-demo;ra:u:id-storage:sbdr:r/stdemo",
    },
    Preset {
        id: "shared-identity",
        title: "One identity shared by three VMs",
        description: "One user-assigned identity with one role assignment, attached to three VMs: they all get the same object id and the same access.",
        actions: "rg:rg-demo;t:kv:rg-demo:kv-demo;id:rg-demo:id-shared;ra:u:id-shared:kvsu:r/kv-demo;c:vm:rg-demo:vm-1;ua:vm-1:id-shared;c:vm:rg-demo:vm-2;ua:vm-2:id-shared;c:vm:rg-demo:vm-3;ua:vm-3:id-shared",
    },
    Preset {
        id: "recreated-vm",
        title: "Recreated VM, orphaned role",
        description: "A VM deleted and recreated with the same name: its new identity has a new object id, and the old role assignment points at an identity that no longer exists.",
        actions: "rg:rg-demo;t:kv:rg-demo:kv-demo;c:vm:rg-demo:vm-app;si:vm-app;ra:s:vm-app:kvsu:r/kv-demo;-r:vm-app;c:vm:rg-demo:vm-app;si:vm-app",
    },
    Preset {
        id: "aks-workload-identity",
        title: "AKS pod with workload identity",
        description: "A pod on AKS whose service account names a user-assigned identity, trusted through a federated credential: it reads the vault. Move it to another namespace to see AADSTS70021.",
        actions: "rg:rg-demo;t:kv:rg-demo:kv-demo;aks:rg-demo:aks-demo;id:rg-demo:id-orders;ra:u:id-orders:kvsu:r/kv-demo;wl:aks-demo:orders:orders-api:id-orders;fc:id-orders:fc-orders-api:aks-demo:orders:orders-api",
    },
];

/// The preset with `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
