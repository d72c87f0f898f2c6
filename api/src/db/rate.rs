//! Sliding-window rate limits kept in the database, so that they hold across
//! restarts and across several server instances.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// A limit: at most `max` events per `window_secs` for one key.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

impl Limit {
    /// At most `max` events in any hour.
    pub const fn per_hour(max: i64) -> Limit {
        Limit {
            max,
            window_secs: 3600,
        }
    }
}

/// Counts one event for `key`, or refuses with `RateLimited` (and counts
/// nothing) when the window is full.
pub fn hit(conn: &Connection, key: &str, limit: Limit, now: i64) -> Result<()> {
    match count(conn, key, limit, now)? {
        None => Ok(()),
        Some(retry_after) => Err(Error::RateLimited {
            retry_after_secs: retry_after.max(1) as u64,
        }),
    }
}

/// Counts one event for `key` and returns true, or returns false (and counts
/// nothing) when the window is full: for callers that must not tell the
/// client that a limit was reached.
pub fn take(conn: &Connection, key: &str, limit: Limit, now: i64) -> Result<bool> {
    Ok(count(conn, key, limit, now)?.is_none())
}

/// Counts the event if the window has room (`None`); otherwise returns the
/// seconds until it has.
fn count(conn: &Connection, key: &str, limit: Limit, now: i64) -> Result<Option<i64>> {
    let since = now - limit.window_secs;
    let (count, oldest): (i64, Option<i64>) = conn
        .prepare_cached("SELECT count(*), min(at) FROM rate_events WHERE key = ?1 AND at > ?2")?
        .query_row(params![key, since], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .unwrap_or((0, None));
    if count >= limit.max {
        crate::ops::metrics::metrics().rate_limited.inc();
        return Ok(Some(
            oldest.map_or(limit.window_secs, |t| t + limit.window_secs - now),
        ));
    }
    conn.prepare_cached("INSERT INTO rate_events (key, at) VALUES (?1, ?2)")?
        .execute(params![key, now])?;
    Ok(None)
}
