//! Customer accounts through the API, as a customer lives them: signing up
//! and verifying from the received mail, signing in ("stay signed in") and
//! out (here or everywhere), and resetting a forgotten password.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::account_kit::{
    PASSWORD, account_cookie, customer, error_code, forgot, get_with, nth_link_mail, nth_token,
    pair, post, reset, sign_in, sign_up, verify,
};
use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

async fn me(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    app.get(client, "/account/me").await.status()
}

#[tokio::test]
async fn signing_up_mails_a_link_that_verifies_once_and_signs_in() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let browser = TestApp::new_client();
    let signed_up = sign_up(&app, &browser, "sara@example.com", "en").await;
    assert_eq!(signed_up.status(), StatusCode::ACCEPTED);

    let mail = nth_link_mail(&smtp, "sara@example.com", "verify", 1).await;
    assert!(
        mail.link()
            .starts_with(&format!("{}/account/verify#", app.url)),
        "link: {}",
        mail.link()
    );
    assert_eq!(mail.header("Content-Language"), Some("en"));
    assert!(!mail.text.contains("Sara Sadeghi"), "no typed text in mail");
    let token = nth_token(&smtp, "sara@example.com", "verify", 1).await;

    // Not yet verified: the right password says so, a wrong one does not.
    let early = sign_in(&app, &browser, "sara@example.com", PASSWORD, false).await;
    assert_eq!(
        error_code(early, StatusCode::FORBIDDEN).await,
        "not_verified"
    );
    let wrong = sign_in(&app, &browser, "sara@example.com", "not my password", false).await;
    assert_eq!(
        error_code(wrong, StatusCode::UNAUTHORIZED).await,
        "sign_in_failed"
    );
    assert_eq!(me(&app, &browser).await, StatusCode::UNAUTHORIZED);
    // What the portal asks on every page: signed out is an answer, not a 401.
    let session: Value =
        expect_status(app.get(&browser, "/account/session").await, StatusCode::OK).await;
    assert_eq!(session, Value::Null);

    let verified = verify(&app, &browser, &token).await;
    assert!(account_cookie(&verified).is_some(), "a session cookie");
    let account: Value = expect_status(verified, StatusCode::OK).await;
    assert_eq!(
        account,
        json!({ "email": "sara@example.com", "name": "Sara Sadeghi", "lang": "en",
                "notify_replies": true, "unread": 0 })
    );
    let shown: Value = expect_status(app.get(&browser, "/account/me").await, StatusCode::OK).await;
    assert_eq!(shown, account);
    let session: Value =
        expect_status(app.get(&browser, "/account/session").await, StatusCode::OK).await;
    assert_eq!(session, account);

    // The link works once.
    let again = verify(&app, &TestApp::new_client(), &token).await;
    assert_eq!(error_code(again, StatusCode::CONFLICT).await, "link_used");
    // And for a day: a link 24 hours old has expired.
    let late = TestApp::new_client();
    sign_up(&app, &late, "late@example.com", "en").await;
    let late_token = nth_token(&smtp, "late@example.com", "verify", 1).await;
    app.db()
        .execute(
            "UPDATE account_tokens SET created_at = created_at - 86401,
                 expires_at = expires_at - 86401 WHERE used_at IS NULL",
            [],
        )
        .expect("age tokens");
    let expired = verify(&app, &late, &late_token).await;
    assert_eq!(error_code(expired, StatusCode::GONE).await, "link_expired");
    assert_eq!(me(&app, &late).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn stay_signed_in_keeps_the_cookie_past_the_browser_only_when_asked() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "stay@example.com").await;

    let plain = sign_in(
        &app,
        &TestApp::new_client(),
        "stay@example.com",
        PASSWORD,
        false,
    )
    .await;
    assert_eq!(plain.status(), StatusCode::OK);
    let cookie = account_cookie(&plain).expect("cookie");
    assert!(
        !cookie.contains("Max-Age"),
        "a browser-session cookie: {cookie}"
    );
    assert!(!cookie.contains("Expires"), "{cookie}");

    let kept = sign_in(
        &app,
        &TestApp::new_client(),
        "stay@example.com",
        PASSWORD,
        true,
    )
    .await;
    assert_eq!(kept.status(), StatusCode::OK);
    let cookie = account_cookie(&kept).expect("cookie");
    let max_age: i64 = cookie
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .expect("Max-Age")
        .parse()
        .expect("seconds");
    assert!(max_age >= 30 * 24 * 3600, "{cookie}");
}

#[tokio::test]
async fn signing_out_ends_the_session_and_everywhere_ends_them_all() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let first = customer(&app, &smtp, "leaver@example.com").await;
    let second = TestApp::new_client();
    let signed = sign_in(&app, &second, "leaver@example.com", PASSWORD, false).await;
    let second_cookie = pair(&account_cookie(&signed).expect("cookie"));
    assert_eq!(signed.status(), StatusCode::OK);

    let out = post(&app, &second, "/account/session/end", &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = account_cookie(&out).expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // Ended on the server: the old cookie, replayed, opens nothing.
    assert_eq!(
        get_with(&app, &second_cookie, "/account/me").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &first).await,
        StatusCode::OK,
        "other sessions stay"
    );

    // Everywhere: another browser's session ends too.
    let third = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &third, "leaver@example.com", PASSWORD, true)
            .await
            .status(),
        StatusCode::OK
    );
    let all = post(&app, &third, "/account/session/end-all", &json!({})).await;
    assert_eq!(all.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &third).await, StatusCode::UNAUTHORIZED);
    // Signing in again works as before (the address in any case).
    assert_eq!(
        sign_in(&app, &third, "Leaver@Example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_within_an_hour_and_ends_every_session() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let first = customer(&app, &smtp, "forgetful@example.com").await;
    let second = TestApp::new_client();
    sign_in(&app, &second, "forgetful@example.com", PASSWORD, true).await;
    assert_eq!(me(&app, &second).await, StatusCode::OK);

    let asked = forgot(&app, &TestApp::new_client(), "forgetful@example.com").await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let mail = nth_link_mail(&smtp, "forgetful@example.com", "reset", 1).await;
    assert!(
        mail.link()
            .starts_with(&format!("{}/account/reset#", app.url)),
        "{}",
        mail.link()
    );
    let token = nth_token(&smtp, "forgetful@example.com", "reset", 1).await;

    // Refused passwords leave the link usable.
    for (password, code) in [("short", "too_short"), ("Password123", "common_password")] {
        let refused: Value = expect_status(
            reset(&app, &token, password).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused["fields"][0]["field"], "password", "{refused}");
        assert_eq!(refused["fields"][0]["code"], code, "{refused}");
    }
    let new_password = "seven grey herons waiting";
    assert_eq!(
        reset(&app, &token, new_password).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(me(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &second).await, StatusCode::UNAUTHORIZED);
    let old = sign_in(&app, &first, "forgetful@example.com", PASSWORD, false).await;
    assert_eq!(
        error_code(old, StatusCode::UNAUTHORIZED).await,
        "sign_in_failed"
    );
    assert_eq!(
        sign_in(&app, &first, "forgetful@example.com", new_password, false)
            .await
            .status(),
        StatusCode::OK
    );
    // Single use.
    let again = reset(&app, &token, "another fine passphrase").await;
    assert_eq!(error_code(again, StatusCode::CONFLICT).await, "link_used");

    // An hour and a second later, a fresh link has expired.
    forgot(&app, &TestApp::new_client(), "forgetful@example.com").await;
    let late = nth_token(&smtp, "forgetful@example.com", "reset", 2).await;
    app.db()
        .execute(
            "UPDATE account_tokens SET created_at = created_at - 3601,
                 expires_at = expires_at - 3601 WHERE used_at IS NULL",
            [],
        )
        .expect("age tokens");
    let expired = reset(&app, &late, "another fine passphrase").await;
    assert_eq!(error_code(expired, StatusCode::GONE).await, "link_expired");
}

#[tokio::test]
async fn sign_up_names_each_refused_field_and_resend_sends_a_fresh_link() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let browser = TestApp::new_client();
    let refused: Value = expect_status(
        post(
            &app,
            &browser,
            "/account/sign-up",
            &json!({ "email": "not an address", "name": " ", "password": "short", "lang": "en" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<&str> = refused["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    for field in ["email", "name", "password"] {
        assert!(fields.contains(&field), "{field}: {refused}");
    }
    let common = post(
        &app,
        &browser,
        "/account/sign-up",
        &json!({ "email": "again@example.com", "name": "A", "password": "Password123", "lang": "en" }),
    )
    .await;
    let common: Value = expect_status(common, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(common["fields"][0]["field"], "password", "{common}");
    assert_eq!(common["fields"][0]["code"], "common_password", "{common}");

    // A fresh link on request; it works, and the earlier one no longer does.
    assert_eq!(
        sign_up(&app, &browser, "again@example.com", "en")
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let first = nth_token(&smtp, "again@example.com", "verify", 1).await;
    let resent = post(
        &app,
        &browser,
        "/account/verify/resend",
        &json!({ "email": "again@example.com", "lang": "en" }),
    )
    .await;
    assert_eq!(resent.status(), StatusCode::ACCEPTED);
    let second = nth_token(&smtp, "again@example.com", "verify", 2).await;
    assert_ne!(first, second);
    assert!(!verify(&app, &browser, &first).await.status().is_success());
    assert_eq!(
        verify(&app, &browser, &second).await.status(),
        StatusCode::OK
    );
    assert_eq!(me(&app, &browser).await, StatusCode::OK);
}

#[tokio::test]
async fn sessions_end_after_their_idle_and_absolute_lifetimes() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "lifetimes@example.com").await;
    let signed_in = |remember: bool| {
        let app = &app;
        async move {
            let browser = TestApp::new_client();
            let response =
                sign_in(app, &browser, "lifetimes@example.com", PASSWORD, remember).await;
            assert_eq!(response.status(), StatusCode::OK);
            browser
        }
    };
    let age = |column: &str, seconds: i64| {
        app.db()
            .execute(
                &format!("UPDATE sessions SET {column} = {column} - ?1 WHERE realm = 'customer'"),
                [seconds],
            )
            .expect("age sessions");
    };
    const HOUR: i64 = 3600;
    let plain = signed_in(false).await;
    let kept = signed_in(true).await;
    // Half a day without a request ends a browser session; "stay signed
    // in" waits 30 days.
    age("last_seen_at", 12 * HOUR + 1);
    assert_eq!(me(&app, &plain).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &kept).await, StatusCode::OK);
    age("last_seen_at", 30 * 24 * HOUR - 12 * HOUR);
    assert_eq!(me(&app, &kept).await, StatusCode::OK, "touched meanwhile");
    // However busy, a browser session lasts a day and a kept one 90.
    let busy = signed_in(false).await;
    age("created_at", 24 * HOUR + 1);
    assert_eq!(me(&app, &busy).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &kept).await, StatusCode::OK);
    age("created_at", 89 * 24 * HOUR);
    assert_eq!(me(&app, &kept).await, StatusCode::UNAUTHORIZED);
}
