//! What operators watch: `/metrics` on its own listener (counters move when
//! a ticket is created and confirmed, no personal data, not on the main
//! listener) and `PASOKH_LOG_FORMAT=json` lines that carry the request id
//! the client was sent and the `error_id` of a failure.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    harness::{Setup, TestApp, eventually, free_port, png},
    smtp::SmtpSink,
};

/// The value of one series (`name{labels}` exactly), 0 when absent.
fn series(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .map_or(0.0, |value| value.trim().parse().expect("a number"))
}

async fn scrape(port: u16) -> String {
    let response = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .expect("scrape");
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("text")
}

#[tokio::test]
async fn metrics_count_a_ticket_created_and_confirmed_without_personal_data() {
    let smtp = SmtpSink::start().await;
    let port = free_port();
    let app = TestApp::spawn_with(Setup {
        smtp_url: Some(smtp.url()),
        env: vec![("PASOKH_METRICS_LISTEN", format!("127.0.0.1:{port}"))],
        ..Setup::default()
    })
    .await;
    let before = scrape(port).await;
    let created_route =
        r#"pasokh_http_requests_total{route="/api/tickets",method="POST",status="201"}"#;
    assert_eq!(series(&before, "pasokh_tickets_created_total"), 0.0);
    assert_eq!(series(&before, created_route), 0.0);

    let email = "metrics.person@example.com";
    let upload = app.upload_ok("shot.png", png()).await;
    let ticket = app.open_confirmed_ticket(&smtp, email, &[upload]).await;
    let reference = ticket["reference"].as_str().expect("reference").to_owned();

    let after = scrape(port).await;
    assert_eq!(
        series(&after, "pasokh_tickets_created_total"),
        1.0,
        "{after}"
    );
    assert_eq!(series(&after, "pasokh_tickets_confirmed_total"), 1.0);
    assert_eq!(series(&after, created_route), 1.0, "{after}");
    assert!(series(&after, "pasokh_mail_queued_total") >= 1.0);
    assert!(
        series(&after, "pasokh_db_write_batch_size_count")
            > series(&before, "pasokh_db_write_batch_size_count")
    );
    assert!(
        series(
            &after,
            r#"pasokh_http_request_duration_seconds_count{route="/api/tickets"}"#
        ) >= 1.0
    );
    assert!(series(&after, "pasokh_database_bytes") > 0.0);
    // A ticket's page is counted under its route template.
    assert!(
        after.contains(r#"route="/api/tickets/{reference}""#),
        "{after}"
    );
    for private in [reference.as_str(), email, "metrics.person"] {
        assert!(!after.contains(private), "{private} in /metrics");
    }
    let sent = r#"pasokh_mail_attempts_total{outcome="sent"}"#;
    let mut delivered = 0.0;
    for _ in 0..600 {
        delivered = series(&scrape(port).await, sent);
        if delivered >= 1.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(delivered >= 1.0, "the confirmation mail counted as sent");

    // The public listener has no metrics: /metrics there is just a page.
    let public = app.page("/metrics").await.text().await.expect("text");
    assert!(!public.contains("pasokh_http_requests"));
}

#[tokio::test]
async fn json_log_lines_carry_the_request_id_and_the_error_id() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(Setup {
        smtp_url: Some(smtp.url()),
        env: vec![("PASOKH_LOG_FORMAT", "json".into())],
        ..Setup::default()
    })
    .await;
    let upload = app.upload_ok("shot.png", png()).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "json.log@example.com", &[upload])
        .await;
    // The stored file is gone: downloading it fails inside the server.
    for file in app.stored_files() {
        std::fs::remove_file(file).expect("remove");
    }
    let response = crate::backup::download_first(&app, &app.client, &ticket).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: Value = response.json().await.expect("json");
    let error_id = body["error_id"].as_str().expect("error id").to_owned();

    let lines: Vec<Value> = eventually("the request's log line", || {
        let lines: Vec<Value> = app
            .log()
            .iter()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect();
        lines
            .iter()
            .any(|line| line["message"] == "request" && line["request_id"] == request_id.as_str())
            .then_some(lines)
    })
    .await;
    let request = lines
        .iter()
        .find(|line| line["message"] == "request" && line["request_id"] == request_id.as_str())
        .expect("request line");
    assert_eq!(request["error_id"], error_id.as_str(), "{request}");
    assert_eq!(request["status"], 500);
    assert_eq!(request["level"], "INFO");
    // The failure's own line names the same request and error.
    let failure = lines
        .iter()
        .find(|line| line["error_id"] == error_id.as_str() && line["message"] != "request")
        .expect("failure line");
    assert_eq!(
        failure["span"]["request_id"],
        request_id.as_str(),
        "{failure}"
    );
    assert!(lines.iter().all(|line| line["timestamp"].is_string()));
}
