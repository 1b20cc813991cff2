//! Text generators: a request as curl / PowerShell / raw HTTP, and the Azure Identity code
//! (Python, C#, JavaScript, Java) that makes the same request.

use super::http::HttpRequest;

fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn ps_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The request as a `curl` command (one option per line, `\` continuations).
pub fn to_curl(req: &HttpRequest) -> String {
    let mut s = String::from("curl -s");
    if req.method != "GET" || !req.body.is_empty() {
        s.push_str(&format!(" -X {}", req.method));
    }
    for (n, v) in &req.headers {
        s.push_str(&format!(" \\\n  -H {}", sh_quote(&format!("{n}: {v}"))));
    }
    if !req.body.is_empty() {
        s.push_str(&format!(" \\\n  -d {}", sh_quote(&req.body)));
    }
    s.push_str(&format!(" \\\n  {}", sh_quote(&req.url.to_string())));
    s
}

/// The request as `Invoke-RestMethod`.
pub fn to_powershell(req: &HttpRequest) -> String {
    let mut s = format!(
        "Invoke-RestMethod -Method {} -Uri {}",
        req.method,
        ps_quote(&req.url.to_string())
    );
    if !req.headers.is_empty() {
        let hs: Vec<String> = req
            .headers
            .iter()
            .map(|(n, v)| {
                let key = if n.chars().all(|c| c.is_ascii_alphanumeric()) {
                    n.clone()
                } else {
                    format!("\"{n}\"")
                };
                format!("{key}={}", ps_quote(v))
            })
            .collect();
        s.push_str(&format!(" `\n  -Headers @{{{}}}", hs.join("; ")));
    }
    if !req.body.is_empty() {
        s.push_str(&format!(" `\n  -Body {}", ps_quote(&req.body)));
    }
    s
}

/// The request as raw HTTP/1.1 (CRLF line endings).
pub fn to_raw_http(req: &HttpRequest) -> String {
    req.to_wire()
}

/// Languages for [`sdk_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    CSharp,
    JavaScript,
    Java,
}

/// How the code names the identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityChoice {
    /// The default: system-assigned (or the only user-assigned on IMDS).
    Default,
    ClientId(String),
    ObjectId(String),
    ResourceId(String),
}

/// The identity selector a request carries (client_id / object_id / principal_id / msi_res_id
/// / mi_res_id / clientid).
pub fn identity_choice(req: &HttpRequest) -> IdentityChoice {
    let q = |n: &str| req.url.query_value(n).map(str::to_string);
    if let Some(c) = q("client_id").or_else(|| q("clientid")) {
        IdentityChoice::ClientId(c)
    } else if let Some(o) = q("object_id").or_else(|| q("principal_id")) {
        IdentityChoice::ObjectId(o)
    } else if let Some(r) = q("msi_res_id").or_else(|| q("mi_res_id")) {
        IdentityChoice::ResourceId(r)
    } else {
        IdentityChoice::Default
    }
}

/// The scope an SDK asks for: `resource` + `/.default` (the SDK strips it back on the wire).
pub fn scope_for(resource: &str) -> String {
    format!("{}/.default", resource.trim_end_matches('/'))
}

/// Azure Identity code that gets a token for `resource` with `identity`.
pub fn sdk_code(lang: Language, resource: &str, identity: &IdentityChoice) -> String {
    let scope = scope_for(resource);
    match lang {
        Language::Python => {
            let arg = match identity {
                IdentityChoice::Default => String::new(),
                IdentityChoice::ClientId(c) => format!("client_id=\"{c}\""),
                IdentityChoice::ObjectId(o) => {
                    format!("identity_config={{\"object_id\": \"{o}\"}}")
                }
                IdentityChoice::ResourceId(r) => {
                    format!("identity_config={{\"mi_res_id\": \"{r}\"}}")
                }
            };
            format!("# pip install azure-identity\nfrom azure.identity import ManagedIdentityCredential\n\ncredential = ManagedIdentityCredential({arg})\ntoken = credential.get_token(\"{scope}\")\nprint(token.expires_on)  # unix seconds\n")
        }
        Language::CSharp => {
            let arg = match identity {
                IdentityChoice::Default => "ManagedIdentityId.SystemAssigned".to_string(),
                IdentityChoice::ClientId(c) => {
                    format!("ManagedIdentityId.FromUserAssignedClientId(\"{c}\")")
                }
                IdentityChoice::ObjectId(o) => {
                    format!("ManagedIdentityId.FromUserAssignedObjectId(\"{o}\")")
                }
                IdentityChoice::ResourceId(r) => format!(
                    "ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(\"{r}\"))"
                ),
            };
            format!("// dotnet add package Azure.Identity\nusing Azure.Core;\nusing Azure.Identity;\n\nvar credential = new ManagedIdentityCredential({arg});\nAccessToken token = await credential.GetTokenAsync(\n    new TokenRequestContext(new[] {{ \"{scope}\" }}));\nConsole.WriteLine(token.ExpiresOn);\n")
        }
        Language::JavaScript => {
            let arg = match identity {
                IdentityChoice::Default => String::new(),
                IdentityChoice::ClientId(c) => format!("{{ clientId: \"{c}\" }}"),
                IdentityChoice::ObjectId(o) => format!("{{ objectId: \"{o}\" }}"),
                IdentityChoice::ResourceId(r) => format!("{{ resourceId: \"{r}\" }}"),
            };
            format!("// npm install @azure/identity\nimport {{ ManagedIdentityCredential }} from \"@azure/identity\";\n\nconst credential = new ManagedIdentityCredential({arg});\nconst token = await credential.getToken(\"{scope}\");\nconsole.log(token.expiresOnTimestamp); // milliseconds\n")
        }
        Language::Java => {
            let arg = match identity {
                IdentityChoice::Default => String::new(),
                IdentityChoice::ClientId(c) => format!("\n    .clientId(\"{c}\")"),
                IdentityChoice::ObjectId(o) => format!("\n    .objectId(\"{o}\")"),
                IdentityChoice::ResourceId(r) => format!("\n    .resourceId(\"{r}\")"),
            };
            format!("// com.azure:azure-identity\nimport com.azure.core.credential.AccessToken;\nimport com.azure.core.credential.TokenRequestContext;\nimport com.azure.identity.ManagedIdentityCredential;\nimport com.azure.identity.ManagedIdentityCredentialBuilder;\n\nManagedIdentityCredential credential = new ManagedIdentityCredentialBuilder(){arg}\n    .build();\nAccessToken token = credential.getToken(\n    new TokenRequestContext().addScopes(\"{scope}\")).block();\nSystem.out.println(token.getExpiresAt());\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::parse::parse_any;

    #[test]
    fn round_trips_through_the_parsers() {
        let req = parse_any("curl -H 'Metadata: true' 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/&client_id=abc'", &[]).unwrap();
        assert_eq!(parse_any(&to_curl(&req), &[]).unwrap(), req);
        assert_eq!(parse_any(&to_powershell(&req), &[]).unwrap(), req);
        assert_eq!(parse_any(&to_raw_http(&req), &[]).unwrap(), req);
        assert_eq!(
            identity_choice(&req),
            IdentityChoice::ClientId("abc".into())
        );
        assert_eq!(
            to_curl(&req),
            "curl -s \\\n  -H 'Metadata: true' \\\n  'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F&client_id=abc'"
        );
    }

    #[test]
    fn sdk_snippets() {
        let py = sdk_code(
            Language::Python,
            "https://management.azure.com/",
            &IdentityChoice::ClientId("c1".into()),
        );
        assert!(py.contains("ManagedIdentityCredential(client_id=\"c1\")"));
        assert!(py.contains("get_token(\"https://management.azure.com/.default\")"));
        let cs = sdk_code(
            Language::CSharp,
            "https://vault.azure.net",
            &IdentityChoice::Default,
        );
        assert!(cs.contains("ManagedIdentityId.SystemAssigned"));
        let js = sdk_code(
            Language::JavaScript,
            "https://vault.azure.net",
            &IdentityChoice::ObjectId("o".into()),
        );
        assert!(js.contains("{ objectId: \"o\" }"));
        let java = sdk_code(
            Language::Java,
            "https://vault.azure.net",
            &IdentityChoice::ResourceId("/x".into()),
        );
        assert!(java.contains(".resourceId(\"/x\")"));
    }
}
