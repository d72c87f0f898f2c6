//! The queue's machinery for a million tickets, checked on a small desk:
//! every sort order pages through every ticket exactly once in its documented
//! order (ties broken by the id, the priority order mixing directions); the
//! counts kept by triggers equal a recount after every kind of change; and a
//! search for a word in more tickets than it looks at says so.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::console_kit::Desk;
use crate::harness::{Setup, TestApp, expect_status};

/// A ticket as the test wrote it: what each order sorts by.
#[derive(Clone, Copy, Debug)]
struct Row {
    id: i64,
    updated_at: i64,
    waiting_since: Option<i64>,
    priority: i64,
}

impl Row {
    fn waiting(&self) -> i64 {
        self.waiting_since.unwrap_or(self.updated_at)
    }
}

const STATUSES: [&str; 3] = ["open", "answered", "closed"];

/// 150 confirmed tickets (and a few unconfirmed ones, never listed) written
/// straight into the database, with many equal sort values so the id has
/// to break ties. Returns them per status.
fn write_tickets(app: &TestApp) -> Vec<(&'static str, Row)> {
    let db = app.db();
    let mut rows = Vec::new();
    for i in 0..160_i64 {
        let status = match i % 16 {
            15 => "awaiting_confirmation",
            n => STATUSES[(n % 3) as usize],
        };
        let updated_at = 1_000 + (i * 7919) % 37;
        let waiting_since = (status == "open").then_some(900 + (i * 104_729) % 23);
        let priority = (i * 31) % 4;
        db.execute(
            "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                                  created_at, updated_at, waiting_since, priority)
             VALUES (printf('%05d-%05d', ?1, ?1), 1 + ?1 % 2, 'email', 'c@example.com', 'Order',
                     ?2, 'en', ?1, ?3, ?4, ?5)",
            rusqlite::params![i, status, updated_at, waiting_since, priority],
        )
        .expect("insert");
        let id = db.last_insert_rowid();
        if status != "awaiting_confirmation" {
            rows.push((
                status,
                Row {
                    id,
                    updated_at,
                    waiting_since,
                    priority,
                },
            ));
        }
    }
    rows
}

/// Every page of the queue for `filter`, following the cursor; the ids in
/// the order they came.
async fn all_pages(app: &TestApp, who: &Client, filter: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut path = format!("/console/queue?{filter}");
    loop {
        let page: Value = expect_status(app.get(who, &path).await, StatusCode::OK).await;
        for ticket in page["tickets"].as_array().expect("tickets") {
            let reference = ticket["reference"].as_str().expect("reference");
            ids.push(app.count(&format!(
                "SELECT id FROM tickets WHERE reference = '{reference}'"
            )));
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/console/queue?{filter}&after={next}"),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn every_order_pages_through_every_ticket_once() {
    let desk = Desk::start().await;
    let (app, admin) = (&desk.app, &desk.admin);
    let written = write_tickets(app);
    type Order = fn(&Row, &Row) -> std::cmp::Ordering;
    let orders: [(&str, Order); 5] = [
        ("waiting", |a, b| {
            (a.waiting(), a.id).cmp(&(b.waiting(), b.id))
        }),
        ("activity", |a, b| {
            (b.updated_at, b.id).cmp(&(a.updated_at, a.id))
        }),
        ("created", |a, b| b.id.cmp(&a.id)),
        ("priority", |a, b| {
            (b.priority, a.waiting(), a.id).cmp(&(a.priority, b.waiting(), b.id))
        }),
        // Without a search, "best match" is the newest activity.
        ("rank", |a, b| {
            (b.updated_at, b.id).cmp(&(a.updated_at, a.id))
        }),
    ];
    for status in ["open", "closed", "all"] {
        for (sort, order) in orders {
            let mut expected: Vec<Row> = written
                .iter()
                .filter(|(s, _)| status == "all" || *s == status)
                .map(|(_, row)| *row)
                .collect();
            expected.sort_by(order);
            let expected: Vec<i64> = expected.iter().map(|row| row.id).collect();
            let filter = format!("status={status}&sort={sort}");
            assert_eq!(all_pages(app, admin, &filter).await, expected, "{filter}");
        }
    }
}

/// Tickets per department, status, priority and assignee.
type Tally = Vec<(i64, String, i64, i64, i64)>;

/// The kept counts that are not zero, and a recount of the tickets: equal
/// when the triggers did their work.
fn kept_and_recounted(app: &TestApp) -> (Tally, Tally) {
    let db = app.db();
    let read = |sql: &str| -> Tally {
        let mut statement = db.prepare(sql).expect("prepare");
        statement
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    };
    (
        read(
            "SELECT department_id, status, priority, assignee_id, n FROM ticket_counts
             WHERE n <> 0 ORDER BY 1, 2, 3, 4",
        ),
        read(
            "SELECT department_id, status, priority, coalesce(assignee_id, 0), count(*)
             FROM tickets GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        ),
    )
}

fn assert_counts_kept(app: &TestApp, after: &str) {
    let (kept, recounted) = kept_and_recounted(app);
    assert!(!recounted.is_empty());
    assert_eq!(kept, recounted, "after {after}");
}

#[tokio::test]
async fn kept_counts_follow_every_change_and_a_busy_word_says_it_is_capped() {
    let desk = Desk::start().await;
    let (app, smtp, admin) = (&desk.app, &desk.smtp, &desk.admin);
    let (tina_id, tina) = desk.agent("tina@desk.test", "Tina", &["technical"]).await;
    let ticket = app
        .open_confirmed_ticket(smtp, "kept@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference").to_owned();
    assert_counts_kept(app, "a ticket was created and confirmed");
    let path = format!("/console/tickets/{reference}");
    for (change, after) in [
        (serde_json::json!({ "assignee": tina_id }), "an assignment"),
        (
            serde_json::json!({ "priority": "urgent" }),
            "a new priority",
        ),
        (serde_json::json!({ "status": "closed" }), "closing"),
        (
            serde_json::json!({ "department": "financial" }),
            "a transfer",
        ),
    ] {
        let changed = app.post(admin, &path, &change).await;
        assert_eq!(changed.status(), StatusCode::OK, "{after}");
        assert_counts_kept(app, after);
    }
    let queue: Value = expect_status(
        app.get(admin, "/console/queue?status=closed&department=financial")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["counts"]["closed"], 1);
    assert_eq!(queue["counts"]["open"], 0);
    let theirs: Value = expect_status(app.get(&tina, "/console/queue").await, StatusCode::OK).await;
    assert_eq!(
        theirs["counts"]["closed"], 0,
        "not in Tina's departments any more"
    );

    // 1,006 tickets holding one word, written past the index: the start-up
    // backfill indexes them, and a search looks at the newest 1,000.
    let db = app.db();
    for i in 0..1_005_i64 {
        db.execute(
            "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                                  created_at, updated_at, priority)
             VALUES (printf('9%04d-%05d', ?1, ?1), 1, 'email', 'c@example.com',
                     'Zephyrword ' || ?1, 'open', 'en', ?1, ?1, 1)",
            [i],
        )
        .expect("insert");
    }
    db.execute(
        "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                              created_at, updated_at, priority)
         VALUES ('99999-99999', 1, 'email', 'c@example.com',
                 'Zephyrword, zephyrword and zephyrword again', 'open', 'en', 5000, 5000, 1)",
        [],
    )
    .expect("insert the best match");
    drop(db);
    assert_counts_kept(app, "tickets written by SQL");
    let setup = Setup {
        smtp_url: Some(smtp.url()),
        ..Setup::default()
    };
    let app = desk.app.restart(&setup).await;
    // Sessions live in the database: the admin is still signed in.
    let admin = &desk.admin;
    let busy: Value = expect_status(
        app.get(admin, "/console/queue?status=all&q=zephyrword")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(busy["capped"], true);
    assert_eq!(busy["counts"]["open"], 1000, "the newest 1,000 looked at");
    let newest = busy["tickets"][0]["subject"].as_str().expect("subject");
    assert_eq!(
        newest, "Zephyrword 6",
        "the oldest of the newest 1,000 first"
    );
    let ranked: Value = expect_status(
        app.get(admin, "/console/queue?status=all&sort=rank&q=zephyrword")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        ranked["tickets"][0]["reference"], "99999-99999",
        "best match first"
    );
    let one: Value = expect_status(
        app.get(admin, "/console/queue?status=all&q=zephyrword+3")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(one["capped"], false);
    assert_eq!(one["tickets"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["tickets"][0]["subject"], "Zephyrword 3");
}
