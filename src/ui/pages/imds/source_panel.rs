//! "Which source will my code use?": paste an environment (or take the host's), pick an SDK,
//! and read that SDK's detection order with the rule that fired, the source, the first request
//! it sends, and where the four SDKs disagree. All of it is `mi_core::endpoint::detect`.
//!
//! Its own state, in the fragment: `env=` (the variables the SDKs read, `NAME=value` lines;
//! pasted secrets withheld unless the user copies a share link), `sdk=python|dotnet|js|java`,
//! `cred=dac`, `cid=` (a user-assigned client id) and `arcagent=1`. Folded unless the link has
//! `env=` or `sdk=`.

use std::rc::Rc;

use mi_core::diagnose::{Query, SourceQuery};
use mi_core::endpoint::detect::{self, DetectOptions, DetectSdk};
use mi_core::fragment::Fragment;
use yew::prelude::*;

use super::state::Sim;
use crate::browser;
use crate::ui::engine::use_answer;
use crate::ui::widgets::{EngineView, ShareButton};

#[derive(Debug, Clone, PartialEq)]
struct Panel {
    /// What the user typed; `None`: the selected host's environment.
    text: Option<String>,
    sdk: DetectSdk,
    dac: bool,
    client_id: String,
    arc_agent: bool,
    /// The endpoint's side in the simulated answer (`situation=`; "" = all is well).
    situation: String,
    /// The user has used the panel (or the link had its state): its state goes in the fragment.
    touched: bool,
}

impl Panel {
    fn from_fragment(f: &Fragment) -> Panel {
        let sdk = f.get("sdk").and_then(DetectSdk::from_code);
        let text = f.get("env").map(str::to_string);
        Panel {
            touched: text.is_some() || sdk.is_some(),
            text,
            sdk: sdk.unwrap_or(DetectSdk::Python),
            dac: f.get("cred") == Some("dac"),
            client_id: f.get("cid").unwrap_or_default().to_string(),
            arc_agent: f.get("arcagent") == Some("1"),
            situation: f.get("situation").unwrap_or_default().to_string(),
        }
    }

    fn options(&self) -> DetectOptions {
        let cid = self.client_id.trim();
        DetectOptions {
            via_default_azure_credential: self.dac,
            client_id: (!cid.is_empty()).then(|| cid.to_string()),
            arc_agent_installed: self.arc_agent,
            ..DetectOptions::default()
        }
    }

    /// The fragment with this panel's state; `env` is what goes in `env=` (`None`: nothing).
    fn write(&self, f: &mut Fragment, env: Option<&str>) {
        f.set("env", env.unwrap_or_default());
        f.set("sdk", self.sdk.code());
        f.set("cred", if self.dac { "dac" } else { "" });
        f.set("cid", self.client_id.trim());
        f.set("arcagent", if self.arc_agent { "1" } else { "" });
        f.set("situation", &self.situation);
    }
}

enum Msg {
    Text(String),
    UseHost,
    Sdk(DetectSdk),
    Dac(bool),
    ClientId(String),
    ArcAgent(bool),
    Situation(String),
}

impl Reducible for Panel {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut p = (*self).clone();
        match msg {
            Msg::Text(t) => p.text = Some(t),
            Msg::UseHost => p.text = None,
            Msg::Sdk(s) => p.sdk = s,
            Msg::Dac(on) => p.dac = on,
            Msg::ClientId(c) => p.client_id = c,
            Msg::ArcAgent(on) => p.arc_agent = on,
            Msg::Situation(code) => p.situation = code,
        }
        p.touched = true;
        Rc::new(p)
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sim: UseReducerHandle<Sim>,
}

#[function_component(SourcePanel)]
pub fn source_panel(props: &Props) -> Html {
    let panel = use_reducer(|| Panel::from_fragment(&browser::fragment::current()));
    let open = use_state(|| panel.touched);
    let sim = &props.sim;
    let host_lines = detect::to_lines(&sim.env());
    let text = panel.text.clone().unwrap_or_else(|| host_lines.clone());
    // Detection runs in the on-demand engine (ui::engine), asked only once the panel is open
    // or used.
    let query = (*open || panel.touched).then(|| {
        Query::Sources(SourceQuery {
            env_text: text.clone(),
            sdk: panel.sdk,
            options: panel.options(),
            world_headers: sim
                .world
                .computes
                .iter()
                .map(|c| c.identity_header.clone())
                .collect(),
            now: sim.world.now,
            situation: panel.situation.clone(),
        })
    });
    let answered = use_answer(query);
    let report = answered.answer.clone().filter(|r| r.kind() == "sources");
    let link_text = report
        .as_ref()
        .and_then(|r| r.opt_text("link_text").map(str::to_string));

    // The address bar follows the panel once it has been used: the environment only when the
    // user typed one (else it is the host's), its pasted secrets withheld.
    {
        let panel = (*panel).clone();
        let env = panel.text.as_ref().and(link_text);
        use_effect_with((panel, env), |(panel, env)| {
            if panel.touched {
                let mut f = browser::fragment::current();
                panel.write(&mut f, env.as_deref());
                browser::fragment::replace(&f);
            }
        });
    }

    let dispatch = |make: fn(String) -> Msg| {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(make(browser::event_value(&e))))
    };
    let oninput = {
        let panel = panel.clone();
        Callback::from(move |e: InputEvent| {
            panel.dispatch(Msg::Text(browser::event_value(&e)));
        })
    };
    let onsdk = {
        let panel = panel.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = DetectSdk::from_code(&browser::event_value(&e)) {
                panel.dispatch(Msg::Sdk(s));
            }
        })
    };
    let oncred = {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(Msg::Dac(browser::event_value(&e) == "dac")))
    };
    let onarc = {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(Msg::ArcAgent(browser::event_checked(&e))))
    };
    // [code, label, NAME=value lines]
    let examples = report
        .as_ref()
        .map(|r| r.rows("examples"))
        .unwrap_or_default();
    let onexample = {
        let panel = panel.clone();
        let examples = examples.clone();
        Callback::from(move |e: Event| {
            let code = browser::event_value(&e);
            if let Some([_, _, lines]) = examples
                .iter()
                .find(|x| x.first() == Some(&code))
                .map(Vec::as_slice)
            {
                panel.dispatch(Msg::Text(lines.clone()));
            }
        })
    };
    let onhost = {
        let panel = panel.clone();
        Callback::from(move |_: MouseEvent| panel.dispatch(Msg::UseHost))
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let is_open = e
                .target_dyn_into::<web_sys::HtmlDetailsElement>()
                .is_some_and(|d| d.open());
            open.set(is_open);
        })
    };

    let share = {
        let mut f = browser::fragment::current();
        let exact = report
            .as_ref()
            .map(|r| r.text("relevant_lines"))
            .unwrap_or_default();
        panel.write(&mut f, panel.text.as_ref().map(|_| exact));
        format!("{}{}", browser::page_base_url(), f.to_hash())
    };
    // [code, label] of the situations the chosen source's simulated answer can show.
    let situations = report
        .as_ref()
        .map(|r| r.rows("situations"))
        .unwrap_or_default();
    let onsituation = dispatch(Msg::Situation);
    let withheld = report
        .as_ref()
        .map(|r| r.texts("withheld"))
        .unwrap_or_default();
    let credential = panel.text.is_some() && !withheld.is_empty();
    let note = if credential {
        "The link contains the variables exactly as pasted, secrets included: share it only where you would share them."
    } else {
        "The link reproduces this panel: the environment (only the variables the SDKs read), the SDK and the credential."
    };
    let host_name = sim.host.clone();

    html! {
        <details class="card imds-source" data-testid="source-panel" open={*open} {ontoggle}>
            <summary><h2 id="imds-source-title">{ "Which source will my code use?" }</h2></summary>
            <p class="muted">{ "Paste the output of env, printenv, set or PowerShell's Get-ChildItem env: from where your code runs \
                                 (or NAME=value lines). Each Azure SDK reads a few of these variables, in its own order, to decide \
                                 where to ask for a token. Nothing leaves your browser." }</p>
            <div class="imds-request-text">
                <label for="source-env">{ "Environment variables" }</label>
                <textarea id="source-env" data-testid="source-env" rows="7" spellcheck="false"
                    autocomplete="off" value={text.clone()} {oninput} />
            </div>
            <div class="actions">
                <label for="source-example">{ "Example" }</label>
                <select id="source-example" onchange={onexample}>
                    <option value="" selected=true>{ "Load an example environment…" }</option>
                    { for examples.iter().filter_map(|x| match x.as_slice() {
                        [code, label, _] => Some(html! { <option value={code.clone()}>{ label.clone() }</option> }),
                        _ => None,
                    }) }
                </select>
                if panel.text.is_some() {
                    <button type="button" class="secondary small" onclick={onhost}>
                        { format!("Use {host_name}'s environment") }
                    </button>
                } else {
                    <span class="muted small">{ format!("Showing {host_name}'s environment (pick another host above).") }</span>
                }
            </div>
            if let Some(r) = &report { <EngineView nodes={r.list("env_view").to_vec()} /> }
            if credential {
                <p class="notice warn small" data-testid="source-withheld">
                    { format!("Kept out of the address bar: the value of {} (it may be a real secret).", withheld.join(", ")) }
                </p>
            }
            <div class="imds-field">
                <label for="source-sdk">{ "SDK" }</label>
                <select id="source-sdk" data-testid="source-sdk" onchange={onsdk}>
                    { for DetectSdk::ALL.iter().map(|s| html! {
                        <option value={s.code()} selected={*s == panel.sdk}>{ s.label() }</option>
                    }) }
                </select>
            </div>
            <div class="imds-field">
                <label for="source-cred">{ "Credential" }</label>
                <select id="source-cred" onchange={oncred}>
                    <option value="mi" selected={!panel.dac}>{ "ManagedIdentityCredential()" }</option>
                    <option value="dac" selected={panel.dac}>{ "DefaultAzureCredential()" }</option>
                </select>
            </div>
            <div class="imds-field">
                <label for="source-cid">{ "Client id (optional)" }</label>
                <input type="text" id="source-cid" value={panel.client_id.clone()} spellcheck="false"
                    placeholder="a user-assigned identity's client id" onchange={dispatch(Msg::ClientId)} />
            </div>
            <div class="imds-field">
                <input type="checkbox" id="source-arc" checked={panel.arc_agent} onchange={onarc} />
                <label for="source-arc">{ "The Azure Arc agent is installed (a file, not a variable)" }</label>
            </div>
            { match &answered.answer {
                Some(r) if r.kind() == "sources" => html! {
                    <div aria-busy={answered.waiting.to_string()}>
                        <EngineView nodes={r.list("view").to_vec()} />
                        if !r.list("answer_view").is_empty() {
                            <h3>{ "What it gets back (simulated)" }</h3>
                        }
                        if !situations.is_empty() {
                            <div class="imds-field">
                                <label for="source-situation">{ "The endpoint's side" }</label>
                                <select id="source-situation" data-testid="source-situation" onchange={onsituation.clone()}>
                                    { for situations.iter().filter_map(|x| match x.as_slice() {
                                        [code, label] => Some(html! {
                                            <option value={code.clone()} selected={code == r.text("situation")}>{ label.clone() }</option>
                                        }),
                                        _ => None,
                                    }) }
                                </select>
                            </div>
                        }
                        <EngineView nodes={r.list("answer_view").to_vec()} />
                    </div>
                },
                Some(r) => html! {
                    <p class="notice warn" role="alert" data-testid="engine-failed">{ r.text("message").to_string() }</p>
                },
                _ if *open || panel.touched => html! {
                    <p class="muted" role="status" data-testid="engine-loading">{ "Loading the detection rules…" }</p>
                },
                _ => html! {},
            } }
            <ShareButton link={share} {note} {credential} />
        </details>
    }
}
