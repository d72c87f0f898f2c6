//! `pasokh seed`: a seeded data folder is one the server starts on, whose
//! console queue lists the made-up tickets with their counts and opens them;
//! seeding a folder that has tickets again is refused without `--append`.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    console_kit,
    harness::{Setup, TestApp, expect_status},
};

fn seed(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env_clear()
        .env("PASOKH_DATA_DIR", dir)
        .args(["seed", "--tickets", "200"])
        .args(extra)
        .output()
        .expect("run pasokh seed")
}

#[tokio::test]
async fn a_seeded_desk_starts_and_its_queue_answers() {
    let data = tempfile::tempdir().expect("temp dir");
    let output = seed(data.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Seeded 200 tickets"), "{stdout}");

    let app = TestApp::start(data.path(), &Setup::default()).await;
    let admin = console_kit::admin(&app).await;
    let page: Value = expect_status(
        app.get(&admin, "/console/queue?status=all&sort=activity")
            .await,
        StatusCode::OK,
    )
    .await;
    let tickets = page["tickets"].as_array().expect("tickets");
    assert_eq!(tickets.len(), shared::console::QUEUE_PAGE);
    assert!(page["next"].is_string(), "more than one page");
    let counts = &page["counts"];
    let total: i64 = ["open", "answered", "closed"]
        .iter()
        .map(|k| counts[k].as_i64().expect("count"))
        .sum();
    assert_eq!(total, 200, "{counts}");
    assert!(
        counts["closed"].as_i64() > counts["open"].as_i64(),
        "{counts}"
    );
    let langs: std::collections::HashSet<&str> =
        tickets.iter().filter_map(|t| t["lang"].as_str()).collect();
    assert!(langs.len() >= 2, "several languages: {langs:?}");

    let reference = tickets[0]["reference"].as_str().expect("reference");
    let ticket: Value = expect_status(
        app.get(&admin, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let messages = ticket["messages"].as_array().expect("messages");
    assert!(!messages.is_empty() && messages.len() <= 12, "{ticket}");
    assert_eq!(ticket["subject"], tickets[0]["subject"]);

    let again = seed(data.path(), &[]);
    assert!(!again.status.success());
    let error = String::from_utf8_lossy(&again.stderr);
    assert!(
        error.contains("already has") && error.contains("--append"),
        "{error}"
    );
    assert_eq!(app.count("SELECT count(*) FROM tickets"), 200);
}
