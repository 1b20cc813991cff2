//! What the "Which source will my code use?" panel shows, as element trees (see
//! [`crate::view`]): remarks on the pasted environment; the SDK's detection order with the rule
//! that fired, the chosen source, notes and the first request; where the SDKs disagree.

use crate::endpoint::detect::{Aspect, Detection, Disagreement, Level, ParsedEnv};
use crate::teach::count;
use crate::view::{badge, code_block, el, Node};

/// How many variables were read, lines ignored, and the reader's remarks.
pub fn env_view(parsed: &ParsedEnv) -> Vec<Node> {
    let mut summary = count(parsed.vars.len(), "variable", "variables") + " read";
    if parsed.ignored_lines > 0 {
        summary.push_str(&format!(
            ", {} ignored",
            count(parsed.ignored_lines, "line", "lines")
        ));
    }
    summary.push('.');
    let mut out: Vec<Node> = vec![el("p")
        .class("muted small")
        .id("env-summary")
        .text(summary)
        .into()];
    if !parsed.notes.is_empty() {
        out.push(
            el("ul")
                .class("imds-notes")
                .id("env-notes")
                .children(parsed.notes.iter().map(|n| {
                    let li = el("li").text(n.message.as_str());
                    if n.level == Level::Warning {
                        li.class("warn-text")
                    } else {
                        li
                    }
                }))
                .into(),
        );
    }
    out
}

/// The detection order, the chosen source, notes, the request; then the disagreements.
pub fn detection_view(d: &Detection, disagreements: &[Disagreement]) -> Vec<Node> {
    let mut out: Vec<Node> = vec![
        el("h3")
            .text(format!("Detection order — {}", d.sdk.label()))
            .into(),
        el("ol")
            .class("source-rules")
            .id("detection-order")
            .children(d.rules.iter().map(|r| {
                let mut li = el("li");
                if r.fired {
                    li = li.class("fired").attr("aria-current", "step");
                }
                li.id("rule")
                    .attr("data-fired", r.fired.to_string())
                    .child(
                        el("span")
                            .class("muted small")
                            .text(format!("{}: ", r.credential)),
                    )
                    .text(format!("{} → ", r.text))
                    .child(el("strong").text(r.source_if_fired.code()))
                    .text(" ")
                    .child(badge(r.certainty, Some(r.reference)))
                    .children(r.fired.then(|| {
                        el("span")
                            .class("visually-hidden")
                            .text(" (this rule decides)")
                    }))
            }))
            .into(),
        el("p")
            .class("source-chosen")
            .id("chosen-source")
            .attr("data-source", d.chosen.code())
            .text("Source: ")
            .child(el("strong").text(d.chosen.label()))
            .into(),
    ];
    if !d.notes.is_empty() {
        out.push(
            el("ul")
                .class("imds-notes")
                .id("source-notes")
                .children(d.notes.iter().map(|n| {
                    el("li")
                        .child(badge(n.certainty, Some(n.reference)))
                        .child(el("span").class("wrap-anywhere").text(n.text.as_str()))
                }))
                .into(),
        );
    }
    out.push(match &d.request {
        Some(r) => code_block("The first request it sends", &r.to_text(), "source-request").into(),
        None => el("p")
            .id("source-request-none")
            .text("It sends no token request.")
            .into(),
    });
    out.extend(disagreement_view(disagreements));
    out
}

fn disagreement_view(list: &[Disagreement]) -> Vec<Node> {
    if list.is_empty() {
        return vec![el("p")
            .id("disagreements-none")
            .text("All four SDKs pick the same source and send the same kind of request for this environment.")
            .into()];
    }
    let mut out: Vec<Node> = vec![el("h3").text("Where the SDKs disagree").into()];
    for d in list {
        let aspect = match d.aspect {
            Aspect::Source => "different sources",
            Aspect::Request => "same source, different requests",
        };
        out.push(
            el("div")
                .class("table-scroll")
                .child(
                    el("table")
                        .class("imds-sdk")
                        .id("disagreements")
                        .child(el("caption").text(format!("{} — {aspect}", d.credential.label())))
                        .child(
                            el("thead").child(
                                el("tr")
                                    .child(el("th").attr("scope", "col").text("SDK"))
                                    .child(el("th").attr("scope", "col").text("Source"))
                                    .child(el("th").attr("scope", "col").text("First request")),
                            ),
                        )
                        .child(el("tbody").children(d.per_sdk.iter().map(
                            |(sdk, source, gist)| {
                                el("tr")
                                    .attr("data-sdk", sdk.code())
                                    .child(el("th").attr("scope", "row").text(sdk.name()))
                                    .child(
                                        el("td")
                                            .attr("data-source", source.code())
                                            .text(source.code()),
                                    )
                                    .child(
                                        el("td").class("small wrap-anywhere").text(gist.as_str()),
                                    )
                            },
                        ))),
                )
                .into(),
        );
    }
    out
}
