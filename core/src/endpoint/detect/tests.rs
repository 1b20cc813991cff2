use super::*;
use crate::cloud::time::EPOCH;
use crate::cloud::World;
use crate::endpoint::Certainty;

fn example(code: &str) -> Vec<(String, String)> {
    examples()
        .into_iter()
        .find(|e| e.code == code)
        .unwrap_or_else(|| panic!("no example {code}"))
        .vars
}

fn chosen(env: &[(String, String)], sdk: DetectSdk, dac: bool) -> &'static str {
    let options = DetectOptions {
        via_default_azure_credential: dac,
        ..DetectOptions::default()
    };
    detect(env, sdk, &options).chosen.code()
}

/// Environment × SDK → the source, for `ManagedIdentityCredential()` and for
/// `DefaultAzureCredential()`, in the order Python, .NET, JavaScript, Java.
const TABLE: [(&str, [&str; 4], [&str; 4]); 14] = [
    ("vm", ["imds"; 4], ["imds"; 4]),
    ("app-service", ["app-service"; 4], ["app-service"; 4]),
    ("functions", ["app-service"; 4], ["app-service"; 4]),
    ("container-apps", ["app-service"; 4], ["app-service"; 4]),
    (
        "service-fabric",
        ["service-fabric"; 4],
        ["service-fabric"; 4],
    ),
    (
        "azure-ml",
        ["azure-ml", "azure-ml", "azure-ml", "cloud-shell"],
        ["azure-ml", "azure-ml", "azure-ml", "cloud-shell"],
    ),
    ("cloud-shell", ["cloud-shell"; 4], ["cloud-shell"; 4]),
    ("azure-arc", ["azure-arc"; 4], ["azure-arc"; 4]),
    (
        "aks-workload-identity",
        ["workload-identity"; 4],
        ["workload-identity"; 4],
    ),
    (
        "identity-endpoint-only",
        ["none", "imds", "imds", "imds"],
        ["none", "imds", "imds", "imds"],
    ),
    (
        "msi-pair",
        ["azure-ml", "azure-ml", "azure-ml", "cloud-shell"],
        ["azure-ml", "azure-ml", "azure-ml", "cloud-shell"],
    ),
    (
        "workload-identity-and-app-service",
        [
            "app-service",
            "workload-identity",
            "workload-identity",
            "workload-identity",
        ],
        ["workload-identity"; 4],
    ),
    (
        "workload-identity-no-authority",
        [
            "imds",
            "workload-identity",
            "workload-identity",
            "workload-identity",
        ],
        ["workload-identity"; 4],
    ),
    (
        "empty-identity-header",
        ["none", "azure-ml", "azure-ml", "cloud-shell"],
        ["none", "azure-ml", "azure-ml", "cloud-shell"],
    ),
];

#[test]
fn every_environment_and_sdk_picks_the_expected_source() {
    let mut got_table = Vec::new();
    for (code, mi, dac) in TABLE {
        let env = example(code);
        let got_mi: Vec<&str> = DetectSdk::ALL
            .iter()
            .map(|&s| chosen(&env, s, false))
            .collect();
        let got_dac: Vec<&str> = DetectSdk::ALL
            .iter()
            .map(|&s| chosen(&env, s, true))
            .collect();
        got_table.push((code, got_mi.clone(), got_dac.clone()));
        assert_eq!(
            (code, got_mi.as_slice()),
            (code, &mi[..]),
            "ManagedIdentityCredential"
        );
        assert_eq!(
            (code, got_dac.as_slice()),
            (code, &dac[..]),
            "DefaultAzureCredential"
        );
    }
    // Every example is in the table.
    assert_eq!(examples().len(), TABLE.len());
}

#[test]
fn exactly_one_rule_fires_and_it_names_the_chosen_source() {
    for e in examples() {
        for sdk in DetectSdk::ALL {
            for dac in [false, true] {
                let options = DetectOptions {
                    via_default_azure_credential: dac,
                    ..DetectOptions::default()
                };
                let d = detect(&e.vars, sdk, &options);
                let fired: Vec<&Rule> = d.rules.iter().filter(|r| r.fired).collect();
                assert_eq!(fired.len(), 1, "{} {sdk:?} dac={dac}", e.code);
                // Python's msal may send the request elsewhere; never in these examples.
                assert_eq!(fired[0].source_if_fired, d.chosen, "{} {sdk:?}", e.code);
                assert!(d
                    .rules
                    .iter()
                    .all(|r| !r.reference.is_empty() && !r.text.is_empty()));
                // A source with an endpoint has a request unless a note says why not.
                if d.request.is_none() && d.chosen != Source::None {
                    assert!(!d.notes.is_empty(), "{} {sdk:?}", e.code);
                }
            }
        }
    }
}

#[test]
fn source_codes_are_exact_and_distinct() {
    let codes: Vec<&str> = Source::ALL.iter().map(|s| s.code()).collect();
    assert_eq!(
        codes,
        [
            "imds",
            "app-service",
            "service-fabric",
            "azure-arc",
            "azure-ml",
            "cloud-shell",
            "workload-identity",
            "none"
        ]
    );
    for sdk in DetectSdk::ALL {
        assert_eq!(DetectSdk::from_code(sdk.code()), Some(sdk));
    }
    assert_eq!(DetectSdk::from_code("go"), None);
}

fn request(code: &str, sdk: DetectSdk) -> RequestPreview {
    detect(&example(code), sdk, &DetectOptions::default())
        .request
        .unwrap_or_else(|| panic!("{code} {sdk:?}: no request"))
}

#[test]
fn app_service_requests_carry_the_header_from_the_environment() {
    let header = "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a";
    let py = request("app-service", DetectSdk::Python);
    assert_eq!(
        py.to_text(),
        format!("GET http://localhost:4141/MSI/token?api-version=2019-08-01&resource=https://management.azure.com\nX-IDENTITY-HEADER: {header}\nMetadata: true\n")
    );
    assert_eq!(
        request("app-service", DetectSdk::DotNet).to_text(),
        format!("GET http://localhost:4141/MSI/token?api-version=2019-08-01&resource=https%3A%2F%2Fmanagement.azure.com\nX-IDENTITY-HEADER: {header}\n"),
    );
    // msal-node sends a form content type even on a GET (seen on loopback).
    assert_eq!(
        request("app-service", DetectSdk::JavaScript).to_text(),
        format!("GET http://localhost:4141/MSI/token?api-version=2019-08-01&resource=https%3A%2F%2Fmanagement.azure.com\nX-IDENTITY-HEADER: {header}\nContent-Type: application/x-www-form-urlencoded;charset=utf-8\n"),
    );
    assert_eq!(
        request("app-service", DetectSdk::Java).url,
        "http://localhost:4141/MSI/token?api-version=2019-08-01&resource=https%3A%2F%2Fmanagement.azure.com%2F"
    );
}

#[test]
fn service_fabric_api_versions_differ_by_sdk() {
    let v = |sdk| {
        request("service-fabric", sdk)
            .query("api-version")
            .map(str::to_string)
    };
    assert_eq!(v(DetectSdk::Python).as_deref(), Some("2019-07-01-preview"));
    assert_eq!(
        v(DetectSdk::JavaScript).as_deref(),
        Some("2019-07-01-preview")
    );
    assert_eq!(v(DetectSdk::Java).as_deref(), Some("2019-07-01-preview"));
    assert_eq!(v(DetectSdk::DotNet).as_deref(), Some("2020-05-01"));
    let py = request("service-fabric", DetectSdk::Python);
    assert_eq!(
        py.headers,
        [(
            "Secret".to_string(),
            "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a".to_string()
        )]
    );
    assert_eq!(
        py.url,
        "https://localhost:2377/metadata/identity/oauth2/token?api-version=2019-07-01-preview&resource=https%3A%2F%2Fmanagement.azure.com"
    );
    assert_eq!(
        request("service-fabric", DetectSdk::DotNet).header("secret"),
        Some("853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a")
    );
}

#[test]
fn azure_ml_sends_clientid_as_each_sdk_does() {
    let py = request("azure-ml", DetectSdk::Python);
    assert_eq!(
        py.to_text(),
        "GET http://127.0.0.1:46808/MSI/auth?api-version=2017-09-01&resource=https://management.azure.com\nsecret: c3f1e9a2b7d84e6f\n"
    );
    let net = request("azure-ml", DetectSdk::DotNet);
    assert_eq!(
        net.query("clientid"),
        Some("0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60")
    );
    assert_eq!(net.header("Metadata"), Some("true"));
    let js = request("azure-ml", DetectSdk::JavaScript);
    assert_eq!(
        js.to_text(),
        "GET http://127.0.0.1:46808/MSI/auth?api-version=2017-09-01&resource=https%3A%2F%2Fmanagement.azure.com&clientid=0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60\nMetadata: true\nsecret: c3f1e9a2b7d84e6f\nContent-Type: application/x-www-form-urlencoded;charset=utf-8\n"
    );
    // Without DEFAULT_IDENTITY_CLIENT_ID, MSAL.NET refuses; msal-node sends no clientid.
    let pair = example("msi-pair");
    let d = detect(&pair, DetectSdk::DotNet, &DetectOptions::default());
    assert_eq!((d.chosen, d.request.is_none()), (Source::AzureMl, true));
    assert_eq!(
        request("msi-pair", DetectSdk::JavaScript).query("clientid"),
        None
    );
    // A user-assigned client id goes in as clientid.
    let options = DetectOptions {
        client_id: Some("11111111-2222-3333-4444-555555555555".into()),
        ..DetectOptions::default()
    };
    let py = detect(&pair, DetectSdk::Python, &options).request.unwrap();
    assert_eq!(
        py.query("clientid"),
        Some("11111111-2222-3333-4444-555555555555")
    );
}

#[test]
fn cloud_shell_posts_a_form_except_java() {
    let py = request("cloud-shell", DetectSdk::Python);
    assert_eq!(
        py.to_text(),
        "POST http://localhost:50342/oauth2/token\nMetadata: true\nContent-Type: application/x-www-form-urlencoded\n\nresource=https%3A%2F%2Fmanagement.azure.com\n"
    );
    assert_eq!(py.body.len(), 43);
    let js = request("cloud-shell", DetectSdk::JavaScript);
    assert_eq!(
        (js.method.as_str(), js.body.as_str()),
        ("POST", "resource=https%3A%2F%2Fmanagement.azure.com")
    );
    let java = request("cloud-shell", DetectSdk::Java);
    assert_eq!(java.method, "GET");
    assert_eq!(
        java.url,
        "http://localhost:50342/oauth2/token?resource=https%3A%2F%2Fmanagement.azure.com%2F"
    );
}

#[test]
fn arc_api_versions_and_endpoints() {
    assert_eq!(
        request("azure-arc", DetectSdk::Python).url,
        "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://management.azure.com"
    );
    assert_eq!(
        request("azure-arc", DetectSdk::DotNet).query("api-version"),
        Some("2020-06-01")
    );
    assert_eq!(
        request("azure-arc", DetectSdk::JavaScript).url,
        "http://127.0.0.1:40342/metadata/identity/oauth2/token?api-version=2019-11-01&resource=https%3A%2F%2Fmanagement.azure.com"
    );
    assert_eq!(
        request("azure-arc", DetectSdk::Java).query("api-version"),
        Some("2019-11-01")
    );
    for sdk in DetectSdk::ALL {
        assert_eq!(
            request("azure-arc", sdk).header("Metadata"),
            Some("true"),
            "{sdk:?}"
        );
    }
}

#[test]
fn the_arc_agent_file_moves_every_sdk_but_java_to_arc() {
    let options = DetectOptions {
        arc_agent_installed: true,
        ..DetectOptions::default()
    };
    let got: Vec<&str> = DetectSdk::ALL
        .iter()
        .map(|&s| detect(&[], s, &options).chosen.code())
        .collect();
    assert_eq!(got, ["azure-arc", "azure-arc", "azure-arc", "imds"]);
    // Python: azure-identity picks IMDS, msal (which sends) goes to the agent.
    let py = detect(&[], DetectSdk::Python, &options);
    assert_eq!(py.fired().map(|r| r.source_if_fired), Some(Source::Imds));
    assert_eq!(
        py.request.unwrap().url,
        "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://management.azure.com"
    );
    assert_eq!(
        detect(&[], DetectSdk::DotNet, &options).request.unwrap().url,
        "http://127.0.0.1:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https%3A%2F%2Fmanagement.azure.com"
    );
}

#[test]
fn imds_requests_and_the_pod_identity_host() {
    assert_eq!(
        request("vm", DetectSdk::Python).to_text(),
        "GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com\nMetadata: true\n"
    );
    assert_eq!(
        request("vm", DetectSdk::JavaScript).url,
        "http://169.254.169.254/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com"
    );
    let pod = vec![(
        "AZURE_POD_IDENTITY_AUTHORITY_HOST".to_string(),
        "http://127.0.0.1:2846/".to_string(),
    )];
    for sdk in DetectSdk::ALL {
        let d = detect(&pod, sdk, &DetectOptions::default());
        assert_eq!(d.chosen, Source::Imds);
        assert!(
            d.request
                .unwrap()
                .url
                .starts_with("http://127.0.0.1:2846/metadata/identity/oauth2/token"),
            "{sdk:?}"
        );
    }
    let options = DetectOptions {
        client_id: Some("abc".into()),
        ..DetectOptions::default()
    };
    let r = detect(&[], DetectSdk::DotNet, &options).request.unwrap();
    assert_eq!(r.query("client_id"), Some("abc"));
}

#[test]
fn workload_identity_exchange() {
    let py = request("aks-workload-identity", DetectSdk::Python);
    assert_eq!(
        py.to_text(),
        "POST https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token\nContent-Type: application/x-www-form-urlencoded\n\nclient_assertion=<contents of /var/run/secrets/azure/tokens/azure-identity-token>&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_id=0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default\n"
    );
    let js = request("aks-workload-identity", DetectSdk::JavaScript);
    assert!(js.body.starts_with("client_id=0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60&scope=https%3A%2F%2Fmanagement.azure.com%2F.default&grant_type=client_credentials&client_assertion="), "{}", js.body);
    // Without AZURE_AUTHORITY_HOST the others use the public cloud's authority.
    let net = request("workload-identity-no-authority", DetectSdk::DotNet);
    assert_eq!(
        net.url,
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token"
    );
    // Python with the three variables but no client id: ValueError, nothing sent.
    let mut env = example("aks-workload-identity");
    env.retain(|(n, _)| n != "AZURE_CLIENT_ID");
    let d = detect(&env, DetectSdk::Python, &DetectOptions::default());
    assert_eq!(
        (d.chosen, d.request.is_none()),
        (Source::WorkloadIdentity, true)
    );
    assert!(
        d.notes.iter().any(|n| n.text.contains("no client ID")),
        "{:?}",
        d.notes
    );
    // .NET and JS need the client id to pick workload identity at all.
    assert_eq!(chosen(&env, DetectSdk::DotNet, false), "imds");
    assert_eq!(chosen(&env, DetectSdk::JavaScript, false), "imds");
    assert_eq!(chosen(&env, DetectSdk::Java, false), "workload-identity");
}

#[test]
fn user_assigned_ids_that_a_source_refuses_send_nothing() {
    let options = DetectOptions {
        client_id: Some("11111111-2222-3333-4444-555555555555".into()),
        ..DetectOptions::default()
    };
    let refuses = |code: &str, sdk| detect(&example(code), sdk, &options).request.is_none();
    for sdk in [DetectSdk::Python, DetectSdk::DotNet, DetectSdk::JavaScript] {
        assert!(refuses("service-fabric", sdk), "{sdk:?}");
    }
    for sdk in DetectSdk::ALL {
        assert!(refuses("cloud-shell", sdk), "{sdk:?}");
    }
    assert!(!refuses("azure-arc", DetectSdk::Python));
    assert!(refuses("azure-arc", DetectSdk::JavaScript));
    assert!(refuses("azure-arc", DetectSdk::DotNet));
    assert!(refuses("azure-arc", DetectSdk::Java));
    // Python inside DefaultAzureCredential does not check, and the id rides in the form.
    let dac = DetectOptions {
        via_default_azure_credential: true,
        ..options.clone()
    };
    let r = detect(&example("cloud-shell"), DetectSdk::Python, &dac)
        .request
        .unwrap();
    assert_eq!(r.body, "resource=https%3A%2F%2Fmanagement.azure.com&client_id=11111111-2222-3333-4444-555555555555");
}

#[test]
fn default_azure_credential_stops_at_a_service_principal() {
    let mut env = example("app-service");
    env.extend([
        ("AZURE_CLIENT_ID".to_string(), "c".to_string()),
        ("AZURE_TENANT_ID".to_string(), "t".to_string()),
        ("AZURE_CLIENT_SECRET".to_string(), "s".to_string()),
    ]);
    for sdk in DetectSdk::ALL {
        assert_eq!(chosen(&env, sdk, true), "none", "{sdk:?}");
        assert_eq!(chosen(&env, sdk, false), "app-service", "{sdk:?}");
        let d = detect(
            &env,
            sdk,
            &DetectOptions {
                via_default_azure_credential: true,
                ..DetectOptions::default()
            },
        );
        assert_eq!(
            d.fired().map(|r| r.credential),
            Some("EnvironmentCredential")
        );
        assert!(d.request.is_none());
    }
}

#[test]
fn msal_python_counts_empty_variables() {
    // azure-identity (truthy) picks App Service; msal (presence) sees the empty thumbprint
    // and sends the Service Fabric request.
    let mut env = example("app-service");
    env.push(("IDENTITY_SERVER_THUMBPRINT".to_string(), String::new()));
    let d = detect(&env, DetectSdk::Python, &DetectOptions::default());
    assert_eq!(
        d.fired().map(|r| r.source_if_fired),
        Some(Source::AppService)
    );
    assert_eq!(d.chosen, Source::ServiceFabric);
    assert!(d
        .notes
        .iter()
        .any(|n| n.text.contains("msal builds the request")));
    // …over http, which msal refuses for Service Fabric: nothing is sent.
    assert!(d.request.is_none());
    assert!(d.notes.iter().any(|n| n.text.contains("must use HTTPS")));
    for sdk in [DetectSdk::DotNet, DetectSdk::JavaScript, DetectSdk::Java] {
        assert_eq!(chosen(&env, sdk, false), "app-service");
    }
}

#[test]
fn disagreements_name_the_sdks_that_part() {
    assert!(disagreements(&example("app-service"))
        .iter()
        .all(|d| d.aspect == Aspect::Request));
    assert!(disagreements(&example("aks-workload-identity"))
        .iter()
        .all(|d| d.aspect == Aspect::Request));

    let d = disagreements(&example("workload-identity-and-app-service"));
    // Under DefaultAzureCredential all four exchange the token file: no second row.
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].credential, d[0].aspect),
        (Credential::ManagedIdentity, Aspect::Source)
    );
    let sources: Vec<(&str, &str)> = d[0]
        .per_sdk
        .iter()
        .map(|(s, src, _)| (s.code(), src.code()))
        .collect();
    assert_eq!(
        sources,
        [
            ("python", "app-service"),
            ("dotnet", "workload-identity"),
            ("js", "workload-identity"),
            ("java", "workload-identity")
        ]
    );
    // Python alone sends Metadata to App Service.
    assert!(
        d[0].per_sdk[0].2.contains("metadata, x-identity-header"),
        "{:?}",
        d[0].per_sdk[0]
    );
    let wi = disagreements(&example("workload-identity-no-authority"));
    assert_eq!(wi.len(), 1);
    assert_eq!(wi[0].per_sdk[0].1, Source::Imds);

    let sf = disagreements(&example("service-fabric"));
    assert_eq!(sf.len(), 1);
    assert_eq!(sf[0].aspect, Aspect::Request);
    assert!(
        sf[0].per_sdk[1].2.contains("api-version=2020-05-01"),
        "{:?}",
        sf[0].per_sdk[1]
    );

    let none = disagreements(&example("identity-endpoint-only"));
    assert_eq!(none[0].per_sdk[0].1, Source::None);
    assert_eq!(none[0].per_sdk[0].2, "sends nothing");
}

#[test]
fn the_worlds_hosts_have_their_platforms_variables() {
    let world = World::default_scenario(EPOCH);
    for host in &world.computes {
        let env = env_for_host(&world, &host.name).unwrap();
        let want = match host.kind.code() {
            "vm" | "vmss" => "imds",
            "app" | "func" | "aca" => "app-service",
            "arc" => "azure-arc",
            other => panic!("unknown kind {other}"),
        };
        for sdk in DetectSdk::ALL {
            assert_eq!(chosen(&env, sdk, false), want, "{} {sdk:?}", host.name);
        }
        if want == "app-service" {
            let r = detect(&env, DetectSdk::JavaScript, &DetectOptions::default())
                .request
                .unwrap();
            assert_eq!(
                r.header("X-IDENTITY-HEADER"),
                Some(host.identity_header.as_str())
            );
        }
    }
    assert_eq!(env_for_host(&world, "no-such-host"), None);
}

#[test]
fn certainty_tags_say_what_was_run() {
    for sdk in DetectSdk::ALL {
        let d = detect(&[], sdk, &DetectOptions::default());
        let tested = d.rules.iter().any(|r| r.certainty == Certainty::Tested);
        assert_eq!(
            tested,
            matches!(sdk, DetectSdk::Python | DetectSdk::JavaScript),
            "{sdk:?}"
        );
    }
}

#[test]
fn relevant_keeps_only_what_detection_reads() {
    let parsed = parse_env("PATH=/usr/bin\nIDENTITY_ENDPOINT=http://x\nHOME=/root\nMSI_SECRET=s\n");
    assert_eq!(
        relevant(&parsed.vars),
        [
            ("IDENTITY_ENDPOINT".to_string(), "http://x".to_string()),
            ("MSI_SECRET".to_string(), "s".to_string())
        ]
    );
    assert_eq!(
        to_lines(&relevant(&parsed.vars)),
        "IDENTITY_ENDPOINT=http://x\nMSI_SECRET=s\n"
    );
    assert!(is_secret_var("IDENTITY_HEADER") && !is_secret_var("IDENTITY_ENDPOINT"));
}

// ---- parse_env ----

fn pairs(p: &ParsedEnv) -> Vec<(&str, &str)> {
    p.vars
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

#[test]
fn env_and_printenv_output() {
    let text = "SHELL=/bin/bash\nIDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER=a=b==\nEMPTY=\n_=/usr/bin/env\n";
    let p = parse_env(text);
    assert_eq!(
        pairs(&p),
        [
            ("SHELL", "/bin/bash"),
            ("IDENTITY_ENDPOINT", "http://localhost:4141/MSI/token"),
            ("IDENTITY_HEADER", "a=b=="),
            ("EMPTY", ""),
            ("_", "/usr/bin/env"),
        ]
    );
    assert_eq!((p.ignored_lines, p.notes.len()), (0, 0));
    // Windows line ends.
    let p = parse_env("MSI_ENDPOINT=http://x\r\nMSI_SECRET=y\r\n");
    assert_eq!(
        pairs(&p),
        [("MSI_ENDPOINT", "http://x"), ("MSI_SECRET", "y")]
    );
}

#[test]
fn bash_set_output_with_quotes_and_functions() {
    let text = "BASH=/usr/bin/bash\nBASH_VERSINFO=([0]=\"5\" [1]=\"2\")\nIDENTITY_HEADER='a b'\nQ='it'\\''s'\nANSI=$'one\\ttwo'\nquote () \n{ \n    echo \"$@\"\n}\nAFTER=1\n";
    let p = parse_env(text);
    assert_eq!(
        pairs(&p),
        [
            ("BASH", "/usr/bin/bash"),
            ("BASH_VERSINFO", "([0]=\"5\" [1]=\"2\")"),
            ("IDENTITY_HEADER", "a b"),
            ("Q", "it's"),
            ("ANSI", "one\ttwo"),
            ("AFTER", "1"),
        ]
    );
    assert_eq!(p.ignored_lines, 4);
    assert_eq!(p.notes.len(), 1);
    assert_eq!(p.notes[0].level, Level::Info);
    assert_eq!(
        p.notes[0].message,
        "lines 6–9: a shell function (printed by `set`), skipped."
    );
}

#[test]
fn export_declare_and_powershell_assignments() {
    let text = "declare -x IDENTITY_ENDPOINT=\"http://localhost:4141/MSI/token\"\nexport MSI_SECRET=\"x\\\"y\"\ndeclare -x OLDPWD\n$env:IDENTITY_HEADER = 'abc'\n$Env:IMDS_ENDPOINT=\"http://localhost:40342\"\n";
    let p = parse_env(text);
    assert_eq!(
        pairs(&p),
        [
            ("IDENTITY_ENDPOINT", "http://localhost:4141/MSI/token"),
            ("MSI_SECRET", "x\"y"),
            ("IDENTITY_HEADER", "abc"),
            ("IMDS_ENDPOINT", "http://localhost:40342"),
        ]
    );
    assert_eq!((p.ignored_lines, p.notes.len()), (1, 0));
}

#[test]
fn powershell_table_with_cut_off_values() {
    let text = "\r\nName                           Value\r\n----                           -----\r\nALLUSERSPROFILE                C:\\ProgramData\r\nIDENTITY_ENDPOINT              http://127.0.0.1:41741/MSI/token/\r\nIDENTITY_HEADER                853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a\r\nPSModulePath                   C:\\Users\\me\\Documents\\WindowsPowerShell\\Modules;C:\\Program Files\\WindowsPowerShe...\r\nAPPSETTING_WEBSITE_AUTH_ENC... abc\r\n\r\n";
    let p = parse_env(text);
    assert_eq!(
        pairs(&p),
        [
            ("ALLUSERSPROFILE", "C:\\ProgramData"),
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:41741/MSI/token/"),
            ("IDENTITY_HEADER", "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a"),
            ("PSModulePath", "C:\\Users\\me\\Documents\\WindowsPowerShell\\Modules;C:\\Program Files\\WindowsPowerShe..."),
        ]
    );
    assert_eq!(p.ignored_lines, 1);
    let lines: Vec<(usize, Level)> = p.notes.iter().map(|n| (n.line, n.level)).collect();
    assert_eq!(lines, [(7, Level::Warning), (8, Level::Warning)]);
    assert!(
        p.notes[0]
            .message
            .starts_with("line 7: the value of PSModulePath is cut off by PowerShell's table"),
        "{}",
        p.notes[0].message
    );
    assert!(
        p.notes[1]
            .message
            .starts_with("line 8: the name \"APPSETTING_WEBSITE_AUTH_ENC...\" is cut off"),
        "{}",
        p.notes[1].message
    );
}

#[test]
fn powershell_wrapped_table_and_list() {
    let wrapped = "Name              Value\n----              -----\nIDENTITY_ENDPOINT http://127.0.0.1:41741/MS\n                  I/token/\nMSI_SECRET        s\n";
    let p = parse_env(wrapped);
    assert_eq!(
        pairs(&p),
        [
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:41741/MSI/token/"),
            ("MSI_SECRET", "s")
        ]
    );
    let list = "\nName  : IDENTITY_ENDPOINT\nValue : http://127.0.0.1:41741/MSI/token/\n\nName  : IDENTITY_HEADER\nValue : 853b9a84-5bfa-4b22-\n        a3f3-0b9a43d9ad8a\n";
    let p = parse_env(list);
    assert_eq!(
        pairs(&p),
        [
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:41741/MSI/token/"),
            ("IDENTITY_HEADER", "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a")
        ]
    );
    assert_eq!((p.ignored_lines, p.notes.len()), (0, 0));
}

#[test]
fn unreadable_lines_are_counted_and_explained() {
    let text = "IDENTITY_ENDPOINT=http://x\nsecond line of a value\nnot a name=1\n# comment\nidentity_header=abc\nIDENTITY_ENDPOINT=http://y\nA = b\n";
    let p = parse_env(text);
    assert_eq!(
        pairs(&p),
        [
            ("IDENTITY_ENDPOINT", "http://y"),
            ("identity_header", "abc"),
            ("A", "b")
        ]
    );
    assert_eq!(p.ignored_lines, 3);
    let messages: Vec<&str> = p.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "line 2: no '=' in \"second line of a value\", so it is not NAME=value; ignored. If it continues the value of IDENTITY_ENDPOINT (a value with a line break), that part was not read.",
            "line 3: \"not a name\" is not a variable name (spaces, quotes or '$' in it); ignored.",
            "line 5: identity_header is not IDENTITY_HEADER: names are case-sensitive on Linux, so the SDKs there do not read it (Windows would).",
            "line 6: IDENTITY_ENDPOINT was already set on line 1; the later value is used.",
            "line 7: spaces around '=' were dropped (read as A=…).",
        ]
    );
}

#[test]
fn notes_are_capped_and_counted() {
    let text = "junk\n".repeat(100);
    let p = parse_env(&text);
    assert_eq!(p.ignored_lines, 100);
    assert_eq!(p.notes.len(), MAX_NOTES + 1);
    assert_eq!(
        p.notes[MAX_NOTES].message,
        "… and 80 more remarks not shown."
    );
}

#[test]
fn a_mebibyte_of_anything_parses_in_linear_time() {
    let started = std::time::Instant::now();
    for unit in [
        "A=b\n",
        "x\n",
        "Name Value\n",
        "Name  Value\n----  -----\nA     b\n         c\n",
        "'",
        "$env:",
        "f () \n{\n",
    ] {
        let text = unit.repeat((1 << 20) / unit.len());
        let p = parse_env(&text);
        assert!(p.notes.len() <= MAX_NOTES + 1);
    }
    // Generous: the seven mebibytes take well under a second in a debug build.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn parse_env_never_panics_and_every_note_names_a_line(text in "(?s)[ -~\\t\\r\\n\u{00e9}\u{2026}$'\"=:()-]{0,400}") {
            let p = parse_env(&text);
            let lines = text.split('\n').count();
            for n in &p.notes {
                prop_assert!(n.line <= lines);
                prop_assert!(!n.message.is_empty());
            }
            prop_assert!(p.ignored_lines <= lines);
            // Detection never panics on what was read.
            for sdk in DetectSdk::ALL {
                let _ = detect(&p.vars, sdk, &DetectOptions::default());
            }
        }

        #[test]
        fn name_value_lines_round_trip(vars in proptest::collection::vec(("[A-Z_][A-Z0-9_]{0,12}", "[ -~]{0,20}"), 0..12)) {
            let mut text = String::new();
            for (n, v) in &vars {
                text.push_str(&format!("{n}={v}\n"));
            }
            let p = parse_env(&text);
            // Later duplicates win; quoted values lose their quotes.
            let mut want: Vec<(String, String)> = Vec::new();
            for (n, v) in &vars {
                let v = v.clone();
                match want.iter_mut().find(|(k, _)| k == n) {
                    Some(slot) => slot.1 = v,
                    None => want.push((n.clone(), v)),
                }
            }
            let unquoted = want.iter().all(|(_, v)| !(v.len() >= 2 && (v.starts_with('\'') || v.starts_with('"') || v.starts_with("$'"))));
            if unquoted {
                prop_assert_eq!(p.vars, want);
            }
        }
    }
}

#[test]
fn default_azure_credential_probes_imds_first() {
    let dac = DetectOptions {
        via_default_azure_credential: true,
        ..DetectOptions::default()
    };
    let py = detect(&[], DetectSdk::Python, &dac);
    assert_eq!(
        py.request.unwrap().to_text(),
        "GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com\n"
    );
    assert!(py.notes.iter().any(|n| n.text.starts_with("The token request that follows when IMDS answers:\nGET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com\nMetadata: true\n")));
    let js = detect(&[], DetectSdk::JavaScript, &dac).request.unwrap();
    assert_eq!(
        js.to_text(),
        "GET http://169.254.169.254/metadata/identity/oauth2/token\nAccept: application/json\n"
    );
    // A pod-identity host turns the Python and JS probes off.
    let pod = vec![(
        "AZURE_POD_IDENTITY_AUTHORITY_HOST".to_string(),
        "http://127.0.0.1:1".to_string(),
    )];
    for sdk in [DetectSdk::Python, DetectSdk::JavaScript] {
        assert_eq!(
            detect(&pod, sdk, &dac).request.unwrap().header("Metadata"),
            Some("true"),
            "{sdk:?}"
        );
    }
    // Python on an Arc server with the agent but no variables: the probe goes to IMDS, which
    // is not there, so DefaultAzureCredential never reaches the agent (ManagedIdentityCredential
    // alone does, through msal).
    let arc = DetectOptions {
        arc_agent_installed: true,
        ..dac.clone()
    };
    assert_eq!(detect(&[], DetectSdk::Python, &arc).chosen, Source::Imds);
    assert_eq!(
        detect(&[], DetectSdk::JavaScript, &arc).chosen,
        Source::AzureArc
    );
    let mi = DetectOptions {
        arc_agent_installed: true,
        ..DetectOptions::default()
    };
    assert_eq!(detect(&[], DetectSdk::Python, &mi).chosen, Source::AzureArc);
}

#[test]
fn links_keep_the_worlds_values_and_withhold_pasted_secrets() {
    let world = World::default_scenario(EPOCH);
    let app = env_for_host(&world, "app-shop").unwrap();
    let l = link_env(&app, &world);
    assert_eq!(l.withheld, Vec::<String>::new());
    assert_eq!(l.text.as_deref(), Some(to_lines(&app).as_str()));

    let pasted = parse_env("PATH=/bin\nIDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER=real-secret\nMSI_SECRET=real-secret\nAZURE_CLIENT_ID=abc\n");
    let l = link_env(&pasted.vars, &world);
    assert_eq!(l.withheld, ["IDENTITY_HEADER", "MSI_SECRET"]);
    assert_eq!(
        l.text.as_deref(),
        Some("IDENTITY_ENDPOINT=http://localhost:4141/MSI/token\nIDENTITY_HEADER=<withheld>\nMSI_SECRET=<withheld>\nAZURE_CLIENT_ID=abc\n")
    );
    // Reading the link back gives the same sources.
    let back = parse_env(l.text.as_deref().unwrap());
    for sdk in DetectSdk::ALL {
        assert_eq!(
            chosen(&back.vars, sdk, false),
            chosen(&pasted.vars, sdk, false)
        );
    }
    assert_eq!(link_env(&[], &world).text.as_deref(), Some("\n"));
}
