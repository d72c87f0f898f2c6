//! Who may do what on the support side: an agent only in their
//! departments, by every staff route; customers and strangers nowhere;
//! admins' pages for admins; a deactivated member at once nowhere.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::console_kit::{Desk, read_events_until};
use crate::harness::{TestApp, expect_status, png, ticket_body};

/// Every staff route that touches one ticket, as (method, path, body).
fn ticket_routes(reference: &str, attachment: &str) -> Vec<(&'static str, String, Value)> {
    vec![
        ("GET", format!("/console/tickets/{reference}"), Value::Null),
        (
            "POST",
            format!("/console/tickets/{reference}"),
            json!({ "priority": "high" }),
        ),
        (
            "POST",
            format!("/console/tickets/{reference}/messages"),
            json!({ "body": "hello", "internal": false, "force": true }),
        ),
        (
            "POST",
            format!("/console/tickets/{reference}/messages"),
            json!({ "body": "note", "internal": true, "force": true }),
        ),
        (
            "POST",
            format!("/console/tickets/{reference}/presence"),
            json!({ "typing": true }),
        ),
        (
            "GET",
            format!("/console/tickets/{reference}/attachments/{attachment}"),
            Value::Null,
        ),
    ]
}

async fn call(
    app: &TestApp,
    client: &Client,
    method: &str,
    path: &str,
    body: &Value,
) -> StatusCode {
    let response = match method {
        "GET" => app.get(client, path).await,
        _ => app.post(client, path, body).await,
    };
    response.status()
}

#[tokio::test]
async fn an_agent_reaches_only_the_tickets_of_their_departments() {
    let desk = Desk::start().await;
    let (app, smtp) = (&desk.app, &desk.smtp);
    let (_, tech) = desk
        .agent("tech@desk.test", "Tina Tech", &["technical"])
        .await;
    let (_, money) = desk
        .agent("money@desk.test", "Farid Finance", &["financial"])
        .await;

    // A customer's confirmed ticket in Technical support, with a file.
    let upload = app.upload_ok("shot.png", png()).await;
    let ticket = app
        .open_confirmed_ticket(smtp, "customer@example.com", &[upload])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");
    let attachment = ticket["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("attachment");

    // The other department's agent: not in the queue, and 404 on every route.
    let events = money
        .get(app.api("/console/events"))
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), StatusCode::OK);
    let queue: Value = expect_status(
        app.get(&money, "/console/queue?status=all").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        queue["tickets"].as_array().map(Vec::len),
        Some(0),
        "{queue}"
    );
    assert_eq!(queue["counts"]["open"], 0);
    for (method, path, body) in ticket_routes(reference, attachment) {
        assert_eq!(
            call(app, &money, method, &path, &body).await,
            StatusCode::NOT_FOUND,
            "{method} {path}"
        );
    }
    // Nor can it move a ticket into its reach by naming its department.
    let queue: Value = expect_status(
        app.get(&money, "/console/queue?department=technical").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["tickets"].as_array().map(Vec::len), Some(0));

    // The ticket's own department's agent can do all of it.
    for (method, path, body) in ticket_routes(reference, attachment) {
        let status = call(app, &tech, method, &path, &body).await;
        assert!(status.is_success(), "{method} {path}: {status}");
    }
    // Meanwhile the other agent's live stream said nothing about it; it did
    // tell of a ticket confirmed afterwards in its own department.
    let mut own = ticket_body("payer@example.com", &[]);
    own["department"] = json!("financial");
    // The Financial form's required transaction number (migration 0009).
    let transaction = app.count(
        "SELECT f.id FROM department_fields f JOIN departments d ON d.id = f.department_id
         WHERE d.slug = 'financial'",
    );
    own["fields"] = json!([{ "id": transaction, "value": "123456" }]);
    let created: Value = expect_status(
        app.post(&TestApp::new_client(), "/tickets", &own).await,
        StatusCode::CREATED,
    )
    .await;
    let own_reference = created["reference"].as_str().expect("reference").to_owned();
    let token = smtp.wait_for("payer@example.com", 1).await[0].link_token();
    assert_eq!(
        app.redeem(&TestApp::new_client(), &token).await.status(),
        StatusCode::OK
    );
    let heard = read_events_until(events, &own_reference).await;
    assert!(
        !heard.contains(reference),
        "leaked over the live stream: {heard}"
    );
}

#[tokio::test]
async fn customers_strangers_and_agents_stay_out_of_what_is_not_theirs() {
    let desk = Desk::start().await;
    let (app, smtp, admin) = (&desk.app, &desk.smtp, &desk.admin);
    let (agent_id, tech) = desk
        .agent("tech@desk.test", "Tina Tech", &["technical"])
        .await;
    let ticket = app
        .open_confirmed_ticket(smtp, "customer@example.com", &[])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");

    // A customer's browser (with its guest cookie) and a stranger: signed out.
    for client in [&app.client, &TestApp::new_client()] {
        for path in [
            "/console/me".to_owned(),
            "/console/queue".to_owned(),
            "/console/events".to_owned(),
            format!("/console/tickets/{reference}"),
            "/console/staff".to_owned(),
        ] {
            let response = app.get(client, &path).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
            let body: Value = response.json().await.expect("json");
            assert_eq!(body["code"], "signed_out", "{path}");
        }
    }

    // Admin pages are for admins.
    for (method, path, body) in [
        ("GET", "/console/staff", Value::Null),
        (
            "POST",
            "/console/staff",
            json!({ "email": "x@desk.test", "name": "X", "role": "admin", "departments": [] }),
        ),
        (
            "POST",
            &format!("/console/staff/{agent_id}") as &str,
            json!({ "role": "admin" }),
        ),
        ("GET", "/console/departments", Value::Null),
        (
            "POST",
            "/console/departments/technical",
            json!({ "slug": "technical", "position": 1, "active": false, "texts": [] }),
        ),
        ("GET", "/console/settings", Value::Null),
        ("POST", "/console/settings", json!({ "require_totp": true })),
    ] {
        assert_eq!(
            call(app, &tech, method, path, &body).await,
            StatusCode::FORBIDDEN,
            "{method} {path}"
        );
    }

    // Every staff POST needs the CSRF header, like every other POST: a
    // cross-site form cannot send it (and SameSite=Strict keeps the cookie home).
    for path in [
        "/console/session".to_owned(),
        "/console/session/end".to_owned(),
        "/console/session/end-all".to_owned(),
        "/console/password".to_owned(),
        "/console/totp".to_owned(),
        "/console/totp/confirm".to_owned(),
        "/console/totp/disable".to_owned(),
        "/console/preferences".to_owned(),
        format!("/console/tickets/{reference}"),
        format!("/console/tickets/{reference}/messages"),
        format!("/console/tickets/{reference}/presence"),
        "/console/staff".to_owned(),
        format!("/console/staff/{agent_id}"),
        "/console/departments/technical".to_owned(),
        "/console/settings".to_owned(),
    ] {
        let forged = admin
            .post(app.api(&path))
            .json(&json!({}))
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "{path}");
    }

    // Deactivated: the open session is refused at once.
    let deactivated = app
        .post(
            admin,
            &format!("/console/staff/{agent_id}"),
            &json!({ "active": false }),
        )
        .await;
    assert_eq!(deactivated.status(), StatusCode::OK);
    assert_eq!(
        app.get(&tech, "/console/queue").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // And the last admin cannot lock everyone out.
    let me: Value = expect_status(app.get(admin, "/console/me").await, StatusCode::OK).await;
    let demoted = app
        .post(
            admin,
            &format!("/console/staff/{}", me["id"]),
            &json!({ "role": "agent" }),
        )
        .await;
    assert_eq!(demoted.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
