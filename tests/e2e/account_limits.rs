//! Rate limits on customer accounts: per client address and per account on
//! sign-in (the eleventh quick wrong password waits; a stranger cannot lock
//! the customer out), and per client address on sign-up, forgot password
//! and verification resend, each answered 429 with `Retry-After`; a
//! forwarded address counts only from a trusted proxy.

use reqwest::StatusCode;
use serde_json::json;

use crate::account_kit::{PASSWORD, client_at, customer, parts, post, queued_to, sign_in};
use crate::harness::{Setup, TestApp};
use crate::smtp::SmtpSink;

fn assert_limited(what: &str, (status, retry, body): &(StatusCode, Option<String>, String)) {
    assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS, "{what}: {body}");
    let seconds: u64 = retry
        .as_deref()
        .unwrap_or_else(|| panic!("{what}: no Retry-After"))
        .parse()
        .expect("Retry-After in seconds");
    assert!(seconds > 0 && seconds <= 3600, "{what}: {seconds}");
    assert!(body.contains("\"rate_limited\""), "{what}: {body}");
}

#[tokio::test]
async fn the_eleventh_quick_wrong_password_waits_while_the_owner_signs_in_from_elsewhere() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "target@example.com").await;
    let guesser = client_at(1);
    for attempt in 1..=10 {
        let response = sign_in(&app, &guesser, "target@example.com", "guess", false).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let eleventh = parts(sign_in(&app, &guesser, "target@example.com", "guess", false).await).await;
    assert_limited("the 11th wrong password", &eleventh);
    // From that address even the right password waits now.
    let right = parts(sign_in(&app, &guesser, "target@example.com", PASSWORD, false).await).await;
    assert_limited("the right password from the guesser", &right);
    // The owner, at home, signs in as usual.
    assert_eq!(
        sign_in(&app, &client_at(2), "target@example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_strangers_failures_do_not_lock_the_customer_out() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "victim@example.com").await;
    // A stranger guesses from three addresses until each is refused.
    for n in 10..13 {
        let stranger = client_at(n);
        let mut last = StatusCode::OK;
        for _ in 0..11 {
            last = sign_in(&app, &stranger, "victim@example.com", "guess", false)
                .await
                .status();
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    }
    // The customer's own mistake is an ordinary one, and then she is in.
    let home = client_at(20);
    assert_eq!(
        sign_in(&app, &home, "victim@example.com", "typo password", false)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, &home, "victim@example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_up_forgot_and_resend_are_limited_per_client_address() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    for (k, path) in [
        "/account/sign-up",
        "/account/password/forgot",
        "/account/verify/resend",
    ]
    .into_iter()
    .enumerate()
    {
        let client = client_at(100 + k as u16);
        let body = |i: usize| {
            json!({ "email": format!("probe{k}x{i}@example.com"), "name": "Probe",
                    "password": PASSWORD, "lang": "en" })
        };
        let mut outcome = None;
        for i in 0..60 {
            let answer = parts(post(&app, &client, path, &body(i)).await).await;
            if answer.0 == StatusCode::TOO_MANY_REQUESTS {
                outcome = Some((i, answer));
                break;
            }
            assert_eq!(answer.0, StatusCode::ACCEPTED, "{path} #{i}: {}", answer.2);
        }
        let (count, limited) = outcome.unwrap_or_else(|| panic!("{path}: never limited in 60"));
        assert!(count >= 3, "{path}: limited after {count} already");
        assert_limited(path, &limited);
        // Someone else, at another address, goes on.
        let other = parts(post(&app, &client_at(200 + k as u16), path, &body(99)).await).await;
        assert_eq!(other.0, StatusCode::ACCEPTED, "{path}: {}", other.2);
    }
}

#[tokio::test]
async fn resets_asked_for_one_address_from_many_places_mail_it_a_bounded_number_of_times() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "flooded@example.com").await;
    let before = queued_to(&app, "flooded@example.com");
    let ask = |n: u16, email: &'static str| {
        let app = &app;
        async move {
            post(
                app,
                &client_at(n),
                "/account/password/forgot",
                &json!({ "email": email, "lang": "en" }),
            )
            .await
            .status()
        }
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for n in 0..12 {
        known.push(ask(300 + n, "flooded@example.com").await);
        unknown.push(ask(400 + n, "nobody.here@example.com").await);
    }
    // The answers do not tell the two apart...
    assert_eq!(known, unknown);
    // ...and the customer's mailbox is not flooded.
    let sent = queued_to(&app, "flooded@example.com") - before;
    assert!(
        (1..12).contains(&sent),
        "{sent} reset mails for 12 requests"
    );
}

/// A sign-in as `email` that says it was forwarded for `forwarded`.
async fn sign_in_via(app: &TestApp, email: &str, forwarded: &str, password: &str) -> StatusCode {
    TestApp::new_client()
        .post(app.api("/account/session"))
        .header(shared::api::CSRF_HEADER, "1")
        .header("origin", app.url.as_str())
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .expect("sign in")
        .status()
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let smtp = SmtpSink::start().await;
    // No proxy trusted: a guesser inventing a new X-Forwarded-For for every
    // attempt is still one client.
    let direct = TestApp::spawn(&smtp).await;
    customer(&direct, &smtp, "proxied@example.com").await;
    for n in 0..10 {
        let status = sign_in_via(
            &direct,
            "proxied@example.com",
            &format!("198.51.100.{n}"),
            "guess",
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        sign_in_via(&direct, "proxied@example.com", "198.51.100.77", "guess").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Behind a trusted proxy (here: loopback), the forwarded address is the
    // client: the guesser waits, the owner elsewhere signs in.
    let proxied = TestApp::spawn_with(Setup {
        smtp_url: Some(smtp.url()),
        env: vec![("PASOKH_TRUSTED_PROXIES", "127.0.0.1".to_owned())],
        ..Setup::default()
    })
    .await;
    customer(&proxied, &smtp, "behind@example.com").await;
    for _ in 0..10 {
        assert_eq!(
            sign_in_via(&proxied, "behind@example.com", "203.0.113.5", "guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in_via(&proxied, "behind@example.com", "203.0.113.5", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sign_in_via(&proxied, "behind@example.com", "203.0.113.6", PASSWORD).await,
        StatusCode::OK
    );
}
