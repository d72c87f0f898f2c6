//! Access rules, input validation and the headers every response carries.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{Setup, TestApp, expect_status, png, ticket_body};
use crate::smtp::SmtpSink;

#[tokio::test]
async fn nobody_opens_a_ticket_that_is_not_theirs() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let alice = TestApp::new_client();
    let bob = TestApp::new_client();

    let upload = app.upload_ok("alice.png", png()).await;
    let (alice_ref, _) = app.create_ticket("alice@example.com", &[upload]).await;
    let (bob_ref, _) = app.create_ticket("bob@example.com", &[]).await;
    let alice_token = smtp.wait_for("alice@example.com", 1).await[0].link_token();
    let bob_token = smtp.wait_for("bob@example.com", 1).await[0].link_token();
    expect_status::<Value>(app.redeem(&alice, &alice_token).await, StatusCode::OK).await;
    expect_status::<Value>(app.redeem(&bob, &bob_token).await, StatusCode::OK).await;

    let alice_ticket: Value = expect_status(
        app.get(&alice, &format!("/tickets/{alice_ref}")).await,
        StatusCode::OK,
    )
    .await;
    let file_id = alice_ticket["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // Bob, holding a valid session for his own ticket, tries Alice's by every route.
    for (method, path) in [
        ("GET", format!("/tickets/{alice_ref}")),
        ("GET", format!("/tickets/{alice_ref}/attachments/{file_id}")),
        ("GET", format!("/tickets/{bob_ref}/attachments/{file_id}")),
        ("POST", format!("/tickets/{alice_ref}/messages")),
        ("POST", format!("/tickets/{alice_ref}/close")),
        ("POST", format!("/tickets/{alice_ref}/reopen")),
        ("GET", "/tickets/00000-00000".to_owned()),
        ("GET", "/tickets/not-a-reference".to_owned()),
    ] {
        let response = if method == "GET" {
            app.get(&bob, &path).await
        } else {
            app.post(&bob, &path, &json!({ "body": "hijack" })).await
        };
        let status = response.status();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(body["code"], "not_found", "{method} {path}");
    }
    // A browser with no cookie at all.
    let anonymous = reqwest::Client::new();
    assert_eq!(
        app.get(&anonymous, &format!("/tickets/{alice_ref}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Nothing was changed by the attempts.
    let after: Value = expect_status(
        app.get(&alice, &format!("/tickets/{alice_ref}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["status"], "open");
    assert_eq!(after["messages"].as_array().map(Vec::len), Some(1));

    // Someone else's unclaimed upload cannot be attached by id either.
    let stray = app.upload_ok("stray.png", png()).await;
    let (_, _) = app
        .create_ticket("carol@example.com", std::slice::from_ref(&stray))
        .await;
    let stolen: Value = expect_status(
        app.post(
            &app.client,
            "/tickets",
            &ticket_body("mallory@example.com", &[stray]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        stolen["fields"][0],
        json!({ "field": "attachments", "code": "invalid" })
    );
}

#[tokio::test]
async fn bad_input_gets_a_structured_error_naming_each_field() {
    let app = TestApp::spawn_with(Setup::default()).await;
    let empty: Value = expect_status(
        app.post(&app.client, "/tickets", &json!({
            "channel": "email", "email": "", "department": "", "subject": " ", "description": "", "lang": "en"
        }))
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(empty["code"], "validation");
    let fields: Vec<(&str, &str)> = empty["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().expect("field"),
                f["code"].as_str().expect("code"),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("email", "required"),
            ("department", "required"),
            ("subject", "required"),
            ("description", "required")
        ]
    );

    for (change, field, code) in [
        (json!({ "email": "not an address" }), "email", "invalid"),
        (
            json!({ "email": "x@example.com\r\nBcc: all@example.com" }),
            "email",
            "invalid",
        ),
        (json!({ "subject": "ab" }), "subject", "too_short"),
        (json!({ "subject": "x".repeat(151) }), "subject", "too_long"),
        (
            json!({ "description": "d".repeat(20_001) }),
            "description",
            "too_long",
        ),
        (
            json!({ "department": "../../admin" }),
            "department",
            "unknown",
        ),
    ] {
        let mut body = ticket_body("valid@example.com", &[]);
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let refused: Value = expect_status(
            app.post(&app.client, "/tickets", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused["fields"][0]["field"], field, "{change}");
        assert_eq!(refused["fields"][0]["code"], code, "{change}");
    }

    // Markup is data: stored and returned as typed, never interpreted.
    let mut hostile = ticket_body("html@example.com", &[]);
    hostile["subject"] = json!("<script>alert(1)</script>");
    expect_status::<Value>(
        app.post(&app.client, "/tickets", &hostile).await,
        StatusCode::CREATED,
    )
    .await;
    let stored: String = app
        .db()
        .query_row("SELECT subject FROM tickets", [], |r| r.get(0))
        .expect("subject");
    assert_eq!(stored, "<script>alert(1)</script>");

    let malformed = app
        .client
        .post(app.api("/tickets"))
        .header(shared::api::CSRF_HEADER, "1")
        .header("content-type", "application/json")
        .body("{\"channel\": ")
        .send()
        .await
        .expect("send");
    let malformed: Value = expect_status(malformed, StatusCode::BAD_REQUEST).await;
    assert_eq!(malformed["code"], "bad_request");

    let huge = app
        .client
        .post(app.api("/tickets"))
        .header(shared::api::CSRF_HEADER, "1")
        .header("content-type", "application/json")
        .body(format!("{{\"subject\": \"{}\"}}", "x".repeat(300 * 1024)))
        .send()
        .await
        .expect("send");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn state_changes_need_the_csrf_header() {
    let app = TestApp::spawn_with(Setup::default()).await;
    // What a cross-site form post looks like: no custom header.
    let forged = app
        .client
        .post(app.api("/tickets"))
        .json(&ticket_body("csrf@example.com", &[]))
        .send()
        .await
        .expect("send");
    let forged: Value = expect_status(forged, StatusCode::FORBIDDEN).await;
    assert_eq!(forged["code"], "forbidden");
    assert_eq!(app.count("SELECT count(*) FROM tickets"), 0);
}

#[tokio::test]
async fn references_are_random_and_creation_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(Setup::default()).await;
    let mut references = Vec::new();
    for n in 0..6 {
        let (reference, _) = app
            .create_ticket(&format!("user{n}@example.com"), &[])
            .await;
        references.push(reference);
    }
    let numbers: Vec<u64> = references
        .iter()
        .map(|r| r.replace('-', "").parse().expect("digits"))
        .collect();
    let consecutive = numbers.windows(2).filter(|w| w[1] == w[0] + 1).count();
    assert_eq!(consecutive, 0, "sequential references: {references:?}");
    let mut distinct = numbers.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), numbers.len());

    for _ in 0..5 {
        app.create_ticket("spam-target@example.com", &[]).await;
    }
    let limited = app
        .post(
            &app.client,
            "/tickets",
            &ticket_body("Spam-Target@EXAMPLE.com", &[]),
        )
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = limited.json().await.expect("json");
    assert_eq!(body["code"], "rate_limited");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn_with(Setup::default()).await;
    for path in [
        "/",
        "/new",
        "/tickets/12345-67890",
        "/api/departments",
        "/api/nope",
    ] {
        let response = app.page(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        // Served over plain http here: no HSTS.
        assert!(!headers.contains_key("strict-transport-security"), "{path}");
        let caching = headers["cache-control"].to_str().expect("ascii");
        if path.starts_with("/api/") {
            // A ticket's JSON must not sit in a proxy or the browser's disk cache.
            assert_eq!(caching, "no-store", "{path}");
        } else {
            assert_eq!(
                caching, "no-cache",
                "{path}: the page is always revalidated"
            );
        }
    }
}

#[tokio::test]
async fn an_https_desk_tells_browsers_to_stay_on_https() {
    let app = TestApp::spawn_with(Setup {
        env: vec![("PASOKH_PUBLIC_URL", "https://help.example.com".into())],
        ..Setup::default()
    })
    .await;
    for path in ["/", "/api/config", "/api/nope"] {
        let response = app.page(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

/// Opens tickets with the given `X-Forwarded-For` until refused; returns how many got through.
async fn creations_allowed(app: &TestApp, forwarded_for: &str, tag: &str) -> usize {
    for n in 0..30 {
        let response = app
            .client
            .post(app.api("/tickets"))
            .header(shared::api::CSRF_HEADER, "1")
            .header("x-forwarded-for", forwarded_for)
            .json(&ticket_body(&format!("{tag}{n}@example.com"), &[]))
            .send()
            .await
            .expect("send");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            return n;
        }
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    30
}

#[tokio::test]
async fn forwarded_for_counts_only_behind_a_trusted_proxy() {
    // Direct clients cannot dodge the per-IP limit with a made-up header.
    let direct = TestApp::spawn_with(Setup::default()).await;
    assert_eq!(creations_allowed(&direct, "198.51.100.1", "a").await, 20);
    assert_eq!(creations_allowed(&direct, "198.51.100.2", "b").await, 0);

    // Behind a trusted proxy each client has its own quota.
    let proxied = TestApp::spawn_with(Setup {
        env: vec![("PASOKH_TRUSTED_PROXIES", "127.0.0.1".into())],
        ..Setup::default()
    })
    .await;
    assert_eq!(creations_allowed(&proxied, "198.51.100.1", "c").await, 20);
    assert_eq!(creations_allowed(&proxied, "198.51.100.2", "d").await, 20);
}
