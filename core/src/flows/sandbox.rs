//! The free sandbox (any actions, undo by replay, share link via the action DSL); its diagram
//! comes from the diagram module.

use super::diagram::{diagram, Diagram};
use super::{event, Event};
use crate::cloud::{dsl, Action, ActionError, World, DEFAULT_SEED};
use crate::fragment::Fragment;

/// A free-play world: `seed`, start time and the actions applied so far. The world and the
/// timeline are derived (kept in sync on every change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    pub seed: u64,
    /// When the world began (unix seconds): the visitor's clock, or a link's `t=`.
    pub start: u64,
    pub actions: Vec<Action>,
    world: World,
    timeline: Vec<Event>,
}

/// Why a fragment or action list could not be fully loaded. `recovered` holds what could be
/// (the actions before the bad one), so a hand-edited link still opens something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxError {
    pub message: String,
    /// 0-based index of the action that failed, if an action did.
    pub action: Option<usize>,
    pub recovered: Box<Sandbox>,
}

impl Sandbox {
    pub fn new(seed: u64, start: u64) -> Sandbox {
        Sandbox {
            seed,
            start,
            actions: Vec::new(),
            world: World::new(seed, start),
            timeline: Vec::new(),
        }
    }

    /// Replays `actions`; stops at the first invalid one (see [`SandboxError`]).
    pub fn replay(seed: u64, start: u64, actions: &[Action]) -> Result<Sandbox, SandboxError> {
        let mut s = Sandbox::new(seed, start);
        s.actions.reserve(actions.len());
        s.timeline.reserve(actions.len());
        for (i, a) in actions.iter().enumerate() {
            // In place: `apply` copies the world for every action so that a failed one changes
            // nothing, which made a long list quadratic.
            match s.world.apply_in_place(a) {
                Ok(o) => {
                    s.timeline.push(event(a, o));
                    s.actions.push(a.clone());
                }
                Err(e) => {
                    // The failed action may have left its mark: rebuild what came before it.
                    let before = actions.get(..i).unwrap_or(&[]);
                    let recovered =
                        Sandbox::replay(seed, start, before).unwrap_or_else(|e| *e.recovered);
                    return Err(SandboxError {
                        message: format!("action {}: {e}", i + 1),
                        action: Some(i),
                        recovered: Box::new(recovered),
                    });
                }
            }
        }
        Ok(s)
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// One event per applied action, oldest first.
    pub fn timeline(&self) -> &[Event] {
        &self.timeline
    }

    /// Applies one action; on error nothing changes. Returns the new timeline event.
    pub fn apply(&mut self, action: &Action) -> Result<Event, ActionError> {
        let ev = event(action, self.world.apply(action)?);
        self.actions.push(action.clone());
        self.timeline.push(ev.clone());
        Ok(ev)
    }

    /// Undoes the last action (exactly: the world is replayed without it). Returns it.
    pub fn undo(&mut self) -> Option<Action> {
        let last = self.actions.pop()?;
        let actions = std::mem::take(&mut self.actions);
        *self = Sandbox::replay(self.seed, self.start, &actions).unwrap_or_else(|e| *e.recovered);
        Some(last)
    }

    /// Back to an empty world with the same seed and start.
    pub fn reset(&mut self) {
        *self = Sandbox::new(self.seed, self.start);
    }

    /// The share state: `#/flows?sandbox=<actions DSL>&t=<start>` (plus `seed=` when not the
    /// default).
    pub fn to_fragment(&self) -> Fragment {
        let mut f = Fragment {
            path: "/flows".into(),
            params: Vec::new(),
        };
        if self.seed != DEFAULT_SEED {
            f.set("seed", &self.seed.to_string());
        }
        f.params
            .push(("sandbox".into(), dsl::format_actions(&self.actions)));
        f.set(crate::fragment::START_PARAM, &self.start.to_string());
        f
    }

    /// Loads `seed`, `t` and `sandbox` from a fragment; `now` (unix seconds, the visitor's
    /// clock) is the start when the link has no valid `t`. Never panics.
    pub fn from_fragment(f: &Fragment, now: u64) -> Result<Sandbox, SandboxError> {
        let (start, start_error) = f.world_start(now);
        let fail = |message: String, seed: u64| SandboxError {
            message,
            action: None,
            recovered: Box::new(Sandbox::new(seed, start)),
        };
        let seed = match f.get("seed").map(str::trim) {
            None | Some("") => DEFAULT_SEED,
            Some(s) => s.parse::<u64>().map_err(|_| {
                fail(
                    format!("The seed '{s}' is not a whole number; using the default seed."),
                    DEFAULT_SEED,
                )
            })?,
        };
        if let Some(message) = start_error {
            return Err(fail(message, seed));
        }
        // No action list at all: the IMDS page's default world (an empty `sandbox=` is empty).
        let actions = match f.get("sandbox") {
            None => crate::cloud::default_scenario_actions(),
            Some(text) => dsl::parse_actions(text).map_err(|e| fail(e.to_string(), seed))?,
        };
        Sandbox::replay(seed, start, &actions)
    }

    /// The diagram of the current world.
    pub fn diagram(&self) -> Diagram {
        diagram(&self.world)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::EPOCH;

    const SCENARIO: &str = "rg:g;c:vm:g:vm;si:vm;id:g:i1;id:g:i2;ua:vm:i1;ua:vm:i2;\
t:kv:g:kv-demo1;ra:u:i1:kvsu:r/kv-demo1;-ua:vm:i1;-id:i2;-r:kv-demo1;clk:60;-si:vm";

    #[test]
    fn replay_in_place_equals_applying_one_by_one() {
        // Replay applied each action through `apply`, which copies the whole world: quadratic
        // over a long list. It now builds the world in place; the result must not change.
        let actions = dsl::parse_actions(SCENARIO).unwrap();
        let mut one_by_one = Sandbox::new(DEFAULT_SEED, EPOCH);
        for a in &actions {
            one_by_one.apply(a).unwrap();
        }
        assert_eq!(
            Sandbox::replay(DEFAULT_SEED, EPOCH, &actions),
            Ok(one_by_one)
        );
        // A bad action: its index, the message, and what comes before it recovered.
        for k in [0, 6, actions.len()] {
            let mut with_bad = actions.clone();
            let bad = Action::AssignIdentity {
                resource: "vm".into(),
                identity: "nope".into(),
            };
            with_bad.insert(k, bad.clone());
            let e = Sandbox::replay(DEFAULT_SEED, EPOCH, &with_bad).unwrap_err();
            let mut recovered = Sandbox::new(DEFAULT_SEED, EPOCH);
            for a in &actions[..k] {
                recovered.apply(a).unwrap();
            }
            let why = recovered.apply(&bad).unwrap_err();
            assert_eq!(e.action, Some(k));
            assert_eq!(e.message, format!("action {}: {why}", k + 1));
            assert_eq!(*e.recovered, recovered);
        }
    }
}
