//! Satisfaction through the API: every close (by the customer, by staff)
//! sends one mail with the two rating links; a token rates once, its own
//! ticket only, and only by POST; a comment may follow once, shown to staff
//! and never mailed; the per-member figures cover the last 30 days; an
//! account holder gets a plain link, and no mail with reply mails off.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::account_kit::{customer, open_ticket, post, queued_to};
use crate::auto_close::{DAY, answered, rating_token};
use crate::console_kit::{Desk, read_events_until};
use crate::harness::{TestApp, expect_status};

/// The admin closes the ticket.
async fn close(desk: &Desk, reference: &str) {
    expect_status::<Value>(
        desk.app
            .post(
                &desk.admin,
                &format!("/console/tickets/{reference}"),
                &json!({ "status": "closed" }),
            )
            .await,
        StatusCode::OK,
    )
    .await;
}

/// The admin closes the ticket; returns the token of the close mail, the
/// customer's `n`th mail.
async fn closed_by_staff(desk: &Desk, reference: &str, email: &str, n: usize) -> String {
    close(desk, reference).await;
    rating_token(&desk.smtp.wait_for(email, n).await[n - 1])
}

async fn rate(desk: &Desk, token: &str, good: bool) -> reqwest::Response {
    let customer = TestApp::new_client();
    desk.app
        .post(
            &customer,
            "/ratings",
            &json!({ "token": token, "good": good }),
        )
        .await
}

async fn staff_view(desk: &Desk, reference: &str) -> Value {
    expect_status(
        desk.app
            .get(&desk.admin, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_rating_link_works_once_by_post_only_and_keeps_the_comment_for_staff() {
    let desk = Desk::start().await;
    let reference = answered(&desk, "rater@example.com", "en").await;
    let token = closed_by_staff(&desk, &reference, "rater@example.com", 3).await;
    let mail = &desk.smtp.to("rater@example.com")[2];
    assert!(mail.subject.contains("closed"), "{}", mail.subject);
    assert!(mail.text.contains("Our team closed"), "{}", mail.text);

    // Opening the link (a scanner's GET) records nothing.
    let page = desk.app.page("/rate/good").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        desk.app
            .count("SELECT count(*) FROM ratings WHERE rated_at IS NOT NULL"),
        0
    );

    // Staff watching the console see the rating arrive live.
    let events = desk
        .admin
        .get(desk.app.api("/console/events"))
        .send()
        .await
        .expect("events");

    // A comment before the choice is refused.
    let customer = TestApp::new_client();
    let early = desk
        .app
        .post(
            &customer,
            "/ratings/comment",
            &json!({ "token": token, "comment": "Hi" }),
        )
        .await;
    assert_eq!(early.status(), StatusCode::NOT_FOUND);

    assert_eq!(
        rate(&desk, &token, true).await.status(),
        StatusCode::NO_CONTENT
    );
    read_events_until(
        events,
        &format!("{{\"reference\":\"{reference}\",\"kind\":\"rated\"}}"),
    )
    .await;
    let again: Value = expect_status(rate(&desk, &token, false).await, StatusCode::CONFLICT).await;
    assert_eq!(again["code"], "link_used");

    // The comment: checked by the shared rule, then stored once.
    let long = "x".repeat(shared::limits::RATING_COMMENT_MAX + 1);
    let too_long: Value = expect_status(
        desk.app
            .post(
                &customer,
                "/ratings/comment",
                &json!({ "token": token, "comment": long }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(too_long["fields"][0]["field"], "body");
    let comment = "<b>CUSTOMER-COMMENT</b> quick and kind";
    for expected in [StatusCode::NO_CONTENT, StatusCode::CONFLICT] {
        let sent = desk
            .app
            .post(
                &customer,
                "/ratings/comment",
                &json!({ "token": token, "comment": comment }),
            )
            .await;
        assert_eq!(sent.status(), expected);
    }

    // Staff see choice, comment (as typed) and whom it was for.
    let view = staff_view(&desk, &reference).await;
    assert_eq!(view["rating"]["good"], true);
    assert_eq!(view["rating"]["comment"], comment);
    let events = view["events"].as_array().expect("events");
    assert!(events.iter().any(|e| e["kind"] == "rated"), "{events:?}");

    // The customer's own view of the ticket does not carry it, and no mail
    // ever carries it.
    let reader = TestApp::new_client();
    let access = desk.smtp.to("rater@example.com")[2].link_token();
    assert_eq!(
        desk.app.redeem(&reader, &access).await.status(),
        StatusCode::OK
    );
    let own = desk
        .app
        .get(&reader, &format!("/tickets/{reference}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(!own.contains("CUSTOMER-COMMENT"));
    for mail in desk.smtp.all() {
        assert!(!mail.text.contains("CUSTOMER-COMMENT") && !mail.html.contains("CUSTOMER-COMMENT"));
    }
}

#[tokio::test]
async fn forged_expired_and_other_tickets_tokens_are_refused() {
    let desk = Desk::start().await;
    let first = answered(&desk, "first@example.com", "en").await;
    let second = answered(&desk, "second@example.com", "en").await;
    let first_token = closed_by_staff(&desk, &first, "first@example.com", 3).await;
    let second_token = closed_by_staff(&desk, &second, "second@example.com", 3).await;

    let forged: Value = expect_status(
        rate(&desk, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(forged["code"], "link_invalid");

    // A token rates the ticket it was mailed for, never another.
    assert_eq!(
        rate(&desk, &first_token, false).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(staff_view(&desk, &first).await["rating"]["good"], false);
    assert!(staff_view(&desk, &second).await["rating"].is_null());

    desk.app
        .db()
        .execute(
            "UPDATE ratings SET expires_at = expires_at - ?1",
            [31 * DAY],
        )
        .expect("expire");
    let expired: Value =
        expect_status(rate(&desk, &second_token, true).await, StatusCode::GONE).await;
    assert_eq!(expired["code"], "link_expired");
    assert!(staff_view(&desk, &second).await["rating"].is_null());
}

#[tokio::test]
async fn a_customer_close_sends_one_mail_with_the_rating_links() {
    let desk = Desk::start().await;
    let reference = answered(&desk, "closer@example.com", "ru").await;
    let customer = TestApp::new_client();
    let access = desk.smtp.wait_for("closer@example.com", 2).await[1].link_token();
    assert_eq!(
        desk.app.redeem(&customer, &access).await.status(),
        StatusCode::OK
    );
    expect_status::<Value>(
        desk.app
            .post(
                &customer,
                &format!("/tickets/{reference}/close"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let mail = desk.smtp.wait_for("closer@example.com", 3).await.remove(2);
    assert!(mail.subject.contains("закрыто"), "{}", mail.subject);
    assert!(mail.text.contains("Вы закрыли"), "{}", mail.text);
    assert_eq!(
        rate(&desk, &rating_token(&mail), true).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        desk.smtp.to("closer@example.com").len(),
        3,
        "one mail per close"
    );
}

#[tokio::test]
async fn per_member_figures_count_the_last_30_days() {
    let desk = Desk::start().await;
    let (tina_id, tina) = desk.agent("tina@desk.test", "Tina", &["technical"]).await;
    let (omid_id, _) = desk.agent("omid@desk.test", "Omid", &["technical"]).await;
    let mut votes = Vec::new();
    for (n, (member, good)) in [
        (tina_id, true),
        (tina_id, true),
        (tina_id, false),
        (omid_id, true),
        (omid_id, false),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("c{n}@example.com");
        let reference = answered(&desk, &email, "en").await;
        expect_status::<Value>(
            desk.app
                .post(
                    &desk.admin,
                    &format!("/console/tickets/{reference}"),
                    &json!({ "assignee": member }),
                )
                .await,
            StatusCode::OK,
        )
        .await;
        let token = closed_by_staff(&desk, &reference, &email, 3).await;
        assert_eq!(
            rate(&desk, &token, good).await.status(),
            StatusCode::NO_CONTENT
        );
        votes.push(reference);
    }
    // Omid's "not good" is 31 days old: left out.
    desk.app
        .db()
        .execute(
            "UPDATE ratings SET rated_at = rated_at - ?2
             WHERE ticket_id = (SELECT id FROM tickets WHERE reference = ?1)",
            rusqlite::params![votes[4], 31 * DAY],
        )
        .expect("backdate");

    let figures: Value = expect_status(
        desk.app.get(&desk.admin, "/console/ratings").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        figures,
        json!([
            { "staff_id": tina_id, "name": "Tina", "good": 2, "not_good": 1 },
            { "staff_id": omid_id, "name": "Omid", "good": 1, "not_good": 0 },
        ])
    );
    assert_eq!(
        desk.app.get(&tina, "/console/ratings").await.status(),
        StatusCode::FORBIDDEN,
        "admins only"
    );
}

#[tokio::test]
async fn an_account_holder_gets_the_close_mail_with_a_plain_link_unless_turned_off() {
    let desk = Desk::start().await;
    let (app, email) = (&desk.app, "holder@example.com");
    let browser = customer(app, &desk.smtp, email).await;
    let reference = open_ticket(app, &browser, "Card declined", &[]).await;
    // The verification mail was the first; the close mail is the second.
    let token = closed_by_staff(&desk, &reference, email, 2).await;
    let mail = &desk.smtp.to(email)[1];
    assert!(
        mail.text
            .contains(&format!("{}/tickets/{reference}", app.url))
    );
    assert!(
        !mail.text.contains("/link#"),
        "no guest token for an account's ticket"
    );
    assert_eq!(
        rate(&desk, &token, true).await.status(),
        StatusCode::NO_CONTENT
    );

    // Reopened, and reply mails turned off: the next close sends nothing.
    let preferences = json!({ "name": "Sara", "lang": "en", "notify_replies": false });
    for (path, body) in [
        (format!("/tickets/{reference}/reopen"), json!({})),
        ("/account/me".to_owned(), preferences),
    ] {
        let changed = post(app, &browser, &path, &body).await;
        assert_eq!(changed.status(), StatusCode::OK, "{path}");
    }
    let queued = queued_to(app, email);
    close(&desk, &reference).await;
    assert_eq!(queued_to(app, email), queued, "no mail");
}
