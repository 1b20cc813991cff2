//! Colour theme: `data-theme` on `<html>`; the choice is remembered in localStorage (only the
//! theme — tokens are never stored). A `theme=` fragment parameter wins, for embeds.

use mi_core::fragment::Theme;

const STORAGE_KEY: &str = "mi-playground.theme";

fn storage() -> Option<web_sys::Storage> {
    super::window()?.local_storage().ok()?
}

pub fn stored() -> Theme {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok()?)
        .and_then(|v| Theme::parse(&v))
        .unwrap_or_default()
}

/// The theme in force now: the fragment's, else the remembered one.
pub fn effective() -> Theme {
    super::fragment::current().theme().unwrap_or_else(stored)
}

pub fn remember(theme: Theme) {
    if let Some(s) = storage() {
        s.set_item(STORAGE_KEY, theme.as_str()).ok();
    }
}

pub fn apply(theme: Theme) {
    if let Some(html) = super::document().and_then(|d| d.document_element()) {
        html.set_attribute("data-theme", theme.as_str()).ok();
    }
}
