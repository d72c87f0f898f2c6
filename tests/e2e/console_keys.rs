//! The console by keyboard, in Persian (right to left) in headless
//! Chromium: `?` shows the shortcuts, `j`/`k` and Enter open a ticket from
//! the queue, `r` goes to the reply box, the canned-reply picker (arrows,
//! search, Enter) inserts a reply filled in for the ticket, which is sent
//! as it is; then `a` takes the ticket and `e` closes it.

use fantoccini::{
    actions::{InputSource, KeyAction, KeyActions},
    key::Key as WebKey,
};
use reqwest::StatusCode;
use serde_json::json;
use shared::i18n::{ConsoleKey, Lang};

use crate::{
    chrome::Browser,
    console_browser::{DESKTOP, c, sign_in, until},
    console_kit::{Desk, ticket},
};

/// Presses and releases one key, as a person at the keyboard does.
async fn press(b: &Browser, key: char) {
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.client
        .perform_actions(actions)
        .await
        .expect("press a key");
}

const ACTIVE: &str = "return document.activeElement";

#[tokio::test]
async fn an_agent_answers_by_keyboard_with_a_canned_reply() {
    let desk = Desk::start().await;
    let (tina_id, tina) = desk
        .agent("tina@desk.test", "Tina Tech", &["technical"])
        .await;
    let persian = ticket(&desk, "maryam@example.com", "fa").await;
    ticket(&desk, "ivan@example.com", "ru").await;
    for (title, fa) in [
        ("تشکر", "از شما سپاسگزاریم."),
        (
            "وضعیت",
            "درخواست {reference} از {customer_email} بررسی شد. {agent_name}",
        ),
    ] {
        let body = json!({ "title": title, "variants": [
            { "lang": "en", "body": "Ticket {reference}." }, { "lang": "fa", "body": fa },
        ] });
        let response = desk.app.post(&tina, "/console/canned", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }

    let (b, fa) = (&Browser::start_sized("fa-IR", DESKTOP).await, Lang::Fa);
    b.client
        .goto(&format!("{}/console", desk.app.url))
        .await
        .expect("open");
    sign_in(b, fa, "tina@desk.test").await;
    b.wait("//ol[@class='queue-list']/li[2]").await;

    // `?`: the shortcuts, in Persian, in a modal dialog that holds the
    // focus until Escape.
    press(b, '?').await;
    b.wait(&format!(
        "//dialog[@open]//h2[normalize-space()='{}']",
        c(fa, ConsoleKey::KeysTitle)
    ))
    .await;
    until(b, &format!("{ACTIVE}.closest('dialog[open]') !== null")).await;
    b.check_accessibility("the shortcuts overlay").await;
    press(b, WebKey::Escape.into()).await;
    until(b, "return document.querySelector('dialog[open]') === null").await;

    // `j` twice and `k` once: back on the first row, whichever way the page
    // is written; Enter opens it.
    let row = |n: usize| format!("document.querySelectorAll('.queue-link')[{n}]");
    for (key, n) in [('j', 0), ('j', 1), ('k', 0)] {
        press(b, key).await;
        until(b, &format!("{ACTIVE} === {}", row(n))).await;
    }
    let href = b
        .eval(&format!("return {}.getAttribute('href')", row(0)))
        .await;
    assert_eq!(
        href,
        format!("/console/tickets/{persian}"),
        "the oldest first"
    );
    press(b, WebKey::Enter.into()).await;
    b.wait("//textarea[@id='reply-body']").await;
    assert_eq!(b.client.current_url().await.expect("url").path(), href);

    // `r`: the reply box. The picker: arrows move, typing narrows, Enter
    // inserts the Persian text with the placeholders filled.
    press(b, 'r').await;
    until(b, &format!("{ACTIVE}.id === 'reply-body'")).await;
    b.click("button", c(fa, ConsoleKey::CannedInsert)).await;
    let search = "reply-body-canned-search";
    until(b, &format!("{ACTIVE}.id === '{search}'")).await;
    let selected =
        "return document.querySelector('#reply-body-canned-list [aria-selected=true]').innerText";
    until(b, &format!("{selected}.includes('تشکر')")).await;
    press(b, WebKey::Down.into()).await;
    until(b, &format!("{selected}.includes('وضعیت')")).await;
    b.check_accessibility("the canned-reply picker").await;
    b.client
        .active_element()
        .await
        .expect("search field")
        .send_keys("وضع")
        .await
        .expect("type");
    until(
        b,
        "return document.querySelectorAll('#reply-body-canned-list li').length === 1",
    )
    .await;
    press(b, WebKey::Enter.into()).await;
    let filled = format!(
        "درخواست {} از maryam@example.com بررسی شد. Tina Tech",
        fa.digits(&persian)
    );
    let value = "return document.getElementById('reply-body').value";
    until(b, &format!("{value} === '{filled}'")).await;
    until(b, &format!("{ACTIVE}.id === 'reply-body'")).await;
    b.click("button", c(fa, ConsoleKey::SendReply)).await;
    b.text("p", c(fa, ConsoleKey::ReplySent)).await;
    let mail = desk.smtp.wait_for("maryam@example.com", 2).await.remove(1);
    assert!(mail.text.contains(&filled), "{}", mail.text);

    // `a` takes the ticket, `e` closes it: the same changes as the buttons.
    b.client
        .execute("document.activeElement.blur()", vec![])
        .await
        .expect("blur");
    press(b, 'a').await;
    until(
        b,
        &format!("return document.getElementById('ticket-assignee').value === '{tina_id}'"),
    )
    .await;
    press(b, 'e').await;
    until(
        b,
        "return document.getElementById('ticket-status').value === 'closed'",
    )
    .await;
}
