//! A Persian customer's reply by email in the console, in Chromium at 768 px:
//! the message shows only its new text, marked "by email", and the whole
//! email unfolds under it for the agent — right to left, no Latin but the
//! data, axe-core clean, folded and unfolded.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::i18n::{ConsoleKey, Lang};

use crate::{
    chrome::{Browser, xpath_literal},
    console_browser::{NARROW, c, sign_in, until},
    console_kit::Desk,
    harness::{TestApp, expect_status, ticket_body},
    mail_ingest::{bare, ingest},
};

#[tokio::test]
async fn a_persian_reply_by_email_is_marked_in_the_console_with_the_whole_email_under_it() {
    let desk = Desk::start().await;
    let (app, fa) = (&desk.app, Lang::Fa);
    let customer = "maryam@example.com";
    let mut body = ticket_body(customer, &[]);
    body["lang"] = json!("fa");
    body["subject"] = json!("برداشت نرسیده است");
    body["description"] = json!("دوشنبه برداشت کردم و هنوز به حسابم نرسیده است.");
    let client = TestApp::new_client();
    let created: Value = expect_status(
        app.post(&client, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let reference = created["reference"].as_str().expect("reference").to_owned();
    let confirmation = desk.smtp.wait_for(customer, 1).await.remove(0);
    expect_status::<Value>(
        app.redeem(&client, &confirmation.link_token()).await,
        StatusCode::OK,
    )
    .await;

    // She answers the mail from her phone, quoting it.
    let reply_to = bare(confirmation.header("Reply-To").expect("Reply-To"));
    let new_text = "شماره تراکنش ۴۴۸۲۱ است.";
    let quote = "> لطفاً درخواست خود را تأیید کنید.";
    let raw = format!(
        "From: {customer}\nTo: {reply_to}\nSubject: Re: [#{reference}]\nMessage-ID: <fa-browser-1@example.ir>\nContent-Type: text/plain; charset=UTF-8\n\n{new_text}\n\nدر تاریخ چهارشنبه ۵ آذر ۱۴۰۵ ساعت ۱۰:۰۰ Support <{reply_to}> نوشت:\n{quote}\n"
    );
    let (code, said) = ingest(app, raw.into_bytes());
    assert_eq!(code, 0, "{said}");

    let browser = Browser::start_sized("fa-IR", NARROW).await;
    let b = &browser;
    b.client
        .goto(&format!("{}/console/sign-in", app.url))
        .await
        .expect("open");
    sign_in(b, fa, "admin@desk.test").await;
    b.client
        .goto(&format!("{}/console/tickets/{reference}", app.url))
        .await
        .expect("open the ticket");
    let message = format!(
        "//li[contains(@class,'from-customer')][.//span[normalize-space()={}]]",
        xpath_literal(c(fa, ConsoleKey::ByEmail))
    );
    b.wait(&format!(
        "{message}/div[normalize-space()={}]",
        xpath_literal(new_text)
    ))
    .await;
    let allowed = [customer, "Ada Admin"];
    b.check_page(fa, &allowed).await;
    b.check_accessibility("a reply by email, folded").await;

    // The whole email, quote included, for the agent who wants it.
    b.click("summary", c(fa, ConsoleKey::EmailOriginal)).await;
    until(
        b,
        &format!(
            "return String(document.querySelector('details.message-original').innerText.includes({}))",
            serde_json::to_string(quote).expect("json")
        ),
    )
    .await;
    let address = reply_to.as_str();
    b.check_page(fa, &[customer, "Ada Admin", address, "Support"])
        .await;
    b.check_accessibility("a reply by email, unfolded").await;
}
