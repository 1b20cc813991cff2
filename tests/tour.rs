//! Browser tests of the tour (`#/`): step navigation in the fragment, deep links, the SQL and
//! SDK widgets and their pure generators, links into the other pages.
#![cfg(target_arch = "wasm32")]

use mi_playground::ui::pages::tour::sample;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

fn step_of(app: &Mounted) -> String {
    app.query("[data-testid=tour-step]")
        .and_then(|s| s.get_attribute("data-step"))
        .unwrap_or_default()
}

fn heading(app: &Mounted) -> String {
    app.text_of("#tour-step-title")
}

fn active_element_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn links(app: &Mounted) -> Vec<(String, String)> {
    app.query_all("[data-testid=tour-links] a")
        .iter()
        .map(|a| {
            (
                a.text_content().unwrap_or_default(),
                a.get_attribute("href").unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn starts_at_step_one_and_next_previous_replace_the_fragment() {
    let app = mount("#/").await;
    assert!(app.text_of("h1").contains("Managed identities"));
    assert_eq!(step_of(&app), "1");
    assert!(heading(&app).contains("What a managed identity is"));
    assert_eq!(app.query_all("[data-testid=tour-steps] li").len(), 6);
    let history_len = web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .length()
        .unwrap();

    app.click_button("Next").await;
    assert_eq!(step_of(&app), "2");
    assert_eq!(current_hash(), "#/?step=2");
    assert!(
        heading(&app).contains("System-assigned"),
        "{}",
        heading(&app)
    );
    assert_eq!(active_element_id(), "tour-step-title");
    // The step shows the system-assigned sample's headline and the claims that name it.
    assert!(
        app.testid("headline")
            .starts_with("System-assigned identity of VM vm-web (resource group rg-playground)"),
        "{}",
        app.testid("headline")
    );
    assert!(app
        .testid("tour-xms_mirid")
        .ends_with("/virtualMachines/vm-web"));

    app.click_button("Next").await;
    assert_eq!(current_hash(), "#/?step=3");
    app.click_button("Previous").await;
    assert_eq!(current_hash(), "#/?step=2");
    assert_eq!(step_of(&app), "2");
    // Replace, not push: no history entries were added.
    assert_eq!(
        web_sys::window()
            .unwrap()
            .history()
            .unwrap()
            .length()
            .unwrap(),
        history_len
    );
    app.unmount();
}

#[wasm_bindgen_test]
async fn step_list_links_are_deep_links_and_mark_the_current_step() {
    let app = mount("#/?step=2").await;
    let items = app.query_all("[data-testid=tour-steps] a");
    let hrefs: Vec<String> = items
        .iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect();
    assert_eq!(hrefs[0], "#/?step=1");
    assert_eq!(hrefs[5], "#/?step=6");
    assert_eq!(
        items[1].get_attribute("aria-current").as_deref(),
        Some("step")
    );
    items[3].dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    flush().await;
    assert_eq!(current_hash(), "#/?step=4");
    assert_eq!(step_of(&app), "4");
    assert_eq!(active_element_id(), "tour-step-title");
    app.unmount();
}

#[wasm_bindgen_test]
async fn deep_link_opens_step_five_and_out_of_range_is_clamped() {
    let app = mount("#/?step=5").await;
    assert_eq!(step_of(&app), "5");
    assert!(heading(&app).contains("Azure SQL"));
    navigate("#/?step=99").await;
    assert_eq!(step_of(&app), "6");
    navigate("#/?step=abc").await;
    assert_eq!(step_of(&app), "1");
    app.unmount();
}

#[wasm_bindgen_test]
async fn sql_widget_writes_t_sql_for_system_and_user_names() {
    let app = mount("#/?step=5").await;
    let sql = app.testid("tour-sql");
    assert!(
        sql.contains("CREATE USER [vm-web] FROM EXTERNAL PROVIDER;"),
        "{sql}"
    );
    app.type_into("#tour-sql-name", "app-orders").await;
    let sql = app.testid("tour-sql");
    assert!(sql.contains("CREATE USER [app-orders] FROM EXTERNAL PROVIDER;"));
    assert!(sql.contains("ALTER ROLE db_datareader ADD MEMBER [app-orders];"));
    assert!(sql.contains("system-assigned: the resource's name"));
    assert!(current_hash().contains("name=app-orders"));

    app.choose("#tour-sql-kind", "user").await;
    assert_eq!(app.text_of("label[for=tour-sql-name]"), "Identity name");
    app.type_into("#tour-sql-name", "id]odd").await;
    let sql = app.testid("tour-sql");
    assert!(
        sql.contains("CREATE USER [id]]odd] FROM EXTERNAL PROVIDER;"),
        "{sql}"
    );
    assert!(sql.contains("ALTER ROLE db_datareader ADD MEMBER [id]]odd];"));
    assert!(sql.contains("user-assigned: the identity's name"));
    assert!(current_hash().contains("sql=user"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn sdk_widget_with_and_without_client_id() {
    let app = mount("#/?step=6").await;
    let code = app.testid("tour-sdk");
    assert!(
        code.contains("new ManagedIdentityCredential(\n    ManagedIdentityId.SystemAssigned);"),
        "{code}"
    );
    app.choose("#tour-lang", "python").await;
    let code = app.testid("tour-sdk");
    assert!(
        code.contains("credential = ManagedIdentityCredential()\n"),
        "{code}"
    );
    assert!(code.contains("# credential = DefaultAzureCredential()\n"));
    app.type_into("#tour-client-id", " 52921c3a-d59b-414f-9157-7a808203ea8f ")
        .await;
    let code = app.testid("tour-sdk");
    assert!(
        code.contains(
            "credential = ManagedIdentityCredential(client_id=\"52921c3a-d59b-414f-9157-7a808203ea8f\")"
        ),
        "{code}"
    );
    assert!(code.contains(
        "DefaultAzureCredential(managed_identity_client_id=\"52921c3a-d59b-414f-9157-7a808203ea8f\")"
    ));
    assert!(current_hash().contains("lang=python"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn token_step_shows_the_response_shape_and_deep_links() {
    let app = mount("#/?step=4").await;
    let body = app.testid("tour-response");
    assert!(body.starts_with(&format!(
        "{{\"access_token\":\"{}\",\"client_id\":\"",
        sample(0)
    )));
    // A fresh token: expires_in 86400; ext_expires_in is IMDS's constant 86399.
    assert!(
        body.contains(
            "\"expires_in\":\"86400\",\"expires_on\":\"1764633600\",\"ext_expires_in\":\"86399\""
        ),
        "{body}"
    );
    assert!(body.ends_with(
        "\"not_before\":\"1764546900\",\"resource\":\"https://management.azure.com/\",\"token_type\":\"Bearer\"}"
    ));
    let links = links(&app);
    assert!(links.contains(&("Try it in the IMDS simulator".into(), "#/imds".into())));
    assert!(links.contains(&(
        "Decode the token in this answer".into(),
        "#/decoder?sample=system".into()
    )));
    // Every statement carries its certainty; the legend explains the badges.
    assert!(!app
        .query_all(".tour-lead [data-testid=certainty]")
        .is_empty());
    assert!(app
        .testid("certainty-legend")
        .contains("Microsoft documentation"));
    let more = app.testid("tour-more");
    assert!(more.contains("ext_expires_in"), "{more}");
    assert!(!sample(0).is_empty());
    app.unmount();
}

#[wasm_bindgen_test]
async fn user_step_compares_the_samples_and_links_to_flows() {
    let app = mount("#/?step=3").await;
    assert_eq!(app.testid("identity-kind"), "User-assigned");
    // Only the claims that name the identity are shown; the rest is folded.
    assert_eq!(
        app.query_all("[data-testid=tour-diff] [data-testid=diff-row]")
            .len(),
        4
    );
    assert!(!app
        .query_all("[data-testid=tour-diff-other] [data-testid=diff-row]")
        .is_empty());
    let rows = app.query_all("[data-testid=diff-row]");
    let names: Vec<String> = rows
        .iter()
        .map(|r| r.get_attribute("data-claim").unwrap_or_default())
        .collect();
    for key in ["oid", "appid", "xms_mirid", "xms_az_rid"] {
        let row = rows
            .iter()
            .find(|r| r.get_attribute("data-claim").as_deref() == Some(key))
            .unwrap_or_else(|| panic!("{key} in {names:?}"));
        assert!(
            row.get_attribute("class")
                .unwrap_or_default()
                .contains("tour-key"),
            "{key}"
        );
    }
    assert!(!names.iter().any(|n| n == "aud" || n == "tid"), "{names:?}");
    let links = links(&app);
    assert!(links.iter().any(|(_, h)| h == "#/flows?lane=user&user=3"));
    navigate("#/?step=2").await;
    assert!(self::links(&app)
        .iter()
        .any(|(_, h)| h == "#/flows?lane=system&system=1"));
    app.unmount();
}

#[wasm_bindgen_test]
async fn the_tour_opens_with_a_picture_and_ends_in_flows() {
    let app = mount("#/?step=1").await;
    assert_eq!(app.query_all("[data-testid=tour-picture] li").len(), 5);
    assert_eq!(app.query_all(".tour-lead").len(), 1);
    navigate("#/?step=6").await;
    let to_flows = app
        .query("[data-testid=tour-to-flows]")
        .expect("the way on");
    assert_eq!(
        to_flows.get_attribute("href").as_deref(),
        Some("#/flows?lane=system&system=1")
    );
    assert!(app
        .text_of("[data-testid=tour-to-flows]")
        .contains("Now see it break"));
    app.unmount();
}
