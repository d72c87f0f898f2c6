//! The customer-account side of the test kit: signing up, the tokens of the
//! links account mails carry, signing in, the session cookie, browsers on
//! addresses of their own, and tickets opened in the account channel.

use reqwest::{Client, Response, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};

use crate::harness::{TestApp, eventually, expect_status};
use crate::smtp::{Mail, SmtpSink};

/// A customer's password: long enough and not a common one.
pub const PASSWORD: &str = "violet kettles hum softly";
/// The session cookie's name on http.
pub const COOKIE: &str = "pasokh_account";

/// A POST as the customer app sends it: the CSRF header and this desk's
/// `Origin` (a browser sends its page's origin with every POST).
pub async fn post(app: &TestApp, client: &Client, path: &str, body: &impl Serialize) -> Response {
    client
        .post(app.api(path))
        .header(shared::api::CSRF_HEADER, "1")
        .header("origin", app.url.as_str())
        .json(body)
        .send()
        .await
        .expect("request")
}

pub use crate::harness::client_at;

pub async fn sign_up(app: &TestApp, client: &Client, email: &str, lang: &str) -> Response {
    post(
        app,
        client,
        "/account/sign-up",
        &json!({ "email": email, "name": "Sara Sadeghi", "password": PASSWORD, "lang": lang }),
    )
    .await
}

pub async fn sign_in(
    app: &TestApp,
    client: &Client,
    email: &str,
    password: &str,
    remember: bool,
) -> Response {
    post(
        app,
        client,
        "/account/session",
        &json!({ "email": email, "password": password, "remember": remember }),
    )
    .await
}

/// Opens a verification link with the kit's password (the one `sign_up` chose).
pub async fn verify(app: &TestApp, client: &Client, token: &str) -> Response {
    verify_with(app, client, token, PASSWORD).await
}

pub async fn verify_with(app: &TestApp, client: &Client, token: &str, password: &str) -> Response {
    post(
        app,
        client,
        "/account/verify",
        &json!({ "token": token, "password": password }),
    )
    .await
}

pub async fn forgot(app: &TestApp, client: &Client, email: &str) -> Response {
    post(
        app,
        client,
        "/account/password/forgot",
        &json!({ "email": email, "lang": "en" }),
    )
    .await
}

pub async fn reset(app: &TestApp, token: &str, password: &str) -> Response {
    post(
        app,
        &TestApp::new_client(),
        "/account/password/reset",
        &json!({ "token": token, "password": password }),
    )
    .await
}

/// The token of the link `…/account/{page}#TOKEN` in `text`.
pub fn token_in(text: &str, page: &str) -> Option<String> {
    let marker = format!("/account/{page}#");
    let start = text.find(&marker)? + marker.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}

/// Waits for the `n`th mail (1-based) to `to` holding an `/account/{page}#`
/// link; answers that mail.
pub async fn nth_link_mail(smtp: &SmtpSink, to: &str, page: &str, n: usize) -> Mail {
    let mut mails = eventually(&format!("{n} /account/{page} link(s) to {to}"), || {
        let mails: Vec<Mail> = smtp
            .to(to)
            .into_iter()
            .filter(|m| token_in(&m.text, page).is_some())
            .collect();
        (mails.len() >= n).then_some(mails)
    })
    .await;
    mails.swap_remove(n - 1)
}

/// The token of the `n`th `/account/{page}#` link mailed to `to`.
pub async fn nth_token(smtp: &SmtpSink, to: &str, page: &str, n: usize) -> String {
    let mail = nth_link_mail(smtp, to, page, n).await;
    token_in(&mail.text, page).expect("token")
}

/// A verified account for `email` (signed up in `lang`), signed in in
/// `client` by its verification link.
pub async fn customer_with(
    app: &TestApp,
    smtp: &SmtpSink,
    client: &Client,
    email: &str,
    lang: &str,
) -> Value {
    assert_eq!(
        sign_up(app, client, email, lang).await.status(),
        StatusCode::ACCEPTED
    );
    let token = nth_token(smtp, email, "verify", 1).await;
    expect_status(verify(app, client, &token).await, StatusCode::OK).await
}

/// A fresh browser signed in to a new verified account for `email`.
pub async fn customer(app: &TestApp, smtp: &SmtpSink, email: &str) -> Client {
    let client = TestApp::new_client();
    let account = customer_with(app, smtp, &client, email, "en").await;
    assert_eq!(account["email"], email);
    client
}

/// `Set-Cookie` of the account session in `response`, if it sets one.
pub fn account_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{COOKIE}=")))
        .map(str::to_owned)
}

/// `name=value` of a `Set-Cookie`.
pub fn pair(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .expect("pair")
        .trim()
        .to_owned()
}

/// GET `path` from a browser that carries only `cookie` (`name=value`).
pub async fn get_with(app: &TestApp, cookie: &str, path: &str) -> StatusCode {
    TestApp::new_client()
        .get(app.api(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
        .status()
}

/// Opens a ticket in the account channel; answers its reference.
pub async fn open_ticket(
    app: &TestApp,
    client: &Client,
    subject: &str,
    uploads: &[String],
) -> String {
    let created: Value = expect_status(
        post(app, client, "/tickets", &account_ticket(subject, uploads)).await,
        StatusCode::CREATED,
    )
    .await;
    created["reference"].as_str().expect("reference").to_owned()
}

/// A new-ticket body for the account channel (the address is the account's).
pub fn account_ticket(subject: &str, uploads: &[String]) -> Value {
    json!({
        "channel": "account",
        "email": "",
        "department": "technical",
        "subject": subject,
        "description": "My card payment failed twice this morning.",
        "lang": "en",
        "uploads": uploads,
    })
}

/// Uploads a file with `client` (its own browser); answers the id.
pub async fn upload(app: &TestApp, client: &Client, name: &str, bytes: Vec<u8>) -> String {
    let body: Value =
        expect_status(app.upload(client, name, bytes).await, StatusCode::CREATED).await;
    body["id"].as_str().expect("upload id").to_owned()
}

/// A public reply by a member of staff (console API).
pub async fn agent_reply(app: &TestApp, staff: &Client, reference: &str, body: &str) {
    let response = app
        .post(
            staff,
            &format!("/console/tickets/{reference}/messages"),
            &json!({ "body": body, "internal": false, "force": true }),
        )
        .await;
    expect_status::<Value>(response, StatusCode::CREATED).await;
}

/// Mail queued to `address` so far (sent or not): queued in the transaction
/// of what causes it, so this is exact as soon as the request answered.
pub fn queued_to(app: &TestApp, address: &str) -> i64 {
    app.db()
        .query_row(
            "SELECT count(*) FROM outbox WHERE to_addr = ?1 COLLATE NOCASE",
            [address],
            |row| row.get(0),
        )
        .expect("count")
}

/// The `code` of an error answer, after checking its status.
pub async fn error_code(response: Response, status: StatusCode) -> String {
    let body: Value = expect_status(response, status).await;
    body["code"].as_str().expect("code").to_owned()
}

/// Status, `Retry-After` and body of an answer.
pub async fn parts(response: Response) -> (StatusCode, Option<String>, String) {
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, retry, response.text().await.expect("body"))
}
