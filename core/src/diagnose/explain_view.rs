//! What the troubleshoot page shows for an [`Explanation`], as an element tree (see
//! [`crate::view`]): the cause with its badge, explanation, fix and simulator link; the other
//! candidates; the values the text names, linked to the decoder; what matched.

use crate::fragment::Fragment;
use crate::token::samples::{self, LinkPolicy};
use crate::troubleshoot::{reproduce, Cause, Entry, Explanation, Extracted};
use crate::view::{badge, code_block, el, legend, El, Node};

/// Whether a token may be a live credential (anything not minted with the playground's demo
/// key): such a token goes to the decoder in memory, never in a link.
pub fn is_credential(token: &str) -> bool {
    matches!(
        samples::link_policy(&crate::token::read(token, 0)),
        LinkPolicy::Credential | LinkPolicy::TooLarge
    )
}

/// The page's result area.
pub fn view(ex: &Explanation) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    if ex.is_token {
        let offer = el("p")
            .class("notice")
            .id("token-offer")
            .text("This is a token, not an error message. ")
            .maybe(
                longest_token(&ex.extracted)
                    .map(|t| decoder_link(t, "Open it in the token decoder")),
            );
        out.push(offer.into());
    }
    if ex.truncated {
        out.push(
            el("p")
                .class("notice warn small")
                .text("The text is over 4 MiB: only its first 4 MiB were read.")
                .into(),
        );
    }
    out.push(cause_card(ex).into());
    if !ex.candidates.is_empty() {
        out.push(
            el("section")
                .class("card")
                .attr("aria-labelledby", "candidates-title")
                .id("candidates")
                .child(
                    el("h2")
                        .attr("id", "candidates-title")
                        .text("It could also be"),
                )
                .child(
                    el("ul")
                        .class("candidates")
                        .children(ex.candidates.iter().map(|c| {
                            el("li")
                                .id("candidate")
                                .attr("data-cause", c.cause.id())
                                .child(el("strong").text(c.cause.title()))
                                .text(" ")
                                .child(el("code").class("cause-id").text(c.cause.id()))
                                .child(el("p").class("small").text(c.why.as_str()))
                                .child(
                                    el("p")
                                        .class("small")
                                        .child(el("strong").text("Check: "))
                                        .text(c.check),
                                )
                        })),
                )
                .into(),
        );
    }
    if let Some(x) = extracted(&ex.extracted) {
        out.push(x.into());
    }
    if !ex.matched.is_empty() {
        out.push(
            el("details")
                .class("card matched")
                .id("matched")
                .child(el("summary").text(format!("What matched ({})", ex.matched.len())))
                .child(el("ul").children(ex.entries().map(|e| {
                    el("li")
                        .id("matched-entry")
                        .attr("data-entry", e.id)
                        .child(entry_badge(e))
                        .text(" ")
                        .child(el("strong").text(e.emitter))
                        .text(format!(" — means {}", e.cause.id()))
                        .children(exception(e))
                        .child(el("br"))
                        .child(el("span").class("muted small").text(format!(
                            "\"{}\" · {}",
                            e.all.join("\" + \""),
                            e.source
                        )))
                })))
                .into(),
        );
    }
    out.push(legend().into());
    out
}

fn cause_card(ex: &Explanation) -> El {
    let cause = ex.top;
    let not_identity = ex.not_identity();
    let shown = ex.top_entry().or(not_identity);
    let title = if not_identity.is_some() {
        "Not an identity problem"
    } else {
        cause.title()
    };
    let fix = ex.fix();
    let mut card = el("section")
        .class("card error-cause")
        .id("error-cause")
        .attr("data-cause", cause.id())
        .attr("aria-labelledby", "cause-title")
        .child(
            el("h2")
                .attr("id", "cause-title")
                .child(el("span").id("cause-title").text(title))
                .text(" ")
                .child(el("code").class("cause-id").text(cause.id()))
                .text(" ")
                .maybe(shown.map(entry_badge)),
        );
    if not_identity.is_none() {
        card = card.child(el("p").id("cause-explanation").text(cause.explanation()));
    }
    if cause == Cause::Unknown {
        card = card.child(
            el("p")
                .class("note")
                .id("unknown-hint")
                .text(ex.suggestion()),
        );
    }
    if let Some(e) = shown {
        card = card.child(
            el("p")
                .class("small")
                .id("recognised")
                .text("Recognised: ")
                .child(el("strong").text(e.emitter))
                .children(exception(e)),
        );
    }
    if !fix.is_empty() {
        card = card.child(code_block("How to fix it", &fix, "fix"));
    }
    match reproduce(cause) {
        Some(r) => card.child(
            el("p")
                .id("reproduce")
                .text("See it happen: ")
                .child(
                    el("a")
                        .attr("href", r.link)
                        .id("reproduce-link")
                        .text(r.label),
                )
                .text(" (opens the simulator)"),
        ),
        None if cause == Cause::SqlUserMissing => card.child(
            el("p")
                .class("small")
                .id("no-reproduce")
                .text("The simulator has no SQL sign-in to show this; the tour's ")
                .child(el("a").attr("href", "#/?step=5&sql=user").text("SQL step"))
                .text(" writes the CREATE USER for an identity."),
        ),
        None => card,
    }
}

/// ` · <code>Exception</code>` when the entry names one.
fn exception(e: &Entry) -> Vec<Node> {
    if e.exception.is_empty() {
        return Vec::new();
    }
    vec![" · ".into(), el("code").text(e.exception).into()]
}

fn entry_badge(e: &Entry) -> El {
    badge(e.certainty, Some(e.source))
}

fn longest_token(x: &Extracted) -> Option<&str> {
    x.tokens.iter().max_by_key(|t| t.len()).map(String::as_str)
}

/// Opens the decoder with a token. A token minted with the demo key is a plain link; any other
/// may be a live credential, so it is a button the page answers by handing the token over in
/// memory (`data-action="open-decoder"`), never through the address bar.
fn decoder_link(token: &str, label: &str) -> El {
    if !is_credential(token) {
        let f = Fragment {
            path: "/decoder".into(),
            params: vec![("token".into(), token.to_string())],
        };
        return el("a")
            .attr("href", f.to_hash())
            .id("open-decoder")
            .text(label);
    }
    el("button")
        .attr("type", "button")
        .class("small")
        .id("open-decoder")
        .attr("data-action", "open-decoder")
        .attr("data-token", token)
        .text(label)
}

/// "see the token's oid", for a claim name.
fn decoder_label(claim: &str) -> String {
    format!("see the token's {claim}")
}

/// The values the text names, each list under its own test id.
fn extracted(x: &Extracted) -> Option<El> {
    if x.is_empty() {
        return None;
    }
    // Ids link to the decoder: to the token in the text when there is one (where the id is a
    // claim), else to a sample token that shows which claim holds such an id.
    let token = longest_token(x);
    let row = |label: &str, id: &str, values: &[String]| -> Option<El> {
        if values.is_empty() {
            return None;
        }
        let claim = match id {
            "object-ids" => Some("oid"),
            "client-ids" => Some("appid"),
            "tenant-ids" => Some("tid"),
            "resources" | "assertion-audience" => Some("aud"),
            "assertion-issuer" => Some("iss"),
            "assertion-subject" => Some("sub"),
            _ => None,
        };
        let sample_link = |c: &str| {
            el("a")
                .attr("href", "#/decoder?sample=user")
                .id("id-decoder-link")
                .attr("data-claim", c)
                .text(format!("where a token holds it ({c})"))
        };
        let link = match (claim, token) {
            (Some(c), Some(t)) => Some(decoder_link(t, &decoder_label(c))),
            // The sample is a managed identity's token: it shows oid, appid, tid and aud, not
            // a federated assertion's issuer and subject.
            (Some(c @ ("oid" | "appid" | "tid")), None) => Some(sample_link(c)),
            (Some("aud"), None) if id == "resources" => Some(sample_link("aud")),
            _ => None,
        };
        Some(
            el("div").class("kv").child(el("dt").text(label)).child(
                el("dd")
                    .id(format!("extracted-{id}"))
                    .children(values.iter().map(|v| {
                        el("code")
                            .class("wrap-anywhere extracted-value")
                            .text(v.as_str())
                    }))
                    .children(link.map(|l| el("span").class("small").text(" ").child(l))),
            ),
        )
    };
    let a = &x.assertion;
    let one = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
    let rows = [
        row("Object (principal) ids", "object-ids", &x.object_ids),
        row("Client ids", "client-ids", &x.client_ids),
        row("Tenants", "tenant-ids", &x.tenant_ids),
        row("Resources (audiences)", "resources", &x.resources),
        row("Scopes", "scopes", &x.scopes),
        row("Roles and denied actions", "roles", &x.roles),
        row("ARM resource ids", "resource-ids", &x.resource_ids),
        row("Identity selectors sent", "selectors", &x.selectors),
        row("Assertion issuer", "assertion-issuer", &one(&a.issuer)),
        row("Assertion subject", "assertion-subject", &one(&a.subject)),
        row(
            "Assertion audience",
            "assertion-audience",
            &one(&a.audience),
        ),
    ];
    let tokens = (!x.tokens.is_empty()).then(|| {
        el("div").class("kv").child(el("dt").text("Tokens")).child(
            el("dd")
                .id("extracted-tokens")
                .children(x.tokens.iter().map(|t| {
                    el("div")
                        .class("extracted-token")
                        .child(
                            el("code")
                                .class("wrap-anywhere")
                                .text(format!("{}…", t.chars().take(24).collect::<String>())),
                        )
                        .text(" ")
                        .child(decoder_link(t, "Open in the decoder"))
                })),
        )
    });
    Some(
        el("section")
            .class("card")
            .attr("aria-labelledby", "extracted-title")
            .id("extracted")
            .child(
                el("h2")
                    .attr("id", "extracted-title")
                    .text("What the text names"),
            )
            .child(
                el("dl")
                    .class("kv-list")
                    .children(rows.into_iter().flatten())
                    .maybe(tokens),
            ),
    )
}
