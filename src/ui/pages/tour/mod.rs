//! `#/` — the guided tour: six steps, each with a live widget and deep links into the other
//! pages. The current step lives in the fragment (`#/?step=N`, replaced, not pushed).
//!
//! Prose is one static table ([`STEPS`]); widgets come from `widgets.rs` and use only the
//! decoder core (`mi_core::token`), never the simulator.

mod widgets;

use yew::prelude::*;

use crate::browser;

pub use widgets::{sample, sdk_snippet, sql_grant, Lang, SqlKind};

/// One step of the tour: its text, its widget and where to go from it.
struct Step {
    title: &'static str,
    paras: &'static [&'static str],
    pros: &'static [&'static str],
    cons: &'static [&'static str],
    /// (link text, fragment); `{sys}` / `{user}` stand for the sample tokens.
    links: &'static [(&'static str, &'static str)],
}

const STEPS: [Step; 6] = [
    Step {
        title: "What a managed identity is",
        paras: &[
            "A managed identity is a service principal in Microsoft Entra ID that belongs to an Azure \
             resource: a VM, an App Service, a Function. Azure creates its credential, keeps it and rolls \
             it. There is no secret, certificate or connection string for you to store, leak or rotate.",
            "Code on the resource asks a local endpoint for a token and Azure answers for the resource's \
             identity. The result is an app-only token: idtyp is app, appidacr 2 means a certificate \
             credential (the one Azure holds), and there is no scp or user.",
            "This tour covers that client side: a resource getting and using tokens. The server side, an \
             API of yours that validates incoming tokens, needs an app registration and is out of scope \
             here; Microsoft's docs cover it in the Microsoft identity platform's \"Protected web API\" \
             scenario.",
        ],
        pros: &[],
        cons: &[],
        links: &[("Decode this token", "#/decoder?token={sys}")],
    },
    Step {
        title: "System-assigned identity",
        paras: &[
            "Switch it on for a resource and Azure creates a service principal named like the resource and \
             tied to it. Delete the resource and the identity goes with it. Recreate a resource with the \
             same name and you get a new identity with a new object id: old role assignments do not carry \
             over. In its tokens, xms_mirid is the resource itself.",
        ],
        pros: &[
            "Nothing else to create: one switch on the resource.",
            "Cleans up after itself: no identity outlives its resource.",
            "One identity per resource: least privilege comes naturally.",
        ],
        cons: &[
            "Cannot be shared: ten VMs are ten identities, each needing its own role assignments.",
            "Exists only once the resource does: access cannot be granted ahead of deployment.",
            "Recreating the resource changes the object id; the old role assignments stay behind as \
             \"Identity not found\".",
        ],
        links: &[
            ("Walk the system-assigned life cycle in Flows", "#/flows?lane=system&system=1"),
            ("Decode this token", "#/decoder?token={sys}"),
        ],
    },
    Step {
        title: "User-assigned identity",
        paras: &[
            "A user-assigned identity is an Azure resource of its own \
             (Microsoft.ManagedIdentity/userAssignedIdentities) with its own life cycle. You create it, \
             grant it roles, then assign it to one or many resources. Deleting a resource leaves the \
             identity and its role assignments in place. In its tokens, xms_mirid is the identity and \
             xms_az_rid the resource that asked.",
        ],
        pros: &[
            "Shareable: many resources, one identity, one set of role assignments.",
            "Stable: its object id survives redeployments, so access can be granted before deploying.",
        ],
        cons: &[
            "More set-up: a separate resource to create, assign and eventually delete yourself.",
            "Shared identity, shared access: tell callers apart with xms_az_rid or logs.",
            "With several on one resource, code must say which one to use (by client id).",
        ],
        links: &[
            ("Follow the user-assigned life cycle in Flows", "#/flows?lane=user&user=3"),
            ("Compare both samples in the decoder", "#/decoder?token={sys}&compare={user}"),
        ],
    },
    Step {
        title: "Getting a token",
        paras: &[
            "Code on the resource never talks to Entra ID itself: it calls a local endpoint only that \
             resource can reach. On a VM that is the Instance Metadata Service (IMDS) at 169.254.169.254, \
             with the header Metadata: true. On App Service and Functions the platform sets \
             IDENTITY_ENDPOINT and IDENTITY_HEADER; send the latter as X-IDENTITY-HEADER.",
            "resource names the API the token is for and becomes the token's aud exactly as sent. To pick \
             a user-assigned identity, add client_id, object_id or msi_res_id (App Service: client_id, \
             principal_id or mi_res_id).",
            "The answer is compact JSON in which every value is a string, numbers included: expires_on is \
             the token's exp, not_before its nbf, resource its aud, client_id its appid.",
        ],
        pros: &[],
        cons: &[],
        links: &[
            ("Try it in the IMDS simulator", "#/imds"),
            ("Decode this token", "#/decoder?token={sys}"),
        ],
    },
    Step {
        title: "Using it with Azure SQL",
        paras: &[
            "Azure SQL Database accepts Entra tokens for the resource https://database.windows.net/. \
             Microsoft.Data.SqlClient fetches one for you with Authentication=Active Directory Managed \
             Identity in the connection string (add User Id=<client id> for a user-assigned identity).",
            "A token alone is not enough: the database must know the identity. Connected as a Microsoft \
             Entra admin, in the user database, create a contained user from Entra ID and give it a role. \
             The name is the resource's name for a system-assigned identity and the identity's own name \
             for a user-assigned one.",
        ],
        pros: &[],
        cons: &[],
        links: &[("Request a token in the IMDS simulator", "#/imds")],
    },
    Step {
        title: "Using the Azure Identity library",
        paras: &[
            "In application code, let the Azure Identity library call the endpoint, cache the token and \
             refresh it. ManagedIdentityCredential uses the managed identity and nothing else. \
             DefaultAzureCredential tries several credentials in turn (environment, workload identity, \
             managed identity, then developer sign-ins such as the Azure CLI), so the same code runs on \
             your machine and in Azure.",
            "Without an id the request names no identity and the endpoint answers with the \
             system-assigned one. For a user-assigned identity, pass its client id. Libraries take a \
             scope, the resource plus /.default, and send it to the endpoint as resource=.",
        ],
        pros: &[],
        cons: &[],
        links: &[("See selection by client id in Flows", "#/flows?lane=user&user=8")],
    },
];

const LAST: usize = STEPS.len();

/// The tour's end: the three pages to explore on one's own.
const CARDS: [(&str, &str, &str, &str); 3] = [
    (
        "Flows",
        "Walk a system-assigned and a user-assigned identity through their lives: create, grant, \
         request tokens, delete, recreate — and see every consequence.",
        "#/flows",
        "Open Flows",
    ),
    (
        "IMDS simulator",
        "Build or paste a token request and read the exact HTTP response Azure would give, errors \
         included.",
        "#/imds",
        "Open the simulator",
    ),
    (
        "Token decoder",
        "Paste any token and see its header, its claims and what they say about the identity: oid, \
         xms_mirid, system- or user-assigned.",
        "#/decoder",
        "Open the decoder",
    ),
];

/// The step in the fragment, 1-based, clamped to the tour; 1 when absent or invalid.
fn current_step() -> usize {
    browser::fragment::current()
        .get("step")
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, LAST)
}

fn link_href(template: &str) -> String {
    template
        .replace("{sys}", widgets::sample(0))
        .replace("{user}", widgets::sample(1))
}

fn widget(n: usize, set: &widgets::SetParam) -> Html {
    match n {
        1 => widgets::app_claims(),
        2 => widgets::sample_summary(0),
        3 => html! { <>{ widgets::sample_summary(1) }{ widgets::sample_diff() }</> },
        4 => widgets::token_response(),
        5 => widgets::sql_form(set),
        _ => widgets::sdk_form(set),
    }
}

fn list(title: &'static str, items: &'static [&'static str]) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <div class="tour-list">
            <h3>{ title }</h3>
            <ul>{ for items.iter().map(|i| html! { <li>{ *i }</li> }) }</ul>
        </div>
    }
}

#[function_component(TourPage)]
pub fn tour_page() -> Html {
    // The step comes from the fragment: re-read it when the location changes (a pasted deep
    // link) and after our own replace (which fires no event).
    let _fragment = crate::ui::router::use_fragment();
    let refresh = use_force_update();
    let step = current_step();

    // Focus follows the step, except on first render (a deep link must not steal focus).
    let first = use_mut_ref(|| true);
    use_effect_with(step, move |_| {
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            return;
        }
        browser::focus_element("tour-step-title");
    });

    // Every change is one fragment parameter, replaced in place, then a re-render from it.
    let set: widgets::SetParam = Callback::from(move |(key, value): (&'static str, String)| {
        let mut f = browser::fragment::current();
        f.set(key, &value);
        browser::fragment::replace(&f);
        refresh.force_update();
    });
    let go_to = |n: usize| {
        let set = set.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            set.emit(("step", n.clamp(1, LAST).to_string()));
        })
    };

    let Some(s) = STEPS.get(step - 1) else {
        return html! {};
    };
    html! {
        <section class="page tour" aria-labelledby="tour-title">
            <h1 id="tour-title">{ "Managed identities, by doing" }</h1>
            <p class="lead">
                { "A managed identity lets an Azure resource get Microsoft Entra ID tokens without any stored \
                   secret. Six short steps, each with something to try." }
            </p>
            <nav class="tour-nav" aria-label="Tour steps">
                <ol class="tour-steps" data-testid="tour-steps">
                    { for STEPS.iter().enumerate().map(|(i, st)| {
                        let n = i + 1;
                        html! {
                            <li>
                                <a href={format!("#/?step={n}")} aria-current={(n == step).then_some("step")}
                                   onclick={go_to(n)}>{ st.title }</a>
                            </li>
                        }
                    }) }
                </ol>
            </nav>
            <section class="tour-step card" aria-labelledby="tour-step-title" data-testid="tour-step" data-step={step.to_string()}>
                <h2 id="tour-step-title" tabindex="-1">{ format!("Step {step} of {LAST}: {}", s.title) }</h2>
                { for s.paras.iter().map(|p| html! { <p>{ *p }</p> }) }
                if !s.pros.is_empty() {
                    <div class="tour-proscons">
                        { list("Pros", s.pros) }
                        { list("Cons", s.cons) }
                    </div>
                }
                <div class="tour-widget">{ widget(step, &set) }</div>
                <ul class="tour-links" data-testid="tour-links">
                    { for s.links.iter().map(|(text, href)| html! {
                        <li><a href={link_href(href)}>{ *text }</a></li>
                    }) }
                </ul>
            </section>
            <div class="tour-pager actions">
                <button type="button" class="secondary" disabled={step == 1} onclick={go_to(step.saturating_sub(1))}>{ "Previous" }</button>
                <span class="muted" data-testid="tour-position">{ format!("Step {step} of {LAST}") }</span>
                <button type="button" disabled={step == LAST} onclick={go_to(step + 1)}>{ "Next" }</button>
            </div>
            <section aria-labelledby="tour-explore">
                <h2 id="tour-explore">{ "Explore on your own" }</h2>
                <div class="cards">
                    { for CARDS.iter().map(|(title, text, href, button)| html! {
                        <article class="card">
                            <h3>{ *title }</h3>
                            <p>{ *text }</p>
                            <a class="button" href={*href}>{ *button }</a>
                        </article>
                    }) }
                </div>
            </section>
        </section>
    }
}
