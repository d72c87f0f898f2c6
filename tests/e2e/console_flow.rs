//! The support loop through the API: a Persian customer's ticket reaches
//! the queue live, an agent takes it, notes and replies; the customer is
//! mailed the reply in Persian (and never the note) and answers; the
//! assignee is told and the ticket is unread again.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::console_kit::{Desk, read_events_until};
use crate::harness::{TestApp, expect_status, png, ticket_body};

#[tokio::test]
async fn an_agent_answers_a_persian_ticket_and_the_customer_answers_back() {
    let desk = Desk::start().await;
    let (app, smtp) = (&desk.app, &desk.smtp);
    let (agent_id, tina) = desk
        .agent("tech@desk.test", "Tina Tech", &["technical"])
        .await;
    let (_, omid) = desk.agent("omid@desk.test", "Omid", &["technical"]).await;

    // Tina's live stream is open before the ticket exists.
    let events = tina
        .get(app.api("/console/events"))
        .send()
        .await
        .expect("events");

    // A customer writes in Persian and confirms by email.
    let customer = TestApp::new_client();
    let mut body = ticket_body("maryam@example.com", &[]);
    body["lang"] = json!("fa");
    let created: Value = expect_status(
        app.post(&customer, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let reference = created["reference"].as_str().expect("reference").to_owned();
    let queue: Value = expect_status(app.get(&tina, "/console/queue").await, StatusCode::OK).await;
    assert_eq!(
        queue["tickets"].as_array().map(Vec::len),
        Some(0),
        "unconfirmed tickets are not shown"
    );
    let token = smtp.wait_for("maryam@example.com", 1).await[0].link_token();
    assert_eq!(app.redeem(&customer, &token).await.status(), StatusCode::OK);

    // The stream tells Tina, without her asking.
    let expected = format!("{{\"reference\":\"{reference}\",\"kind\":\"confirmed\"}}");
    read_events_until(events, &expected).await;
    let queue: Value = expect_status(app.get(&tina, "/console/queue").await, StatusCode::OK).await;
    assert_eq!(queue["tickets"][0]["reference"], reference.as_str());
    assert_eq!(queue["tickets"][0]["unread"], true);
    assert_eq!(queue["counts"]["open"], 1);
    assert_eq!(queue["counts"]["unassigned"], 1);

    // Tina takes it and opens it (now read); Omid opens it too.
    let taken: Value = expect_status(
        app.post(
            &tina,
            &format!("/console/tickets/{reference}"),
            &json!({ "assignee": agent_id }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(taken["assignee"]["name"], "Tina Tech");
    let seen: Value = expect_status(
        app.get(&omid, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let seen_message = seen["messages"][0]["id"].as_i64().expect("id");

    // A note (with a file) and then a reply.
    let file = app.upload_ok("log.png", png()).await;
    let note: Value = expect_status(
        app.post(
            &tina,
            &format!("/console/tickets/{reference}/messages"),
            &json!({ "body": "SECRET-NOTE: refund approved internally", "internal": true, "uploads": [file], "seen_message": seen_message }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(note["author"], "note");
    let note_file = note["attachments"][0]["id"]
        .as_str()
        .expect("file")
        .to_owned();
    let reply: Value = expect_status(
        app.post(
            &tina,
            &format!("/console/tickets/{reference}/messages"),
            &json!({ "body": "پول شما امروز بازگردانده شد.", "internal": false, "seen_message": note["id"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(reply["staff"]["name"], "Tina Tech");

    // Omid, who loaded the ticket before both, is warned before replying.
    let stale: Value = expect_status(
        app.post(
            &omid,
            &format!("/console/tickets/{reference}/messages"),
            &json!({ "body": "Checking this now", "internal": false, "seen_message": seen_message }),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(stale["code"], "stale");

    // The customer's mail: Persian, right to left, the reply, a link — no note.
    let mails = smtp.wait_for("maryam@example.com", 2).await;
    let mail = &mails[1];
    assert!(mail.subject.contains("پاسخ"), "{}", mail.subject);
    assert!(mail.text.contains("پول شما امروز بازگردانده شد."));
    assert!(mail.html.contains("dir=\"rtl\""));
    for part in [&mail.subject, &mail.text, &mail.html] {
        assert!(!part.contains("SECRET-NOTE"), "a note leaked into mail");
    }
    // Its link opens the ticket: the reply with Tina's name, never the note.
    let reader = TestApp::new_client();
    assert_eq!(
        app.redeem(&reader, &mail.link_token()).await.status(),
        StatusCode::OK
    );
    let shown: Value = expect_status(
        app.get(&reader, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown["status"], "answered");
    let messages = shown["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 2, "{shown}");
    assert_eq!(messages[1]["author_name"], "Tina Tech");
    assert!(!shown.to_string().contains("SECRET-NOTE"));
    assert_eq!(
        app.get(
            &reader,
            &format!("/tickets/{reference}/attachments/{note_file}")
        )
        .await
        .status(),
        StatusCode::NOT_FOUND,
        "a note's file is not the customer's"
    );

    // The customer answers: open again, unread for Tina, and she is mailed.
    let answered = app
        .post(
            &reader,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": "ممنون!" }),
        )
        .await;
    assert_eq!(answered.status(), StatusCode::CREATED);
    let notice = smtp.wait_for("tech@desk.test", 2).await.remove(1);
    assert!(notice.text.contains(&reference), "{}", notice.text);
    assert!(
        !notice.text.contains("ممنون"),
        "customer text stays out of the mail"
    );
    let queue: Value = expect_status(
        app.get(&tina, "/console/queue?assignee=me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["tickets"][0]["status"], "open");
    assert_eq!(queue["tickets"][0]["unread"], true);

    // The history names who did what.
    let view: Value = expect_status(
        app.get(&tina, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let kinds: Vec<&str> = view["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for kind in [
        "created",
        "confirmed",
        "assigned",
        "note_added",
        "replied",
        "customer_replied",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
}

#[tokio::test]
async fn the_queue_pages_by_key_and_sorts_by_waiting_time() {
    let desk = Desk::start().await;
    let (app, admin) = (&desk.app, &desk.admin);
    // 120 open tickets written straight into the database, waiting since t = i.
    let db = app.db();
    for i in 0..120 {
        db.execute(
            "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                                  created_at, updated_at, waiting_since, priority)
             VALUES (printf('%05d-%05d', ?1, ?1), 4, 'email', 'c@example.com', 'Subject', 'open', 'en',
                     ?1, ?1, ?1, ?1 % 4)",
            [i],
        )
        .expect("insert");
    }
    let mut seen = Vec::new();
    let mut path = "/console/queue".to_owned();
    loop {
        let page: Value = expect_status(app.get(admin, &path).await, StatusCode::OK).await;
        for ticket in page["tickets"].as_array().expect("tickets") {
            seen.push(ticket["waiting_since"].as_i64().expect("waiting"));
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/console/queue?after={next}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        (0..120).collect::<Vec<_>>(),
        "every ticket once, longest waiting first"
    );
    let urgent: Value = expect_status(
        app.get(admin, "/console/queue?priority=urgent").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(urgent["tickets"].as_array().map(Vec::len), Some(30));
    assert_eq!(urgent["counts"]["open"], 30);
    let garbage = app.get(admin, "/console/queue?after=1_2").await;
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
}
