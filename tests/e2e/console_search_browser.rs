//! Search in the console, in Chromium and in Persian (right to left): an
//! agent finds a ticket by a Persian word typed with the Arabic kaf and by
//! a word of its second message, sees the hit marked, and is told when
//! nothing matches; `/` puts the cursor in the search field.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::i18n::{ConsoleKey, Lang};

use crate::{
    chrome::{Browser, xpath_literal},
    console_browser::{DESKTOP, c, sign_in, until},
    console_kit::{PASSWORD, add_staff, set_password},
    harness::{TestApp, expect_status, ticket_body},
    smtp::SmtpSink,
};

const FA: Lang = Lang::Fa;

#[tokio::test]
async fn an_agent_finds_a_persian_ticket_typed_with_the_arabic_kaf() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let other = app
        .open_confirmed_ticket(&smtp, "other@example.com", &[])
        .await;
    let other = other["reference"].as_str().expect("reference").to_owned();

    // A Persian ticket, confirmed, and a second message from its customer.
    let customer = TestApp::new_client();
    let mut body = ticket_body("maryam@example.com", &[]);
    body["lang"] = json!("fa");
    body["subject"] = json!("کتاب‌ها هنوز نرسیده");
    body["description"] = json!("سفارش را پیگیری کنید");
    let created: Value = expect_status(
        app.post(&customer, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let reference = created["reference"].as_str().expect("reference").to_owned();
    let token = smtp.wait_for("maryam@example.com", 1).await[0].link_token();
    assert_eq!(app.redeem(&customer, &token).await.status(), StatusCode::OK);
    let second = app
        .post(
            &customer,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": "جعبه آسیب دیده بود", "uploads": [] }),
        )
        .await;
    assert_eq!(second.status(), StatusCode::CREATED);

    let token = add_staff(&app, "mina@desk.test", "Mina", "admin");
    assert_eq!(
        set_password(&app, &token, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    let b = Browser::start_sized("fa-IR", DESKTOP).await;
    b.client
        .goto(&format!("{}/console", app.url))
        .await
        .expect("open");
    sign_in(&b, FA, "mina@desk.test").await;
    let row = |r: &str| format!("//a[@href='/console/tickets/{r}']");
    let gone =
        |r: &str| format!("return !document.querySelector(\"a[href='/console/tickets/{r}']\")");
    b.wait(&row(&reference)).await;
    b.wait(&row(&other)).await;
    assert_eq!(b.eval("return document.documentElement.dir").await, "rtl");

    // The subject says کتاب (Persian kaf); the agent types كتاب (Arabic).
    let field = b.field(c(FA, ConsoleKey::Search)).await;
    field.send_keys("كتاب").await.expect("type");
    until(&b, &gone(&other)).await;
    b.wait(&row(&reference)).await;
    let mark = |text: &str| {
        format!(
            "//p[contains(@class,'queue-snippet')]//mark[normalize-space()={}]",
            xpath_literal(text)
        )
    };
    b.wait(&mark("کتاب‌ها")).await;
    let url = b.client.current_url().await.expect("url");
    assert!(url.query().unwrap_or_default().contains("q="), "{url}");

    // A word only its second message has (آ written as ا), sent with Enter.
    field.clear().await.expect("clear");
    field.send_keys("اسیب\n").await.expect("type");
    b.wait(&mark("آسیب")).await;
    b.wait(&row(&reference)).await;
    until(&b, &gone(&other)).await;

    // Nothing matches: said so, in Persian.
    field.clear().await.expect("clear");
    field.send_keys("ناموجود\n").await.expect("type");
    let none = ConsoleKey::SearchNoResults.fill(FA, &[("q", "ناموجود")]);
    b.text("p", &none).await;
    until(&b, &gone(&reference)).await;
    b.check_accessibility("search without results").await;

    // `/` elsewhere on the page puts the cursor back in the field.
    b.eval("document.activeElement.blur(); return 'ok'").await;
    b.wait("//body")
        .await
        .send_keys("/")
        .await
        .expect("press /");
    until(&b, "return document.activeElement.id === 'search'").await;
    assert_eq!(
        b.eval("return document.getElementById('search').value")
            .await,
        "ناموجود",
        "the slash is not typed into the field"
    );
}
