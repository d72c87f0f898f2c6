//! What each department lets happen by email (migration 0013): its staff
//! answering from their mail client, and unmatched mail opening tickets.

use rusqlite::{Connection, OptionalExtension, params};
use shared::console::DepartmentMail;

use crate::error::Result;

/// A department's settings, `None` when no department has that slug.
pub fn get(conn: &Connection, slug: &str) -> Result<Option<DepartmentMail>> {
    Ok(conn
        .prepare_cached(
            "SELECT agents_reply_by_email, tickets_by_email FROM departments WHERE slug = ?1",
        )?
        .query_row([slug], |row| {
            Ok(DepartmentMail {
                agents_reply: row.get(0)?,
                new_tickets: row.get(1)?,
                address: String::new(),
            })
        })
        .optional()?)
}

/// Stores a department's settings; `false` when no department has that slug.
pub fn set(conn: &Connection, slug: &str, settings: &DepartmentMail) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE departments SET agents_reply_by_email = ?2, tickets_by_email = ?3 WHERE slug = ?1",
        )?
        .execute(params![slug, settings.agents_reply, settings.new_tickets])?;
    Ok(changed == 1)
}

/// Whether the department with this id lets its staff answer by email.
pub fn agents_reply(conn: &Connection, department_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT agents_reply_by_email FROM departments WHERE id = ?1")?
        .query_row([department_id], |row| row.get(0))
        .optional()?
        .unwrap_or(false))
}

/// Whether a department has this slug (a `<local>+<slug>` address is then
/// the department's, not a mangled reply address).
pub fn exists(conn: &Connection, slug: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM departments WHERE slug = ?1")?
        .query_row([slug], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The department a new ticket by email goes to: the one named by `slug`
/// (the `+slug` address) if it is offered and takes mail, or for the plain
/// desk address (`None`) the first offered department, in the customers'
/// order, that takes mail. Its slug, or `None` when mail opens nothing.
pub fn for_new_ticket(conn: &Connection, slug: Option<&str>) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT slug FROM departments
             WHERE tickets_by_email = 1 AND active = 1 AND (?1 IS NULL OR slug = ?1)
             ORDER BY position, id LIMIT 1",
        )?
        .query_row([slug], |row| row.get(0))
        .optional()?)
}
