//! The compact text form of an action list, for share links (URL fragment): items separated by
//! `;`, fields by `:`. Names never contain `:`, `;` or `/`, so no escaping is needed and the
//! text is fragment-safe.
//!
//! | action | text |
//! |---|---|
//! | create / delete resource group | `rg:<name>` / `-rg:<name>` |
//! | create compute | `c:<vm\|vmss\|app\|func\|aca\|arc>:<group>:<name>` |
//! | create target | `t:<kv\|st\|sql>:<group>:<name>` |
//! | delete compute or target | `-r:<name>` |
//! | enable / disable system-assigned | `si:<host>` / `-si:<host>` |
//! | create / delete user-assigned identity | `id:<group>:<name>` / `-id:<name>` |
//! | assign / unassign | `ua:<host>:<identity>` / `-ua:<host>:<identity>` |
//! | role assignment | `ra:<s\|u>:<principal>:<kvsu\|sbdr\|reader\|contrib>:<sub\|rg/<group>\|r/<name>>` |
//! | delete role assignment | `-ra:<assignment guid>` |
//! | SQL contained user | `sql:<database>:<s\|u>:<principal>` / `-sql:<database>:<user>` |
//! | advance the clock | `clk:<seconds>` |
//! | AKS cluster (OIDC issuer, workload identity on) | `aks:<group>:<name>` |
//! | workload: service account + pod, annotated with an identity | `wl:<cluster>:<namespace>:<name>:<identity>` / `-wl:<name>` |
//! | federated credential on an identity | `fc:<identity>:<name>:<cluster>:<namespace>:<service account>` / `-fc:<identity>:<name>` |
//!
//! `s:<host>` names a host's system-assigned identity, `u:<name>` a user-assigned identity.

use std::fmt;

/// The syntax in one line, for people editing an action list by hand.
pub const SYNTAX_HELP: &str = "Actions separated by ';': rg:<group> · c:<vm|vmss|app|func|aca|arc>:<group>:<name> · si:<host> (-si: off) · id:<group>:<name> · ua:<host>:<identity> (-ua: unassign) · ra:<s|u>:<principal>:<kvsu|sbdr|reader|contrib>:<sub|rg/<group>|r/<name>> · aks:<group>:<cluster> · wl:<cluster>:<namespace>:<name>:<identity> · fc:<identity>:<name>:<cluster>:<namespace>:<service account> · -r:<name> deletes.";

use super::action::Action;
use super::model::*;

/// A precise DSL parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DslError {
    /// 0-based index of the item (action) in the list.
    pub item: usize,
    /// 1-based character column in the whole text where the problem starts.
    pub column: usize,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for DslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "action {} (column {}): {} {}",
            self.item + 1,
            self.column,
            self.message,
            self.fix
        )
    }
}

impl std::error::Error for DslError {}

/// Formats one action.
pub fn format_action(a: &Action) -> String {
    fn p(p: &PrincipalRef) -> String {
        match p {
            PrincipalRef::SystemAssigned(n) => format!("s:{n}"),
            PrincipalRef::UserAssigned(n) => format!("u:{n}"),
        }
    }
    match a {
        Action::CreateResourceGroup { name } => format!("rg:{name}"),
        Action::DeleteResourceGroup { name } => format!("-rg:{name}"),
        Action::CreateCompute {
            kind,
            resource_group,
            name,
        } => format!("c:{}:{resource_group}:{name}", kind.code()),
        Action::CreateTarget {
            kind,
            resource_group,
            name,
        } => format!("t:{}:{resource_group}:{name}", kind.code()),
        Action::DeleteResource { name } => format!("-r:{name}"),
        Action::EnableSystemAssigned { resource } => format!("si:{resource}"),
        Action::DisableSystemAssigned { resource } => format!("-si:{resource}"),
        Action::CreateIdentity {
            resource_group,
            name,
        } => format!("id:{resource_group}:{name}"),
        Action::DeleteIdentity { name } => format!("-id:{name}"),
        Action::AssignIdentity { resource, identity } => format!("ua:{resource}:{identity}"),
        Action::UnassignIdentity { resource, identity } => format!("-ua:{resource}:{identity}"),
        Action::CreateRoleAssignment {
            principal,
            role,
            scope,
        } => {
            let s = match scope {
                Scope::Subscription => "sub".to_string(),
                Scope::ResourceGroup(g) => format!("rg/{g}"),
                Scope::Resource(r) => format!("r/{r}"),
            };
            format!("ra:{}:{}:{s}", p(principal), role.code())
        }
        Action::DeleteRoleAssignment { name } => format!("-ra:{name}"),
        Action::CreateSqlUser {
            database,
            principal,
        } => format!("sql:{database}:{}", p(principal)),
        Action::DropSqlUser { database, user } => format!("-sql:{database}:{user}"),
        Action::AdvanceClock { seconds } => format!("clk:{seconds}"),
        Action::CreateCluster {
            resource_group,
            name,
        } => format!("aks:{resource_group}:{name}"),
        Action::DeployWorkload {
            cluster,
            namespace,
            name,
            identity,
        } => format!("wl:{cluster}:{namespace}:{name}:{identity}"),
        Action::DeleteWorkload { name } => format!("-wl:{name}"),
        Action::CreateFederatedCredential {
            identity,
            name,
            cluster,
            namespace,
            service_account,
        } => format!("fc:{identity}:{name}:{cluster}:{namespace}:{service_account}"),
        Action::DeleteFederatedCredential { identity, name } => format!("-fc:{identity}:{name}"),
    }
}

/// Formats an action list (the inverse of [`parse_actions`]).
pub fn format_actions(actions: &[Action]) -> String {
    actions
        .iter()
        .map(format_action)
        .collect::<Vec<_>>()
        .join(";")
}

/// The most actions a list (a share link, a pasted scenario) may hold. A real scenario has a
/// few dozen. Replaying checks each action against the world so far, and the sandbox describes
/// each one (its `az`, Bicep and JSON list e.g. all identities of the host), so the work grows
/// with the square of the length: 1 MiB of actions took minutes. 500 replay in a fraction of a
/// second.
pub const MAX_ACTIONS: usize = 500;

struct Field<'a> {
    text: &'a str,
    column: usize,
}

/// Parses an action list. Whitespace around items and empty items (`;;`, a trailing `;`) are
/// ignored. Never panics.
pub fn parse_actions(text: &str) -> Result<Vec<Action>, DslError> {
    let mut out = Vec::new();
    let mut column = 1usize;
    let mut item_index = 0usize;
    let mut items = text.split(';');
    while let Some(raw) = items.next() {
        let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
        let trimmed = raw.trim();
        if !trimmed.is_empty() {
            let start = column + lead;
            if item_index == MAX_ACTIONS {
                let total = item_index + 1 + items.filter(|r| !r.trim().is_empty()).count();
                return Err(DslError {
                    item: item_index,
                    column: start,
                    message: format!(
                        "This scenario has {} actions; the playground replays at most {}.",
                        thousands(total),
                        thousands(MAX_ACTIONS)
                    ),
                    fix: "Share a shorter scenario: leave out actions that undo each other, or split it into several links.".to_string(),
                });
            }
            let mut fields = Vec::new();
            let mut col = start;
            for f in trimmed.split(':') {
                fields.push(Field {
                    text: f,
                    column: col,
                });
                col += f.chars().count() + 1;
            }
            out.push(parse_item(&fields, item_index, start)?);
            item_index += 1;
        }
        column += raw.chars().count() + 1;
    }
    Ok(out)
}

/// `87381` → `87,381`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const OPS: &str =
    "rg, -rg, c, t, -r, si, -si, id, -id, ua, -ua, ra, -ra, sql, -sql, clk, aks, wl, -wl, fc, -fc";

fn parse_item(fields: &[Field<'_>], item: usize, start: usize) -> Result<Action, DslError> {
    let err = |column: usize, message: String, fix: &str| DslError {
        item,
        column,
        message,
        fix: fix.to_string(),
    };
    let op = fields.first().map(|f| f.text).unwrap_or("");
    let (arity, usage): (usize, &str) = match op {
        "rg" | "-rg" | "-r" | "si" | "-si" | "-id" | "-ra" | "clk" | "-wl" => (1, "op:name"),
        "id" | "ua" | "-ua" | "-sql" | "aks" | "-fc" => (2, "op:a:b"),
        "c" | "t" | "sql" => (3, "op:a:b:c"),
        "ra" => (4, "ra:<s|u>:<principal>:<role>:<scope>"),
        "wl" => (4, "wl:<cluster>:<namespace>:<name>:<identity>"),
        "fc" => (
            5,
            "fc:<identity>:<name>:<cluster>:<namespace>:<service account>",
        ),
        _ => {
            return Err(err(
                start,
                format!("Unknown action '{op}'."),
                &format!("Use one of: {OPS}."),
            ))
        }
    };
    let args = fields.get(1..).unwrap_or(&[]);
    if args.len() != arity {
        let column = fields.last().map(|f| f.column).unwrap_or(start);
        return Err(err(
            column,
            format!(
                "'{op}' takes {arity} field(s) after it, found {}.",
                args.len()
            ),
            &format!("Write it as {usage}."),
        ));
    }
    let arg = |i: usize| -> Result<String, DslError> {
        let f = args.get(i).ok_or_else(|| {
            err(
                start,
                format!("'{op}' is missing a field."),
                "Check the syntax.",
            )
        })?;
        if f.text.is_empty() {
            return Err(err(
                f.column,
                format!("Empty field {} in '{op}'.", i + 1),
                "Fill in the name.",
            ));
        }
        if let Some(bad) = f.text.chars().position(|c| c.is_whitespace() || c == '/') {
            return Err(err(
                f.column + bad,
                format!("Unexpected character in '{}'.", f.text),
                "Names contain no spaces or '/'.",
            ));
        }
        Ok(f.text.to_string())
    };
    let col = |i: usize| args.get(i).map(|f| f.column).unwrap_or(start);
    let principal = |kind_i: usize| -> Result<PrincipalRef, DslError> {
        let name = arg(kind_i + 1)?;
        match arg(kind_i)?.as_str() {
            "s" => Ok(PrincipalRef::SystemAssigned(name)),
            "u" => Ok(PrincipalRef::UserAssigned(name)),
            other => Err(err(
                col(kind_i),
                format!("Unknown principal kind '{other}'."),
                "Use s:<host> for a system-assigned identity or u:<name> for a user-assigned one.",
            )),
        }
    };
    Ok(match op {
        "rg" => Action::CreateResourceGroup { name: arg(0)? },
        "-rg" => Action::DeleteResourceGroup { name: arg(0)? },
        "-r" => Action::DeleteResource { name: arg(0)? },
        "si" => Action::EnableSystemAssigned { resource: arg(0)? },
        "-si" => Action::DisableSystemAssigned { resource: arg(0)? },
        "-id" => Action::DeleteIdentity { name: arg(0)? },
        "-ra" => Action::DeleteRoleAssignment { name: arg(0)? },
        "-wl" => Action::DeleteWorkload { name: arg(0)? },
        "aks" => Action::CreateCluster {
            resource_group: arg(0)?,
            name: arg(1)?,
        },
        "-fc" => Action::DeleteFederatedCredential {
            identity: arg(0)?,
            name: arg(1)?,
        },
        "wl" => Action::DeployWorkload {
            cluster: arg(0)?,
            namespace: arg(1)?,
            name: arg(2)?,
            identity: arg(3)?,
        },
        "fc" => Action::CreateFederatedCredential {
            identity: arg(0)?,
            name: arg(1)?,
            cluster: arg(2)?,
            namespace: arg(3)?,
            service_account: arg(4)?,
        },
        "clk" => {
            let s = arg(0)?;
            let seconds = s.parse::<u64>().map_err(|_| {
                err(
                    col(0),
                    format!("'{s}' is not a number of seconds."),
                    "Write a positive whole number, e.g. clk:3600.",
                )
            })?;
            Action::AdvanceClock { seconds }
        }
        "id" => Action::CreateIdentity {
            resource_group: arg(0)?,
            name: arg(1)?,
        },
        "ua" => Action::AssignIdentity {
            resource: arg(0)?,
            identity: arg(1)?,
        },
        "-ua" => Action::UnassignIdentity {
            resource: arg(0)?,
            identity: arg(1)?,
        },
        "-sql" => Action::DropSqlUser {
            database: arg(0)?,
            user: arg(1)?,
        },
        "c" => {
            let k = arg(0)?;
            let kind = ComputeKind::from_code(&k).ok_or_else(|| {
                err(
                    col(0),
                    format!("Unknown compute kind '{k}'."),
                    "Use vm, vmss, app, func, aca or arc.",
                )
            })?;
            Action::CreateCompute {
                kind,
                resource_group: arg(1)?,
                name: arg(2)?,
            }
        }
        "t" => {
            let k = arg(0)?;
            let kind = TargetKind::from_code(&k).ok_or_else(|| {
                err(
                    col(0),
                    format!("Unknown target kind '{k}'."),
                    "Use kv (Key Vault), st (Storage) or sql (SQL database).",
                )
            })?;
            Action::CreateTarget {
                kind,
                resource_group: arg(1)?,
                name: arg(2)?,
            }
        }
        "sql" => Action::CreateSqlUser {
            database: arg(0)?,
            principal: principal(1)?,
        },
        "ra" => {
            let principal = principal(0)?;
            let r = arg(2)?;
            let role = Role::from_code(&r).ok_or_else(|| {
                err(
                    col(2),
                    format!("Unknown role '{r}'."),
                    "Use kvsu (Key Vault Secrets User), sbdr (Storage Blob Data Reader), reader or contrib.",
                )
            })?;
            let s = args.get(3).map(|f| f.text).unwrap_or("");
            let scope = if s == "sub" {
                Scope::Subscription
            } else if let Some(g) = s.strip_prefix("rg/").filter(valid_ref) {
                Scope::ResourceGroup(g.to_string())
            } else if let Some(n) = s.strip_prefix("r/").filter(valid_ref) {
                Scope::Resource(n.to_string())
            } else {
                return Err(err(
                    col(3),
                    format!("Unknown scope '{s}'."),
                    "Use sub, rg/<group> or r/<resource>.",
                ));
            };
            Action::CreateRoleAssignment {
                principal,
                role,
                scope,
            }
        }
        _ => {
            return Err(err(
                start,
                format!("Unknown action '{op}'."),
                &format!("Use one of: {OPS}."),
            ))
        }
    })
}

fn valid_ref(s: &&str) -> bool {
    !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::action::DEFAULT_SCENARIO;

    #[test]
    fn round_trips_the_default_scenario() {
        let actions = parse_actions(DEFAULT_SCENARIO).unwrap();
        assert_eq!(actions.len(), 11);
        assert_eq!(format_actions(&actions), DEFAULT_SCENARIO);
    }

    #[test]
    fn round_trips_every_action_kind() {
        let text = "rg:g;-rg:g;c:vmss:g:n;t:sql:g:db;-r:n;si:n;-si:n;id:g:i;-id:i;ua:n:i;-ua:n:i;\
ra:s:n:reader:sub;ra:u:i:contrib:rg/g;ra:u:i:sbdr:r/st1;-ra:0000;sql:db:u:i;-sql:db:i;clk:60;\
aks:g:k;wl:k:ns:sa:i;-wl:sa;fc:i:fc1:k:ns:sa;-fc:i:fc1";
        let a = parse_actions(text).unwrap();
        assert_eq!(a.len(), 23);
        assert_eq!(format_actions(&a), text);
    }

    #[test]
    fn tolerates_whitespace_and_empty_items() {
        let a = parse_actions(" rg:g ;; si:vm ; ").unwrap();
        assert_eq!(a.len(), 2);
        assert!(parse_actions("").unwrap().is_empty());
    }

    #[test]
    fn caps_the_number_of_actions() {
        // Found by fuzzing: replaying 1 MiB of `rg:gN;` from a share link took minutes.
        let mut big = String::new();
        let mut n = 0;
        while big.len() < 1 << 20 {
            big.push_str(&format!("rg:g{n};"));
            n += 1;
        }
        let e = parse_actions(&big).unwrap_err();
        assert_eq!(e.item, MAX_ACTIONS);
        assert_eq!(
            e.message,
            format!(
                "This scenario has {} actions; the playground replays at most 500.",
                thousands(n)
            )
        );
        assert_eq!(big.get(e.column - 1..e.column + 5), Some("rg:g50"));
        let at_most = "rg:a;".repeat(MAX_ACTIONS);
        assert_eq!(parse_actions(&at_most).unwrap().len(), MAX_ACTIONS);
        let e = parse_actions(&format!("{at_most};; rg:b ;")).unwrap_err();
        assert_eq!((e.item, e.column), (MAX_ACTIONS, at_most.len() + 4));
        assert!(e.message.starts_with("This scenario has 501 actions;"));
        assert_eq!(thousands(87_381), "87,381");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn reports_precise_errors() {
        let e = parse_actions("rg:g;zz:1").unwrap_err();
        assert_eq!((e.item, e.column), (1, 6));
        assert!(e.message.contains("Unknown action 'zz'"));
        let e = parse_actions("rg:g;c:vx:g:n").unwrap_err();
        assert_eq!((e.item, e.column), (1, 8));
        assert!(e.fix.contains("vmss"));
        let e = parse_actions("c:vm:g").unwrap_err();
        assert!(e.message.contains("takes 3 field(s)"), "{e}");
        let e = parse_actions("clk:soon").unwrap_err();
        assert_eq!(e.column, 5);
        let e = parse_actions("ra:x:n:reader:sub").unwrap_err();
        assert!(e.message.contains("principal kind"));
        let e = parse_actions("ra:u:n:owner:sub").unwrap_err();
        assert!(e.message.contains("Unknown role"));
        let e = parse_actions("ra:u:n:reader:tenant").unwrap_err();
        assert!(e.message.contains("Unknown scope"));
        let e = parse_actions("rg:").unwrap_err();
        assert!(e.message.contains("Empty field"));
        let e = parse_actions("si:a b").unwrap_err();
        assert_eq!(e.column, 5);
    }
}
