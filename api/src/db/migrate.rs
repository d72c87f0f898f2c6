//! Schema migrations: SQL files embedded at compile time and applied in
//! order at start-up, all pending ones in one transaction, tracked by
//! `PRAGMA user_version`. A database newer than the binary is refused.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// In order; a migration is never edited once released, only added.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_tickets",
        include_str!("../../migrations/0001_tickets.sql"),
    ),
    (
        "0002_department_translations",
        include_str!("../../migrations/0002_department_translations.sql"),
    ),
    (
        "0003_outbox_failures",
        include_str!("../../migrations/0003_outbox_failures.sql"),
    ),
    (
        "0004_staff",
        include_str!("../../migrations/0004_staff.sql"),
    ),
    (
        "0005_accounts",
        include_str!("../../migrations/0005_accounts.sql"),
    ),
    (
        "0006_search",
        include_str!("../../migrations/0006_search.sql"),
    ),
    (
        "0007_canned_replies",
        include_str!("../../migrations/0007_canned_replies.sql"),
    ),
    (
        "0008_queue_scale",
        include_str!("../../migrations/0008_queue_scale.sql"),
    ),
    (
        "0009_department_forms",
        include_str!("../../migrations/0009_department_forms.sql"),
    ),
    (
        "0010_satisfaction",
        include_str!("../../migrations/0010_satisfaction.sql"),
    ),
    (
        "0011_inbound_mail",
        include_str!("../../migrations/0011_inbound_mail.sql"),
    ),
    ("0012_imap", include_str!("../../migrations/0012_imap.sql")),
    (
        "0013_department_mail",
        include_str!("../../migrations/0013_department_mail.sql"),
    ),
];

/// The schema version a database has once every migration ran.
pub const KNOWN: usize = MIGRATIONS.len();

pub fn run(conn: &mut Connection) -> Result<()> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(Error::internal(format!(
            "the database is at schema version {current}, newer than this binary knows ({}): run a newer pasokh",
            MIGRATIONS.len()
        )));
    }
    let tx = conn.transaction()?;
    for (name, sql) in &MIGRATIONS[current..] {
        tx.execute_batch(sql)
            .map_err(|e| Error::internal(format!("migration {name} failed: {e}")))?;
        tracing::info!(migration = name, "schema migrated");
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len())?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_seed_departments() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("test.db");
        for _ in 0..2 {
            let mut conn = Connection::open(&path).expect("open");
            run(&mut conn).expect("migrate");
            let count: i64 = conn
                .query_row("SELECT count(*) FROM departments", [], |r| r.get(0))
                .expect("count");
            assert_eq!(count, 4, "seeded once, not twice");
        }
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = Connection::open(dir.path().join("test.db")).expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("set version");
        let error = run(&mut conn).expect_err("refused");
        assert!(format!("{error:?}").contains("newer than this binary"));
    }
}
