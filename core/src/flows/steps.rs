//! The guided scenarios and the comparison table, as data. Actions are written in the action
//! DSL (`cloud::dsl`), so each step stays one line of data instead of code.

use super::Lane;
use crate::endpoint::state::Certainty::{self, *};

/// The vault and secret both lanes read.
pub const VAULT: &str = "kv-flows-demo";
pub const SECRET: &str = "db-password";
/// The audience of every token the lanes request (Key Vault).
pub const VAULT_RESOURCE: &str = "https://vault.azure.net";

/// A token request made by a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpec {
    /// The compute host the code runs on.
    pub host: &'static str,
    /// `Some(identity)`: send `client_id=<that user-assigned identity's client id>`.
    pub client_id_of: Option<&'static str>,
    /// The `resource` query value.
    pub resource: &'static str,
}

/// One step of a guided scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepSpec {
    pub title: &'static str,
    /// One paragraph in the playground's words.
    pub explanation: &'static str,
    /// How sure the explanation is, and where its facts come from.
    pub certainty: Certainty,
    pub source: &'static str,
    /// The cloud actions of this step, in the action DSL (`cloud::dsl::parse_actions`).
    pub actions: &'static str,
    /// The host whose `identity` block the step shows.
    pub host: &'static str,
    /// A token request sent after the actions.
    pub token: Option<TokenSpec>,
    /// Whether the step then reads the secret with the lane's most recent token.
    pub read: bool,
}

/// A step that does nothing (placeholder before the first step is played).
pub(super) const BLANK: StepSpec = StepSpec {
    title: "",
    explanation: "",
    certainty: Documented,
    source: "",
    actions: "",
    host: "",
    token: None,
    read: false,
};

const fn tok(host: &'static str, client_id_of: Option<&'static str>) -> Option<TokenSpec> {
    Some(TokenSpec {
        host,
        client_id_of,
        resource: VAULT_RESOURCE,
    })
}

const SYSTEM: &[StepSpec] = &[
    StepSpec {
        title: "Create an App Service",
        explanation: "A Key Vault holds the secret db-password, and a web app called app-web wants to read it. The app has no identity yet, so nothing running on it can get a token.",
        certainty: Documented,
        source: "entra-docs overview.md (a resource has no identity until one is enabled or assigned)",
        actions: "rg:rg-flows;t:kv:rg-flows:kv-flows-demo;c:app:rg-flows:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Enable its system-assigned identity",
        explanation: "Turning on the system-assigned identity creates an identity in Entra ID that belongs to this one web app and is named after it. Watch its object id (oid) on the picture.",
        certainty: Documented,
        source: "entra-docs overview.md, \"Managed identity types\"",
        actions: "si:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Grant it Key Vault Secrets User",
        explanation: "The role assignment names the identity by its object id. Key Vault Secrets User lets it read secret values; Reader or Contributor would not.",
        certainty: Documented,
        source: "Key Vault RBAC guide (rbac-guide.md): built-in roles; role assignments name a principal (object) id",
        actions: "ra:s:app-web:kvsu:r/kv-flows-demo",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Request a token",
        explanation: "Code on the web app asks its local endpoint for a Key Vault token; with no selector, App Service answers with the system-assigned identity. The token's oid is that identity's object id.",
        certainty: Documented,
        source: "azure-docs app-service/overview-managed-identity.md (REST endpoint reference); tokens as captured (managed-identity.md §5)",
        actions: "",
        host: "app-web",
        token: tok("app-web", None),
        read: false,
    },
    StepSpec {
        title: "Read the secret",
        explanation: "Key Vault checks the token, then asks Azure RBAC whether this oid may read the secret. The role assignment from step 3 names this oid: 200.",
        certainty: Documented,
        source: "Key Vault RBAC guide; Key Vault authentication docs",
        actions: "",
        host: "app-web",
        token: None,
        read: true,
    },
    StepSpec {
        title: "Delete the App Service",
        explanation: "Deleting the web app deletes its identity too. The role assignment stays behind, pointing at an object id that no longer exists: \"Identity not found\".",
        certainty: Documented,
        source: "entra-docs managed-identity-best-practice-recommendations.md (role assignments are not deleted automatically); managed-identities-faq.md",
        actions: "-r:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Recreate it with the same name",
        explanation: "A new web app with the same name, identity enabled again: same name, same xms_mirid, but a brand-new identity with a new object id. Nothing links it to the old one.",
        certainty: Documented,
        source: "entra-docs managed-identity-best-practice-recommendations.md",
        actions: "c:app:rg-flows:app-web;si:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Read the secret again: 403",
        explanation: "The new token carries the new oid, but the role assignment still names the old one, so Azure RBAC finds nothing for this caller: 403 ForbiddenByRbac.",
        certainty: Seen,
        source: "the 403 ForbiddenByRbac body as captured (managed-identity.md §7)",
        actions: "",
        host: "app-web",
        token: tok("app-web", None),
        read: true,
    },
    StepSpec {
        title: "Fix it: grant the new identity",
        explanation: "Grant Key Vault Secrets User to the new object id and read again: 200 (in Azure, allow up to ten minutes for the assignment to apply). Delete the orphaned assignment too.",
        certainty: Documented,
        source: "azure-docs role-based-access-control/troubleshooting.md (propagation up to 10 minutes)",
        actions: "ra:s:app-web:kvsu:r/kv-flows-demo",
        host: "app-web",
        token: None,
        read: true,
    },
];

const USER: &[StepSpec] = &[
    StepSpec {
        title: "Create a user-assigned identity",
        explanation: "A user-assigned identity is an Azure resource of its own, with a name you choose. It has its object id and client id before any app uses it.",
        certainty: Documented,
        source: "entra-docs how-manage-user-assigned-managed-identities.md",
        actions: "rg:rg-flows;t:kv:rg-flows:kv-flows-demo;id:rg-flows:id-shared",
        host: "",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Grant it Key Vault Secrets User",
        explanation: "The identity gets its role once, up front, by object id. Every host that later uses it has that access: no per-app role assignment.",
        certainty: Documented,
        source: "entra-docs overview.md, \"Managed identity types\" (shared access)",
        actions: "ra:u:id-shared:kvsu:r/kv-flows-demo",
        host: "",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Assign it to an App Service and a Function App",
        explanation: "The same identity is attached to a web app and a Function App: both now point at one object id.",
        certainty: Documented,
        source: "ARM identity block shape (managed-identity.md §6)",
        actions: "c:app:rg-flows:app-web;ua:app-web:id-shared;c:func:rg-flows:func-jobs;ua:func-jobs:id-shared",
        host: "func-jobs",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Token from the App Service",
        explanation: "App Service without a selector means the system-assigned identity, which this app lacks, so the code names the identity by client_id. The token's oid is the shared identity and xms_az_rid the web app that asked: 200.",
        certainty: Seen,
        source: "App Service no-selector rule (app-service/overview-managed-identity.md); xms_az_rid in captured tokens (managed-identity.md §5)",
        actions: "",
        host: "app-web",
        token: tok("app-web", Some("id-shared")),
        read: true,
    },
    StepSpec {
        title: "Token from the Function App",
        explanation: "Same identity, other host: oid, appid and xms_mirid are unchanged; only xms_az_rid, the host that asked, differs. Azure RBAC sees the same caller: 200 again.",
        certainty: Seen,
        source: "captured user-assigned tokens (managed-identity.md §5)",
        actions: "",
        host: "func-jobs",
        token: tok("func-jobs", Some("id-shared")),
        read: true,
    },
    StepSpec {
        title: "Delete the App Service",
        explanation: "Deleting a host only detaches the identity: the identity, its object id and its role assignment live on, and the Function App still reads the secret.",
        certainty: Documented,
        source: "entra-docs overview.md, \"Managed identity types\"",
        actions: "-r:app-web",
        host: "func-jobs",
        token: tok("func-jobs", Some("id-shared")),
        read: true,
    },
    StepSpec {
        title: "Two identities, no selector: 400",
        explanation: "A VM with two user-assigned identities and no system-assigned one asks IMDS for a token without saying which: 400 \"Multiple user assigned identities exist\". (App Service answers \"Unable to load the proper Managed Identity.\")",
        certainty: Seen,
        source: "the IMDS 400 body as captured (managed-identity.md §1); App Service: azure-sdk-for-net#43691",
        actions: "c:vm:rg-flows:vm-batch;id:rg-flows:id-extra;ua:vm-batch:id-shared;ua:vm-batch:id-extra",
        host: "vm-batch",
        token: tok("vm-batch", None),
        read: false,
    },
    StepSpec {
        title: "Select by client id",
        explanation: "Naming the identity with client_id (or object_id, or msi_res_id) picks one: id-shared answers, with xms_az_rid the VM, and the read succeeds.",
        certainty: Documented,
        source: "entra-docs how-to-use-vm-token.md (client_id, object_id, msi_res_id)",
        actions: "",
        host: "vm-batch",
        token: tok("vm-batch", Some("id-shared")),
        read: true,
    },
];

const WI_OVERVIEW: &str = "azure-docs aks/workload-identity-overview.md (webhook, annotation, injected variables) and workload-identity-deploy-cluster.md";
const FIC_DOC: &str = "entra-docs workload-identity-federation-create-trust-user-assigned-managed-identity.md (issuer and subject must match exactly)";
const AADSTS70021_SEEN: &str =
    "the 401 AADSTS70021 body as posted in external-secrets/external-secrets#2783 (2023)";

const WORKLOAD: &[StepSpec] = &[
    StepSpec {
        title: "Create an AKS cluster with its OIDC issuer",
        explanation: "A pod wants the Key Vault secret db-password. Pods have no managed identity of their own. Instead, the cluster's OIDC issuer signs a token for each pod's service account, and Entra can be told to trust it. The issuer URL is new for every cluster.",
        certainty: Documented,
        source: WI_OVERVIEW,
        actions: "rg:rg-flows;t:kv:rg-flows:kv-flows-demo;aks:rg-flows:aks-orders",
        host: "",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Create a user-assigned identity and grant it the vault",
        explanation: "Workload identity uses a user-assigned identity, granted Key Vault Secrets User by its object id like any other. Nothing ties it to the cluster yet.",
        certainty: Documented,
        source: WI_OVERVIEW,
        actions: "id:rg-flows:id-orders;ra:u:id-orders:kvsu:r/kv-flows-demo",
        host: "",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Deploy the pod: AADSTS70021",
        explanation: "The service account orders-api in namespace orders names the identity's client id, and the webhook gives its pod a token file and AZURE_* variables. The SDK sends that token to Entra, but the identity has no federated credential trusting it yet: 401 AADSTS70021.",
        certainty: Seen,
        source: AADSTS70021_SEEN,
        actions: "wl:aks-orders:orders:orders-api:id-orders",
        host: "orders-api",
        token: tok("orders-api", None),
        read: false,
    },
    StepSpec {
        title: "Add a federated credential: 200",
        explanation: "The federated credential tells Entra to accept tokens from this cluster's issuer for subject system:serviceaccount:orders:orders-api. The same request now gets a token for id-orders: oid is the identity's object id, and the read succeeds.",
        certainty: Documented,
        source: FIC_DOC,
        actions: "fc:id-orders:fc-orders-api:aks-orders:orders:orders-api",
        host: "orders-api",
        token: tok("orders-api", None),
        read: true,
    },
    StepSpec {
        title: "Move the workload to another namespace",
        explanation: "Redeployed in namespace orders-v2, the service account's token says sub = system:serviceaccount:orders-v2:orders-api. The credential names the old namespace, and the subject must match exactly: AADSTS70021 again, naming the new subject.",
        certainty: Seen,
        source: AADSTS70021_SEEN,
        actions: "-wl:orders-api;wl:aks-orders:orders-v2:orders-api:id-orders",
        host: "orders-api",
        token: tok("orders-api", None),
        read: false,
    },
    StepSpec {
        title: "Trust the new subject too",
        explanation: "A second federated credential for the new namespace fixes it. An identity holds up to 20 credentials, so one identity can serve several namespaces or clusters. The oid has not changed.",
        certainty: Documented,
        source: "entra-docs workload-identity-federation-considerations.md (at most 20 federated identity credentials per identity)",
        actions: "fc:id-orders:fc-orders-api-v2:aks-orders:orders-v2:orders-api",
        host: "orders-api",
        token: tok("orders-api", None),
        read: true,
    },
    StepSpec {
        title: "Recreate the cluster: new issuer",
        explanation: "A new cluster with the same name has a new OIDC issuer URL. The credentials still name the old one, so the redeployed pod gets AADSTS70021, this time because the issuer differs. Like a recreated system-assigned identity, the old set-up points at something gone.",
        certainty: Documented,
        source: FIC_DOC,
        actions: "-r:aks-orders;aks:rg-flows:aks-orders;wl:aks-orders:orders-v2:orders-api:id-orders",
        host: "orders-api",
        token: tok("orders-api", None),
        read: false,
    },
    StepSpec {
        title: "Fix it: point the credential at the new issuer",
        explanation: "Replace the credential with one naming the new issuer, and the pod reads the secret again. The identity, its object id and its role assignment never changed.",
        certainty: Documented,
        source: FIC_DOC,
        actions: "-fc:id-orders:fc-orders-api-v2;fc:id-orders:fc-orders-api-v2:aks-orders:orders-v2:orders-api",
        host: "orders-api",
        token: tok("orders-api", None),
        read: true,
    },
];

/// The steps of a lane.
pub fn lane(lane: Lane) -> &'static [StepSpec] {
    match lane {
        Lane::System => SYSTEM,
        Lane::User => USER,
        Lane::Workload => WORKLOAD,
    }
}

/// One row of the system- vs user-assigned comparison; `link` is the step that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareRow {
    pub aspect: &'static str,
    pub system: &'static str,
    pub user: &'static str,
    pub link: (Lane, usize),
    pub certainty: Certainty,
    /// Where the row's facts come from.
    pub source: &'static str,
}

const fn row(
    aspect: &'static str,
    system: &'static str,
    user: &'static str,
    link: (Lane, usize),
    certainty: Certainty,
    source: &'static str,
) -> CompareRow {
    CompareRow {
        aspect,
        system,
        user,
        link,
        certainty,
        source,
    }
}

const TYPES: &str = "entra-docs overview.md, \"Managed identity types\"";
const BEST: &str = "entra-docs managed-identity-best-practice-recommendations.md";

/// System- vs user-assigned, row by row; each row links to the lane step that shows it.
pub const COMPARISON: &[CompareRow] = &[
    row("Lifecycle", "Created with the resource, deleted with it.", "An Azure resource of its own: created and deleted separately.", (Lane::System, 5), Documented, TYPES),
    row("Sharing", "Belongs to exactly one resource.", "Can be assigned to many resources; they all get the same oid.", (Lane::User, 4), Documented, TYPES),
    row("Naming", "Named after its resource; xms_mirid is the resource's ARM id.", "You name it; xms_mirid is the identity's ARM id and xms_az_rid the host.", (Lane::User, 3), Seen, "captured tokens (managed-identity.md §5)"),
    row("Set-up effort", "One switch per resource, then a role assignment per resource.", "Create once, grant once, then assign to each host.", (Lane::User, 2), Documented, BEST),
    row("Delete and recreate", "New object id: old role assignments stay orphaned (\"Identity not found\") and no longer apply: 403.", "Deleting a host leaves the identity and its access intact.", (Lane::System, 7), Documented, BEST),
    row("Fixing access after recreation", "Grant the new object id again.", "Nothing to do: the identity did not change.", (Lane::System, 8), Documented, BEST),
    row("Selector needed", "No: without a selector the endpoint answers with the system-assigned identity.", "Not on a VM whose only identity it is; yes when the resource also has a system-assigned identity or several user-assigned ones, and always on App Service (client_id, object_id or msi_res_id). DefaultAzureCredential sends AZURE_CLIENT_ID as the client id when it is set.", (Lane::User, 6), Documented, "entra-docs managed-identities-faq.md; App Service overview-managed-identity.md; azure-identity default.py / @azure/identity defaultAzureCredentialFunctions.js (AZURE_CLIENT_ID)"),
    row("SQL user name (CREATE USER [<name>] FROM EXTERNAL PROVIDER)", "The resource name: CREATE USER [app-web] FROM EXTERNAL PROVIDER.", "The identity name: CREATE USER [id-shared] FROM EXTERNAL PROVIDER.", (Lane::User, 0), Documented, "azure-sql authentication-aad-configure.md"),
];

/// The steps worth jumping to, per lane: (0-based step, short label).
pub fn key_steps(lane: Lane) -> &'static [(usize, &'static str)] {
    match lane {
        Lane::System => &[
            (3, "First token"),
            (5, "Delete the app"),
            (7, "403 after recreation"),
            (8, "The fix"),
        ],
        Lane::User => &[
            (3, "Token from the web app"),
            (4, "Same identity, other host"),
            (6, "Two identities: 400"),
            (7, "Select by client id"),
        ],
        Lane::Workload => &[
            (2, "No credential: AADSTS70021"),
            (3, "Federated: 200"),
            (4, "New namespace: AADSTS70021"),
            (6, "New cluster, new issuer"),
        ],
    }
}

/// The three differences that matter most, shown above the lanes.
pub fn summary_rows() -> impl Iterator<Item = &'static CompareRow> {
    const ASPECTS: [&str; 3] = ["Lifecycle", "Delete and recreate", "Selector needed"];
    ASPECTS
        .into_iter()
        .filter_map(|a| COMPARISON.iter().find(|r| r.aspect == a))
}
