//! The customer's whole journey in headless Chromium, driven through
//! chromedriver: the wizard with its validation, a dragged-and-dropped
//! file, a reload that keeps the draft, the emailed link, the ticket page.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
    time::Duration,
};

use base64::Engine;
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::harness::{Process, SmtpSink, TestApp, free_port, png, wait_for_port};

/// Phone width: the layout must work at 360 px.
const WIDTH: u32 = 360;

struct Browser {
    client: Client,
    _driver: Process,
}

impl Browser {
    async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver (apt-get install chromium-driver)");
        let driver = Process(driver);
        wait_for_port(port, "chromedriver").await;
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--lang=en-US", format!("--window-size={WIDTH},900"),
                ],
            }
        });
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().expect("object").clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser {
            client,
            _driver: driver,
        }
    }

    async fn wait(&self, xpath: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("no element {xpath}: {e}"))
    }

    /// The element whose visible text is exactly `text`.
    async fn text(&self, tag: &str, text: &str) -> Element {
        self.wait(&format!(
            "//{tag}[normalize-space()={}]",
            xpath_literal(text)
        ))
        .await
    }

    /// The form control labelled `label`, found through its `<label for>`.
    async fn field(&self, label: &str) -> Element {
        let label_element = self.text("label", label).await;
        let id = label_element
            .attr("for")
            .await
            .expect("attr")
            .expect("label has for");
        self.wait(&format!("//*[@id='{id}']")).await
    }

    async fn click(&self, tag: &str, text: &str) {
        self.text(tag, text)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {text}: {e}"));
    }

    /// Waits until the element with `id` shows exactly `text`.
    async fn expect_text(&self, id: &str, text: &str) {
        self.wait(&format!(
            "//*[@id='{id}' and normalize-space()={}]",
            xpath_literal(text)
        ))
        .await;
    }

    async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/artifacts");
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(name), png).expect("write screenshot");
    }
}

fn xpath_literal(text: &str) -> String {
    if text.contains('\'') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    }
}

#[tokio::test]
async fn a_customer_opens_a_ticket_in_the_browser_and_follows_it() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let browser = Browser::start().await;
    let b = &browser;

    b.client.goto(&format!("{}/", app.url)).await.expect("home");
    b.wait("//h1[normalize-space()='How can we help?']").await;
    b.click("a", "New ticket").await;

    // Step 1: the account channel is shown but cannot be picked yet.
    b.wait("//h2[normalize-space()='How do you want to receive the answer?']")
        .await;
    let account = b.field("In my account").await;
    assert_eq!(
        account.prop("disabled").await.expect("prop").as_deref(),
        Some("true")
    );
    b.click("button", "Next").await;
    b.expect_text("email-error", "This field is required.")
        .await;
    let email = b.field("Email").await;
    assert_eq!(
        email.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    email.send_keys("maryam").await.expect("type");
    b.expect_text(
        "email-error",
        "Enter an email address like name@example.com.",
    )
    .await;
    email.send_keys("@example.com").await.expect("type");
    b.expect_text("email-error", "").await;
    b.click("button", "Next").await;

    // Step 2: departments come from the server.
    b.wait("//h2[normalize-space()='What is the problem about?']")
        .await;
    b.click("button", "Next").await;
    b.expect_text("department-error", "This field is required.")
        .await;
    b.click("label", "Technical support").await;
    b.click("button", "Next").await;

    // Step 3: too short, then fixed.
    b.wait("//h2[normalize-space()='Describe the problem']")
        .await;
    let subject = b.field("Subject").await;
    subject.send_keys("ab").await.expect("type");
    b.field("Description")
        .await
        .send_keys("Broken")
        .await
        .expect("type");
    b.click("button", "Send").await;
    b.expect_text("subject-error", "Use at least 3 characters.")
        .await;
    b.expect_text("description-error", "Use at least 10 characters.")
        .await;
    subject.send_keys("c: the app crashes").await.expect("type");
    b.field("Description")
        .await
        .send_keys(" after I press Pay, every time.")
        .await
        .expect("type");
    b.expect_text("subject-error", "").await;

    // A screenshot dragged from the desktop onto the drop zone.
    let encoded = base64::engine::general_purpose::STANDARD.encode(png());
    b.client
        .execute(
            "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
             const data = new DataTransfer();
             data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
             const zone = document.querySelector('.dropzone');
             for (const type of ['dragenter', 'dragover', 'drop']) {
               zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
             }",
            vec![json!(encoded)],
        )
        .await
        .expect("drop a file");
    b.wait("//li[contains(@class,'file')][.//bdi[normalize-space()='screenshot.png']][.//*[normalize-space()='Uploaded']]").await;
    b.wait("//img[contains(@class,'thumb') and starts-with(@src,'blob:')]")
        .await;
    b.screenshot("wizard-details-en-360.png").await;

    // A reload loses nothing: text and the uploaded file are still there.
    b.client.refresh().await.expect("reload");
    b.wait("//h2[normalize-space()='Describe the problem']")
        .await;
    let subject = b.field("Subject").await;
    assert_eq!(
        subject.prop("value").await.expect("prop").as_deref(),
        Some("abc: the app crashes")
    );
    b.wait("//li[contains(@class,'file')][.//bdi[normalize-space()='screenshot.png']]")
        .await;

    b.click("button", "Send").await;
    b.wait("//h1[normalize-space()='Check your email']").await;
    b.wait("//bdi[normalize-space()='maryam@example.com']")
        .await;

    // The link from the email opens the ticket, and the token leaves the URL.
    let mail = smtp.wait_for("maryam@example.com", 1).await.remove(0);
    b.client.goto(&mail.link()).await.expect("open the link");
    let heading = b
        .wait("//h1[starts-with(normalize-space(),'Ticket')]")
        .await;
    let reference = heading
        .find(Locator::Css("bdi"))
        .await
        .expect("reference")
        .text()
        .await
        .expect("text");
    assert!(
        mail.subject.contains(&reference),
        "{} vs {reference}",
        mail.subject
    );
    let url = b.client.current_url().await.expect("url");
    assert_eq!(url.path(), format!("/tickets/{reference}"));
    assert!(url.fragment().is_none() && !url.as_str().contains(&mail.link_token()));
    b.wait("//dd[normalize-space()='Technical support']").await;
    b.wait("//a[@download]/bdi[normalize-space()='screenshot.png']")
        .await;
    b.wait("//li[contains(@class,'message')]//img[contains(@class,'thumb')]")
        .await;
    b.screenshot("ticket-en-360.png").await;

    b.field("Your message")
        .await
        .send_keys("Any news?")
        .await
        .expect("type");
    b.click("button", "Reply").await;
    b.wait("//li[contains(@class,'message')][2]//div[normalize-space()='Any news?']")
        .await;
    b.click("button", "Close ticket").await;
    b.wait("//button[normalize-space()='Reopen ticket']")
        .await
        .click()
        .await
        .expect("reopen");
    b.wait("//button[normalize-space()='Close ticket']").await;

    browser.client.close().await.expect("close the browser");
}
