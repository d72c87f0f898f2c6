//! The durable mail outbox. Mail is queued in the same transaction as the
//! change that causes it and sent by `mail::worker`; a row is only marked
//! sent after the SMTP server accepted it, so a crash means a retry, never a
//! loss (at worst a duplicate, which is the safe side).

use rusqlite::{Connection, params};
use shared::i18n::Lang;

use crate::error::Result;

/// A message ready to go out.
#[derive(Clone, Debug)]
pub struct Mail {
    pub ticket_id: Option<i64>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub lang: Lang,
}

/// A queued message, as the worker takes it.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: i64,
    pub attempts: i64,
    pub mail: Mail,
    /// For mail about a ticket: what its headers name (`mail::thread`).
    pub thread: Option<Thread>,
}

/// A ticket mail's place in its thread: our Message-ID (the part before the
/// @), the ticket's reference, and the first and latest mail sent before it.
#[derive(Clone, Debug)]
pub struct Thread {
    pub message_id: String,
    pub reference: String,
    /// The ticket's address: mail to any other goes to a staff member.
    pub customer: String,
    pub root: Option<String>,
    pub parent: Option<String>,
}

pub fn enqueue(conn: &Connection, mail: &Mail, now: i64) -> Result<()> {
    // Every mail about a ticket gets a Message-ID of ours, kept, so a reply
    // that names it in In-Reply-To finds the ticket.
    let message_id = match mail.ticket_id {
        Some(_) => Some(crate::secrets::file_name()?),
        None => None,
    };
    conn.prepare_cached(
        "INSERT INTO outbox (ticket_id, to_addr, subject, body_text, body_html, lang, created_at, next_attempt_at, message_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
    )?
    .execute(params![mail.ticket_id, mail.to, mail.subject, mail.text, mail.html, mail.lang.code(), now, message_id])?;
    crate::ops::metrics::metrics().mail_queued.inc();
    Ok(())
}

/// Takes up to `limit` due messages and leases them for `lease_secs`, so that
/// another instance (or this one after a restart) does not send them at the
/// same time; an unfinished lease simply expires and the message is retried.
pub fn claim_due(conn: &Connection, now: i64, lease_secs: i64, limit: i64) -> Result<Vec<Queued>> {
    let mut statement = conn.prepare_cached(
        "UPDATE outbox SET next_attempt_at = ?1 + ?2
         WHERE id IN (SELECT id FROM outbox
                      WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1
                      ORDER BY next_attempt_at LIMIT ?3)
         RETURNING id, attempts, ticket_id, to_addr, subject, body_text, body_html, lang, message_id",
    )?;
    let rows = statement.query_map(params![now, lease_secs, limit], |row| {
        let lang: String = row.get(7)?;
        Ok(Queued {
            id: row.get(0)?,
            attempts: row.get(1)?,
            mail: Mail {
                ticket_id: row.get(2)?,
                to: row.get(3)?,
                subject: row.get(4)?,
                text: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                html: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
                lang: Lang::from_code(&lang).unwrap_or(Lang::DEFAULT),
            },
            thread: row.get::<_, Option<String>>(8)?.map(|message_id| Thread {
                message_id,
                reference: String::new(),
                customer: String::new(),
                root: None,
                parent: None,
            }),
        })
    })?;
    let mut claimed: Vec<Queued> = rows.collect::<rusqlite::Result<_>>()?;
    for queued in &mut claimed {
        if let (Some(thread), Some(ticket)) = (&mut queued.thread, queued.mail.ticket_id) {
            (thread.root, thread.parent) = super::inbound::thread_of(conn, ticket, queued.id)?;
            (thread.reference, thread.customer) = conn
                .prepare_cached("SELECT reference, email FROM tickets WHERE id = ?1")?
                .query_row([ticket], |row| Ok((row.get(0)?, row.get(1)?)))?;
        }
    }
    Ok(claimed)
}

/// What became of one delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The SMTP server accepted it.
    Sent,
    /// The server refused it for good.
    Refused { error: String },
    /// It may go through later.
    Failed { retry_at: i64, error: String },
}

/// Records the outcomes of many attempts in the caller's transaction: the
/// worker sends many messages at once and commits their outcomes together.
pub fn record(conn: &Connection, outcomes: &[(i64, Outcome)], now: i64) -> Result<()> {
    for (id, outcome) in outcomes {
        let counted = match outcome {
            Outcome::Sent => mark_sent(conn, *id, now).map(|()| "sent")?,
            Outcome::Refused { error } => {
                mark_refused(conn, *id, now, error).map(|()| "refused")?
            }
            Outcome::Failed { retry_at, error } => {
                mark_failed(conn, *id, *retry_at, error).map(|()| "retry")?
            }
        };
        crate::ops::metrics::metrics()
            .mail_attempts
            .get_or_create(&crate::ops::metrics::MailLabels { outcome: counted })
            .inc();
    }
    Ok(())
}

/// Marks a message sent and forgets its bodies: they hold one-time links.
pub fn mark_sent(conn: &Connection, id: i64, now: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, body_text = NULL, body_html = NULL,
                last_error = NULL WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub fn mark_failed(conn: &Connection, id: i64, retry_at: i64, error: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
    )?
    .execute(params![id, retry_at, error])?;
    Ok(())
}

/// Records that the server refused the message for good: it is kept with
/// the error (not retried), and its bodies, which hold links, are wiped.
pub fn mark_refused(conn: &Connection, id: i64, now: i64, error: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, failed_at = ?2, last_error = ?3,
                body_text = NULL, body_html = NULL WHERE id = ?1",
    )?
    .execute(params![id, now, error])?;
    Ok(())
}

/// At start-up every unsent message is due: a restart is often the fix
/// (a corrected SMTP setting), and the operator expects the queue to drain.
pub fn make_all_due(conn: &Connection, now: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE outbox SET next_attempt_at = ?1
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at > ?1",
        )?
        .execute([now])?)
}
