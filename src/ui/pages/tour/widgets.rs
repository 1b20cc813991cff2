//! The tour's live widgets. They read the decoder core's sample tokens (`mi_core::token`) —
//! never the simulator — so the tour adds almost nothing to the default build.
//!
//! The code they show comes from `mi_core::teach::snippets` (tested on the host).

use std::rc::Rc;

use mi_core::teach::snippets::{sdk_snippet, sql_grant, Lang, SqlKind};
use mi_core::token::{self, claims, samples::SAMPLES, DiffKind, Reading};
use serde_json::Value;
use yew::prelude::*;

use crate::browser;
use crate::ui::widgets::{CodeBlock, TokenSummary};

/// The simulator's sample token: 0 system-assigned, 1 user-assigned (empty if absent).
pub fn sample(i: usize) -> &'static str {
    SAMPLES.get(i).map(|s| s.1).unwrap_or_default()
}

fn read_sample(i: usize) -> Reading {
    token::read(sample(i), browser::unix_now())
}

/// A claim's value as text (strings without quotes).
fn claim_text(r: &Reading, name: &str) -> String {
    match r.payload_claims().and_then(|c| c.get(name)) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

fn param(key: &str) -> String {
    browser::fragment::current()
        .get(key)
        .unwrap_or_default()
        .to_string()
}

const NOTE: &str =
    "A sample minted by this playground's simulator for the VM vm-web, signed with a \
                    public demo key; it has long expired.";

/// Step 1's picture: how a token travels, as an ordered list drawn as boxes and arrows.
pub fn token_journey() -> Html {
    html! {
        <ol class="journey" data-testid="tour-picture" aria-label="How a managed identity gets and uses a token">
            { for mi_core::teach::tour::PICTURE.iter().map(|(what, detail)| html! {
                <li><strong>{ *what }</strong><span class="small muted">{ *detail }</span></li>
            }) }
        </ol>
    }
}

/// Step 1: the claims that make the token an app's, with the catalogue's meaning.
pub fn app_claims() -> Html {
    let r = read_sample(0);
    html! {
        <details class="tour-claims">
        <summary>{ "The claims that say it is an app's token" }</summary>
        <div class="table-scroll">
        <table data-testid="tour-app-claims">
            <caption>{ "Claims of a managed identity's token (system-assigned sample)" }</caption>
            <thead><tr><th scope="col">{ "Claim" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Meaning" }</th></tr></thead>
            <tbody>
            { for ["idtyp", "appidacr", "appid", "oid", "scp"].iter().map(|&name| {
                let value = claim_text(&r, name);
                html! {
                    <tr data-testid="claim-row" data-claim={name}>
                        <th scope="row"><code>{ name }</code></th>
                        <td class="wrap-anywhere">
                            if value.is_empty() { <span class="muted">{ "(absent)" }</span> } else { <code>{ value }</code> }
                        </td>
                        <td>{ claims::lookup(name).map(|c| c.meaning).unwrap_or_default() }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
        </details>
    }
}

/// Step 2: a sample's headline and the three claims that name the identity; the whole card is
/// one click away in the decoder.
pub fn sample_headline(index: usize) -> Html {
    let r = read_sample(index);
    let row = |label: &'static str, claim: &'static str| {
        let v = claim_text(&r, claim);
        html! {
            <div class="kv">
                <dt>{ label }<code>{ claim }</code></dt>
                <dd><code class="wrap-anywhere" data-testid={format!("tour-{claim}")}>{ v }</code></dd>
            </div>
        }
    };
    html! {
        <div class="tour-headline">
            <p class="summary-sentence" data-testid="headline">{ token::summary::headline(&r.summary) }</p>
            <dl class="kv-list">
                { row("Object id ", "oid") }
                { row("Client id ", "appid") }
                { row("Managed identity ", "xms_mirid") }
            </dl>
            <p class="muted small">{ NOTE }</p>
        </div>
    }
}

/// Steps 2 and 3: a sample's summary card (0 system-assigned, 1 user-assigned).
pub fn sample_summary(index: usize) -> Html {
    let summary = Rc::new(read_sample(index).summary);
    html! {
        <>
            <p class="muted small">{ NOTE }</p>
            <TokenSummary {summary} sample=true />
        </>
    }
}

/// The claims that say who the identity is: highlighted in the comparison.
const KEY_CLAIMS: [&str; 4] = ["oid", "appid", "xms_mirid", "xms_az_rid"];

/// Step 3: the claims that differ between the system- and the user-assigned sample.
pub fn sample_diff() -> Html {
    let (a, b) = (read_sample(0), read_sample(1));
    let (Some(ca), Some(cb)) = (a.payload_claims(), b.payload_claims()) else {
        return html! {};
    };
    let text = |v: &Option<Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => "(absent)".to_string(),
    };
    let diffs: Vec<_> = token::compare(ca, cb)
        .into_iter()
        .filter(|d| d.kind != DiffKind::Same)
        .collect();
    let (key, other): (Vec<_>, Vec<_>) = diffs
        .into_iter()
        .partition(|d| KEY_CLAIMS.contains(&d.name.as_str()));
    let table = |rows: Vec<token::ClaimDiff>, caption: &'static str, testid: &'static str| {
        html! {
            <div class="table-scroll">
            <table class="tour-diff" data-testid={testid}>
                <caption>{ caption }</caption>
                <thead><tr><th scope="col">{ "Claim" }</th><th scope="col">{ "System-assigned" }</th><th scope="col">{ "User-assigned" }</th></tr></thead>
                <tbody>
                { for rows.into_iter().map(|d| {
                    let key = KEY_CLAIMS.contains(&d.name.as_str());
                    html! {
                        <tr class={classes!(key.then_some("tour-key"))} data-testid="diff-row" data-claim={d.name.clone()}>
                            <th scope="row"><code>{ &d.name }</code>
                                if key { <span class="badge neutral">{ "identity" }</span> }</th>
                            <td class="wrap-anywhere"><code>{ text(&d.left) }</code></td>
                            <td class="wrap-anywhere"><code>{ text(&d.right) }</code></td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
        }
    };
    html! {
        <>
            { table(key, "The claims that name the identity: system-assigned vs user-assigned sample", "tour-diff") }
            <details class="tour-claims">
                <summary>{ format!("{} more claims differ (per-token values)", other.len()) }</summary>
                { table(other, "Other claims that differ", "tour-diff-other") }
            </details>
        </>
    }
}

/// Step 4: requests to both endpoints and the IMDS answer, built around the system sample.
pub fn token_response() -> Html {
    let r = read_sample(0);
    // The body exactly as the simulator's IMDS writes it (expires_in of a fresh token).
    let number = |name| claim_text(&r, name).parse::<u64>().unwrap_or_default();
    // A fresh token: expires_in = exp − now, where now = iat + the 5-minute backdating.
    let fresh = number("exp").saturating_sub(number("iat") + mi_core::endpoint::mint::BACKDATE);
    let body = mi_core::endpoint::imds::success_body(
        sample(0),
        &claim_text(&r, "appid"),
        fresh,
        number("exp"),
        number("nbf"),
        &claim_text(&r, "aud"),
    );
    html! {
        <>
            <CodeBlock title="On a VM: IMDS (curl)" testid="tour-imds-request"
                code="curl -s -H \"Metadata: true\" \\\n  \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/\"" />
            <CodeBlock title="On App Service / Functions (curl)"
                code="curl -s -H \"X-IDENTITY-HEADER: $IDENTITY_HEADER\" \\\n  \"$IDENTITY_ENDPOINT?resource=https://management.azure.com/&api-version=2019-08-01\"" />
            <CodeBlock title="IMDS answer: 200, body (application/json)" code={body} testid="tour-response" />
        </>
    }
}

/// Sets a widget's parameter in the fragment (the page re-renders from it).
pub type SetParam = Callback<(&'static str, String)>;

fn field(id: &'static str, label: &'static str, control: Html) -> Html {
    html! {
        <div class="tour-field">
            <label for={id}>{ label }</label>
            { control }
        </div>
    }
}

fn text_input(id: &'static str, key: &'static str, placeholder: String, set: &SetParam) -> Html {
    let oninput = set.reform(move |e: InputEvent| (key, crate::browser::event_value(&e)));
    html! {
        <input {id} type="text" data-testid={id} {placeholder} spellcheck="false" autocomplete="off"
            value={param(key)} {oninput} />
    }
}

/// Step 5: kind + name → T-SQL, live. State in the fragment (`sql=user`, `name=`).
pub fn sql_form(set: &SetParam) -> Html {
    let user = param("sql") == "user";
    let onchange = set.reform(|e: Event| {
        (
            "sql",
            if crate::browser::event_value(&e) == "user" {
                "user".into()
            } else {
                String::new()
            },
        )
    });
    let (kind, label, example) = if user {
        (SqlKind::User, "Identity name", "id-orders")
    } else {
        (
            SqlKind::System,
            "Resource name (VM, App Service…)",
            "vm-web",
        )
    };
    let name = param("name");
    let typed = name.trim();
    let code = sql_grant(kind, if typed.is_empty() { example } else { typed });
    html! {
        <div class="tour-form">
            { field("tour-sql-kind", "Identity kind", html! {
                <select id="tour-sql-kind" data-testid="tour-sql-kind" {onchange}>
                    <option value="system" selected={!user}>{ "System-assigned" }</option>
                    <option value="user" selected={user}>{ "User-assigned" }</option>
                </select>
            }) }
            { field("tour-sql-name", label, text_input("tour-sql-name", "name", example.into(), set)) }
            <CodeBlock title="T-SQL" {code} testid="tour-sql" />
        </div>
    }
}

/// Step 6: language + optional client id → snippet, live. State in the fragment
/// (`lang=`, `client_id=`).
pub fn sdk_form(set: &SetParam) -> Html {
    let lang = Lang::parse(&param("lang"));
    let onchange = set.reform(|e: Event| ("lang", crate::browser::event_value(&e)));
    let code = sdk_snippet(lang, &param("client_id"));
    html! {
        <div class="tour-form">
            { field("tour-lang", "Language", html! {
                <select id="tour-lang" data-testid="tour-lang" {onchange}>
                    { for Lang::ALL.iter().map(|l| html! {
                        <option value={l.code()} selected={*l == lang}>{ l.label() }</option>
                    }) }
                </select>
            }) }
            { field("tour-client-id", "User-assigned client id (optional)",
                text_input("tour-client-id", "client_id", claim_text(&read_sample(1), "appid"), set)) }
            <p class="muted small">{ crate::ui::widgets::fact_text(&mi_core::teach::tour::NO_CLIENT_ID) }</p>
            <CodeBlock title={lang.label()} {code} testid="tour-sdk" />
        </div>
    }
}
