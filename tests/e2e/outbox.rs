//! The outbox under a burst: several messages at once over connections kept
//! open, nothing lost when the process is killed mid-burst, an SMTPUTF8
//! refusal recorded as final, and recipients only masked in the log.

use std::{collections::HashSet, time::Instant};

use crate::harness::{Setup, TestApp, eventually};
use crate::smtp::SmtpSink;

/// Fills the outbox directly, as a burst of tickets would (without the
/// per-address limits that would stop one test from making one).
fn queue_bulk(app: &TestApp, count: usize) {
    let mut db = app.db();
    let tx = db.transaction().expect("transaction");
    for i in 0..count {
        tx.execute(
            "INSERT INTO outbox (to_addr, subject, body_text, body_html, lang, created_at, next_attempt_at)
             VALUES (?1, ?2, 'text', '<p>html</p>', 'en', 0, 0)",
            rusqlite::params![format!("bulk{i}@example.com"), format!("bulk {i}")],
        )
        .expect("queue");
    }
    tx.commit().expect("commit");
}

#[tokio::test]
async fn an_smtputf8_refusal_is_final_and_the_queue_goes_on() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    // Mail queued for a non-ASCII mailbox before such addresses were refused.
    app.db()
        .execute(
            "INSERT INTO outbox (to_addr, subject, body_text, body_html, lang, created_at, next_attempt_at)
             VALUES ('علی@example.com', 'old', 'text', '<p>html</p>', 'en', 0, 0)",
            [],
        )
        .expect("queue");
    // A new ticket wakes the worker; its mail still goes out.
    app.create_ticket("after@example.com", &[]).await;
    smtp.wait_for("after@example.com", 1).await;
    let (attempts, error) = eventually("the refusal to be recorded as final", || {
        app.db()
            .query_row(
                "SELECT attempts, last_error FROM outbox
                 WHERE subject = 'old' AND failed_at IS NOT NULL AND body_text IS NULL",
                [],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .ok()
    })
    .await;
    assert_eq!(attempts, 1, "not retried");
    assert!(error.contains("SMTPUTF8"), "{error}");
}

#[tokio::test]
async fn the_outbox_sends_a_burst_at_once_over_reused_connections() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    const BURST: usize = 600;
    queue_bulk(&app, BURST);
    let started = Instant::now();
    app.create_ticket("wake@example.com", &[]).await;
    eventually("the burst to be delivered", || {
        (smtp.count() > BURST).then_some(())
    })
    .await;
    let rate = BURST as f64 / started.elapsed().as_secs_f64();
    let mails = smtp.all();
    // aiosmtpd notes each message's client (host, port): one port per
    // SMTP connection.
    let connections: HashSet<String> = mails
        .iter()
        .filter_map(|m| m.header("X-Peer").map(str::to_owned))
        .collect();
    println!(
        "{BURST} mails, {rate:.0} mails/s, {} connections",
        connections.len()
    );
    assert!(
        connections.len() > 1,
        "sent one at a time over one connection"
    );
    // The worker sends 8 at once, each over a connection it keeps open.
    assert!(
        connections.len() <= 8,
        "{} connections for {BURST} mails: connections are not reused",
        connections.len()
    );
    // One at a time, this took ~20 mails/s; concurrent sends take more than
    // ten times that. The bound is loose so a busy machine does not fail it.
    assert!(rate > 60.0, "{rate:.0} mails/s");
    eventually("every outcome to be recorded", || {
        (app.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_burst_cut_by_kill_9_is_delivered_in_full_after_the_restart() {
    let smtp = SmtpSink::start().await;
    let mut app = TestApp::spawn(&smtp).await;
    const BURST: usize = 400;
    queue_bulk(&app, BURST);
    app.create_ticket("wake@example.com", &[]).await;
    // Killed mid-burst: some mail accepted by the SMTP server and not yet
    // recorded, some in flight, some still queued.
    eventually("part of the burst to be delivered", || {
        (smtp.count() >= 50).then_some(())
    })
    .await;
    app.kill();
    let setup = Setup {
        smtp_url: Some(smtp.url()),
        ..Default::default()
    };
    let app = app.restart(&setup).await;
    eventually("every queued mail to be recorded as sent", || {
        (app.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0).then_some(())
    })
    .await;
    let received: HashSet<String> = smtp.all().into_iter().map(|m| m.subject).collect();
    for i in 0..BURST {
        assert!(received.contains(&format!("bulk {i}")), "bulk {i} was lost");
    }
}

#[tokio::test]
async fn the_log_names_recipients_only_masked() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    app.create_ticket("maryam.rostami@example.com", &[]).await;
    smtp.wait_for("maryam.rostami@example.com", 1).await;
    eventually("the delivery to be logged", || {
        app.log()
            .iter()
            .any(|line| line.contains("mail delivered") && line.contains("m***@example.com"))
            .then_some(())
    })
    .await;
    let leaks: Vec<String> = app
        .log()
        .into_iter()
        .filter(|line| line.contains("maryam.rostami"))
        .collect();
    assert!(leaks.is_empty(), "full address in the log: {leaks:?}");
}
