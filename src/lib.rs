//! Managed Identity Playground — the browser app.
//!
//! `ui` holds the yew components; `browser` is the only place that talks to browser APIs
//! directly. All Azure rules, token logic and HTTP formats live in the pure `mi_core` crate.

pub mod browser;
pub mod ui;

/// Installs the panic hook, removes the loading placeholder and mounts the app.
pub fn start() {
    browser::panic::install_hook();
    browser::fragment::normalize_alias_fragment();
    browser::theme::apply(browser::theme::effective());
    if let Some(root) = browser::mount_point() {
        yew::Renderer::<ui::App>::with_root(root).render();
    }
}
