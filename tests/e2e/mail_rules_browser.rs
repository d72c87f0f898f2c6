//! A department's mail rules in headless Chromium: the admin's department
//! page shows the department's own address, an admin switches on "mail to
//! the desk's address opens a ticket" for Technical support, the page says
//! it is saved, the setting holds after a reload, and axe-core finds nothing
//! wrong with the rules shown.

use shared::i18n::{ConsoleKey, Lang};

use crate::{
    chrome::xpath_literal, console_browser::c, console_pages::admin_browser, harness::TestApp,
};

#[tokio::test]
async fn an_admin_lets_mail_open_tickets_in_a_department() {
    let app = TestApp::spawn_with(Default::default()).await;
    let (b, _) = admin_browser(&app).await;
    let en = |key| c(Lang::En, key);
    b.click("a", en(ConsoleKey::Departments)).await;
    let form = "//form[@aria-labelledby='department-technical technical-mail-title']";
    b.wait(&format!(
        "{form}//bdi[normalize-space()='support+technical@desk.test']"
    ))
    .await;
    b.wait("//label[@for='technical-new-tickets']")
        .await
        .click()
        .await
        .expect("tick");
    b.check_accessibility("a department's mail rules").await;
    b.wait(&format!(
        "{form}//button[normalize-space()={}]",
        xpath_literal(en(ConsoleKey::Save))
    ))
    .await
    .click()
    .await
    .expect("save");
    b.wait(&format!(
        "{form}//p[normalize-space()={}]",
        xpath_literal(en(ConsoleKey::Saved))
    ))
    .await;
    let rules = "SELECT tickets_by_email * 10 + agents_reply_by_email FROM departments
                 WHERE slug = 'technical'";
    assert_eq!(
        app.count(rules),
        10,
        "new tickets on, staff answers still off"
    );

    b.client.refresh().await.expect("reload");
    for (id, on) in [
        ("technical-new-tickets", "true"),
        ("technical-agents-reply", "false"),
    ] {
        let checkbox = b.wait(&format!("//input[@id='{id}']")).await;
        let checked = checkbox.prop("checked").await.expect("prop");
        assert_eq!(checked.as_deref(), Some(on), "{id}");
    }
}
