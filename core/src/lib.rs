//! Pure core of the Managed Identity Playground.
//!
//! Nothing here touches the browser: this crate does not depend on yew, web-sys, gloo or
//! js-sys, so the compiler itself keeps the core pure (design.md). Time comes in as a value and
//! randomness from a seed, so every output is reproducible and host-testable.
//!
//! Dependency direction: `endpoint → cloud`, `endpoint → token`; `token` and `cloud` only
//! share the small [`arm`] module.

pub mod arm;
pub mod cloud;
pub mod diagnose;
pub mod embed;
pub mod endpoint;
pub mod flows;
pub mod fragment;
mod jsonw;
pub mod percent;
pub mod teach;
mod text;
pub mod token;
pub mod troubleshoot;
pub mod view;
