//! Full-text search over tickets (migration 0006): keeping the `ticket_search`
//! index in step with the tables, turning what an agent typed into a safe
//! FTS5 query, and cutting the highlighted passage a result shows.
//!
//! Every write that changes indexed text calls `index_ticket` (or
//! `forget_tickets`) in its own transaction; `drift` rebuilds the index
//! from the tables in memory and counts the differences, for tests.

use rusqlite::{Connection, ToSql, params};
use shared::{
    console::{SEARCH_CAP, Snippet},
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

/// Asks for a ticket's row to be (re)written from its subject, address and
/// messages when the writer's transaction ends (`index_pending`, just before
/// its COMMIT), not now; a ticket that no longer exists then loses its row.
///
/// Why not at once: FTS5 writes what it holds in memory out as a new segment
/// at every savepoint, and a batch opens one per job (and SQLite one per
/// statement that fires a trigger, as every change to `tickets` does since
/// migration 0008). Indexing in place wrote a segment per statement: at a
/// million tickets, three and a half times the pages per new ticket. Asked
/// for here, the rows are written once per batch, after the last job. The
/// request sits in a TEMP table, so a job rolled back to its savepoint takes
/// its requests with it.
pub fn index_ticket(conn: &Connection, ticket_id: i64) -> Result<()> {
    conn.prepare_cached(
        "CREATE TEMP TABLE IF NOT EXISTS search_pending (ticket_id INTEGER PRIMARY KEY)",
    )?
    .execute([])?;
    conn.prepare_cached("INSERT OR IGNORE INTO temp.search_pending (ticket_id) VALUES (?1)")?
        .execute([ticket_id])?;
    Ok(())
}

/// Writes the rows `index_ticket` asked for in this transaction; the writer
/// calls it before every COMMIT (a batch whose index cannot be written is
/// not committed).
pub fn index_pending(conn: &Connection) -> Result<usize> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_temp_master WHERE name = 'search_pending'",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(0);
    }
    let pending = ids(
        conn,
        "SELECT ticket_id FROM temp.search_pending WHERE ticket_id > ?1",
        0,
    )?;
    for &id in &pending {
        write_row(conn, id)?;
    }
    conn.prepare_cached("DELETE FROM temp.search_pending")?
        .execute([])?;
    Ok(pending.len())
}

/// (Re)writes a ticket's row now.
fn write_row(conn: &Connection, ticket_id: i64) -> Result<()> {
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
/// Runs at start-up; returns how many it indexed. Every ticket has exactly
/// one row, so equal counts (two index counts, ~40 ms at a million tickets)
/// spare the scan for the missing ones (2 s there).
pub fn backfill(conn: &Connection) -> Result<usize> {
    let (tickets, rows): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM ticket_search_docsize)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if tickets == rows {
        return Ok(0);
    }
    let missing = ids(
        conn,
        "SELECT id FROM tickets WHERE id > ?1
           AND id NOT IN (SELECT id FROM ticket_search_docsize)",
        0,
    )?;
    for &id in &missing {
        write_row(conn, id)?;
    }
    Ok(missing.len())
}

/// Each word quoted (only letters and digits survive `search_terms`, so
/// there is no quote to escape); words of three letters or more are
/// prefixes too. A one- or two-letter prefix would merge the lists of
/// thousands of words for a query nobody means.
fn fts_query(words: &[String]) -> String {
    let terms: Vec<String> = words
        .iter()
        .map(|w| {
            if w.chars().count() >= 3 {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    terms.join(" ")
}

/// Where the rows of a queue query come from (see `Search::source`).
pub struct Source {
    pub from: &'static str,
    pub condition: &'static str,
    /// `?1` of the statement, if it has one.
    pub parameter: Option<String>,
    /// Whether the rows carry `m.rank` (a search for words).
    pub ranked: bool,
    pub capped: bool,
}

impl Source {
    /// Every ticket.
    pub fn all() -> Source {
        Source {
            from: "tickets t",
            condition: "",
            parameter: None,
            ranked: false,
            capped: false,
        }
    }

    /// A statement's parameters, starting with this one's.
    pub fn parameters(&self) -> Vec<Box<dyn ToSql>> {
        self.parameter
            .iter()
            .map(|p| Box::new(p.clone()) as Box<dyn ToSql>)
            .collect()
    }
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

    /// The rows a search looks at: the start of a `FROM` clause naming the
    /// ticket `t` (and for words the match `m`, with `m.rank` its place by
    /// bm25 when `ranked`), a condition on them, their parameter (`?1`) and
    /// whether more tickets matched than are looked at.
    ///
    /// Words look at the newest `SEARCH_CAP` matching tickets only. The
    /// index is asked once per request, here; the ids go to the page and
    /// the counts as a JSON array, and drive the join (`CROSS JOIN` keeps
    /// SQLite from scanning the queue's indexes for them instead), so a
    /// word in a third of all tickets costs little more than a rare one.
    pub fn source(&self, conn: &Connection, ranked: bool) -> Result<Source> {
        let words = match self {
            Search::Reference(reference) => {
                return Ok(Source {
                    from: "tickets t",
                    condition: " AND t.reference = ?1",
                    parameter: Some(reference.clone()),
                    ranked: false,
                    capped: false,
                });
            }
            Search::Words(words) => words,
        };
        let mut found: Vec<(i64, f64)> = Vec::new();
        if !words.is_empty() {
            let rank = if ranked { "rank" } else { "0.0" };
            let mut statement = conn.prepare_cached(&format!(
                "SELECT rowid, {rank} FROM ticket_search WHERE ticket_search MATCH ?1
                 ORDER BY rowid DESC LIMIT {}",
                SEARCH_CAP + 1
            ))?;
            let rows =
                statement.query_map([fts_query(words)], |row| Ok((row.get(0)?, row.get(1)?)))?;
            found = rows.collect::<rusqlite::Result<_>>()?;
        }
        let capped = found.len() > SEARCH_CAP;
        found.truncate(SEARCH_CAP);
        if ranked {
            found.sort_by(|a, b| a.1.total_cmp(&b.1));
        }
        let ids: Vec<String> = found.iter().map(|(id, _)| id.to_string()).collect();
        Ok(Source {
            from: "(SELECT value AS id, key AS rank FROM json_each(?1)) m
                   CROSS JOIN tickets t ON t.id = m.id",
            condition: "",
            parameter: Some(format!("[{}]", ids.join(","))),
            ranked: true,
            capped,
        })
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
