//! How each action is done for real: the `az` command, the Bicep snippet, and the JSON `az`
//! prints (managed-identity.md §6). Also the JSON views of resources (`az … show`).

use serde_json::Value;

use crate::jsonw::Json;

use super::action::Action;
use super::ids::{self, Stream};
use super::model::*;
use super::time;
use super::world::{sql_server_name, ResourceRef, World};

/// The real-world equivalents of one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliText {
    /// The `az` command(s) (or T-SQL / agent command where `az` has none).
    pub az: String,
    /// The Bicep snippet that declares the resulting state, if Bicep can express it.
    pub bicep: Option<String>,
    /// Pretty JSON (2-space indent, keys sorted as `az` prints them), if the command prints any.
    pub output: Option<String>,
}

/// Object id of the signed-in admin who runs the commands (`createdBy`/`updatedBy`).
pub fn admin_object_id(world: &World) -> String {
    ids::guid(world.seed, Stream::Root, 4)
}

/// Pretty JSON written by `f`.
pub(super) fn pretty(f: impl FnOnce(&mut Json)) -> String {
    let mut j = Json::pretty();
    f(&mut j);
    j.done()
}

/// The `Value` of the JSON written by `f` (same keys, same order).
pub(super) fn value(f: impl FnOnce(&mut Json)) -> Value {
    let mut j = Json::compact();
    f(&mut j);
    serde_json::from_str(&j.done()).unwrap_or(Value::Null)
}

/// A Bicep symbolic name from a resource name: `vm-web` → `vmWeb`.
pub fn bicep_symbol(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if out.is_empty() && c.is_ascii_digit() {
                out.push('r');
            }
            if upper && !out.is_empty() {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() {
        "res".to_string()
    } else {
        out
    }
}

/// The signed-in user, as `az` finds their object id.
pub const SIGNED_IN_USER: &str = "$(az ad signed-in-user show --query id -o tsv)";

/// `az role assignment create` giving the signed-in user `role` on `scope`, with the note that
/// it can take minutes to apply.
fn grant_to_me(role: &str, scope: &str) -> String {
    format!(
        "# Creating a resource gives you no data-plane role on it: grant yourself one first\n\
         # (role assignments can take a few minutes to apply).\n\
         az role assignment create --assignee-object-id \"{SIGNED_IN_USER}\" --assignee-principal-type User \\\n  \
         --role \"{role}\" --scope \"{scope}\""
    )
}

/// Data-plane `az` commands (with Entra auth) in `script` that no earlier line grants the
/// signed-in user a role for: each would get 403. The roles are the built-in ones that allow
/// the command (Key Vault and Storage RBAC docs).
pub fn ungranted_data_plane_steps(script: &str) -> Vec<String> {
    const NEEDS: [(&str, &[&str]); 4] = [
        (
            "az keyvault secret set",
            &["Key Vault Secrets Officer", "Key Vault Administrator"],
        ),
        (
            "az keyvault secret show",
            &[
                "Key Vault Secrets User",
                "Key Vault Secrets Officer",
                "Key Vault Administrator",
            ],
        ),
        (
            "az storage container create",
            &["Storage Blob Data Contributor", "Storage Blob Data Owner"],
        ),
        (
            "az storage blob upload",
            &["Storage Blob Data Contributor", "Storage Blob Data Owner"],
        ),
    ];
    let mut granted: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut lines = script.lines().peekable();
    while let Some(line) = lines.next() {
        let mut line = line.trim().to_string();
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some(next) => line.push_str(next.trim()),
                None => break,
            }
        }
        if line.starts_with("az role assignment create") && line.contains(SIGNED_IN_USER) {
            if let Some(role) = line
                .split("--role \"")
                .nth(1)
                .and_then(|r| r.split('"').next())
            {
                granted.push(role.to_string());
            }
            continue;
        }
        for (command, roles) in NEEDS {
            if line.starts_with(command) && !roles.iter().any(|r| granted.iter().any(|g| g == r)) {
                problems.push(format!(
                    "'{command}' needs one of {roles:?} for the signed-in user: {line}"
                ));
            }
        }
    }
    problems
}

/// The `identity.type` ARM value, spelled as each provider's REST spec spells it [doc]:
/// Microsoft.Compute (VM, VMSS) and Microsoft.Web (App Service, Functions; CommonDefinitions.json
/// 2024-04-01 `ManagedServiceIdentity`) write `SystemAssigned, UserAssigned` with a space;
/// Microsoft.App (Container Apps) uses the common-types `ManagedServiceIdentity`, whose value
/// is `SystemAssigned,UserAssigned` without one.
pub fn identity_type(c: &Compute) -> &'static str {
    let common_types = matches!(c.kind, ComputeKind::ContainerApp);
    match (c.system_identity.is_some(), c.user_identities.is_empty()) {
        (false, true) => "None",
        (true, true) => "SystemAssigned",
        (false, false) => "UserAssigned",
        (true, false) if common_types => "SystemAssigned,UserAssigned",
        (true, false) => "SystemAssigned, UserAssigned",
    }
}

fn user_assigned_map(j: &mut Json, world: &World, c: &Compute) {
    j.obj();
    for n in &c.user_identities {
        if let Some(i) = world.identity(n) {
            j.key(&world.identity_arm_id(i).to_arm_string()).obj();
            j.key("clientId").str(&i.sp.client_id);
            j.key("principalId").str(&i.sp.principal_id).end();
        }
    }
    j.end();
}

fn write_identity_block(j: &mut Json, world: &World, c: &Compute) {
    let ty = identity_type(c);
    if ty == "None" {
        j.null();
        return;
    }
    let sp = c.system_identity.as_ref();
    j.obj().key("principalId").opt(sp.map(|s| &*s.principal_id));
    j.key("tenantId").opt(sp.map(|_| &*world.tenant.id));
    j.key("type").str(ty).key("userAssignedIdentities");
    if c.user_identities
        .iter()
        .any(|n| world.identity(n).is_some())
    {
        user_assigned_map(j, world, c);
    } else {
        j.null();
    }
    j.end();
}

/// A resource's `identity` block as `az … show` prints it (keys sorted), or `Value::Null`
/// when it has no identity.
pub fn identity_block(world: &World, c: &Compute) -> Value {
    value(|j| write_identity_block(j, world, c))
}

fn write_identity_show(j: &mut Json, world: &World, i: &UserAssignedIdentity) {
    j.obj().key("clientId").str(&i.sp.client_id);
    j.key("id").str(&world.identity_arm_id(i).to_arm_string());
    j.key("location")
        .str(&world.location)
        .key("name")
        .str(&i.name);
    j.key("principalId").str(&i.sp.principal_id);
    j.key("resourceGroup").str(&i.resource_group);
    j.key("systemData").null().key("tags").raw("{}");
    j.key("tenantId").str(&world.tenant.id);
    j.key("type").str(UAI_TYPE).end();
}

const UAI_TYPE: &str = "Microsoft.ManagedIdentity/userAssignedIdentities";

/// `az identity show` output (ARM `properties` flattened to the top level).
pub fn identity_show_json(world: &World, i: &UserAssignedIdentity) -> Value {
    value(|j| write_identity_show(j, world, i))
}

/// The ARM (REST) representation of a user-assigned identity (managed-identity.md §6).
pub fn identity_arm_json(world: &World, i: &UserAssignedIdentity) -> Value {
    value(|j| {
        j.obj()
            .key("id")
            .str(&world.identity_arm_id(i).to_token_string());
        j.key("location")
            .str(&world.location)
            .key("name")
            .str(&i.name);
        j.key("properties")
            .obj()
            .key("clientId")
            .str(&i.sp.client_id);
        j.key("principalId").str(&i.sp.principal_id);
        j.key("tenantId").str(&world.tenant.id).end();
        j.key("tags").raw("{}").key("type").str(UAI_TYPE).end();
    })
}

fn write_compute_show(j: &mut Json, world: &World, c: &Compute) {
    let (p, t) = c.kind.arm_type();
    j.obj()
        .key("id")
        .str(&world.compute_arm_id(c).to_arm_string());
    j.key("identity");
    write_identity_block(j, world, c);
    let kind = match c.kind {
        ComputeKind::AppService => Some("app,linux"),
        ComputeKind::FunctionApp => Some("functionapp,linux"),
        _ => None,
    };
    if let Some(k) = kind {
        j.key("kind").str(k);
    }
    j.key("location")
        .str(&world.location)
        .key("name")
        .str(&c.name);
    j.key("resourceGroup").str(&c.resource_group);
    j.key("type").str(&format!("{p}/{t}")).end();
}

/// `az … show` style JSON of a compute host (trimmed to the interesting fields).
pub fn compute_show_json(world: &World, c: &Compute) -> Value {
    value(|j| write_compute_show(j, world, c))
}

fn write_target_show(j: &mut Json, world: &World, t: &Target) {
    let (p, ty) = t.kind.arm_type();
    j.obj()
        .key("id")
        .str(&world.target_arm_id(t).to_arm_string());
    j.key("location")
        .str(&world.location)
        .key("name")
        .str(&t.name);
    j.key("properties").obj();
    match t.kind {
        TargetKind::KeyVault => {
            j.key("enableRbacAuthorization").raw("true");
            j.key("tenantId").str(&world.tenant.id);
            j.key("vaultUri")
                .str(&format!("https://{}.vault.azure.net/", t.name));
        }
        TargetKind::StorageAccount => {
            j.key("primaryEndpoints").obj().key("blob");
            j.str(&format!("https://{}.blob.core.windows.net/", t.name))
                .end();
        }
        TargetKind::SqlDatabase => {
            j.key("fullyQualifiedDomainName").str(&format!(
                "{}.database.windows.net",
                sql_server_name(&t.name)
            ));
        }
    }
    j.end().key("resourceGroup").str(&t.resource_group);
    j.key("type").str(&format!("{p}/{ty}")).end();
}

/// `az … show` style JSON of a target.
pub fn target_show_json(world: &World, t: &Target) -> Value {
    value(|j| write_target_show(j, world, t))
}

/// `az … show` JSON of any named resource.
pub fn resource_show_json(world: &World, name: &str) -> Option<Value> {
    Some(match world.find(name)? {
        ResourceRef::Compute(c) => compute_show_json(world, c),
        ResourceRef::Identity(i) => identity_show_json(world, i),
        ResourceRef::Target(t) => target_show_json(world, t),
        ResourceRef::Cluster(c) => super::federation::cluster_show_json(world, c),
    })
}

fn write_role_assignment(j: &mut Json, world: &World, ra: &RoleAssignment) {
    let rg = crate::arm::ArmId::parse(&ra.scope)
        .ok()
        .and_then(|a| a.resource_group);
    let created = time::az_timestamp(ra.created);
    j.obj()
        .key("condition")
        .null()
        .key("conditionVersion")
        .null();
    j.key("createdBy").null().key("createdOn").str(&created);
    j.key("delegatedManagedIdentityResourceId").null();
    j.key("description").null().key("id").str(&format!(
        "{}/providers/Microsoft.Authorization/roleAssignments/{}",
        ra.scope, ra.name
    ));
    j.key("name")
        .str(&ra.name)
        .key("principalId")
        .str(&ra.principal_id);
    j.key("principalType").str("ServicePrincipal");
    j.key("resourceGroup").opt(rg.as_deref());
    j.key("roleDefinitionId").str(&format!(
        "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}",
        world.subscription.id,
        ra.role.id()
    ));
    j.key("scope").str(&ra.scope);
    j.key("type").str("Microsoft.Authorization/roleAssignments");
    j.key("updatedBy").str(&admin_object_id(world));
    j.key("updatedOn").str(&created).end();
}

/// `az role assignment create` / `list` output for one assignment, all fields.
pub fn role_assignment_json(world: &World, ra: &RoleAssignment) -> Value {
    value(|j| write_role_assignment(j, world, ra))
}

fn write_vm_identity_assign(j: &mut Json, world: &World, c: &Compute) {
    let sp = c.system_identity.as_ref();
    j.obj().key("systemAssignedIdentity");
    j.str(sp.map_or("", |s| &s.principal_id));
    j.key("userAssignedIdentities");
    user_assigned_map(j, world, c);
    j.end();
}

/// `az vm identity assign` output: `{"systemAssignedIdentity": …, "userAssignedIdentities": {…}}`.
pub fn vm_identity_assign_json(world: &World, c: &Compute) -> Value {
    value(|j| write_vm_identity_assign(j, world, c))
}

fn api_version(kind: ComputeKind) -> &'static str {
    match kind {
        ComputeKind::VirtualMachine | ComputeKind::VmScaleSet => "2024-07-01",
        ComputeKind::AppService | ComputeKind::FunctionApp => "2023-12-01",
        ComputeKind::ContainerApp => "2024-03-01",
        ComputeKind::ArcServer => "2024-07-10",
    }
}

/// Bicep for a compute host with its current identity block.
pub fn compute_bicep(world: &World, c: &Compute) -> String {
    let (p, t) = c.kind.arm_type();
    let mut s = format!(
        "resource {} '{p}/{t}@{}' = {{\n  name: '{}'\n  location: '{}'\n",
        bicep_symbol(&c.name),
        api_version(c.kind),
        c.name,
        world.location
    );
    if c.kind == ComputeKind::FunctionApp {
        s.push_str("  kind: 'functionapp,linux'\n");
    }
    let ty = identity_type(c);
    if ty != "None" {
        s.push_str(&format!("  identity: {{\n    type: '{ty}'\n"));
        if !c.user_identities.is_empty() {
            s.push_str("    userAssignedIdentities: {\n");
            for n in &c.user_identities {
                s.push_str(&format!("      '${{{}.id}}': {{}}\n", bicep_symbol(n)));
            }
            s.push_str("    }\n");
        }
        s.push_str("  }\n");
    } else {
        s.push_str("  // no identity block: type 'None'\n");
    }
    s.push_str("  // properties: { … }\n}");
    if !c.user_identities.is_empty() {
        let mut pre = String::new();
        for n in &c.user_identities {
            if let Some(i) = world.identity(n) {
                pre.push_str(&format!(
                    "resource {} 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {{\n  name: '{}'\n  scope: resourceGroup('{}')\n}}\n\n",
                    bicep_symbol(&i.name),
                    i.name,
                    i.resource_group
                ));
            }
        }
        s = pre + &s;
    }
    s
}

fn target_bicep(world: &World, t: &Target) -> String {
    let sym = bicep_symbol(&t.name);
    let loc = &world.location;
    match t.kind {
        TargetKind::KeyVault => format!(
            "resource {sym} 'Microsoft.KeyVault/vaults@2023-07-01' = {{\n  name: '{}'\n  location: '{loc}'\n  properties: {{\n    tenantId: tenant().tenantId\n    sku: {{ family: 'A', name: 'standard' }}\n    enableRbacAuthorization: true\n  }}\n}}\n\nresource {sym}Secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {{\n  parent: {sym}\n  name: 'db-password'\n  properties: {{ value: 'correct-horse-battery-staple' }}\n}}",
            t.name
        ),
        TargetKind::StorageAccount => format!(
            "resource {sym} 'Microsoft.Storage/storageAccounts@2023-05-01' = {{\n  name: '{}'\n  location: '{loc}'\n  sku: {{ name: 'Standard_LRS' }}\n  kind: 'StorageV2'\n  properties: {{ allowSharedKeyAccess: false }}\n}}",
            t.name
        ),
        TargetKind::SqlDatabase => format!(
            "resource {sym}Srv 'Microsoft.Sql/servers@2023-08-01-preview' = {{\n  name: '{}'\n  location: '{loc}'\n  properties: {{\n    administrators: {{ azureADOnlyAuthentication: true, administratorType: 'ActiveDirectory', login: 'sql-admins', sid: '{}', tenantId: tenant().tenantId, principalType: 'Group' }}\n  }}\n}}\n\nresource {sym} 'Microsoft.Sql/servers/databases@2023-08-01-preview' = {{\n  parent: {sym}Srv\n  name: '{}'\n  location: '{loc}'\n}}",
            sql_server_name(&t.name),
            admin_object_id(world),
            t.name
        ),
    }
}

fn identity_bicep(world: &World, name: &str) -> String {
    format!(
        "resource {} 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {{\n  name: '{name}'\n  location: '{}'\n}}",
        bicep_symbol(name),
        world.location
    )
}

fn az_create_compute(world: &World, c: &Compute) -> String {
    let (g, n) = (&c.resource_group, &c.name);
    match c.kind {
        ComputeKind::VirtualMachine => format!("az vm create --resource-group {g} --name {n} --image Ubuntu2204 --admin-username azureuser --generate-ssh-keys"),
        ComputeKind::VmScaleSet => format!("az vmss create --resource-group {g} --name {n} --image Ubuntu2204 --instance-count 2 --admin-username azureuser --generate-ssh-keys"),
        ComputeKind::AppService => format!("az appservice plan create --resource-group {g} --name plan-{n} --is-linux --sku B1\naz webapp create --resource-group {g} --name {n} --plan plan-{n} --runtime \"PYTHON:3.12\""),
        ComputeKind::FunctionApp => format!("az functionapp create --resource-group {g} --name {n} --storage-account st{} --consumption-plan-location {} --runtime python --functions-version 4", n.replace(['-', '_', '.'], "").to_ascii_lowercase(), world.location),
        ComputeKind::ContainerApp => format!("az containerapp env create --resource-group {g} --name env-{n} --location {}\naz containerapp create --resource-group {g} --name {n} --environment env-{n} --image mcr.microsoft.com/k8se/quickstart:latest", world.location),
        ComputeKind::ArcServer => format!("# on the server itself (the Connected Machine agent onboards it):\nsudo azcmagent connect --resource-group {g} --tenant-id {} --subscription-id {} --location {} --resource-name {n}", world.tenant.id, world.subscription.id, world.location),
    }
}

fn az_delete_compute(c: &Compute) -> String {
    let (g, n) = (&c.resource_group, &c.name);
    match c.kind {
        ComputeKind::ContainerApp => {
            format!("az containerapp delete --resource-group {g} --name {n} --yes")
        }
        ComputeKind::ArcServer => {
            format!("az connectedmachine delete --resource-group {g} --name {n} --yes")
        }
        ComputeKind::VirtualMachine | ComputeKind::VmScaleSet => format!(
            "az {} delete --resource-group {g} --name {n} --yes",
            c.kind.az_group()
        ),
        _ => format!(
            "az {} delete --resource-group {g} --name {n}",
            c.kind.az_group()
        ),
    }
}

fn az_identity(c: &Compute, verb: &str, what: &str) -> String {
    let aca = c.kind == ComputeKind::ContainerApp;
    let what = match (what.is_empty(), aca, verb) {
        (true, true, _) => " --system-assigned".to_string(),
        (true, false, "remove") => " --identities [system]".to_string(),
        (true, false, _) => String::new(),
        (false, true, _) => format!(" --user-assigned{what}"),
        (false, false, _) => format!(" --identities{what}"),
    };
    format!(
        "az {} identity {verb} --resource-group {} --name {}{what}",
        c.kind.az_group(),
        c.resource_group,
        c.name
    )
}

fn identity_output(world: &World, c: &Compute) -> Option<String> {
    Some(pretty(|j| match c.kind {
        ComputeKind::VirtualMachine | ComputeKind::VmScaleSet => {
            write_vm_identity_assign(j, world, c)
        }
        _ => write_identity_block(j, world, c),
    }))
}

/// The `az` / Bicep / output text for `action`, given the worlds before and after it.
pub fn describe(before: &World, after: &World, action: &Action) -> CliText {
    describe_after(after, action, &before_text(before, action))
}

/// What [`describe`] needs from the world before `action`, which the action takes away: the
/// `az` command deleting a resource, identity or role assignment, or the ARM id of the
/// identity assigned or removed. Empty for other actions (and for names that do not exist).
pub(crate) fn before_text(before: &World, action: &Action) -> String {
    match action {
        Action::DeleteResource { name } => {
            if let Some(c) = before.compute(name) {
                return az_delete_compute(c);
            }
            if let Some(c) = before.cluster(name) {
                return super::federation::az_delete_cluster(c);
            }
            match before.target(name) {
                Some(t) => match t.kind {
                    TargetKind::KeyVault => format!("az keyvault delete --resource-group {} --name {}\n# soft-delete keeps the name reserved; free it with: az keyvault purge --name {}", t.resource_group, t.name, t.name),
                    TargetKind::StorageAccount => format!("az storage account delete --resource-group {} --name {} --yes", t.resource_group, t.name),
                    TargetKind::SqlDatabase => format!("az sql db delete --resource-group {} --server {} --name {} --yes", t.resource_group, sql_server_name(&t.name), t.name),
                },
                None => String::new(),
            }
        }
        Action::DeleteIdentity { name } => match before.identity(name) {
            Some(i) => format!("az identity delete --resource-group {} --name {}", i.resource_group, i.name),
            None => String::new(),
        },
        Action::AssignIdentity { identity, .. } | Action::UnassignIdentity { identity, .. } => before
            .identity(identity)
            .map(|i| before.identity_arm_id(i).to_arm_string())
            .unwrap_or_default(),
        Action::DeleteRoleAssignment { name } => match before
            .role_assignments
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
        {
            Some(ra) => format!(
                "az role assignment delete --ids {}/providers/Microsoft.Authorization/roleAssignments/{}",
                ra.scope, ra.name
            ),
            None => String::new(),
        },
        Action::DeleteWorkload { .. } | Action::DeleteFederatedCredential { .. } => {
            super::federation::before_text(before, action)
        }
        _ => String::new(),
    }
}

/// [`describe`] from the world after `action` and [`before_text`] of the world before it.
pub(crate) fn describe_after(after: &World, action: &Action, before: &str) -> CliText {
    let none = |az: String| CliText {
        az,
        bicep: None,
        output: None,
    };
    match action {
        Action::CreateResourceGroup { name } => CliText {
            az: format!("az group create --name {name} --location {}", after.location),
            bicep: Some(format!("targetScope = 'subscription'\n\nresource {} 'Microsoft.Resources/resourceGroups@2024-03-01' = {{\n  name: '{name}'\n  location: '{}'\n}}", bicep_symbol(name), after.location)),
            output: Some(pretty(|j| {
                j.obj().key("id").str(&after.resource_group_arm_id(name));
                j.key("location").str(&after.location);
                j.key("managedBy").null().key("name").str(name);
                j.key("properties").obj().key("provisioningState");
                j.str("Succeeded").end().key("tags").null();
                j.key("type").str("Microsoft.Resources/resourceGroups").end();
            })),
        },
        Action::DeleteResourceGroup { name } => none(format!("az group delete --name {name} --yes")),
        Action::CreateCompute { name, .. } => match after.compute(name) {
            Some(c) => CliText {
                az: az_create_compute(after, c),
                bicep: Some(compute_bicep(after, c)),
                output: Some(pretty(|j| write_compute_show(j, after, c))),
            },
            None => none(String::new()),
        },
        Action::CreateTarget { name, .. } => match after.target(name) {
            Some(t) => {
                let (g, n) = (&t.resource_group, &t.name);
                let az = match t.kind {
                    // An RBAC vault gives its creator no data-plane access (Key Vault RBAC docs):
                    // without the grant, `secret set` gets 403 ForbiddenByRbac.
                    TargetKind::KeyVault => format!("az keyvault create --resource-group {g} --name {n} --location {} --enable-rbac-authorization true\n{}\naz keyvault secret set --vault-name {n} --name db-password --value correct-horse-battery-staple", after.location, grant_to_me("Key Vault Secrets Officer", &format!("$(az keyvault show --name {n} --query id -o tsv)"))),
                    // With shared keys off, --auth-mode login uses your Entra identity, which
                    // needs a data role (Storage docs: "Authorize access to blob data").
                    TargetKind::StorageAccount => format!("az storage account create --resource-group {g} --name {n} --location {} --sku Standard_LRS --allow-shared-key-access false\n{}\naz storage container create --account-name {n} --name data --auth-mode login\naz storage blob upload --account-name {n} --container-name data --name hello.txt --file hello.txt --auth-mode login", after.location, grant_to_me("Storage Blob Data Contributor", &format!("$(az storage account show --name {n} --query id -o tsv)"))),
                    TargetKind::SqlDatabase => format!("az sql server create --resource-group {g} --name {} --location {} --enable-ad-only-auth --external-admin-principal-type Group --external-admin-name sql-admins --external-admin-sid {}\naz sql db create --resource-group {g} --server {} --name {n}", sql_server_name(n), after.location, admin_object_id(after), sql_server_name(n)),
                };
                CliText {
                    az,
                    bicep: Some(target_bicep(after, t)),
                    output: Some(pretty(|j| write_target_show(j, after, t))),
                }
            }
            None => none(String::new()),
        },
        // What these delete is gone afterwards: the command comes from the world before.
        Action::DeleteResource { .. }
        | Action::DeleteIdentity { .. }
        | Action::DeleteRoleAssignment { .. } => none(before.to_string()),
        Action::EnableSystemAssigned { resource } | Action::DisableSystemAssigned { resource } => {
            let verb = if matches!(action, Action::EnableSystemAssigned { .. }) { "assign" } else { "remove" };
            match after.compute(resource) {
                Some(c) => CliText {
                    az: az_identity(c, verb, ""),
                    bicep: Some(compute_bicep(after, c)),
                    output: identity_output(after, c),
                },
                None => none(String::new()),
            }
        }
        Action::CreateIdentity { name, .. } => match after.identity(name) {
            Some(i) => CliText {
                az: format!("az identity create --resource-group {} --name {}", i.resource_group, i.name),
                bicep: Some(identity_bicep(after, &i.name)),
                output: Some(pretty(|j| write_identity_show(j, after, i))),
            },
            None => none(String::new()),
        },
        Action::AssignIdentity { resource, .. } | Action::UnassignIdentity { resource, .. } => {
            let verb = if matches!(action, Action::AssignIdentity { .. }) { "assign" } else { "remove" };
            match after.compute(resource) {
                Some(c) => CliText {
                    // `before` is the identity's ARM id.
                    az: az_identity(c, verb, &format!(" {before}")),
                    bicep: Some(compute_bicep(after, c)),
                    output: identity_output(after, c),
                },
                None => none(String::new()),
            }
        }
        Action::CreateRoleAssignment { role, .. } => match after.role_assignments.last() {
            Some(ra) => {
                let scope_sym = crate::arm::ArmId::parse(&ra.scope)
                    .ok()
                    .and_then(|a| a.name.or(a.resource_group))
                    .map(|n| bicep_symbol(n.rsplit('/').next().unwrap_or(&n)));
                let scope_line = match &scope_sym {
                    Some(s) => format!("  scope: {s} // the existing resource or group\n"),
                    None => String::new(),
                };
                CliText {
                    az: format!(
                        "az role assignment create --assignee-object-id {} --assignee-principal-type ServicePrincipal --role \"{}\" --scope {}",
                        ra.principal_id,
                        role.name(),
                        ra.scope
                    ),
                    bicep: Some(format!(
                        "resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{\n  name: guid('{}', '{}', '{}')\n{scope_line}  properties: {{\n    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{}') // {}\n    principalId: '{}' // the object (principal) id, never the client id\n    principalType: 'ServicePrincipal'\n  }}\n}}",
                        ra.scope,
                        ra.principal_id,
                        role.id(),
                        role.id(),
                        role.name(),
                        ra.principal_id
                    )),
                    output: Some(pretty(|j| write_role_assignment(j, after, ra))),
                }
            }
            None => none(String::new()),
        },
        Action::CreateSqlUser { database, .. } => {
            let user = after
                .target(database)
                .and_then(|t| t.sql_users.last())
                .map(|u| u.name.clone())
                .unwrap_or_default();
            CliText {
                az: format!(
                    "sqlcmd -S {}.database.windows.net -d {database} --authentication-method ActiveDirectoryDefault -Q \"CREATE USER [{user}] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [{user}];\"",
                    sql_server_name(database)
                ),
                bicep: None,
                output: None,
            }
        }
        Action::DropSqlUser { database, user } => none(format!(
            "sqlcmd -S {}.database.windows.net -d {database} --authentication-method ActiveDirectoryDefault -Q \"DROP USER [{user}];\"",
            sql_server_name(database)
        )),
        Action::AdvanceClock { seconds } => none(format!("sleep {seconds}  # time passes; cached tokens count down")),
        Action::CreateCluster { .. }
        | Action::DeployWorkload { .. }
        | Action::DeleteWorkload { .. }
        | Action::CreateFederatedCredential { .. }
        | Action::DeleteFederatedCredential { .. } => {
            super::federation::describe_after(after, action, before)
        }
    }
}
