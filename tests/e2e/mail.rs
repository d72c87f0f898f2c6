//! Mail limits that hold: per-mailbox and per-domain limits that `+tags` do
//! not walk past, limits a stranger cannot use up, and addresses written as
//! mail servers take them (or refused with the reason). The outbox itself is
//! tested in `outbox.rs`.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestApp, client_at, expect_status, ticket_body};
use crate::smtp::SmtpSink;

async fn create(app: &TestApp, client: &Client, email: &str) -> reqwest::Response {
    app.post(client, "/tickets", &ticket_body(email, &[])).await
}

#[tokio::test]
async fn plus_tags_case_and_fullwidth_letters_do_not_make_a_new_mailbox() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    // Five tickets for one mailbox, each from another client address: all
    // go out, each to the address as it was typed.
    for n in 0..5 {
        let email = format!("victim+claim{n}@example.com");
        expect_status::<Value>(
            create(&app, &client_at(n), &email).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let mail = smtp
        .wait_for("victim+claim0@example.com", 1)
        .await
        .remove(0);
    assert!(mail.to.contains("victim+claim0@example.com"), "{}", mail.to);

    // The same mailbox dressed up otherwise, from yet other addresses.
    for (n, dressed) in [
        "VICTIM+Refund.USD.1000@Example.com",
        "victim@EXAMPLE.COM",
        "ｖｉｃｔｉｍ＋ｘ＠ｅｘａｍｐｌｅ．ｃｏｍ",
    ]
    .into_iter()
    .enumerate()
    {
        let limited = create(&app, &client_at(10 + n as u16), dressed).await;
        assert_eq!(
            limited.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{dressed} is the same mailbox"
        );
        assert!(limited.headers().contains_key("retry-after"));
    }
    // Another mailbox at the same domain is not affected.
    expect_status::<Value>(
        create(&app, &client_at(20), "neighbour@example.com").await,
        StatusCode::CREATED,
    )
    .await;

    // A tag longer than a real one is refused, with the reason.
    let long = format!("victim+{}now@example.org", "Claim.USD.1000.".repeat(3));
    let refused: Value = expect_status(
        create(&app, &client_at(21), &long).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        refused["fields"][0],
        json!({ "field": "email", "code": "tag_too_long", "max": 32 })
    );
    assert_eq!(
        app.count("SELECT count(*) FROM tickets WHERE lower(email) LIKE 'victim%'"),
        5,
        "nothing else was stored for the victim"
    );
}

#[tokio::test]
async fn one_domain_takes_a_bounded_number_of_new_tickets_per_hour() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    // 200 people at one organisation, 20 per client address (the per-IP limit).
    for i in 0..200u16 {
        let email = format!("staff{i}@bulk.example");
        expect_status::<Value>(
            create(&app, &client_at(100 + i / 20), &email).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let limited = create(&app, &client_at(200), "staff200@bulk.example").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    // Other domains go on.
    expect_status::<Value>(
        create(&app, &client_at(200), "someone@other.example").await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn a_strangers_guesses_with_bobs_address_do_not_lock_bob_out_of_find() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let bob = client_at(1);
    let body: Value = expect_status(
        create(&app, &bob, "bob@example.com").await,
        StatusCode::CREATED,
    )
    .await;
    let reference = body["reference"].as_str().expect("reference").to_owned();
    let token = smtp.wait_for("bob@example.com", 1).await[0].link_token();
    expect_status::<Value>(app.redeem(&bob, &token).await, StatusCode::OK).await;

    // A stranger, from another address, tries Bob's address with wrong references.
    let stranger = client_at(2);
    for wrong in ["11111-22222", "33333-44444", "55555-66666"] {
        let response = app
            .post(
                &stranger,
                "/find",
                &json!({ "reference": wrong, "email": "bob@example.com", "lang": "en" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }

    // Bob's own request still gets its mail.
    let find = json!({ "reference": reference, "email": "Bob@Example.com", "lang": "en" });
    let response = app.post(&bob, "/find", &find).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let mails = smtp.wait_for("bob@example.com", 2).await;
    assert!(
        mails[1].subject.contains(&reference),
        "{}",
        mails[1].subject
    );

    // Matches count per mailbox: after three links in the hour the answer is
    // the same 202 (it reveals nothing) but no more mail is queued.
    let queued = || app.count("SELECT count(*) FROM outbox WHERE to_addr = 'bob@example.com'");
    for _ in 0..2 {
        let response = app.post(&bob, "/find", &find).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    assert_eq!(queued(), 4, "the confirmation and three access links");
    let response = app.post(&bob, "/find", &find).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(queued(), 4, "a fourth link in the hour is not queued");
}

#[tokio::test]
async fn wrong_resend_keys_do_not_use_up_the_customers_resends() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let customer = client_at(1);
    let body: Value = expect_status(
        create(&app, &customer, "carol@example.com").await,
        StatusCode::CREATED,
    )
    .await;
    let reference = body["reference"].as_str().expect("reference").to_owned();
    let key = body["resend_key"].as_str().expect("key").to_owned();
    let path = format!("/tickets/{reference}/resend");

    let stranger = client_at(2);
    for guess in ["guess-1", "guess-2", "guess-3", "guess-4"] {
        let response = app
            .post(&stranger, &path, &json!({ "resend_key": guess }))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    // The customer's three resends of the hour are all still there.
    for _ in 0..3 {
        let response = app
            .post(&customer, &path, &json!({ "resend_key": key }))
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    smtp.wait_for("carol@example.com", 4).await;
    let limited = app
        .post(&customer, &path, &json!({ "resend_key": key }))
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn addresses_are_written_as_mail_servers_take_them_or_refused_with_the_reason() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    for (n, (typed, sent_to)) in [
        // Persian digits, as a Persian keyboard types them.
        ("ali۱۲۳@gmail.com", "ali123@gmail.com"),
        // Fullwidth letters, as a CJK input method types them.
        ("ｍｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ", "mei@example.com"),
        // An internationalised domain, in its ASCII form.
        ("hans@Bücher.example", "hans@xn--bcher-kva.example"),
    ]
    .into_iter()
    .enumerate()
    {
        let created: Value = expect_status(
            create(&app, &client_at(n as u16), typed).await,
            StatusCode::CREATED,
        )
        .await;
        let mail = smtp.wait_for(sent_to, 1).await.remove(0);
        assert!(
            mail.subject
                .contains(created["reference"].as_str().expect("reference"))
        );
        assert_eq!(mail.header("X-RcptTo"), Some(sent_to), "the envelope too");
        let stored: String = app
            .db()
            .query_row(
                "SELECT email FROM tickets WHERE reference = ?1",
                [created["reference"].as_str()],
                |row| row.get(0),
            )
            .expect("ticket");
        assert_eq!(stored, sent_to);
    }

    for (typed, code) in [
        // A Cyrillic "а" in a Latin domain.
        ("bob@exаmple.com", "mixed_scripts"),
        // All Cyrillic, every letter looking Latin.
        ("bob@аррӏе.com", "mixed_scripts"),
        // Most mail servers lack SMTPUTF8.
        ("علی@example.com", "non_ascii_mailbox"),
        // Not valid punycode.
        ("bob@xn--zz.example", "undeliverable"),
    ] {
        let refused: Value = expect_status(
            create(&app, &client_at(10), typed).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            refused["fields"],
            json!([{ "field": "email", "code": code }]),
            "{typed}"
        );
    }
}
