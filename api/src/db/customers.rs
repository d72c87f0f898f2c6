//! Customer accounts: who they are, their preferences, and the tickets that
//! belong to them.

use rusqlite::{Connection, OptionalExtension, params};
use shared::{account::MyTicket, api::Status, i18n::Lang};

use crate::{auth::session::Realm, error::Result, secrets};

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
    conn.prepare_cached(
        "DELETE FROM customers WHERE email = ?1 AND verified_at IS NULL AND id <> ?2",
    )?
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
    super::search::index_customer_tickets(conn, id)?;
    join_tickets(conn, id)?;
    Ok(true)
}

/// A new password; every session of the account ends, and so do the links
/// asked for before it (a change of address, a reset): whoever asked with
/// the old password no longer has a way in.
pub fn set_password(conn: &Connection, id: i64, hash: &str) -> Result<()> {
    conn.prepare_cached("UPDATE customers SET password_hash = ?2 WHERE id = ?1")?
        .execute(params![id, hash])?;
    conn.prepare_cached(
        "UPDATE account_tokens SET used_at = ?2
         WHERE realm = 'customer' AND principal_id = ?1 AND used_at IS NULL
           AND purpose IN ('email', 'reset')",
    )?
    .execute(params![id, crate::db::now()])?;
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
        super::search::index_customer_tickets(conn, id)?;
    }
    conn.prepare_cached("UPDATE tickets SET customer_id = NULL WHERE customer_id = ?1")?
        .execute([id])?;
    super::auth::end_all_sessions(conn, Realm::Customer, id)?;
    conn.prepare_cached(
        "DELETE FROM account_tokens WHERE realm = 'customer' AND principal_id = ?1",
    )?
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
             WHERE customer_id = ?1 AND last_answer_id > coalesce(customer_seen_id, 0)",
        )?
        .query_row([id], |row| row.get(0))?)
}

/// Whether the customer session `token` is a "stay signed in" one.
pub fn session_remembered(conn: &Connection, token: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT remember FROM sessions WHERE hash = ?1 AND realm = 'customer'")?
        .query_row([secrets::hash(token)], |row| row.get(0))
        .optional()?
        .unwrap_or(false))
}

/// Where a page of "My tickets" starts: the `(updated_at, id)` of the last
/// line of the page before.
pub type Cursor = (i64, i64);

/// A page of the account's tickets, newest activity first, after the
/// cursor `(updated_at, id)` if any; and the cursor of the next page if
/// there is one. The department is named in `lang` (English if it has no
/// name in it).
pub fn my_tickets(
    conn: &Connection,
    customer_id: i64,
    lang: Lang,
    after: Option<Cursor>,
    page: usize,
) -> Result<(Vec<MyTicket>, Option<Cursor>)> {
    let (before_at, before_id) = after.unwrap_or((i64::MAX, i64::MAX));
    let mut statement = conn.prepare_cached(
        "SELECT t.reference, t.subject, t.status, coalesce(l.name, e.name),
                coalesce(t.last_answer_id > coalesce(t.customer_seen_id, 0), 0),
                t.updated_at, t.id
         FROM tickets t
         JOIN department_texts e ON e.department_id = t.department_id AND e.lang = 'en'
         LEFT JOIN department_texts l ON l.department_id = t.department_id AND l.lang = ?2
         WHERE t.customer_id = ?1
           AND (t.updated_at < ?3 OR (t.updated_at = ?3 AND t.id < ?4))
         ORDER BY t.updated_at DESC, t.id DESC
         LIMIT ?5",
    )?;
    let limit = i64::try_from(page).unwrap_or(i64::MAX).saturating_add(1);
    let rows = statement.query_map(
        params![customer_id, lang.code(), before_at, before_id, limit],
        |row| {
            let status: String = row.get(2)?;
            Ok((
                MyTicket {
                    reference: row.get(0)?,
                    subject: row.get(1)?,
                    status: Status::parse(&status).unwrap_or(Status::Open),
                    department: row.get(3)?,
                    unread: row.get(4)?,
                    updated_at: row.get(5)?,
                },
                row.get::<_, i64>(6)?,
            ))
        },
    )?;
    let mut lines = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let more = lines.len() > page;
    lines.truncate(page);
    let next = lines
        .last()
        .filter(|_| more)
        .map(|(ticket, id)| (ticket.updated_at, *id));
    Ok((lines.into_iter().map(|(ticket, _)| ticket).collect(), next))
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
