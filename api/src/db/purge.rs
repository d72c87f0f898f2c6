//! Deleting what must not be kept: tickets never confirmed within 24 hours
//! (with their files), uploads never attached, and spent tokens, sessions,
//! rate-limit events and sent mail past their use.

use rusqlite::{Connection, params};

use crate::error::Result;

/// Deletes expired rows; returns the stored names of files to delete. The
/// caller deletes the files after the commit, so a crash in between leaves an
/// orphan file, never a row pointing at nothing.
pub fn expired(conn: &Connection, now: i64) -> Result<Vec<String>> {
    const DAY: i64 = 24 * 60 * 60;
    let cutoff = now - DAY;
    let mut files = Vec::new();
    {
        let mut statement = conn.prepare_cached(
            "SELECT u.stored_name FROM uploads u
             WHERE u.ticket_id IS NULL AND u.created_at <= ?1
                OR u.ticket_id IN (SELECT id FROM tickets
                                   WHERE status = 'awaiting_confirmation' AND created_at <= ?1)",
        )?;
        for name in statement.query_map([cutoff], |row| row.get::<_, String>(0))? {
            files.push(name?);
        }
    }
    let doomed: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM tickets WHERE status = 'awaiting_confirmation' AND created_at <= ?1",
        )?
        .query_map([cutoff], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    super::search::forget_tickets(conn, &doomed)?;
    let tickets = conn
        .prepare_cached(
            "DELETE FROM tickets WHERE status = 'awaiting_confirmation' AND created_at <= ?1",
        )?
        .execute([cutoff])?;
    conn.prepare_cached("DELETE FROM uploads WHERE ticket_id IS NULL AND created_at <= ?1")?
        .execute([cutoff])?;
    conn.prepare_cached("DELETE FROM link_tokens WHERE expires_at <= ?1")?
        .execute([now - 7 * DAY])?;
    conn.prepare_cached("DELETE FROM guest_access WHERE expires_at <= ?1")?
        .execute([now])?;
    conn.prepare_cached("DELETE FROM rate_events WHERE at <= ?1")?
        .execute([cutoff])?;
    conn.prepare_cached("DELETE FROM outbox WHERE coalesce(sent_at, failed_at) <= ?1")?
        .execute(params![now - 30 * DAY])?;
    // Sessions and tokens that can never be used again; stale heartbeats.
    super::auth::purge(conn, now)?;
    super::customers::purge_unverified(conn, now)?;
    conn.prepare_cached("DELETE FROM presence WHERE seen_at <= ?1")?
        .execute([now - 60])?;
    if tickets > 0 || !files.is_empty() {
        tracing::info!(
            tickets,
            files = files.len(),
            "purged unconfirmed tickets and stale uploads"
        );
    }
    Ok(files)
}
