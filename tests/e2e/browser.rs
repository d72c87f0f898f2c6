//! The customer's whole journey in headless Chromium, driven through
//! chromedriver: the wizard with its validation, a dragged-and-dropped
//! file, a reload that keeps the draft, the emailed link, the ticket page.

use shared::i18n::{Key, Lang};

use crate::{
    chrome::{Browser, WIDTH, xpath_literal},
    harness::{Setup, TestApp},
    smtp::SmtpSink,
};

/// The texts of the journey in one language.
fn t(lang: Lang, key: Key) -> &'static str {
    key.text(lang)
}

/// A whole customer journey in `lang`: the wizard with its validation, a
/// dragged-and-dropped file, a reload that keeps the draft, the emailed link
/// and the ticket page. `switch` picks the language with the switcher
/// instead of the browser's preference.
async fn customer_journey(lang: Lang, accept: &str, switch: bool) {
    let smtp = SmtpSink::start().await;
    // Not the default limit, so the wizard shows the server's own.
    let app = TestApp::spawn_with(Setup {
        smtp_url: Some(smtp.url()),
        env: vec![("PASOKH_MAX_FILES", "3".into())],
        ..Setup::default()
    })
    .await;
    let browser = Browser::start(accept).await;
    let b = &browser;
    let code = lang.code();
    let email_address = format!("maryam.{code}@example.com");
    let file_name = "screenshot.png";
    let allowed = [email_address.as_str(), file_name];

    b.client.goto(&format!("{}/", app.url)).await.expect("home");
    if switch {
        b.wait("//h1[normalize-space()='How can we help?']").await;
        let select = b.field(t(Lang::En, Key::Language)).await;
        select.select_by_value(code).await.expect("switch language");
    }
    b.text("h1", t(lang, Key::HomeTitle)).await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("home").await;
    b.click("a", t(lang, Key::NewTicket)).await;

    // Step 1: by email (the account channel: tests/e2e/account_browser.rs).
    b.text("h2", t(lang, Key::WizardChannelTitle)).await;
    let account = b.field(t(lang, Key::ChannelAccount)).await;
    assert_eq!(
        account.prop("disabled").await.expect("prop").as_deref(),
        Some("false")
    );
    b.click("button", t(lang, Key::Next)).await;
    b.expect_text("email-error", t(lang, Key::ErrRequired))
        .await;
    let email = b.field(t(lang, Key::Email)).await;
    assert_eq!(
        email.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    b.check_page(lang, &allowed).await;
    b.check_accessibility("step 1 with an error").await;
    email.send_keys("maryam").await.expect("type");
    b.expect_text("email-error", t(lang, Key::ErrInvalidEmail))
        .await;
    email
        .send_keys(&format!(".{code}@example.com"))
        .await
        .expect("type");
    b.expect_text("email-error", "").await;
    b.click("button", t(lang, Key::Next)).await;

    // Step 2: departments come from the server, in the language.
    b.text("h2", t(lang, Key::WizardDepartmentTitle)).await;
    b.click("button", t(lang, Key::Next)).await;
    b.expect_text("department-error", t(lang, Key::ErrRequired))
        .await;
    let technical = match lang {
        Lang::Fa => "پشتیبانی فنی",
        Lang::Ru => "Техническая поддержка",
        Lang::En => "Technical support",
    };
    b.click("label", technical).await;
    b.click("button", t(lang, Key::Next)).await;

    // Step 3: too short, then fixed.
    b.text("h2", t(lang, Key::WizardDetailsTitle)).await;
    let subject = b.field(t(lang, Key::Subject)).await;
    subject.send_keys("ab").await.expect("type");
    b.field(t(lang, Key::Description))
        .await
        .send_keys("Broken")
        .await
        .expect("type");
    b.click("button", t(lang, Key::Send)).await;
    let digit = |n: &str| lang.digits(n);
    b.expect_text(
        "subject-error",
        &Key::ErrTooShort.fill(lang, &[("min", &digit("3"))]),
    )
    .await;
    b.expect_text(
        "description-error",
        &Key::ErrTooShort.fill(lang, &[("min", &digit("10"))]),
    )
    .await;
    subject.send_keys("c: the app crashes").await.expect("type");
    b.field(t(lang, Key::Description))
        .await
        .send_keys(" after I press Pay, every time.")
        .await
        .expect("type");
    b.expect_text("subject-error", "").await;
    let typed = [
        "abc: the app crashes",
        "Broken after I press Pay, every time.",
    ];
    let allowed: Vec<&str> = allowed.iter().chain(typed.iter()).copied().collect();

    // The attachment hint says the server's limits (asked for only now:
    // no earlier page needed them).
    let limits = Key::AttachLimits.text(lang);
    let files_part =
        limits[..limits.find("{size}").expect("{size}")].replace("{files}", &digit("3"));
    b.wait(&format!(
        "//*[@id='attach-hint' and starts-with(normalize-space(), {})]",
        xpath_literal(files_part.trim())
    ))
    .await;

    // A screenshot dragged from the desktop onto the drop zone.
    b.drop_png(file_name).await;
    let uploaded = t(lang, Key::AttachDone);
    b.wait(&format!("//li[contains(@class,'file')][.//bdi[normalize-space()='{file_name}']][.//*[normalize-space()={}]]", xpath_literal(uploaded))).await;
    b.wait("//img[contains(@class,'thumb') and starts-with(@src,'blob:')]")
        .await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("step 3 with a file").await;
    b.screenshot(&format!("wizard-details-{code}-{WIDTH}.png"))
        .await;

    // Back to the department and forward again: the file is still attached.
    b.click("button", t(lang, Key::Back)).await;
    b.text("h2", t(lang, Key::WizardDepartmentTitle)).await;
    b.click("button", t(lang, Key::Next)).await;
    b.text("h2", t(lang, Key::WizardDetailsTitle)).await;
    b.wait(&format!("//li[contains(@class,'file')][.//bdi[normalize-space()='{file_name}']][.//*[normalize-space()={}]]", xpath_literal(uploaded))).await;

    // A reload loses nothing: text and the uploaded file are still there.
    b.client.refresh().await.expect("reload");
    b.text("h2", t(lang, Key::WizardDetailsTitle)).await;
    let subject = b.field(t(lang, Key::Subject)).await;
    assert_eq!(
        subject.prop("value").await.expect("prop").as_deref(),
        Some(typed[0])
    );
    b.wait(&format!(
        "//li[contains(@class,'file')][.//bdi[normalize-space()='{file_name}']]"
    ))
    .await;

    b.click("button", t(lang, Key::Send)).await;
    b.text("h1", t(lang, Key::SentTitle)).await;
    b.wait(&format!("//bdi[normalize-space()='{email_address}']"))
        .await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("the sent page").await;

    // The email is in the ticket's language, reference in its digits.
    let mail = smtp.wait_for(&email_address, 1).await.remove(0);
    assert_eq!(mail.header("Content-Language"), Some(code));
    assert!(
        mail.html
            .contains(&format!("dir=\"{}\"", lang.dir().as_str())),
        "{}",
        mail.html
    );
    let shown_reference = b
        .wait("//bdi[contains(@class,'reference')]")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        mail.subject.contains(&shown_reference),
        "{} vs {shown_reference}",
        mail.subject
    );
    let reference: String = shared::digits::to_ascii_digits(&shown_reference);
    assert_eq!(shown_reference, lang.digits(&reference));

    // The link opens the ticket, and the token leaves the address bar.
    b.client.goto(&mail.link()).await.expect("open the link");
    b.wait(&format!(
        "//h1[.//bdi[normalize-space()='{shown_reference}']]"
    ))
    .await;
    let url = b.client.current_url().await.expect("url");
    assert_eq!(url.path(), format!("/tickets/{reference}"));
    assert!(url.fragment().is_none() && !url.as_str().contains(&mail.link_token()));
    b.text("dd", technical).await;
    b.wait(&format!(
        "//a[@download]/bdi[normalize-space()='{file_name}']"
    ))
    .await;
    b.wait("//li[contains(@class,'message')]//img[contains(@class,'thumb')]")
        .await;
    b.check_page(lang, &allowed).await;
    b.check_accessibility("the ticket page").await;
    b.screenshot(&format!("ticket-{code}-{WIDTH}.png")).await;

    b.field(t(lang, Key::ReplyLabel))
        .await
        .send_keys("2 + 2")
        .await
        .expect("type");
    b.click("button", t(lang, Key::Reply)).await;
    b.wait("//li[contains(@class,'message')][2]//div[normalize-space()='2 + 2']")
        .await;
    b.click("button", t(lang, Key::CloseTicket)).await;
    b.text("button", t(lang, Key::ReopenTicket))
        .await
        .click()
        .await
        .expect("reopen");
    b.text("button", t(lang, Key::CloseTicket)).await;

    browser.client.close().await.expect("close the browser");
}

#[tokio::test]
async fn a_customer_opens_and_follows_a_ticket_in_english() {
    customer_journey(Lang::En, "en-US", false).await;
}

#[tokio::test]
async fn a_persian_browser_gets_the_whole_journey_in_persian_right_to_left() {
    customer_journey(Lang::Fa, "fa-IR", false).await;
}

#[tokio::test]
async fn the_language_switcher_carries_a_russian_customer_through() {
    customer_journey(Lang::Ru, "en-US", true).await;
}
