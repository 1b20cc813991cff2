//! The causes an error text can have: what each means, what to check to tell it from its
//! neighbours, and how to fix it (commands with `<placeholders>` that
//! [`super::Explanation::fix`] fills from what the text names).

/// Why a managed-identity call failed. [`Cause::id`] is the stable kebab-case name the UI puts
/// in `data-cause`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    NoIdentity,
    IdentityNotFound,
    MultipleIdentities,
    EndpointUnreachable,
    MetadataHeaderMissing,
    UnknownResource,
    WrongAudience,
    RbacDenied,
    TokenExpired,
    Throttled,
    EndpointUnavailable,
    FederatedMismatch,
    SqlUserMissing,
    ArcKeyAccess,
    /// Nothing recognised (or only a wrapper that does not say why).
    Unknown,
}

impl Cause {
    pub const ALL: [Cause; 15] = [
        Cause::NoIdentity,
        Cause::IdentityNotFound,
        Cause::MultipleIdentities,
        Cause::EndpointUnreachable,
        Cause::MetadataHeaderMissing,
        Cause::UnknownResource,
        Cause::WrongAudience,
        Cause::RbacDenied,
        Cause::TokenExpired,
        Cause::Throttled,
        Cause::EndpointUnavailable,
        Cause::FederatedMismatch,
        Cause::SqlUserMissing,
        Cause::ArcKeyAccess,
        Cause::Unknown,
    ];

    /// The kebab-case id (`data-cause`).
    pub fn id(self) -> &'static str {
        match self {
            Cause::NoIdentity => "no-identity",
            Cause::IdentityNotFound => "identity-not-found",
            Cause::MultipleIdentities => "multiple-identities",
            Cause::EndpointUnreachable => "endpoint-unreachable",
            Cause::MetadataHeaderMissing => "metadata-header-missing",
            Cause::UnknownResource => "unknown-resource",
            Cause::WrongAudience => "wrong-audience",
            Cause::RbacDenied => "rbac-denied",
            Cause::TokenExpired => "token-expired",
            Cause::Throttled => "throttled",
            Cause::EndpointUnavailable => "endpoint-unavailable",
            Cause::FederatedMismatch => "federated-mismatch",
            Cause::SqlUserMissing => "sql-user-missing",
            Cause::ArcKeyAccess => "arc-key-access",
            Cause::Unknown => "unknown",
        }
    }

    /// The cause with this id.
    pub fn from_id(id: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.id() == id)
    }

    /// A short headline.
    pub fn title(self) -> &'static str {
        match self {
            Cause::NoIdentity => "No managed identity to answer",
            Cause::IdentityNotFound => "The requested identity is not attached here",
            Cause::MultipleIdentities => "Several identities, none named",
            Cause::EndpointUnreachable => "No managed-identity endpoint reached",
            Cause::MetadataHeaderMissing => "The endpoint's security header is missing or wrong",
            Cause::UnknownResource => "Unknown resource (audience)",
            Cause::WrongAudience => "A token for another service or tenant",
            Cause::RbacDenied => "Signed in, but no role allows it",
            Cause::TokenExpired => "An expired token or assertion",
            Cause::Throttled => "Too many requests",
            Cause::EndpointUnavailable => "The endpoint answered but served no token",
            Cause::FederatedMismatch => "No federated credential matches the assertion",
            Cause::SqlUserMissing => "No database user for this identity",
            Cause::ArcKeyAccess => "Azure Arc: the key-file challenge failed",
            Cause::Unknown => "Not recognised",
        }
    }

    /// Two or three sentences: what happened.
    pub fn explanation(self) -> &'static str {
        match self {
            Cause::NoIdentity => "The token endpoint has no identity it may use for this request: the system-assigned identity is off and no user-assigned identity is attached, or (App Service, Functions) only user-assigned identities exist and the request named none. IMDS answers 400 \"Identity not found\", App Service 400 \"Unable to load the proper Managed Identity.\".",
            Cause::IdentityNotFound => "The request names an identity — client_id, object_id, msi_res_id, mi_res_id or principal_id, often from AZURE_CLIENT_ID — that is not attached to this resource: a typo, an object (principal) id where the client id belongs, an identity attached elsewhere or deleted, or a selector this host cannot honour (Service Fabric, Arc, Cloud Shell). IMDS gives the same \"Identity not found\" as when there is no identity at all.",
            Cause::MultipleIdentities => "Several user-assigned identities are attached, there is no system-assigned one, and the request did not say which to use. Adding a second identity breaks code that worked with one: name the identity in the request.",
            Cause::EndpointUnreachable => "The SDK found no managed-identity endpoint, or could not connect to it: not running on an Azure host (or the host's environment variables are missing), a proxy or firewall in the way, a timeout, or something else answering 169.254.169.254 (Docker Desktop). Nothing reached the identity service.",
            Cause::MetadataHeaderMissing => "The request broke the endpoint's anti-SSRF rules: IMDS and Arc need `Metadata: true` and refuse proxied requests (X-Forwarded-For); App Service needs `X-IDENTITY-HEADER: $IDENTITY_HEADER` (2017-09-01: `secret`), Service Fabric `Secret`. Typical for hand-written curl, a proxy in between, or a stale IDENTITY_HEADER.",
            Cause::UnknownResource => "The requested resource (audience) is not one Entra knows in this tenant, or is missing: a typo, a scope with `/.default` where the resource URI belongs, a vault or blob URL instead of the service's resource id, or an app ID URI that does not exist. IMDS relays AADSTS500011; App Service says only \"An unexpected error occured while fetching the AAD Token.\".",
            Cause::WrongAudience => "A valid token went to a service that expects another audience (`aud`) or tenant (`iss`, `tid`): an ARM token sent to Key Vault, a token from another tenant, a SQL token for the wrong resource. Ask the endpoint for a token whose resource is the service you call.",
            Cause::RbacDenied => "Authentication worked; authorisation did not: no role (or access policy) lets this identity do this. Usual reasons: Owner/Contributor are control-plane roles and do not read blobs or secrets, the role sits at another scope, the assignment used the client id instead of the object id, the identity was recreated (new object id), or the assignment is minutes old.",
            Cause::TokenExpired => "A token or assertion was used after it expired: an access token kept past `expires_on`, a Kubernetes service-account token the SDK did not re-read (AADSTS700024), or a clock far off. Managed-identity tokens live about 24 hours; let the SDK cache and refresh them.",
            Cause::Throttled => "Too many token requests: IMDS allows 20 per second and 5 at once per VM; Key Vault, ARM and Service Fabric have their own limits. The usual reason is a new credential object (and so an empty token cache) per call.",
            Cause::EndpointUnavailable => "The endpoint answered but served no token: a 5xx from IMDS or Entra, 404/410 while IMDS is updated, a gateway error, an empty or unreadable body, or a request in a form the endpoint does not serve (wrong verb, api-version, duplicated parameters). The transient ones succeed on retry.",
            Cause::FederatedMismatch => "Entra found no federated identity credential whose issuer, subject and audience exactly equal the presented assertion's (case-sensitive), or the assertion is not a valid JWT, or (outside workload identity) the client credential itself is wrong.",
            Cause::SqlUserMissing => "The token is fine, but the database has no contained user for this identity, or the user was created for another principal (an identity recreated under the same name gets a new client id). Creating the user needs a session signed in with Entra and a server that can look the name up in Entra.",
            Cause::ArcKeyAccess => "The Azure Arc agent's challenge could not be completed: the first request gets 401 with `WWW-Authenticate: Basic realm=<key file>`, and the process must read that file (root/Administrators or the agent's local group) and send its contents. An unreadable, missing, misplaced or oversized key file, or a missing challenge header, ends here.",
            Cause::Unknown => "Nothing in this text is a managed-identity error the playground knows. Paste the whole exception (with its inner exception), the HTTP response of the token request, or the log lines around the failure.",
        }
    }

    /// What to check to tell this cause from the others (a question to ask).
    pub fn check(self) -> &'static str {
        match self {
            Cause::NoIdentity => "Is any identity attached to the resource (`az vm identity show`), and did the request go out without client_id / object_id / msi_res_id?",
            Cause::IdentityNotFound => "Does the code or AZURE_CLIENT_ID name an identity? Is that value the identity's client id (not its object id), and is the identity attached to this very resource?",
            Cause::MultipleIdentities => "Are two or more user-assigned identities attached, with no system-assigned one, while the request names none?",
            Cause::EndpointUnreachable => "Does the code run on an Azure host at all, and does `curl -H Metadata:true` to the endpoint (or `env | grep IDENTITY_`) get an answer from there?",
            Cause::MetadataHeaderMissing => "Does the request carry `Metadata: true` (IMDS, Arc) or the current IDENTITY_HEADER (App Service), and does it go out directly, not through a proxy?",
            Cause::UnknownResource => "Is the resource exactly a known audience (e.g. https://vault.azure.net), without `/.default`, and does it exist in this tenant?",
            Cause::WrongAudience => "Does the token's aud match the service called, and are its iss/tid the tenant of that service?",
            Cause::RbacDenied => "Does the identity's object id hold a data-plane role at (or above) this scope, and is the assignment older than a few minutes?",
            Cause::TokenExpired => "Is the token's exp in the past, is the clock right, and does the code cache tokens itself?",
            Cause::Throttled => "Was the status 429? Does the code create a new credential per call?",
            Cause::EndpointUnavailable => "Was the status 404, 410, 5xx or 405, and does a retry a minute later succeed?",
            Cause::FederatedMismatch => "Do the federated credential's issuer, subject and audience equal the assertion's exactly (case included)?",
            Cause::SqlUserMissing => "Does the database have a user created FROM EXTERNAL PROVIDER for this identity since it was last created?",
            Cause::ArcKeyAccess => "Does the process run as root/Administrator or in the agent's group, and is the agent connected (`azcmagent show`)?",
            Cause::Unknown => "Is this the whole message, including the inner exception and the HTTP response body?",
        }
    }

    /// How to fix it: commands with `<placeholders>`.
    pub(crate) fn fix_template(self) -> &'static str {
        match self {
            Cause::NoIdentity => "# What is attached now\naz vm identity show -g <rg> -n <vm>\n# Turn on the system-assigned identity...\naz vm identity assign -g <rg> -n <vm>\n# ...or attach a user-assigned one, then name it in code (client_id / AZURE_CLIENT_ID)\naz vm identity assign -g <rg> -n <vm> --identities <uami-resource-id>\n# App Service / Functions\naz webapp identity assign -g <rg> -n <app>",
            Cause::IdentityNotFound => "# The identities attached to the resource, with their client ids\naz vm identity show -g <rg> -n <vm> --query userAssignedIdentities\n# What the id in the request is: appId is the client id, id the object id\naz ad sp show --id <client-id> --query \"{clientId:appId, objectId:id, name:displayName}\"\n# Attach the identity if it belongs here\naz vm identity assign -g <rg> -n <vm> --identities <uami-resource-id>",
            Cause::MultipleIdentities => "# The attached identities and their client ids\naz vm identity show -g <rg> -n <vm> --query userAssignedIdentities\n# Name one in code: client_id=<client-id> (or AZURE_CLIENT_ID=<client-id>)\n# or add a system-assigned identity, which answers requests that name none\naz vm identity assign -g <rg> -n <vm>",
            Cause::EndpointUnreachable => "# On the VM: IMDS must answer directly, never through a proxy\ncurl -s -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/\"\nexport NO_PROXY=169.254.169.254,localhost,127.0.0.1\n# App Service, Functions, Container Apps, Arc, Service Fabric set these\nenv | grep -E 'IDENTITY_|MSI_|IMDS_ENDPOINT'\n# On a laptop there is no managed identity: sign in for DefaultAzureCredential\naz login",
            Cause::MetadataHeaderMissing => "# IMDS and Arc: the Metadata header, sent directly\ncurl -s -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/\"\n# App Service, Functions, Container Apps: the current IDENTITY_HEADER\ncurl -s -H \"X-IDENTITY-HEADER: $IDENTITY_HEADER\" \"$IDENTITY_ENDPOINT?api-version=2019-08-01&resource=https://management.azure.com/\"\n# The platform rotates IDENTITY_HEADER: a restart refreshes the app's copy\naz webapp restart -g <rg> -n <app>",
            Cause::UnknownResource => "# Resource ids, no /.default: https://management.azure.com/  https://vault.azure.net\n#   https://storage.azure.com/  https://database.windows.net/  https://graph.microsoft.com/\naz account get-access-token --resource <resource>\n# Your own API: its app ID URI must exist in this tenant\naz ad sp list --filter \"servicePrincipalNames/any(x:x eq '<resource>')\" --query \"[].appId\"",
            Cause::WrongAudience => "# Ask for the audience of the service you call (resource=..., or scope <resource>/.default)\n#   Key Vault https://vault.azure.net  Storage https://storage.azure.com/\n#   SQL https://database.windows.net/  ARM https://management.azure.com/\n# The tenants must agree: the token's tid vs the service's tenant\naz account show --query tenantId\naz keyvault show -n <vault> --query properties.tenantId",
            Cause::RbacDenied => "# Role assignments name the object (principal) id, never the client id\naz role assignment list --assignee <principal-id> --all -o table\naz role assignment create --assignee-object-id <principal-id> --assignee-principal-type ServicePrincipal --role \"<role>\" --scope <scope>\n# Key Vault in access-policy mode instead of Azure RBAC\naz keyvault set-policy -n <vault> --object-id <principal-id> --secret-permissions get list",
            Cause::TokenExpired => "# Reuse one credential object and let it refresh tokens; do not store tokens yourself\n# Is the clock right?\ntimedatectl status\n# AKS workload identity: the kubelet rotates the projected token; the SDK must re-read the file\nkubectl describe pod <pod> -n <namespace> | grep -A3 azure-identity-token",
            Cause::Throttled => "# Reuse one credential object so its token cache works (IMDS: 20 requests/s per VM)\n# Retry with exponential back-off and honour Retry-After\n# Key Vault: see how often it throttles\naz monitor metrics list --resource <vault-resource-id> --metric ServiceApiResult --filter \"StatusCode eq '429'\"",
            Cause::EndpointUnavailable => "# Transient: retry with back-off (IMDS 410: back within 70 s)\ncurl -i -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/\"\n# Only if it stays broken\naz vm restart -g <rg> -n <vm>\naz webapp restart -g <rg> -n <app>",
            Cause::FederatedMismatch => "az identity federated-credential list --identity-name <uami> -g <rg> -o table\naz identity federated-credential create --name <credential-name> --identity-name <uami> -g <rg> \\\n  --issuer \"<issuer>\" --subject \"<subject>\" --audiences api://AzureADTokenExchange\n# AKS: the issuer to trust, and the service account the pod uses\naz aks show -g <rg> -n <aks> --query oidcIssuerProfile.issuerUrl -o tsv\nkubectl get serviceaccount <serviceaccount> -n <namespace> -o yaml",
            Cause::SqlUserMissing => "# Connected to the database as its Entra admin:\n#   CREATE USER [<identity-name>] FROM EXTERNAL PROVIDER;\n#   ALTER ROLE db_datareader ADD MEMBER [<identity-name>];\n# A server without an Entra admin gets one first\naz sql server ad-admin create -g <rg> -s <server> --display-name <admin-name> --object-id <admin-object-id>",
            Cause::ArcKeyAccess => "# The agent must be connected\nsudo azcmagent show\n# Only root/Administrators and the agent's group may read the key files\nls -l /var/opt/azcmagent/tokens/\nsudo usermod -aG himds <user>\n# The agent's endpoints\necho \"$IDENTITY_ENDPOINT $IMDS_ENDPOINT\"",
            Cause::Unknown => "",
        }
    }
}

/// Why the text cannot tell `a` from `b` (the first matched entry's cause and an alternative).
pub(crate) fn ambiguity(a: Cause, b: Cause) -> &'static str {
    use Cause::*;
    match (a.min(b), a.max(b)) {
        (NoIdentity, IdentityNotFound) => "IMDS answers \"Identity not found\" both when the resource has no identity and when the client id, object id or resource id in the request names none of its identities; several SDKs word both alike.",
        (NoIdentity, MultipleIdentities) => "App Service answers \"Unable to load the proper Managed Identity.\" whenever no identity was named and there is no system-assigned one: with no identity at all, or with user-assigned ones only.",
        (Throttled, EndpointUnavailable) => "This message hides the HTTP status: a 429 (throttled) reads the same as a 404, 410 or 5xx.",
        (EndpointUnreachable, EndpointUnavailable) => "This message does not say whether the endpoint answered at all.",
        (WrongAudience, TokenExpired) => "Services answer 401 alike for a wrong audience, a wrong tenant and an expired token.",
        (RbacDenied, EndpointUnreachable) => "A 403 also comes from firewalls, proxies and storage network rules, not only from Azure RBAC.",
        (IdentityNotFound, FederatedMismatch) => "Entra says this when the client id of the app or identity is wrong, and also when the tenant is.",
        (WrongAudience, RbacDenied) => "Storage answers AuthorizationFailure for network rules and for some token problems as well as for missing roles.",
        _ => "The text alone does not tell these apart.",
    }
}

/// What a service's answer that is no identity problem means (entries of cause `Unknown` in
/// the body layer).
pub(crate) fn not_identity(entry: &str) -> &'static str {
    match entry {
        "kv-secret-not-found" => "the token was accepted and the role allows the read, but the vault has no secret by that name (or it was deleted: `az keyvault secret list-deleted --vault-name <vault>`). Check the secret name in the code or configuration.",
        "kv-bad-parameter" => "the token was accepted, but the request itself is malformed: check the URL path (`/secrets/<name>`), the api-version and the body.",
        "storage-blob-not-found" | "storage-container-not-found" => "the token was accepted and the role allows the read, but the container or blob does not exist. Check the names (they are case-sensitive) and the account.",
        "sql-network-related" => "the client never reached the SQL server, so no token was presented: check the server name (`<server>.database.windows.net`), the server firewall and private endpoint, and outbound port 1433.",
        _ => "the service answered, and nothing in the answer is about the identity or its token.",
    }
}
