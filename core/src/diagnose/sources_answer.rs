//! "What it gets back": the simulated answer of the source an SDK picked, for the sources the
//! simulated world does not host (Service Fabric, Azure Machine Learning, Cloud Shell, AKS
//! workload identity; see [`crate::endpoint::sources`]). The endpoint's side is built from the
//! pasted environment (its secret, client id and tenant) plus a situation the reader picks: all
//! is well, or one thing is wrong (no identity, a wrong secret, the pod moved to another
//! namespace).

use crate::endpoint::detect::{Detection, Source};
use crate::endpoint::sources::{self, federated, workload_identity, Context};
use crate::fragment::Fragment;
use crate::view::{badge, code_block, el, Node};

/// The situations the reader can pick for a source: `(code, label)`, the first is the default.
pub fn situations(source: Source) -> &'static [(&'static str, &'static str)] {
    match source {
        Source::ServiceFabric | Source::AzureMl => &[
            ("ok", "An identity is assigned and the secret matches"),
            ("no-identity", "No identity is assigned to the application"),
            ("wrong-secret", "The secret header is not the endpoint's"),
        ],
        Source::CloudShell => &[("ok", "A user is signed in to Cloud Shell")],
        Source::WorkloadIdentity => &[
            (
                "ok",
                "The identity has a federated credential for this service account",
            ),
            (
                "namespace-changed",
                "The pod now runs in another namespace (the credential names the old one)",
            ),
        ],
        _ => &[],
    }
}

/// The situation answered for `requested`: it when the source has it, else the source's first
/// ("" when the page's simulator answers the source).
pub fn effective(source: Source, requested: &str) -> &'static str {
    let all = situations(source);
    all.iter()
        .find(|(c, _)| *c == requested)
        .or(all.first())
        .map_or("", |(c, _)| *c)
}

/// The endpoint's side for `env` and `situation` at `now`.
pub fn context(env: &[(String, String)], source: Source, situation: &str, now: u64) -> Context {
    let get = |name: &str| {
        env.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut ctx = Context::example(now);
    let secret_var = if source == Source::AzureMl {
        "MSI_SECRET"
    } else {
        "IDENTITY_HEADER"
    };
    if let Some(s) = get(secret_var) {
        ctx.secret = s;
    }
    if let Some(t) = get("AZURE_TENANT_ID") {
        ctx.tenant_id = t;
    }
    if let (Some(c), Some(u)) = (get("AZURE_CLIENT_ID"), ctx.user_assigned.first_mut()) {
        u.client_id = c;
    }
    match situation {
        "no-identity" => {
            ctx.system_assigned = None;
            ctx.user_assigned.clear();
        }
        "wrong-secret" => ctx.secret = format!("{}-rotated", ctx.secret),
        "namespace-changed" => {
            // The credential was made for the old namespace; the pod's token names the new one.
            ctx.cluster.namespace = format!("{}-v2", ctx.cluster.namespace);
        }
        _ => {}
    }
    ctx
}

/// The view: the situation, the raw response, its notes; for workload identity also the
/// projected token and the federated credential as `az` and Bicep.
pub fn view(d: &Detection, env: &[(String, String)], situation: &str, now: u64) -> Vec<Node> {
    let Some(request) = &d.request else {
        return Vec::new();
    };
    // The page titles this view ("What it gets back") and puts the situation picker under it.
    if situations(d.chosen).is_empty() {
        return vec![
            el("p")
                .id("source-response-elsewhere")
                .text(format!(
                    "{} is simulated above: pick a host in \"Send from\" and send the request to see its exact answer.",
                    d.chosen.label()
                ))
                .into(),
        ];
    }
    let situation = effective(d.chosen, situation);
    let ctx = context(env, d.chosen, situation, now);
    let mut out: Vec<Node> = Vec::new();
    if d.chosen == Source::WorkloadIdentity {
        let projected = workload_identity::projected_token(&ctx);
        let mut f = Fragment::parse("#/decoder");
        f.set("token", &projected.jwt);
        out.push(
            el("p")
                .id("projected-token")
                .text(format!(
                    "Kubernetes projects a service-account token into the pod (the file AZURE_FEDERATED_TOKEN_FILE names): issuer {}, subject {}, audience api://AzureADTokenExchange. ",
                    ctx.cluster.issuer,
                    federated::subject_of(&ctx.cluster.namespace, &ctx.cluster.service_account)
                ))
                .child(
                    el("a")
                        .attr("href", f.to_hash())
                        .id("projected-token-link")
                        .text("Open it in the decoder"),
                )
                .into(),
        );
        if let Some(u) = Context::example(now).user_assigned.first() {
            if let Some(fic) = u.federated_credentials.first() {
                out.push(
                    el("details")
                        .id("federated-credential")
                        .child(el("summary").text(format!(
                            "The federated credential on {} (az, Bicep)",
                            u.name
                        )))
                        .child(code_block(
                            "Azure CLI",
                            &fic.az_create(&u.name, "rg-orders"),
                            "federated-az",
                        ))
                        .child(code_block("Bicep", &fic.bicep(&u.name), "federated-bicep"))
                        .into(),
                );
            }
        }
    }
    match sources::answer(d.chosen, request, &ctx) {
        Ok(a) => {
            let status = a.response.status;
            out.push(
                el("p")
                    .class("source-status")
                    .id("source-status")
                    .attr("data-status", status.to_string())
                    .child(el("strong").text(format!("HTTP {status}")))
                    .text(match a.client_id.as_deref() {
                        Some(c) if status == 200 => format!(" — a token for the identity with client id {c}"),
                        None if status == 200 => " — a token for the signed-in user".to_string(),
                        _ => " — no token".to_string(),
                    })
                    .into(),
            );
            out.push(code_block("The response", &a.wire(), "source-response").into());
            if !a.notes.is_empty() {
                out.push(
                    el("ul")
                        .class("imds-notes")
                        .id("source-response-notes")
                        .children(a.notes.iter().map(|n| {
                            el("li")
                                .child(badge(n.certainty, None))
                                .child(el("span").class("wrap-anywhere").text(n.text.as_str()))
                        }))
                        .into(),
                );
            }
        }
        Err(e) => out.push(
            el("p")
                .class("notice warn")
                .id("source-response-none")
                .text(match e {
                    sources::NoAnswer::BadUrl(why) => format!(
                        "No simulated answer: the endpoint in the environment is no URL the client could call ({why})."
                    ),
                    sources::NoAnswer::NotThisModule(s) => {
                        format!("No simulated answer for {} here.", s.label())
                    }
                })
                .into(),
        ),
    }
    out
}
