//! Nothing acknowledged is lost when the process dies: tickets written
//! while the server is killed mid-stream, and mail queued before a crash.

use std::{
    net::{IpAddr, Ipv4Addr},
    sync::{Arc, Mutex},
};

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{Setup, TestApp, eventually, free_port, ticket_body};
use crate::smtp::SmtpSink;

#[tokio::test]
async fn every_acknowledged_ticket_survives_kill_9() {
    let mut app = TestApp::spawn_with(Setup::default()).await;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    // Four clients write as fast as they can, each from its own loopback
    // address so the per-IP limit does not stop them first.
    let writers: Vec<_> = (0..4u8)
        .map(|n| {
            let url = app.api("/tickets");
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .local_address(IpAddr::V4(Ipv4Addr::new(127, 3, 0, n + 2)))
                    .build()
                    .expect("client");
                for i in 0..20 {
                    let body = ticket_body(&format!("writer{n}-{i}@example.com"), &[]);
                    let Ok(response) = client
                        .post(&url)
                        .header(shared::api::CSRF_HEADER, "1")
                        .json(&body)
                        .send()
                        .await
                    else {
                        return; // the server is gone
                    };
                    if response.status() == StatusCode::CREATED
                        && let Ok(created) = response.json::<Value>().await
                    {
                        let reference =
                            created["reference"].as_str().unwrap_or_default().to_owned();
                        acknowledged.lock().expect("lock").push(reference);
                    }
                }
            })
        })
        .collect();
    // Kill at a point that differs from run to run, with writes in flight.
    let kill_after = 5
        + (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
            % 40) as usize;
    eventually("enough acknowledged tickets", || {
        (acknowledged.lock().expect("lock").len() >= kill_after).then_some(())
    })
    .await;
    app.kill();
    for writer in writers {
        let _ = writer.await;
    }

    let app = app.restart(&Setup::default()).await;
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= kill_after);
    let db = app.db();
    for reference in &acknowledged {
        let found: i64 = db
            .query_row(
                "SELECT count(*) FROM tickets WHERE reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(
            found, 1,
            "ticket {reference} was acknowledged, then lost (killed after {kill_after})"
        );
        let messages: i64 = db
            .query_row(
                "SELECT count(*) FROM messages JOIN tickets t ON t.id = ticket_id WHERE t.reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(messages, 1, "ticket {reference} lost its description");
    }
    // Every ticket that exists, acknowledged or not, has its confirmation mail queued.
    assert_eq!(
        app.count("SELECT count(*) FROM tickets"),
        app.count("SELECT count(DISTINCT ticket_id) FROM outbox")
    );
}

#[tokio::test]
async fn mail_queued_before_a_crash_goes_out_after_the_restart() {
    // The SMTP server is down when the ticket is created.
    let smtp_port = free_port();
    let setup = Setup {
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        ..Setup::default()
    };
    let mut app = TestApp::spawn_with(setup.clone()).await;
    let (reference, _) = app.create_ticket("patient@example.com", &[]).await;
    eventually("a failed delivery attempt", || {
        (app.count("SELECT count(*) FROM outbox WHERE attempts > 0 AND sent_at IS NULL") == 1)
            .then_some(())
    })
    .await;

    // kill -9, then the mail server comes back, then pasokh does.
    app.kill();
    let smtp = SmtpSink::start_on(smtp_port).await;
    let app = app.restart(&setup).await;

    let mails = smtp.wait_for("patient@example.com", 1).await;
    assert!(mails[0].subject.contains(&reference));
    eventually("the outbox to record the delivery", || {
        (app.count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND body_text IS NULL")
            == 1)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn mail_refused_for_good_is_kept_with_its_error_and_not_retried() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    app.create_ticket("bounce@example.com", &[]).await;
    let (reference, _) = app.create_ticket("reachable@example.com", &[]).await;
    // The queue goes on: the next message is delivered.
    let delivered = smtp.wait_for("reachable@example.com", 1).await;
    assert!(delivered[0].subject.contains(&reference));
    let (attempts, error, wiped) = eventually("the refusal to be recorded", || {
        app.db()
            .query_row(
                "SELECT attempts, last_error, body_text IS NULL FROM outbox
                 WHERE to_addr = 'bounce@example.com' AND failed_at IS NOT NULL",
                [],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, bool>(2)?,
                    ))
                },
            )
            .ok()
    })
    .await;
    assert_eq!(attempts, 1);
    assert!(error.contains("550"), "{error}");
    assert!(wiped, "the link in a refused mail is not kept");

    // A restart does not bring it back into the queue.
    let setup = Setup {
        smtp_url: Some(smtp.url()),
        ..Setup::default()
    };
    let app = app.restart(&setup).await;
    let due: i64 =
        app.count("SELECT count(*) FROM outbox WHERE failed_at IS NULL AND sent_at IS NULL");
    assert_eq!(due, 0);
}
