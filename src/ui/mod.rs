//! The yew UI: app shell, routes, pages and shared widgets. Components turn events into calls
//! to `mi_core` and render what it returns — no Azure rule or format lives here.

mod app;
pub mod engine;
pub mod pages;
pub mod router;
pub mod widgets;

pub use app::{App, AppProps};
pub use router::Route;
