//! Staff sign-in: the printed and emailed set-password links, passwords,
//! the same answer for every failure, rate limits, session rotation and
//! sign-out, and the second factor.

use reqwest::StatusCode;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::console_kit::{PASSWORD, add_staff, set_password, sign_in_as, signed_in, staff_command};
use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

fn session_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned()
}

#[tokio::test]
async fn the_printed_link_sets_a_good_password_once() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let token = add_staff(&app, "admin@desk.test", "Ada Admin", "admin");

    // A common password is refused, and the link still works afterwards.
    let refused: Value = expect_status(
        set_password(&app, &token, "Password123").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        refused["fields"][0],
        json!({ "field": "password", "code": "common_password" })
    );
    let short: Value = expect_status(
        set_password(&app, &token, "short").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(short["fields"][0]["code"], "too_short");
    assert_eq!(
        set_password(&app, &token, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    // Single use.
    let used: Value = expect_status(
        set_password(&app, &token, "another long phrase").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(used["code"], "link_used");
    let stored: String = app
        .db()
        .query_row("SELECT password_hash FROM staff", [], |row| row.get(0))
        .expect("hash");
    assert!(stored.starts_with("$argon2id$"), "{stored}");

    // Adding the same address again says what to do instead.
    let again = staff_command(
        &app,
        &[
            "add",
            "--email",
            "admin@desk.test",
            "--name",
            "A",
            "--role",
            "admin",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("reset-password"));

    // A reset link ends every session of the member once used.
    let browser = signed_in(&app, "admin@desk.test").await;
    let reset = staff_command(&app, &["reset-password", "--email", "admin@desk.test"]);
    assert!(reset.status.success());
    let token = crate::console_kit::password_token(&String::from_utf8_lossy(&reset.stdout));
    assert_eq!(
        set_password(&app, &token, "a brand new passphrase")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&browser, "/console/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // An expired link says so.
    let expired = staff_command(&app, &["reset-password", "--email", "admin@desk.test"]);
    let token = crate::console_kit::password_token(&String::from_utf8_lossy(&expired.stdout));
    app.db()
        .execute(
            "UPDATE account_tokens SET expires_at = 0 WHERE used_at IS NULL",
            [],
        )
        .expect("expire");
    let gone: Value = expect_status(
        set_password(&app, &token, "yet another passphrase").await,
        StatusCode::GONE,
    )
    .await;
    assert_eq!(gone["code"], "link_expired");
}

#[tokio::test]
async fn sign_in_fails_alike_is_limited_and_rotates_the_session() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let token = add_staff(&app, "agent@desk.test", "Ali Agent", "agent");
    set_password(&app, &token, PASSWORD).await;

    let attempt = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let response = app
                .post(
                    &TestApp::new_client(),
                    "/console/session",
                    &json!({ "email": email, "password": password }),
                )
                .await;
            (response.status(), response.text().await.expect("body"))
        }
    };
    // Unknown address and wrong password: the same status and body.
    let unknown = attempt("nobody@desk.test", "whatever it is").await;
    let wrong = attempt("agent@desk.test", "not the password").await;
    assert_eq!(unknown.0, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown, wrong);
    assert!(wrong.1.contains("sign_in_failed"), "{}", wrong.1);

    // A new session at each sign-in; the old cookie stops working.
    let browser = TestApp::new_client();
    let first = sign_in_as(&app, &browser, "agent@desk.test", None).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first_cookie = session_cookie(&first);
    assert!(first_cookie.contains("HttpOnly") && first_cookie.contains("SameSite=Strict"));
    let second = sign_in_as(&app, &browser, "agent@desk.test", None).await;
    let second_cookie = session_cookie(&second);
    assert_ne!(first_cookie, second_cookie);
    let replay = TestApp::new_client()
        .get(app.api("/console/me"))
        .header("cookie", first_cookie.split(';').next().expect("pair"))
        .send()
        .await
        .expect("me");
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);

    // Sign out ends this session on the server, not only in the browser.
    let kept = second_cookie.split(';').next().expect("pair").to_owned();
    assert_eq!(
        app.post(&browser, "/console/session/end", &json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let replay = TestApp::new_client()
        .get(app.api("/console/me"))
        .header("cookie", kept)
        .send()
        .await
        .expect("me");
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);

    // Per account and client address: after 10 attempts in an hour, even the
    // right password waits.
    for _ in 0..7 {
        attempt("agent@desk.test", "not the password").await;
    }
    let limited = sign_in_as(&app, &TestApp::new_client(), "agent@desk.test", None).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_second_factor_takes_each_code_once_and_recovery_codes_once() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let token = add_staff(&app, "admin@desk.test", "Ada Admin", "admin");
    set_password(&app, &token, PASSWORD).await;
    let browser = signed_in(&app, "admin@desk.test").await;

    let enrolment: Value = expect_status(
        app.post(&browser, "/console/totp", &json!({})).await,
        StatusCode::OK,
    )
    .await;
    let secret = Secret::Encoded(enrolment["secret"].as_str().expect("secret").to_owned())
        .to_bytes()
        .expect("base32");
    assert!(
        enrolment["uri"]
            .as_str()
            .expect("uri")
            .starts_with("otpauth://totp/")
    );
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, secret).expect("totp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let wrong: Value = expect_status(
        app.post(
            &browser,
            "/console/totp/confirm",
            &json!({ "code": "000000" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong["fields"][0]["field"], "code");
    // The code of this step confirms; the next step's signs in (both are
    // within the one step of drift the server allows, whenever it runs).
    let confirm_code = totp.generate(now);
    let codes: Value = expect_status(
        app.post(
            &browser,
            "/console/totp/confirm",
            &json!({ "code": confirm_code }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let recovery: Vec<String> = codes["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);

    let fresh = || TestApp::new_client();
    let needed: Value = expect_status(
        sign_in_as(&app, &fresh(), "admin@desk.test", None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(needed["code"], "code_required");
    let bad: Value = expect_status(
        sign_in_as(&app, &fresh(), "admin@desk.test", Some("123456")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(bad["code"], "sign_in_failed");
    let code = totp.generate(now + 30);
    assert_eq!(
        sign_in_as(&app, &fresh(), "admin@desk.test", Some(&code))
            .await
            .status(),
        StatusCode::OK
    );
    // The same code again: refused (replay), though still within its time.
    assert_eq!(
        sign_in_as(&app, &fresh(), "admin@desk.test", Some(&code))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // A recovery code works once, however it is typed.
    let typed = recovery[0].to_uppercase().replace('-', " ");
    assert_eq!(
        sign_in_as(&app, &fresh(), "admin@desk.test", Some(&typed))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in_as(&app, &fresh(), "admin@desk.test", Some(&recovery[0]))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}
