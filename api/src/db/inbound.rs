//! What replies by email keep in the database: the key that signs reply
//! addresses, the Message-IDs of the mail we sent (to find a reply's ticket)
//! and the marks of a message that came in by email.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{error::Result, secrets};

const REPLY_KEY: &str = "reply_key";

/// The HMAC key of reply addresses, made on first use. Two instances racing
/// to make it keep the first one written (`INSERT OR IGNORE`, then read).
pub fn reply_key(conn: &Connection) -> Result<Vec<u8>> {
    let fresh: String = secrets::random_bytes::<32>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    conn.prepare_cached("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)")?
        .execute(params![REPLY_KEY, fresh])?;
    let hex: String = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([REPLY_KEY], |row| row.get(0))?;
    Ok((0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect())
}

/// The ticket a mail we sent belongs to, by our Message-ID's local part.
pub fn ticket_of_sent(conn: &Connection, message_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT ticket_id FROM outbox WHERE message_id = ?1")?
        .query_row([message_id], |row| row.get(0))
        .optional()?
        .flatten())
}

/// The ids the next mail of a ticket answers: the first mail of the ticket
/// (the thread's root) and the latest one, both before `before` (outbox id).
pub fn thread_of(
    conn: &Connection,
    ticket_id: i64,
    before: i64,
) -> Result<(Option<String>, Option<String>)> {
    let pick = |order: &str| -> Result<Option<String>> {
        let sql = format!(
            "SELECT message_id FROM outbox
             WHERE ticket_id = ?1 AND id < ?2 AND message_id IS NOT NULL ORDER BY id {order} LIMIT 1"
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(params![ticket_id, before], |row| row.get(0))
            .optional()?)
    };
    Ok((pick("ASC")?, pick("DESC")?))
}

/// Whether an email with this Message-ID was already posted to the ticket.
pub fn already_posted(conn: &Connection, ticket_id: i64, message_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM messages WHERE ticket_id = ?1 AND email_message_id = ?2")?
        .query_row(params![ticket_id, message_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The ticket an email with this Message-ID from this address opened, if
/// one did: an MTA's redelivery opens no second ticket.
pub fn opened_from(conn: &Connection, email: &str, message_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT t.reference FROM messages m JOIN tickets t ON t.id = m.ticket_id
             WHERE m.email_message_id = ?2 AND t.email = ?1 LIMIT 1",
        )?
        .query_row(params![email, message_id], |row| row.get(0))
        .optional()?)
}

/// Marks a message as having come by email, with the whole text as it came.
pub fn mark_email(
    conn: &Connection,
    message: i64,
    original: &str,
    message_id: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE messages SET via_email = 1, email_original = ?2, email_message_id = ?3 WHERE id = ?1",
    )?
    .execute(params![message, original, message_id])?;
    Ok(())
}

/// An email that was not posted (an auto-reply, a bounce), in the ticket's
/// history with what it was.
pub fn record_ignored(conn: &Connection, ticket_id: i64, why: &str, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, kind, actor, detail, created_at)
         VALUES (?1, 'email_ignored', 'system', ?2, ?3)",
    )?
    .execute(params![ticket_id, why, now])?;
    Ok(())
}
