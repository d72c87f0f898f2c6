//! The staff side of the test kit: the `pasokh staff` command, setting a
//! password from its link, invitations read from the SMTP sink, and a
//! signed-in client per staff member (each its own cookie jar).

use std::process::Command;

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestApp, expect_status, ticket_body};
use crate::smtp::SmtpSink;

pub const PASSWORD: &str = "plum orchard at noon";

/// Runs `pasokh staff …` against the app's data folder; returns stdout.
pub fn staff_command(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env_clear()
        .env("PASOKH_DATA_DIR", &app.data_dir)
        .env("PASOKH_PUBLIC_URL", &app.url)
        .arg("staff")
        .args(args)
        .output()
        .expect("run pasokh staff")
}

/// The token of a set-password link in `text`.
pub fn password_token(text: &str) -> String {
    let marker = "/console/password#";
    let start = text.find(marker).expect("a set-password link") + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// `pasokh staff add`; returns the token of the link it printed (alone on its line).
pub fn add_staff(app: &TestApp, email: &str, name: &str, role: &str) -> String {
    let output = staff_command(
        app,
        &["add", "--email", email, "--name", name, "--role", role],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|line| line.contains("/console/password#"))
        .expect("the link line");
    assert!(
        line.starts_with(&app.url) && !line.contains(' '),
        "the link is alone on its line: {line:?}"
    );
    password_token(line)
}

pub async fn set_password(app: &TestApp, token: &str, password: &str) -> Response {
    app.post(
        &TestApp::new_client(),
        "/console/password",
        &json!({ "token": token, "password": password }),
    )
    .await
}

pub async fn sign_in_as(
    app: &TestApp,
    client: &Client,
    email: &str,
    code: Option<&str>,
) -> Response {
    app.post(
        client,
        "/console/session",
        &json!({ "email": email, "password": PASSWORD, "code": code }),
    )
    .await
}

/// A fresh browser signed in as `email`.
pub async fn signed_in(app: &TestApp, email: &str) -> Client {
    let client = TestApp::new_client();
    let me: Value =
        expect_status(sign_in_as(app, &client, email, None).await, StatusCode::OK).await;
    assert_eq!(me["email"], email);
    client
}

/// An admin created from the command line, with a password, signed in.
pub async fn admin(app: &TestApp) -> Client {
    let token = add_staff(app, "admin@desk.test", "Ada Admin", "admin");
    assert_eq!(
        set_password(app, &token, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    signed_in(app, "admin@desk.test").await
}

/// An agent invited by `admin` for `departments`, who set a password from
/// the emailed invitation and signed in. Returns (member id, client).
pub async fn agent(
    app: &TestApp,
    smtp: &SmtpSink,
    admin: &Client,
    email: &str,
    name: &str,
    departments: &[&str],
) -> (i64, Client) {
    let invited: Value = expect_status(
        app.post(
            admin,
            "/console/staff?lang=en",
            &json!({ "email": email, "name": name, "role": "agent", "departments": departments }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mail = smtp.wait_for(email, 1).await.remove(0);
    let token = password_token(&mail.text);
    assert_eq!(
        set_password(app, &token, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    (
        invited["id"].as_i64().expect("member id"),
        signed_in(app, email).await,
    )
}

/// A desk with an SMTP sink, a running server and a signed-in admin.
pub struct Desk {
    pub smtp: SmtpSink,
    pub app: TestApp,
    pub admin: Client,
}

impl Desk {
    pub async fn start() -> Desk {
        let smtp = SmtpSink::start().await;
        let app = TestApp::spawn(&smtp).await;
        let admin = admin(&app).await;
        Desk { smtp, app, admin }
    }

    /// An agent of `departments`, invited by the admin and signed in.
    pub async fn agent(&self, email: &str, name: &str, departments: &[&str]) -> (i64, Client) {
        agent(&self.app, &self.smtp, &self.admin, email, name, departments).await
    }
}

/// Reads a live event stream until `needle` has arrived; returns everything
/// read, or fails the test if it does not come within 30 s.
pub async fn read_events_until(events: Response, needle: &str) -> String {
    let mut stream = events.bytes_stream();
    let mut seen = String::new();
    let arrived = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(Ok(chunk)) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(needle) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(
        arrived,
        Ok(true),
        "{needle} never came on the live stream: {seen}"
    );
    seen
}

/// A confirmed ticket in `lang` from `email`; returns its reference.
pub async fn ticket(desk: &Desk, email: &str, lang: &str) -> String {
    let customer = TestApp::new_client();
    let mut body = ticket_body(email, &[]);
    body["lang"] = json!(lang);
    let created: Value = expect_status(
        desk.app.post(&customer, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let token = desk.smtp.wait_for(email, 1).await[0].link_token();
    assert_eq!(
        desk.app.redeem(&customer, &token).await.status(),
        StatusCode::OK
    );
    created["reference"].as_str().expect("reference").to_owned()
}
