//! Canned replies: the shared ones (no owner) and each member's own, with
//! their bodies per language. Who may see or change which is decided by
//! the handlers in `routes/console/canned.rs`; here is only the storing.

use rusqlite::{Connection, OptionalExtension, params};
use shared::{
    console::{CannedVariant, canned::ValidCanned},
    i18n::Lang,
};

use crate::error::Result;

/// A canned reply as stored.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: i64,
    /// `None`: shared with every member.
    pub owner_id: Option<i64>,
    pub title: String,
    pub variants: Vec<CannedVariant>,
    pub updated_at: i64,
}

/// The shared replies and `member_id`'s own, by title.
pub fn visible(conn: &Connection, member_id: i64) -> Result<Vec<Stored>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.id, c.owner_id, c.title, c.updated_at, t.lang, t.body
         FROM canned_replies c JOIN canned_reply_texts t ON t.canned_id = c.id
         WHERE c.owner_id IS NULL OR c.owner_id = ?1
         ORDER BY c.title COLLATE NOCASE, c.id, t.lang",
    )?;
    let rows = statement
        .query_map([member_id], |row| {
            Ok((
                Stored {
                    id: row.get(0)?,
                    owner_id: row.get(1)?,
                    title: row.get(2)?,
                    variants: Vec::new(),
                    updated_at: row.get(3)?,
                },
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut list: Vec<Stored> = Vec::new();
    for (reply, lang, body) in rows {
        if list.last().is_none_or(|last| last.id != reply.id) {
            list.push(reply);
        }
        if let (Some(last), Some(lang)) = (list.last_mut(), Lang::from_code(&lang)) {
            last.variants.push(CannedVariant { lang, body });
        }
    }
    Ok(list)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Stored>> {
    let found = conn
        .prepare_cached("SELECT id, owner_id, title, updated_at FROM canned_replies WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(Stored {
                id: row.get(0)?,
                owner_id: row.get(1)?,
                title: row.get(2)?,
                variants: Vec::new(),
                updated_at: row.get(3)?,
            })
        })
        .optional()?;
    let Some(mut reply) = found else {
        return Ok(None);
    };
    let mut statement = conn.prepare_cached(
        "SELECT lang, body FROM canned_reply_texts WHERE canned_id = ?1 ORDER BY lang",
    )?;
    reply.variants = statement
        .query_map([id], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?
        .into_iter()
        .filter_map(|(lang, body)| Lang::from_code(&lang).map(|lang| CannedVariant { lang, body }))
        .collect();
    Ok(Some(reply))
}

/// Stores a new reply (`owner_id` `None`: shared); returns its id.
pub fn insert(
    conn: &Connection,
    owner_id: Option<i64>,
    reply: &ValidCanned,
    now: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO canned_replies (owner_id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![owner_id, reply.title, now])?;
    let id = conn.last_insert_rowid();
    set_texts(conn, id, &reply.variants)?;
    Ok(id)
}

/// New owner (`None`: shared), title and bodies; a language left out is
/// removed.
pub fn update(
    conn: &Connection,
    id: i64,
    owner_id: Option<i64>,
    reply: &ValidCanned,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE canned_replies SET owner_id = ?2, title = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, owner_id, reply.title, now])?;
    conn.prepare_cached("DELETE FROM canned_reply_texts WHERE canned_id = ?1")?
        .execute([id])?;
    set_texts(conn, id, &reply.variants)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM canned_replies WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

fn set_texts(conn: &Connection, id: i64, variants: &[CannedVariant]) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO canned_reply_texts (canned_id, lang, body) VALUES (?1, ?2, ?3)",
    )?;
    for variant in variants {
        statement.execute(params![id, variant.lang.code(), variant.body])?;
    }
    Ok(())
}
