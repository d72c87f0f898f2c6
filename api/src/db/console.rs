//! A ticket as staff see it (every message, notes included, the history,
//! who else is on it) and the changes staff make to it.

use rusqlite::{Connection, OptionalExtension, params};
use shared::{
    api::Status,
    console::{Author, EventView, Presence, Priority, StaffMessage, StaffRef, StaffTicketView},
    i18n::Lang,
};

use super::{tickets, uploads};
use crate::error::Result;

/// A heartbeat older than this no longer counts as "on the ticket".
pub const PRESENCE_SECS: i64 = 15;

/// The ticket's staff-side fields that the customer `Ticket` lacks.
pub struct StaffFields {
    pub priority: Priority,
    pub assignee: Option<StaffRef>,
    pub updated_at: i64,
}

pub fn staff_fields(conn: &Connection, ticket_id: i64) -> Result<StaffFields> {
    Ok(conn
        .prepare_cached(
            "SELECT t.priority, t.assignee_id, s.name, t.updated_at FROM tickets t
             LEFT JOIN staff s ON s.id = t.assignee_id WHERE t.id = ?1",
        )?
        .query_row([ticket_id], |row| {
            let id: Option<i64> = row.get(1)?;
            let name: Option<String> = row.get(2)?;
            Ok(StaffFields {
                priority: Priority::from_rank(row.get(0)?),
                assignee: id.zip(name).map(|(id, name)| StaffRef { id, name }),
                updated_at: row.get(3)?,
            })
        })?)
}

pub fn view(
    conn: &Connection,
    ticket: &tickets::Ticket,
    viewer: i64,
    lang: Lang,
    now: i64,
) -> Result<StaffTicketView> {
    let fields = staff_fields(conn, ticket.id)?;
    Ok(StaffTicketView {
        reference: ticket.reference.clone(),
        subject: ticket.subject.clone(),
        department: tickets::departments_by_id(conn, ticket.department_id, lang)?,
        status: ticket.status,
        priority: fields.priority,
        assignee: fields.assignee,
        lang: ticket.lang,
        email: ticket.email.clone(),
        created_at: ticket.created_at,
        updated_at: fields.updated_at,
        answers: super::forms::answers(conn, ticket.id, lang)?,
        messages: messages(conn, ticket.id, None)?,
        events: events(conn, ticket.id)?,
        presence: presence(conn, ticket.id, viewer, now)?,
        rating: super::ratings::for_ticket(conn, ticket.id)?,
    })
}

/// Every message of a ticket (or only `only`), notes included.
pub fn messages(conn: &Connection, ticket_id: i64, only: Option<i64>) -> Result<Vec<StaffMessage>> {
    let mut statement = conn.prepare_cached(
        "SELECT m.id, m.author, m.internal, m.staff_id, s.name, m.body, m.created_at,
                m.via_email, m.email_original
         FROM messages m LEFT JOIN staff s ON s.id = m.staff_id
         WHERE m.ticket_id = ?1 AND (?2 IS NULL OR m.id = ?2) ORDER BY m.id",
    )?;
    let mut messages = statement
        .query_map(params![ticket_id, only], |row| {
            let author: String = row.get(1)?;
            let internal: bool = row.get(2)?;
            let staff_id: Option<i64> = row.get(3)?;
            let name: Option<String> = row.get(4)?;
            Ok(StaffMessage {
                id: row.get(0)?,
                author: match (author.as_str(), internal) {
                    (_, true) => Author::Note,
                    ("agent", _) => Author::Agent,
                    _ => Author::Customer,
                },
                staff: staff_id.zip(name).map(|(id, name)| StaffRef { id, name }),
                body: row.get(5)?,
                created_at: row.get(6)?,
                attachments: Vec::new(),
                by_email: row.get(7)?,
                email_original: row.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for message in &mut messages {
        message.attachments = uploads::for_message(conn, message.id)?;
    }
    Ok(messages)
}

fn events(conn: &Connection, ticket_id: i64) -> Result<Vec<EventView>> {
    let mut statement = conn.prepare_cached(
        "SELECT e.id, e.kind, e.actor, e.staff_id, s.name, e.detail, e.created_at
         FROM ticket_events e LEFT JOIN staff s ON s.id = e.staff_id
         WHERE e.ticket_id = ?1 ORDER BY e.id",
    )?;
    let events = statement
        .query_map([ticket_id], |row| {
            let staff_id: Option<i64> = row.get(3)?;
            let name: Option<String> = row.get(4)?;
            Ok(EventView {
                id: row.get(0)?,
                kind: row.get(1)?,
                actor: row.get(2)?,
                staff: staff_id.zip(name).map(|(id, name)| StaffRef { id, name }),
                detail: row.get(5)?,
                created_at: row.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(events)
}

/// The id of the newest message a customer can see or a colleague wrote.
pub fn last_message_id(conn: &Connection, ticket_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(id) FROM messages WHERE ticket_id = ?1")?
        .query_row([ticket_id], |row| row.get(0))
        .optional()?
        .flatten())
}

/// A reply (or, `internal`, a note) written by a staff member.
pub fn add_staff_message(
    conn: &Connection,
    ticket_id: i64,
    staff_id: i64,
    body: &str,
    internal: bool,
    now: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO messages (ticket_id, author, body, created_at, staff_id, internal)
         VALUES (?1, 'agent', ?2, ?3, ?4, ?5)",
    )?
    .execute(params![ticket_id, body, now, staff_id, internal])?;
    let id = conn.last_insert_rowid();
    super::search::index_ticket(conn, ticket_id)?;
    // A public answer makes the ticket unread in the customer's account.
    conn.prepare_cached(
        "UPDATE tickets SET updated_at = ?2,
             last_answer_id = CASE WHEN ?3 THEN last_answer_id ELSE ?4 END
         WHERE id = ?1",
    )?
    .execute(params![ticket_id, now, internal, id])?;
    Ok(id)
}

/// Records a change in the ticket's history, with who made it and to what.
pub fn staff_event(
    conn: &Connection,
    ticket_id: i64,
    kind: &str,
    staff_id: i64,
    detail: Option<&str>,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, kind, actor, staff_id, detail, created_at)
         VALUES (?1, ?2, 'staff', ?3, ?4, ?5)",
    )?
    .execute(params![ticket_id, kind, staff_id, detail, now])?;
    Ok(())
}

/// Sets the status on a staff member's behalf, with the history entry.
pub fn set_status(
    conn: &Connection,
    ticket_id: i64,
    status: Status,
    staff_id: i64,
    now: i64,
) -> Result<()> {
    tickets::set_status(conn, ticket_id, status, "status_changed", "staff", now)?;
    // `tickets::set_status` wrote the event without the member; name them.
    conn.prepare_cached(
        "UPDATE ticket_events SET staff_id = ?2, detail = ?3
         WHERE id = (SELECT max(id) FROM ticket_events WHERE ticket_id = ?1)",
    )?
    .execute(params![ticket_id, staff_id, status.as_str()])?;
    Ok(())
}

pub fn set_priority(conn: &Connection, ticket_id: i64, priority: Priority, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE tickets SET priority = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![ticket_id, priority.rank(), now])?;
    Ok(())
}

pub fn set_assignee(
    conn: &Connection,
    ticket_id: i64,
    assignee: Option<i64>,
    now: i64,
) -> Result<()> {
    conn.prepare_cached("UPDATE tickets SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![ticket_id, assignee, now])?;
    Ok(())
}

pub fn set_department(
    conn: &Connection,
    ticket_id: i64,
    department_id: i64,
    now: i64,
) -> Result<()> {
    conn.prepare_cached("UPDATE tickets SET department_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![ticket_id, department_id, now])?;
    Ok(())
}

/// The member opened the ticket: what the customer wrote so far is read.
pub fn mark_read(conn: &Connection, ticket_id: i64, staff_id: i64, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_reads (staff_id, ticket_id, read_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (staff_id, ticket_id) DO UPDATE SET read_at = excluded.read_at",
    )?
    .execute(params![staff_id, ticket_id, now])?;
    Ok(())
}

/// Records that the member has the ticket on screen (and whether typing).
pub fn beat(
    conn: &Connection,
    ticket_id: i64,
    staff_id: i64,
    typing: bool,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO presence (ticket_id, staff_id, typing, seen_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (ticket_id, staff_id) DO UPDATE SET typing = excluded.typing, seen_at = excluded.seen_at",
    )?
    .execute(params![ticket_id, staff_id, typing, now])?;
    Ok(())
}

/// Others who had the ticket on screen within `PRESENCE_SECS`.
pub fn presence(conn: &Connection, ticket_id: i64, viewer: i64, now: i64) -> Result<Vec<Presence>> {
    let mut statement = conn.prepare_cached(
        "SELECT s.id, s.name, p.typing FROM presence p JOIN staff s ON s.id = p.staff_id
         WHERE p.ticket_id = ?1 AND p.staff_id != ?2 AND p.seen_at > ?3 ORDER BY s.name",
    )?;
    let others = statement
        .query_map(params![ticket_id, viewer, now - PRESENCE_SECS], |row| {
            Ok(Presence {
                staff: StaffRef {
                    id: row.get(0)?,
                    name: row.get(1)?,
                },
                typing: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(others)
}

/// Active staff members, for the assignee picker.
pub fn staff_names(conn: &Connection) -> Result<Vec<StaffRef>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, name FROM staff WHERE active = 1 ORDER BY name COLLATE NOCASE, id",
    )?;
    let names = statement
        .query_map([], |row| {
            Ok(StaffRef {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

/// Ticket events after `after` in tickets the member may see: what the
/// live stream sends. Returns the newest event id there is (where the next
/// poll starts, whether or not the member may see it) and (reference, kind)
/// of each visible change.
pub fn changes_since(
    conn: &Connection,
    member_id: i64,
    all_departments: bool,
    after: i64,
) -> Result<(i64, Vec<(String, String)>)> {
    let newest = latest_event(conn)?;
    let mut statement = conn.prepare_cached(
        "SELECT t.reference, e.kind FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.id > ?1 AND e.id <= ?4 AND t.status != 'awaiting_confirmation'
           AND (?3 OR t.department_id IN (SELECT department_id FROM staff_departments WHERE staff_id = ?2))
         ORDER BY e.id",
    )?;
    let changes = statement
        .query_map(params![after, member_id, all_departments, newest], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((newest, changes))
}

/// The newest event id: where a new live stream starts.
pub fn latest_event(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM ticket_events")?
        .query_row([], |row| row.get(0))?)
}
