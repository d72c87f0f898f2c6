//! The staff console's harder corners in Chromium: a reply after someone
//! else wrote (warned, then sent on purpose) with who-is-here notices, a
//! second factor enrolled from the security page and used to sign in, and
//! a department added and offered to customers.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::i18n::{ConsoleKey, Lang};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{
    chrome::{Browser, xpath_literal},
    console_browser::{DESKTOP, NARROW, c, sign_in},
    console_kit::{PASSWORD, add_staff, admin, set_password},
    harness::{TestApp, expect_status},
    smtp::SmtpSink,
};

const EN: Lang = Lang::En;

/// An admin made from the command line, signed in in a desktop browser;
/// also returns an HTTP client signed in as someone else (another admin).
pub async fn admin_browser(app: &TestApp) -> (Browser, reqwest::Client) {
    let other = admin(app).await;
    let token = add_staff(app, "bea@desk.test", "Bea Boss", "admin");
    let saved = set_password(app, &token, PASSWORD).await;
    assert_eq!(saved.status(), StatusCode::NO_CONTENT);
    let b = Browser::start_sized("en-US", DESKTOP).await;
    b.client
        .goto(&format!("{}/console", app.url))
        .await
        .expect("open");
    sign_in(&b, EN, "bea@desk.test").await;
    (b, other)
}

#[tokio::test]
async fn a_reply_after_someone_else_wrote_is_sent_only_on_purpose() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let (b, ada) = admin_browser(&app).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "maryam@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference").to_owned();
    let row = format!("//a[@href='/console/tickets/{reference}']");
    b.wait(&row).await.click().await.expect("open the ticket");
    b.click("button", c(EN, ConsoleKey::TakeIt)).await;

    // Another admin looks at the ticket and starts typing: shown here.
    let beat = json!({ "typing": true });
    let path = format!("/console/tickets/{reference}/presence");
    expect_status::<Value>(app.post(&ada, &path, &beat).await, StatusCode::OK).await;
    let typing = ConsoleKey::PresenceTyping.fill(EN, &[("name", "Ada Admin")]);
    b.text("p", &typing).await;

    // The customer writes while Bea types her reply.
    let reply = b.field(c(EN, ConsoleKey::Reply)).await;
    reply.send_keys("We are on it").await.expect("type");
    let customer = "Any news? It is urgent.";
    let sent = app
        .post(
            &app.client,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": customer, "uploads": [] }),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let message = |class: &str, text: &str| {
        format!(
            "//li[contains(@class,'{class}')]/div[normalize-space()={}]",
            xpath_literal(text)
        )
    };
    b.wait(&message("from-customer", customer)).await;
    reply
        .send_keys(" and will write by noon.")
        .await
        .expect("type");
    b.click("button", c(EN, ConsoleKey::SendReply)).await;
    b.text("p", c(EN, ConsoleKey::StaleWarning)).await;
    b.check_accessibility("the stale-reply warning").await;
    b.click("button", c(EN, ConsoleKey::SendAnyway)).await;
    b.text("p", c(EN, ConsoleKey::ReplySent)).await;
    b.wait(&message(
        "from-agent",
        "We are on it and will write by noon.",
    ))
    .await;
    b.eval("window.scrollTo(0, 0); return ''").await;
    b.screenshot(&format!("console-ticket-en-{DESKTOP}.png"))
        .await;
}

#[tokio::test]
async fn a_second_factor_is_enrolled_and_then_asked_for() {
    let app = TestApp::spawn_with(Default::default()).await;
    let (b, _) = admin_browser(&app).await;
    b.click("a", c(EN, ConsoleKey::Security)).await;
    b.text("h1", c(EN, ConsoleKey::Security)).await;
    b.click("button", c(EN, ConsoleKey::TotpStart)).await;
    // The secret as text to type in, the URI as a link (no QR code).
    let secret = b.wait("//code[contains(@class,'secret')]").await;
    let secret = secret.text().await.expect("text");
    let uri = b
        .text("a", c(EN, ConsoleKey::TotpOpenApp))
        .await
        .attr("href")
        .await
        .expect("attr")
        .expect("href");
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    b.check_accessibility("enrolling a second factor").await;
    let bytes = Secret::Encoded(secret).to_bytes().expect("base32");
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).expect("totp");
    let code = totp.generate_current().expect("code");
    b.field(c(EN, ConsoleKey::Code))
        .await
        .send_keys(&code)
        .await
        .expect("type");
    b.click("button", c(EN, ConsoleKey::TotpConfirm)).await;
    b.text("p", c(EN, ConsoleKey::RecoveryCodesText)).await;
    let recovery = b.wait("//ul[contains(@class,'codes')]/li[1]").await;
    let recovery = recovery.text().await.expect("text");
    b.text("p", c(EN, ConsoleKey::TotpOn)).await;
    b.check_accessibility("recovery codes").await;
    b.screenshot(&format!("console-security-en-{DESKTOP}.png"))
        .await;

    // Signing in again asks for a code; a recovery code does.
    b.click("button", c(EN, ConsoleKey::SignOut)).await;
    b.text("h1", c(EN, ConsoleKey::SignInTitle)).await;
    b.field(c(EN, ConsoleKey::Email))
        .await
        .send_keys("bea@desk.test")
        .await
        .expect("type");
    b.field(c(EN, ConsoleKey::Password))
        .await
        .send_keys(PASSWORD)
        .await
        .expect("type");
    b.click("button", c(EN, ConsoleKey::SignIn)).await;
    let field = b.field(c(EN, ConsoleKey::Code)).await;
    b.check_accessibility("sign-in asking for a code").await;
    field.send_keys(recovery.trim()).await.expect("type");
    b.click("button", c(EN, ConsoleKey::SignIn)).await;
    b.text("h1", c(EN, ConsoleKey::Queue)).await;
}

#[tokio::test]
async fn an_admin_adds_a_department_and_offers_it() {
    let app = TestApp::spawn_with(Default::default()).await;
    let (b, _) = admin_browser(&app).await;
    b.click("a", c(EN, ConsoleKey::Departments)).await;
    b.text("h1", c(EN, ConsoleKey::Departments)).await;
    b.field(c(EN, ConsoleKey::DepartmentSlug))
        .await
        .send_keys("billing")
        .await
        .expect("type");
    b.field(c(EN, ConsoleKey::DepartmentEnglishName))
        .await
        .send_keys("Billing")
        .await
        .expect("type");
    b.click("button", c(EN, ConsoleKey::AddDepartment)).await;
    b.text("h2", "Billing").await;
    // Hidden from customers until its texts are ready.
    let offered = |lang: &'static str| {
        let app = &app;
        async move {
            let list: Vec<Value> = expect_status(
                app.get(&app.client, &format!("/departments?lang={lang}"))
                    .await,
                StatusCode::OK,
            )
            .await;
            list.into_iter()
                .find(|d| d["slug"] == "billing")
                .map(|d| d["name"].as_str().unwrap_or_default().to_owned())
        }
    };
    assert_eq!(offered("fa").await, None);
    b.wait("//input[@id='billing-fa-name']")
        .await
        .send_keys("صورت‌حساب")
        .await
        .expect("type");
    b.wait("//label[@for='billing-active']")
        .await
        .click()
        .await
        .expect("tick");
    let form = "//form[.//h2[normalize-space()='Billing']]";
    b.wait(&format!("{form}//button[@type='submit']"))
        .await
        .click()
        .await
        .expect("save");
    b.wait(&format!(
        "{form}//p[normalize-space()={}]",
        xpath_literal(c(EN, ConsoleKey::Saved))
    ))
    .await;
    b.check_accessibility("departments").await;
    assert_eq!(offered("fa").await.as_deref(), Some("صورت‌حساب"));
}

#[tokio::test]
async fn every_console_page_in_russian_in_a_narrow_window() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let token = add_staff(&app, "olga@desk.test", "Ольга", "admin");
    let saved = set_password(&app, &token, PASSWORD).await;
    assert_eq!(saved.status(), StatusCode::NO_CONTENT);
    let ticket = app
        .open_confirmed_ticket(&smtp, "maryam@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference").to_owned();
    let ru = Lang::Ru;
    let b = Browser::start_sized("ru-RU", NARROW).await;
    b.client
        .goto(&format!("{}/console", app.url))
        .await
        .expect("open");
    sign_in(&b, ru, "olga@desk.test").await;
    b.wait(&format!("//a[@href='/console/tickets/{reference}']"))
        .await;
    b.check_page(ru, &[]).await;
    b.check_accessibility("the queue in Russian").await;
    for page in [
        ConsoleKey::Staff,
        ConsoleKey::Departments,
        ConsoleKey::Security,
    ] {
        b.click("a", c(ru, page)).await;
        b.text("h1", c(ru, page)).await;
        b.check_page(ru, &[]).await;
        b.check_accessibility(c(ru, page)).await;
    }
    b.client
        .goto(&format!("{}/console/tickets/{reference}", app.url))
        .await
        .expect("open the ticket");
    b.text("h2", c(ru, ConsoleKey::Conversation)).await;
    b.check_page(ru, &[]).await;
    b.check_accessibility("a ticket in Russian").await;
    b.screenshot(&format!("console-ticket-ru-{NARROW}.png"))
        .await;
}
