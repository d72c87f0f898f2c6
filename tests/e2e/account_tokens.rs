//! One-time links and sessions stay in their lane: a verification link is
//! not a reset link (nor the other way round), a customer's link is not a
//! staff invitation, a customer's session is not a staff one, and a token
//! tried for the wrong purpose still works for its own.

use reqwest::StatusCode;
use serde_json::Value;

use crate::account_kit::{
    COOKIE, PASSWORD, account_cookie, customer, error_code, forgot, get_with, nth_token, pair,
    reset, sign_in, sign_up, verify,
};
use crate::console_kit::{self, add_staff, set_password, sign_in_as};
use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

#[tokio::test]
async fn each_link_works_only_for_its_own_purpose_and_realm() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    // A pending sign-up's verification link, a verified account's reset
    // link, and a staff invitation.
    let browser = TestApp::new_client();
    sign_up(&app, &browser, "pending@example.com", "en").await;
    let verification = nth_token(&smtp, "pending@example.com", "verify", 1).await;
    customer(&app, &smtp, "member@example.com").await;
    forgot(&app, &browser, "member@example.com").await;
    let reset_link = nth_token(&smtp, "member@example.com", "reset", 1).await;
    let invitation = add_staff(&app, "agent@desk.test", "Ali Agent", "agent");

    let fresh = || TestApp::new_client();
    for (what, token) in [
        ("a reset link", &reset_link),
        ("an invitation", &invitation),
    ] {
        let refused = verify(&app, &fresh(), token).await;
        assert!(account_cookie(&refused).is_none(), "{what}");
        assert_eq!(
            error_code(refused, StatusCode::NOT_FOUND).await,
            "link_invalid",
            "{what} as a verification link"
        );
    }
    for (what, token) in [
        ("a verification link", &verification),
        ("an invitation", &invitation),
    ] {
        let refused = reset(&app, token, "a password from nowhere").await;
        assert_eq!(
            error_code(refused, StatusCode::NOT_FOUND).await,
            "link_invalid",
            "{what} as a reset link"
        );
    }
    for (what, token) in [
        ("a verification link", &verification),
        ("a reset link", &reset_link),
    ] {
        let refused = set_password(&app, token, "a password from nowhere").await;
        assert_eq!(
            error_code(refused, StatusCode::NOT_FOUND).await,
            "link_invalid",
            "{what} as a staff invitation"
        );
    }
    assert_eq!(
        app.count("SELECT count(*) FROM staff WHERE password_hash IS NOT NULL"),
        0,
        "no member of staff got a password"
    );

    // Each still works for what it is.
    expect_status::<Value>(verify(&app, &browser, &verification).await, StatusCode::OK).await;
    assert_eq!(
        reset(&app, &reset_link, "a new and better passphrase")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        set_password(&app, &invitation, console_kit::PASSWORD)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    // The database holds none of them.
    let db = app.db();
    let mut stored = db
        .prepare("SELECT hash FROM account_tokens")
        .expect("prepare");
    let hashes: Vec<Vec<u8>> = stored
        .query_map([], |row| row.get(0))
        .expect("query")
        .map(|h| h.expect("hash"))
        .collect();
    for token in [&verification, &reset_link, &invitation] {
        assert!(hashes.iter().all(|h| h != token.as_bytes()));
    }
}

#[tokio::test]
async fn a_customer_session_is_not_a_staff_session_nor_the_other_way_round() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "customer@example.com").await;
    let signed = sign_in(
        &app,
        &TestApp::new_client(),
        "customer@example.com",
        PASSWORD,
        false,
    )
    .await;
    let customer_token = pair(&account_cookie(&signed).expect("cookie"))
        .split_once('=')
        .expect("pair")
        .1
        .to_owned();

    let invitation = add_staff(&app, "admin@desk.test", "Ada Admin", "admin");
    set_password(&app, &invitation, console_kit::PASSWORD).await;
    let staff = sign_in_as(&app, &TestApp::new_client(), "admin@desk.test", None).await;
    assert_eq!(staff.status(), StatusCode::OK);
    let staff_token = staff
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("pasokh_staff="))
        .expect("staff cookie")
        .split(';')
        .next()
        .expect("value")
        .to_owned();

    assert_eq!(
        get_with(
            &app,
            &format!("pasokh_staff={customer_token}"),
            "/console/me"
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "a customer's token as a staff cookie"
    );
    assert_eq!(
        get_with(&app, &format!("{COOKIE}={staff_token}"), "/account/me").await,
        StatusCode::UNAUTHORIZED,
        "a staff token as a customer cookie"
    );
    // Each in its own cookie works.
    assert_eq!(
        get_with(&app, &format!("pasokh_staff={staff_token}"), "/console/me").await,
        StatusCode::OK
    );
    assert_eq!(
        get_with(&app, &format!("{COOKIE}={customer_token}"), "/account/me").await,
        StatusCode::OK
    );
    // Nor does a staff session open a customer's account ticket.
    let holder = TestApp::new_client();
    let signed = sign_in(&app, &holder, "customer@example.com", PASSWORD, false).await;
    assert_eq!(signed.status(), StatusCode::OK);
    let reference = crate::account_kit::open_ticket(&app, &holder, "Mine", &[]).await;
    assert_eq!(
        get_with(
            &app,
            &format!("pasokh_staff={staff_token}"),
            &format!("/tickets/{reference}")
        )
        .await,
        StatusCode::NOT_FOUND
    );
}
