//! The on-demand engine as the pages see it: [`Engine`] (in a context from the app root) and
//! [`use_answer`], which sends a query when it changes and keeps the answer to the latest one.
//!
//! The app uses [`Engine::worker`]: `mi_core::diagnose` runs in a second module fetched the
//! first time a page asks. Browser tests pass [`Engine::in_process`] with
//! `mi_core::diagnose::answer`, so they test the same pages without a worker file to serve.

use std::cell::Cell;
use std::rc::Rc;

use mi_core::diagnose::{self, Query, Reply};
use yew::prelude::*;

use crate::browser;

type Ask = dyn Fn(&Query, Box<dyn FnOnce(Reply)>);

/// Answers queries, now or later.
#[derive(Clone)]
pub struct Engine(Rc<Ask>);

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Engine {
    /// The engine in its Web Worker (started on the first query).
    pub fn worker() -> Engine {
        Engine(Rc::new(|query: &Query, done: Box<dyn FnOnce(Reply)>| {
            browser::worker::ask(
                diagnose::query_json(query),
                Box::new(move |reply| {
                    done(match reply {
                        Ok(json) => Reply::parse(&json),
                        Err(why) => Reply::failed(&why),
                    })
                }),
            );
        }))
    }

    /// An engine that answers at once with `answer_json` (browser tests pass
    /// `mi_core::diagnose::answer_json`: the same JSON the worker sends, without a worker).
    pub fn in_process(answer_json: fn(&str) -> String) -> Engine {
        Engine(Rc::new(
            move |query: &Query, done: Box<dyn FnOnce(Reply)>| {
                done(Reply::parse(&answer_json(&diagnose::query_json(query))))
            },
        ))
    }

    pub fn ask(&self, query: &Query, done: impl FnOnce(Reply) + 'static) {
        (self.0)(query, Box::new(done));
    }
}

/// An answer and whether a newer query is still on its way.
#[derive(Clone, PartialEq)]
pub struct Answered {
    /// The answer to the latest query that has one (`None` before the first).
    pub answer: Option<Rc<Reply>>,
    /// The latest query has not been answered yet.
    pub waiting: bool,
}

/// Sends `query` to the engine whenever it changes (nothing for `None`); answers to queries
/// that have since been replaced are dropped.
#[hook]
pub fn use_answer(query: Option<Query>) -> Answered {
    let engine = use_context::<Engine>().unwrap_or_else(Engine::worker);
    let answered = use_state(|| Answered {
        answer: None,
        waiting: query.is_some(),
    });
    let latest = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    {
        let answered = answered.clone();
        let latest = latest.borrow().clone();
        use_effect_with(query, move |query| {
            if let Some(query) = query {
                let id = latest.get() + 1;
                latest.set(id);
                if !answered.waiting {
                    answered.set(Answered {
                        answer: answered.answer.clone(),
                        waiting: true,
                    });
                }
                let setter = answered.setter();
                engine.ask(query, move |a| {
                    if latest.get() == id {
                        setter.set(Answered {
                            answer: Some(Rc::new(a)),
                            waiting: false,
                        });
                    }
                });
            }
        });
    }
    (*answered).clone()
}
