//! The ticket page after a reply, in Chromium: the server answers with the
//! new message only, and the page appends it and takes the new status
//! without loading the ticket again and without rebuilding the reply form
//! the customer types in; a refusal (the ticket is full) keeps what was typed.

use shared::{
    i18n::{Key, Lang},
    limits::MESSAGES_PER_TICKET,
};

use crate::{chrome::Browser, harness::TestApp, smtp::SmtpSink};

fn t(key: Key) -> &'static str {
    key.text(Lang::En)
}

#[tokio::test]
async fn a_reply_is_appended_to_the_page_and_a_full_ticket_keeps_the_draft() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let email = "appended@example.com";
    let (reference, _) = app.create_ticket(email, &[]).await;
    let link = smtp.wait_for(email, 1).await.remove(0).link();
    // An agent has answered, and the ticket has room for one more message.
    let db = app.db();
    let id: i64 = db
        .query_row(
            "SELECT id FROM tickets WHERE reference = ?1",
            [&reference],
            |row| row.get(0),
        )
        .expect("ticket id");
    for _ in 1..MESSAGES_PER_TICKET - 1 {
        db.execute(
            "INSERT INTO messages (ticket_id, author, body, created_at) VALUES (?1, 'agent', 'earlier', 0)",
            [id],
        )
        .expect("insert");
    }

    let browser = Browser::start("en-US").await;
    let b = &browser;
    b.client.goto(&link).await.expect("open the link");
    b.wait("//li[contains(@class,'message')]").await;
    db.execute("UPDATE tickets SET status = 'answered' WHERE id = ?1", [id])
        .expect("answered");
    // The status shown comes from a load made after the agent answered.
    b.client.refresh().await.expect("reload");
    b.text("dd", t(Key::StatusAnswered)).await;
    b.eval("window.replyBox = document.getElementById('reply-body'); return 'marked';")
        .await;

    let reply_box = b.field(t(Key::ReplyLabel)).await;
    reply_box
        .send_keys("Thank you, that fixed it")
        .await
        .expect("type");
    b.click("button", t(Key::Reply)).await;
    let last = MESSAGES_PER_TICKET;
    b.wait(&format!(
        "//li[contains(@class,'message')][{last}]//div[normalize-space()='Thank you, that fixed it']"
    ))
    .await;
    b.text("p", t(Key::ReplySent)).await;
    b.text("dd", t(Key::StatusOpen)).await;
    assert_eq!(
        b.eval("return String(window.replyBox === document.getElementById('reply-body'));")
            .await,
        "true",
        "the reply form was rebuilt"
    );
    assert_eq!(
        reply_box.prop("value").await.expect("prop").as_deref(),
        Some("")
    );
    let loads = |log: &[String]| {
        let path = format!("method=GET path=\"/api/tickets/{reference}\" ");
        log.iter().filter(|line| line.contains(&path)).count()
    };
    let posted = format!("method=POST path=\"/api/tickets/{reference}/messages\" status=201");
    let log = crate::harness::eventually("the reply in the log", || {
        let log = app.log();
        log.iter().any(|line| line.contains(&posted)).then_some(log)
    })
    .await;
    // The first visit (through the link); the reload came with the ticket
    // in the page, and none after the reply.
    assert_eq!(loads(&log), 1, "{log:#?}");

    // The ticket is full now: the refusal is shown and the text stays.
    reply_box.send_keys("One more thing").await.expect("type");
    b.click("button", t(Key::Reply)).await;
    b.text("p", t(Key::ErrorTicketFull)).await;
    assert_eq!(
        reply_box.prop("value").await.expect("prop").as_deref(),
        Some("One more thing")
    );
    browser.client.close().await.expect("close the browser");
}
