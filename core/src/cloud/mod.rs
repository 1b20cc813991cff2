//! The simulated Azure (pure): one tenant, one subscription, resource groups, compute hosts with
//! system- and user-assigned identities, user-assigned identity resources, target resources
//! (Key Vault, Storage, SQL) and role assignments with inheritance; AKS clusters, their
//! workloads and federated identity credentials for workload identity ([`federation`]).
//!
//! Event-sourced and deterministic: a [`World`] is [`World::replay`] of `(seed, start, actions)`.
//! The UI keeps `seed` and the action list (share link: [`dsl::format_actions`]), calls
//! [`World::apply`] for each user action and shows the returned [`Outcome`] (summary, `az`
//! command, Bicep, JSON output) or the [`ActionError`] (what, why, fix). Undo is a replay of
//! all actions but the last.
//!
//! Every GUID comes from the seed ([`ids`]); the clock starts at `start` — the visitor's time
//! when a page opens, or the `t=` of a share link — and only moves with [`Action::AdvanceClock`].

pub mod action;
pub mod cli;
pub mod dsl;
pub mod federation;
pub mod ids;
pub mod model;
pub mod rbac;
pub mod time;
pub mod world;

#[cfg(test)]
mod tests;

pub use action::{
    default_scenario_actions, Action, ActionError, ActionErrorAt, ErrorKind, Outcome,
    DEFAULT_SCENARIO, DEFAULT_SEED,
};
pub use model::*;
pub use rbac::{check_access, AccessDecision, Operation};
pub use world::{ResourceRef, World};
