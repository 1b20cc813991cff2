//! The tour's text: six steps, each a lead of one or two sentences, details to unfold, and for
//! the two identity kinds their pros and cons. Sources beside each fact; docs paths are in
//! MicrosoftDocs/entra-docs (`docs/identity/managed-identities-azure-resources/…`) unless said.

use super::{fact, Certainty::*, Fact};

/// One step of the tour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub title: &'static str,
    /// One or two sentences: the lesson.
    pub lead: &'static [Fact],
    /// Details, folded until asked for.
    pub more: &'static [Fact],
    pub pros: &'static [Fact],
    pub cons: &'static [Fact],
    /// (link text, fragment); `{sys}` / `{user}` stand for the sample tokens.
    pub links: &'static [(&'static str, &'static str)],
}

impl Step {
    /// Every fact of the step, in reading order.
    pub fn facts(&self) -> impl Iterator<Item = &Fact> {
        self.lead
            .iter()
            .chain(self.more)
            .chain(self.pros)
            .chain(self.cons)
    }
}

const OVERVIEW: &str = "entra-docs overview.md (What are managed identities for Azure resources?)";
const TYPES: &str = "entra-docs overview.md, \"Managed identity types\" table";
const BEST: &str = "entra-docs managed-identity-best-practice-recommendations.md";
const FAQ: &str = "entra-docs managed-identities-faq.md";
const APP_SERVICE: &str = "azure-docs articles/app-service/overview-managed-identity.md";

pub const STEPS: [Step; 6] = [
    Step {
        title: "What a managed identity is",
        lead: &[fact(
            "A managed identity lets an Azure resource — a VM, an App Service, a Function — get Microsoft Entra ID tokens with no secret for you to store: Azure creates its credential, keeps it and rotates it.",
            Documented,
            OVERVIEW,
        )],
        more: &[
            fact(
                "Its tokens are app-only: `idtyp` is `app`, `appidacr` `2` says the client proved itself with a certificate (the one Azure holds), and there is no `scp`, because no user is involved.",
                Seen,
                "managed-identity.md §5: captured managed-identity tokens 2019–2025; appidacr values from access-token-claims-reference.md",
            ),
            fact(
                "This playground covers the client side: a resource getting and using tokens. An API of yours that validates incoming tokens is the \"Protected web API\" scenario of the Microsoft identity platform docs.",
                Documented,
                "entra-docs identity-platform/scenario-protected-web-api-overview.md",
            ),
        ],
        pros: &[],
        cons: &[],
        links: &[("Decode a managed identity's token", "#/decoder?sample=system")],
    },
    Step {
        title: "System-assigned identity",
        lead: &[fact(
            "Turn it on for a resource and Azure creates an identity tied to that resource and named like it; delete the resource and the identity is deleted with it.",
            Documented,
            TYPES,
        )],
        more: &[
            fact(
                "Recreate a resource with the same name and it gets a new identity with a new object id (`oid`): role assignments made for the old one do not apply to the new one, and they are not removed either.",
                Documented,
                BEST,
            ),
            fact(
                "In its tokens, `xms_mirid` is the resource's own ARM id.",
                Seen,
                "managed-identity.md §5: captured system-assigned tokens",
            ),
        ],
        pros: &[
            fact("Nothing else to create: one switch on the resource.", Documented, TYPES),
            fact("Cleans up after itself: no identity outlives its resource.", Documented, TYPES),
            fact("One identity per resource: least privilege comes naturally.", Documented, BEST),
        ],
        cons: &[
            fact("Cannot be shared: ten VMs are ten identities, each needing its own role assignments.", Documented, TYPES),
            fact("Exists only once the resource does: access cannot be granted ahead of deployment.", Documented, BEST),
            fact("Recreating the resource changes the object id; the old role assignments stay behind as \"Identity not found\".", Documented, BEST),
        ],
        links: &[
            ("Walk the system-assigned life cycle in Flows", "#/flows?lane=system&system=1"),
            ("Decode a system-assigned token", "#/decoder?sample=system"),
        ],
    },
    Step {
        title: "User-assigned identity",
        lead: &[fact(
            "A user-assigned identity is an Azure resource of its own (`Microsoft.ManagedIdentity/userAssignedIdentities`): you create it, grant it roles, then assign it to one or many resources.",
            Documented,
            TYPES,
        )],
        more: &[
            fact(
                "Deleting a resource that uses it leaves the identity and its role assignments in place.",
                Documented,
                TYPES,
            ),
            fact(
                "In its tokens, `xms_mirid` is the identity's ARM id and `xms_az_rid` the resource that asked for the token.",
                Seen,
                "managed-identity.md §5: captured user-assigned tokens (xms_az_rid since 2023)",
            ),
        ],
        pros: &[
            fact("Shareable: many resources, one identity, one set of role assignments.", Documented, TYPES),
            fact("Stable: its object id survives redeployments, so access can be granted before deploying.", Documented, BEST),
        ],
        cons: &[
            fact("More set-up: a separate resource to create, assign and eventually delete yourself.", Documented, TYPES),
            fact("Shared identity, shared access: tell callers apart with `xms_az_rid` or logs.", Seen, "managed-identity.md §5 (xms_az_rid)"),
            fact("When a resource has a system-assigned identity or several user-assigned ones, code must say which user-assigned one it wants.", Documented, FAQ),
        ],
        links: &[
            ("Follow the user-assigned life cycle in Flows", "#/flows?lane=user&user=3"),
            ("Compare both samples in the decoder", "#/decoder?sample=system&compare_sample=user"),
        ],
    },
    Step {
        title: "Getting a token",
        lead: &[fact(
            "Code on the resource asks a local endpoint only that resource can reach: on a VM the Instance Metadata Service at `169.254.169.254` (with the header `Metadata: true`), on App Service and Functions `IDENTITY_ENDPOINT` (with the header `X-IDENTITY-HEADER`).",
            Documented,
            "how-to-use-vm-token.md; app-service/overview-managed-identity.md (REST endpoint reference)",
        )],
        more: &[
            fact(
                "`resource` names the API the token is for. In the v1 tokens managed identities get, `aud` is that resource as requested — published tokens keep or drop the trailing slash as it was sent. The docs promise less: a v1 `aud` is one of the API's app ID URIs or its client id, and a v2 `aud` is always the API's client id. Compare audiences without the trailing slash, or by client id.",
                Documented,
                "access-token-claims-reference.md (aud); captured v1 tokens (managed-identity.md §1)",
            ),
            fact(
                "With no selector, the endpoint answers with the resource's system-assigned identity — or, on a VM without one, with its only user-assigned identity. A VM with several user-assigned identities and no system-assigned one answers 400 \"Multiple user assigned identities exist…\".",
                Documented,
                "managed-identities-faq.md; the 400 body is captured (managed-identity.md §1)",
            ),
            fact(
                "To pick a user-assigned identity, send `client_id`, `object_id` or `msi_res_id` to IMDS, and `client_id`, `principal_id` or `mi_res_id` to App Service.",
                Documented,
                "how-to-use-vm-token.md; app-service/overview-managed-identity.md",
            ),
            fact(
                "App Service is stricter: with no selector it uses the system-assigned identity, and an app without one answers 400 \"Unable to load the proper Managed Identity.\"",
                Seen,
                "azure-sdk-for-net#43691, Azure/logicapps#1497",
            ),
            fact(
                "The IMDS answer is compact JSON whose values are all strings, numbers included: `expires_on` is the token's `exp`, `not_before` its `nbf`, `resource` its `aud`, `client_id` its `appid`. `expires_in` counts down while IMDS serves its cached token; `ext_expires_in` stays `\"86399\"`.",
                Seen,
                "public IMDS captures 2019–2025 (managed-identity.md §1)",
            ),
        ],
        pros: &[],
        cons: &[],
        links: &[
            ("Try it in the IMDS simulator", "#/imds"),
            ("Decode the token in this answer", "#/decoder?sample=system"),
        ],
    },
    Step {
        title: "Using it with Azure SQL",
        lead: &[fact(
            "Azure SQL accepts Entra tokens for `https://database.windows.net/`, but the database must know the identity: an Entra admin creates a contained user for it in the user database and gives it a role.",
            Documented,
            "azure-sql docs: tutorial-windows-vm-access-sql.md, authentication-aad-configure.md",
        )],
        more: &[
            fact(
                "The user's name is the resource's name for a system-assigned identity and the identity's own name for a user-assigned one: `CREATE USER [<name>] FROM EXTERNAL PROVIDER`.",
                Documented,
                "azure-sql docs: authentication-aad-configure.md (Create contained users mapped to Microsoft Entra identities)",
            ),
            fact(
                "Microsoft.Data.SqlClient fetches the token for you with `Authentication=Active Directory Managed Identity`; add `User Id=<client id>` for a user-assigned identity (SqlClient 3.0 and later). Since SqlClient 7.0, Entra authentication also needs the `Microsoft.Data.SqlClient.Extensions.Azure` package.",
                Documented,
                "sql-docs connect/ado-net/sql/azure-active-directory-authentication.md; SqlClient 7.0 release notes",
            ),
            fact(
                "To check who you are connected as, `USER_NAME()` gives the database user's name; `SUSER_SNAME()` and `SYSTEM_USER` give `<client id>@<tenant id>` for a managed identity, not its name.",
                Seen,
                "MicrosoftDocs/sql-docs#9584",
            ),
        ],
        pros: &[],
        cons: &[],
        links: &[("Request a token for Azure SQL in the IMDS simulator", "#/imds")],
    },
    Step {
        title: "Using the Azure Identity library",
        lead: &[fact(
            "Let the Azure Identity library call the endpoint, cache the token and refresh it: `ManagedIdentityCredential` uses only the managed identity, while `DefaultAzureCredential` tries several credentials in turn, so the same code also runs on your machine.",
            Documented,
            "learn.microsoft.com: Azure Identity client library overviews (.NET, Python, Java, JavaScript)",
        )],
        more: &[
            fact(
                "Without an id, the library names no identity and the endpoint picks one, as in step 4. For a user-assigned identity pass its client id — or set `AZURE_CLIENT_ID`: `DefaultAzureCredential` sends it as the managed identity's client id.",
                Sdk,
                "azure-identity 1.27 _credentials/default.py:161; @azure/identity 4.13 defaultAzureCredentialFunctions.js:50; .NET DefaultAzureCredentialOptions.ManagedIdentityClientId docs",
            ),
            fact(
                "Libraries take a scope, the resource plus `/.default`, and put the resource on the wire without it (and without a trailing slash): `resource=https://management.azure.com`.",
                Sdk,
                "replayed to azure-identity 1.27 and @azure/identity 4.13 (core/conformance)",
            ),
            fact(
                "In .NET, `ManagedIdentityId` needs Azure.Identity 1.13 or later; older versions take the client id as a string.",
                Sdk,
                "Azure/azure-sdk-for-net PR #45605 (Azure.Identity 1.13.0-beta.2 CHANGELOG)",
            ),
        ],
        pros: &[],
        cons: &[],
        links: &[
            ("See selection by client id in Flows", "#/flows?lane=user&user=8"),
            ("Now see it break: Flows →", "#/flows?lane=system&system=1"),
        ],
    },
];

/// The note under the SDK widget's client-id field: what happens with none.
pub const NO_CLIENT_ID: Fact = fact(
    "Empty: no id is sent and the endpoint picks the identity — the system-assigned one, or a VM's only user-assigned one.",
    Documented,
    FAQ,
);

/// The note above the App Service request in step 4's widget.
pub const APP_SERVICE_HEADER: Fact = fact(
    "App Service sets `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` for your code; send the header's value as `X-IDENTITY-HEADER`.",
    Documented,
    APP_SERVICE,
);

/// The note with the IMDS request in step 4's widget.
pub const IMDS_REQUEST: Fact = fact(
    "The Python, .NET and JavaScript SDKs all still send `api-version=2018-02-01` to IMDS.",
    Sdk,
    "MSAL Python managed_identity.py, MSAL.NET ImdsManagedIdentitySource.cs, msal-node Imds.ts; replayed in core/conformance",
);

/// Step 1's picture, left to right: (what, detail). How a token travels [doc: how-to-use-vm-token.md].
pub const PICTURE: [(&str, &str); 5] = [
    ("Your code", "on a VM, App Service, Function…"),
    (
        "Local endpoint",
        "IMDS 169.254.169.254 or IDENTITY_ENDPOINT",
    ),
    (
        "Microsoft Entra ID",
        "issues a token for the resource's identity",
    ),
    ("Access token", "a JWT: oid, appid, xms_mirid…"),
    (
        "Key Vault, Storage, SQL…",
        "checks the token and the identity's roles",
    ),
];
