//! Staff credentials: one-time tokens (invitations, resets), sessions,
//! second factors and recovery codes, and the desk-wide setting that makes a
//! second factor mandatory. Tokens and codes are stored only as hashes.

use rusqlite::{Connection, OptionalExtension, params};

use super::staff::{Member, by_id};
use crate::{
    error::{Error, Result},
    secrets,
};

/// What a one-time staff token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    /// An admin's invitation: 72 hours.
    Invite,
    /// A password (re)set from the command line or an admin: 24 hours.
    Reset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }

    pub fn ttl_secs(self) -> i64 {
        match self {
            TokenPurpose::Invite => 72 * 3600,
            TokenPurpose::Reset => 24 * 3600,
        }
    }
}

/// Issues a one-time token; earlier unused tokens of the member stop working.
pub fn issue_token(
    conn: &Connection,
    staff_id: i64,
    purpose: TokenPurpose,
    now: i64,
) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "UPDATE staff_tokens SET used_at = ?2 WHERE staff_id = ?1 AND used_at IS NULL",
    )?
    .execute(params![staff_id, now])?;
    conn.prepare_cached(
        "INSERT INTO staff_tokens (hash, staff_id, purpose, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        secrets::hash(&token),
        staff_id,
        purpose.as_str(),
        now,
        now + purpose.ttl_secs()
    ])?;
    Ok(token)
}

/// The member a token is for, if it can still be used; otherwise why not.
pub fn token_owner(conn: &Connection, token: &str, now: i64) -> Result<i64> {
    let found: Option<(i64, i64, Option<i64>)> = conn
        .prepare_cached("SELECT staff_id, expires_at, used_at FROM staff_tokens WHERE hash = ?1")?
        .query_row([secrets::hash(token.trim())], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    match found {
        None => Err(Error::LinkInvalid),
        Some((_, _, Some(_))) => Err(Error::LinkUsed),
        Some((_, expires, None)) if expires <= now => Err(Error::LinkExpired),
        Some((staff_id, _, None)) => Ok(staff_id),
    }
}

/// Uses up a token: the member it was for, or why not.
pub fn redeem_token(conn: &Connection, token: &str, now: i64) -> Result<i64> {
    let staff_id = token_owner(conn, token, now)?;
    conn.prepare_cached("UPDATE staff_tokens SET used_at = ?2 WHERE hash = ?1")?
        .execute(params![secrets::hash(token.trim()), now])?;
    Ok(staff_id)
}

/// Starts a session; returns the token for the cookie.
pub fn create_session(conn: &Connection, staff_id: i64, now: i64) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "INSERT INTO staff_sessions (hash, staff_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![secrets::hash(&token), staff_id, now])?;
    Ok(token)
}

/// The active member whose session `token` is, if it has been used within
/// `idle_secs` and started within `lifetime_secs`; with when it was last used.
pub fn session(
    conn: &Connection,
    token: &str,
    now: i64,
    idle_secs: i64,
    lifetime_secs: i64,
) -> Result<Option<(Member, i64)>> {
    let found: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT s.staff_id, s.last_seen_at FROM staff_sessions s JOIN staff m ON m.id = s.staff_id
             WHERE s.hash = ?1 AND m.active = 1 AND s.last_seen_at > ?2 AND s.created_at > ?3",
        )?
        .query_row(
            params![secrets::hash(token), now - idle_secs, now - lifetime_secs],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((staff_id, last_seen)) = found else {
        return Ok(None);
    };
    Ok(by_id(conn, staff_id)?.map(|member| (member, last_seen)))
}

pub fn touch_session(conn: &Connection, token: &str, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE staff_sessions SET last_seen_at = ?2 WHERE hash = ?1")?
        .execute(params![secrets::hash(token), now])?;
    Ok(())
}

pub fn end_session(conn: &Connection, token: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM staff_sessions WHERE hash = ?1")?
        .execute([secrets::hash(token)])?;
    Ok(())
}

pub fn end_all_sessions(conn: &Connection, staff_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM staff_sessions WHERE staff_id = ?1")?
        .execute([staff_id])?;
    Ok(())
}

/// Keeps a secret being enrolled until its first code confirms it.
pub fn set_totp_pending(conn: &Connection, staff_id: i64, secret: &[u8]) -> Result<()> {
    conn.prepare_cached("UPDATE staff SET totp_pending = ?2 WHERE id = ?1")?
        .execute(params![staff_id, secret])?;
    Ok(())
}

/// The pending secret becomes the second factor; `step` is the code's step.
pub fn confirm_totp(conn: &Connection, staff_id: i64, step: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE staff SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ?2
         WHERE id = ?1 AND totp_pending IS NOT NULL",
    )?
    .execute(params![staff_id, step])?;
    Ok(())
}

pub fn set_totp_last_step(conn: &Connection, staff_id: i64, step: i64) -> Result<()> {
    conn.prepare_cached("UPDATE staff SET totp_last_step = ?2 WHERE id = ?1")?
        .execute(params![staff_id, step])?;
    Ok(())
}

pub fn disable_totp(conn: &Connection, staff_id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE staff SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = ?1",
    )?
    .execute([staff_id])?;
    conn.prepare_cached("DELETE FROM recovery_codes WHERE staff_id = ?1")?
        .execute([staff_id])?;
    Ok(())
}

pub fn replace_recovery_codes(conn: &Connection, staff_id: i64, hashes: &[Vec<u8>]) -> Result<()> {
    conn.prepare_cached("DELETE FROM recovery_codes WHERE staff_id = ?1")?
        .execute([staff_id])?;
    for hash in hashes {
        conn.prepare_cached("INSERT INTO recovery_codes (staff_id, hash) VALUES (?1, ?2)")?
            .execute(params![staff_id, hash])?;
    }
    Ok(())
}

/// Uses up a recovery code; false if it is unknown or was used.
pub fn use_recovery_code(conn: &Connection, staff_id: i64, hash: &[u8], now: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE recovery_codes SET used_at = ?3 WHERE staff_id = ?1 AND hash = ?2 AND used_at IS NULL",
        )?
        .execute(params![staff_id, hash, now])?
        == 1)
}

/// Whether every staff member must have a second factor.
pub fn require_totp(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'require_totp'")?
        .query_row([], |row| row.get::<_, String>(0))
        .optional()?
        .is_some_and(|value| value == "1"))
}

pub fn set_require_totp(conn: &Connection, required: bool) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES ('require_totp', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([if required { "1" } else { "0" }])?;
    Ok(())
}
