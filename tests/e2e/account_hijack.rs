//! Taking an account over before its owner has one: someone signs up with
//! another's address (or moves their own account to it) and waits for the
//! owner to open the link that arrives unasked. A link verifies only with
//! the account's password, so the owner's click gives the stranger nothing,
//! and the owner still gets in through "forgot password".

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::account_kit::{
    PASSWORD, client_at, customer, error_code, forgot, nth_token, post, reset, sign_in, sign_up,
    verify, verify_with,
};
use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

const THEIRS: &str = "a password of my own choosing";

/// How many tickets `email`'s account lists, signed in afresh.
async fn listed(app: &TestApp, email: &str, password: &str) -> usize {
    let browser = TestApp::new_client();
    expect_status::<Value>(
        sign_in(app, &browser, email, password, false).await,
        StatusCode::OK,
    )
    .await;
    let list: Value =
        expect_status(app.get(&browser, "/account/tickets").await, StatusCode::OK).await;
    list["tickets"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_second_sign_up_over_a_pending_one_lets_neither_in_until_the_owner_resets() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    // The owner of the address had a ticket by email; now she signs up.
    app.open_confirmed_ticket(&smtp, "pending@example.com", &[])
        .await;
    let owner = client_at(1);
    assert_eq!(
        sign_up(&app, &owner, "pending@example.com", "en")
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    // Before she opens her link, someone else signs up with her address.
    let other = client_at(2);
    let second = post(
        &app,
        &other,
        "/account/sign-up",
        &json!({ "email": "pending@example.com", "name": "M", "password": THEIRS, "lang": "en" }),
    )
    .await;
    assert_eq!(second.status(), StatusCode::ACCEPTED);
    // Her first link was voided; the newest, with her password, is refused
    // (the account now has the other's), and the link stays usable.
    let first = nth_token(&smtp, "pending@example.com", "verify", 1).await;
    assert!(!verify(&app, &owner, &first).await.status().is_success());
    let newest = nth_token(&smtp, "pending@example.com", "verify", 2).await;
    assert_eq!(
        error_code(
            verify(&app, &owner, &newest).await,
            StatusCode::UNPROCESSABLE_ENTITY
        )
        .await,
        "validation"
    );
    // The other's password alone does not open the unverified account.
    assert_eq!(
        error_code(
            sign_in(&app, &other, "pending@example.com", THEIRS, false).await,
            StatusCode::FORBIDDEN
        )
        .await,
        "not_verified"
    );
    // "Forgot password" proves her mailbox and gives her the account.
    assert_eq!(
        forgot(&app, &owner, "pending@example.com").await.status(),
        StatusCode::ACCEPTED
    );
    let token = nth_token(&smtp, "pending@example.com", "reset", 1).await;
    assert_eq!(
        reset(&app, &token, "mine again, and only mine")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        listed(&app, "pending@example.com", "mine again, and only mine").await,
        1,
        "her earlier ticket joined her account"
    );
    assert_eq!(
        sign_in(&app, &other, "pending@example.com", THEIRS, false)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_unasked_sign_up_link_opened_by_the_addresss_owner_verifies_nothing() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    app.open_confirmed_ticket(&smtp, "victim@example.com", &[])
        .await;
    // A stranger signs up with the victim's address and a password of theirs.
    let stranger = client_at(3);
    post(
        &app,
        &stranger,
        "/account/sign-up",
        &json!({ "email": "victim@example.com", "name": "V", "password": THEIRS, "lang": "en" }),
    )
    .await;
    // The victim opens the link that arrived; she does not know that password.
    let token = nth_token(&smtp, "victim@example.com", "verify", 1).await;
    let victim = client_at(4);
    for guess in ["", PASSWORD] {
        let opened = verify_with(&app, &victim, &token, guess).await;
        assert_eq!(opened.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The stranger's password still opens nothing, and no ticket joined.
    assert_eq!(
        sign_in(&app, &stranger, "victim@example.com", THEIRS, false)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let joined: i64 = app
        .db()
        .query_row(
            "SELECT count(*) FROM tickets WHERE customer_id IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(joined, 0);
}

#[tokio::test]
async fn moving_an_account_to_anothers_address_needs_more_than_their_click() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    app.open_confirmed_ticket(&smtp, "victim@example.com", &[])
        .await;
    let thief = customer(&app, &smtp, "thief@example.net").await;
    let asked = post(
        &app,
        &thief,
        "/account/email",
        &json!({ "email": "victim@example.com", "password": PASSWORD }),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    // The victim clicks the link that arrived unasked, without the thief's password.
    let token = nth_token(&smtp, "victim@example.com", "verify", 1).await;
    let click = verify_with(&app, &client_at(5), &token, "").await;
    assert_eq!(click.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        crate::account_kit::account_cookie(&click).is_none(),
        "the click signed the victim in to the thief's account"
    );
    // The thief's account keeps its address and takes in none of hers.
    assert_eq!(listed(&app, "thief@example.net", PASSWORD).await, 0);
}
