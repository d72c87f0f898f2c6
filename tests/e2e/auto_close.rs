//! Auto-close: an answered ticket the customer left unanswered for the
//! configured days closes when the job runs (at start-up, so a restart
//! triggers it), with an event and a mail in the ticket's language carrying
//! the rating links; a recent answer, a customer reply or a longer setting
//! keeps a ticket as it is. The clock moves by backdating rows in SQLite.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::console_kit::{Desk, ticket};
use crate::harness::{Setup, TestApp, expect_status};
use crate::smtp::{Mail, SmtpSink};

pub const DAY: i64 = 24 * 60 * 60;

/// A confirmed ticket in `lang` the admin answered; its reference. The
/// customer has two mails then: the confirmation and the answer.
pub async fn answered(desk: &Desk, email: &str, lang: &str) -> String {
    let reference = ticket(desk, email, lang).await;
    expect_status::<Value>(
        desk.app
            .post(
                &desk.admin,
                &format!("/console/tickets/{reference}/messages"),
                &json!({ "body": "It is sent again today.", "internal": false, "force": true }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    reference
}

/// Moves the ticket's last change `days` into the past.
pub fn backdate(app: &TestApp, reference: &str, days: i64) {
    app.db()
        .execute(
            "UPDATE tickets SET updated_at = updated_at - ?2 WHERE reference = ?1",
            rusqlite::params![reference, days * DAY],
        )
        .expect("backdate");
}

pub fn status(app: &TestApp, reference: &str) -> String {
    app.db()
        .query_row(
            "SELECT status FROM tickets WHERE reference = ?1",
            [reference],
            |row| row.get(0),
        )
        .expect("status")
}

/// The rating token of a close mail (both links carry the same one).
pub fn rating_token(mail: &Mail) -> String {
    let start = mail.text.find("/rate/good#").expect("a rating link") + "/rate/good#".len();
    mail.text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Restarts the desk's server (the job runs at start-up).
async fn restart(app: TestApp, smtp: &SmtpSink) -> TestApp {
    app.restart(&Setup {
        smtp_url: Some(smtp.url()),
        ..Setup::default()
    })
    .await
}

#[tokio::test]
async fn an_answered_ticket_left_unanswered_closes_with_an_event_and_a_mail_in_its_language() {
    let desk = Desk::start().await;
    let persian = answered(&desk, "idle@example.com", "fa").await;
    let recent = answered(&desk, "recent@example.com", "en").await;
    let replied = answered(&desk, "replied@example.com", "ru").await;
    // The customer of `replied` wrote back after the answer.
    let customer = TestApp::new_client();
    let token = desk.smtp.wait_for("replied@example.com", 2).await[1].link_token();
    assert_eq!(
        desk.app.redeem(&customer, &token).await.status(),
        StatusCode::OK
    );
    expect_status::<Value>(
        desk.app
            .post(
                &customer,
                &format!("/tickets/{replied}/messages"),
                &json!({ "body": "Still nothing here." }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    backdate(&desk.app, &persian, 8);
    backdate(&desk.app, &replied, 8);
    backdate(&desk.app, &recent, 6);

    let Desk { smtp, app, admin } = desk;
    let app = restart(app, &smtp).await;
    let mail = smtp.wait_for("idle@example.com", 3).await.remove(2);
    assert_eq!(status(&app, &persian), "closed");
    assert!(mail.subject.contains("بسته شد"), "{}", mail.subject);
    assert!(
        mail.text.contains('۷'),
        "seven days, in Persian digits: {}",
        mail.text
    );
    assert!(mail.text.contains("/rate/good#") && mail.text.contains("/rate/not-good#"));
    assert!(mail.text.contains("/link#"), "a way back to the ticket");
    assert!(mail.html.contains("dir=\"rtl\""));
    assert!(
        !mail.text.contains("sent again"),
        "no ticket text in the mail"
    );

    // The history says it closed by itself; staff see it on the ticket.
    let view: Value = expect_status(
        app.get(&admin, &format!("/console/tickets/{persian}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(view["status"], "closed");
    let events = view["events"].as_array().expect("events");
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "auto_closed" && e["actor"] == "system"),
        "{events:?}"
    );

    // A recent answer and a customer reply keep theirs as they were.
    assert_eq!(status(&app, &recent), "answered");
    assert_eq!(status(&app, &replied), "open");
    assert_eq!(smtp.to("recent@example.com").len(), 2);
    assert_eq!(smtp.to("replied@example.com").len(), 2);
}

#[tokio::test]
async fn an_admin_changes_the_days_and_the_job_follows() {
    let desk = Desk::start().await;
    let (_, agent) = desk.agent("agent@desk.test", "Avi", &["technical"]).await;
    let setting = "/console/settings/auto-close";
    let shown: Value =
        expect_status(desk.app.get(&desk.admin, setting).await, StatusCode::OK).await;
    assert_eq!(shown["days"], 7, "seven days by default");
    assert_eq!(
        desk.app
            .post(&agent, setting, &json!({ "days": 1 }))
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "admins only"
    );
    let refused: Value = expect_status(
        desk.app
            .post(&desk.admin, setting, &json!({ "days": 366 }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["code"], "validation");

    let three_days = answered(&desk, "three@example.com", "en").await;
    let one_day = answered(&desk, "one@example.com", "en").await;
    backdate(&desk.app, &three_days, 3);
    backdate(&desk.app, &one_day, 1);
    expect_status::<Value>(
        desk.app
            .post(&desk.admin, setting, &json!({ "days": 2 }))
            .await,
        StatusCode::OK,
    )
    .await;

    let Desk { smtp, app, .. } = desk;
    let app = restart(app, &smtp).await;
    let mail = smtp.wait_for("three@example.com", 3).await.remove(2);
    assert!(mail.text.contains("2 days"), "{}", mail.text);
    assert_eq!(status(&app, &three_days), "closed");
    assert_eq!(status(&app, &one_day), "answered");
}
