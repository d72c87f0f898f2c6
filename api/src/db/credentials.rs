//! Staff second factors and recovery codes (stored only as hashes), and the
//! desk-wide setting that makes a second factor mandatory. Sessions and
//! one-time tokens, which customers have too, are in `db::auth`.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

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
