//! The email-channel story through the API: open, confirm by email, read,
//! reply, close, reopen.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, expect_status, png};
use crate::smtp::SmtpSink;

#[tokio::test]
async fn a_ticket_goes_from_the_form_through_email_to_the_conversation() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;

    let upload = app.upload_ok("screenshot.png", png()).await;
    let (reference, _) = app.create_ticket("maryam@example.com", &[upload]).await;

    // Not visible to anyone before the address is confirmed.
    let hidden = app.get(&app.client, &format!("/tickets/{reference}")).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    let mail = smtp.wait_for("maryam@example.com", 1).await.remove(0);
    assert!(
        mail.subject.contains(&reference),
        "subject: {}",
        mail.subject
    );
    assert!(mail.text.contains(&reference));
    assert_eq!(mail.header("Auto-Submitted"), Some("auto-generated"));
    assert_eq!(mail.header("X-Auto-Response-Suppress"), Some("All"));
    assert_eq!(mail.header("Content-Language"), Some("en"));
    // Nothing the submitter typed goes into automatic mail.
    for typed in ["Withdrawal", "120 EUR"] {
        assert!(
            !mail.text.contains(typed)
                && !mail.html.contains(typed)
                && !mail.subject.contains(typed)
        );
    }
    assert!(
        mail.link().starts_with(&format!("{}/link#", app.url)),
        "link: {}",
        mail.link()
    );

    let redeemed: Value = expect_status(
        app.redeem(&app.client, &mail.link_token()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(redeemed["reference"], reference);

    let ticket: Value = expect_status(
        app.get(&app.client, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["department"]["name"], "Technical support");
    assert_eq!(ticket["messages"].as_array().map(Vec::len), Some(1));
    let file = &ticket["messages"][0]["attachments"][0];
    assert_eq!(file["name"], "screenshot.png");
    assert_eq!(file["content_type"], "image/png");

    let download = app
        .get(
            &app.client,
            &format!(
                "/tickets/{reference}/attachments/{}",
                file["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), png());

    let replied: Value = expect_status(
        app.post(
            &app.client,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": "Here is the bank statement." }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // The answer is the new message alone (the page appends it) and the status.
    assert_eq!(replied["message"]["body"], "Here is the bank statement.");
    assert_eq!(replied["message"]["author"], "customer");
    assert_eq!(replied["status"], "open");
    assert!(replied.get("messages").is_none(), "{replied}");
    let shown: Value = expect_status(
        app.get(&app.client, &format!("/tickets/{reference}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["messages"][1], replied["message"]);

    let closed: Value = expect_status(
        app.post(
            &app.client,
            &format!("/tickets/{reference}/close"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed["status"], "closed");
    let refused: Value = expect_status(
        app.post(
            &app.client,
            &format!("/tickets/{reference}/messages"),
            &json!({ "body": "One more thing" }),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "ticket_closed");

    let reopened: Value = expect_status(
        app.post(
            &app.client,
            &format!("/tickets/{reference}/reopen"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reopened["status"], "open");

    let history: Vec<String> = app
        .db()
        .prepare("SELECT kind FROM ticket_events ORDER BY id")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .map(|k| k.expect("kind"))
        .collect();
    assert_eq!(
        history,
        [
            "created",
            "confirmation_sent",
            "confirmed",
            "customer_replied",
            "closed",
            "reopened"
        ]
    );
}

#[tokio::test]
async fn links_work_once_and_only_for_24_hours() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let (reference, _) = app.create_ticket("once@example.com", &[]).await;
    let token = smtp.wait_for("once@example.com", 1).await[0].link_token();

    expect_status::<Value>(app.redeem(&app.client, &token).await, StatusCode::OK).await;
    // The same browser opening its link again simply gets its ticket.
    let again: Value = expect_status(app.redeem(&app.client, &token).await, StatusCode::OK).await;
    assert_eq!(again["reference"], reference);
    // Anyone else replaying it is refused.
    let stranger = TestApp::new_client();
    let replayed: Value =
        expect_status(app.redeem(&stranger, &token).await, StatusCode::CONFLICT).await;
    assert_eq!(replayed["code"], "link_used");
    assert_eq!(
        app.get(&stranger, &format!("/tickets/{reference}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let (late, _) = app.create_ticket("late@example.com", &[]).await;
    let late_token = smtp.wait_for("late@example.com", 1).await[0].link_token();
    // 24 hours pass.
    app.db()
        .execute("UPDATE link_tokens SET expires_at = expires_at - 86400", [])
        .expect("age tokens");
    let expired: Value =
        expect_status(app.redeem(&app.client, &late_token).await, StatusCode::GONE).await;
    assert_eq!(expired["code"], "link_expired");
    assert_eq!(
        app.get(&app.client, &format!("/tickets/{late}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let forged: Value = expect_status(
        app.redeem(&app.client, "not-a-real-token").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(forged["code"], "link_invalid");
}

#[tokio::test]
async fn resend_sends_the_link_again_but_not_without_end() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let (reference, key) = app.create_ticket("resend@example.com", &[]).await;
    let path = format!("/tickets/{reference}/resend");
    let resend = |key: &str| {
        let body = json!({ "resend_key": key });
        let path = path.clone();
        let app = &app;
        async move { app.post(&app.client, &path, &body).await }
    };
    // A wrong key is refused; it counts against the client's address only
    // (tests/e2e/mail.rs), so the ticket's three resends are all there.
    assert_eq!(resend("guess").await.status(), StatusCode::NOT_FOUND);
    for _ in 0..3 {
        assert_eq!(resend(&key).await.status(), StatusCode::ACCEPTED);
    }
    let limited = resend(&key).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));

    let mails = smtp.wait_for("resend@example.com", 4).await;
    // Every resent link works on its own (the last one used here).
    expect_status::<Value>(
        app.redeem(&app.client, &mails[3].link_token()).await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn find_my_ticket_answers_the_same_either_way_and_is_rate_limited() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let (reference, _) = app.create_ticket("finder@example.com", &[]).await;
    let token = smtp.wait_for("finder@example.com", 1).await[0].link_token();
    expect_status::<Value>(app.redeem(&app.client, &token).await, StatusCode::OK).await;

    let wrong = app
        .post(
            &app.client,
            "/find",
            &json!({ "reference": reference, "email": "intruder@example.com", "lang": "en" }),
        )
        .await;
    let wrong_status = wrong.status();
    let wrong_body = wrong.text().await.expect("body");
    // Persian digits are what a Persian keyboard types.
    let persian: String = reference
        .chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0x06F0 + d).unwrap_or(c))
        })
        .collect();
    let right = app
        .post(
            &app.client,
            "/find",
            &json!({ "reference": persian, "email": "FINDER@example.com", "lang": "en" }),
        )
        .await;
    assert_eq!(wrong_status, StatusCode::ACCEPTED);
    assert_eq!(right.status(), wrong_status);
    assert_eq!(
        right.text().await.expect("body"),
        wrong_body,
        "the answers must not differ"
    );

    let mails = smtp.wait_for("finder@example.com", 2).await;
    let access_subject = shared::i18n::MailKey::EmailAccessSubject
        .fill(shared::i18n::Lang::En, &[("reference", &reference)]);
    let access = mails
        .iter()
        .find(|m| m.subject.starts_with(&access_subject))
        .expect("the access link email");
    // The intruder's request queued nothing.
    assert!(smtp.to("intruder@example.com").is_empty());
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE to_addr = 'intruder@example.com'"),
        0
    );

    let new_browser = TestApp::new_client();
    let opened: Value = expect_status(
        app.redeem(&new_browser, &access.link_token()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(opened["reference"], reference);

    // Guessing is slowed down per client address (10 an hour; two asked
    // above). Failed guesses do not count against the mailbox, so a stranger
    // cannot lock its owner out (tests/e2e/mail.rs).
    let mut statuses = Vec::new();
    for _ in 0..9 {
        let response = app
            .post(
                &app.client,
                "/find",
                &json!({ "reference": "11111-22222", "email": "victim@example.com", "lang": "en" }),
            )
            .await;
        statuses.push(response.status());
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn each_redeemed_link_starts_a_new_session_that_keeps_the_earlier_tickets() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let (first, _) = app.create_ticket("first@example.com", &[]).await;
    let (second, _) = app.create_ticket("second@example.com", &[]).await;
    let first_token = smtp.wait_for("first@example.com", 1).await[0].link_token();
    let second_token = smtp.wait_for("second@example.com", 1).await[0].link_token();

    let session_of = |response: &reqwest::Response| {
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        cookie.split(';').next().expect("pair").to_owned()
    };
    // A session id planted in the browser beforehand (session fixation).
    let planted = "pasokh_guest=planted-by-an-attacker";
    let response = app
        .client
        .post(app.api("/links/redeem"))
        .header(shared::api::CSRF_HEADER, "1")
        .header("cookie", planted)
        .json(&json!({ "token": first_token }))
        .send()
        .await
        .expect("redeem");
    let one = session_of(&response);
    assert_ne!(one, planted);
    let response = app.redeem(&app.client, &second_token).await;
    let two = session_of(&response);
    assert_ne!(one, two, "a new session for every sign-in by link");

    let with = |cookie: &str, reference: &str| {
        app.client
            .get(app.api(&format!("/tickets/{reference}")))
            .header("cookie", cookie.to_owned())
            .send()
    };
    assert_eq!(
        with(&two, &first).await.expect("get").status(),
        StatusCode::OK
    );
    assert_eq!(
        with(&two, &second).await.expect("get").status(),
        StatusCode::OK
    );
    assert_eq!(
        with(&one, &first).await.expect("get").status(),
        StatusCode::NOT_FOUND,
        "the old session is gone"
    );
    assert_eq!(
        with(planted, &first).await.expect("get").status(),
        StatusCode::NOT_FOUND
    );
}
