//! The action DSL of share links (`rg:g;c:vm:g:vm-web;…`) and replaying what it parses on a
//! world. Any panic is a bug; so is a parsed list that does not survive format → parse, and an
//! error whose column is not in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::cloud::dsl::{format_actions, parse_actions};
use mi_core::cloud::{World, DEFAULT_SEED};
use mi_core::endpoint::{send, workload, EndpointState};

/// The latest start a link may carry (`Fragment::world_start`): 9999-12-31T23:59:59Z.
const MAX_START: u64 = 253_402_300_799;

fuzz_target!(|data: &[u8]| {
    if data.len() > 1 << 20 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let actions = match parse_actions(&text) {
        Ok(a) => a,
        Err(e) => {
            assert!(!e.message.trim().is_empty(), "empty message: {e:?}");
            let len = text.chars().count();
            assert!(
                e.column >= 1 && e.column <= len + 1,
                "column {} outside the text ({len} characters): {e:?}",
                e.column
            );
            return;
        }
    };
    let formatted = format_actions(&actions);
    match parse_actions(&formatted) {
        Ok(again) => assert_eq!(again, actions, "format → parse changed {formatted:?}"),
        Err(e) => panic!("the formatted list {formatted:?} does not parse: {e}"),
    }
    assert_eq!(format_actions(&actions), formatted, "deterministic");
    // The start time from the first bytes (as the `read` target's `now`), in the range links use.
    let start = data
        .get(..8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(1_764_547_200, |b| u64::from_le_bytes(b) % (MAX_START + 1));
    let world = World::replay(DEFAULT_SEED, start, &actions);
    match &world {
        Ok(w) => {
            assert!(w.now >= w.start && w.start == start);
            // Each workload asks Entra for a token: the exchange answers (never a panic), and
            // a token is issued exactly when a federated credential trusts it.
            for wl in w.workloads.iter().take(4) {
                let Some(req) = workload::token_request(w, wl, "https://vault.azure.net") else {
                    continue;
                };
                let x = send(w, &mut EndpointState::new(), &wl.name, &req);
                let trusted = !w.trusted_by(wl).is_empty();
                assert_eq!(x.token.is_some(), trusted, "{}", w.workload_status(wl));
            }
        }
        Err((i, e)) => {
            assert!(
                *i < actions.len(),
                "error index {i} of {} actions",
                actions.len()
            );
            assert!(!e.to_string().trim().is_empty());
        }
    }
    assert_eq!(
        world,
        World::replay(DEFAULT_SEED, start, &actions),
        "deterministic"
    );
});
