//! The staff console in headless Chromium: its pages in three languages
//! (right-to-left in Persian, axe-core clean), and the whole support loop —
//! `pasokh staff add`, the set-password link, an invitation, a Persian
//! ticket that reaches the agent's queue without a reload, a reply the
//! customer reads from the emailed link, and the customer's answer marking
//! the ticket unread, live.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::i18n::{ConsoleKey, Key, Lang};

use crate::{
    chrome::{Browser, xpath_literal},
    console_kit::{PASSWORD, add_staff, password_token},
    harness::{TestApp, expect_status, ticket_body},
    smtp::SmtpSink,
};

/// A desktop window; the agent works in a 768 px one (a small laptop or a
/// tablet), the narrowest the console is laid out for.
pub const DESKTOP: u32 = 1280;
pub const NARROW: u32 = 768;

pub fn c(lang: Lang, key: ConsoleKey) -> &'static str {
    key.text(lang)
}

/// Chooses a new password on the set-password page at `link`, trying a
/// short one first, and lands on the sign-in page.
async fn set_password(b: &Browser, lang: Lang, link: &str) {
    b.client.goto(link).await.expect("open the link");
    b.text("h1", c(lang, ConsoleKey::SetPasswordTitle)).await;
    // The token left the address bar (and the history) at once.
    let url = b.client.current_url().await.expect("url");
    assert_eq!((url.path(), url.fragment()), ("/console/password", None));
    let field = b.field(c(lang, ConsoleKey::NewPassword)).await;
    field.send_keys("short").await.expect("type");
    b.click("button", c(lang, ConsoleKey::SavePassword)).await;
    let min = lang.digits(&shared::console::PASSWORD_MIN.to_string());
    b.expect_text(
        "new-password-error",
        &Key::ErrTooShort.fill(lang, &[("min", &min)]),
    )
    .await;
    b.check_page(lang, &[]).await;
    b.check_accessibility("set password, with an error").await;
    field.clear().await.expect("clear");
    field.send_keys(PASSWORD).await.expect("type");
    b.click("button", c(lang, ConsoleKey::SavePassword)).await;
    b.text("p", c(lang, ConsoleKey::PasswordSaved)).await;
}

/// Polls a script until it answers `"true"` (20 s at most).
pub async fn until(b: &Browser, script: &str) {
    for _ in 0..200 {
        if b.eval(script).await == "true" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("never true: {script}");
}

pub async fn sign_in(b: &Browser, lang: Lang, email: &str) {
    b.text("h1", c(lang, ConsoleKey::SignInTitle)).await;
    b.field(c(lang, ConsoleKey::Email))
        .await
        .send_keys(email)
        .await
        .expect("type");
    b.field(c(lang, ConsoleKey::Password))
        .await
        .send_keys(PASSWORD)
        .await
        .expect("type");
    b.click("button", c(lang, ConsoleKey::SignIn)).await;
    b.text("h1", c(lang, ConsoleKey::Queue)).await;
}

#[tokio::test]
async fn the_sign_in_page_in_three_languages() {
    let app = TestApp::spawn_with(Default::default()).await;
    let b = &Browser::start_sized("en-US", NARROW).await;
    // Signed out, the console sends everyone to the sign-in page.
    b.client
        .goto(&format!("{}/console/tickets/12345-67890", app.url))
        .await
        .expect("open");
    b.text("h1", c(Lang::En, ConsoleKey::SignInTitle)).await;
    let url = b.client.current_url().await.expect("url");
    assert_eq!(url.path(), "/console/sign-in");
    for lang in [Lang::En, Lang::Fa, Lang::Ru] {
        if lang != Lang::En {
            let select = b.wait("//select[@id='language']").await;
            select.select_by_value(lang.code()).await.expect("switch");
        }
        b.text("h1", c(lang, ConsoleKey::SignInTitle)).await;
        b.check_page(lang, &[]).await;
        b.check_accessibility(&format!("sign-in ({})", lang.code()))
            .await;
        // Nothing typed: both fields say so, and are marked invalid.
        b.click("button", c(lang, ConsoleKey::SignIn)).await;
        b.expect_text("password-error", Key::ErrRequired.text(lang))
            .await;
        let email = b.field(c(lang, ConsoleKey::Email)).await;
        let invalid = email.attr("aria-invalid").await.expect("attr");
        assert_eq!(invalid.as_deref(), Some("true"));
        b.check_accessibility(&format!("sign-in with errors ({})", lang.code()))
            .await;
        // A wrong password gets the one answer that gives nothing away.
        email.send_keys("nobody@desk.test").await.expect("type");
        b.field(c(lang, ConsoleKey::Password))
            .await
            .send_keys("not the password")
            .await
            .expect("type");
        b.click("button", c(lang, ConsoleKey::SignIn)).await;
        b.text("p", c(lang, ConsoleKey::ErrorSignInFailed)).await;
        b.client.refresh().await.expect("reload");
    }
}

#[tokio::test]
async fn an_invited_agent_answers_a_persian_ticket_live() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let token = add_staff(&app, "admin@desk.test", "Ada Admin", "admin");

    // The admin sets a password from the printed link, signs in, invites.
    let admin = Browser::start_sized("en-US", DESKTOP).await;
    let (a, en) = (&admin, Lang::En);
    set_password(a, en, &format!("{}/console/password#{token}", app.url)).await;
    sign_in(a, en, "admin@desk.test").await;
    a.check_page(en, &[]).await;
    a.check_accessibility("the empty queue").await;
    for (link, title) in [
        (ConsoleKey::Departments, ConsoleKey::Departments),
        (ConsoleKey::Security, ConsoleKey::Security),
        (ConsoleKey::Staff, ConsoleKey::Staff),
    ] {
        a.click("a", c(en, link)).await;
        a.text("h1", c(en, title)).await;
        a.check_accessibility(c(en, title)).await;
    }
    a.field(c(en, ConsoleKey::Email))
        .await
        .send_keys("mina@desk.test")
        .await
        .expect("type");
    a.field(c(en, ConsoleKey::Name))
        .await
        .send_keys("مینا")
        .await
        .expect("type");
    a.click("label", "Technical support").await;
    a.click("button", c(en, ConsoleKey::Invite)).await;
    a.text(
        "p",
        &ConsoleKey::InviteSent.fill(en, &[("email", "mina@desk.test")]),
    )
    .await;
    a.wait("//li[contains(@class,'member')]//bdi[normalize-space()='مینا']")
        .await;
    a.screenshot(&format!("console-staff-en-{DESKTOP}.png"))
        .await;
    drop(admin);

    // The agent works in Persian in a 768 px window.
    let mail = smtp.wait_for("mina@desk.test", 1).await.remove(0);
    let link = format!(
        "{}/console/password#{}",
        app.url,
        password_token(&mail.text)
    );
    let agent = Browser::start_sized("fa-IR", NARROW).await;
    let (g, fa) = (&agent, Lang::Fa);
    set_password(g, fa, &link).await;
    sign_in(g, fa, "mina@desk.test").await;
    g.text("p", c(fa, ConsoleKey::QueueEmpty)).await;
    g.check_page(fa, &["mina@desk.test"]).await;
    g.check_accessibility("the agent's empty queue").await;
    // Marks this page load: a reload would lose it.
    g.eval("window.stillTheSamePage = true; return ''").await;

    // A customer opens a ticket in Persian and confirms it by email.
    let customer = TestApp::new_client();
    let mut body = ticket_body("maryam@example.com", &[]);
    body["lang"] = json!("fa");
    body["subject"] = json!("برداشت نرسیده است");
    body["description"] = json!("دوشنبه برداشت کردم و هنوز به حسابم نرسیده است.");
    let created: Value = expect_status(
        app.post(&customer, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let reference = created["reference"].as_str().expect("reference").to_owned();
    let confirm = smtp.wait_for("maryam@example.com", 1).await.remove(0);
    expect_status::<Value>(
        app.redeem(&customer, &confirm.link_token()).await,
        StatusCode::OK,
    )
    .await;

    // It reaches the queue by itself, marked new.
    let row = format!(
        "//li[contains(@class,'queue-item') and contains(@class,'unread')]//a[@href='/console/tickets/{reference}']"
    );
    g.wait(&row).await;
    let same_page = "return String(window.stillTheSamePage === true)";
    assert_eq!(g.eval(same_page).await, "true", "the queue was reloaded");
    // Addresses and the admin's name are data, not interface text.
    let file = "receipt.png";
    let allowed = ["mina@desk.test", "maryam@example.com", "Ada Admin", file];
    g.check_page(fa, &allowed).await;
    g.check_accessibility("the queue with a ticket").await;
    g.screenshot(&format!("console-queue-fa-{NARROW}.png"))
        .await;

    // The agent opens it, takes it, writes a note and a reply.
    g.wait(&row).await.click().await.expect("open the ticket");
    let shown_reference = fa.digits(&reference);
    g.wait(&format!(
        "//h1[.//bdi[normalize-space()='{shown_reference}']]"
    ))
    .await;
    g.click("button", c(fa, ConsoleKey::TakeIt)).await;
    until(
        g,
        "const s = document.getElementById('ticket-assignee');
         return String(s.selectedOptions[0].textContent.trim() === 'مینا')",
    )
    .await;
    g.click("button", c(fa, ConsoleKey::InternalNote)).await;
    let note = "یادداشت: تراکنش را در سامانهٔ بانک دیدم.";
    g.field(c(fa, ConsoleKey::InternalNote))
        .await
        .send_keys(note)
        .await
        .expect("type");
    g.click("button", c(fa, ConsoleKey::AddNote)).await;
    g.wait(&format!(
        "//li[contains(@class,'note')]/div[normalize-space()={}]",
        xpath_literal(note)
    ))
    .await;
    g.click("button", c(fa, ConsoleKey::Reply)).await;
    let reply = "سلام. مبلغ فردا به حساب شما می‌رسد.";
    g.field(c(fa, ConsoleKey::Reply))
        .await
        .send_keys(reply)
        .await
        .expect("type");
    // With a screenshot, through the customer side's upload pipeline.
    g.drop_png(file).await;
    g.wait(&format!(
        "//li[contains(@class,'file')][.//bdi[normalize-space()='{file}']][.//*[normalize-space()={}]]",
        xpath_literal(Key::AttachDone.text(fa))
    ))
    .await;
    g.click("button", c(fa, ConsoleKey::SendReply)).await;
    g.text("p", c(fa, ConsoleKey::ReplySent)).await;
    g.wait(&format!(
        "//li[contains(@class,'from-agent')]/div[normalize-space()={}]",
        xpath_literal(reply)
    ))
    .await;
    g.check_page(fa, &allowed).await;
    g.check_accessibility("the ticket after a note and a reply")
        .await;
    g.screenshot(&format!("console-ticket-fa-{NARROW}.png"))
        .await;

    // The customer is mailed the reply in Persian (never the note), opens
    // the link and reads it, and answers.
    let mail = smtp.wait_for("maryam@example.com", 2).await.remove(1);
    assert_eq!(mail.header("Content-Language"), Some("fa"));
    assert!(mail.text.contains(reply), "{}", mail.text);
    assert!(!mail.text.contains(note) && !mail.html.contains(note));
    g.click("a", c(fa, ConsoleKey::Queue)).await;
    g.text("h1", c(fa, ConsoleKey::Queue)).await;
    let customer_browser = Browser::start("fa-IR").await;
    let b = &customer_browser;
    b.client
        .goto(&format!("{}/link#{}", app.url, mail.link_token()))
        .await
        .expect("open the link");
    b.wait(&format!(
        "//li[contains(@class,'from-agent')][div[normalize-space()={}]]//a[@download]/bdi[normalize-space()='{file}']",
        xpath_literal(reply)
    ))
    .await;
    b.field(Key::ReplyLabel.text(fa))
        .await
        .send_keys("ممنون، منتظر می‌مانم.")
        .await
        .expect("type");
    b.click("button", Key::Reply.text(fa)).await;
    b.text("p", Key::ReplySent.text(fa)).await;

    // Open again and unread in the agent's queue, without a reload.
    g.wait(&row).await;
    assert_eq!(g.eval(same_page).await, "true", "the queue was reloaded");
}
