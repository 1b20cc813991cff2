//! Code the pages generate for the reader to copy: the Azure SQL grant and the Azure Identity
//! snippets. Pure, so they are tested here rather than in a browser.

/// Which kind of identity a database user is created for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SqlKind {
    System,
    User,
}

/// The T-SQL that makes an identity a database user and a reader, and how the identity checks
/// who it is once connected. `name` goes between brackets with `]` doubled, as T-SQL quoting
/// requires (azure-sql authentication-aad-configure.md). `USER_NAME()` vs `SUSER_SNAME()`:
/// MicrosoftDocs/sql-docs#9584 [seen].
pub fn sql_grant(kind: SqlKind, name: &str) -> String {
    let who = match kind {
        SqlKind::System => "system-assigned: the resource's name",
        SqlKind::User => "user-assigned: the identity's name",
    };
    let user = format!("[{}]", name.replace(']', "]]"));
    format!(
        "-- In the user database (not master), as a Microsoft Entra admin.\n\
         -- {who}\n\
         CREATE USER {user} FROM EXTERNAL PROVIDER;\n\
         ALTER ROLE db_datareader ADD MEMBER {user};\n\
         \n\
         -- Connected as the identity: USER_NAME() is the database user ({user});\n\
         -- SUSER_SNAME() and SYSTEM_USER give <client id>@<tenant id>, not the name.\n\
         SELECT USER_NAME() AS database_user, SUSER_SNAME() AS login;"
    )
}

/// Languages of the Azure Identity snippets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    DotNet,
    Python,
    Java,
    JavaScript,
}

/// Per language: fragment code, label, snippet template, then the managed identity and
/// DefaultAzureCredential arguments without and with `$ID` (a client id).
type LangSpec = (&'static str, &'static str, &'static str, [&'static str; 4]);

const LANGS: [LangSpec; 4] = [
    (
        "dotnet",
        ".NET (C#)",
        "// dotnet add package Azure.Identity   (1.13 or later for ManagedIdentityId)\nusing Azure.Core;\nusing Azure.Identity;\n\n\
         // $ONLY\nvar credential = new ManagedIdentityCredential(\n    $MI);\n\
         // $OR\n// var credential = new DefaultAzureCredential($DAC);\n\n\
         AccessToken token = await credential.GetTokenAsync(\n    new TokenRequestContext(new[] { \"$SCOPE\" }));",
        [
            "ManagedIdentityId.SystemAssigned",
            "ManagedIdentityId.FromUserAssignedClientId(\"$ID\")",
            "",
            "\n//     new DefaultAzureCredentialOptions { ManagedIdentityClientId = \"$ID\" }",
        ],
    ),
    (
        "python",
        "Python",
        "# pip install azure-identity\nfrom azure.identity import DefaultAzureCredential, ManagedIdentityCredential\n\n\
         # $ONLY\ncredential = ManagedIdentityCredential($MI)\n\
         # $OR\n# credential = DefaultAzureCredential($DAC)\n\n\
         token = credential.get_token(\"$SCOPE\")",
        ["", "client_id=\"$ID\"", "", "managed_identity_client_id=\"$ID\""],
    ),
    (
        "java",
        "Java",
        "// Maven: com.azure:azure-identity\nimport com.azure.core.credential.*;\nimport com.azure.identity.*;\n\n\
         // $ONLY\nTokenCredential credential = new ManagedIdentityCredentialBuilder()$MI\n    .build();\n\
         // $OR\n// TokenCredential credential = new DefaultAzureCredentialBuilder()$DAC\n//     .build();\n\n\
         AccessToken token = credential.getToken(\n    new TokenRequestContext().addScopes(\"$SCOPE\")).block();",
        [
            "",
            "\n    .clientId(\"$ID\")",
            "",
            "\n//     .managedIdentityClientId(\"$ID\")",
        ],
    ),
    (
        "js",
        "JavaScript / TypeScript",
        "// npm install @azure/identity\n\
         import { DefaultAzureCredential, ManagedIdentityCredential } from \"@azure/identity\";\n\n\
         // $ONLY\nconst credential = new ManagedIdentityCredential($MI);\n\
         // $OR\n// const credential = new DefaultAzureCredential($DAC);\n\n\
         const token = await credential.getToken(\"$SCOPE\");",
        [
            "",
            "{ clientId: \"$ID\" }",
            "",
            "{ managedIdentityClientId: \"$ID\" }",
        ],
    ),
];

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::DotNet, Lang::Python, Lang::Java, Lang::JavaScript];

    fn spec(self) -> &'static LangSpec {
        &LANGS[self as usize]
    }

    pub fn code(self) -> &'static str {
        self.spec().0
    }

    pub fn label(self) -> &'static str {
        self.spec().1
    }

    pub fn parse(s: &str) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .unwrap_or(Lang::DotNet)
    }
}

/// An Azure Identity snippet for `lang`; with a client id, for that user-assigned identity.
/// APIs: .NET `ManagedIdentityId` (Azure.Identity 1.13+, PR #45605); Python `client_id` /
/// `managed_identity_client_id`; Java `clientId` / `managedIdentityClientId`; JS `clientId` /
/// `managedIdentityClientId` (each library's reference docs) [sdk].
pub fn sdk_snippet(lang: Lang, client_id: &str) -> String {
    let id = client_id.trim().replace('\\', "\\\\").replace('"', "\\\"");
    let (_, _, template, args) = lang.spec();
    let u = usize::from(!id.is_empty());
    template
        .replace("$ONLY", "Managed identity only: predictable in production.")
        .replace(
            "$OR",
            "Or: managed identity in Azure, your developer sign-in locally.",
        )
        .replace("$SCOPE", "https://management.azure.com/.default")
        .replace("$MI", args[u])
        .replace("$DAC", args[2 + u])
        .replace("$ID", &id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_grant_escapes_brackets_and_says_how_to_check() {
        assert_eq!(
            sql_grant(SqlKind::System, "vm-web"),
            "-- In the user database (not master), as a Microsoft Entra admin.\n\
             -- system-assigned: the resource's name\n\
             CREATE USER [vm-web] FROM EXTERNAL PROVIDER;\n\
             ALTER ROLE db_datareader ADD MEMBER [vm-web];\n\
             \n\
             -- Connected as the identity: USER_NAME() is the database user ([vm-web]);\n\
             -- SUSER_SNAME() and SYSTEM_USER give <client id>@<tenant id>, not the name.\n\
             SELECT USER_NAME() AS database_user, SUSER_SNAME() AS login;"
        );
        let user = sql_grant(SqlKind::User, "a]b]]");
        assert!(user.contains("CREATE USER [a]]b]]]]] FROM EXTERNAL PROVIDER;"));
        assert!(user.contains("-- user-assigned: the identity's name"));
        assert!(!user.contains("SUSER_NAME()"));
    }

    #[test]
    fn sdk_snippets_use_the_current_apis() {
        let id = "11111111-2222-3333-4444-555555555555";
        let net = sdk_snippet(Lang::DotNet, id);
        assert!(net.contains("(1.13 or later for ManagedIdentityId)"));
        assert!(net.contains(&format!(
            "ManagedIdentityId.FromUserAssignedClientId(\"{id}\")"
        )));
        assert!(net.contains(&format!(
            "new DefaultAzureCredentialOptions {{ ManagedIdentityClientId = \"{id}\" }}"
        )));
        let java = sdk_snippet(Lang::Java, id);
        assert!(java.contains(&format!(
            "new ManagedIdentityCredentialBuilder()\n    .clientId(\"{id}\")\n    .build();"
        )));
        let js = sdk_snippet(Lang::JavaScript, id);
        assert!(js.contains(&format!(
            "new ManagedIdentityCredential({{ clientId: \"{id}\" }})"
        )));
        assert!(js.contains(&format!(
            "new DefaultAzureCredential({{ managedIdentityClientId: \"{id}\" }})"
        )));
        assert!(sdk_snippet(Lang::JavaScript, "").contains("new ManagedIdentityCredential();"));
        // A quote in the id cannot break out of the string literal.
        assert!(sdk_snippet(Lang::Python, "a\"b").contains("client_id=\"a\\\"b\""));
    }
}
