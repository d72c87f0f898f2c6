//! Tickets in a customer account through the API: opened in the account
//! channel, listed under My tickets (paged), answered by an agent (unread
//! marker, reply mail per preference), earlier email tickets joining the
//! account, and the account's language.

use std::collections::HashSet;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::account_kit::{
    account_ticket, agent_reply, customer, customer_with, error_code, nth_link_mail, open_ticket,
    post, queued_to,
};
use crate::console_kit::Desk;
use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

async fn my_tickets(app: &TestApp, client: &Client, after: Option<&str>) -> reqwest::Response {
    let mut query = vec![("lang", "en")];
    if let Some(after) = after {
        query.push(("after", after));
    }
    client
        .get(app.api("/account/tickets"))
        .query(&query)
        .send()
        .await
        .expect("my tickets")
}

async fn list(app: &TestApp, client: &Client) -> Vec<Value> {
    let page: Value = expect_status(my_tickets(app, client, None).await, StatusCode::OK).await;
    page["tickets"].as_array().expect("tickets").clone()
}

async fn unread(app: &TestApp, client: &Client) -> u64 {
    let me: Value = expect_status(app.get(client, "/account/me").await, StatusCode::OK).await;
    me["unread"].as_u64().expect("unread")
}

#[tokio::test]
async fn a_ticket_in_the_account_is_open_at_once_without_mail_and_listed() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let signed_out = post(
        &app,
        &TestApp::new_client(),
        "/tickets",
        &account_ticket("Card declined", &[]),
    )
    .await;
    assert_eq!(
        error_code(signed_out, StatusCode::UNAUTHORIZED).await,
        "signed_out"
    );

    let browser = customer(&app, &smtp, "holder@example.com").await;
    let mails_before = queued_to(&app, "holder@example.com");
    // Whatever address the form carries, the ticket is the account's.
    let mut body = account_ticket("Card declined", &[]);
    body["email"] = json!("someone.else@example.com");
    let created: Value = expect_status(
        post(&app, &browser, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let reference = created["reference"].as_str().expect("reference").to_owned();
    assert_eq!(queued_to(&app, "someone.else@example.com"), 0);
    assert_eq!(
        queued_to(&app, "holder@example.com"),
        mails_before,
        "no confirmation mail"
    );
    let stored: (String, String) = app
        .db()
        .query_row(
            "SELECT status, email FROM tickets WHERE reference = ?1",
            [&reference],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("ticket");
    assert_eq!(
        stored,
        ("open".to_owned(), "holder@example.com".to_owned()),
        "open at once, at the account's address"
    );
    let listed = list(&app, &browser).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["reference"], reference);
    assert_eq!(listed[0]["subject"], "Card declined");
    assert_eq!(listed[0]["status"], "open");
    assert_eq!(listed[0]["department"], "Technical support");
    assert_eq!(listed[0]["unread"], false);
    assert!(listed[0]["updated_at"].as_i64().expect("updated_at") > 0);
    // The account's session opens it (no emailed link needed).
    let ticket: Value = expect_status(
        app.get(&browser, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ticket["status"], "open");
    // Signed out, My tickets is refused.
    let refused = my_tickets(&app, &TestApp::new_client(), None).await;
    assert_eq!(
        error_code(refused, StatusCode::UNAUTHORIZED).await,
        "signed_out"
    );
}

#[tokio::test]
async fn an_agents_answer_is_unread_until_opened_and_mailed_as_a_plain_link_if_wanted() {
    let desk = Desk::start().await;
    let (app, smtp, staff) = (&desk.app, &desk.smtp, &desk.admin);
    let browser = customer(app, smtp, "answered@example.com").await;
    let reference = open_ticket(app, &browser, "Card declined", &[]).await;

    agent_reply(app, staff, &reference, "We refunded the second charge.").await;
    assert_eq!(unread(app, &browser).await, 1);
    let listed = list(app, &browser).await;
    assert_eq!(listed[0]["unread"], true);
    assert_eq!(listed[0]["status"], "answered");
    // The mail (the verification link was the first) opens the ticket
    // with the account: a plain link, no guest token.
    let mail = smtp.wait_for("answered@example.com", 2).await.remove(1);
    assert!(mail.subject.contains(&reference), "{}", mail.subject);
    assert!(
        mail.text
            .contains(&format!("{}/tickets/{reference}", app.url)),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("/link#") && !mail.html.contains("/link#"));
    assert_eq!(mail.header("Content-Language"), Some("en"));

    // Opening the ticket reads it.
    let ticket: Value = expect_status(
        app.get(&browser, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ticket["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(unread(app, &browser).await, 0);
    assert_eq!(list(app, &browser).await[0]["unread"], false);

    // The holder answers, closes and reopens through the ticket's routes.
    let replied: Value = expect_status(
        post(
            app,
            &browser,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": "Thank you, it arrived." }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(replied["status"], "open");
    for (action, status) in [("close", "closed"), ("reopen", "open")] {
        let changed: Value = expect_status(
            post(
                app,
                &browser,
                &format!("/tickets/{reference}/{action}"),
                &json!({}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(changed["status"], status, "{action}");
    }

    // Replies by mail turned off: the next answer is unread, and not mailed.
    let preferences: Value = expect_status(
        post(
            app,
            &browser,
            "/account/me",
            &json!({ "name": "Sara", "lang": "en", "notify_replies": false }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(preferences["notify_replies"], false);
    let queued = queued_to(app, "answered@example.com");
    agent_reply(app, staff, &reference, "Anything else?").await;
    assert_eq!(queued_to(app, "answered@example.com"), queued, "no mail");
    assert_eq!(unread(app, &browser).await, 1);
}

#[tokio::test]
async fn tickets_the_address_opened_by_email_join_the_account_when_it_is_verified() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let earlier = app
        .open_confirmed_ticket(&smtp, "joiner@example.com", &[])
        .await;
    let earlier = earlier["reference"].as_str().expect("reference").to_owned();

    let browser = TestApp::new_client();
    customer_with(&app, &smtp, &browser, "joiner@example.com", "en").await;
    let listed = list(&app, &browser).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["reference"], earlier);
    assert_eq!(listed[0]["department"], "Technical support");
    expect_status::<Value>(
        app.get(&browser, &format!("/tickets/{earlier}")).await,
        StatusCode::OK,
    )
    .await;
    let now_in_account = open_ticket(&app, &browser, "Second question", &[]).await;
    let listed = list(&app, &browser).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["reference"], now_in_account, "newest first");
}

#[tokio::test]
async fn my_tickets_come_newest_first_in_pages_of_twenty() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let browser = customer(&app, &smtp, "busy@example.com").await;
    let first = open_ticket(&app, &browser, "The first one", &[]).await;
    // 24 more, copied in the database (the API limits new tickets per
    // hour); activity times fall back in steps, three tickets at each, so
    // a page boundary falls between equal times.
    let db = app.db();
    for i in 0..24i64 {
        db.execute(
            "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                 created_at, confirmed_at, updated_at, customer_id)
             SELECT ?1, department_id, channel, email, ?2, status, lang, created_at, confirmed_at,
                 updated_at - 100 - ?3, customer_id
             FROM tickets WHERE reference = ?4",
            rusqlite::params![
                format!("{:05}-{:05}", 90000 + i, 10000 + i),
                format!("Ticket {i}"),
                i / 3,
                first
            ],
        )
        .expect("insert ticket");
    }
    let one: Value = expect_status(my_tickets(&app, &browser, None).await, StatusCode::OK).await;
    let page_one = one["tickets"].as_array().expect("tickets").clone();
    assert_eq!(page_one.len(), 20);
    let cursor = one["next"].as_str().expect("a next page").to_owned();
    let two: Value = expect_status(
        my_tickets(&app, &browser, Some(&cursor)).await,
        StatusCode::OK,
    )
    .await;
    let page_two = two["tickets"].as_array().expect("tickets").clone();
    assert_eq!(page_two.len(), 5, "{two}");
    assert_eq!(two["next"], Value::Null);

    let all: Vec<&Value> = page_one.iter().chain(&page_two).collect();
    let references: HashSet<&str> = all
        .iter()
        .map(|t| t["reference"].as_str().expect("reference"))
        .collect();
    assert_eq!(references.len(), 25, "no ticket twice, none missing");
    assert_eq!(all[0]["reference"], first, "the newest activity first");
    let times: Vec<i64> = all
        .iter()
        .map(|t| t["updated_at"].as_i64().expect("time"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    for garbage in ["not-a-cursor", "%%%", "9999999999999999999999"] {
        let refused = my_tickets(&app, &browser, Some(garbage)).await;
        assert_eq!(
            refused.status(),
            StatusCode::BAD_REQUEST,
            "cursor {garbage:?}"
        );
    }
}

#[tokio::test]
async fn the_accounts_language_is_that_of_its_mail_and_its_pages() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let browser = TestApp::new_client();
    let account = customer_with(&app, &smtp, &browser, "parsa@example.com", "fa").await;
    assert_eq!(account["lang"], "fa");
    let mail = nth_link_mail(&smtp, "parsa@example.com", "verify", 1).await;
    assert_eq!(mail.header("Content-Language"), Some("fa"));
    assert!(
        mail.text
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "Persian text: {}",
        mail.text
    );
    assert!(mail.html.contains("dir=\"rtl\""), "{}", mail.html);

    let changed: Value = expect_status(
        post(
            &app,
            &browser,
            "/account/me",
            &json!({ "name": "Parsa", "lang": "ru", "notify_replies": true }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["lang"], "ru");
    assert_eq!(changed["name"], "Parsa");
    let me: Value = expect_status(app.get(&browser, "/account/me").await, StatusCode::OK).await;
    assert_eq!(me["lang"], "ru");
    // A bad name is refused by field.
    let refused: Value = expect_status(
        post(
            &app,
            &browser,
            "/account/me",
            &json!({ "name": "  ", "lang": "en", "notify_replies": true }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["fields"][0]["field"], "name", "{refused}");
}

#[tokio::test]
async fn an_answer_brings_its_ticket_to_the_top_of_my_tickets() {
    let desk = Desk::start().await;
    let (app, smtp) = (&desk.app, &desk.smtp);
    let browser = customer(app, smtp, "ordered@example.com").await;
    let older = open_ticket(app, &browser, "The older one", &[]).await;
    let newer = open_ticket(app, &browser, "The newer one", &[]).await;
    // Their activity lies back a while, the older one further.
    for (reference, back) in [(&older, 200), (&newer, 100)] {
        app.db()
            .execute(
                "UPDATE tickets SET updated_at = updated_at - ?2 WHERE reference = ?1",
                rusqlite::params![reference, back],
            )
            .expect("age");
    }
    let order = |tickets: Vec<Value>| -> Vec<String> {
        tickets
            .iter()
            .map(|t| t["reference"].as_str().expect("reference").to_owned())
            .collect()
    };
    assert_eq!(
        order(list(app, &browser).await),
        [newer.clone(), older.clone()]
    );
    agent_reply(app, &desk.admin, &older, "Found it.").await;
    assert_eq!(order(list(app, &browser).await), [older, newer]);
}
