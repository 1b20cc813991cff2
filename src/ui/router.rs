//! Hash routing: the route is the fragment's path (`#/flows?…` → Flows). A hook re-renders on
//! `hashchange` (links, back/forward, a pasted address); our own `replaceState` updates fire
//! no event, so typing never re-routes. This replaces yew-router, whose machinery (history
//! abstraction, route recogniser, query serde) cost ~5 KB gzip for a few fixed routes.

use gloo::events::EventListener;
use mi_core::fragment::Fragment;
use yew::prelude::*;

use crate::browser;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Route {
    Tour,
    Flows,
    Imds,
    Decoder,
    Troubleshoot,
    NotFound,
}

impl Route {
    pub const NAV: [Route; 5] = [
        Route::Tour,
        Route::Flows,
        Route::Imds,
        Route::Decoder,
        Route::Troubleshoot,
    ];

    pub fn from_path(path: &str) -> Route {
        match path.trim_end_matches('/') {
            "" => Route::Tour,
            "/flows" => Route::Flows,
            "/imds" => Route::Imds,
            "/decoder" => Route::Decoder,
            "/troubleshoot" => Route::Troubleshoot,
            _ => Route::NotFound,
        }
    }

    /// The fragment path, e.g. `/flows`.
    pub fn path(self) -> &'static str {
        match self {
            Route::Tour => "/",
            Route::Flows => "/flows",
            Route::Imds => "/imds",
            Route::Decoder => "/decoder",
            Route::Troubleshoot => "/troubleshoot",
            Route::NotFound => "/not-found",
        }
    }

    /// Lower-case name for `data-route`.
    pub fn id(self) -> &'static str {
        match self {
            Route::Tour => "tour",
            Route::Flows => "flows",
            Route::Imds => "imds",
            Route::Decoder => "decoder",
            Route::Troubleshoot => "troubleshoot",
            Route::NotFound => "notfound",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Tour => "Tour",
            Route::Flows => "Flows",
            Route::Imds => "IMDS simulator",
            Route::Decoder => "Token decoder",
            Route::Troubleshoot => "Troubleshoot",
            Route::NotFound => "Not found",
        }
    }

    /// The iframe title used in embed snippets.
    pub fn embed_title(self) -> String {
        format!("Managed Identity Playground — {}", self.label())
    }
}

/// The current fragment; the caller re-renders whenever the browser navigates.
#[hook]
pub fn use_fragment() -> Fragment {
    let update = use_force_update();
    use_effect_with((), move |_| {
        let listener = browser::window()
            .map(|w| EventListener::new(&w, "hashchange", move |_| update.force_update()));
        move || drop(listener)
    });
    browser::fragment::current()
}

/// The current fragment, re-read whenever the page changes it in place (`replaceState`) as well
/// as on navigation: for widgets that show the page's live state.
#[hook]
pub fn use_live_fragment() -> Fragment {
    let update = use_force_update();
    use_effect_with((), move |_| {
        let listeners = browser::window().map(|w| {
            let again = update.clone();
            [
                EventListener::new(&w, "hashchange", move |_| update.force_update()),
                EventListener::new(&w, browser::fragment::CHANGED_EVENT, move |_| {
                    again.force_update()
                }),
            ]
        });
        move || drop(listeners)
    });
    browser::fragment::current()
}
