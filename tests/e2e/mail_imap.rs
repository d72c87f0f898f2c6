//! Replies by email through the built-in IMAP poller, against a real
//! Dovecot over TLS: a customer's reply to an agent's answer lands on the
//! ticket and is flagged as read, mail that matches no ticket is flagged
//! for a person and not posted, and after a restart nothing is processed
//! twice while new mail is moved to the processed folder, by one of two
//! instances sharing the database.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::console_kit::{Desk, ticket};
use crate::harness::{Setup, TestApp, eventually, expect_status};
use crate::imap_server::{Dovecot, Stored};
use crate::mail_ingest::bare;

fn stored(message_id: &str, flags: &str) -> Stored {
    Stored {
        message_id: message_id.to_owned(),
        flags: flags.to_owned(),
    }
}

/// The ticket's messages that came in by email, as the console shows them.
/// A server sending mail to `smtp` and reading `dovecot`'s mailbox.
fn reading(dovecot: &Dovecot, smtp: &crate::smtp::SmtpSink) -> Setup {
    Setup {
        smtp_url: Some(smtp.url()),
        env: vec![
            ("PASOKH_IMAP_URL", dovecot.url()),
            (
                "PASOKH_IMAP_CA_FILE",
                dovecot.ca_file().display().to_string(),
            ),
        ],
        ..Setup::default()
    }
}

async fn by_email(app: &TestApp, staff: &reqwest::Client, reference: &str) -> Vec<String> {
    let view: Value = expect_status(
        app.get(staff, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await;
    view["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["by_email"] == true)
        .map(|m| m["body"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Waits until `count` emails are posted, then checks what the console shows.
async fn posted(app: &TestApp, staff: &reqwest::Client, reference: &str, want: &[&str]) {
    let sql = "SELECT count(*) FROM messages WHERE via_email = 1";
    eventually("the replies to be posted", || {
        (app.count(sql) >= want.len() as i64).then_some(())
    })
    .await;
    assert_eq!(by_email(app, staff, reference).await, want);
}

#[tokio::test]
async fn imap_replies_land_once_and_are_flagged_or_moved() {
    let dovecot = Dovecot::start().await;
    let desk = Desk::start().await;
    let customer = "omid@example.com";
    let reference = ticket(&desk, customer, "en").await;
    let Desk { smtp, app, admin } = desk;
    let path = format!("/console/tickets/{reference}");
    let seen: Value = expect_status(app.get(&admin, &path).await, StatusCode::OK).await;
    let first = seen["messages"][0]["id"].as_i64().expect("id");
    expect_status::<Value>(
        app.post(
            &admin,
            &format!("{path}/messages"),
            &json!({ "body": "Please clear the cache.", "internal": false, "seen_message": first }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let answer = smtp.wait_for(customer, 2).await.remove(1);
    let reply_to = bare(answer.header("Reply-To").expect("Reply-To"));
    let answer_id = answer
        .header("Message-ID")
        .expect("Message-ID")
        .trim()
        .to_owned();
    let reply = |id: &str, text: &str| {
        format!(
            "From: Omid <{customer}>\nTo: <{reply_to}>\nSubject: Re: {}\nMessage-ID: {id}\nIn-Reply-To: {answer_id}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n{text}\n\nOn Wed, Nov 25, 2026 at 10:00 AM Support <{reply_to}> wrote:\n> Please clear the cache.\n",
            answer.subject
        )
    };

    // The server reads the mailbox, flagging what it processed.
    let mut setup = reading(&dovecot, &smtp);
    let mut app = app.restart(&setup).await;
    dovecot.deliver(&reply("<r1@example.com>", "Cleared it, works now."));
    dovecot.deliver(
        "From: Stranger <who@example.org>\nTo: <support@desk.test>\nSubject: Hello\nMessage-ID: <stray@example.org>\n\nIs anyone there?\n",
    );
    posted(&app, &admin, &reference, &["Cleared it, works now."]).await;
    let mut inbox = vec![
        stored("<r1@example.com>", "S"),
        stored("<stray@example.org>", "FS"),
    ];
    eventually("both messages flagged in the INBOX", || {
        (dovecot.messages("INBOX") == inbox).then_some(())
    })
    .await;
    eventually("the refusal logged with its reason", || {
        app.log()
            .iter()
            .any(|l| l.contains("IMAP poller: refused") && l.contains("no ticket matches"))
            .then_some(())
    })
    .await;

    // Mail arriving while the poller waits in IDLE is read at once, not at
    // the next round (30 s later).
    let delivered = std::time::Instant::now();
    dovecot.deliver(&reply("<r2@example.com>", "And the printer too?"));
    posted(
        &app,
        &admin,
        &reference,
        &["Cleared it, works now.", "And the printer too?"],
    )
    .await;
    let waited = delivered.elapsed();
    println!(
        "IMAP: delivered to posted in {} ms (IDLE)",
        waited.as_millis()
    );
    assert!(waited.as_secs() < 15, "{waited:?}");
    inbox.insert(1, stored("<r2@example.com>", "S"));
    eventually("the third message flagged", || {
        (dovecot.messages("INBOX") == inbox).then_some(())
    })
    .await;

    // Stopped and started again, now moving processed mail elsewhere: the
    // flagged messages are not read again (they would be moved), new mail is.
    app.terminate();
    eventually("the server to stop", || app.exited().then_some(())).await;
    setup
        .env
        .push(("PASOKH_IMAP_PROCESSED", "Processed".to_owned()));
    let app = app.restart(&setup).await;
    // A second instance on the same database: one of the two polls, the
    // other waits for its lease.
    let twin = TestApp::start(&app.data_dir, &setup).await;
    let logs = || [app.log(), twin.log()].concat();
    eventually("one instance to wait for the other's lease", || {
        logs()
            .iter()
            .any(|l| l.contains("another instance polls this mailbox"))
            .then_some(())
    })
    .await;
    dovecot.deliver(&reply("<r3@example.com>", "One more question."));
    posted(
        &app,
        &admin,
        &reference,
        &[
            "Cleared it, works now.",
            "And the printer too?",
            "One more question.",
        ],
    )
    .await;
    eventually("the new message moved, the old ones left", || {
        (dovecot.messages("Processed") == vec![stored("<r3@example.com>", "S")]).then_some(())
    })
    .await;
    assert_eq!(dovecot.messages("INBOX"), inbox);
    let processed: Vec<String> = logs()
        .into_iter()
        .filter(|l| l.contains("IMAP poller: processed") || l.contains("IMAP poller: refused"))
        .collect();
    assert_eq!(processed.len(), 1, "{processed:#?}");
}

#[tokio::test]
async fn imap_to_another_host_turns_to_tls_with_starttls() {
    let dovecot = Dovecot::start().await;
    let Some(url) = dovecot.starttls_url() else {
        // The poller speaks plain IMAP to loopback, so STARTTLS needs an
        // address of another kind; a machine with none cannot show it.
        println!("SKIPPED: this machine has no IPv4 address besides loopback");
        return;
    };
    assert!(url.starts_with("imap://"), "{url}");
    let app = TestApp::spawn_with(Setup {
        env: vec![
            ("PASOKH_IMAP_URL", url),
            (
                "PASOKH_IMAP_CA_FILE",
                dovecot.ca_file().display().to_string(),
            ),
        ],
        ..Setup::default()
    })
    .await;
    dovecot
        .deliver("From: <who@example.org>\nSubject: Hi\nMessage-ID: <s@example.org>\n\nHello?\n");
    eventually("the message read over STARTTLS and flagged", || {
        (dovecot.messages("INBOX") == vec![stored("<s@example.org>", "FS")]).then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT count(*) FROM messages WHERE via_email = 1"),
        0
    );
}

#[tokio::test]
async fn a_message_that_must_wait_stays_unflagged_and_is_fetched_again() {
    let dovecot = Dovecot::start().await;
    let smtp = crate::smtp::SmtpSink::start().await;
    let setup = reading(&dovecot, &smtp);
    let app = TestApp::spawn_with(setup).await;
    let customer = "nika@example.com";
    let opened = app.open_confirmed_ticket(&smtp, customer, &[]).await;
    let reference = opened["reference"].as_str().expect("reference").to_owned();
    let confirmation = smtp.wait_for(customer, 1).await.remove(0);
    let reply_to = bare(confirmation.header("Reply-To").expect("Reply-To"));
    let reply = |n: usize| {
        format!(
            "From: <{customer}>\nTo: <{reply_to}>\nSubject: Re: [#{reference}]\nMessage-ID: <n{n}@example.com>\n\nNote {n}\n"
        )
    };
    // 30 emails an hour from one sender are posted; the 31st must wait.
    for n in 1..=31 {
        dovecot.deliver(&reply(n));
    }
    let sql = "SELECT count(*) FROM messages WHERE via_email = 1";
    eventually("30 replies posted and the 31st left", || {
        (app.count(sql) == 30 && app.count("SELECT count(*) FROM imap_retries") == 1).then_some(())
    })
    .await;
    let waiting = stored("<n31@example.com>", "");
    eventually("the 31st unflagged, the others read", || {
        let inbox = dovecot.messages("INBOX");
        let read = inbox.iter().filter(|m| m.flags == "S").count();
        (inbox.len() == 31 && read == 30 && inbox.contains(&waiting)).then_some(())
    })
    .await;

    // An hour later (the limit's window and the retry's wait passed), the
    // next round fetches it again by its UID, with the newer mail.
    let db = app.db();
    db.execute("DELETE FROM rate_events", [])
        .expect("window passed");
    db.execute("UPDATE imap_retries SET due_at = 0", [])
        .expect("due");
    dovecot.deliver(&reply(32));
    eventually("the waiting message posted, then the new one", || {
        (app.count(sql) == 32).then_some(())
    })
    .await;
    eventually("every message read", || {
        dovecot
            .messages("INBOX")
            .iter()
            .all(|m| m.flags == "S")
            .then_some(())
    })
    .await;
    assert_eq!(app.count("SELECT count(*) FROM imap_retries"), 0);
}
