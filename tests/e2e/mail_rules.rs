//! The two department rules for mail, through the real `pasokh mail ingest`:
//! staff answering a ticket from their mail client (only where the
//! department allows it, only staff of that department, only at the
//! ticket's signed reply address), and mail to the desk's address opening
//! a ticket that waits for confirmation (only where a department allows
//! it, never for an auto-reply). Admins switch both per department; other
//! staff cannot.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::console_kit::{Desk, ticket};
use crate::harness::{TestApp, expect_status};
use crate::mail_ingest::{ingest, staff_view, thread};

async fn mail_rules(desk: &Desk, client: &Client, slug: &str, rules: Value) -> StatusCode {
    desk.app
        .post(client, &format!("/console/departments/{slug}/mail"), &rules)
        .await
        .status()
}

/// The admin sets a department's two rules.
async fn switch(desk: &Desk, slug: &str, agents_reply: bool, new_tickets: bool) {
    let rules = json!({ "agents_reply": agents_reply, "new_tickets": new_tickets });
    assert_eq!(
        mail_rules(desk, &desk.admin, slug, rules).await,
        StatusCode::OK
    );
}

fn messages(view: &Value) -> usize {
    view["messages"].as_array().map_or(0, Vec::len)
}

/// A plain-text email.
fn email(from: &str, to: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\nTo: {to}\nSubject: {subject}\n{extra}MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n{body}\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn admins_switch_the_mail_rules_and_other_staff_cannot() {
    let desk = Desk::start().await;
    let (_, tina) = desk
        .agent("tech@desk.test", "Tina Tech", &["technical"])
        .await;
    let path = "/console/departments/technical/mail";
    let shown: Value = expect_status(desk.app.get(&desk.admin, path).await, StatusCode::OK).await;
    assert_eq!(shown["agents_reply"], false, "off until an admin says so");
    assert_eq!(shown["new_tickets"], false);
    assert_eq!(shown["address"], "support+technical@desk.test");

    let on = json!({ "agents_reply": true, "new_tickets": true });
    assert_eq!(
        mail_rules(&desk, &tina, "technical", on.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        desk.app.get(&tina, path).await.status(),
        StatusCode::FORBIDDEN
    );
    switch(&desk, "technical", true, true).await;
    let shown: Value = expect_status(desk.app.get(&desk.admin, path).await, StatusCode::OK).await;
    assert_eq!(
        (&shown["agents_reply"], &shown["new_tickets"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(
        mail_rules(&desk, &desk.admin, "no-such", on).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_answer_by_email_only_where_their_department_allows_it() {
    let desk = Desk::start().await;
    let app = &desk.app;
    let (tina_id, tina) = desk
        .agent("tech@desk.test", "Tina Tech", &["technical"])
        .await;
    desk.agent("money@desk.test", "Fred Finance", &["financial"])
        .await;
    let customer = "sara@example.com";
    let reference = ticket(&desk, customer, "en").await;
    let (customer_reply_to, customer_thread) = thread(&desk.smtp.wait_for(customer, 1).await[0]);
    let assign = json!({ "assignee": tina_id });
    let ticket_path = format!("/console/tickets/{reference}");
    assert_eq!(
        app.post(&tina, &ticket_path, &assign).await.status(),
        StatusCode::OK
    );
    // The customer writes by mail; Tina, the assignee, is told by mail, and
    // that mail's Reply-To is signed for her.
    let written = email(
        customer,
        &customer_reply_to,
        "Re: your ticket",
        &format!("In-Reply-To: {customer_thread}\n"),
        "It still does not work.",
    );
    assert_eq!(ingest(app, written).0, 0);
    let (reply_to, thread) = thread(&desk.smtp.wait_for("tech@desk.test", 2).await[1]);
    assert_ne!(reply_to, customer_reply_to);
    let answer = |from: &str, to: &str, id: &str| {
        email(
            from,
            to,
            &format!("Re: [#{reference}]"),
            &format!("Message-ID: <{id}@desk.test>\nIn-Reply-To: {thread}\n"),
            "Please restart the app and try again.\n\n-- \nTina Tech, Technical support\n",
        )
    };
    let refused = |mail: Vec<u8>, why: &str| {
        let (code, said) = ingest(app, mail);
        assert_eq!(code, 67, "{said}");
        assert!(said.contains(why), "{said} does not say {why}");
    };
    let before = messages(&staff_view(app, &tina, &reference).await);

    refused(
        answer("Tina <tech@desk.test>", &reply_to, "t1"),
        "does not take staff answers",
    );
    switch(&desk, "technical", true, false).await;
    // Tina's From on the customer's reply address, as the customer could
    // write it; her address signed for her but sent by Fred; her thread
    // alone.
    let not_hers = "only by replying to the ticket's mail sent to them";
    refused(answer("tech@desk.test", &customer_reply_to, "t2"), not_hers);
    refused(answer("money@desk.test", &reply_to, "f1"), not_hers);
    refused(
        answer("tech@desk.test", "support@desk.test", "t3"),
        not_hers,
    );
    // Tina moved to another department keeps the mail, not the right.
    let path = format!("/console/staff/{tina_id}");
    let moved = |to: &str| json!({ "departments": [to] });
    assert_eq!(
        app.post(&desk.admin, &path, &moved("financial"))
            .await
            .status(),
        StatusCode::OK
    );
    refused(
        answer("tech@desk.test", &reply_to, "t4"),
        "does not work on this ticket's department",
    );
    assert_eq!(
        app.post(&desk.admin, &path, &moved("technical"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(messages(&staff_view(app, &tina, &reference).await), before);

    // Allowed: posted as Tina's reply, the signature cut, the customer mailed.
    let (code, said) = ingest(app, answer("Tina <TECH@desk.test>", &reply_to, "t5"));
    assert_eq!(code, 0, "{said}");
    let view = staff_view(app, &tina, &reference).await;
    assert_eq!(messages(&view), before + 1);
    let last = view["messages"]
        .as_array()
        .and_then(|m| m.last())
        .expect("a message");
    assert_eq!(last["author"], "agent");
    assert_eq!(last["staff"]["name"], "Tina Tech");
    assert_eq!(last["body"], "Please restart the app and try again.");
    assert_eq!(last["by_email"], true);
    assert_eq!(view["status"], "answered");
    let mails = desk.smtp.wait_for(customer, 2).await;
    assert!(
        mails[1]
            .text
            .contains("Please restart the app and try again."),
        "{}",
        mails[1].text
    );
    assert!(!mails[1].text.contains("Technical support"));
}

#[tokio::test]
async fn mail_to_the_desk_opens_a_ticket_only_where_a_department_allows_it() {
    let desk = Desk::start().await;
    let app = &desk.app;
    let sender = "nasrin@example.com";
    let first = || {
        email(
            &format!("Nasrin <{sender}>"),
            "Support <support@desk.test>",
            "Card payment failed",
            "Message-ID: <n1@example.com>\nContent-Language: fa-IR\n",
            "My card payment of 120 EUR failed twice today.\n\n-- \nNasrin\n",
        )
    };
    let tickets = || app.count("SELECT count(*) FROM tickets");
    let (code, said) = ingest(app, first());
    assert_eq!(code, 67, "{said}");
    assert!(said.contains("no department opens tickets"), "{said}");
    assert_eq!(tickets(), 0);

    switch(&desk, "financial", false, true).await;
    // A machine's mail never opens one.
    let auto = email(
        sender,
        "support@desk.test",
        "Out of office",
        "Auto-Submitted: auto-replied\n",
        "I am away until Monday and will read my mail then.",
    );
    let (code, said) = ingest(app, auto);
    assert_eq!((code, said.contains("ignored")), (0, true), "{said}");
    // A department's own address opens only in that department.
    let (code, said) = ingest(
        app,
        email(
            sender,
            "support+technical@desk.test",
            "App crashes",
            "",
            "The app crashes when I open my wallet.",
        ),
    );
    assert_eq!(code, 67, "{said}");
    assert_eq!(tickets(), 0);

    let (code, said) = ingest(app, first());
    assert_eq!(code, 0, "{said}");
    let row: (String, String, String, String, String) = app
        .db()
        .query_row(
            "SELECT t.reference, t.status, d.slug, t.subject, t.lang FROM tickets t
             JOIN departments d ON d.id = t.department_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .expect("the new ticket");
    let (reference, status, department, subject, lang) = row;
    assert!(said.contains(&reference), "{said}");
    assert_eq!(
        (
            status.as_str(),
            department.as_str(),
            subject.as_str(),
            lang.as_str()
        ),
        (
            "awaiting_confirmation",
            "financial",
            "Card payment failed",
            "fa"
        )
    );
    // The MTA delivering it again opens nothing twice.
    let (code, said) = ingest(app, first());
    assert_eq!((code, said.contains("already posted")), (0, true), "{said}");
    assert_eq!(tickets(), 1);

    // The confirmation reaches the sender; its link opens the ticket, which
    // staff then see with the new text only, marked as come by email.
    let confirmation = desk.smtp.wait_for(sender, 1).await.remove(0);
    assert!(
        !confirmation.text.contains("Card payment"),
        "our words only"
    );
    let customer = TestApp::new_client();
    assert_eq!(
        app.redeem(&customer, &confirmation.link_token())
            .await
            .status(),
        StatusCode::OK
    );
    let view = staff_view(app, &desk.admin, &reference).await;
    assert_eq!(view["status"], "open");
    assert_eq!(
        view["messages"][0]["body"],
        "My card payment of 120 EUR failed twice today."
    );
    assert_eq!(view["messages"][0]["by_email"], true);
}
