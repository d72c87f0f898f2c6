//! Who gets into an account and its tickets: its holder's session only.
//! Another customer, a stranger, an emailed guest link from before the
//! ticket joined the account, a deleted account's session, a second
//! sign-up over a verified address, and a change of address asked for
//! before a new password all get nothing (pending sign-ups and unasked
//! links: `account_hijack.rs`).

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::account_kit::{
    PASSWORD, client_at, customer, customer_with, forgot, nth_token, open_ticket, post, reset,
    sign_in, upload, verify,
};
use crate::harness::{TestApp, expect_status, png};
use crate::smtp::SmtpSink;

/// Every customer route of one ticket, as (method, path, body).
fn ticket_routes(reference: &str, attachment: &str) -> Vec<(&'static str, String, Value)> {
    vec![
        ("GET", format!("/tickets/{reference}"), Value::Null),
        (
            "POST",
            format!("/tickets/{reference}/messages"),
            json!({ "body": "Let me in" }),
        ),
        ("POST", format!("/tickets/{reference}/close"), json!({})),
        ("POST", format!("/tickets/{reference}/reopen"), json!({})),
        (
            "GET",
            format!("/tickets/{reference}/attachments/{attachment}"),
            Value::Null,
        ),
    ]
}

async fn call(
    app: &TestApp,
    client: &Client,
    method: &str,
    path: &str,
    body: &Value,
) -> StatusCode {
    match method {
        "GET" => app.get(client, path).await.status(),
        _ => post(app, client, path, body).await.status(),
    }
}

/// A ticket with a file, opened in `client`'s account: (reference, file id).
async fn ticket_with_file(app: &TestApp, client: &Client, subject: &str) -> (String, String) {
    let file = upload(app, client, "statement.png", png()).await;
    let reference = open_ticket(app, client, subject, &[file]).await;
    let ticket: Value = expect_status(
        app.get(client, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    let attachment = ticket["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("attachment")
        .to_owned();
    (reference, attachment)
}

async fn listed(app: &TestApp, client: &Client) -> Vec<String> {
    let page: Value = expect_status(
        app.get(client, "/account/tickets?lang=en").await,
        StatusCode::OK,
    )
    .await;
    page["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["reference"].as_str().expect("reference").to_owned())
        .collect()
}

#[tokio::test]
async fn another_customer_reaches_nothing_of_a_ticket_by_any_route() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let alice = customer(&app, &smtp, "alice@example.com").await;
    let bob = customer(&app, &smtp, "bob@example.net").await;
    let (alices, alices_file) = ticket_with_file(&app, &alice, "Alice's card").await;
    let (bobs, bobs_file) = ticket_with_file(&app, &bob, "Bob's card").await;

    let stranger = TestApp::new_client();
    let mut routes = ticket_routes(&alices, &alices_file);
    // Bob's own file named under Alice's ticket, and Alice's under Bob's.
    routes.push((
        "GET",
        format!("/tickets/{alices}/attachments/{bobs_file}"),
        Value::Null,
    ));
    for (method, path, body) in &routes {
        for (who, client) in [("bob", &bob), ("a stranger", &stranger)] {
            assert_eq!(
                call(&app, client, method, path, body).await,
                StatusCode::NOT_FOUND,
                "{who}: {method} {path}"
            );
        }
    }
    assert_eq!(
        app.get(
            &alice,
            &format!("/tickets/{bobs}/attachments/{alices_file}")
        )
        .await
        .status(),
        StatusCode::NOT_FOUND,
        "a file is reached only through its own ticket"
    );
    // Bob's list has his ticket only; nothing of Alice's changed.
    assert_eq!(listed(&app, &bob).await, vec![bobs.clone()]);
    assert_eq!(listed(&app, &alice).await, vec![alices.clone()]);
    let ticket: Value = expect_status(
        app.get(&alice, &format!("/tickets/{alices}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["messages"].as_array().map(Vec::len), Some(1));
    // Alice herself reaches all of it.
    for (method, path, body) in ticket_routes(&alices, &alices_file) {
        let status = call(&app, &alice, method, &path, &body).await;
        assert!(status.is_success(), "alice: {method} {path}: {status}");
    }
}

#[tokio::test]
async fn a_guest_link_does_not_open_a_ticket_that_joined_an_account() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    // Opened by email and confirmed in `app.client`, before any account.
    let ticket = app
        .open_confirmed_ticket(&smtp, "guest.first@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference").to_owned();
    // An access link asked for then, not used yet.
    let asked = app
        .post(
            &TestApp::new_client(),
            "/find",
            &json!({ "reference": reference, "email": "guest.first@example.com", "lang": "en" }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let access = smtp.wait_for("guest.first@example.com", 2).await.remove(1);
    let token = access.link_token();

    // The address becomes an account: the ticket joins it.
    let holder = TestApp::new_client();
    customer_with(&app, &smtp, &holder, "guest.first@example.com", "en").await;
    assert_eq!(listed(&app, &holder).await, vec![reference.clone()]);
    let path = format!("/tickets/{reference}");
    assert_eq!(app.get(&holder, &path).await.status(), StatusCode::OK);

    // The browser that confirmed it as a guest no longer opens it.
    assert_eq!(
        app.get(&app.client, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    // Nor does anyone with the old access link, whatever redeeming answers.
    let stranger = TestApp::new_client();
    let _ = app.redeem(&stranger, &token).await;
    assert_eq!(
        app.get(&stranger, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &app,
            &stranger,
            &format!("{path}/messages"),
            &json!({ "body": "hi" })
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_deleted_accounts_sessions_are_refused_everywhere() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let here = customer(&app, &smtp, "deleted@example.com").await;
    let reference = open_ticket(&app, &here, "Close my account", &[]).await;
    let there = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &there, "deleted@example.com", PASSWORD, true)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(
            &app,
            &here,
            "/account/delete",
            &json!({ "password": PASSWORD, "anonymise": false }),
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    for path in ["/account/me", "/account/tickets"] {
        assert_eq!(
            app.get(&there, path).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    assert_eq!(
        app.get(&there, &format!("/tickets/{reference}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let update = post(
        &app,
        &there,
        "/account/me",
        &json!({ "name": "Still here", "lang": "en", "notify_replies": true }),
    )
    .await;
    assert_eq!(update.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_new_password_cancels_a_pending_change_of_address() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let owner = customer(&app, &smtp, "owner@example.com").await;
    // Someone who learnt the password asks to move the account to theirs.
    let thief = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &thief, "owner@example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::OK
    );
    let asked = post(
        &app,
        &thief,
        "/account/email",
        &json!({ "email": "thief@example.net", "password": PASSWORD }),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let stolen = nth_token(&smtp, "thief@example.net", "verify", 1).await;
    // The owner, told by mail, sets a new password (every session ends).
    smtp.wait_for("owner@example.com", 2).await;
    assert_eq!(
        forgot(&app, &owner, "owner@example.com").await.status(),
        StatusCode::ACCEPTED
    );
    let token = nth_token(&smtp, "owner@example.com", "reset", 1).await;
    assert_eq!(
        reset(&app, &token, "a fresh start at last").await.status(),
        StatusCode::NO_CONTENT
    );
    // The link asked for before no longer moves the account.
    let late = verify(&app, &TestApp::new_client(), &stolen).await;
    assert!(
        !late.status().is_success(),
        "a change of address asked for before the new password went through"
    );
    let again = TestApp::new_client();
    assert_eq!(
        sign_in(
            &app,
            &again,
            "owner@example.com",
            "a fresh start at last",
            false
        )
        .await
        .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn signing_up_with_a_verified_address_changes_nothing_and_tells_its_owner() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "settled@example.com").await;
    let other = client_at(3);
    let theirs = "a password of my own choosing";
    let again = post(
        &app,
        &other,
        "/account/sign-up",
        &json!({ "email": "settled@example.com", "name": "M", "password": theirs, "lang": "en" }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    assert!(crate::account_kit::account_cookie(&again).is_none());
    // The owner hears of it, without a link that verifies anything.
    let notice = smtp.wait_for("settled@example.com", 2).await.remove(1);
    assert!(crate::account_kit::token_in(&notice.text, "verify").is_none());
    assert_eq!(
        sign_in(&app, &other, "settled@example.com", theirs, false)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, &client_at(4), "settled@example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::OK
    );
}
