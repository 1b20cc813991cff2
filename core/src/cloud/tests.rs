//! World-level tests: determinism, undo, lifecycle rules, every action error.

use super::dsl::{format_actions, parse_actions};
use super::*;
use crate::cloud::time::EPOCH;

fn w(text: &str) -> World {
    World::replay(7, EPOCH, &parse_actions(text).unwrap()).unwrap()
}

fn err(text: &str) -> ActionError {
    let actions = parse_actions(text).unwrap();
    let (i, e) = World::replay(7, EPOCH, &actions).unwrap_err();
    assert_eq!(i, actions.len() - 1, "the last action should fail: {e}");
    e
}

#[test]
fn replay_is_deterministic_and_seed_dependent() {
    let a = default_scenario_actions();
    assert_eq!(
        World::replay(1, EPOCH, &a).unwrap(),
        World::replay(1, EPOCH, &a).unwrap()
    );
    assert_ne!(
        World::replay(1, EPOCH, &a).unwrap().tenant.id,
        World::replay(2, EPOCH, &a).unwrap().tenant.id
    );
    let d = World::default_scenario(EPOCH);
    assert_eq!(d.seed, DEFAULT_SEED);
    let vm = d.compute("vm-web").unwrap();
    assert!(vm.system_identity.is_some());
    assert_eq!(vm.user_identities, ["id-orders", "id-reports"]);
    assert!(d.compute("app-shop").unwrap().system_identity.is_some());
    assert_eq!(d.target("kv-contoso-demo").unwrap().items.len(), 1);
    assert_eq!(d.now, time::EPOCH);
}

#[test]
fn undo_is_replay_of_the_prefix() {
    let mut actions = default_scenario_actions();
    actions.extend(
        parse_actions("-si:vm-web;si:vm-web;-id:id-orders;clk:60;-rg:rg-playground").unwrap(),
    );
    let mut world = World::new(99, EPOCH);
    for n in 0..actions.len() {
        let prev = world.clone();
        world.apply(&actions[n]).unwrap();
        assert_eq!(World::replay(99, EPOCH, &actions[..n]).unwrap(), prev);
        assert_eq!(World::replay(99, EPOCH, &actions[..=n]).unwrap(), world);
    }
}

#[test]
fn invalid_actions_change_nothing() {
    let mut world = World::default_scenario(EPOCH);
    let before = world.clone();
    for a in parse_actions("si:vm-web;ua:vm-web:nope;-r:nope;rg:rg-playground;clk:0").unwrap() {
        assert!(world.apply(&a).is_err());
        assert_eq!(world, before);
    }
}

#[test]
fn reenabling_and_recreating_give_new_ids() {
    let a = w("rg:g;c:vm:g:vm;si:vm;id:g:i");
    let b = w("rg:g;c:vm:g:vm;si:vm;id:g:i;-si:vm;si:vm;-id:i;id:g:i");
    let (sa, sb) = (
        a.compute("vm").unwrap().system_identity.clone().unwrap(),
        b.compute("vm").unwrap().system_identity.clone().unwrap(),
    );
    assert_ne!(sa.principal_id, sb.principal_id);
    assert_ne!(sa.client_id, sb.client_id);
    assert_ne!(a.identity("i").unwrap().sp, b.identity("i").unwrap().sp);
    assert_eq!(a.tenant, b.tenant);
}

#[test]
fn deleting_orphans_role_assignments_and_cascades() {
    let world = w(
        "rg:g;c:vm:g:vm;si:vm;id:g:i;ua:vm:i;t:kv:g:kv1;ra:s:vm:kvsu:r/kv1;ra:u:i:reader:sub;-r:vm",
    );
    assert_eq!(world.role_assignments.len(), 2);
    let orphans = world.orphaned_role_assignments();
    assert_eq!(orphans.len(), 1);
    assert_eq!(
        world.principal_display(&orphans[0].principal_id),
        PrincipalDisplay::NotFound
    );
    let world =
        w("rg:g;c:vm:g:vm;si:vm;id:g:i;ua:vm:i;ra:u:i:reader:sub;rg:h;c:app:h:web;ua:web:i;-id:i");
    assert!(world.compute("vm").unwrap().user_identities.is_empty());
    assert!(world.compute("web").unwrap().user_identities.is_empty());
    assert_eq!(world.orphaned_role_assignments().len(), 1);
    let world = w("rg:g;c:vm:g:vm;id:g:i;rg:h;c:app:h:web;ua:web:i;-rg:g");
    assert!(world.compute("vm").is_none() && world.identity("i").is_none());
    assert!(world.compute("web").unwrap().user_identities.is_empty());
}

#[test]
fn identity_block_types() {
    let world = w("rg:g;c:vm:g:vm;c:app:g:web;id:g:i;si:vm;ua:vm:i;si:web;ua:web:i;c:aca:g:ca;c:aca:g:ca2;si:ca2;ua:ca2:i");
    // Each provider's REST spec: Compute and Web with a space, common types (Container Apps)
    // without.
    assert_eq!(
        cli::identity_type(world.compute("vm").unwrap()),
        "SystemAssigned, UserAssigned"
    );
    assert_eq!(
        cli::identity_type(world.compute("web").unwrap()),
        "SystemAssigned, UserAssigned"
    );
    assert_eq!(
        cli::identity_type(world.compute("ca2").unwrap()),
        "SystemAssigned,UserAssigned"
    );
    assert_eq!(cli::identity_type(world.compute("ca").unwrap()), "None");
    let arc = w("rg:g;c:arc:g:srv");
    assert_eq!(
        cli::identity_type(arc.compute("srv").unwrap()),
        "SystemAssigned"
    );
}

#[test]
fn every_action_error() {
    use ErrorKind::*;
    let cases: &[(&str, ErrorKind, &str)] = &[
        ("rg:g;rg:G", AlreadyExists, "already exists"),
        ("rg:bad..", InvalidName, "not a valid name"),
        ("-rg:g", NotFound, "could not be found"),
        ("c:vm:g:vm", NotFound, "Resource group 'g'"),
        ("rg:g;c:vm:g:vm;c:app:g:VM", AlreadyExists, "already exists"),
        ("rg:g;c:vm:g:-vm", InvalidName, "not a valid name"),
        ("rg:g;t:kv:g:k", InvalidName, "Key Vault name"),
        ("rg:g;t:st:g:Upper", InvalidName, "Storage account name"),
        ("rg:g;-r:x", NotFound, "was not found"),
        ("rg:g;id:g:i;-r:i", NotSupported, "user-assigned identity"),
        ("rg:g;c:vm:g:vm;-r:vm;-r:vm", NotFound, "was not found"),
        ("rg:g;si:x", NotFound, "Compute resource 'x'"),
        ("rg:g;t:kv:g:kv1;si:kv1", NotFound, "not a compute host"),
        ("rg:g;c:vm:g:vm;si:vm;si:vm", NoChange, "already has"),
        ("rg:g;c:vm:g:vm;-si:vm", NoChange, "has no system-assigned"),
        (
            "rg:g;c:arc:g:srv;-si:srv",
            NotSupported,
            "cannot be turned off",
        ),
        ("rg:g;id:g:i;id:g:i", AlreadyExists, "already exists"),
        ("rg:g;-id:i", NotFound, "User-assigned identity 'i'"),
        (
            "rg:g;c:vm:g:vm;ua:vm:i",
            NotFound,
            "User-assigned identity 'i'",
        ),
        (
            "rg:g;c:arc:g:srv;id:g:i;ua:srv:i",
            NotSupported,
            "cannot hold",
        ),
        (
            "rg:g;c:vm:g:vm;id:g:i;ua:vm:i;ua:vm:i",
            NoChange,
            "already assigned",
        ),
        (
            "rg:g;c:vm:g:vm;id:g:i;-ua:vm:i",
            NotFound,
            "is not assigned",
        ),
        (
            "rg:g;c:vm:g:vm;ra:s:vm:reader:sub",
            NotFound,
            "has no system-assigned",
        ),
        ("rg:g;id:g:i;ra:u:i:reader:rg/nope", NotFound, "scope"),
        ("rg:g;id:g:i;ra:u:i:reader:r/nope", NotFound, "scope"),
        (
            "rg:g;id:g:i;ra:u:i:reader:sub;ra:u:i:reader:sub",
            AlreadyExists,
            "RoleAssignmentExists",
        ),
        (
            "-ra:00000000-0000-0000-0000-000000000000",
            NotFound,
            "Role assignment",
        ),
        (
            "rg:g;t:kv:g:kv1;id:g:i;sql:kv1:u:i",
            NotSupported,
            "not an Azure SQL database",
        ),
        (
            "rg:g;t:sql:g:db;id:g:i;sql:db:u:i;sql:db:u:i",
            AlreadyExists,
            "already exists",
        ),
        ("rg:g;t:sql:g:db;-sql:db:nobody", NotFound, "does not exist"),
        ("clk:0", InvalidValue, "Cannot advance"),
        ("clk:999999999999", InvalidValue, "Cannot advance"),
    ];
    for (text, kind, needle) in cases {
        let e = err(text);
        assert_eq!(e.kind, *kind, "{text}: {e}");
        assert!(e.to_string().contains(needle), "{text}: {e}");
        assert!(!e.fix.is_empty() && !e.why.is_empty());
    }
}

#[test]
fn outcomes_have_cli_text() {
    let mut world = World::new(3, EPOCH);
    let actions =
        parse_actions("rg:g;c:vm:g:vm;si:vm;id:g:i;ua:vm:i;t:kv:g:kv1;ra:u:i:kvsu:r/kv1").unwrap();
    let mut outs = Vec::new();
    for a in &actions {
        outs.push(world.apply(a).unwrap());
    }
    assert_eq!(
        outs[2].cli.az,
        "az vm identity assign --resource-group g --name vm"
    );
    let sys = world
        .compute("vm")
        .unwrap()
        .system_identity
        .clone()
        .unwrap();
    assert_eq!(
        outs[2].cli.output.as_deref().unwrap(),
        format!(
            "{{\n  \"systemAssignedIdentity\": \"{}\",\n  \"userAssignedIdentities\": {{}}\n}}",
            sys.principal_id
        )
    );
    assert!(outs[4].cli.az.contains("--identities /subscriptions/"));
    assert!(outs[4]
        .cli
        .bicep
        .as_deref()
        .unwrap()
        .contains("type: 'SystemAssigned, UserAssigned'"));
    let ra = &world.role_assignments[0];
    let out = outs[6].cli.output.as_deref().unwrap();
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "condition",
            "conditionVersion",
            "createdBy",
            "createdOn",
            "delegatedManagedIdentityResourceId",
            "description",
            "id",
            "name",
            "principalId",
            "principalType",
            "resourceGroup",
            "roleDefinitionId",
            "scope",
            "type",
            "updatedBy",
            "updatedOn"
        ]
    );
    assert_eq!(
        v["principalId"],
        world.identity("i").unwrap().sp.principal_id.as_str()
    );
    assert_eq!(v["name"], ra.name.as_str());
    assert_eq!(v["createdOn"], "2025-12-01T00:00:00.000000+00:00");
    assert!(outs[6].cli.az.contains("--role \"Key Vault Secrets User\""));
    let idjson = outs[3].cli.output.as_deref().unwrap();
    assert!(idjson.contains("\"type\": \"Microsoft.ManagedIdentity/userAssignedIdentities\""));
    assert_eq!(
        format_actions(&actions),
        "rg:g;c:vm:g:vm;si:vm;id:g:i;ua:vm:i;t:kv:g:kv1;ra:u:i:kvsu:r/kv1"
    );
}
