//! Tickets, their messages and their history.

use rusqlite::{Connection, OptionalExtension, params};
use shared::{
    api::{Author, Department, MessageView, Status, TicketView},
    i18n::Lang,
};

use super::uploads;
use crate::error::{Error, Result};

/// A ticket row as the server uses it.
#[derive(Clone, Debug)]
pub struct Ticket {
    pub id: i64,
    pub reference: String,
    pub department_id: i64,
    pub status: Status,
    pub email: String,
    pub subject: String,
    pub lang: Lang,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    /// The account the ticket belongs to: then only that account opens it.
    pub customer_id: Option<i64>,
}

const TICKET_COLUMNS: &str = "id, reference, department_id, status, email, subject, lang, \
     created_at, closed_at, customer_id";

fn ticket_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Ticket> {
    let status: String = row.get(3)?;
    let lang: String = row.get(6)?;
    Ok(Ticket {
        id: row.get(0)?,
        reference: row.get(1)?,
        department_id: row.get(2)?,
        status: Status::parse(&status).unwrap_or(Status::Open),
        email: row.get(4)?,
        subject: row.get(5)?,
        lang: Lang::from_code(&lang).unwrap_or(Lang::DEFAULT),
        created_at: row.get(7)?,
        closed_at: row.get(8)?,
        customer_id: row.get(9)?,
    })
}

/// Department columns named in the language `?1`, English where a text is missing.
const DEPARTMENT_SELECT: &str =
    "SELECT d.slug, coalesce(t.name, e.name), coalesce(t.explanation, e.explanation)
     FROM departments d
     JOIN department_texts e ON e.department_id = d.id AND e.lang = 'en'
     LEFT JOIN department_texts t ON t.department_id = d.id AND t.lang = ?1";

fn department_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Department> {
    Ok(Department {
        slug: row.get(0)?,
        name: row.get(1)?,
        explanation: row.get(2)?,
        fields: Vec::new(),
    })
}

/// The active departments, in their display order.
pub fn departments(conn: &Connection, lang: Lang) -> Result<Vec<Department>> {
    let sql = format!("{DEPARTMENT_SELECT} WHERE d.active = 1 ORDER BY d.position");
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([lang.code()], department_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The id of an active department.
pub fn department_id(conn: &Connection, slug: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM departments WHERE slug = ?1 AND active = 1")?
        .query_row([slug], |row| row.get(0))
        .optional()?)
}

/// What a new ticket starts with.
pub struct NewTicket<'a> {
    pub department_id: i64,
    pub email: &'a str,
    pub subject: &'a str,
    pub lang: Lang,
    pub resend_key_hash: &'a [u8],
    /// Opened in an account (the address is verified already).
    pub customer_id: Option<i64>,
    pub now: i64,
}

/// Inserts an unconfirmed ticket under a fresh random reference (the
/// caller opens one made in an account at once).
pub fn insert(conn: &Connection, new: &NewTicket<'_>) -> Result<Ticket> {
    // Ten random digits collide rarely; try again with another when they do.
    for _ in 0..8 {
        let reference = crate::secrets::reference()?;
        let inserted = conn.prepare_cached(
            "INSERT INTO tickets (reference, department_id, channel, email, subject, status, lang,
                                  resend_key_hash, created_at, updated_at, customer_id)
             VALUES (?1, ?2, CASE WHEN ?8 IS NULL THEN 'email' ELSE 'account' END, ?3, ?4,
                     'awaiting_confirmation', ?5, ?6, ?7, ?7, ?8)
             ON CONFLICT (reference) DO NOTHING",
        )?
        .execute(params![
            reference,
            new.department_id,
            new.email,
            new.subject,
            new.lang.code(),
            new.resend_key_hash,
            new.now,
            new.customer_id
        ])?;
        if inserted == 1 {
            let id = conn.last_insert_rowid();
            super::search::index_ticket(conn, id)?;
            crate::ops::metrics::metrics().tickets_created.inc();
            return Ok(Ticket {
                id,
                reference,
                department_id: new.department_id,
                status: Status::AwaitingConfirmation,
                email: new.email.to_owned(),
                subject: new.subject.to_owned(),
                lang: new.lang,
                created_at: new.now,
                closed_at: None,
                customer_id: new.customer_id,
            });
        }
    }
    Err(Error::internal("no free ticket reference after 8 tries"))
}

pub fn by_reference(conn: &Connection, reference: &str) -> Result<Option<Ticket>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE reference = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([reference], ticket_from_row)
        .optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Ticket>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], ticket_from_row)
        .optional()?)
}

/// An unconfirmed ticket whose resend key hashes to `key_hash`.
pub fn awaiting_with_resend_key(
    conn: &Connection,
    reference: &str,
    key_hash: &[u8],
) -> Result<Option<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM tickets
         WHERE reference = ?1 AND resend_key_hash = ?2 AND status = 'awaiting_confirmation'"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![reference, key_hash], ticket_from_row)
        .optional()?)
}

pub fn add_message(
    conn: &Connection,
    ticket_id: i64,
    author: Author,
    body: &str,
    now: i64,
) -> Result<i64> {
    let author = match author {
        Author::Customer => "customer",
        Author::Agent => "agent",
    };
    conn.prepare_cached(
        "INSERT INTO messages (ticket_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![ticket_id, author, body, now])?;
    let id = conn.last_insert_rowid();
    super::search::index_ticket(conn, ticket_id)?;
    if author == "customer" {
        // Staff who opened the ticket before this see it unread again.
        conn.prepare_cached("UPDATE tickets SET customer_wrote_at = ?2 WHERE id = ?1")?
            .execute(params![ticket_id, now])?;
    }
    Ok(id)
}

/// Records a change in the ticket's history.
pub fn add_event(
    conn: &Connection,
    ticket_id: i64,
    kind: &str,
    actor: &str,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, kind, actor, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![ticket_id, kind, actor, now])?;
    Ok(())
}

/// Moves a ticket to `status` and records the event.
pub fn set_status(
    conn: &Connection,
    ticket_id: i64,
    status: Status,
    event: &str,
    actor: &str,
    now: i64,
) -> Result<()> {
    // An open ticket waits for an agent since it first became open (the
    // queue's "waiting longest" order); answered or closed, it waits no more.
    conn.prepare_cached(
        "UPDATE tickets SET status = ?2, updated_at = ?3,
                confirmed_at = CASE WHEN ?2 = 'open' AND confirmed_at IS NULL THEN ?3 ELSE confirmed_at END,
                closed_at = CASE WHEN ?2 = 'closed' THEN ?3 ELSE NULL END,
                waiting_since = CASE WHEN ?2 = 'open' THEN coalesce(waiting_since, ?3) ELSE NULL END
         WHERE id = ?1",
    )?
    .execute(params![ticket_id, status.as_str(), now])?;
    if event == "confirmed" {
        crate::ops::metrics::metrics().tickets_confirmed.inc();
    }
    add_event(conn, ticket_id, event, actor, now)
}

/// The account holder opened the ticket: its answers are read.
pub fn mark_seen(conn: &Connection, ticket_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE tickets SET customer_seen_id = last_answer_id WHERE id = ?1")?
        .execute([ticket_id])?;
    Ok(())
}

/// Whether an answer came since the account holder last opened the ticket.
pub fn unread_by_customer(conn: &Connection, ticket_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT last_answer_id > coalesce(customer_seen_id, 0) FROM tickets WHERE id = ?1",
        )?
        .query_row([ticket_id], |row| row.get::<_, Option<bool>>(0))
        .optional()?
        .flatten()
        .unwrap_or(false))
}

/// The whole ticket as its customer sees it, department named in `lang`.
pub fn view(conn: &Connection, ticket: &Ticket, lang: Lang) -> Result<TicketView> {
    let department = departments_by_id(conn, ticket.department_id, lang)?;
    Ok(TicketView {
        reference: ticket.reference.clone(),
        department,
        status: ticket.status,
        lang: ticket.lang,
        email: ticket.email.clone(),
        subject: ticket.subject.clone(),
        created_at: ticket.created_at,
        answers: super::forms::answers(conn, ticket.id, lang)?,
        messages: messages(conn, ticket.id, None)?,
    })
}

/// One message of a ticket, as its customer sees it.
pub fn message_view(conn: &Connection, ticket_id: i64, message_id: i64) -> Result<MessageView> {
    messages(conn, ticket_id, Some(message_id))?
        .pop()
        .ok_or(crate::error::Error::NotFound)
}

/// How many messages a ticket holds.
pub fn message_count(conn: &Connection, ticket_id: i64) -> Result<usize> {
    let count: i64 = conn
        .prepare_cached("SELECT count(*) FROM messages WHERE ticket_id = ?1")?
        .query_row([ticket_id], |row| row.get(0))?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// A ticket's messages in order, or only the one with id `only`, as its
/// customer sees them: never an internal note, agents by display name.
fn messages(conn: &Connection, ticket_id: i64, only: Option<i64>) -> Result<Vec<MessageView>> {
    let mut statement = conn.prepare_cached(
        "SELECT m.id, m.author, m.body, m.created_at, s.name FROM messages m
         LEFT JOIN staff s ON s.id = m.staff_id
         WHERE m.ticket_id = ?1 AND m.internal = 0 AND (?2 IS NULL OR m.id = ?2) ORDER BY m.id",
    )?;
    let mut messages = statement
        .query_map(rusqlite::params![ticket_id, only], |row| {
            let author: String = row.get(1)?;
            Ok(MessageView {
                id: row.get(0)?,
                author: if author == "agent" {
                    Author::Agent
                } else {
                    Author::Customer
                },
                body: row.get(2)?,
                created_at: row.get(3)?,
                author_name: row.get(4)?,
                attachments: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for message in &mut messages {
        message.attachments = uploads::for_message(conn, message.id)?;
    }
    Ok(messages)
}

/// Department names looked up once per id, for lists of many tickets.
pub struct DepartmentNames {
    lang: Lang,
    known: std::collections::HashMap<i64, Department>,
}

impl DepartmentNames {
    pub fn new(lang: Lang) -> DepartmentNames {
        DepartmentNames {
            lang,
            known: std::collections::HashMap::new(),
        }
    }

    pub fn get(&mut self, conn: &Connection, id: i64) -> Result<Department> {
        if let Some(department) = self.known.get(&id) {
            return Ok(department.clone());
        }
        let department = departments_by_id(conn, id, self.lang)?;
        self.known.insert(id, department.clone());
        Ok(department)
    }
}

pub fn departments_by_id(conn: &Connection, id: i64, lang: Lang) -> Result<Department> {
    let sql = format!("{DEPARTMENT_SELECT} WHERE d.id = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![lang.code(), id], department_from_row)?)
}

/// A confirmed ticket with this reference and address ("find my ticket").
pub fn confirmed_by_reference_and_email(
    conn: &Connection,
    reference: &str,
    email: &str,
) -> Result<Option<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM tickets
         WHERE reference = ?1 AND email = ?2 COLLATE NOCASE AND status != 'awaiting_confirmation'"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![reference, email], ticket_from_row)
        .optional()?)
}
