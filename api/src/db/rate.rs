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
    let since = now - limit.window_secs;
    let (count, oldest): (i64, Option<i64>) = conn
        .prepare_cached("SELECT count(*), min(at) FROM rate_events WHERE key = ?1 AND at > ?2")?
        .query_row(params![key, since], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .unwrap_or((0, None));
    if count >= limit.max {
        let retry_after = oldest.map_or(limit.window_secs, |t| t + limit.window_secs - now);
        return Err(Error::RateLimited {
            retry_after_secs: retry_after.max(1) as u64,
        });
    }
    conn.prepare_cached("INSERT INTO rate_events (key, at) VALUES (?1, ?2)")?
        .execute(params![key, now])?;
    Ok(())
}
