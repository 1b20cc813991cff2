use super::*;
use crate::cloud::time::EPOCH;
use crate::cloud::PrincipalDisplay;
use crate::cloud::DEFAULT_SEED;
use crate::token::{DiffKind, IdentityKind};

// Each lane has its own seed (Lane::seed): no GUID here appears in another world.
const SYS_OID_1: &str = "66db940f-7627-4cfd-b09c-0976a1143afb";
const SYS_OID_2: &str = "ec1fbcb0-967b-4fa6-98d5-e9bc83c82a19";
const USER_OID: &str = "9c40bf40-fa9c-415a-8ad0-507e645331e0";
const USER_CLIENT: &str = "2eea6d81-eed3-4714-9289-e33c1caf0fc8";

fn all(lane: Lane) -> Vec<LaneState> {
    (0..lane.step_count())
        .map(|i| play(lane, i, EPOCH))
        .collect()
}

fn kind(s: &LaneState, claim: &str) -> Option<DiffKind> {
    s.diff.iter().find(|d| d.name == claim).map(|d| d.kind)
}

fn sub(s: &LaneState) -> String {
    s.world.subscription.id.clone()
}

#[test]
fn every_step_applies_cleanly() {
    for l in Lane::ALL {
        for (i, s) in all(l).iter().enumerate() {
            assert!(s.errors.is_empty(), "{l:?} step {i}: {:?}", s.errors);
            assert_eq!(s.step, i);
            let n = dsl::parse_actions(s.spec.actions).map(|a| a.len());
            assert_eq!(n, Ok(s.changes.len()), "{l:?} step {i}");
            assert!(s.changes.iter().all(|e| !e.cli.az.is_empty()));
        }
    }
}

#[test]
fn system_lane() {
    let s = all(Lane::System);
    assert_eq!(s.len(), 9);
    // 0: the app exists without an identity.
    assert_eq!(s[0].identity_block.as_deref(), Some("null"));
    assert!(s[0].token.is_none() && s[0].exchanges.is_empty());
    // 1: enabling shows the principal id in the identity block and az output.
    let block = s[1].identity_block.as_deref().unwrap_or("");
    assert!(block.contains(SYS_OID_1) && block.contains("\"SystemAssigned\""));
    assert!(s[1].changes[0].cli.az.contains("az webapp identity assign"));
    // 3: the token: oid = the identity, xms_mirid = the site.
    let t = s[3].token.as_ref().expect("token at step 3");
    assert_eq!(t.claim("oid"), Some(SYS_OID_1));
    assert_eq!(t.reading.summary.identity, IdentityKind::SystemAssigned);
    assert_eq!(t.reading.summary.principal_id.as_deref(), Some(SYS_OID_1));
    let site = format!(
        "/subscriptions/{}/resourcegroups/rg-flows/providers/Microsoft.Web/sites/app-web",
        sub(&s[3])
    );
    assert_eq!(t.claim("xms_mirid"), Some(site.as_str()));
    assert_eq!(t.claim("aud"), Some("https://vault.azure.net"));
    assert!(
        s[3].diff.is_empty(),
        "first token has nothing to compare with"
    );
    assert_eq!(s[3].exchanges.len(), 1);
    assert!(s[3].exchanges[0].request.starts_with("GET /MSI/token?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1\r\nHost: localhost:4141\r\nX-IDENTITY-HEADER: "));
    assert_eq!(s[3].exchanges[0].status, Some(200));
    assert_eq!(s[3].access_status, None);
    // 4: allowed.
    let a = s[4].access.as_ref().expect("read at step 4");
    assert_eq!((a.status, a.status_line.as_str()), (200, "HTTP/1.1 200 OK"));
    assert!(a
        .body
        .starts_with("{\"value\":\"correct-horse-battery-staple\""));
    assert!(a.text.contains("Allowed"));
    assert_eq!(s[4].token_oid.as_deref(), Some(SYS_OID_1));
    // 5: deleted: identity gone, the assignment orphaned.
    assert!(s[5].world.compute("app-web").is_none());
    assert_eq!(s[5].identity_block, None);
    let orphans = s[5].world.orphaned_role_assignments();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].principal_id, SYS_OID_1);
    assert_eq!(
        s[5].world.principal_display(SYS_OID_1),
        PrincipalDisplay::NotFound
    );
    assert_eq!(s[5].access_status, Some(200), "last read so far");
    // 6: recreated: new oid.
    let block = s[6].identity_block.as_deref().unwrap_or("");
    assert!(block.contains(SYS_OID_2) && !block.contains(SYS_OID_1));
    // 7: new token, 403 ForbiddenByRbac.
    let t = s[7].token.as_ref().expect("token at step 7");
    assert_eq!(t.claim("oid"), Some(SYS_OID_2));
    assert_ne!(SYS_OID_1, SYS_OID_2);
    assert_eq!(kind(&s[7], "oid"), Some(DiffKind::Changed));
    assert_eq!(kind(&s[7], "sub"), Some(DiffKind::Changed));
    assert_eq!(kind(&s[7], "appid"), Some(DiffKind::Changed));
    assert_eq!(kind(&s[7], "xms_mirid"), Some(DiffKind::Same));
    assert_eq!(kind(&s[7], "aud"), Some(DiffKind::Same));
    let a = s[7].access.as_ref().expect("read at step 7");
    let w = &s[7].world;
    let appid = t.claim("appid").unwrap_or("");
    let expected = format!(
        "{{\"error\":{{\"code\":\"Forbidden\",\"message\":\"Caller is not authorized to perform action on resource.\\r\\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\\r\\nCaller: appid={appid};oid={SYS_OID_2};iss=https://sts.windows.net/{tid}/\\r\\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\\r\\nResource: '/subscriptions/{sub}/resourcegroups/rg-flows/providers/microsoft.keyvault/vaults/kv-flows-demo/secrets/db-password'\\r\\nAssignment: (not found)\\r\\nDenyAssignmentId: null\\r\\nDecisionReason: 'DeniedWithNoValidRBAC' \\r\\nVault: kv-flows-demo;location=eastus\\r\\n\",\"innererror\":{{\"code\":\"ForbiddenByRbac\"}}}}}}",
        tid = w.tenant.id,
        sub = w.subscription.id
    );
    assert_eq!((a.status, a.body.as_str()), (403, expected.as_str()));
    assert_eq!(s[7].access_status, Some(403));
    assert_eq!(s[7].token_oid.as_deref(), Some(SYS_OID_2));
    // 8: fixed: 200 with the same (new) token, no new token.
    assert!(s[8].token.is_none());
    assert_eq!(s[8].access.as_ref().map(|a| a.status), Some(200));
    assert_eq!(s[8].token_oid.as_deref(), Some(SYS_OID_2));
    assert_eq!(s[8].world.role_assignments.len(), 2);
}

#[test]
fn user_lane() {
    let s = all(Lane::User);
    assert_eq!(s.len(), 8);
    let id_arm = format!("/subscriptions/{}/resourcegroups/rg-flows/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shared", sub(&s[0]));
    let site = |n: &str| {
        format!(
            "/subscriptions/{}/resourcegroups/rg-flows/providers/Microsoft.Web/sites/{n}",
            sub(&s[0])
        )
    };
    let sp = &s[0].world.identity("id-shared").expect("identity").sp;
    assert_eq!(
        (sp.principal_id.as_str(), sp.client_id.as_str()),
        (USER_OID, USER_CLIENT)
    );
    assert!(s[0].changes[2].cli.az.starts_with("az identity create"));
    // 2: both hosts list the identity.
    for h in ["app-web", "func-jobs"] {
        let c = s[2].world.compute(h).expect("host");
        let b = token::pretty_json(&cli::identity_block(&s[2].world, c));
        assert!(
            b.contains(USER_OID) && b.contains("\"UserAssigned\""),
            "{h}"
        );
    }
    // 3 and 4: same oid and xms_mirid, different xms_az_rid; both reads allowed.
    let (t3, t4) = (
        s[3].token.as_ref().expect("t3"),
        s[4].token.as_ref().expect("t4"),
    );
    assert!(s[3].exchanges[0]
        .request
        .contains(&format!("&client_id={USER_CLIENT} HTTP/1.1")));
    for t in [t3, t4] {
        assert_eq!(t.claim("oid"), Some(USER_OID));
        assert_eq!(t.claim("appid"), Some(USER_CLIENT));
        assert_eq!(t.claim("xms_mirid"), Some(id_arm.as_str()));
        assert_eq!(t.reading.summary.identity, IdentityKind::UserAssigned);
    }
    assert_eq!(t3.claim("xms_az_rid"), Some(site("app-web").as_str()));
    assert_eq!(t4.claim("xms_az_rid"), Some(site("func-jobs").as_str()));
    assert_eq!(kind(&s[4], "xms_az_rid"), Some(DiffKind::Changed));
    assert_eq!(kind(&s[4], "oid"), Some(DiffKind::Same));
    assert_eq!(kind(&s[4], "xms_mirid"), Some(DiffKind::Same));
    assert_eq!(s[3].access.as_ref().map(|a| a.status), Some(200));
    assert_eq!(s[4].access.as_ref().map(|a| a.status), Some(200));
    // 5: the app is gone, the identity and the Function App still work.
    assert!(s[5].world.compute("app-web").is_none());
    assert!(s[5].world.identity("id-shared").is_some());
    assert!(s[5].world.orphaned_role_assignments().is_empty());
    assert_eq!(
        s[5].token.as_ref().and_then(|t| t.claim("oid")),
        Some(USER_OID)
    );
    assert_eq!(s[5].access.as_ref().map(|a| a.status), Some(200));
    // 6: two user-assigned identities, no selector: IMDS 400.
    assert!(s[6].token.is_none() && s[6].access.is_none());
    let x = &s[6].exchanges[0];
    assert_eq!(x.status, Some(400));
    assert!(x.request.starts_with("GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\n"));
    assert!(x.response.ends_with("\r\n\r\n{\"error\":\"invalid_request\",\"error_description\":\"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request\"}"));
    assert_eq!(s[6].token_oid.as_deref(), Some(USER_OID), "previous token");
    assert_eq!(s[6].access_status, Some(200), "previous read");
    // 7: client_id picks id-shared: 200 token (xms_az_rid = the VM) and 200 read.
    let t7 = s[7].token.as_ref().expect("t7");
    assert_eq!(s[7].exchanges[0].status, Some(200));
    assert_eq!(t7.claim("oid"), Some(USER_OID));
    assert!(t7
        .claim("xms_az_rid")
        .is_some_and(|r| r.ends_with("/Microsoft.Compute/virtualMachines/vm-batch")));
    assert_eq!(s[7].access_status, Some(200));
}

#[test]
fn stepping_back_is_exact() {
    for l in Lane::ALL {
        let forward = all(l);
        let last = l.step_count() - 1;
        // Adjacent steps differ, so "equal" below means "exactly that step".
        for k in 1..=last {
            assert_ne!(forward[k], forward[k - 1], "{l:?} step {k}");
        }
        // Back from the end, from a step with a fresh token, and to the start (each replay is
        // independent; replays are the expensive part of this test, so only a few).
        for k in [last - 1, 3, 0] {
            assert_eq!(play(l, k, EPOCH), forward[k], "{l:?} back to {k}");
        }
        assert_eq!(play(l, usize::MAX, EPOCH), forward[last]);
    }
}

#[test]
fn flows_view_fragment() {
    for l in Lane::ALL {
        for k in 0..l.step_count() {
            let hash = FlowsView::link(l, k);
            let v = FlowsView::from_fragment(&Fragment::parse(&hash));
            assert_eq!((v.focus, v.step(l)), (l, k), "{hash}");
        }
    }
    assert_eq!(
        FlowsView::link(Lane::User, 4),
        "#/flows?lane=user&system=1&user=5"
    );
    let v = FlowsView::from_fragment(&Fragment::parse("#/flows?lane=user&step=3&system=9"));
    assert_eq!((v.focus, v.system, v.user), (Lane::User, 8, 2));
    for junk in [
        "#/flows?lane=x&system=-1&user=99999999999999999999999",
        "#/flows?step=0",
        "#",
        "#/flows?system=%FF",
    ] {
        let v = FlowsView::from_fragment(&Fragment::parse(junk));
        assert!(
            v.system < Lane::System.step_count() && v.user < Lane::User.step_count(),
            "{junk}"
        );
    }
    let mut f = Fragment::parse("#/flows?embed=1&step=2");
    FlowsView::at(Lane::System, 7).write(&mut f);
    assert_eq!(f.to_hash(), "#/flows?embed=1&lane=system&system=8&user=1");
}

#[test]
fn comparison_rows_link_to_real_steps() {
    assert!(COMPARISON.len() >= 8);
    for r in COMPARISON {
        let (l, k) = r.link;
        assert!(k < l.step_count(), "{}", r.aspect);
        assert!(!r.system.is_empty() && !r.user.is_empty());
    }
    let sql = COMPARISON
        .iter()
        .find(|r| r.aspect.starts_with("SQL"))
        .expect("sql row");
    assert!(sql
        .system
        .contains("CREATE USER [app-web] FROM EXTERNAL PROVIDER"));
    assert!(sql
        .user
        .contains("CREATE USER [id-shared] FROM EXTERNAL PROVIDER"));
}

#[test]
fn sandbox_apply_undo_reset_and_fragment() {
    let mut sb = Sandbox::new(DEFAULT_SEED, EPOCH);
    let acts = dsl::parse_actions(
        "rg:rg-a;c:vm:rg-a:vm-1;si:vm-1;t:kv:rg-a:kv-aaa;ra:s:vm-1:kvsu:r/kv-aaa",
    )
    .expect("dsl");
    let mut snapshots = vec![sb.clone()];
    for a in &acts {
        let ev = sb.apply(a).expect("apply");
        assert!(!ev.cli.az.is_empty() && !ev.summary.is_empty());
        snapshots.push(sb.clone());
    }
    assert_eq!(sb.timeline().len(), 5);
    assert_eq!(sb.timeline()[2].dsl, "si:vm-1");
    // An invalid action changes nothing.
    let bad = Action::EnableSystemAssigned {
        resource: "vm-1".into(),
    };
    assert!(sb.apply(&bad).is_err());
    assert_eq!(&sb, snapshots.last().expect("snap"));
    // Fragment round trip through the URL text, a day later: the link's t= wins.
    let hash = sb.to_fragment().to_hash();
    assert!(hash.ends_with("&t=1764547200"), "{hash}");
    let back = Sandbox::from_fragment(&Fragment::parse(&hash), EPOCH + 86_400).expect("round trip");
    assert_eq!(back, sb);
    // Undo is exact, down to the empty world.
    for k in (0..acts.len()).rev() {
        assert_eq!(sb.undo().as_ref(), acts.get(k));
        assert_eq!(sb, snapshots[k], "after undo to {k}");
    }
    assert_eq!(sb.undo(), None);
    // Reset keeps the seed.
    let mut other = Sandbox::replay(7, EPOCH, &acts).expect("replay");
    let hash = other.to_fragment().to_hash();
    assert!(hash.starts_with("#/flows?seed=7&sandbox="));
    assert_eq!(
        Sandbox::from_fragment(&Fragment::parse(&hash), EPOCH),
        Ok(other.clone())
    );
    other.reset();
    assert_eq!(other, Sandbox::new(7, EPOCH));
}

#[test]
fn lane_step_opens_in_sandbox() {
    for l in Lane::ALL {
        for k in 0..l.step_count() {
            let sb = Sandbox::replay(l.seed(), EPOCH, &lane_actions(l, k)).expect("replay");
            let st = play(l, k, EPOCH);
            assert_eq!(sb.world(), &st.world, "{l:?} {k}");
            assert_eq!(sb.diagram(), diagram(&st.world));
        }
    }
}

#[test]
fn sandbox_fragment_errors_never_panic() {
    let load = |h: &str| Sandbox::from_fragment(&Fragment::parse(h), EPOCH);
    let e = load("#/flows?seed=abc&sandbox=rg:x").expect_err("bad seed");
    assert_eq!(*e.recovered, Sandbox::new(DEFAULT_SEED, EPOCH));
    let e = load("#/flows?sandbox=rg:x;zz:1").expect_err("bad dsl");
    assert!(e.message.contains("action 2"), "{}", e.message);
    let e = load("#/flows?sandbox=rg:x;c:vm:x:vm1;si:vm1;si:vm1;id:x:i1").expect_err("bad action");
    assert!(e.message.starts_with("action 4:"), "{}", e.message);
    assert_eq!(e.action, Some(3));
    assert_eq!(e.recovered.actions.len(), 3);
    assert_eq!(
        load("#/flows?sandbox="),
        Ok(Sandbox::new(DEFAULT_SEED, EPOCH))
    );
    for junk in [
        "#/flows?sandbox=%00%FF;;:::",
        "#/flows?seed=99999999999999999999999",
        "#/flows?sandbox=ra:s::::",
    ] {
        let _ = load(junk);
    }
}

#[test]
fn diagram_of_orphaned_assignment() {
    let s = play(Lane::System, 5, EPOCH);
    let d = diagram(&s.world);
    let ra = &s.world.role_assignments[0].name;
    let ids: Vec<(&str, NodeKind)> = d.nodes.iter().map(|n| (n.id.as_str(), n.kind)).collect();
    let ra_id = format!("ra:{ra}");
    let missing = format!("oid:{SYS_OID_1}");
    assert_eq!(
        ids,
        [
            ("t:kv-flows-demo", NodeKind::Target),
            (ra_id.as_str(), NodeKind::RoleAssignment),
            (missing.as_str(), NodeKind::MissingIdentity),
        ]
    );
    assert_eq!(
        d.node(&missing).map(|n| n.label.as_str()),
        Some("Identity not found")
    );
    let edges: Vec<(&str, &str, EdgeKind)> = d
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
        .collect();
    assert_eq!(
        edges,
        [
            (ra_id.as_str(), missing.as_str(), EdgeKind::AssignedTo),
            (ra_id.as_str(), "t:kv-flows-demo", EdgeKind::GrantsOn),
        ]
    );
    assert_eq!(
        d.text(),
        [
            "Key Vault kv-flows-demo in rg-flows.",
            &format!(
                "Role assignment Key Vault Secrets User ({ra}) for object id {SYS_OID_1} (Identity not found) on kv-flows-demo ({}).",
                s.world.role_assignments[0].scope
            ),
            &format!("Identity not found: object id {SYS_OID_1} no longer exists (type Unknown)."),
            "Role assignment Key Vault Secrets User is assigned to Identity not found.",
            "Role assignment Key Vault Secrets User grants on kv-flows-demo.",
        ]
    );
}

#[test]
fn diagram_of_shared_identity_and_scopes() {
    let d = play(Lane::User, 2, EPOCH).world;
    let d = diagram(&d);
    let has: Vec<(&str, &str)> = d
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::HasIdentity)
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(
        has,
        [
            ("c:app-web", "id:id-shared"),
            ("c:func-jobs", "id:id-shared")
        ]
    );
    assert!(d.text().contains(&"app-web has identity id-shared."));
    let kinds: Vec<NodeKind> = d.nodes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [
            NodeKind::Host,
            NodeKind::Host,
            NodeKind::UserIdentity,
            NodeKind::Target,
            NodeKind::RoleAssignment
        ]
    );
    // Group and subscription scopes get their own nodes; a system identity its own node.
    let sb = Sandbox::replay(
        DEFAULT_SEED,
        EPOCH,
        &dsl::parse_actions("rg:g;c:vm:g:vm1;si:vm1;ra:s:vm1:reader:rg/g;ra:s:vm1:contrib:sub")
            .expect("dsl"),
    )
    .expect("replay");
    let d = sb.diagram();
    let ids: Vec<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
    assert!(ids.contains(&"si:vm1"));
    let scopes: Vec<&str> = d
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Scope)
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(scopes, ["g", "Playground"]);
    assert!(d.text().contains(&"vm1 has identity vm1 (system)."));
}

#[test]
fn generated_az_sequences_grant_what_their_data_plane_steps_need() {
    use crate::cloud::cli::ungranted_data_plane_steps;
    // The check itself: the sequence the playground used to print fails it.
    let old = "az keyvault create --resource-group g --name kv --location eastus --enable-rbac-authorization true\naz keyvault secret set --vault-name kv --name db-password --value x";
    assert_eq!(ungranted_data_plane_steps(old).len(), 1);
    // Every lane, and the default scenario of the IMDS page, as one script each.
    let mut scripts: Vec<(String, Vec<Action>)> = Lane::ALL
        .iter()
        .map(|&l| (format!("{l:?} lane"), lane_actions(l, l.step_count())))
        .collect();
    scripts.push((
        "default scenario".into(),
        crate::cloud::default_scenario_actions(),
    ));
    for (name, actions) in scripts {
        let sb = Sandbox::replay(DEFAULT_SEED, EPOCH, &actions).expect("replay");
        let _ = &name;
        let script: Vec<&str> = sb.timeline().iter().map(|e| e.cli.az.as_str()).collect();
        let script = script.join("\n");
        assert!(script.contains("az role assignment create"), "{name}");
        assert_eq!(
            ungranted_data_plane_steps(&script),
            Vec::<String>::new(),
            "{name}"
        );
    }
    // Storage with shared keys off needs a data role too.
    let st = Sandbox::replay(
        DEFAULT_SEED,
        EPOCH,
        &dsl::parse_actions("rg:g;t:st:g:stdemo").expect("dsl"),
    )
    .expect("replay");
    let az = &st.timeline()[1].cli.az;
    assert!(
        az.contains("--role \"Storage Blob Data Contributor\""),
        "{az}"
    );
    assert_eq!(ungranted_data_plane_steps(az), Vec::<String>::new());
}

#[test]
fn every_guid_of_the_default_worlds_plays_one_role() {
    use std::collections::HashMap;
    let mut roles: HashMap<String, (&'static str, String)> = HashMap::new();
    let mut clash = Vec::new();
    let mut note = |guid: &str, role: &'static str, place: String| {
        let key = guid.to_ascii_lowercase();
        match roles.get(&key) {
            Some((r, p)) if *r != role => {
                clash.push(format!("{key}: {r} in {p}, {role} in {place}"))
            }
            Some(_) => {}
            None => {
                roles.insert(key, (role, place));
            }
        }
    };
    let mut worlds = vec![(
        "IMDS default scenario".to_string(),
        crate::cloud::World::default_scenario(EPOCH),
    )];
    for l in Lane::ALL {
        for k in 0..l.step_count() {
            worlds.push((
                format!("{l:?} lane step {}", k + 1),
                play(l, k, EPOCH).world,
            ));
        }
    }
    for (place, w) in &worlds {
        note(&w.tenant.id, "tenant", place.clone());
        note(&w.subscription.id, "subscription", place.clone());
        for c in &w.computes {
            note(&c.identity_header, "IDENTITY_HEADER secret", place.clone());
            if let Some(sp) = &c.system_identity {
                note(&sp.principal_id, "object id", place.clone());
                note(&sp.client_id, "client id", place.clone());
            }
        }
        for i in &w.identities {
            note(&i.sp.principal_id, "object id", place.clone());
            note(&i.sp.client_id, "client id", place.clone());
        }
        for ra in &w.role_assignments {
            note(&ra.name, "role assignment id", place.clone());
            note(&ra.principal_id, "object id", place.clone());
        }
    }
    assert!(roles.len() > 25, "{}", roles.len());
    assert_eq!(clash, Vec::<String>::new());
}

#[test]
fn key_steps_and_summary_point_at_real_steps() {
    for l in Lane::ALL {
        for &(k, label) in key_steps(l) {
            assert!(k < l.step_count(), "{l:?} {label}");
        }
    }
    assert_eq!(summary_rows().count(), 3);
    // The 403 key step is the one whose read fails.
    let (k, _) = key_steps(Lane::System)[2];
    assert_eq!(play(Lane::System, k, EPOCH).access_status, Some(403));
}

#[test]
fn the_sandbox_opens_on_the_imds_pages_default_world() {
    // No action list in the link: the same world as the IMDS page; an empty one is empty.
    let sb =
        Sandbox::from_fragment(&Fragment::parse("#/flows?view=sandbox"), EPOCH).expect("default");
    assert_eq!(*sb.world(), World::default_scenario(EPOCH));
    assert!(!sb.actions.is_empty());
    let empty = Sandbox::from_fragment(&Fragment::parse("#/flows?view=sandbox&sandbox="), EPOCH);
    assert_eq!(empty, Ok(Sandbox::new(DEFAULT_SEED, EPOCH)));
    // Its diagram is drawn without crossings.
    let d = sb.diagram();
    assert!(d.nodes.len() >= 6, "{}", d.nodes.len());
    let l = crate::flows::layout(&d);
    assert_eq!(crate::flows::crossings(&l.wide), 0);
    assert_eq!(crate::flows::crossings(&l.narrow), 0);
}

/// The AADSTS70021 description of a 401 exchange, or `None`.
fn aadsts70021(s: &LaneState) -> Option<String> {
    let x = s.exchanges.first()?;
    if x.status != Some(401) {
        return None;
    }
    let body = x.response.split("\r\n\r\n").nth(1)?;
    let v: Value = serde_json::from_str(body).ok()?;
    let d = v.get("error_description")?.as_str()?;
    d.starts_with(
        "AADSTS70021: No matching federated identity record found for presented assertion.",
    )
    .then(|| d.to_string())
}

#[test]
fn workload_lane() {
    let s = all(Lane::Workload);
    assert_eq!(s.len(), 8);
    let issuer = s[0].world.clusters[0].issuer.clone();
    let tenant = s[0].world.tenant.id.clone();
    assert!(
        issuer.starts_with(&format!("https://eastus.oic.prod-aks.azure.com/{tenant}/"))
            && issuer.ends_with('/'),
        "{issuer}"
    );
    assert!(s[0].changes[2]
        .cli
        .az
        .contains("--enable-oidc-issuer --enable-workload-identity"));
    // 2: the pod asks Entra with its projected token; no credential yet: 401 AADSTS70021
    // naming this cluster's issuer and the pod's subject.
    let x = &s[2].exchanges[0];
    assert!(x.request.starts_with(&format!(
        "POST /{tenant}/oauth2/v2.0/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\n"
    )));
    assert!(x.request.contains(
        "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    ));
    let d = aadsts70021(&s[2]).expect("AADSTS70021 at step 3");
    assert!(d.contains(&format!("Assertion Issuer: '{issuer}'. Assertion Subject: 'system:serviceaccount:orders:orders-api'. Assertion Audience: 'api://AzureADTokenExchange'.")), "{d}");
    assert!(s[2].token.is_none() && s[2].token_oid.is_none());
    let block = s[2].identity_block.as_deref().unwrap_or("");
    let client = s[2]
        .world
        .identity("id-orders")
        .unwrap()
        .sp
        .client_id
        .clone();
    let oid = s[2]
        .world
        .identity("id-orders")
        .unwrap()
        .sp
        .principal_id
        .clone();
    assert!(block.contains(&format!("azure.workload.identity/client-id: {client}")));
    assert!(block.contains(
        "#   AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token"
    ));
    assert_eq!(s[2].identity_title, "service account and pod of orders-api");
    // 3: a federated credential: 200, a token for id-orders (xms_mirid the identity, no host).
    assert_eq!(s[3].exchanges[0].status, Some(200));
    let t = s[3].token.as_ref().expect("token at step 4");
    assert_eq!(
        (t.claim("oid"), t.claim("appid")),
        (Some(oid.as_str()), Some(client.as_str()))
    );
    assert!(t
        .claim("xms_mirid")
        .is_some_and(|m| m.ends_with("/userAssignedIdentities/id-orders")));
    assert_eq!(t.claim("xms_az_rid"), None);
    assert_eq!(s[3].access_status, Some(200));
    let fc = &s[3].changes[0].cli;
    assert_eq!(fc.az, format!("az identity federated-credential create --name fc-orders-api --identity-name id-orders --resource-group rg-flows --issuer {issuer} --subject system:serviceaccount:orders:orders-api --audiences api://AzureADTokenExchange"));
    assert!(fc
        .bicep
        .as_deref()
        .is_some_and(|b| b.contains("federatedIdentityCredentials@2023-01-31")));
    // 4: another namespace: AADSTS70021 names the new subject.
    let d = aadsts70021(&s[4]).expect("AADSTS70021 at step 5");
    assert!(
        d.contains("Assertion Subject: 'system:serviceaccount:orders-v2:orders-api'"),
        "{d}"
    );
    // 5: a second credential: 200 with the same oid.
    assert_eq!(
        s[5].token.as_ref().and_then(|t| t.claim("oid")),
        Some(oid.as_str())
    );
    assert_eq!(s[5].access_status, Some(200));
    // 6: a recreated cluster has a new issuer: AADSTS70021 names it.
    let new_issuer = s[6].world.clusters[0].issuer.clone();
    assert_ne!(new_issuer, issuer);
    let d = aadsts70021(&s[6]).expect("AADSTS70021 at step 7");
    assert!(
        d.contains(&format!("Assertion Issuer: '{new_issuer}'")),
        "{d}"
    );
    // 7: the credential names the new issuer: 200, and the oid never changed.
    assert_eq!(s[7].exchanges[0].status, Some(200));
    assert_eq!(s[7].token_oid.as_deref(), Some(oid.as_str()));
    assert_eq!(s[7].access_status, Some(200));
    assert_eq!(kind(&s[7], "oid"), Some(DiffKind::Same));
}
