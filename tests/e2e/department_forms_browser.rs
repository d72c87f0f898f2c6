//! A department's form in the wizard, in headless Chromium and in Persian:
//! Financial support asks for a transaction number; letters are refused
//! next to the field, in Persian, with nothing typed lost; Persian digits
//! pass, and staff read the number on the ticket.

use reqwest::StatusCode;
use serde_json::Value;
use shared::i18n::{Key, Lang};

use crate::{
    chrome::Browser,
    console_kit::Desk,
    harness::{TestApp, expect_status},
};

const FA: Lang = Lang::Fa;

fn t(key: Key) -> &'static str {
    key.text(FA)
}

#[tokio::test]
async fn a_customer_answers_the_financial_form_with_persian_digits() {
    let desk = Desk::start().await;
    let app: &TestApp = &desk.app;
    let browser = Browser::start("fa").await;
    let b = &browser;
    let email_address = "payer.fa@example.com";
    let subject_text = "برداشت نرسیده است";
    let description_text = "مبلغ را دوشنبه برداشت کردم و هنوز به حسابم نرسیده است.";

    b.client
        .goto(&format!("{}/new", app.url))
        .await
        .expect("wizard");
    b.text("h2", t(Key::WizardChannelTitle)).await;
    b.field(t(Key::Email))
        .await
        .send_keys(email_address)
        .await
        .expect("type");
    b.click("button", t(Key::Next)).await;
    b.text("h2", t(Key::WizardDepartmentTitle)).await;
    b.click("label", "پشتیبانی مالی").await;
    b.click("button", t(Key::Next)).await;

    // Step 3 asks the Financial form's question, worded in Persian.
    b.text("h2", t(Key::WizardDetailsTitle)).await;
    b.text("p", "شماره‌ای که روی رسید یا صورت‌حساب بانکی شما آمده است.")
        .await;
    let transaction = b.field("شماره تراکنش").await;
    let id = transaction.attr("id").await.expect("attr").expect("id");
    b.field(t(Key::Subject))
        .await
        .send_keys(subject_text)
        .await
        .expect("type");
    b.field(t(Key::Description))
        .await
        .send_keys(description_text)
        .await
        .expect("type");
    transaction.send_keys("12AB").await.expect("type");
    b.click("button", t(Key::Send)).await;
    b.expect_text(&format!("{id}-error"), t(Key::ErrPatternDigits))
        .await;
    assert_eq!(
        transaction
            .attr("aria-invalid")
            .await
            .expect("attr")
            .as_deref(),
        Some("true")
    );
    // Nothing typed is lost, and the page stays Persian and accessible.
    for (label, typed) in [
        ("شماره تراکنش", "12AB"),
        (t(Key::Subject), subject_text),
        (t(Key::Description), description_text),
    ] {
        let field = b.field(label).await;
        assert_eq!(
            field.prop("value").await.expect("prop").as_deref(),
            Some(typed)
        );
    }
    b.check_page(FA, &[email_address]).await;
    b.check_accessibility("step 3 with a department's form")
        .await;

    // Fixed with Persian digits: the ticket goes, and keeps ASCII digits.
    transaction.clear().await.expect("clear");
    transaction.send_keys("۴۴۵۵۶۶۷۷").await.expect("type");
    b.expect_text(&format!("{id}-error"), "").await;
    b.click("button", t(Key::Send)).await;
    b.text("h1", t(Key::SentTitle)).await;
    let mail = desk.smtp.wait_for(email_address, 1).await.remove(0);

    // The customer's ticket page shows the answer with its label.
    b.client.goto(&mail.link()).await.expect("open the link");
    b.text("dt", "شماره تراکنش").await;
    b.text("dd", "44556677").await;
    let reference = b
        .client
        .current_url()
        .await
        .expect("url")
        .path()
        .trim_start_matches("/tickets/")
        .to_owned();

    // Staff read it on the ticket.
    let ticket: Value = expect_status(
        app.get(
            &desk.admin,
            &format!("/console/tickets/{reference}?lang=en"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ticket["answers"][0]["label"], "Transaction number");
    assert_eq!(ticket["answers"][0]["value"], "44556677");
}
