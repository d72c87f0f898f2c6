//! Auto-close: an answered ticket nobody touched for the configured number
//! of days (the customer did not write back, staff changed nothing) closes
//! by itself. The setting lives in `settings`, so an admin changes it
//! without a restart; the job closes a batch per write transaction.

use rusqlite::{Connection, OptionalExtension, params};
use shared::{api::Status, limits::AUTO_CLOSE_DAYS_DEFAULT};

use super::tickets::{self, Ticket};
use crate::error::Result;

/// Tickets closed per write transaction: small enough that other writers
/// wait milliseconds, not seconds, when a large backlog closes at once.
pub const BATCH: usize = 200;

const DAY: i64 = 24 * 60 * 60;

/// Days an answered ticket waits for the customer (0: never closes).
pub fn days(conn: &Connection) -> Result<u16> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'auto_close_days'")?
        .query_row([], |row| row.get::<_, String>(0))
        .optional()?
        .and_then(|value| value.parse().ok())
        .unwrap_or(AUTO_CLOSE_DAYS_DEFAULT))
}

pub fn set_days(conn: &Connection, days: u16) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES ('auto_close_days', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([days.to_string()])?;
    Ok(())
}

/// Closes up to `BATCH` answered tickets last changed `days` or more before
/// `now`, oldest first, each with an `auto_closed` event; `closed` runs for
/// each in the same transaction, with the days setting (it queues the
/// mail). Returns how many closed: a full batch means more may be waiting.
pub fn close_batch(
    conn: &Connection,
    now: i64,
    mut closed: impl FnMut(&Connection, &Ticket, u16) -> Result<()>,
) -> Result<usize> {
    let days = days(conn)?;
    if days == 0 {
        return Ok(0);
    }
    // A range of `tickets_activity` (status, updated_at, id), in its order.
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM tickets WHERE status = 'answered' AND updated_at <= ?1
             ORDER BY updated_at, id LIMIT ?2",
        )?
        .query_map(params![now - i64::from(days) * DAY, BATCH as i64], |row| {
            row.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    for &id in &ids {
        tickets::set_status(conn, id, Status::Closed, "auto_closed", "system", now)?;
        if let Some(ticket) = tickets::by_id(conn, id)? {
            closed(conn, &ticket, days)?;
        }
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use shared::{api::Status, i18n::Lang};

    use super::*;
    use crate::db::tickets::NewTicket;

    const T0: i64 = 1_800_000_000;

    fn database() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = Connection::open(dir.path().join("test.db")).expect("open");
        super::super::migrate::run(&mut conn).expect("migrate");
        (dir, conn)
    }

    /// A ticket answered at `at`.
    fn answered(conn: &Connection, at: i64) -> i64 {
        let ticket = tickets::insert(
            conn,
            &NewTicket {
                department_id: 1,
                email: "a@example.com",
                subject: "Card",
                lang: Lang::En,
                resend_key_hash: b"k",
                customer_id: None,
                now: at,
            },
        )
        .expect("insert");
        tickets::set_status(conn, ticket.id, Status::Answered, "answered", "staff", at)
            .expect("answer");
        ticket.id
    }

    fn status(conn: &Connection, id: i64) -> Status {
        tickets::by_id(conn, id)
            .expect("read")
            .expect("ticket")
            .status
    }

    fn run(conn: &Connection, now: i64) -> Vec<i64> {
        let mut mailed = Vec::new();
        close_batch(conn, now, |_, ticket, _| {
            mailed.push(ticket.id);
            Ok(())
        })
        .expect("close");
        mailed
    }

    #[test]
    fn closes_after_the_configured_days_and_not_before() {
        let (_dir, conn) = database();
        let old = answered(&conn, T0);
        let recent = answered(&conn, T0 + DAY);
        assert!(run(&conn, T0 + 7 * DAY - 1).is_empty(), "not yet 7 days");
        assert_eq!(run(&conn, T0 + 7 * DAY), [old]);
        assert_eq!(status(&conn, old), Status::Closed);
        assert_eq!(status(&conn, recent), Status::Answered);
        let event: (String, String) = conn
            .query_row(
                "SELECT kind, actor FROM ticket_events WHERE ticket_id = ?1 ORDER BY id DESC",
                [old],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("event");
        assert_eq!(event, ("auto_closed".to_owned(), "system".to_owned()));
        assert!(run(&conn, T0 + 7 * DAY).is_empty(), "closed once");
    }

    #[test]
    fn a_customer_reply_keeps_the_ticket_open() {
        let (_dir, conn) = database();
        let id = answered(&conn, T0);
        tickets::set_status(
            &conn,
            id,
            Status::Open,
            "customer_replied",
            "customer",
            T0 + 1,
        )
        .expect("reply");
        assert!(run(&conn, T0 + 30 * DAY).is_empty());
        assert_eq!(status(&conn, id), Status::Open);
    }

    #[test]
    fn the_setting_is_read_at_each_run() {
        let (_dir, conn) = database();
        let id = answered(&conn, T0);
        set_days(&conn, 0).expect("off");
        assert!(run(&conn, T0 + 300 * DAY).is_empty(), "0 turns it off");
        set_days(&conn, 2).expect("two days");
        assert!(run(&conn, T0 + 2 * DAY - 1).is_empty());
        assert_eq!(run(&conn, T0 + 2 * DAY), [id]);
    }

    #[test]
    fn batches_are_bounded_and_the_index_serves_them() {
        let (_dir, conn) = database();
        for _ in 0..BATCH + 3 {
            answered(&conn, T0);
        }
        assert_eq!(run(&conn, T0 + 7 * DAY).len(), BATCH);
        assert_eq!(run(&conn, T0 + 7 * DAY).len(), 3);
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE status = 'answered'
                 AND updated_at <= 1 ORDER BY updated_at, id LIMIT 200",
            )
            .expect("explain")
            .query_map([], |row| row.get(3))
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        // A range of an index in the sort order: no table scan, no sort.
        assert!(plan[0].starts_with("SEARCH tickets USING"), "{plan:?}");
        assert!(
            plan.iter().all(|row| !row.contains("TEMP B-TREE")),
            "{plan:?}"
        );
    }
}
