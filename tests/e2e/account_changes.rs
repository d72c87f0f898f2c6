//! Changes a signed-in customer makes to the account: a new password (a
//! new cookie, other sessions end), a new address (verified first, the old
//! one told), and deleting it (tickets kept, anonymised on request).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::account_kit::{
    PASSWORD, account_cookie, customer, customer_with, get_with, open_ticket, pair, post, sign_in,
    token_in, verify,
};
use crate::harness::{TestApp, expect_status};
use crate::smtp::SmtpSink;

async fn me(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    app.get(client, "/account/me").await.status()
}

#[tokio::test]
async fn changing_the_password_rotates_this_cookie_and_ends_the_other_sessions() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let here = customer(&app, &smtp, "changer@example.com").await;
    let elsewhere = TestApp::new_client();
    sign_in(&app, &elsewhere, "changer@example.com", PASSWORD, false).await;
    let before = sign_in(&app, &here, "changer@example.com", PASSWORD, false).await;
    let old_cookie = pair(&account_cookie(&before).expect("cookie"));
    let new_password = "copper lanterns at dusk";

    let wrong: Value = expect_status(
        post(
            &app,
            &here,
            "/account/password",
            &json!({ "current": "not the password", "password": new_password }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong["fields"][0]["field"], "current_password", "{wrong}");
    let common: Value = expect_status(
        post(
            &app,
            &here,
            "/account/password",
            &json!({ "current": PASSWORD, "password": "Password123" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(common["fields"][0]["field"], "password", "{common}");
    assert_eq!(
        me(&app, &elsewhere).await,
        StatusCode::OK,
        "nothing changed"
    );

    let changed = post(
        &app,
        &here,
        "/account/password",
        &json!({ "current": PASSWORD, "password": new_password }),
    )
    .await;
    let new_cookie = pair(&account_cookie(&changed).expect("a new cookie"));
    let account: Value = expect_status(changed, StatusCode::OK).await;
    assert_eq!(account["email"], "changer@example.com");
    assert_ne!(new_cookie, old_cookie);
    assert_eq!(
        get_with(&app, &old_cookie, "/account/me").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &here).await,
        StatusCode::OK,
        "this browser stays in"
    );
    assert_eq!(me(&app, &elsewhere).await, StatusCode::UNAUTHORIZED);
    let fresh = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &fresh, "changer@example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, &fresh, "changer@example.com", new_password, false)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_new_address_is_verified_first_and_the_old_one_told() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let browser = customer(&app, &smtp, "old.address@example.com").await;

    let wrong: Value = expect_status(
        post(
            &app,
            &browser,
            "/account/email",
            &json!({ "email": "new.address@example.org", "password": "not the password" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong["fields"][0]["field"], "current_password", "{wrong}");

    let asked = post(
        &app,
        &browser,
        "/account/email",
        &json!({ "email": "new.address@example.org", "password": PASSWORD }),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    // The new address gets a link; the old one a notice (its second mail).
    let link_mail = smtp.wait_for("new.address@example.org", 1).await.remove(0);
    let marker = format!("{}/account/", app.url);
    assert!(link_mail.text.contains(&marker), "{}", link_mail.text);
    let page = link_mail.text[link_mail.text.find(&marker).expect("link") + marker.len()..]
        .split('#')
        .next()
        .expect("page")
        .to_owned();
    let token = token_in(&link_mail.text, &page).expect("token");
    let notice = smtp.wait_for("old.address@example.com", 2).await.remove(1);
    assert!(
        !notice.text.contains("new.address") && !notice.html.contains("new.address"),
        "the notice names no address typed in: {}",
        notice.text
    );
    // Nothing changes before the new address is proved.
    let still: Value = expect_status(app.get(&browser, "/account/me").await, StatusCode::OK).await;
    assert_eq!(still["email"], "old.address@example.com");

    let verified: Value = expect_status(verify(&app, &browser, &token).await, StatusCode::OK).await;
    assert_eq!(verified["email"], "new.address@example.org");
    let shown: Value = expect_status(app.get(&browser, "/account/me").await, StatusCode::OK).await;
    assert_eq!(shown["email"], "new.address@example.org");
    let fresh = TestApp::new_client();
    assert_eq!(
        sign_in(&app, &fresh, "new.address@example.org", PASSWORD, false)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in(&app, &fresh, "old.address@example.com", PASSWORD, false)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn deleting_the_account_keeps_its_tickets_for_the_desk_anonymised_on_request() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    for (email, anonymise) in [("gone@example.com", true), ("kept@example.com", false)] {
        let browser = TestApp::new_client();
        let signed = customer_with(&app, &smtp, &browser, email, "en").await;
        assert_eq!(signed["email"], email);
        let reference = open_ticket(&app, &browser, "Card declined", &[]).await;
        let signed = sign_in(&app, &browser, email, PASSWORD, false).await;
        let cookie = pair(&account_cookie(&signed).expect("cookie"));

        let wrong: Value = expect_status(
            post(
                &app,
                &browser,
                "/account/delete",
                &json!({ "password": "not the password", "anonymise": anonymise }),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(wrong["fields"][0]["field"], "current_password", "{wrong}");

        let deleted = post(
            &app,
            &browser,
            "/account/delete",
            &json!({ "password": PASSWORD, "anonymise": anonymise }),
        )
        .await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let cleared = account_cookie(&deleted).expect("the cookie is cleared");
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert_eq!(
            get_with(&app, &cookie, "/account/me").await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            sign_in(&app, &browser, email, PASSWORD, false)
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        let stored: String = app
            .db()
            .query_row(
                "SELECT email FROM tickets WHERE reference = ?1",
                [&reference],
                |row| row.get(0),
            )
            .expect("the ticket stays with the desk");
        if anonymise {
            assert!(!stored.contains(email.split('@').next().expect("local")));
            assert!(!stored.contains("example.com"), "{stored}");
        } else {
            assert_eq!(stored, email);
        }
        assert_eq!(
            app.count(
                "SELECT count(*) FROM customers WHERE email LIKE 'gone%' OR email LIKE 'kept%'"
            ),
            0,
            "the account itself is gone"
        );
    }
}

#[tokio::test]
async fn moving_to_an_address_with_an_account_tells_its_owner_and_changes_nothing() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    customer(&app, &smtp, "taken@example.com").await;
    let mover = customer(&app, &smtp, "mover@example.com").await;
    let asked = post(
        &app,
        &mover,
        "/account/email",
        &json!({ "email": "taken@example.com", "password": PASSWORD }),
    )
    .await;
    // The same answer as for a free address: it tells the mover nothing.
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let notice = smtp.wait_for("taken@example.com", 2).await.remove(1);
    assert!(
        token_in(&notice.text, "verify").is_none(),
        "a notice, not a link that would move the mover's account there: {}",
        notice.text
    );
    let me: Value = expect_status(app.get(&mover, "/account/me").await, StatusCode::OK).await;
    assert_eq!(me["email"], "mover@example.com");
}
