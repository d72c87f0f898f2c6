//! Uploaded files: stored under random names, claimed by the message that
//! sends them.

use rusqlite::{Connection, OptionalExtension, params};
use shared::{
    api::AttachmentView,
    limits::AttachmentLimits,
    validate::{Field, FieldError, Problem},
};

use crate::error::{Error, Result};

/// An upload's row.
#[derive(Clone, Debug)]
pub struct StoredUpload {
    pub id: String,
    pub stored_name: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
}

pub fn insert(conn: &Connection, upload: &StoredUpload, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO uploads (id, stored_name, file_name, content_type, size, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        upload.id,
        upload.stored_name,
        upload.file_name,
        upload.content_type,
        upload.size as i64,
        now
    ])?;
    Ok(())
}

/// Attaches unclaimed uploads to a message, checking the count and the total
/// size against `limits`. An id that is unknown or already claimed (someone
/// else's file) is a validation error, as is any limit exceeded.
pub fn claim(
    conn: &Connection,
    ids: &[String],
    ticket_id: i64,
    message_id: i64,
    limits: &AttachmentLimits,
) -> Result<()> {
    let problem = |problem| {
        vec![FieldError {
            field: Field::Attachments,
            problem,
        }]
    };
    if ids.len() > limits.max_files {
        return Err(Error::Validation(problem(Problem::TooManyFiles {
            max: limits.max_files,
        })));
    }
    let mut total = 0u64;
    let mut statement = conn.prepare_cached(
        "UPDATE uploads SET ticket_id = ?2, message_id = ?3
         WHERE id = ?1 AND ticket_id IS NULL RETURNING size",
    )?;
    for id in ids {
        let size: Option<i64> = statement
            .query_row(params![id, ticket_id, message_id], |row| row.get(0))
            .optional()?;
        total += size.ok_or_else(|| Error::Validation(problem(Problem::Invalid)))? as u64;
    }
    if total > limits.max_total_bytes {
        return Err(Error::TooLarge(problem(Problem::TotalTooLarge {
            max: limits.max_total_bytes,
        })));
    }
    Ok(())
}

/// The files of one message, in upload order.
pub fn for_message(conn: &Connection, message_id: i64) -> Result<Vec<AttachmentView>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, file_name, size, content_type FROM uploads
         WHERE message_id = ?1 ORDER BY created_at, rowid",
    )?;
    let rows = statement.query_map([message_id], |row| {
        Ok(AttachmentView {
            id: row.get(0)?,
            name: row.get(1)?,
            size: row.get::<_, i64>(2)? as u64,
            content_type: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who is downloading: a customer never gets a file attached to an
/// internal note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Customer,
    Staff,
}

/// A file attached to this ticket (never one of another ticket's).
pub fn in_ticket(
    conn: &Connection,
    ticket_id: i64,
    id: &str,
    viewer: Viewer,
) -> Result<Option<StoredUpload>> {
    Ok(conn
        .prepare_cached(
            "SELECT u.id, u.stored_name, u.file_name, u.content_type, u.size FROM uploads u
             JOIN messages m ON m.id = u.message_id
             WHERE u.id = ?1 AND u.ticket_id = ?2 AND (?3 OR m.internal = 0)",
        )?
        .query_row(params![id, ticket_id, viewer == Viewer::Staff], |row| {
            Ok(StoredUpload {
                id: row.get(0)?,
                stored_name: row.get(1)?,
                file_name: row.get(2)?,
                content_type: row.get(3)?,
                size: row.get::<_, i64>(4)? as u64,
            })
        })
        .optional()?)
}
