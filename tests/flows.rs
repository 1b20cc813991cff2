//! Browser tests of the Flows page: the three guided lanes,
//! stepping back, deep links, the comparison links, and the sandbox with its diagram.
#![cfg(target_arch = "wasm32")]

use mi_core::flows::{lane, Lane};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

const SYSTEM: &str = "[data-testid=lane-system]";
const USER: &str = "[data-testid=lane-user]";

fn lane_text(app: &Mounted, scope: &str) -> String {
    app.query(scope).unwrap().text_content().unwrap_or_default()
}

/// What a lane shows: its text, and each element's test id, node id and change mark, in
/// document order (yew may reorder attributes when it patches, so raw HTML is not compared).
fn lane_html(app: &Mounted, scope: &str) -> String {
    let root = app.query(scope).unwrap();
    let mut out = root.text_content().unwrap_or_default();
    let all = root.query_selector_all("*").unwrap();
    for i in 0..all.length() {
        let Some(el) = all
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        for attr in ["data-testid", "data-node", "data-change", "class"] {
            if let Some(v) = el.get_attribute(attr) {
                out.push_str(&format!("|{attr}={v}"));
            }
        }
    }
    out
}

fn is_disabled(app: &Mounted, scope: &str, label: &str) -> bool {
    app.query_all(&format!("{scope} button"))
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .unwrap_or_else(|| panic!("no {label} in {scope}"))
        .has_attribute("disabled")
}

fn claim_changed(app: &Mounted, scope: &str, claim: &str) -> Option<bool> {
    let row = app.query(&format!(
        "{scope} [data-testid=claim-row][data-claim={claim}]"
    ))?;
    Some(row.get_attribute("data-changed").as_deref() == Some("true"))
}

fn count(app: &Mounted, selector: &str) -> usize {
    app.query_all(selector).len()
}

#[wasm_bindgen_test]
async fn system_lane_walk_recreation_gives_a_new_oid_403_then_the_fix_200() {
    let app = mount("#/flows").await;
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 1 of 9");
    assert_eq!(
        app.testid_in(SYSTEM, "step-title"),
        lane(Lane::System)[0].title
    );
    assert!(is_disabled(&app, SYSTEM, "Previous step"));
    assert_eq!(app.testid_in(SYSTEM, "token-oid"), "no token requested yet");
    let mut oids = Vec::new();
    let mut access = Vec::new();
    for i in 1..9 {
        app.click_button_in(SYSTEM, "Next step").await;
        assert_eq!(
            app.testid_in(SYSTEM, "step-counter"),
            format!("Step {} of 9", i + 1)
        );
        assert_eq!(
            app.testid_in(SYSTEM, "step-title"),
            lane(Lane::System)[i].title
        );
        // Focus moved to the new step's heading.
        assert_eq!(active_element_id(), "flows-system-step-title");
        oids.push(app.testid_in(SYSTEM, "token-oid"));
        access.push(app.testid_in(SYSTEM, "access-result"));
        // The other lane did not move.
        assert_eq!(app.testid_in(USER, "step-counter"), "Step 1 of 8");
    }
    assert!(is_disabled(&app, SYSTEM, "Next step"));
    // oids[k] / access[k] are steps k + 2 (1-based).
    let first = &oids[2]; // step 4: the first token
    assert_eq!(first.len(), 36, "{first}");
    assert!(access[3].starts_with("200"), "{}", access[3]); // step 5: read
    assert_eq!(&oids[3], first);
    let recreated = &oids[6]; // step 8: the new token
    assert_ne!(recreated, first, "recreation gives a new oid");
    assert!(access[6].starts_with("403"), "{}", access[6]);
    assert!(access[7].starts_with("200"), "{}", access[7]); // step 9: fixed
    assert_eq!(&oids[7], recreated);
    // The lane's deep link follows.
    let hash = current_hash();
    assert!(hash.contains("system=9"), "{hash}");
    assert!(hash.contains("lane=system"), "{hash}");
    // Step 8 highlighted the oid as changed against the first token.
    app.click_button_in(SYSTEM, "Previous step").await;
    assert_eq!(claim_changed(&app, SYSTEM, "oid"), Some(true));
    assert_eq!(claim_changed(&app, SYSTEM, "xms_mirid"), Some(false));
    app.unmount();
}

#[wasm_bindgen_test]
async fn system_lane_delete_shows_the_orphaned_assignment() {
    let app = mount("#/flows?lane=system&system=6").await;
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 6 of 9");
    let text = lane_text(&app, SYSTEM);
    assert!(text.contains("Identity not found"), "{text}");
    assert!(app
        .testid_in(SYSTEM, "identity-block")
        .contains("does not exist"));
    assert!(app.testid_in(SYSTEM, "az").contains("az webapp delete"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn user_lane_walk_same_oid_on_both_hosts_and_the_multiple_identities_error() {
    let app = mount("#/flows").await;
    assert_eq!(app.testid_in(USER, "step-counter"), "Step 1 of 8");
    let mut oids = Vec::new();
    let mut texts = Vec::new();
    for i in 1..8 {
        app.click_button_in(USER, "Next step").await;
        assert_eq!(app.testid_in(USER, "step-title"), lane(Lane::User)[i].title);
        assert_eq!(active_element_id(), "flows-user-step-title");
        oids.push(app.testid_in(USER, "token-oid"));
        texts.push(lane_text(&app, USER));
        if i == 4 {
            // Function App vs App Service: same oid and xms_mirid, another xms_az_rid.
            assert_eq!(claim_changed(&app, USER, "oid"), Some(false));
            assert_eq!(claim_changed(&app, USER, "xms_mirid"), Some(false));
            assert_eq!(claim_changed(&app, USER, "xms_az_rid"), Some(true));
            assert!(app.testid_in(USER, "access-result").starts_with("200"));
        }
        if i == 5 {
            // App Service deleted: the Function App still reads.
            assert!(app.testid_in(USER, "access-result").starts_with("200"));
        }
        if i == 6 {
            let status = app.testid_in(USER, "exchange-status");
            assert!(status.starts_with("400"), "{status}");
        }
    }
    // Steps 4 and 5 (App Service, Function App): the same oid.
    assert_eq!(oids[2].len(), 36);
    assert_eq!(oids[2], oids[3]);
    assert!(
        texts[5].contains("Multiple user assigned identities"),
        "{}",
        texts[5]
    );
    // Selecting by client id fixes it.
    assert_eq!(oids[6], oids[2]);
    assert!(app.testid_in(USER, "access-result").starts_with("200"));
    assert!(is_disabled(&app, USER, "Next step"));
    assert!(current_hash().contains("user=8"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn previous_step_returns_exactly_the_previous_view() {
    let app = mount("#/flows?lane=system&system=4&user=5&t=1764547200").await;
    let system_before = lane_html(&app, SYSTEM);
    let user_before = lane_html(&app, USER);
    app.click_button_in(SYSTEM, "Next step").await;
    assert_ne!(lane_html(&app, SYSTEM), system_before);
    app.click_button_in(SYSTEM, "Previous step").await;
    assert_eq!(lane_html(&app, SYSTEM), system_before);
    app.click_button_in(USER, "Next step").await;
    app.click_button_in(USER, "Previous step").await;
    assert_eq!(lane_html(&app, USER), user_before);
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 4 of 9");
    app.unmount();
}

#[wasm_bindgen_test]
async fn a_deep_link_restores_each_lanes_step() {
    let app = mount("#/flows?lane=user&system=3&user=5").await;
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 3 of 9");
    assert_eq!(app.testid_in(USER, "step-counter"), "Step 5 of 8");
    assert_eq!(app.testid_in(USER, "step-title"), lane(Lane::User)[4].title);
    let deep = lane_html(&app, USER);
    app.unmount();
    // Walking there by clicking shows exactly the same lane.
    let app = mount("#/flows").await;
    for _ in 0..4 {
        app.click_button_in(USER, "Next step").await;
    }
    assert_eq!(lane_html(&app, USER), deep);
    app.unmount();
}

#[wasm_bindgen_test]
async fn comparison_rows_link_to_their_step() {
    let app = mount("#/flows").await;
    let links = app.query_all("[data-testid=comparison-link]");
    assert_eq!(links.len(), mi_core::flows::COMPARISON.len());
    let first = &links[0];
    assert_eq!(
        first.get_attribute("href").unwrap(),
        "#/flows?lane=system&system=6&user=1"
    );
    first.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    flush().await;
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 6 of 9");
    assert_eq!(active_element_id(), "flows-system-step-title");
    app.unmount();
}

#[wasm_bindgen_test]
async fn view_parameter_shows_only_lanes_or_only_the_sandbox() {
    let app = mount("#/flows?view=lanes").await;
    assert!(app.query(SYSTEM).is_some() && app.query(USER).is_some());
    assert!(app.query("[data-testid=sandbox]").is_none());
    assert!(app.query("[data-testid=comparison]").is_none());
    app.unmount();
    let app = mount("#/flows?view=sandbox").await;
    assert!(app.query(SYSTEM).is_none());
    assert!(app.query("[data-testid=comparison]").is_none());
    assert!(app.query("[data-testid=sandbox]").is_some());
    app.unmount();
    let app = mount("#/flows").await;
    assert!(app.query(SYSTEM).is_some());
    assert!(app.query("[data-testid=comparison]").is_some());
    assert!(app.query("[data-testid=sandbox]").is_some());
    app.unmount();
}

/// The drawing shown at the test page's width (the wide one; the narrow one is hidden).
const WIDE: &str = "[data-testid=diagram] svg.dg-wide";

fn nodes(app: &Mounted) -> usize {
    count(app, &format!("{WIDE} [data-node]"))
}

fn edges(app: &Mounted) -> usize {
    count(app, &format!("{WIDE} .dg-edge"))
}

fn change(app: &Mounted, node: &str) -> Option<String> {
    app.query(&format!("{WIDE} [data-node='{node}']"))
        .unwrap_or_else(|| panic!("no node {node}"))
        .get_attribute("data-change")
}

#[wasm_bindgen_test]
async fn sandbox_apply_undo_reset_and_the_diagram() {
    let app = mount("#/flows?view=sandbox&sandbox=").await;
    assert!(app.query("[data-testid=diagram-empty]").is_some());
    // The form: create a resource group (the default action and name).
    app.click_button("Apply").await;
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 1);
    assert!(
        current_hash().contains("sandbox=rg:rg-sandbox"),
        "{}",
        current_hash()
    );
    // The form: a VM in it.
    app.choose("#flows-sb-op", "c").await;
    app.choose("#flows-sb-compute-kind", "vm").await;
    app.type_into("#flows-sb-name", "vm-a").await;
    app.click_button("Apply").await;
    assert_eq!(nodes(&app), 1);
    assert_eq!(change(&app, "c:vm-a").as_deref(), Some("added"));
    // Both drawings are there; the narrow one is for narrow containers.
    assert_eq!(
        count(&app, "[data-testid=diagram] svg.dg-narrow [data-node]"),
        1
    );
    let node = app.query(&format!("{WIDE} [data-node]")).unwrap();
    assert_eq!(node.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(node.get_attribute("role").as_deref(), Some("img"));
    assert!(node
        .get_attribute("aria-label")
        .unwrap_or_default()
        .contains("vm-a"));
    // Text: identity, vault, role assignment. Only what this text added is marked.
    app.type_into(
        "#flows-sb-dsl",
        "si:vm-a;t:kv:rg-sandbox:kv-a;ra:s:vm-a:kvsu:r/kv-a",
    )
    .await;
    app.click_button("Apply text").await;
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 5);
    // vm-a, its identity, kv-a, the assignment.
    assert_eq!(nodes(&app), 4);
    assert_eq!(edges(&app), 3);
    assert_eq!(count(&app, &format!("{WIDE} [data-node] title")), 4);
    assert_eq!(change(&app, "c:vm-a"), None);
    assert_eq!(change(&app, "si:vm-a").as_deref(), Some("added"));
    assert_eq!(change(&app, "t:kv-a").as_deref(), Some("added"));
    assert_eq!(
        count(&app, &format!("{WIDE} .dg-edge[data-change=added]")),
        3
    );
    // The identity shows its short object id.
    let si = app.text_of(&format!("{WIDE} [data-node='si:vm-a'] .dg-d"));
    assert!(si.starts_with("oid ") && si.contains('…'), "{si}");
    // The words are folded away, but there.
    assert!(!app
        .query("[data-testid=diagram] details")
        .unwrap()
        .has_attribute("open"));
    let words = app.testid("diagram-text");
    assert!(words.contains("vm-a has identity"), "{words}");
    assert!(words.contains("Key Vault Secrets User"), "{words}");
    assert_eq!(count(&app, "[data-testid=diagram-text] li"), 7);
    // An invalid action is refused and changes nothing.
    app.type_into("#flows-sb-dsl", "si:nope").await;
    app.click_button("Apply text").await;
    assert!(app.query("[data-testid=sandbox-error]").is_some());
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 5);
    assert_eq!(change(&app, "si:vm-a").as_deref(), Some("added"));
    // Deleting the VM: it stays drawn, "deleted"; the assignment is orphaned.
    app.type_into("#flows-sb-dsl", "-r:vm-a").await;
    app.click_button("Apply text").await;
    assert!(app.testid("diagram-text").contains("Identity not found"));
    assert_eq!(change(&app, "c:vm-a").as_deref(), Some("removed"));
    assert_eq!(change(&app, "si:vm-a").as_deref(), Some("removed"));
    assert!(app
        .text_of(&format!("{WIDE} [data-node='c:vm-a']"))
        .contains("deleted"));
    assert_eq!(count(&app, &format!("{WIDE} .dg-k-missing")), 1);
    assert_eq!(
        count(&app, &format!("{WIDE} .dg-k-missing[data-change=added]")),
        1
    );
    assert_eq!(
        count(&app, &format!("{WIDE} .dg-k-role[data-change=changed]")),
        1
    );
    assert_eq!(
        count(&app, &format!("{WIDE} .dg-edge[data-change=removed]")),
        2
    );
    // Undo brings the VM back exactly (nothing marked).
    app.click_button("Undo").await;
    assert_eq!(nodes(&app), 4);
    assert_eq!(count(&app, &format!("{WIDE} [data-change]")), 0);
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 5);
    app.click_button("Undo").await;
    assert_eq!(nodes(&app), 3);
    assert_eq!(edges(&app), 1);
    // Reset empties the world and the link.
    app.click_button("Empty the world").await;
    assert!(app.query("[data-testid=diagram-empty]").is_some());
    assert!(app.query("[data-testid=timeline-event]").is_none());
    // The link says "empty" (no `sandbox=` would be the default world).
    assert!(
        current_hash().contains("sandbox=&") || current_hash().ends_with("sandbox="),
        "{}",
        current_hash()
    );
    app.unmount();
}

/// Keeps the last Blob the page turns into an object URL (what a download saves).
fn capture_downloads() {
    js_sys::Function::new_no_args(
        "if (!URL.__orig) { URL.__orig = URL.createObjectURL; \
         URL.createObjectURL = function (b) { window.__lastBlob = b; return URL.__orig.call(URL, b); }; }",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap();
}

fn last_download() -> web_sys::Blob {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"__lastBlob".into())
        .unwrap()
        .dyn_into()
        .expect("a download")
}

async fn bytes_of(blob: &web_sys::Blob) -> Vec<u8> {
    let buf = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    js_sys::Uint8Array::new(&buf).to_vec()
}

#[wasm_bindgen_test]
async fn the_diagram_downloads_as_svg_and_png() {
    let preset = &mi_core::flows::PRESETS[0];
    let app = mount(&preset.to_hash()).await;
    capture_downloads();
    // The page's colours as the app declares them (this test page has no stylesheet).
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(
        ":root { --bg: light-dark(#ffffff, #0f1419); --fg: #123456; --sans: serif; } \
         .dg-box { fill: var(--bg); } .other { color: red; }",
    ));
    document().head().unwrap().append_child(&style).unwrap();
    let theme = html_attr("data-theme");
    document()
        .document_element()
        .unwrap()
        .set_attribute("data-theme", "dark")
        .unwrap();
    app.click_button("Download SVG").await;
    let status = app.testid("download-status");
    assert!(status.starts_with("Saved diagram.svg"), "{status}");
    let blob = last_download();
    assert_eq!(blob.type_(), "image/svg+xml");
    let svg = String::from_utf8(bytes_of(&blob).await).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.contains("data-node=\"si:vm-app\""), "{svg}");
    // Styled on its own: the stylesheet inside with the page's colours resolved for the theme
    // in force (dark here), no focus stops.
    assert!(svg.contains("<style><![CDATA[:root {"), "{svg}");
    assert!(
        svg.contains("--bg: #0f1419;") && svg.contains("--fg: #123456;"),
        "{svg}"
    );
    // The page's rules for the drawing (and only those) go with it.
    assert!(svg.contains(".dg-box { fill: var(--bg); }"), "{svg}");
    assert!(!svg.contains(".other"), "{svg}");
    assert!(!svg.contains("light-dark(") && !svg.contains("tabindex"));
    style.remove();
    let root = document().document_element().unwrap();
    match theme {
        Some(t) => root.set_attribute("data-theme", &t).unwrap(),
        None => root.remove_attribute("data-theme").unwrap(),
    }
    app.click_button("Download PNG").await;
    until("the PNG", || {
        app.testid("download-status")
            .starts_with("Saved diagram.png")
    })
    .await;
    let blob = last_download();
    assert_eq!(blob.type_(), "image/png");
    let png = bytes_of(&blob).await;
    assert!(png.len() > 1000, "{} bytes", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    app.unmount();
}

#[wasm_bindgen_test]
async fn diagram_nodes_can_be_picked_with_mouse_and_keyboard() {
    use mi_playground::ui::pages::flows::diagram_view::{DiagramView, Props};
    use std::cell::RefCell;
    use std::rc::Rc;
    let w = mi_core::cloud::World::replay(
        mi_core::cloud::DEFAULT_SEED,
        0,
        &mi_core::cloud::dsl::parse_actions(mi_core::flows::PRESETS[2].actions).unwrap(),
    )
    .unwrap();
    let picked = Rc::new(RefCell::new(Vec::<String>::new()));
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let props = Props {
        diagram: Rc::new(mi_core::flows::diagram(&w)),
        title: Some("Shared identity".into()),
        label: None,
        on_select: Some({
            let picked = picked.clone();
            yew::Callback::from(move |id: String| picked.borrow_mut().push(id))
        }),
        selected: Some("c:vm-2".into()),
    };
    let handle = yew::Renderer::<DiagramView>::with_root_and_props(root.clone(), props).render();
    flush().await;
    let q = |s: &str| root.query_selector(s).unwrap().unwrap();
    assert_eq!(
        q("figcaption").text_content().unwrap_or_default(),
        "Shared identity"
    );
    assert_eq!(
        q("svg.dg-wide").get_attribute("aria-label").as_deref(),
        Some("Shared identity")
    );
    // The selected node is outlined.
    assert!(q(".dg-wide [data-node='c:vm-2']").has_attribute("data-selected"));
    assert!(!q(".dg-wide [data-node='c:vm-1']").has_attribute("data-selected"));
    // A click on the label text picks its node.
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    q(".dg-wide [data-node='id:id-shared'] text")
        .dispatch_event(&click)
        .unwrap();
    // Enter and Space on a focused node pick it too; other keys do not.
    for key in ["Enter", " ", "a"] {
        let init = web_sys::KeyboardEventInit::new();
        init.set_bubbles(true);
        init.set_key(key);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        q(".dg-wide [data-node='t:kv-demo']")
            .dispatch_event(&ev)
            .unwrap();
    }
    flush().await;
    assert_eq!(*picked.borrow(), ["id:id-shared", "t:kv-demo", "t:kv-demo"]);
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_sandbox_link_restores_the_world_and_open_in_sandbox_loads_a_lane_step() {
    let app = mount("#/flows?view=sandbox&sandbox=rg:r1;c:app:r1:app-x;si:app-x").await;
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 3);
    assert_eq!(nodes(&app), 2);
    app.unmount();
    // A broken link opens what it can and says why.
    let app = mount("#/flows?view=sandbox&sandbox=rg:r1;si:missing").await;
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 1);
    assert!(app.query("[data-testid=sandbox-error]").is_some());
    app.unmount();
    // A lane step, opened in the sandbox.
    let app = mount("#/flows?lane=system&system=3").await;
    app.click_button_in(SYSTEM, "Open in sandbox").await;
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 5);
    assert!(app
        .testid("diagram-text")
        .contains("Key Vault Secrets User"));
    assert_eq!(active_element_id(), "flows-sandbox-title");
    app.unmount();
}

#[wasm_bindgen_test]
async fn following_a_flows_link_while_on_the_page_takes_its_state() {
    let app = mount("#/flows").await;
    navigate("#/flows?lane=user&system=2&user=4&sandbox=rg:r1;c:vm:r1:vm-z").await;
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 2 of 9");
    assert_eq!(app.testid_in(USER, "step-counter"), "Step 4 of 8");
    assert_eq!(count(&app, "[data-testid=timeline-event]"), 2);
    assert_eq!(
        count(&app, &format!("[data-testid=sandbox] {WIDE} [data-node]")),
        1
    );
    app.unmount();
}

/// `data-change` of a node in a lane's (wide) drawing; `None` when unmarked.
fn lane_change(app: &Mounted, lane: &str, node: &str) -> Option<String> {
    app.query(&format!("{lane} svg.dg-wide [data-node='{node}']"))
        .unwrap_or_else(|| panic!("no node {node} in {lane}"))
        .get_attribute("data-change")
}

#[wasm_bindgen_test]
async fn lane_steps_mark_what_each_step_changed_on_the_diagram() {
    let marked = |app: &Mounted, lane: &str| {
        count(app, &format!("{lane} svg.dg-wide [data-node][data-change]"))
    };
    // Step 1: everything is new.
    let app = mount("#/flows?system=1&user=1").await;
    let all = count(&app, &format!("{SYSTEM} svg.dg-wide [data-node]"));
    assert!(all >= 2, "{all}");
    assert_eq!(marked(&app, SYSTEM), all);
    assert_eq!(
        lane_change(&app, SYSTEM, "c:app-web").as_deref(),
        Some("added")
    );
    // Step 2 adds only the identity.
    app.click_button_in(SYSTEM, "Next step").await;
    assert_eq!(
        lane_change(&app, SYSTEM, "si:app-web").as_deref(),
        Some("added")
    );
    assert_eq!(lane_change(&app, SYSTEM, "c:app-web"), None);
    assert_eq!(marked(&app, SYSTEM), 1);
    // Step 4 (a token request) changes nothing in the world, and draws the request.
    app.click_button_in(SYSTEM, "Next step").await;
    app.click_button_in(SYSTEM, "Next step").await;
    assert_eq!(app.testid_in(SYSTEM, "step-counter"), "Step 4 of 9");
    assert_eq!(marked(&app, SYSTEM), 0);
    assert_eq!(count(&app, &format!("{SYSTEM} svg.dg-wide .dg-e-token")), 1);
    app.unmount();
    // Step 6, delete: the app and its identity removed (still drawn), the assignment changed.
    let app = mount("#/flows?system=6").await;
    assert_eq!(
        lane_change(&app, SYSTEM, "c:app-web").as_deref(),
        Some("removed")
    );
    assert_eq!(
        lane_change(&app, SYSTEM, "si:app-web").as_deref(),
        Some("removed")
    );
    assert_eq!(
        count(
            &app,
            &format!("{SYSTEM} svg.dg-wide .dg-k-role[data-change=changed]")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("{SYSTEM} svg.dg-wide .dg-k-missing[data-change=added]")
        ),
        1
    );
    // Step 7, recreate: the new identity is changed (a new oid) beside the orphaned assignment.
    app.click_button_in(SYSTEM, "Next step").await;
    assert_eq!(
        lane_change(&app, SYSTEM, "si:app-web").as_deref(),
        Some("changed")
    );
    assert_eq!(
        lane_change(&app, SYSTEM, "c:app-web").as_deref(),
        Some("added")
    );
    assert_eq!(
        count(&app, &format!("{SYSTEM} svg.dg-wide .dg-k-missing")),
        1
    );
    assert!(app
        .text_of(&format!("{SYSTEM} svg.dg-wide [data-node='si:app-web']"))
        .contains("new oid"));
    // Step 8, the read: nothing in the world changed; the 403 is drawn.
    app.click_button_in(SYSTEM, "Next step").await;
    assert_eq!(marked(&app, SYSTEM), 0);
    assert!(app
        .text_of(&format!("{SYSTEM} svg.dg-wide .dg-e-access"))
        .contains("403"));
    // The user lane's step 6 (delete the App Service) keeps the identity, unmarked.
    assert_eq!(app.testid_in(USER, "step-counter"), "Step 1 of 8");
    app.unmount();
    let app = mount("#/flows?user=6").await;
    assert_eq!(
        lane_change(&app, USER, "c:app-web").as_deref(),
        Some("removed")
    );
    assert_eq!(lane_change(&app, USER, "id:id-shared"), None);
    // Each lane's drawing has its own accessible name (the step).
    let label = app
        .query(&format!("{USER} svg.dg-wide"))
        .and_then(|s| s.get_attribute("aria-label"))
        .unwrap_or_default();
    assert!(label.contains("step 6: Delete the App Service"), "{label}");
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_sandbox_opens_on_the_default_world_and_loads_presets() {
    let app = mount("#/flows?view=sandbox").await;
    // The IMDS page's default world, not an empty one.
    assert!(app.query("[data-testid=diagram-empty]").is_none());
    assert!(app
        .query(&format!("{WIDE} [data-node='c:vm-web']"))
        .is_some());
    assert!(app
        .query(&format!("{WIDE} [data-node='id:id-orders']"))
        .is_some());
    // The presets, each a link to its world.
    let presets = app.query_all("[data-testid=sandbox-preset]");
    assert_eq!(presets.len(), mi_core::flows::PRESETS.len());
    for (a, p) in presets.iter().zip(mi_core::flows::PRESETS) {
        assert_eq!(
            a.get_attribute("href").as_deref(),
            Some(p.to_hash().as_str())
        );
    }
    let recreated = app
        .query("[data-testid=sandbox-preset][data-preset=recreated-vm]")
        .expect("preset");
    recreated.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    flush().await;
    assert!(app
        .query(&format!("{WIDE} [data-node='c:vm-web']"))
        .is_none());
    assert!(app
        .query(&format!("{WIDE} [data-node='si:vm-app']"))
        .is_some());
    assert_eq!(count(&app, &format!("{WIDE} .dg-k-missing")), 1);
    assert!(
        current_hash().contains("sandbox=rg:rg-demo"),
        "{}",
        current_hash()
    );
    app.unmount();
}

#[wasm_bindgen_test]
async fn an_offer_changes_the_world_and_the_diagram_marks_it() {
    let app = mount(&format!(
        "#/flows?view=sandbox&sandbox={}",
        mi_core::flows::PRESETS[0].actions
    ))
    .await;
    assert_eq!(
        count(&app, "[data-testid=sandbox-offer]"),
        count(&app, ".flows-additions [data-testid=sandbox-offer]")
    );
    // Pick vm-app in the list: its offers appear beside it.
    let pick = app
        .query("[data-testid=sandbox-resource][data-name=vm-app] button")
        .expect("vm-app");
    pick.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    flush().await;
    let offers: Vec<String> = app
        .query_all("[data-testid=sandbox-resource][data-name=vm-app] [data-testid=sandbox-offer]")
        .iter()
        .map(|b| b.text_content().unwrap_or_default())
        .collect();
    assert!(
        offers.iter().any(|o| o == "Delete and recreate"),
        "{offers:?}"
    );
    // The DSL is there for power users, folded.
    let more = app.query("[data-testid=sandbox-more]").expect("details");
    assert!(!more.has_attribute("open"));
    assert!(app
        .query("[data-testid=sandbox-more] textarea#flows-sb-dsl")
        .is_some());
    assert!(app.testid("dsl-help").contains("si:<host>"));
    app.click_button("Delete and recreate").await;
    // New identity (changed: a new oid), the old assignment orphaned.
    assert_eq!(change(&app, "si:vm-app").as_deref(), Some("changed"));
    assert_eq!(
        count(&app, &format!("{WIDE} .dg-k-missing[data-change=added]")),
        1
    );
    assert_eq!(
        count(&app, &format!("{WIDE} .dg-k-role[data-change=changed]")),
        1
    );
    // The orphaned assignment is in the list too, by what it means.
    assert!(app
        .query_all("[data-testid=sandbox-resource]")
        .iter()
        .any(|r| r
            .text_content()
            .unwrap_or_default()
            .contains("Key Vault Secrets User for Identity not found")));
    // Picking on the diagram shows that resource's offers.
    let node = app
        .query(&format!("{WIDE} [data-node='t:kv-demo']"))
        .expect("kv node");
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let i = web_sys::MouseEventInit::new();
        i.set_bubbles(true);
        i
    })
    .unwrap();
    node.dispatch_event(&click).unwrap();
    flush().await;
    assert!(app
        .query("[data-testid=sandbox-resource][data-name=kv-demo] [data-testid=sandbox-offer]")
        .is_some());
    app.unmount();
}

const WORKLOAD: &str = "[data-testid=lane-workload]";

/// Whether the federation edge `selector` is drawn as failing (no credential trusts the pod).
fn federation_fails(app: &Mounted, selector: &str) -> bool {
    app.query(selector)
        .unwrap_or_else(|| panic!("no federation edge {selector}"))
        .get_attribute("class")
        .unwrap_or_default()
        .contains("dg-fail")
}

#[wasm_bindgen_test]
async fn workload_lane_walk_federation_namespace_and_issuer() {
    let app = mount("#/flows").await;
    let steps = lane(Lane::Workload);
    assert_eq!(
        app.testid_in(WORKLOAD, "step-counter"),
        format!("Step 1 of {}", steps.len())
    );
    // The cluster and its issuer are on the picture from the first step.
    assert!(app
        .query(&format!("{WORKLOAD} [data-node='k:aks-orders']"))
        .is_some());
    let mut oids = Vec::new();
    for (i, spec) in steps.iter().enumerate().skip(1) {
        app.click_button_in(WORKLOAD, "Next step").await;
        assert_eq!(app.testid_in(WORKLOAD, "step-title"), spec.title);
        assert_eq!(active_element_id(), "flows-workload-step-title");
        let text = lane_text(&app, WORKLOAD);
        let status = app
            .query(&format!("{WORKLOAD} [data-testid=exchange-status]"))
            .map(|e| e.text_content().unwrap_or_default());
        let fed =
            format!("{WORKLOAD} .dg-e-federated[data-from='w:orders-api'][data-to='id:id-orders']");
        match i {
            // No credential, a moved namespace, a new issuer: 401 AADSTS70021, and the
            // picture's federation edge fails.
            2 | 4 | 6 => {
                assert!(
                    status.as_deref().is_some_and(|s| s.starts_with("401")),
                    "{i}: {status:?}"
                );
                assert!(
                    text.contains("AADSTS70021: No matching federated identity record found"),
                    "{i}"
                );
                let want = if i == 4 || i == 6 {
                    "orders-v2"
                } else {
                    "orders"
                };
                assert!(
                    text.contains(&format!(
                        "Assertion Subject: 'system:serviceaccount:{want}:orders-api'"
                    )),
                    "{i}"
                );
                assert!(federation_fails(&app, &fed), "{i}");
            }
            // Trusted: 200, a token for id-orders, the secret read.
            3 | 5 | 7 => {
                assert!(
                    status.as_deref().is_some_and(|s| s.starts_with("200")),
                    "{i}: {status:?}"
                );
                assert!(!federation_fails(&app, &fed), "{i}");
                assert!(
                    app.testid_in(WORKLOAD, "access-result").starts_with("200"),
                    "{i}"
                );
                oids.push(app.testid_in(WORKLOAD, "token-oid"));
                assert!(
                    app.query(&format!(
                        "{WORKLOAD} .dg-e-token[data-from='w:orders-api'][data-to='id:id-orders']"
                    ))
                    .is_some(),
                    "{i}: the token request is drawn"
                );
            }
            _ => {}
        }
        if i == 2 {
            // The service account and pod, with the variables the webhook injects.
            let block = app.testid_in(WORKLOAD, "identity-block");
            assert!(
                block.contains("azure.workload.identity/client-id: "),
                "{block}"
            );
            assert!(block.contains(
                "AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token"
            ));
        }
    }
    // One identity all along: the oid never changed.
    assert_eq!(oids.len(), 3);
    assert_eq!(oids[0].len(), 36);
    assert!(oids.iter().all(|o| *o == oids[0]), "{oids:?}");
    assert!(current_hash().contains("lane=workload") && current_hash().contains("workload=8"));
    app.unmount();
    // A deep link opens the same step.
    let app = mount("#/flows?lane=workload&workload=8").await;
    assert_eq!(app.testid_in(WORKLOAD, "step-title"), steps[7].title);
    assert_eq!(app.testid_in(WORKLOAD, "step-counter"), "Step 8 of 8");
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_workload_preset_trusts_the_pod_and_moving_it_breaks_the_trust() {
    let preset = mi_core::flows::preset("aks-workload-identity").expect("preset");
    let app = mount(&format!("#/flows?view=sandbox&sandbox={}", preset.actions)).await;
    let edge = format!("{WIDE} .dg-e-federated[data-from='w:orders-api'][data-to='id:id-orders']");
    assert!(!federation_fails(&app, &edge));
    let pick = app
        .query("[data-testid=sandbox-resource][data-name=orders-api] button")
        .expect("orders-api in the list");
    pick.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    flush().await;
    app.click_button("Move to namespace orders-v2").await;
    assert!(federation_fails(&app, &edge));
    let last = app.testid("sandbox-result");
    assert!(last.contains("No federated credential of id-orders trusts system:serviceaccount:orders-v2:orders-api"), "{last}");
    // The offer to fix it is one click away.
    app.click_button("Trust orders-api's service account").await;
    assert!(!federation_fails(&app, &edge));
    assert!(
        current_hash().contains("fc:id-orders:fc-orders-api-2:aks-demo:orders-v2:orders-api"),
        "{}",
        current_hash()
    );
    app.unmount();
}
