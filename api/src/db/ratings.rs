//! Ratings: the single-use token a close mail carries, the customer's
//! choice and comment, and what staff see of them (per ticket, and per
//! member over the last 30 days).

use rusqlite::{Connection, OptionalExtension, params};
use shared::satisfaction::{AgentRatings, RatingView};

use crate::{error::Result, secrets};

/// How long the links of a close mail work: as long as the ticket can be
/// reopened.
pub const RATING_TTL_SECS: i64 = 30 * 24 * 60 * 60;
/// The per-member figures cover this many seconds back.
pub const RECENT_SECS: i64 = 30 * 24 * 60 * 60;

/// Issues the token of a close mail's two links, for the member the ticket
/// is assigned to now (whom the rating will be for).
pub fn issue(conn: &Connection, ticket_id: i64, now: i64) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "INSERT INTO ratings (ticket_id, hash, staff_id, created_at, expires_at)
         SELECT id, ?2, assignee_id, ?3, ?4 FROM tickets WHERE id = ?1",
    )?
    .execute(params![
        ticket_id,
        secrets::hash(&token),
        now,
        now + RATING_TTL_SECS
    ])?;
    Ok(token)
}

/// What a token found when the customer used it.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded now; the ticket it belongs to.
    Recorded {
        ticket_id: i64,
    },
    Used,
    Expired,
    Unknown,
}

/// The row a token names: (id, ticket, expires_at, rated_at, has comment).
type Found = (i64, i64, i64, Option<i64>, bool);

fn find(conn: &Connection, token: &str) -> Result<Option<Found>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, ticket_id, expires_at, rated_at, comment IS NOT NULL
             FROM ratings WHERE hash = ?1",
        )?
        .query_row([secrets::hash(token)], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .optional()?)
}

/// Records the choice: once per token, before it expires.
pub fn rate(conn: &Connection, token: &str, good: bool, now: i64) -> Result<Outcome> {
    let Some((id, ticket_id, expires_at, rated_at, _)) = find(conn, token)? else {
        return Ok(Outcome::Unknown);
    };
    if rated_at.is_some() {
        return Ok(Outcome::Used);
    }
    if expires_at <= now {
        return Ok(Outcome::Expired);
    }
    conn.prepare_cached("UPDATE ratings SET good = ?2, rated_at = ?3 WHERE id = ?1")?
        .execute(params![id, good, now])?;
    Ok(Outcome::Recorded { ticket_id })
}

/// Adds the comment that may follow a choice: once, before the token
/// expires, and only after the choice.
pub fn comment(conn: &Connection, token: &str, comment: &str, now: i64) -> Result<Outcome> {
    let Some((id, ticket_id, expires_at, rated_at, commented)) = find(conn, token)? else {
        return Ok(Outcome::Unknown);
    };
    if rated_at.is_none() {
        return Ok(Outcome::Unknown);
    }
    if commented {
        return Ok(Outcome::Used);
    }
    if expires_at <= now {
        return Ok(Outcome::Expired);
    }
    conn.prepare_cached("UPDATE ratings SET comment = ?2 WHERE id = ?1")?
        .execute(params![id, comment])?;
    Ok(Outcome::Recorded { ticket_id })
}

/// The ticket's latest rating, if the customer gave one.
pub fn for_ticket(conn: &Connection, ticket_id: i64) -> Result<Option<RatingView>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.good, r.comment, r.rated_at, s.name FROM ratings r
             LEFT JOIN staff s ON s.id = r.staff_id
             WHERE r.ticket_id = ?1 AND r.rated_at IS NOT NULL
             ORDER BY r.rated_at DESC, r.id DESC LIMIT 1",
        )?
        .query_row([ticket_id], |row| {
            Ok(RatingView {
                good: row.get(0)?,
                comment: row.get(1)?,
                rated_at: row.get(2)?,
                agent: row.get(3)?,
            })
        })
        .optional()?)
}

/// Good and not-good ratings per member over the last 30 days, members
/// with the most ratings first.
pub fn recent_by_agent(conn: &Connection, now: i64) -> Result<Vec<AgentRatings>> {
    let mut statement = conn.prepare_cached(
        "SELECT s.id, s.name, sum(r.good), sum(1 - r.good) FROM ratings r
         JOIN staff s ON s.id = r.staff_id
         WHERE r.rated_at IS NOT NULL AND r.rated_at > ?1
         GROUP BY s.id ORDER BY count(*) DESC, s.name",
    )?;
    let rows = statement.query_map([now - RECENT_SECS], |row| {
        Ok(AgentRatings {
            staff_id: row.get(0)?,
            name: row.get(1)?,
            good: row.get(2)?,
            not_good: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
