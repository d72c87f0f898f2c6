//! Full-text search in the console: what an agent types (whatever the
//! keyboard) finds the ticket; the index stays equal to one rebuilt from the
//! tables after every kind of write; departments bound the results; a note
//! is found by staff and still never shown to the customer; hostile queries
//! are answered, never a 500.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::console_kit::Desk;
use crate::harness::{Setup, TestApp, expect_status, ticket_body};

/// The queue (all statuses) for `q`.
async fn search(app: &TestApp, who: &Client, q: &str) -> Value {
    let response = who
        .get(app.api("/console/queue"))
        .query(&[("q", q), ("status", "all")])
        .send()
        .await
        .expect("search");
    expect_status(response, StatusCode::OK).await
}

/// The references a search finds (department_forms.rs asks it too).
pub async fn found(app: &TestApp, who: &Client, q: &str) -> Vec<String> {
    search(app, who, q).await["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["reference"].as_str().expect("reference").to_owned())
        .collect()
}

/// Words the index holds that one rebuilt from the tables would not, and
/// the other way round.
fn drift(app: &TestApp) -> i64 {
    pasokh::db::search::drift(&app.db()).expect("compare the index")
}

#[tokio::test]
async fn search_folds_spellings_and_the_index_follows_every_write() {
    let desk = Desk::start().await;
    let (app, smtp, admin) = (&desk.app, &desk.smtp, &desk.admin);
    let (_, tina) = desk.agent("tina@desk.test", "Tina", &["technical"]).await;
    let (_, fred) = desk.agent("fred@desk.test", "Fred", &["financial"]).await;

    // A Persian ticket written on a Persian keyboard, with ZWNJ and digits.
    let customer = TestApp::new_client();
    let mut body = ticket_body("maryam@example.com", &[]);
    body["lang"] = json!("fa");
    body["subject"] = json!("کتاب‌ها هنوز نرسیده");
    body["description"] = json!("سفارش شماره ۱۲۳۴۵ را پیگیری کنید");
    let created: Value = expect_status(
        app.post(&customer, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let reference = created["reference"].as_str().expect("reference").to_owned();
    // Another that is never confirmed: indexed, never found, purged later.
    let mut ghost = ticket_body("ghost@example.com", &[]);
    ghost["subject"] = json!("Phantomword never confirmed");
    expect_status::<Value>(
        app.post(&TestApp::new_client(), "/tickets", &ghost).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(drift(app), 0, "after two tickets were created");
    let token = smtp.wait_for("maryam@example.com", 1).await[0].link_token();
    assert_eq!(app.redeem(&customer, &token).await.status(), StatusCode::OK);

    // Arabic kaf and ye, no ZWNJ, harakat, Persian or ASCII digits: one ticket.
    let mine = vec![reference.clone()];
    for q in [
        "كتاب",
        "کتاب‌ها",
        "کتابها",
        "كِتَابها",
        "نرس",
        "۱۲۳",
        "12345",
        "کتاب 123",
        "maryam@example",
        &reference,
        &reference.replace('-', ""),
        &reference
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0x06F0 + d).expect("Persian digit"),
                None => c,
            })
            .collect::<String>(),
    ] {
        assert_eq!(found(app, &tina, q).await, mine, "{q}");
    }
    for q in [
        "کتاب zzz",
        "ketab",
        "Phantomword",
        "12345-00000",
        "کتابخانه",
    ] {
        assert!(found(app, &tina, q).await.is_empty(), "{q}");
    }
    // The hit is marked in the original spelling, as plain text parts.
    let result = search(app, &tina, "كتاب").await;
    let snippet = &result["tickets"][0]["snippet"];
    assert_eq!(snippet["note"], false);
    assert!(
        snippet["parts"]
            .as_array()
            .expect("parts")
            .contains(&json!(["کتاب‌ها", true])),
        "{snippet}"
    );
    // Results combine with the queue's filters and counts.
    assert!(
        found(app, &tina, "كتاب")
            .await
            .iter()
            .all(|r| r == &reference)
    );
    let closed = tina
        .get(app.api("/console/queue"))
        .query(&[("q", "كتاب"), ("status", "closed")])
        .send()
        .await
        .expect("search closed");
    let closed: Value = expect_status(closed, StatusCode::OK).await;
    assert_eq!(closed["tickets"], json!([]));
    assert_eq!(closed["counts"]["open"], 1);
    // An agent of another department finds nothing, not even by reference.
    for q in ["كتاب", reference.as_str()] {
        assert!(found(app, &fred, q).await.is_empty(), "{q}");
        assert_eq!(search(app, &fred, q).await["counts"]["open"], 0);
    }

    // A note: found by staff, marked as a note, never shown to the customer.
    let path = format!("/console/tickets/{reference}/messages");
    let view: Value = expect_status(
        app.get(&tina, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let seen = view["messages"][0]["id"].clone();
    let note: Value = expect_status(
        app.post(
            &tina,
            &path,
            &json!({ "body": "Internal: Refundable per policy", "internal": true, "seen_message": seen }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(drift(app), 0, "after a note");
    assert_eq!(found(app, &tina, "refundab").await, mine);
    assert_eq!(
        search(app, &tina, "refundab").await["tickets"][0]["snippet"]["note"],
        true
    );
    expect_status::<Value>(
        app.post(
            &tina,
            &path,
            &json!({ "body": "ارسال مجدد انجام شد", "internal": false, "seen_message": note["id"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(drift(app), 0, "after a reply");
    assert_eq!(found(app, &tina, "مجدد").await, mine);
    let shown: Value = expect_status(
        app.get(&customer, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(!shown.to_string().contains("Refundable"), "{shown}");

    // The customer answers: a word of that second message finds the ticket.
    let answered = app
        .post(
            &customer,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": "بسته رسید، سپاسگزارم" }),
        )
        .await;
    assert_eq!(answered.status(), StatusCode::CREATED);
    assert_eq!(drift(app), 0, "after the customer's reply");
    assert_eq!(found(app, &tina, "سپاسگزار").await, mine);

    // A transfer changes no text, only who finds it.
    let moved = app
        .post(
            admin,
            &format!("/console/tickets/{reference}"),
            &json!({ "department": "financial" }),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(drift(app), 0, "after a transfer");
    assert_eq!(found(app, &fred, "كتاب").await, mine);
    assert!(found(app, &tina, "كتاب").await.is_empty());

    // The check has teeth: a lost row is drift, put back at start-up; the
    // purge of the unconfirmed ticket takes its row along.
    app.db()
        .execute(
            "DELETE FROM ticket_search WHERE rowid = (SELECT id FROM tickets WHERE reference = ?1)",
            [&reference],
        )
        .expect("lose a row");
    assert!(drift(app) > 0);
    app.db()
        .execute(
            "UPDATE tickets SET created_at = created_at - 90000 WHERE email = 'ghost@example.com'",
            [],
        )
        .expect("age the ghost");
    let setup = Setup {
        smtp_url: Some(smtp.url()),
        ..Setup::default()
    };
    let app = desk.app.restart(&setup).await;
    crate::harness::eventually("the purge", || {
        (app.count("SELECT count(*) FROM tickets") == 1).then_some(())
    })
    .await;
    assert_eq!(drift(&app), 0, "after the purge and the start-up backfill");
    assert_eq!(
        app.count("SELECT count(*) FROM ticket_search_docsize"),
        1,
        "the purged ticket left the index"
    );
}

#[tokio::test]
async fn hostile_queries_are_answered_and_never_reach_fts_syntax() {
    let desk = Desk::start().await;
    let (app, smtp) = (&desk.app, &desk.smtp);
    let (_, tina) = desk.agent("tina@desk.test", "Tina", &["technical"]).await;
    let ticket = app
        .open_confirmed_ticket(smtp, "quote@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference").to_owned();
    let only = vec![reference];
    let long = "withdrawal ".repeat(1000);
    for q in [
        "\"",
        "*",
        "NEAR(",
        "NEAR(a b)",
        "OR",
        "a OR",
        "-",
        "",
        " ",
        "subject:withdrawal",
        "\"withdrawal",
        "withdrawal\"*",
        "(",
        ")",
        "^with",
        "+",
        "AND NOT",
        "'",
        "%",
        "\\",
        "\u{0}",
        long.as_str(),
    ] {
        let response = tina
            .get(app.api("/console/queue"))
            .query(&[("q", q), ("status", "all")])
            .send()
            .await
            .expect("search");
        let status = response.status();
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{q:.40}: {status}"
        );
    }
    // Syntax characters are only separators: the words around them count.
    for q in [
        "\"withdrawal",
        "withdrawal\"*",
        "(withdrawal)",
        "-withdrawal",
        "with*",
    ] {
        assert_eq!(found(app, &tina, q).await, only, "{q}");
    }
    // An empty query is no search: the whole queue.
    assert_eq!(found(app, &tina, "").await, only);
    assert!(found(app, &tina, "\"*-").await.is_empty());
}
