//! Department forms in headless Chromium. In the wizard, in Persian:
//! Financial support asks for a transaction number; letters are refused
//! next to the field, in Persian, with nothing typed lost; Persian digits
//! pass, and staff read the number on the ticket. In the console: an admin
//! adds a required digits field to a department, and removes it.

use reqwest::StatusCode;
use serde_json::Value;
use shared::i18n::{ConsoleKey, Key, Lang};

use crate::{
    chrome::{Browser, xpath_literal},
    console_browser::c,
    console_kit::Desk,
    console_pages::admin_browser,
    department_forms::wizard_fields,
    harness::{TestApp, eventually, expect_status},
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

#[tokio::test]
async fn an_admin_adds_a_field_to_a_department_and_removes_it() {
    let app = TestApp::spawn_with(Default::default()).await;
    let (b, _) = admin_browser(&app).await;
    let en = |key| c(Lang::En, key);
    b.click("a", en(ConsoleKey::Departments)).await;
    let form = "//form[@aria-labelledby='department-technical technical-form-title']";
    let button = |key| {
        format!(
            "{form}//button[normalize-space()={}]",
            xpath_literal(en(key))
        )
    };
    let saved = format!(
        "{form}//p[normalize-space()={}]",
        xpath_literal(en(ConsoleKey::Saved))
    );
    b.wait(&button(ConsoleKey::FormAddField))
        .await
        .click()
        .await
        .expect("add");
    b.wait("//input[@id='technical-field-0-label-en']")
        .await
        .send_keys("Order number")
        .await
        .expect("type");
    b.wait("//select[@id='technical-field-0-pattern']")
        .await
        .select_by_value("digits")
        .await
        .expect("pattern");
    b.wait("//label[@for='technical-field-0-required']")
        .await
        .click()
        .await
        .expect("tick");
    b.check_accessibility("a department's form with a new field")
        .await;
    b.wait(&button(ConsoleKey::FormSaveFields))
        .await
        .click()
        .await
        .expect("save");
    b.wait(&saved).await;
    let fields = wizard_fields(&app, "technical", "en").await;
    assert_eq!(fields[0]["label"], "Order number");
    assert_eq!(fields[0]["pattern"], "digits");
    assert_eq!(fields[0]["required"], true);

    b.wait(&button(ConsoleKey::FormRemoveField))
        .await
        .click()
        .await
        .expect("remove");
    b.wait(&button(ConsoleKey::FormSaveFields))
        .await
        .click()
        .await
        .expect("save");
    let count = "SELECT count(*) FROM department_fields f
                 JOIN departments d ON d.id = f.department_id WHERE d.slug = 'technical'";
    eventually("the field removed", || {
        (app.count(count) == 0).then_some(())
    })
    .await;
    assert!(wizard_fields(&app, "technical", "en").await.is_empty());
}
