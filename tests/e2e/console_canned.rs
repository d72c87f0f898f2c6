//! Canned replies through the API: who sees and changes which (an agent's
//! own, the shared ones, another agent's as if absent), every field's
//! refusal, and a reply filled in for a ticket in its language with its
//! reference, its customer's address and the agent's name, then sent.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::console_kit::{Desk, ticket};
use crate::harness::{TestApp, expect_status};

pub async fn create(desk: &Desk, client: &Client, body: Value) -> Value {
    expect_status(
        desk.app.post(client, "/console/canned", &body).await,
        StatusCode::CREATED,
    )
    .await
}

pub async fn list(desk: &Desk, client: &Client) -> Vec<Value> {
    let list: Value = expect_status(
        desk.app.get(client, "/console/canned").await,
        StatusCode::OK,
    )
    .await;
    list.as_array().expect("a list").clone()
}

pub fn titles(list: &[Value]) -> Vec<&str> {
    list.iter()
        .map(|r| r["title"].as_str().expect("title"))
        .collect()
}

pub async fn update(desk: &Desk, client: &Client, id: i64, body: &Value) -> StatusCode {
    desk.app
        .post(client, &format!("/console/canned/{id}"), body)
        .await
        .status()
}

async fn delete(desk: &Desk, client: &Client, id: i64) -> StatusCode {
    desk.app
        .post(client, &format!("/console/canned/{id}/delete"), &json!({}))
        .await
        .status()
}

pub fn reply(title: &str, shared: bool, variants: &[(&str, &str)]) -> Value {
    let variants: Vec<Value> = variants
        .iter()
        .map(|(lang, body)| json!({ "lang": lang, "body": body }))
        .collect();
    json!({ "title": title, "shared": shared, "variants": variants })
}

#[tokio::test]
async fn agents_keep_their_own_admins_the_shared_ones_and_nobody_sees_anothers() {
    let desk = Desk::start().await;
    let (_, tina) = desk
        .agent("tina@desk.test", "Tina Tech", &["technical"])
        .await;
    let (_, omid) = desk.agent("omid@desk.test", "Omid", &["technical"]).await;

    let greeting = create(
        &desk,
        &desk.admin,
        reply("Greeting", true, &[("en", "Hello!"), ("fa", "سلام!")]),
    )
    .await;
    assert_eq!(greeting["shared"], true);
    assert_eq!(greeting["editable"], true);
    let greeting_id = greeting["id"].as_i64().expect("id");

    // An agent cannot share; their own is theirs alone.
    let refused = desk
        .app
        .post(
            &tina,
            "/console/canned",
            &reply("Mine", true, &[("en", "x")]),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let own = create(
        &desk,
        &tina,
        reply("Refund steps", false, &[("en", "Steps."), ("ru", "Шаги.")]),
    )
    .await;
    assert_eq!(own["shared"], false);
    assert_eq!(own["editable"], true);
    let own_id = own["id"].as_i64().expect("id");

    let tinas = list(&desk, &tina).await;
    assert_eq!(titles(&tinas), ["Greeting", "Refund steps"]);
    assert_eq!(
        tinas[0]["editable"], false,
        "a shared one is read-only to agents"
    );
    assert_eq!(titles(&list(&desk, &omid).await), ["Greeting"]);
    assert_eq!(
        titles(&list(&desk, &desk.admin).await),
        ["Greeting"],
        "an agent's own reply is not even the admin's to see"
    );

    // Another agent's reply: as if it did not exist, for agents and admins.
    let change = reply("Taken over", false, &[("en", "Mine now.")]);
    for client in [&omid, &desk.admin] {
        assert_eq!(
            update(&desk, client, own_id, &change).await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(delete(&desk, client, own_id).await, StatusCode::NOT_FOUND);
    }
    // A shared one: the agent sees it but may not change it.
    assert_eq!(
        update(&desk, &tina, greeting_id, &change).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete(&desk, &tina, greeting_id).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        update(&desk, &tina, 999_999, &change).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        delete(&desk, &tina, -1).await,
        StatusCode::NOT_FOUND,
        "no such id"
    );
    let malformed = desk.app.post(&tina, "/console/canned/abc", &change).await;
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);

    // The admin edits the shared one; the owner edits theirs (a language
    // left out is gone). Moving between shared and own: console_canned_sharing.
    let shared_change = reply("Welcome", true, &[("en", "Welcome!")]);
    assert_eq!(
        update(&desk, &desk.admin, greeting_id, &shared_change).await,
        StatusCode::OK
    );
    let changed: Value = expect_status(
        desk.app
            .post(
                &tina,
                &format!("/console/canned/{own_id}"),
                &reply("Refund", false, &[("ru", "Возврат.")]),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["title"], "Refund");
    assert_eq!(changed["shared"], false);
    assert_eq!(
        changed["variants"],
        json!([{ "lang": "ru", "body": "Возврат." }])
    );
    let omids = list(&desk, &omid).await;
    assert_eq!(titles(&omids), ["Welcome"]);
    assert_eq!(
        omids[0]["variants"],
        json!([{ "lang": "en", "body": "Welcome!" }])
    );

    assert_eq!(delete(&desk, &tina, own_id).await, StatusCode::NO_CONTENT);
    assert_eq!(titles(&list(&desk, &tina).await), ["Welcome"]);
    assert_eq!(delete(&desk, &tina, own_id).await, StatusCode::NOT_FOUND);
    assert_eq!(
        delete(&desk, &desk.admin, greeting_id).await,
        StatusCode::NO_CONTENT
    );
    assert!(list(&desk, &omid).await.is_empty());

    let stranger = TestApp::new_client();
    let signed_out = desk.app.get(&stranger, "/console/canned").await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}

/// The 422 answer's `fields` to `body` posted to `path`, as (field, code, limit).
async fn refusal(
    desk: &Desk,
    client: &Client,
    path: &str,
    body: &Value,
) -> Vec<(String, String, Value)> {
    let error: Value = expect_status(
        desk.app.post(client, path, body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error["code"], "validation");
    let fields = error["fields"].as_array().expect("fields").iter();
    fields
        .map(|f| {
            let text = |name: &str| f[name].as_str().expect(name).to_owned();
            (text("field"), text("code"), f["max"].clone())
        })
        .collect()
}

fn problem(field: &str, code: &str, max: Value) -> (String, String, Value) {
    (field.to_owned(), code.to_owned(), max)
}

#[tokio::test]
async fn every_field_is_checked_and_named() {
    let desk = Desk::start().await;
    let (_, tina) = desk
        .agent("tina@desk.test", "Tina Tech", &["technical"])
        .await;
    let none = Value::Null;
    let cases = [
        (
            reply("   ", false, &[("en", "Fine.")]),
            vec![problem("title", "required", none.clone())],
        ),
        (
            reply(&"ت".repeat(81), false, &[("en", "Fine.")]),
            vec![problem("title", "too_long", json!(80))],
        ),
        (
            reply("No text", false, &[]),
            vec![problem("body", "required", none.clone())],
        ),
        (
            reply("Blank", false, &[("fa", " \n ")]),
            vec![problem("body", "required", none.clone())],
        ),
        (
            reply("Long", false, &[("en", &"x".repeat(20_001))]),
            vec![problem("body", "too_long", json!(20_000))],
        ),
        (
            reply("Twice", false, &[("en", "One."), ("en", "Two.")]),
            vec![problem("lang", "invalid", none.clone())],
        ),
        (
            reply("", false, &[]),
            vec![
                problem("title", "required", none.clone()),
                problem("body", "required", none.clone()),
            ],
        ),
    ];
    for (body, expected) in cases {
        let found = refusal(&desk, &tina, "/console/canned", &body).await;
        assert_eq!(found, expected, "{body}");
    }
    // 80 Persian letters and a 20,000-character body fit.
    let longest = reply(&"ت".repeat(80), false, &[("en", &"x".repeat(20_000))]);
    create(&desk, &tina, longest).await;
    let german = reply("German", false, &[("de", "Hallo")]);
    let unknown = desk.app.post(&tina, "/console/canned", &german).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    // An update is checked alike.
    let own = create(&desk, &tina, reply("Mine", false, &[("en", "Mine.")])).await;
    let path = format!("/console/canned/{}", own["id"]);
    let found = refusal(&desk, &tina, &path, &reply("", false, &[("en", "Mine.")])).await;
    assert_eq!(found, vec![problem("title", "required", none)]);
}

async fn filled(desk: &Desk, client: &Client, id: i64, reference: &str) -> reqwest::Response {
    desk.app
        .get(client, &format!("/console/canned/{id}/filled/{reference}"))
        .await
}

#[tokio::test]
async fn a_reply_is_filled_in_the_tickets_language_and_sent_as_edited() {
    let desk = Desk::start().await;
    let (_, tina) = desk
        .agent("tina@desk.test", "Tina Tech", &["technical"])
        .await;
    let (_, felix) = desk.agent("felix@desk.test", "Felix", &["financial"]).await;
    let persian = ticket(&desk, "maryam@example.com", "fa").await;
    let russian = ticket(&desk, "ivan@example.com", "ru").await;
    let status = create(
        &desk,
        &tina,
        reply(
            "Status",
            false,
            &[
                (
                    "en",
                    "Ticket {reference} for {customer_email}: {agent_name}. {x}",
                ),
                (
                    "fa",
                    "درخواست {reference} برای {customer_email} — {agent_name} {x}",
                ),
            ],
        ),
    )
    .await;
    let id = status["id"].as_i64().expect("id");

    let fa: Value = expect_status(filled(&desk, &tina, id, &persian).await, StatusCode::OK).await;
    assert_eq!(fa["lang"], "fa");
    let digits = shared::i18n::Lang::Fa.digits(&persian);
    assert_eq!(
        fa["body"],
        format!("درخواست {digits} برای maryam@example.com — Tina Tech {{x}}")
    );
    // No Russian variant: English.
    let ru: Value = expect_status(filled(&desk, &tina, id, &russian).await, StatusCode::OK).await;
    assert_eq!(ru["lang"], "en");
    assert_eq!(
        ru["body"],
        format!("Ticket {russian} for ivan@example.com: Tina Tech. {{x}}")
    );
    // Neither the ticket's language nor English: the one there is.
    let only = create(
        &desk,
        &tina,
        reply("Only", false, &[("ru", "Пишет {agent_name}")]),
    )
    .await;
    let only_id = only["id"].as_i64().expect("id");
    let any: Value = expect_status(
        filled(&desk, &tina, only_id, &persian).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(any, json!({ "lang": "ru", "body": "Пишет Tina Tech" }));

    // Another member's private reply, or a ticket outside one's departments:
    // not found. A shared one fills with the name of whoever inserts it.
    let shared = create(
        &desk,
        &desk.admin,
        reply("Signed", true, &[("en", "— {agent_name}")]),
    )
    .await;
    let shared_id = shared["id"].as_i64().expect("id");
    assert_eq!(
        filled(&desk, &desk.admin, id, &persian).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        filled(&desk, &felix, shared_id, &persian).await.status(),
        StatusCode::NOT_FOUND
    );
    let by_admin: Value = expect_status(
        filled(&desk, &desk.admin, shared_id, &russian).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_admin["body"], "— Ada Admin");

    // The filled text, edited, goes out as a normal reply.
    let body = format!("{}\nSee you soon.", fa["body"].as_str().expect("body"));
    let sent: Value = expect_status(
        desk.app
            .post(
                &tina,
                &format!("/console/tickets/{persian}/messages"),
                &json!({ "body": body, "internal": false, "force": true }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(sent["body"], body.as_str());
    let mails = desk.smtp.wait_for("maryam@example.com", 2).await;
    assert!(
        mails[1].text.contains("maryam@example.com — Tina Tech"),
        "{}",
        mails[1].text
    );
}
