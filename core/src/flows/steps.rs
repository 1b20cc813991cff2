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
        explanation: "We start with a resource group, a Key Vault holding the secret db-password, and a web app called app-web. The web app has no identity yet: its identity block is empty, so nothing running on it can ask Entra ID for a token.",
        certainty: Documented,
        source: "entra-docs overview.md (a resource has no identity until one is enabled or assigned)",
        actions: "rg:rg-flows;t:kv:rg-flows:kv-flows-demo;c:app:rg-flows:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Enable its system-assigned identity",
        explanation: "Turning on the system-assigned identity creates a service principal in Entra ID that belongs to this one web app. Its object (principal) id appears in the identity block; you never choose its name: it is the app's name.",
        certainty: Documented,
        source: "entra-docs overview.md, \"Managed identity types\"",
        actions: "si:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Grant it Key Vault Secrets User",
        explanation: "A role assignment names the identity by its object id, never by its client id. Key Vault Secrets User on the vault lets the identity read secret values (a data action; Reader or Contributor would not).",
        certainty: Documented,
        source: "Key Vault RBAC guide (rbac-guide.md): built-in roles; role assignments name a principal (object) id",
        actions: "ra:s:app-web:kvsu:r/kv-flows-demo",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Request a token",
        explanation: "Code on the web app asks the local identity endpoint (IDENTITY_ENDPOINT, with the X-IDENTITY-HEADER secret) for a Key Vault token. Without a selector App Service answers with the system-assigned identity. In the token, oid is the identity's object id and xms_mirid is the web app itself.",
        certainty: Documented,
        source: "azure-docs app-service/overview-managed-identity.md (REST endpoint reference); tokens as captured (managed-identity.md §5)",
        actions: "",
        host: "app-web",
        token: tok("app-web", None),
        read: false,
    },
    StepSpec {
        title: "Read the secret",
        explanation: "Key Vault checks the token (audience, tenant, expiry), then asks Azure RBAC whether this oid may get the secret. The role assignment from step 3 matches the oid, so the vault answers 200 with the value.",
        certainty: Documented,
        source: "Key Vault RBAC guide; Key Vault authentication docs",
        actions: "",
        host: "app-web",
        token: None,
        read: true,
    },
    StepSpec {
        title: "Delete the App Service",
        explanation: "Deleting the web app deletes its system-assigned identity with it. The role assignment is not removed: it now points at an object id that no longer exists and shows as \"Identity not found\" (type Unknown). Tokens already issued stay valid until they expire.",
        certainty: Documented,
        source: "entra-docs managed-identity-best-practice-recommendations.md (role assignments are not deleted automatically); managed-identities-faq.md",
        actions: "-r:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Recreate it with the same name",
        explanation: "A new web app with the same name, with its identity enabled again. Same name, same xms_mirid, but a brand-new service principal: a new object id and a new client id. Nothing links it to the old identity.",
        certainty: Documented,
        source: "entra-docs managed-identity-best-practice-recommendations.md",
        actions: "c:app:rg-flows:app-web;si:app-web",
        host: "app-web",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Read the secret again: 403",
        explanation: "The new token carries the new oid (compare the highlighted claims with the first token). The old role assignment names the old oid, so Azure RBAC finds no assignment for this caller and Key Vault answers 403 ForbiddenByRbac.",
        certainty: Seen,
        source: "the 403 ForbiddenByRbac body as captured (managed-identity.md §7)",
        actions: "",
        host: "app-web",
        token: tok("app-web", None),
        read: true,
    },
    StepSpec {
        title: "Fix it: grant the new identity",
        explanation: "Grant Key Vault Secrets User to the new object id and read again: 200. In Azure allow up to about ten minutes for the assignment to apply. Delete the orphaned assignment too; it grants nothing any more.",
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
        explanation: "A user-assigned identity is an Azure resource of its own (Microsoft.ManagedIdentity/userAssignedIdentities) with a name you choose. Creating it creates its service principal: an object (principal) id and a client id, before any app uses it.",
        certainty: Documented,
        source: "entra-docs how-manage-user-assigned-managed-identities.md",
        actions: "rg:rg-flows;t:kv:rg-flows:kv-flows-demo;id:rg-flows:id-shared",
        host: "",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Grant it Key Vault Secrets User",
        explanation: "The identity gets its role once, up front, by object id. Every host that later uses it inherits that access: no per-app role assignment.",
        certainty: Documented,
        source: "entra-docs overview.md, \"Managed identity types\" (shared access)",
        actions: "ra:u:id-shared:kvsu:r/kv-flows-demo",
        host: "",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Assign it to an App Service and a Function App",
        explanation: "The same identity is attached to two hosts. Each host's identity block lists it under userAssignedIdentities, keyed by the identity's ARM id, with the same principal and client ids.",
        certainty: Documented,
        source: "ARM identity block shape (managed-identity.md §6)",
        actions: "c:app:rg-flows:app-web;ua:app-web:id-shared;c:func:rg-flows:func-jobs;ua:func-jobs:id-shared",
        host: "func-jobs",
        token: None,
        read: false,
    },
    StepSpec {
        title: "Token from the App Service",
        explanation: "On App Service, a request without a selector means the system-assigned identity, which this app does not have. So the code names the identity: ManagedIdentityCredential(client_id=...) sends client_id. The token's oid is the identity, xms_mirid is the identity's resource and xms_az_rid is the web app that asked. The secret read succeeds.",
        certainty: Seen,
        source: "App Service no-selector rule (app-service/overview-managed-identity.md); xms_az_rid in captured tokens (managed-identity.md §5)",
        actions: "",
        host: "app-web",
        token: tok("app-web", Some("id-shared")),
        read: true,
    },
    StepSpec {
        title: "Token from the Function App",
        explanation: "Same identity, other host: oid, appid and xms_mirid are unchanged; only xms_az_rid (the host that asked) and the per-token values differ. Azure RBAC sees the same caller, so the read succeeds again.",
        certainty: Seen,
        source: "captured user-assigned tokens (managed-identity.md §5)",
        actions: "",
        host: "func-jobs",
        token: tok("func-jobs", Some("id-shared")),
        read: true,
    },
    StepSpec {
        title: "Delete the App Service",
        explanation: "Deleting a host only detaches the identity: the identity, its object id and its role assignment live on. The Function App still gets a token for it and still reads the secret.",
        certainty: Documented,
        source: "entra-docs overview.md, \"Managed identity types\"",
        actions: "-r:app-web",
        host: "func-jobs",
        token: tok("func-jobs", Some("id-shared")),
        read: true,
    },
    StepSpec {
        title: "Two identities, no selector: 400",
        explanation: "A VM with two user-assigned identities (and no system-assigned one) asks IMDS for a token without saying which identity: IMDS answers 400 \"Multiple user assigned identities exist\" (a captured response). App Service in the same situation answers its own 400 \"Unable to load the proper Managed Identity.\"; the VM is shown because its message says what went wrong.",
        certainty: Seen,
        source: "the IMDS 400 body as captured (managed-identity.md §1); App Service: azure-sdk-for-net#43691",
        actions: "c:vm:rg-flows:vm-batch;id:rg-flows:id-extra;ua:vm-batch:id-shared;ua:vm-batch:id-extra",
        host: "vm-batch",
        token: tok("vm-batch", None),
        read: false,
    },
    StepSpec {
        title: "Select by client id",
        explanation: "Naming the identity with client_id (or object_id, or msi_res_id) picks one of the two. The token is id-shared's again, now with xms_az_rid = the VM, and the secret read succeeds.",
        certainty: Documented,
        source: "entra-docs how-to-use-vm-token.md (client_id, object_id, msi_res_id)",
        actions: "",
        host: "vm-batch",
        token: tok("vm-batch", Some("id-shared")),
        read: true,
    },
];

/// The steps of a lane.
pub fn lane(lane: Lane) -> &'static [StepSpec] {
    match lane {
        Lane::System => SYSTEM,
        Lane::User => USER,
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
