//! The SQL of `pasokh seed`: made-up tickets with their messages, events and
//! attachment rows written in bulk through prepared statements, the agents
//! and customer accounts they belong to; each ticket goes into the search
//! index in the same transaction, as every other write does.

use rusqlite::{Connection, params};

use crate::error::Result;

/// A made-up ticket, complete: the generator fills it, one insert writes it.
pub struct SeedTicket {
    pub id: i64,
    pub reference: String,
    pub department_id: i64,
    pub email: String,
    pub customer_id: Option<i64>,
    pub subject: String,
    pub status: &'static str,
    pub lang: &'static str,
    pub priority: i64,
    pub assignee_id: Option<i64>,
    pub created_at: i64,
    pub confirmed_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub waiting_since: Option<i64>,
    pub customer_wrote_at: Option<i64>,
    pub last_answer_id: Option<i64>,
    pub customer_seen_id: Option<i64>,
    pub messages: Vec<SeedMessage>,
    pub events: Vec<SeedEvent>,
    pub uploads: Vec<SeedUpload>,
}

pub struct SeedMessage {
    pub id: i64,
    pub author: &'static str,
    pub staff_id: Option<i64>,
    pub internal: bool,
    pub body: String,
    pub created_at: i64,
}

pub struct SeedEvent {
    pub kind: &'static str,
    pub actor: &'static str,
    pub staff_id: Option<i64>,
    pub detail: Option<String>,
    pub created_at: i64,
}

/// An attachment's row; no file is written.
pub struct SeedUpload {
    pub id: String,
    pub file_name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub message_id: i64,
    pub created_at: i64,
}

pub struct SeedCustomer {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub lang: &'static str,
    pub created_at: i64,
}

/// A member who answers tickets, and the departments they cover.
#[derive(Clone)]
pub struct SeedAgent {
    pub id: i64,
    pub name: String,
    pub departments: Vec<i64>,
}

/// What is there before seeding: ticket count and the next free ids.
pub struct SeedStart {
    pub tickets: i64,
    pub next_ticket: i64,
    pub next_message: i64,
    pub next_customer: i64,
    pub departments: Vec<i64>,
}

/// A big page cache for the bulk load (this connection only).
pub fn tune(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA cache_size = -262144;")?;
    Ok(())
}

pub fn start(conn: &Connection) -> Result<SeedStart> {
    let one = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |row| row.get(0))?) };
    let mut departments = Vec::new();
    let mut statement =
        conn.prepare_cached("SELECT id FROM departments WHERE active = 1 ORDER BY position")?;
    for id in statement.query_map([], |row| row.get::<_, i64>(0))? {
        departments.push(id?);
    }
    Ok(SeedStart {
        tickets: one("SELECT count(*) FROM tickets")?,
        next_ticket: one("SELECT coalesce(max(id), 0) + 1 FROM tickets")?,
        next_message: one("SELECT coalesce(max(id), 0) + 1 FROM messages")?,
        next_customer: one("SELECT coalesce(max(id), 0) + 1 FROM customers")?,
        departments,
    })
}

/// The active agents and the departments each covers; if there are none,
/// first adds `names` as agents (no password: they cannot sign in), each
/// covering two departments in turn.
pub fn agents(
    conn: &Connection,
    names: &[(&str, &str)],
    departments: &[i64],
    now: i64,
) -> Result<Vec<SeedAgent>> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM staff WHERE role = 'agent' AND active = 1",
        [],
        |row| row.get(0),
    )?;
    if count == 0 && !departments.is_empty() {
        for (i, (email, name)) in names.iter().enumerate() {
            conn.prepare_cached(
                "INSERT INTO staff (email, name, role, created_at) VALUES (?1, ?2, 'agent', ?3)
                 ON CONFLICT (email) DO NOTHING",
            )?
            .execute(params![email, name, now])?;
            let id = conn.last_insert_rowid();
            for k in 0..2 {
                let department = departments[(i + k) % departments.len()];
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO staff_departments (staff_id, department_id)
                     VALUES (?1, ?2)",
                )?
                .execute(params![id, department])?;
            }
        }
    }
    let mut statement = conn.prepare_cached(
        "SELECT s.id, s.name, group_concat(d.department_id) FROM staff s
         JOIN staff_departments d ON d.staff_id = s.id
         WHERE s.role = 'agent' AND s.active = 1 GROUP BY s.id ORDER BY s.id",
    )?;
    let rows = statement.query_map([], |row| {
        let list: String = row.get(2)?;
        Ok(SeedAgent {
            id: row.get(0)?,
            name: row.get(1)?,
            departments: list.split(',').filter_map(|d| d.parse().ok()).collect(),
        })
    })?;
    let mut agents = Vec::new();
    for agent in rows {
        agents.push(agent?);
    }
    Ok(agents)
}

/// Customer accounts, verified, all with the same unusable password hash.
pub fn insert_customers(
    conn: &Connection,
    customers: &[SeedCustomer],
    password_hash: &str,
) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO customers (id, email, name, password_hash, lang, verified_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?;
    for c in customers {
        statement.execute(params![
            c.id,
            c.email,
            c.name,
            password_hash,
            c.lang,
            c.created_at
        ])?;
    }
    Ok(())
}

/// Writes the tickets with everything they carry.
pub fn insert_tickets(conn: &Connection, batch: &[SeedTicket]) -> Result<()> {
    let mut ticket = conn.prepare_cached(
        "INSERT INTO tickets (id, reference, department_id, channel, email, subject, status, lang,
                              created_at, confirmed_at, updated_at, closed_at, priority,
                              assignee_id, waiting_since, customer_wrote_at, customer_id,
                              last_answer_id, customer_seen_id)
         VALUES (?1, ?2, ?3, CASE WHEN ?16 IS NULL THEN 'email' ELSE 'account' END, ?4, ?5, ?6,
                 ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    let mut message = conn.prepare_cached(
        "INSERT INTO messages (id, ticket_id, author, body, created_at, staff_id, internal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut event = conn.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, kind, actor, staff_id, detail, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut upload = conn.prepare_cached(
        "INSERT INTO uploads (id, stored_name, file_name, content_type, size, created_at,
                              ticket_id, message_id)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for t in batch {
        ticket.execute(params![
            t.id,
            t.reference,
            t.department_id,
            t.email,
            t.subject,
            t.status,
            t.lang,
            t.created_at,
            t.confirmed_at,
            t.updated_at,
            t.closed_at,
            t.priority,
            t.assignee_id,
            t.waiting_since,
            t.customer_wrote_at,
            t.customer_id,
            t.last_answer_id,
            t.customer_seen_id
        ])?;
        for m in &t.messages {
            message.execute(params![
                m.id,
                t.id,
                m.author,
                m.body,
                m.created_at,
                m.staff_id,
                m.internal
            ])?;
        }
        for e in &t.events {
            event.execute(params![
                t.id,
                e.kind,
                e.actor,
                e.staff_id,
                e.detail,
                e.created_at
            ])?;
        }
        for u in &t.uploads {
            upload.execute(params![
                u.id,
                u.file_name,
                u.content_type,
                u.size,
                u.created_at,
                t.id,
                u.message_id
            ])?;
        }
        super::search::index_ticket(conn, t.id)?;
    }
    Ok(())
}
