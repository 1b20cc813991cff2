//! Embeds for blog posts: what each page offers to embed, the embed URL of each choice, and
//! the snippet a blog author pastes. Pure: the page passes its address and current fragment.
//!
//! An embed shows one widget, not the page: a lane at a step, the comparison table, the sandbox
//! with a world, one IMDS scenario, the decoder with a sample, a tour step. What the reader of
//! the post must not see is left out: a pasted token, a pasted error text, and the world's
//! start time (each reader's simulated world starts at their own clock).

use crate::fragment::{Fragment, Theme, START_PARAM};
use crate::text::xml_escape;

/// One thing a page can embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedChoice {
    /// Stable id for the UI and tests, e.g. `lane`, `comparison`, `sandbox`.
    pub id: &'static str,
    /// "The system-assigned lane at step 8".
    pub label: String,
    /// What the post's reader will see and be able to do.
    pub note: String,
    /// The widget's state, without `embed=1` or a theme (see [`embed_fragment`]).
    pub fragment: Fragment,
}

/// Parameters that hold what a visitor pasted: never carried into an embed.
const PRIVATE: [&str; 3] = ["token", "compare", "text"];

fn keep(current: &Fragment, path: &str, keys: &[&str]) -> Fragment {
    let mut f = Fragment {
        path: path.to_string(),
        params: Vec::new(),
    };
    for k in keys {
        if let Some(v) = current.get(k) {
            f.set(k, v);
        }
    }
    f
}

fn lane_label(code: &str) -> &'static str {
    match code {
        "user" => "user-assigned",
        "workload" => "workload identity",
        _ => "system-assigned",
    }
}

/// What the page at `current.path` can embed, in the state `current` describes; the first is
/// the default.
pub fn choices(current: &Fragment) -> Vec<EmbedChoice> {
    let path = current.path.trim_end_matches('/');
    match path {
        "/flows" => {
            let lane = current.get("lane").unwrap_or("system");
            let lane = crate::flows::Lane::from_code(lane)
                .unwrap_or(crate::flows::Lane::System)
                .code();
            let step = current
                .get(lane)
                .and_then(|s| s.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .max(1);
            let mut lane_f = keep(current, "/flows", &[]);
            lane_f.set("lane", lane);
            lane_f.set(lane, &step.to_string());
            let mut cmp = keep(current, "/flows", &[]);
            cmp.set("view", "comparison");
            let mut sb = keep(current, "/flows", &["sandbox", "seed"]);
            // An empty world stays empty (no `sandbox=` at all opens the default world).
            if current.get("sandbox") == Some("") {
                sb.params.push(("sandbox".into(), String::new()));
            }
            sb.set("view", "sandbox");
            vec![
                EmbedChoice {
                    id: "lane",
                    label: format!("The {} lane at step {step}", lane_label(lane)),
                    note: "One lane: the reader steps through it with Previous / Next, starting at this step."
                        .into(),
                    fragment: lane_f,
                },
                EmbedChoice {
                    id: "comparison",
                    label: "The comparison table".into(),
                    note: "System- vs user-assigned, row by row; each row opens the step that shows it in the full playground."
                        .into(),
                    fragment: cmp,
                },
                EmbedChoice {
                    id: "sandbox",
                    label: "The sandbox with this world".into(),
                    note: "The diagram and the actions: the reader can change the world; nothing they do reaches your page."
                        .into(),
                    fragment: sb,
                },
            ]
        }
        "/imds" => vec![EmbedChoice {
            id: "scenario",
            label: "This IMDS scenario".into(),
            note: "The request, who answered and why; the reader can change the request and see the new answer. The raw bytes are one click away."
                .into(),
            fragment: keep(current, "/imds", &["host", "req", "scenario", "faults"]),
        }],
        "/decoder" => {
            let mut out = Vec::new();
            if current.get("sample").is_some() {
                out.push(EmbedChoice {
                    id: "sample",
                    label: "The decoder with this sample token".into(),
                    note: "The sample's summary; readers can paste their own token — it stays in their browser."
                        .into(),
                    fragment: keep(current, "/decoder", &["sample", "compare_sample"]),
                });
            }
            out.push(EmbedChoice {
                id: "decoder",
                label: "The decoder, empty".into(),
                note: "A paste box: readers decode their own tokens in their browser. A token you pasted is never part of an embed."
                    .into(),
                fragment: keep(current, "/decoder", &[]),
            });
            out
        }
        "/troubleshoot" => vec![EmbedChoice {
            id: "troubleshoot",
            label: "The error explainer, empty".into(),
            note: "Readers paste their own error message. Text you pasted is never part of an embed.".into(),
            fragment: keep(current, "/troubleshoot", &[]),
        }],
        _ => {
            let step = current.get("step").unwrap_or("1");
            let f = keep(
                current,
                "/",
                &["step", "sql", "name", "lang", "client_id"],
            );
            vec![EmbedChoice {
                id: "tour-step",
                label: format!("Tour step {step}"),
                note: "One step of the tour with its live widget.".into(),
                fragment: f,
            }]
        }
    }
}

/// Whether `current` holds something the visitor pasted, which no embed carries (the builder
/// says it was left out).
pub fn holds_pasted(current: &Fragment) -> bool {
    PRIVATE
        .iter()
        .any(|k| current.get(k).is_some_and(|v| !v.is_empty()))
}

/// The full playground's state for what an embed shows: the same fragment without `embed=1`
/// and the forced theme (links out of an embed open this in a new tab).
pub fn full_fragment(embedded: &Fragment) -> Fragment {
    let mut f = embedded.clone();
    f.set("embed", "");
    f.set("theme", "");
    f
}

/// The fragment an iframe loads: the choice's state plus `embed=1` and the theme (none for
/// automatic). Never a start time or anything pasted.
pub fn embed_fragment(choice: &EmbedChoice, theme: Theme) -> Fragment {
    let mut f = choice.fragment.clone();
    for k in PRIVATE.iter().chain(&[START_PARAM, "embed", "theme"]) {
        f.set(k, "");
    }
    f.set("embed", "1");
    if theme != Theme::Auto {
        f.set("theme", theme.as_str());
    }
    f
}

/// The page address without its fragment, and the folder `embed.js` is served from.
fn base_and_dir(base_url: &str) -> (&str, &str) {
    let base = base_url.split('#').next().unwrap_or_default();
    let dir = match base.rfind('/') {
        Some(i) => base.get(..=i).unwrap_or(base),
        None => base,
    };
    (base, dir)
}

/// The iframe's `src` for `fragment` on the app served at `base_url`.
pub fn embed_url(base_url: &str, fragment: &Fragment) -> String {
    format!("{}{}", base_and_dir(base_url).0, fragment.to_hash())
}

/// The snippet to paste: an iframe (clipboard writes allowed, so its Copy buttons work) and
/// the host script that sizes it. `max_height` caps the height (the widget then scrolls).
pub fn snippet(
    base_url: &str,
    fragment: &Fragment,
    title: &str,
    max_height: Option<u32>,
) -> String {
    let (_, dir) = base_and_dir(base_url);
    let initial = max_height.map_or(480, |m| m.min(480));
    let cap = max_height
        .map(|m| format!(" data-max-height=\"{m}\""))
        .unwrap_or_default();
    format!(
        "<iframe data-mi-playground{cap} src=\"{src}\" title=\"{title}\" loading=\"lazy\" \
         allow=\"clipboard-write\" style=\"width:100%;border:0;height:{initial}px\"></iframe>\n\
         <script src=\"{script}\" defer></script>",
        src = xml_escape(&embed_url(base_url, fragment)),
        title = xml_escape(title),
        script = xml_escape(&format!("{dir}embed.js")),
    )
}

/// Smallest height cap an author may set; below it a widget cannot show its first lines.
pub const MIN_MAX_HEIGHT: u32 = 200;

/// Reads the author's height cap for a snippet: empty is "no cap"; otherwise a whole number of
/// pixels (a trailing `px` is fine) of at least [`MIN_MAX_HEIGHT`], or a message saying how
/// to fix it.
pub fn parse_max_height(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.trim_end_matches("px").trim().parse::<u32>() {
        Ok(n) if n >= MIN_MAX_HEIGHT => Ok(Some(n)),
        Ok(_) => Err(format!(
            "A max height of {t} px is too small: use {MIN_MAX_HEIGHT} or more, or leave it empty."
        )),
        Err(_) => Err(format!(
            "\"{t}\" is not a height: type a whole number of pixels (e.g. 800), or leave it empty."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://blog.example/tools/mi/index.html";

    #[test]
    fn a_lane_embed_is_that_lane_at_its_step_without_the_start_time() {
        let f = Fragment::parse("#/flows?lane=user&system=3&user=5&t=1764547200");
        let c = choices(&f);
        assert_eq!(c[0].label, "The user-assigned lane at step 5");
        let e = embed_fragment(&c[0], Theme::Dark);
        assert_eq!(e.to_hash(), "#/flows?lane=user&user=5&embed=1&theme=dark");
        assert_eq!(
            embed_url(BASE, &e),
            "https://blog.example/tools/mi/index.html#/flows?lane=user&user=5&embed=1&theme=dark"
        );
        let cmp = embed_fragment(&c[1], Theme::Auto);
        assert_eq!(cmp.to_hash(), "#/flows?view=comparison&embed=1");
    }

    #[test]
    fn a_sandbox_embed_keeps_its_world_even_when_empty() {
        let sb = |hash: &str| {
            let c = choices(&Fragment::parse(hash));
            embed_fragment(&c[2], Theme::Auto).to_hash()
        };
        assert_eq!(
            sb("#/flows?sandbox=rg:g&t=5"),
            "#/flows?sandbox=rg:g&view=sandbox&embed=1"
        );
        // Empty stays empty; no list at all is the default world.
        assert_eq!(
            sb("#/flows?sandbox=&t=5"),
            "#/flows?sandbox=&view=sandbox&embed=1"
        );
        assert_eq!(sb("#/flows"), "#/flows?view=sandbox&embed=1");
    }

    #[test]
    fn pasted_things_never_reach_an_embed() {
        let f = Fragment::parse("#/decoder?token=eyJabc.def.ghi&compare=eyJx.y.z");
        let c = choices(&f);
        assert_eq!(c.len(), 1);
        assert_eq!(
            embed_fragment(&c[0], Theme::Auto).to_hash(),
            "#/decoder?embed=1"
        );
        let f = Fragment::parse("#/decoder?sample=user&compare_sample=system");
        assert_eq!(
            embed_fragment(&choices(&f)[0], Theme::Light).to_hash(),
            "#/decoder?sample=user&compare_sample=system&embed=1&theme=light"
        );
        let f = Fragment::parse("#/troubleshoot?text=secret%20stuff");
        assert_eq!(
            embed_fragment(&choices(&f)[0], Theme::Auto).to_hash(),
            "#/troubleshoot?embed=1"
        );
        let f = Fragment::parse("#/imds?host=vm-web&req=curl%20x&faults=429&t=5");
        assert_eq!(
            embed_fragment(&choices(&f)[0], Theme::Auto).to_hash(),
            "#/imds?host=vm-web&req=curl%20x&faults=429&embed=1"
        );
    }

    #[test]
    fn the_snippet_allows_copy_and_caps_the_height_when_asked() {
        let f = Fragment::parse("#/?step=2");
        let e = embed_fragment(&choices(&f)[0], Theme::Auto);
        assert_eq!(
            snippet(BASE, &e, "Managed Identity Playground — Tour", Some(700)),
            "<iframe data-mi-playground data-max-height=\"700\" src=\"https://blog.example/tools/mi/index.html#/?step=2&amp;embed=1\" title=\"Managed Identity Playground — Tour\" loading=\"lazy\" allow=\"clipboard-write\" style=\"width:100%;border:0;height:480px\"></iframe>\n<script src=\"https://blog.example/tools/mi/embed.js\" defer></script>"
        );
        assert!(snippet(BASE, &e, "t", Some(300)).contains("height:300px"));
        assert!(!snippet(BASE, &e, "t", None).contains("data-max-height"));
    }

    #[test]
    fn the_height_cap_is_read_with_a_clear_message() {
        assert_eq!(parse_max_height(""), Ok(None));
        assert_eq!(parse_max_height(" 800px "), Ok(Some(800)));
        assert!(parse_max_height("12").unwrap_err().contains("200 or more"));
        assert!(parse_max_height("tall")
            .unwrap_err()
            .contains("not a height"));
        assert!(parse_max_height("99999999999")
            .unwrap_err()
            .contains("not a height"));
    }

    #[test]
    fn pasted_text_is_noticed_and_links_out_of_an_embed_drop_embed_and_theme() {
        assert!(holds_pasted(&Fragment::parse("#/decoder?token=a.b.c")));
        assert!(!holds_pasted(&Fragment::parse(
            "#/decoder?token=&sample=user"
        )));
        let f = Fragment::parse("#/flows?lane=user&user=2&embed=1&theme=dark&t=5");
        assert_eq!(full_fragment(&f).to_hash(), "#/flows?lane=user&user=2&t=5");
    }
}
