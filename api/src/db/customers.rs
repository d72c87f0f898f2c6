//! Customer accounts: who they are, their preferences, and the tickets that
//! belong to them.

use rusqlite::{Connection, OptionalExtension, params};
use shared::i18n::Lang;

use crate::{auth::session::Realm, error::Result};

/// A customer account as the server needs it.
#[derive(Clone, Debug)]
pub struct Customer {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub lang: Lang,
    pub notify_replies: bool,
    pub verified: bool,
}

const COLUMNS: &str = "id, email, name, password_hash, lang, notify_replies, verified_at";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
    let lang: String = row.get(4)?;
    Ok(Customer {
        id: row.get(0)?,
        email: row.get(1)?,
        name: row.get(2)?,
        password_hash: row.get(3)?,
        lang: Lang::from_code(&lang).unwrap_or(Lang::DEFAULT),
        notify_replies: row.get(5)?,
        verified: row.get::<_, Option<i64>>(6)?.is_some(),
    })
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The account of an address (any case).
pub fn by_email(conn: &Connection, email: &str) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE email = ?1"))?
        .query_row([email.trim()], from_row)
        .optional()?)
}

/// A new, unverified account.
pub struct NewCustomer<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub lang: Lang,
    pub now: i64,
}

/// Creates an unverified account, or, if the address has an unverified
/// one already, starts it over with these details: whoever opens the
/// verification link owns the address. Answers the account's id, or `None`
/// if the address has a verified account.
pub fn insert_unverified(conn: &Connection, new: &NewCustomer<'_>) -> Result<Option<i64>> {
    match by_email(conn, new.email)? {
        Some(existing) if existing.verified => Ok(None),
        Some(existing) => {
            conn.prepare_cached(
                "UPDATE customers SET name = ?2, password_hash = ?3, lang = ?4, created_at = ?5
                 WHERE id = ?1",
            )?
            .execute(params![
                existing.id,
                new.name,
                new.password_hash,
                new.lang.code(),
                new.now
            ])?;
            Ok(Some(existing.id))
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO customers (email, name, password_hash, lang, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                new.email,
                new.name,
                new.password_hash,
                new.lang.code(),
                new.now
            ])?;
            Ok(Some(conn.last_insert_rowid()))
        }
    }
}

/// Marks the account's address verified, and brings in the tickets that
/// address opened (and confirmed) by email before: they are the same
/// person's. From now on those open with the account only.
pub fn verify(conn: &Connection, id: i64, now: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET verified_at = coalesce(verified_at, ?2) WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    join_tickets(conn, id)
}

fn join_tickets(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET customer_id = ?1
         WHERE customer_id IS NULL AND status <> 'awaiting_confirmation'
           AND email = (SELECT email FROM customers WHERE id = ?1) COLLATE NOCASE",
    )?
    .execute([id])?;
    Ok(())
}

/// Moves the account to a verified new address. `false` if another account
/// took the address meanwhile.
pub fn change_email(conn: &Connection, id: i64, email: &str) -> Result<bool> {
    // An unverified sign-up holds an address only until its owner proves it.
    conn.prepare_cached("DELETE FROM customers WHERE email = ?1 AND verified_at IS NULL AND id <> ?2")?
        .execute(params![email, id])?;
    let changed = conn
        .prepare_cached(
            "UPDATE OR IGNORE customers SET email = ?2, verified_at = coalesce(verified_at, ?3)
             WHERE id = ?1",
        )?
        .execute(params![id, email, crate::db::now()])?;
    if changed == 0 {
        return Ok(false);
    }
    // The account's own tickets now mail the new address.
    conn.prepare_cached("UPDATE tickets SET email = ?2 WHERE customer_id = ?1")?
        .execute(params![id, email])?;
    join_tickets(conn, id)?;
    Ok(true)
}

/// A new password; every session of the account ends.
pub fn set_password(conn: &Connection, id: i64, hash: &str) -> Result<()> {
    conn.prepare_cached("UPDATE customers SET password_hash = ?2 WHERE id = ?1")?
        .execute(params![id, hash])?;
    super::auth::end_all_sessions(conn, Realm::Customer, id)
}

pub fn update_preferences(
    conn: &Connection,
    id: i64,
    name: &str,
    lang: Lang,
    notify_replies: bool,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET name = ?2, lang = ?3, notify_replies = ?4 WHERE id = ?1",
    )?
    .execute(params![id, name, lang.code(), notify_replies])?;
    Ok(())
}

/// Deletes the account, its sessions and tokens. Its tickets stay with the
/// desk, no longer tied to an account; with `anonymise` their address is
/// replaced by one that names no one.
pub fn delete(conn: &Connection, id: i64, anonymise: bool) -> Result<()> {
    if anonymise {
        conn.prepare_cached(
            "UPDATE tickets SET email = 'deleted-' || id || '@invalid' WHERE customer_id = ?1",
        )?
        .execute([id])?;
    }
    conn.prepare_cached("UPDATE tickets SET customer_id = NULL WHERE customer_id = ?1")?
        .execute([id])?;
    super::auth::end_all_sessions(conn, Realm::Customer, id)?;
    conn.prepare_cached("DELETE FROM account_tokens WHERE realm = 'customer' AND principal_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM customers WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Tickets with an answer the account holder has not opened since.
pub fn unread_count(conn: &Connection, id: i64) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM tickets
             WHERE customer_id = ?1 AND agent_wrote_at > coalesce(customer_seen_at, 0)",
        )?
        .query_row([id], |row| row.get(0))?)
}

/// Drops accounts whose address was never verified, a day after sign-up.
pub fn purge_unverified(conn: &Connection, now: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM account_tokens WHERE realm = 'customer' AND principal_id IN
             (SELECT id FROM customers WHERE verified_at IS NULL AND created_at <= ?1)",
    )?
    .execute([now - 24 * 3600])?;
    conn.prepare_cached("DELETE FROM customers WHERE verified_at IS NULL AND created_at <= ?1")?
        .execute([now - 24 * 3600])?;
    Ok(())
}
