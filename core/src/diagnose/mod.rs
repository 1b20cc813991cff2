//! The on-demand engine: the troubleshooter's catalogue and the source detection are the
//! largest parts of the core, and most visitors never open them. The app keeps them out of its
//! first download: they run in a second WebAssembly module (a Web Worker fetched the first time
//! a page needs it) that answers a [`Query`] with what the page shows, as JSON.
//!
//! The answer carries element trees ([`crate::view`], JsonML) plus the few values the page acts
//! on (the cause id, whether a pasted token may be a credential, the share-link text), so the
//! page needs no report types or views of its own — only [`Reply`] to read them.
//!
//! [`answer`] is the whole engine, pure and host-tested.

mod explain_view;
mod sources_answer;
mod sources_view;
#[cfg(test)]
mod tests;

pub use explain_view::is_credential;
pub use sources_answer::{context as situation_context, situations};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::endpoint::detect::{self, DetectOptions, DetectSdk};
use crate::troubleshoot::{explain, Cause};
use crate::view::to_json as view_json;

/// What a page asks the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Query {
    /// "What does this error mean?" for a pasted text.
    Explain { text: String },
    /// "Which source will my code use?" for a pasted environment.
    Sources(SourceQuery),
}

/// The source panel's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceQuery {
    /// The pasted environment (`env`, `set`, PowerShell, `NAME=value` lines).
    pub env_text: String,
    pub sdk: DetectSdk,
    pub options: DetectOptions,
    /// Identity-header values the simulated world made: not secrets, they may go in links.
    pub world_headers: Vec<String>,
    /// The simulated clock (unix seconds): tokens in simulated answers are minted at this time.
    pub now: u64,
    /// The endpoint's side for the simulated answer (`ok`, `no-identity`, `wrong-secret`,
    /// `namespace-changed`; unknown codes mean the source's first situation).
    pub situation: String,
}

/// Answers a query with a JSON object: `kind` is `explained`, `sources` or `failed`. Never
/// panics; linear in the text.
///
/// - `explained`: `cause` (the top cause's id), `title`, `recognised`, `is_token`,
///   `credential` (a token in the text may be a live credential), `view` (JsonML list).
/// - `sources`: `chosen` (source code), `env_view` and `view` (JsonML lists), `examples`
///   (`[code, label, NAME=value lines]`), `link_text` (for the address bar, secrets withheld;
///   null: none), `withheld` (variable names), `relevant_lines` (exactly as pasted, for a share
///   link the user asks for), `situations` (`[code, label]` for the chosen source's simulated
///   answer; empty when the page's simulator answers that source), `situation` (the one
///   answered: the query's, or the source's first) and `answer_view`.
/// - `failed`: `message`.
pub fn answer(query: &Query) -> Value {
    match query {
        Query::Explain { text } => {
            let ex = explain(text);
            json!({
                "kind": "explained",
                "cause": ex.top.id(),
                "title": ex.top.title(),
                "recognised": ex.top != Cause::Unknown,
                "is_token": ex.is_token,
                "credential": ex.extracted.tokens.iter().any(|t| is_credential(t)),
                "view": view_json(&explain_view::view(&ex)),
            })
        }
        Query::Sources(q) => {
            let parsed = detect::parse_env(&q.env_text);
            let detection = detect::detect(&parsed.vars, q.sdk, &q.options);
            let disagreements = detect::disagreements(&parsed.vars);
            let link = detect::link_env_with(&parsed.vars, &q.world_headers);
            let examples: Vec<Value> = detect::examples()
                .into_iter()
                .map(|x| json!([x.code, x.label, detect::to_lines(&x.vars)]))
                .collect();
            json!({
                "kind": "sources",
                "chosen": detection.chosen.code(),
                "env_view": view_json(&sources_view::env_view(&parsed)),
                "view": view_json(&sources_view::detection_view(&detection, &disagreements)),
                "examples": examples,
                "link_text": link.text,
                "withheld": link.withheld,
                "relevant_lines": detect::to_lines(&detect::relevant(&parsed.vars)),
                "situations": sources_answer::situations(detection.chosen)
                    .iter()
                    .map(|(c, l)| json!([c, l]))
                    .collect::<Vec<_>>(),
                "situation": sources_answer::effective(detection.chosen, &q.situation),
                "answer_view": view_json(&sources_answer::view(&detection, &parsed.vars, &q.situation, q.now)),
            })
        }
    }
}

/// The engine behind a worker: a JSON query in, a JSON answer out.
pub fn answer_json(query: &str) -> String {
    match serde_json::from_str::<Query>(query) {
        Ok(q) => answer(&q).to_string(),
        Err(e) => failed(&format!("The engine could not read the page's question ({e}). Reload the page: it and its engine may be from different versions.")).to_string(),
    }
}

/// The JSON text of a query.
pub fn query_json(query: &Query) -> String {
    // Serialising a query cannot fail: strings, a bool, enums without data maps.
    serde_json::to_string(query).unwrap_or_default()
}

fn failed(message: &str) -> Value {
    json!({ "kind": "failed", "message": message })
}

/// An answer as the page reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply(Value);

impl Reply {
    /// Reads an answer's JSON text (an unreadable one becomes a `failed` reply saying so).
    pub fn parse(json: &str) -> Reply {
        match serde_json::from_str::<Value>(json) {
            Ok(v) if v.is_object() => Reply(v),
            _ => Reply::failed(
                "The page's engine sent an answer the page could not read. Reload the page.",
            ),
        }
    }

    /// A `failed` reply.
    pub fn failed(message: &str) -> Reply {
        Reply(failed(message))
    }

    /// `explained`, `sources` or `failed`.
    pub fn kind(&self) -> &str {
        self.text("kind")
    }

    /// A string field ("" when absent).
    pub fn text(&self, name: &str) -> &str {
        self.0.get(name).and_then(Value::as_str).unwrap_or_default()
    }

    /// A string field that may be null.
    pub fn opt_text(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.0.get(name).and_then(Value::as_bool).unwrap_or(false)
    }

    /// A list of strings.
    pub fn texts(&self, name: &str) -> Vec<String> {
        self.list(name)
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    /// A list of rows of strings (`[[code, label, …], …]`); rows with a non-string cell are
    /// left out.
    pub fn rows(&self, name: &str) -> Vec<Vec<String>> {
        self.list(name)
            .iter()
            .filter_map(|row| {
                row.as_array()?
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    /// A list field (empty when absent): JsonML nodes for views.
    pub fn list(&self, name: &str) -> &[Value] {
        self.0
            .get(name)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

impl From<Value> for Reply {
    fn from(v: Value) -> Reply {
        Reply(v)
    }
}
