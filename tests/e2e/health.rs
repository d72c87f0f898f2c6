//! `/healthz` and `/readyz`: a load balancer's view. Ready means the
//! writer commits, the schema is the binary's and the outbox worker runs;
//! a failing part is named with a 503.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{Setup, TestApp, eventually};

async fn readyz(app: &TestApp) -> (StatusCode, Value) {
    let response = app.page("/readyz").await;
    let status = response.status();
    (status, response.json().await.expect("json"))
}

#[tokio::test]
async fn ready_names_the_part_that_fails() {
    let app = TestApp::spawn_with(Setup::default()).await;
    let health = app.page("/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);

    // Ready once the outbox worker has gone round for the first time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let (mut status, mut body) = readyz(&app).await;
    while status != StatusCode::OK && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        (status, body) = readyz(&app).await;
    }
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ready"], true);
    for part in ["database", "migrations", "outbox"] {
        assert_eq!(body["checks"][part], "ok", "{body}");
    }
    // Probes are not request-logged: a check every second would flood the log.
    assert!(!app.log().iter().any(|line| line.contains("/readyz")));

    // Another process holds the write lock: the writer cannot commit.
    let blocker = app.db();
    blocker.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(
        body["failed"],
        serde_json::json!(["database", "migrations"])
    );
    blocker.execute_batch("ROLLBACK").expect("unlock");

    // A newer binary migrated the database under this one.
    app.db()
        .pragma_update(None, "user_version", 999)
        .expect("version");
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["failed"], serde_json::json!(["migrations"]));
    assert!(
        body["checks"]["migrations"]
            .as_str()
            .is_some_and(|text| text.contains("999")),
        "{body}"
    );
    eventually("the change of readiness to be logged", || {
        app.log()
            .iter()
            .any(|line| line.contains("readiness changed"))
            .then_some(())
    })
    .await;
}
