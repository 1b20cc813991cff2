//! Sample tokens for the decoder: real simulator output from the default scenario, so the
//! "Sample" buttons show exactly what a managed identity receives.
//!
//! They are minted on the fixed clock [`EPOCH`] (2025-12-01) because the decoder stores them
//! as constants (`token::samples`, kept equal by a test) instead of linking the simulator; the
//! decoder says how old they are.

use super::{hosts, send, EndpointState};
use crate::cloud::time::EPOCH;
use crate::cloud::World;

/// (label, token) pairs: a system-assigned and a user-assigned token of the default scenario's
/// VM, for Azure Resource Manager. Deterministic (fixed seed and clock: [`EPOCH`]).
pub fn decoder_samples() -> Vec<(String, String)> {
    let world = World::default_scenario(EPOCH);
    let mut state = EndpointState::new();
    let Some(vm) = world.compute("vm-web") else {
        return Vec::new();
    };
    let user_assigned = world
        .identities_of(vm)
        .into_iter()
        .find(|i| !i.is_system_assigned());
    let mut out = Vec::new();
    let system_request = hosts::default_request(vm, "https://management.azure.com/");
    if let Some(token) = send(&world, &mut state, &vm.name, &system_request).token {
        out.push(("system-assigned".to_string(), token.jwt));
    }
    if let Some(identity) = user_assigned {
        let mut request = system_request.clone();
        request
            .url
            .query
            .push(("client_id".into(), identity.sp.client_id.clone()));
        if let Some(token) = send(&world, &mut state, &vm.name, &request).token {
            out.push(("user-assigned".to_string(), token.jwt));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{self, IdentityKind};

    #[test]
    fn samples_decode_as_each_kind_of_managed_identity() {
        let samples = decoder_samples();
        let kinds: Vec<(&str, IdentityKind)> = samples
            .iter()
            .map(|(label, jwt)| {
                (
                    label.as_str(),
                    token::read(jwt, EPOCH as i64).summary.identity,
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("system-assigned", IdentityKind::SystemAssigned),
                ("user-assigned", IdentityKind::UserAssigned)
            ]
        );
    }
}
