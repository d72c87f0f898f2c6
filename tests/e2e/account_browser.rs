//! Customer accounts in headless Chromium, in English and in Persian (right
//! to left, axe-core clean): signing up, confirming from the received mail
//! (with the password), a ticket in the account channel under My tickets,
//! an agent's answer showing the header's unread badge after navigating;
//! and a signed-out customer who picks In my account late in the wizard,
//! signs in inline, and finds the draft and its uploaded file still there.

use shared::{
    account::PASSWORD_MIN,
    i18n::{Key, Lang},
};

use crate::{
    account_kit::{PASSWORD, agent_reply, customer_with, nth_link_mail, token_in},
    chrome::{Browser, xpath_literal},
    console_browser::until,
    console_kit::Desk,
    harness::{TestApp, eventually},
    smtp::SmtpSink,
};

fn t(lang: Lang, key: Key) -> &'static str {
    key.text(lang)
}

fn technical(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => "پشتیبانی فنی",
        Lang::Ru => "Техническая поддержка",
        Lang::En => "Technical support",
    }
}

/// The path of the page the browser shows.
async fn path(b: &Browser) -> String {
    b.client.current_url().await.expect("url").path().to_owned()
}

/// Fills steps 2 and 3 (department, subject, description) from step 2.
async fn department_and_details(b: &Browser, lang: Lang, subject: &str, description: &str) {
    b.text("h2", t(lang, Key::WizardDepartmentTitle)).await;
    b.click("label", technical(lang)).await;
    b.click("button", t(lang, Key::Next)).await;
    b.text("h2", t(lang, Key::WizardDetailsTitle)).await;
    b.field(t(lang, Key::Subject))
        .await
        .send_keys(subject)
        .await
        .expect("type");
    b.field(t(lang, Key::Description))
        .await
        .send_keys(description)
        .await
        .expect("type");
}

/// Sign up → confirm from the mail → a ticket in the account → My tickets →
/// an agent answers → the badge after navigating, gone once read.
async fn sign_up_to_answer(lang: Lang, accept: &str) {
    let desk = Desk::start().await;
    let (app, smtp) = (&desk.app, &desk.smtp);
    let browser = Browser::start(accept).await;
    let b = &browser;
    let code = lang.code();
    let email = format!("sara.{code}@example.com");
    let (name, subject) = ("Sara Sadeghi", "Card declined twice");
    let description = "My card payment failed twice this morning.";
    // The language select names each language in itself.
    let allowed = [email.as_str(), name, subject, description, "English"];

    b.client.goto(&format!("{}/", app.url)).await.expect("home");
    b.click("a", t(lang, Key::SignIn)).await;
    b.text("h1", t(lang, Key::SignIn)).await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("sign in").await;
    b.click("a", t(lang, Key::SignUp)).await;
    b.text("h1", t(lang, Key::SignUp)).await;

    // Checked as typed with the shared rules; the language is the page's.
    b.field(t(lang, Key::Email))
        .await
        .send_keys(&email)
        .await
        .expect("type");
    b.field(t(lang, Key::Name))
        .await
        .send_keys(name)
        .await
        .expect("type");
    let password = b.field(t(lang, Key::Password)).await;
    password.send_keys("short").await.expect("type");
    let language = b.field(t(lang, Key::Language)).await;
    assert_eq!(
        language.prop("value").await.expect("prop").as_deref(),
        Some(code)
    );
    b.click("button", t(lang, Key::SignUp)).await;
    let min = lang.digits(&PASSWORD_MIN.to_string());
    b.expect_text(
        "sign-up-password-error",
        &Key::ErrTooShort.fill(lang, &[("min", &min)]),
    )
    .await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("sign up, with an error").await;
    b.screenshot(&format!("account-sign-up-{code}-360.png"))
        .await;
    password.clear().await.expect("clear");
    password.send_keys(PASSWORD).await.expect("type");
    b.expect_text("sign-up-password-error", "").await;
    b.click("button", t(lang, Key::SignUp)).await;
    b.text("h2", t(lang, Key::SentTitle)).await;
    b.wait(&format!("//bdi[normalize-space()='{email}']")).await;
    b.check_page(lang, &allowed).await;

    // The link from the mail, with the account's password, confirms and
    // signs in; the token leaves the address bar at once.
    let mail = nth_link_mail(smtp, &email, "verify", 1).await;
    let token = token_in(&mail.text, "verify").expect("token");
    b.client
        .goto(&format!("{}/account/verify#{token}", app.url))
        .await
        .expect("open the link");
    b.text("h1", t(lang, Key::VerifyTitle)).await;
    let url = b.client.current_url().await.expect("url");
    assert_eq!((url.path(), url.fragment()), ("/account/verify", None));
    b.check_page(lang, &allowed).await;
    b.check_accessibility("confirm the address").await;
    b.field(t(lang, Key::Password))
        .await
        .send_keys(PASSWORD)
        .await
        .expect("type");
    b.click("button", t(lang, Key::VerifySubmit)).await;
    b.text("h1", t(lang, Key::MyTickets)).await;
    let url = b.client.current_url().await.expect("url");
    assert_eq!((url.path(), url.fragment()), ("/account/tickets", None));
    b.text("p", t(lang, Key::MyTicketsEmpty)).await;
    b.text("a", t(lang, Key::Account)).await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("my tickets, empty").await;

    // A ticket in the account: no address asked, open at once.
    b.click("a", t(lang, Key::NewTicket)).await;
    b.text("h2", t(lang, Key::WizardChannelTitle)).await;
    b.click("label", t(lang, Key::ChannelAccount)).await;
    b.wait(&format!(
        "//p[contains(@class,'account-line')]/bdi[normalize-space()='{email}']"
    ))
    .await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("wizard, signed in, account channel")
        .await;
    b.click("button", t(lang, Key::Next)).await;
    department_and_details(b, lang, subject, description).await;
    b.click("button", t(lang, Key::Send)).await;
    b.wait(&format!(
        "//*[normalize-space()={}]",
        xpath_literal(subject)
    ))
    .await;
    until(
        b,
        "return String(location.pathname.startsWith('/tickets/'))",
    )
    .await;
    let reference = path(b).await.trim_start_matches("/tickets/").to_owned();
    b.text("dd", technical(lang)).await;

    // Under My tickets, open, not unread.
    b.wait("//a[contains(@class,'my-tickets-link')]")
        .await
        .click()
        .await
        .expect("my tickets");
    let row = format!(
        "//li[contains(@class,'my-ticket')][.//bdi[normalize-space()={}]]",
        xpath_literal(subject)
    );
    b.wait(&row).await;
    b.wait(&format!(
        "{row}[.//bdi[normalize-space()='{}']][.//*[normalize-space()={}]]",
        lang.digits(&reference),
        xpath_literal(t(lang, Key::StatusOpen))
    ))
    .await;
    assert_eq!(
        b.eval("return String(document.querySelectorAll('.unread-mark, .badge').length)")
            .await,
        "0"
    );
    b.check_page(lang, &allowed).await;
    b.check_accessibility("my tickets").await;
    b.screenshot(&format!("account-my-tickets-{code}-360.png"))
        .await;

    // An agent answers; the next navigation shows the badge.
    agent_reply(
        app,
        &desk.admin,
        &reference,
        "We refunded the second charge.",
    )
    .await;
    b.click("a", t(lang, Key::Account)).await;
    b.text("h1", t(lang, Key::AccountTitle)).await;
    let label = Key::MyTicketsUnread.fill(lang, &[("count", &lang.digits("1"))]);
    b.wait(&format!(
        "//a[contains(@class,'my-tickets-link')][@aria-label={}]/span[contains(@class,'badge') and normalize-space()='{}']",
        xpath_literal(&label),
        lang.digits("1")
    ))
    .await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("account settings, with the badge")
        .await;
    b.wait("//a[contains(@class,'my-tickets-link')]")
        .await
        .click()
        .await
        .expect("my tickets");
    b.wait(&format!(
        "{row}[.//*[contains(@class,'unread-mark') and normalize-space()={}]]",
        xpath_literal(t(lang, Key::Unread))
    ))
    .await;

    // Reading it clears the badge at the next navigation.
    b.wait(&format!("{row}//a"))
        .await
        .click()
        .await
        .expect("open");
    b.wait("//*[normalize-space()='We refunded the second charge.']")
        .await;
    b.click("a", t(lang, Key::FindTicket)).await;
    until(b, "return String(!document.querySelector('.badge') && !!document.querySelector('.my-tickets-link'))").await;

    // The language switcher's choice becomes the account's.
    let other = if lang == Lang::En { "ru" } else { "en" };
    b.field(t(lang, Key::Language))
        .await
        .select_by_value(other)
        .await
        .expect("switch language");
    eventually("the account's language saved", || {
        let saved: String = app
            .db()
            .query_row("SELECT lang FROM customers", [], |row| row.get(0))
            .ok()?;
        (saved == other).then_some(())
    })
    .await;
    browser.client.close().await.expect("close the browser");
}

/// A signed-out customer writes a whole ticket with a file, goes back to
/// step 1, picks In my account, signs in right there (a wrong password
/// first), and sends the same draft with its file.
async fn inline_sign_in_keeps_the_draft(lang: Lang, accept: &str) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let code = lang.code();
    let email = format!("nima.{code}@example.com");
    customer_with(&app, &smtp, &TestApp::new_client(), &email, code).await;
    let browser = Browser::start(accept).await;
    let b = &browser;
    let (subject, description) = (
        "Payment stuck",
        "The payment has been pending for two days.",
    );
    let file_name = "receipt.png";
    let allowed = [email.as_str(), subject, description, file_name];

    b.client
        .goto(&format!("{}/new", app.url))
        .await
        .expect("wizard");
    b.text("h2", t(lang, Key::WizardChannelTitle)).await;
    b.field(t(lang, Key::Email))
        .await
        .send_keys(&email)
        .await
        .expect("type");
    b.click("button", t(lang, Key::Next)).await;
    department_and_details(b, lang, subject, description).await;
    b.drop_png(file_name).await;
    let file = format!(
        "//li[contains(@class,'file')][.//bdi[normalize-space()='{file_name}']][.//*[normalize-space()={}]]",
        xpath_literal(t(lang, Key::AttachDone))
    );
    b.wait(&file).await;

    // Back to step 1: In my account, signed out, offers to sign in here.
    b.click("button", t(lang, Key::Back)).await;
    b.click("button", t(lang, Key::Back)).await;
    b.text("h2", t(lang, Key::WizardChannelTitle)).await;
    b.click("label", t(lang, Key::ChannelAccount)).await;
    b.text("p", t(lang, Key::WizardSignInIntro)).await;
    b.click("button", t(lang, Key::Next)).await;
    b.text("h2", t(lang, Key::WizardChannelTitle)).await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("wizard, inline sign-in").await;
    b.screenshot(&format!("account-wizard-inline-{code}-360.png"))
        .await;
    b.field(t(lang, Key::Email))
        .await
        .send_keys(&email)
        .await
        .expect("type");
    let password = b.field(t(lang, Key::Password)).await;
    password.send_keys("not my password").await.expect("type");
    b.click("button", t(lang, Key::SignIn)).await;
    b.text("p", t(lang, Key::ErrorSignInFailed)).await;
    password.clear().await.expect("clear");
    password.send_keys(PASSWORD).await.expect("type");
    b.click("button", t(lang, Key::SignIn)).await;
    b.wait(&format!(
        "//p[contains(@class,'account-line')]/bdi[normalize-space()='{email}']"
    ))
    .await;
    b.wait("//a[contains(@class,'my-tickets-link')]").await;
    assert_eq!(path(b).await, "/new");
    b.check_page(lang, &allowed).await;

    // The same draft: department, text and the uploaded file.
    b.click("button", t(lang, Key::Next)).await;
    b.text("h2", t(lang, Key::WizardDepartmentTitle)).await;
    b.click("button", t(lang, Key::Next)).await;
    b.text("h2", t(lang, Key::WizardDetailsTitle)).await;
    let shown = b.field(t(lang, Key::Subject)).await;
    assert_eq!(
        shown.prop("value").await.expect("prop").as_deref(),
        Some(subject)
    );
    b.wait(&file).await;
    b.click("button", t(lang, Key::Send)).await;
    until(
        b,
        "return String(location.pathname.startsWith('/tickets/'))",
    )
    .await;
    b.wait(&format!(
        "//a[@download]/bdi[normalize-space()='{file_name}']"
    ))
    .await;
    b.text("dd", technical(lang)).await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("the account's new ticket").await;
    assert_eq!(
        b.eval("return String(localStorage.getItem('pasokh.draft.new-ticket'))")
            .await,
        "null",
        "the draft is gone once sent"
    );
    browser.client.close().await.expect("close the browser");
}

#[tokio::test]
async fn a_customer_signs_up_confirms_opens_a_ticket_and_sees_the_answer_badge() {
    sign_up_to_answer(Lang::En, "en-US").await;
}

#[tokio::test]
async fn the_account_journey_in_persian_right_to_left() {
    sign_up_to_answer(Lang::Fa, "fa-IR").await;
}

#[tokio::test]
async fn signing_in_inside_the_wizard_keeps_the_draft_and_its_file() {
    inline_sign_in_keeps_the_draft(Lang::En, "en-US").await;
}

#[tokio::test]
async fn signing_in_inside_the_wizard_in_persian() {
    inline_sign_in_keeps_the_draft(Lang::Fa, "fa-IR").await;
}
