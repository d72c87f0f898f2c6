//! Full-text search over tickets (migration 0006): keeping the `ticket_search`
//! index in step with the tables, turning what an agent typed into a safe
//! FTS5 query, and cutting the highlighted passage a result shows.
//!
//! Every write that changes indexed text calls `index_ticket` (or
//! `forget_tickets`) in its own transaction; `drift` rebuilds the index
//! from the tables in memory and counts the differences, for tests.

use rusqlite::{Connection, ToSql, params};
use shared::{
    console::Snippet,
    text::{fold_for_search, highlight, search_terms},
};

use crate::error::Result;

/// The folded text of one ticket, in the index's column order.
fn folded_ticket(conn: &Connection, ticket_id: i64) -> Result<Option<[String; 4]>> {
    let ticket = conn
        .prepare_cached("SELECT subject, email FROM tickets WHERE id = ?1")?
        .query_row([ticket_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        });
    let (subject, email) = match ticket {
        Ok(found) => found,
        Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let (mut messages, mut notes) = (String::new(), String::new());
    let mut statement = conn
        .prepare_cached("SELECT body, internal FROM messages WHERE ticket_id = ?1 ORDER BY id")?;
    let mut rows = statement.query([ticket_id])?;
    while let Some(row) = rows.next()? {
        let body: String = row.get(0)?;
        let into = if row.get::<_, bool>(1)? {
            &mut notes
        } else {
            &mut messages
        };
        into.push_str(&fold_for_search(&body));
        into.push('\n');
    }
    // The department form's answers are the customer's words too.
    messages.push_str(&fold_for_search(&super::forms::search_text(
        conn, ticket_id,
    )?));
    Ok(Some([
        fold_for_search(&subject),
        fold_for_search(&email),
        messages,
        notes,
    ]))
}

/// (Re)writes a ticket's row from its subject, address and messages; a
/// ticket that no longer exists loses its row.
pub fn index_ticket(conn: &Connection, ticket_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM ticket_search WHERE rowid = ?1")?
        .execute([ticket_id])?;
    if let Some([subject, email, messages, notes]) = folded_ticket(conn, ticket_id)? {
        conn.prepare_cached(
            "INSERT INTO ticket_search (rowid, subject, email, messages, notes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![ticket_id, subject, email, messages, notes])?;
    }
    Ok(())
}

/// Re-indexes the tickets of an account (after its address changed).
pub fn index_customer_tickets(conn: &Connection, customer_id: i64) -> Result<()> {
    for id in ids(
        conn,
        "SELECT id FROM tickets WHERE customer_id = ?1",
        customer_id,
    )? {
        index_ticket(conn, id)?;
    }
    Ok(())
}

/// Removes the rows of tickets about to be deleted.
pub fn forget_tickets(conn: &Connection, ids: &[i64]) -> Result<()> {
    let mut statement = conn.prepare_cached("DELETE FROM ticket_search WHERE rowid = ?1")?;
    for id in ids {
        statement.execute([id])?;
    }
    Ok(())
}

fn ids(conn: &Connection, sql: &str, param: i64) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached(sql)?;
    let ids = statement.query_map([param], |row| row.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Indexes the tickets that have no row yet: all of them after migration
/// 0006, and any a tool wrote without going through these functions.
/// Runs at start-up; returns how many it indexed.
pub fn backfill(conn: &Connection) -> Result<usize> {
    let missing = ids(
        conn,
        "SELECT id FROM tickets WHERE id > ?1
           AND id NOT IN (SELECT id FROM ticket_search_docsize)",
        0,
    )?;
    for &id in &missing {
        index_ticket(conn, id)?;
    }
    Ok(missing.len())
}

/// What an agent searched for, made safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    /// A ticket reference, found exactly.
    Reference(String),
    /// Folded words, each a prefix, all required.
    Words(Vec<String>),
}

impl Search {
    /// `None` for an empty query (no search at all).
    pub fn parse(q: Option<&str>) -> Option<Search> {
        let q = q?.trim();
        if q.is_empty() {
            return None;
        }
        let digits: String = fold_for_search(q)
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Search::Reference(format!(
                "{}-{}",
                &digits[..5],
                &digits[5..]
            )));
        }
        Some(Search::Words(search_terms(q)))
    }

    /// The condition on `tickets t` (pushing its parameter); no words at
    /// all (a query of only punctuation) matches nothing.
    pub fn condition(&self, params: &mut Vec<Box<dyn ToSql>>) -> String {
        match self {
            Search::Reference(reference) => {
                params.push(Box::new(reference.clone()));
                format!(" AND t.reference = ?{}", params.len())
            }
            Search::Words(words) if words.is_empty() => " AND 0".to_owned(),
            Search::Words(words) => {
                // Each word quoted (only letters and digits survive
                // `search_terms`, so no quote to escape) and a prefix.
                let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
                params.push(Box::new(query.join(" ")));
                format!(
                    " AND t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?{})",
                    params.len()
                )
            }
        }
    }

    /// Where a result's words are: its subject, else its newest message or
    /// note with a hit, else its address.
    pub fn snippet(&self, conn: &Connection, ticket_id: i64) -> Result<Option<Snippet>> {
        let Search::Words(words) = self else {
            return Ok(None);
        };
        let (subject, email): (String, String) = conn
            .prepare_cached("SELECT subject, email FROM tickets WHERE id = ?1")?
            .query_row([ticket_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        if let Some(parts) = highlight(&subject, words) {
            return Ok(Some(Snippet { parts, note: false }));
        }
        let mut statement = conn.prepare_cached(
            "SELECT body, internal FROM messages WHERE ticket_id = ?1 ORDER BY id DESC",
        )?;
        let mut rows = statement.query([ticket_id])?;
        while let Some(row) = rows.next()? {
            if let Some(parts) = highlight(&row.get::<_, String>(0)?, words) {
                return Ok(Some(Snippet {
                    parts,
                    note: row.get(1)?,
                }));
            }
        }
        Ok(highlight(&email, words).map(|parts| Snippet { parts, note: false }))
    }
}

/// How many indexed words differ between the index and one rebuilt from
/// the tables now (0 when they agree). For tests and checks; writes only
/// to temporary tables.
pub fn drift(conn: &Connection) -> Result<i64> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.search_expected;
         DROP TABLE IF EXISTS temp.search_expected_words;
         DROP TABLE IF EXISTS temp.search_actual_words;
         CREATE VIRTUAL TABLE temp.search_expected USING fts5(
             subject, email, messages, notes, tokenize = 'unicode61 remove_diacritics 2');
         CREATE VIRTUAL TABLE temp.search_expected_words
             USING fts5vocab(temp, search_expected, instance);
         CREATE VIRTUAL TABLE temp.search_actual_words
             USING fts5vocab(main, ticket_search, instance);",
    )?;
    for id in ids(conn, "SELECT id FROM tickets WHERE id > ?1", 0)? {
        if let Some([subject, email, messages, notes]) = folded_ticket(conn, id)? {
            conn.execute(
                "INSERT INTO temp.search_expected (rowid, subject, email, messages, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, subject, email, messages, notes],
            )?;
        }
    }
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM (SELECT * FROM temp.search_actual_words
                                       EXCEPT SELECT * FROM temp.search_expected_words))
              + (SELECT count(*) FROM (SELECT * FROM temp.search_expected_words
                                       EXCEPT SELECT * FROM temp.search_actual_words))",
        [],
        |row| row.get(0),
    )?)
}
