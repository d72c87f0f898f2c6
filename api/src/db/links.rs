//! Emailed one-time links and the guest sessions they open.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{error::Result, secrets};

/// How long an emailed link works.
pub const LINK_TTL_SECS: i64 = 24 * 60 * 60;
/// How long a browser keeps access to a ticket after opening a link.
pub const ACCESS_TTL_SECS: i64 = 30 * 24 * 60 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Confirms an unconfirmed ticket, then opens it.
    Confirm,
    /// Opens a confirmed ticket ("find my ticket").
    Access,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Access => "access",
        }
    }
}

/// Creates a link token for a ticket; returns the token to put in the email.
pub fn issue(conn: &Connection, ticket_id: i64, purpose: Purpose, now: i64) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "INSERT INTO link_tokens (hash, ticket_id, purpose, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        secrets::hash(&token),
        ticket_id,
        purpose.as_str(),
        now,
        now + LINK_TTL_SECS
    ])?;
    Ok(token)
}

/// What redeeming a token found.
#[derive(Debug, PartialEq, Eq)]
pub enum Redeemed {
    Valid { ticket_id: i64, purpose: Purpose },
    Used { ticket_id: i64 },
    Expired,
    Unknown,
}

/// Uses up a token. A token works once, and only within its 24 hours.
pub fn redeem(conn: &Connection, token: &str, now: i64) -> Result<Redeemed> {
    let hash = secrets::hash(token);
    let found: Option<(Option<i64>, String, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT ticket_id, purpose, expires_at, used_at FROM link_tokens WHERE hash = ?1",
        )?
        .query_row([&hash], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    let Some((ticket_id, purpose, expires_at, used_at)) = found else {
        return Ok(Redeemed::Unknown);
    };
    // A purged ticket's link reads as expired: that is what happened to it.
    let Some(ticket_id) = ticket_id.filter(|_| expires_at > now) else {
        return Ok(Redeemed::Expired);
    };
    if used_at.is_some() {
        return Ok(Redeemed::Used { ticket_id });
    }
    conn.prepare_cached("UPDATE link_tokens SET used_at = ?2 WHERE hash = ?1")?
        .execute(params![hash, now])?;
    let purpose = if purpose == "confirm" {
        Purpose::Confirm
    } else {
        Purpose::Access
    };
    Ok(Redeemed::Valid { ticket_id, purpose })
}

/// Lets the guest session `session` open `ticket_id` for 30 days.
pub fn grant(conn: &Connection, session: &str, ticket_id: i64, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO guest_access (session_hash, ticket_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (session_hash, ticket_id) DO UPDATE SET expires_at = excluded.expires_at",
    )?
    .execute(params![
        secrets::hash(session),
        ticket_id,
        now,
        now + ACCESS_TTL_SECS
    ])?;
    Ok(())
}

/// Hands every ticket of the session `from` over to the session `to`.
pub fn move_grants(conn: &Connection, from: &str, to: &str) -> Result<()> {
    let (from, to) = (secrets::hash(from), secrets::hash(to));
    conn.prepare_cached(
        "UPDATE OR IGNORE guest_access SET session_hash = ?2 WHERE session_hash = ?1",
    )?
    .execute(params![from, to])?;
    conn.prepare_cached("DELETE FROM guest_access WHERE session_hash = ?1")?
        .execute([from])?;
    Ok(())
}

/// Whether the guest session `session` may open `ticket_id`.
pub fn has_access(conn: &Connection, session: &str, ticket_id: i64, now: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM guest_access WHERE session_hash = ?1 AND ticket_id = ?2 AND expires_at > ?3",
        )?
        .query_row(params![secrets::hash(session), ticket_id, now], |_| Ok(()))
        .optional()?
        .is_some())
}
