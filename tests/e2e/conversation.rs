//! Limits on what one customer can do to one ticket: replies and status
//! changes are rate limited per ticket and per browser, and a ticket holds
//! at most `MESSAGES_PER_TICKET` messages.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::limits::MESSAGES_PER_TICKET;

use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

async fn reply(app: &TestApp, reference: &str, body: &str) -> reqwest::Response {
    app.post(
        &app.client,
        &format!("/tickets/{reference}/messages"),
        &json!({ "body": body }),
    )
    .await
}

#[tokio::test]
async fn replies_are_limited_per_ticket_and_answered_with_the_new_message_only() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "chatty@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");
    // A long reply, many times: each answer stays the size of one message.
    let long = "x".repeat(20_000);
    let mut sizes = Vec::new();
    for _ in 0..30 {
        let response = reply(&app, reference, &long).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        sizes.push(response.bytes().await.expect("body").len());
    }
    assert!(
        sizes.iter().all(|size| *size < 21_000),
        "answers grew: {sizes:?}"
    );
    let limited = reply(&app, reference, "one more").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    let body: Value = limited.json().await.expect("json");
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(
        app.count("SELECT count(*) FROM messages"),
        31,
        "the description and 30 replies, nothing more"
    );
}

#[tokio::test]
async fn a_full_ticket_refuses_more_messages_and_says_why() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "full@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");
    // Fill the ticket up to one below the cap directly in the database.
    let db = app.db();
    let id: i64 = db
        .query_row(
            "SELECT id FROM tickets WHERE reference = ?1",
            [reference],
            |row| row.get(0),
        )
        .expect("ticket id");
    for _ in 1..MESSAGES_PER_TICKET - 1 {
        db.execute(
            "INSERT INTO messages (ticket_id, author, body, created_at) VALUES (?1, 'customer', 'old', 0)",
            [id],
        )
        .expect("insert");
    }
    assert_eq!(
        reply(&app, reference, "the last one").await.status(),
        StatusCode::CREATED
    );
    let refused: Value = expect_status(
        reply(&app, reference, "too many").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "ticket_full");
    assert_eq!(
        app.count("SELECT count(*) FROM messages"),
        MESSAGES_PER_TICKET as i64
    );
}

#[tokio::test]
async fn closing_and_reopening_without_end_is_refused() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "toggle@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");
    for n in 0..10 {
        let action = if n % 2 == 0 { "close" } else { "reopen" };
        let response = app
            .post(
                &app.client,
                &format!("/tickets/{reference}/{action}"),
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{action} #{n}");
    }
    let limited = app
        .post(
            &app.client,
            &format!("/tickets/{reference}/close"),
            &json!({}),
        )
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
}
