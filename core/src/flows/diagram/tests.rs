use super::layout::{collisions, text_width};
use super::*;
use crate::cloud::time::EPOCH;
use crate::cloud::DEFAULT_SEED;
use crate::flows::{play, preset, Lane, Sandbox, PRESETS};

const SYS_OID_1: &str = "66db940f-7627-4cfd-b09c-0976a1143afb";
const SYS_OID_2: &str = "ec1fbcb0-967b-4fa6-98d5-e9bc83c82a19";

fn world_of(actions: &str) -> World {
    let actions = dsl::parse_actions(actions).expect("dsl");
    Sandbox::replay(DEFAULT_SEED, EPOCH, &actions)
        .expect("replay")
        .world()
        .clone()
}

/// Every world the tests draw: each step of both lanes, the default scenario, the presets.
fn worlds() -> Vec<(String, World)> {
    let mut out = Vec::new();
    for l in Lane::ALL {
        for k in 0..l.step_count() {
            out.push((format!("{l:?} step {k}"), play(l, k, EPOCH).world));
        }
    }
    out.push(("default scenario".into(), World::default_scenario(EPOCH)));
    for p in PRESETS {
        out.push((format!("preset {}", p.id), world_of(p.actions)));
    }
    out
}

/// Zero crossings, no overlaps, no edge through a node, labels that fit.
fn assert_clean(what: &str, d: &Diagram, check_narrow_crossings: bool) {
    let l = layout(d);
    assert_eq!(crossings(&l.wide), 0, "{what}: wide crossings");
    assert_eq!(collisions(&l.wide), 0, "{what}: wide collisions");
    if check_narrow_crossings {
        assert_eq!(crossings(&l.narrow), 0, "{what}: narrow crossings");
    }
    assert_eq!(collisions(&l.narrow), 0, "{what}: narrow collisions");
    for lay in [&l.wide, &l.narrow] {
        assert_eq!(lay.nodes.len(), d.nodes.len(), "{what}: every node placed");
        for p in &lay.nodes {
            assert!(p.x >= 0 && p.y >= 0, "{what}: {p:?}");
            assert!(
                p.x + p.w <= lay.width && p.y + p.h <= lay.height,
                "{what}: {p:?}"
            );
            assert!(
                text_width(&p.label, 14.0, true) <= f64::from(p.w - 20),
                "{what}: {p:?}"
            );
            assert!(
                text_width(&p.detail, 12.0, false) <= f64::from(p.w - 20),
                "{what}: {p:?}"
            );
        }
        for r in &lay.edges {
            for &(x, y) in &r.points {
                assert!(
                    x >= 0 && x <= lay.width && y >= 0 && y <= lay.height,
                    "{what}: {r:?}"
                );
            }
        }
    }
    assert!(l.narrow.width <= 360, "{what}: fits a phone");
    assert!(
        l.narrow.nodes.iter().all(|p| p.w >= 150),
        "{what}: readable nodes"
    );
}

#[test]
fn no_crossings_in_any_lane_step_scenario_or_preset() {
    for (what, w) in worlds() {
        let d = diagram(&w);
        assert!(!d.nodes.is_empty(), "{what}");
        assert_clean(&what, &d, true);
    }
}

#[test]
fn no_crossings_in_lane_diagrams_with_changes_and_the_request() {
    for l in Lane::ALL {
        for k in 0..l.step_count() {
            let st = play(l, k, EPOCH);
            let d = lane_diagram(&st);
            assert_clean(&format!("{l:?} step {k}"), &d, true);
        }
    }
}

#[test]
fn short_object_ids() {
    assert_eq!(short_id(SYS_OID_1), "66db…3afb");
    assert_eq!(short_id("abc"), "abc");
    assert_eq!(short_id(""), "");
    // Never cut inside a character: then the whole id.
    assert_eq!(short_id("ééééééééééééé"), "éé…éé");
    assert_eq!(short_id("aéééééééééééé"), "aéééééééééééé");
    let d = diagram(&play(Lane::System, 1, EPOCH).world);
    let n = d.node("si:app-web").expect("identity");
    assert_eq!(n.detail, "oid 66db…3afb");
    assert!(n.text.contains(SYS_OID_1), "{}", n.text);
    assert_eq!(n.label, "app-web (system)");
}

fn change_of(d: &Diagram, id: &str) -> (Option<Change>, Option<&'static str>) {
    let n = d.node(id).unwrap_or_else(|| panic!("no node {id}"));
    (n.change, n.note)
}

fn edge_change(d: &Diagram, from: &str, to: &str) -> Option<Option<Change>> {
    d.edges
        .iter()
        .find(|e| e.from == from && e.to == to)
        .map(|e| e.change)
}

#[test]
fn recreating_the_app_marks_the_new_oid_and_the_orphaned_assignment() {
    let before = play(Lane::System, 4, EPOCH).world;
    let after = play(Lane::System, 6, EPOCH).world;
    let ra = format!("ra:{}", before.role_assignments[0].name);
    let missing = format!("oid:{SYS_OID_1}");
    let d = diagram_between(&before, &after);
    assert_eq!(
        change_of(&d, "si:app-web"),
        (Some(Change::Changed), Some("new oid"))
    );
    let si = d.node("si:app-web").expect("si");
    assert_eq!(si.detail, "oid ec1f…2a19");
    assert!(
        si.text.contains(SYS_OID_2) && si.text.contains("was 66db…3afb"),
        "{}",
        si.text
    );
    assert_eq!(
        change_of(&d, &ra),
        (Some(Change::Changed), Some("orphaned"))
    );
    assert_eq!(change_of(&d, &missing), (Some(Change::Added), Some("new")));
    assert_eq!(change_of(&d, "c:app-web"), (None, None));
    assert_eq!(change_of(&d, "t:kv-flows-demo"), (None, None));
    // The assignment now points at the missing identity; its edge to the app is gone.
    assert_eq!(edge_change(&d, &ra, &missing), Some(Some(Change::Added)));
    assert_eq!(
        edge_change(&d, &ra, "si:app-web"),
        Some(Some(Change::Removed))
    );
    assert_eq!(edge_change(&d, "c:app-web", "si:app-web"), Some(None));
}

#[test]
fn lane_steps_mark_what_they_changed() {
    let ra = |st: &LaneState| format!("ra:{}", st.world.role_assignments[0].name);
    // Step 1 adds the identity and its edge.
    let d = lane_diagram(&play(Lane::System, 1, EPOCH));
    assert_eq!(
        change_of(&d, "si:app-web"),
        (Some(Change::Added), Some("new"))
    );
    assert_eq!(change_of(&d, "c:app-web"), (None, None));
    assert_eq!(
        edge_change(&d, "c:app-web", "si:app-web"),
        Some(Some(Change::Added))
    );
    // Step 5 deletes the app: app and identity stay drawn, "deleted"; the assignment is orphaned.
    let st = play(Lane::System, 5, EPOCH);
    let d = lane_diagram(&st);
    assert_eq!(
        change_of(&d, "c:app-web"),
        (Some(Change::Removed), Some("deleted"))
    );
    assert_eq!(
        change_of(&d, "si:app-web"),
        (Some(Change::Removed), Some("deleted"))
    );
    assert_eq!(
        change_of(&d, &ra(&st)),
        (Some(Change::Changed), Some("orphaned"))
    );
    let missing = format!("oid:{SYS_OID_1}");
    assert_eq!(change_of(&d, &missing), (Some(Change::Added), Some("new")));
    assert_eq!(
        d.node(&missing).map(|n| n.detail.as_str()),
        Some("oid 66db…3afb")
    );
    assert_eq!(
        edge_change(&d, "c:app-web", "si:app-web"),
        Some(Some(Change::Removed))
    );
    // Removed nodes keep their place in the order (the app first, as before).
    assert_eq!(d.nodes[0].id, "c:app-web");
    // Step 6 recreates it: a new app, and the identity with the same name has a new oid.
    let d = lane_diagram(&play(Lane::System, 6, EPOCH));
    assert_eq!(
        change_of(&d, "c:app-web"),
        (Some(Change::Added), Some("new"))
    );
    assert_eq!(
        change_of(&d, "si:app-web"),
        (Some(Change::Changed), Some("new oid"))
    );
    let si = d.node("si:app-web").expect("si");
    assert!(!si.text.contains("New."), "{}", si.text);
    assert!(si.text.contains("was 66db…3afb"), "{}", si.text);
    // The user lane: deleting the App Service leaves the identity and its access.
    let d = lane_diagram(&play(Lane::User, 5, EPOCH));
    assert_eq!(
        change_of(&d, "c:app-web"),
        (Some(Change::Removed), Some("deleted"))
    );
    assert_eq!(change_of(&d, "id:id-shared"), (None, None));
    assert_eq!(
        edge_change(&d, "c:app-web", "id:id-shared"),
        Some(Some(Change::Removed))
    );
    // The first step: everything is new.
    let d = lane_diagram(&play(Lane::User, 0, EPOCH));
    assert!(d.nodes.iter().all(|n| n.change == Some(Change::Added)));
}

/// (from, to, kind, label, status) of a request overlay edge.
type Drawn<'a> = (&'a str, &'a str, EdgeKind, Option<&'a str>, Option<u16>);

fn request(d: &Diagram) -> Vec<Drawn<'_>> {
    d.edges
        .iter()
        .filter(|e| matches!(e.kind, EdgeKind::Token | EdgeKind::Access))
        .map(|e| {
            (
                e.from.as_str(),
                e.to.as_str(),
                e.kind,
                e.label.as_deref(),
                e.status,
            )
        })
        .collect()
}

#[test]
fn lane_steps_draw_their_token_request_and_the_read() {
    let kv = "t:kv-flows-demo";
    assert_eq!(request(&lane_diagram(&play(Lane::System, 2, EPOCH))), []);
    assert_eq!(
        request(&lane_diagram(&play(Lane::System, 3, EPOCH))),
        [("c:app-web", "si:app-web", EdgeKind::Token, None, None)]
    );
    assert_eq!(
        request(&lane_diagram(&play(Lane::System, 4, EPOCH))),
        [
            ("c:app-web", "si:app-web", EdgeKind::Token, None, None),
            ("si:app-web", kv, EdgeKind::Access, Some("200"), Some(200)),
        ]
    );
    let d = lane_diagram(&play(Lane::System, 7, EPOCH));
    assert_eq!(
        request(&d),
        [
            ("c:app-web", "si:app-web", EdgeKind::Token, None, None),
            ("si:app-web", kv, EdgeKind::Access, Some("403"), Some(403)),
        ]
    );
    let access = d
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::Access)
        .expect("access");
    assert!(access.text.contains("403"), "{}", access.text);
    // The user lane: the token is the shared identity's, from whichever host asked.
    assert_eq!(
        request(&lane_diagram(&play(Lane::User, 4, EPOCH))),
        [
            ("c:func-jobs", "id:id-shared", EdgeKind::Token, None, None),
            ("id:id-shared", kv, EdgeKind::Access, Some("200"), Some(200)),
        ]
    );
    // No token (400: two identities, no selector): nothing is drawn as issued.
    assert_eq!(request(&lane_diagram(&play(Lane::User, 6, EPOCH))), []);
    // Unknown nodes are left out, never a panic.
    let d = Diagram::default().with_request(TokenUse {
        host: "c:nope".into(),
        identity_node: "si:nope".into(),
        target: Some(("t:nope".into(), 403, String::new())),
    });
    assert_eq!(d, Diagram::default());
}

#[test]
fn presets_replay_cleanly() {
    let mut ids = Vec::new();
    for p in PRESETS {
        let actions = dsl::parse_actions(p.actions).expect("dsl");
        let sb = Sandbox::replay(DEFAULT_SEED, EPOCH, &actions).expect("replay");
        assert_eq!(sb.actions.len(), actions.len());
        assert!(!p.title.is_empty() && p.title.len() <= 48, "{}", p.title);
        assert!(p.description.ends_with('.'), "{}", p.description);
        assert!(!ids.contains(&p.id), "{}", p.id);
        ids.push(p.id);
        assert_eq!(preset(p.id), Some(p));
        // The link opens the same world.
        let f = crate::fragment::Fragment::parse(&p.to_hash());
        assert_eq!(f.get("view"), Some("sandbox"));
        let opened = Sandbox::from_fragment(&f, EPOCH).expect("link");
        assert_eq!(opened.world(), sb.world());
    }
    assert_eq!(PRESETS.len(), 5);
    // The workload identity preset: its pod is trusted, and the diagram draws that.
    let w = world_of(preset("aks-workload-identity").expect("preset").actions);
    assert_eq!(
        w.credentials_trusting(&w.workloads[0]),
        [("id-orders".to_string(), "fc-orders-api".to_string())]
    );
    let d = diagram(&w);
    let fed = d
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::Federated)
        .expect("federated edge");
    assert_eq!(
        (
            fed.from.as_str(),
            fed.to.as_str(),
            fed.label.as_deref(),
            fed.status
        ),
        ("w:orders-api", "id:id-orders", Some("fc-orders-api"), None)
    );
    let w = world_of(preset("recreated-vm").expect("preset").actions);
    assert_eq!(w.orphaned_role_assignments().len(), 1);
    let d = diagram(&w);
    assert_eq!(
        d.nodes
            .iter()
            .filter(|n| n.kind == NodeKind::MissingIdentity)
            .count(),
        1
    );
    let w = world_of(preset("shared-identity").expect("preset").actions);
    let d = diagram(&w);
    let has = d
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::HasIdentity)
        .count();
    assert_eq!((w.computes.len(), has), (3, 3));
    assert_eq!(preset("nope"), None);
}

#[test]
fn the_svg_names_every_node_and_edge_and_escapes_text() {
    let st = play(Lane::System, 7, EPOCH);
    let d = lane_diagram(&st);
    let l = layout(&d);
    let o = SvgOptions {
        class: "dg-wide",
        title: "Step 8 <of 9>",
        interactive: true,
        style: None,
    };
    let s = svg_markup(&d, &l.wide, &o);
    assert!(
        s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dg-svg dg-wide\""),
        "{s}"
    );
    assert!(s.ends_with("</svg>"));
    assert!(s.contains("aria-label=\"Step 8 &lt;of 9&gt;\""));
    for n in &d.nodes {
        assert!(s.contains(&format!("data-node=\"{}\"", n.id)), "{}", n.id);
    }
    assert_eq!(s.matches("<g class=\"dg-node").count(), d.nodes.len());
    assert_eq!(s.matches("<g class=\"dg-edge").count(), d.edges.len());
    assert_eq!(s.matches("<g").count(), s.matches("</g>").count());
    assert_eq!(
        s.matches("tabindex=\"0\" role=\"img\"").count(),
        d.nodes.len()
    );
    assert!(
        !s.contains("data-change"),
        "step 8 changes nothing in the world"
    );
    assert!(s.contains("class=\"dg-edge dg-e-access dg-fail\""));
    assert!(s.contains(">403</text>"));
    assert!(!s.contains("<style"));
    let d6 = lane_diagram(&play(Lane::System, 6, EPOCH));
    let s6 = svg_markup(&d6, &layout(&d6).narrow, &o);
    assert!(
        s6.contains("data-node=\"si:app-web\" data-change=\"changed\""),
        "{s6}"
    );
    assert!(s6.contains(">new oid</text>"));
    // A file: no focus stops, the stylesheet embedded, a background.
    let file = svg_markup(
        &d,
        &l.wide,
        &SvgOptions {
            interactive: false,
            style: Some(".dg-bg{fill:#fff}"),
            ..o
        },
    );
    assert!(!file.contains("tabindex"));
    assert!(file.contains("<style><![CDATA[.dg-bg{fill:#fff}]]></style><rect class=\"dg-bg\""));
    // Text is escaped wherever it goes.
    let mut d = Diagram::default();
    d.add(
        "c:<x>".into(),
        NodeKind::Host,
        "a&b".into(),
        "\"q\"".into(),
        "<script>".into(),
    );
    let s = svg_markup(&d, &layout(&d).wide, &o);
    assert!(s.contains("data-node=\"c:&lt;x&gt;\""));
    assert!(s.contains(">a&amp;b</text>") && s.contains(">&quot;q&quot;</text>"));
    assert!(!s.contains("<script>"));
}

#[test]
fn light_dark_values_resolve_for_the_theme() {
    let r = resolve_light_dark;
    assert_eq!(r("light-dark(#fff, #000)", false), "#fff");
    assert_eq!(r(" light-dark(#fff, #000) ", true), " #000 ");
    assert_eq!(
        r(
            "a{fill:light-dark(rgb(1, 2, 3), rgb(4, 5, 6));x:light-dark(a,b)}",
            true
        ),
        "a{fill:rgb(4, 5, 6);x:b}"
    );
    assert_eq!(r("#123456", true), "#123456");
    // Malformed: left alone, never a panic.
    assert_eq!(r("light-dark(#fff)", true), "light-dark(#fff)");
    assert_eq!(r("light-dark(", true), "light-dark(");
    assert_eq!(r("light-dark(a, (b)", true), "light-dark(a, (b)");
    assert_eq!(r("é light-dark(é,ü) ü", true), "é ü ü");
    assert_eq!(
        export_style(
            ":root{--fg:light-dark(#111, #eee)}.dg-l{fill:var(--fg)}",
            true
        ),
        ":root{--fg:#eee}.dg-l{fill:var(--fg)}*{animation:none!important}"
    );
}

#[test]
fn long_labels_are_shortened_to_fit() {
    let w = world_of("rg:rg-a;c:vm:rg-a:vm-with-a-very-long-name-indeed-yes;si:vm-with-a-very-long-name-indeed-yes");
    let d = diagram(&w);
    let l = layout(&d);
    let p = &l.wide.nodes[0];
    assert!(
        p.label.ends_with('…') && p.label.len() < d.nodes[0].label.len(),
        "{p:?}"
    );
    assert_eq!(p.w, 250);
    // The narrow drawing has room for more of it.
    assert!(l.narrow.nodes[0].label.chars().count() > p.label.chars().count());
    assert_clean("long names", &d, true);
}

#[test]
fn crossings_counts_drawn_crossings() {
    // Two hosts whose identities are listed the other way round cross once.
    let w = world_of("rg:g;c:vm:g:a;c:vm:g:b;id:g:ib;id:g:ia;ua:a:ia;ua:b:ib");
    let d = diagram(&w);
    let mut l = layout(&d).wide;
    assert_eq!(crossings(&l), 0);
    // Swap the identities' places: now the two edges cross.
    let (i, j) = (
        l.nodes
            .iter()
            .position(|p| d.nodes[p.node].id == "id:ia")
            .expect("ia"),
        l.nodes
            .iter()
            .position(|p| d.nodes[p.node].id == "id:ib")
            .expect("ib"),
    );
    let (yi, yj, x) = (l.nodes[i].y, l.nodes[j].y, l.nodes[i].x);
    assert_ne!(yi, yj);
    for r in &mut l.edges {
        for pt in &mut r.points {
            if *pt == (x, yi + 24) {
                pt.1 = yj + 24;
            } else if *pt == (x, yj + 24) {
                pt.1 = yi + 24;
            }
        }
    }
    assert_eq!(crossings(&l), 1);
}

/// A small deterministic generator of action lists (names from a tiny pool, so actions often
/// refer to each other and often fail).
fn random_actions(seed: u64, n: usize) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut out = vec!["rg:g".to_string(), "t:kv:g:kv1".to_string()];
    let hosts = ["h1", "h2", "h3"];
    let ids = ["i1", "i2"];
    let kinds = ["vm", "app", "func", "aca"];
    for _ in 0..n {
        let h = hosts[next(3) as usize];
        let i = ids[next(2) as usize];
        let a = match next(11) {
            0 | 1 => format!("c:{}:g:{h}", kinds[next(4) as usize]),
            2 => format!("si:{h}"),
            3 => format!("id:g:{i}"),
            4 => format!("ua:{h}:{i}"),
            5 => format!("ra:s:{h}:kvsu:r/kv1"),
            6 => format!("ra:u:{i}:reader:rg/g"),
            7 => format!("-r:{h}"),
            8 => format!("-id:{i}"),
            9 => format!("ra:u:{i}:contrib:r/{h}"),
            _ => "ra:s:h1:reader:sub".to_string(),
        };
        out.push(a);
    }
    out.join(";")
}

#[test]
fn random_worlds_never_panic_and_stay_tidy() {
    let mut clean = 0;
    for seed in 0..300 {
        let mut w = World::new(DEFAULT_SEED, EPOCH);
        let mut prev = w.clone();
        for a in dsl::parse_actions(&random_actions(seed, 14)).unwrap_or_default() {
            prev = w.clone();
            let _ = w.apply(&a);
        }
        let d = diagram_between(&prev, &w);
        let l = layout(&d);
        for lay in [&l.wide, &l.narrow] {
            assert_eq!(collisions(lay), 0, "seed {seed}");
            let s = svg_markup(&d, lay, &SvgOptions::default());
            assert_eq!(s.matches("<g").count(), s.matches("</g>").count());
        }
        clean += usize::from(crossings(&l.wide) == 0);
    }
    // Not every random world is planar, but nearly all are drawn without a crossing.
    assert!(clean >= 280, "{clean} of 300 without crossings");
}

#[test]
fn an_empty_world_draws_nothing() {
    let d = diagram(&World::new(DEFAULT_SEED, EPOCH));
    let l = layout(&d);
    assert!(l.wide.nodes.is_empty() && l.wide.edges.is_empty());
    assert!(l.wide.width > 0 && l.wide.height > 0);
    assert!(l.narrow.heads.is_empty());
    assert_eq!(crossings(&l.wide), 0);
}

#[test]
fn the_system_lane_after_recreation_shows_the_new_identity_beside_the_orphaned_assignment() {
    let st = play(Lane::System, 6, EPOCH);
    assert_eq!(st.spec.title, "Recreate it with the same name");
    let ra = format!("ra:{}", st.world.role_assignments[0].name);
    let missing = format!("oid:{SYS_OID_1}");
    let d = lane_diagram(&st);
    // The new identity: changed (a new oid), beside the old assignment.
    assert_eq!(
        change_of(&d, "si:app-web"),
        (Some(Change::Changed), Some("new oid"))
    );
    assert_eq!(
        d.node("si:app-web").map(|n| n.detail.as_str()),
        Some("oid ec1f…2a19")
    );
    // The assignment still points at the old, missing principal and grants on the vault.
    assert!(d.node(&ra).is_some());
    assert!(d.node(&missing).is_some());
    assert!(d.edges.iter().any(|e| e.from == ra && e.to == missing));
    assert!(!d.edges.iter().any(|e| e.from == ra && e.to == "si:app-web"));
    // The next step reads the secret with the new identity's token: 403, drawn.
    let d = lane_diagram(&play(Lane::System, 7, EPOCH));
    assert!(d.node(&missing).is_some());
    assert!(d
        .edges
        .iter()
        .any(|e| e.kind == EdgeKind::Access && e.status == Some(403)));
}

/// A small XML well-formedness check: balanced tags, quoted attributes, known entities, CDATA
/// closed. Returns the first problem.
fn well_formed(s: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = s;
    let entity_ok = |t: &str| -> Result<(), String> {
        let mut it = t.split('&').skip(1);
        it.try_for_each(|e| {
            let name = e.split(';').next().unwrap_or("");
            let known = ["lt", "gt", "amp", "quot", "apos"].contains(&name)
                || (name.starts_with('#') && name.len() > 1);
            if e.contains(';') && known {
                Ok(())
            } else {
                Err(format!("bad entity near &{}", &e[..e.len().min(12)]))
            }
        })
    };
    while let Some(i) = rest.find('<') {
        entity_ok(&rest[..i])?;
        rest = &rest[i..];
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            let end = r.find("]]>").ok_or("CDATA not closed")?;
            rest = &r[end + 3..];
            continue;
        }
        let end = rest.find('>').ok_or("tag not closed")?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag
            .split_whitespace()
            .next()
            .ok_or("empty tag")?
            .to_string();
        // Attributes: name="value" pairs.
        let mut attrs = tag[name.len()..].trim();
        while !attrs.is_empty() {
            let eq = attrs
                .find("=\"")
                .ok_or(format!("unquoted attribute in <{name}>"))?;
            let key = &attrs[..eq];
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(format!("bad attribute name '{key}' in <{name}>"));
            }
            let after = &attrs[eq + 2..];
            let close = after.find('"').ok_or("attribute not closed")?;
            let value = &after[..close];
            if value.contains('<') {
                return Err(format!("< in attribute {key}"));
            }
            entity_ok(value)?;
            attrs = after[close + 1..].trim_start();
        }
        if !self_closing {
            stack.push(name);
        }
    }
    entity_ok(rest)?;
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("not closed: {stack:?}"))
    }
}

#[test]
fn every_drawn_svg_is_well_formed_self_contained_and_free_of_ids() {
    let mut diagrams: Vec<Diagram> = Vec::new();
    for lane in [Lane::System, Lane::User] {
        for step in 0..lane.step_count() {
            diagrams.push(lane_diagram(&play(lane, step, EPOCH)));
        }
    }
    for p in PRESETS {
        diagrams.push(diagram(&world_of(p.actions)));
    }
    diagrams.push(diagram(&World::default_scenario(EPOCH)));
    // Text that needs escaping everywhere.
    let mut odd = Diagram::default();
    odd.add(
        "c:<x>&\"".into(),
        NodeKind::Host,
        "a&b <c> \"d\" 'e'".into(),
        "]]> &amp;".into(),
        "<script>alert(1)</script>".into(),
    );
    diagrams.push(odd);
    let style = export_style(
        ":root { --bg: light-dark(#fff, #000); } .dg-box { fill: var(--bg); }",
        true,
    );
    for d in &diagrams {
        let l = layout(d);
        for (placed, class) in [(&l.wide, "dg-wide"), (&l.narrow, "dg-narrow")] {
            for (interactive, style) in [(true, None), (false, Some(style.as_str()))] {
                let o = SvgOptions {
                    class,
                    title: "A <title> & \"more\"",
                    interactive,
                    style,
                };
                let s = svg_markup(d, placed, &o);
                well_formed(&s).unwrap_or_else(|e| panic!("{e}\n{s}"));
                // Self-contained: nothing to fetch, no script.
                for bad in [
                    "href",
                    "url(",
                    "@import",
                    "<script",
                    "<image",
                    "<foreignObject",
                ] {
                    assert!(!s.contains(bad), "{bad} in {s}");
                }
                // Text may quote a URL (a cluster's OIDC issuer); no attribute but xmlns holds one.
                assert_eq!(s.matches("=\"http").count(), 1, "only the xmlns: {s}");
                // No ids: several drawings on one page cannot clash.
                assert!(!s.contains(" id=\""), "{s}");
                assert_eq!(s.contains("<style"), style.is_some());
            }
        }
    }
    // The checker itself catches what it should.
    assert!(well_formed("<svg><g></svg>").is_err());
    assert!(well_formed("<svg a=b></svg>").is_err());
    assert!(well_formed("<svg>a & b</svg>").is_err());
    assert!(well_formed("<svg><![CDATA[x</svg>").is_err());
}

#[test]
fn every_resource_of_the_default_world_has_a_node_that_names_it_back() {
    let w = crate::cloud::World::default_scenario(crate::cloud::time::EPOCH);
    let names: Vec<String> = w
        .computes
        .iter()
        .map(|c| c.name.clone())
        .chain(w.identities.iter().map(|i| i.name.clone()))
        .chain(w.targets.iter().map(|t| t.name.clone()))
        .chain(w.role_assignments.iter().map(|r| r.name.clone()))
        .collect();
    assert!(names.len() > 5);
    for n in &names {
        let node = node_of_resource(&w, n).unwrap_or_else(|| panic!("{n}: no node"));
        assert_eq!(resource_of_node(&node), Some(n.as_str()), "{node}");
    }
    assert_eq!(resource_of_node("si:vm-web"), Some("vm-web"));
    assert_eq!(resource_of_node("missing:x"), None);
    assert_eq!(node_of_resource(&w, "no-such-thing"), None);
}
