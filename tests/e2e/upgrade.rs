//! Upgrades: a database made by the previous release's migrations (0001 to
//! 0007, as that release shipped them) is migrated by this binary at
//! start-up and its tickets stay; a database newer than the binary (what an
//! older binary meets after a newer one ran) is refused with a sentence.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    console_kit,
    harness::{Setup, TestApp, expect_status},
};

/// The previous release's migrations, in order.
const PREVIOUS_RELEASE: [&str; 7] = [
    include_str!("../../api/migrations/0001_tickets.sql"),
    include_str!("../../api/migrations/0002_department_translations.sql"),
    include_str!("../../api/migrations/0003_outbox_failures.sql"),
    include_str!("../../api/migrations/0004_staff.sql"),
    include_str!("../../api/migrations/0005_accounts.sql"),
    include_str!("../../api/migrations/0006_search.sql"),
    include_str!("../../api/migrations/0007_canned_replies.sql"),
];

#[tokio::test]
async fn an_older_database_is_migrated_and_a_newer_one_refused() {
    let data = tempfile::tempdir().expect("temp dir");
    let path = data.path().join("pasokh.db");
    {
        let mut conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA journal_mode = WAL")
            .expect("wal");
        let tx = conn.transaction().expect("tx");
        for sql in PREVIOUS_RELEASE {
            tx.execute_batch(sql).expect("migration");
        }
        tx.pragma_update(None, "user_version", PREVIOUS_RELEASE.len())
            .expect("version");
        tx.execute_batch(
            "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                                  created_at, confirmed_at, updated_at, waiting_since)
             SELECT '11111-22222', id, 'email', 'old@example.com', 'Made by the last release',
                    'open', 'en', 1700000000, 1700000000, 1700000000, 1700000000
             FROM departments ORDER BY id LIMIT 1;
             INSERT INTO messages (ticket_id, author, body, created_at)
             SELECT id, 'customer', 'Still here after the upgrade', 1700000000 FROM tickets;",
        )
        .expect("a ticket");
        tx.commit().expect("commit");
    }

    let app = TestApp::start(data.path(), &Setup::default()).await;
    let version = app.count("SELECT user_version FROM pragma_user_version");
    assert!(
        version > PREVIOUS_RELEASE.len() as i64,
        "migrated to {version}"
    );
    let admin = console_kit::admin(&app).await;
    let ticket: Value = expect_status(
        app.get(&admin, "/console/tickets/11111-22222").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ticket["subject"], "Made by the last release");
    assert_eq!(
        ticket["messages"][0]["body"], "Still here after the upgrade",
        "{ticket}"
    );
    let mut app = app;
    app.kill();

    // What an older binary meets: a schema newer than it knows.
    app.db()
        .pragma_update(None, "user_version", version + 1)
        .expect("version");
    let refused = Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env_clear()
        .env("PASOKH_DATA_DIR", data.path())
        .env("PASOKH_LISTEN", "127.0.0.1:0")
        .output()
        .expect("run pasokh");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains(&format!("schema version {}", version + 1))
            && said.contains("newer than this binary knows"),
        "{said}"
    );
}
