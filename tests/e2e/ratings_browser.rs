//! A Persian customer rates an answer in Chromium: the "good" link from the
//! close mail opens the rating page (which records nothing by itself), a
//! press records the choice, a comment follows, and the thanks shows; the
//! mail's other link then says the rating is in already. A Persian admin
//! sees the rating on the ticket, the figures on the staff page, and sets
//! the auto-close days.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::i18n::{ConsoleKey, Key, Lang};

use crate::{
    auto_close::{answered, rating_token},
    chrome::Browser,
    console_browser::{NARROW, c, sign_in, until},
    console_kit::Desk,
    harness::{TestApp, expect_status},
};

/// Applies a change to the ticket as the admin.
async fn change(desk: &Desk, reference: &str, change: Value) {
    expect_status::<Value>(
        desk.app
            .post(
                &desk.admin,
                &format!("/console/tickets/{reference}"),
                &change,
            )
            .await,
        StatusCode::OK,
    )
    .await;
}

/// The link in the mail's text that leads to `path`.
fn link_to(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find(|word| word.starts_with("http") && word.contains(path))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        .to_owned()
}

#[tokio::test]
async fn a_persian_customer_rates_the_answer_and_comments_from_the_mail() {
    let desk = Desk::start().await;
    let reference = answered(&desk, "sara@example.com", "fa").await;
    change(&desk, &reference, json!({ "status": "closed" })).await;
    let mail = desk.smtp.wait_for("sara@example.com", 3).await.remove(2);
    let fa = |key: Key| key.text(Lang::Fa);

    let browser = Browser::start("fa").await;
    let b = &browser;
    b.client
        .goto(&link_to(&mail.text, "/rate/good#"))
        .await
        .expect("open the link");
    b.text("h1", fa(Key::RateTitle)).await;
    assert_eq!(
        b.eval("return location.hash").await,
        "",
        "the token leaves the address bar"
    );
    b.check_page(Lang::Fa, &[]).await;
    b.check_accessibility("rating").await;
    assert_eq!(
        desk.app
            .count("SELECT count(*) FROM ratings WHERE rated_at IS NOT NULL"),
        0,
        "opening the page records nothing"
    );

    b.click("button", fa(Key::RateGood)).await;
    b.text("h1", fa(Key::RateThanks)).await;
    let comment = "پاسخ سریع و دقیق بود";
    b.field(fa(Key::RateCommentLabel))
        .await
        .send_keys(comment)
        .await
        .expect("type");
    b.click("button", fa(Key::RateCommentSend)).await;
    b.text("p", fa(Key::RateCommentThanks)).await;
    b.check_page(Lang::Fa, &[]).await;
    b.check_accessibility("rating thanks").await;

    let view: Value = expect_status(
        desk.app
            .get(&desk.admin, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(view["rating"]["good"], true);
    assert_eq!(view["rating"]["comment"], comment);

    // The other link of the same mail: the rating is in already.
    b.client
        .goto(&link_to(&mail.text, "/rate/not-good#"))
        .await
        .expect("open the other link");
    b.click("button", fa(Key::RateNotGood)).await;
    b.text("h1", fa(Key::RateUsedTitle)).await;
    b.check_page(Lang::Fa, &[]).await;
}

#[tokio::test]
async fn a_persian_admin_sees_the_rating_and_the_figures_and_sets_the_days() {
    let desk = Desk::start().await;
    let reference = answered(&desk, "rated@example.com", "fa").await;
    let admin_id: i64 = desk
        .app
        .db()
        .query_row(
            "SELECT id FROM staff WHERE email = 'admin@desk.test'",
            [],
            |row| row.get(0),
        )
        .expect("admin id");
    change(&desk, &reference, json!({ "assignee": admin_id })).await;
    change(&desk, &reference, json!({ "status": "closed" })).await;
    let token = rating_token(&desk.smtp.wait_for("rated@example.com", 3).await[2]);
    let customer = TestApp::new_client();
    let comment = "زمان پاسخ طولانی بود";
    for (path, body) in [
        ("/ratings", json!({ "token": token, "good": false })),
        (
            "/ratings/comment",
            json!({ "token": token, "comment": comment }),
        ),
    ] {
        let sent = desk.app.post(&customer, path, &body).await;
        assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    }

    let fa = Lang::Fa;
    let browser = Browser::start_sized("fa-IR", NARROW).await;
    let b = &browser;
    b.client
        .goto(&format!("{}/console", desk.app.url))
        .await
        .expect("open");
    sign_in(b, fa, "admin@desk.test").await;
    b.client
        .goto(&format!("{}/console/tickets/{reference}", desk.app.url))
        .await
        .expect("ticket");
    b.text("h2", c(fa, ConsoleKey::RatingTitle)).await;
    b.text("strong", c(fa, ConsoleKey::RatingNotGood)).await;
    b.text("p", comment).await;
    b.check_accessibility("a rated ticket").await;

    b.click("a", c(fa, ConsoleKey::Staff)).await;
    b.text("h2", c(fa, ConsoleKey::Ratings)).await;
    // Ada: no good, one not good, 0 % — in Persian digits.
    b.wait("//tr[th[normalize-space()='Ada Admin'] and td[1]='۰' and td[2]='۱' and td[3]='۰']")
        .await;
    b.check_page(fa, &["Ada Admin", "admin@desk.test"]).await;
    b.check_accessibility("staff with ratings").await;

    b.click("a", c(fa, ConsoleKey::Security)).await;
    let days = b.field(c(fa, ConsoleKey::AutoCloseDays)).await;
    until(
        b,
        "return document.getElementById('auto-close-days').value === '7'",
    )
    .await;
    days.clear().await.expect("clear");
    days.send_keys("۳").await.expect("type");
    b.wait("//form[.//input[@id='auto-close-days']]//button")
        .await
        .click()
        .await
        .expect("save");
    b.text("p", Key::Saved.text(fa)).await;
    b.check_page(fa, &["admin@desk.test"]).await;
    b.check_accessibility("security with auto-close").await;
    let saved: Value = expect_status(
        desk.app
            .get(&desk.admin, "/console/settings/auto-close")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["days"], 3, "Persian digits are read as the number");
}
