//! App shell: header with the routes, theme switch, footer, and embed mode.

use mi_core::fragment::Theme;
use yew::prelude::*;

use super::engine::Engine;
use super::pages;
use super::router::{use_fragment, use_live_fragment, Route};
use crate::browser;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Where the troubleshooter and source detection run: a Web Worker in the app, the core
    /// itself in browser tests.
    #[prop_or_else(Engine::worker)]
    pub engine: Engine,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            engine: Engine::worker(),
        }
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    html! {
        <ContextProvider<Engine> context={props.engine.clone()}>
            <Shell />
        </ContextProvider<Engine>>
    }
}

#[function_component(Shell)]
fn shell() -> Html {
    let fragment = use_fragment();
    let route = Route::from_path(&fragment.path);
    let embed = fragment.is_embed();

    let theme = use_state(browser::theme::effective);
    {
        let theme = *theme;
        use_effect_with(theme, move |t| browser::theme::apply(*t));
    }
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |t: Theme| {
            browser::theme::remember(t);
            theme.set(t);
        })
    };

    let page = html! { <Page {route} /> };
    if embed {
        return html! { <EmbedRoot>{ page }</EmbedRoot> };
    }
    html! {
        <>
            <a class="skip-link" href="#main" onclick={skip_to_main()}>{ "Skip to content" }</a>
            <header class="site-header" data-testid="site-header">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">{ "MI" }</span>
                    <span class="brand-name">{ "Managed Identity Playground" }</span>
                </div>
                <nav aria-label="Main">
                    <ul class="nav-list">
                        { for Route::NAV.iter().map(|r| nav_item(r, &route)) }
                    </ul>
                </nav>
                <ThemeSwitch theme={*theme} on_change={on_theme} />
            </header>
            <main id="main" tabindex="-1" data-testid="page" data-route={route.id()}>
                { page }
            </main>
            <footer class="site-footer" data-testid="privacy-footer">
                <p>
                    <strong>{ "Everything runs in your browser. " }</strong>
                    { "Nothing you type or paste is sent anywhere: there is no server, no analytics, \
                       and the page's security policy forbids network requests to any other site. \
                       Tokens live only in the page and, when you share a link, in its # fragment, \
                       which browsers never send to a server." }
                </p>
                <p class="muted">{ "Azure is simulated; tokens minted here are signed with a public demo key and are not valid in Azure." }</p>
            </footer>
        </>
    }
}

/// The skip link targets `<main>` by id; with hash routing the browser would read `#main` as
/// a route, so move focus ourselves.
fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        e.prevent_default();
        browser::focus_element("main");
    })
}

/// Plain fragment links (the router follows `popstate`), so `aria-current` can sit on the `<a>`.
fn nav_item(target: &Route, current: &Route) -> Html {
    let active = target == current;
    html! {
        <li>
            <a href={format!("#{}", target.path())}
               class={classes!("nav-link", active.then_some("active"))}
               aria-current={active.then_some("page")}>{ target.label() }</a>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct PageProps {
    route: Route,
}

#[function_component(Page)]
fn page(props: &PageProps) -> Html {
    match props.route {
        Route::Tour => html! { <pages::tour::TourPage /> },
        Route::Flows => html! { <pages::flows::FlowsPage /> },
        Route::Imds => html! { <pages::imds::ImdsPage /> },
        Route::Decoder => html! { <pages::decoder::DecoderPage /> },
        Route::Troubleshoot => html! { <pages::troubleshoot::TroubleshootPage /> },
        Route::NotFound => html! {
            <section class="page" aria-labelledby="nf-title">
                <h1 id="nf-title">{ "Page not found" }</h1>
                <p>{ "This link points to a page the playground does not have. " }
                   <a href="#/">{ "Start the tour" }</a>{ "." }</p>
            </section>
        },
    }
}

#[derive(Properties, PartialEq)]
struct ThemeSwitchProps {
    theme: Theme,
    on_change: Callback<Theme>,
}

#[function_component(ThemeSwitch)]
fn theme_switch(props: &ThemeSwitchProps) -> Html {
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        let value = crate::browser::event_value(&e);
        if let Some(t) = Theme::parse(&value) {
            on_change.emit(t);
        }
    });
    html! {
        <div class="theme-switch">
            <label for="theme-select">{ "Theme" }</label>
            <select id="theme-select" data-testid="theme-select" {onchange}>
                { for Theme::ALL.iter().map(|t| html! {
                    <option value={t.as_str()} selected={*t == props.theme}>{ t.label() }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EmbedRootProps {
    children: Html,
}

/// Embed mode: the widget alone, reporting its height to the host page.
#[function_component(EmbedRoot)]
fn embed_root(props: &EmbedRootProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let observer = node
                .cast::<web_sys::Element>()
                .and_then(|el| browser::embed::report_height(&el));
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
            }
        });
    }
    let fragment = use_live_fragment();
    html! {
        <main class="embed-root" data-testid="embed-root" ref={node} onclick={open_links_in_new_tab()}>
            { props.children.clone() }
            <p class="embed-credit muted">
                <a href={browser::fragment::full_playground_url(&fragment)} target="_blank" rel="noopener"
                   data-testid="embed-credit">{ "Open in the full playground ↗" }</a>
                { " · runs entirely in your browser" }
            </p>
        </main>
    }
}

/// Inside a blog post's iframe, a link must not load the whole site into the post's frame:
/// every link opens the full playground (or its own target) in a new tab instead.
fn open_links_in_new_tab() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        if e.default_prevented() {
            return; // the widget handled it in place (a step link, a pager)
        }
        let Some(anchor) = e
            .target_dyn_into::<web_sys::Element>()
            .and_then(|t| t.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let href = anchor.get_attribute("href").unwrap_or_default();
        let url = if href.starts_with('#') {
            browser::fragment::full_playground_url(&mi_core::fragment::Fragment::parse(&href))
        } else if anchor.get_attribute("target").as_deref() == Some("_blank") {
            return; // already opens a new tab
        } else {
            href
        };
        e.prevent_default();
        if let Some(w) = browser::window() {
            w.open_with_url_and_target_and_features(&url, "_blank", "noopener")
                .ok();
        }
    })
}
