//! Staff members and their departments.

use rusqlite::{Connection, OptionalExtension, params};
use shared::console::{Role, StaffMember};

use crate::{
    auth::session::Realm,
    error::{Error, Result},
};

/// A staff member as the server needs them for authorization.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub password_hash: Option<String>,
    pub totp_secret: Option<Vec<u8>>,
    pub totp_pending: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub notify_replies: bool,
    /// Departments whose tickets the member works on (ids).
    pub departments: Vec<i64>,
}

impl Member {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether this member may see and change tickets of `department_id`.
    pub fn covers(&self, department_id: i64) -> bool {
        self.is_admin() || self.departments.contains(&department_id)
    }
}

const MEMBER_COLUMNS: &str = "id, email, name, role, active, password_hash, totp_secret, \
     totp_pending, totp_last_step, notify_replies";

fn member_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    let role: String = row.get(3)?;
    Ok(Member {
        id: row.get(0)?,
        email: row.get(1)?,
        name: row.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::Agent),
        active: row.get(4)?,
        password_hash: row.get(5)?,
        totp_secret: row.get(6)?,
        totp_pending: row.get(7)?,
        totp_last_step: row.get(8)?,
        notify_replies: row.get(9)?,
        departments: Vec::new(),
    })
}

fn with_departments(conn: &Connection, member: Option<Member>) -> Result<Option<Member>> {
    member
        .map(|mut member| {
            member.departments = department_ids(conn, member.id)?;
            Ok(member)
        })
        .transpose()
}

pub fn by_email(conn: &Connection, email: &str) -> Result<Option<Member>> {
    let member = conn
        .prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS} FROM staff WHERE email = ?1"
        ))?
        .query_row([email.trim()], member_from_row)
        .optional()?;
    with_departments(conn, member)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Member>> {
    let member = conn
        .prepare_cached(&format!("SELECT {MEMBER_COLUMNS} FROM staff WHERE id = ?1"))?
        .query_row([id], member_from_row)
        .optional()?;
    with_departments(conn, member)
}

fn department_ids(conn: &Connection, staff_id: i64) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached(
        "SELECT department_id FROM staff_departments WHERE staff_id = ?1 ORDER BY department_id",
    )?;
    let ids = statement
        .query_map([staff_id], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Slugs of the active departments of `member` (all of them for `None`),
/// in display order.
pub fn department_slugs(conn: &Connection, member: Option<i64>) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT d.slug FROM departments d
         WHERE d.active = 1 AND (?1 IS NULL OR d.id IN
               (SELECT department_id FROM staff_departments WHERE staff_id = ?1))
         ORDER BY d.position",
    )?;
    let slugs = statement
        .query_map([member], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(slugs)
}

/// The member a ticket is assigned to, if any.
pub fn assignee_of(conn: &Connection, ticket_id: i64) -> Result<Option<Member>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT assignee_id FROM tickets WHERE id = ?1")?
        .query_row([ticket_id], |row| row.get(0))
        .optional()?
        .flatten();
    match id {
        Some(id) => by_id(conn, id),
        None => Ok(None),
    }
}

/// Adds a member without a password; `None` if the address is taken.
pub fn insert(
    conn: &Connection,
    email: &str,
    name: &str,
    role: Role,
    now: i64,
) -> Result<Option<i64>> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO staff (email, name, role, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (email) DO NOTHING",
        )?
        .execute(params![email.trim(), name.trim(), role.as_str(), now])?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

/// Replaces a member's departments with those of `slugs`; unknown slugs
/// are an error naming the field.
pub fn set_departments(conn: &Connection, staff_id: i64, slugs: &[String]) -> Result<()> {
    conn.prepare_cached("DELETE FROM staff_departments WHERE staff_id = ?1")?
        .execute([staff_id])?;
    for slug in slugs {
        let inserted = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO staff_departments (staff_id, department_id)
                 SELECT ?1, id FROM departments WHERE slug = ?2",
            )?
            .execute(params![staff_id, slug])?;
        if inserted == 0
            && conn
                .prepare_cached("SELECT 1 FROM departments WHERE slug = ?1")?
                .query_row([slug], |_| Ok(()))
                .optional()?
                .is_none()
        {
            return Err(Error::field(
                shared::validate::Field::Department,
                shared::validate::Problem::Unknown,
            ));
        }
    }
    Ok(())
}

/// Sets a new password and ends every session: whoever knew the old one is out.
pub fn set_password(conn: &Connection, staff_id: i64, hash: &str) -> Result<()> {
    conn.prepare_cached("UPDATE staff SET password_hash = ?2 WHERE id = ?1")?
        .execute(params![staff_id, hash])?;
    super::auth::end_all_sessions(conn, Realm::Staff, staff_id)
}

/// Changes role and whether the member may sign in; deactivating ends
/// their sessions at once.
pub fn update(
    conn: &Connection,
    staff_id: i64,
    role: Option<Role>,
    active: Option<bool>,
) -> Result<()> {
    if let Some(role) = role {
        conn.prepare_cached("UPDATE staff SET role = ?2 WHERE id = ?1")?
            .execute(params![staff_id, role.as_str()])?;
    }
    if let Some(active) = active {
        conn.prepare_cached("UPDATE staff SET active = ?2 WHERE id = ?1")?
            .execute(params![staff_id, active])?;
        if !active {
            super::auth::end_all_sessions(conn, Realm::Staff, staff_id)?;
        }
    }
    Ok(())
}

/// How many active admins there are (the last one cannot be demoted).
pub fn active_admins(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1")?
        .query_row([], |row| row.get(0))?)
}

/// Everyone, for the admin's staff page.
pub fn list(conn: &Connection) -> Result<Vec<StaffMember>> {
    let mut statement = conn.prepare_cached(
        "SELECT s.id, s.email, s.name, s.role, s.active, s.password_hash IS NULL,
                s.totp_secret IS NOT NULL,
                (SELECT group_concat(d.slug) FROM staff_departments sd
                   JOIN departments d ON d.id = sd.department_id WHERE sd.staff_id = s.id)
         FROM staff s ORDER BY s.name COLLATE NOCASE, s.id",
    )?;
    let members = statement
        .query_map([], |row| {
            let role: String = row.get(3)?;
            let departments: Option<String> = row.get(7)?;
            Ok(StaffMember {
                id: row.get(0)?,
                email: row.get(1)?,
                name: row.get(2)?,
                role: Role::parse(&role).unwrap_or(Role::Agent),
                active: row.get(4)?,
                pending: row.get(5)?,
                totp_enabled: row.get(6)?,
                departments: departments
                    .map(|d| d.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(members)
}

pub fn set_notify_replies(conn: &Connection, staff_id: i64, notify: bool) -> Result<()> {
    conn.prepare_cached("UPDATE staff SET notify_replies = ?2 WHERE id = ?1")?
        .execute(params![staff_id, notify])?;
    Ok(())
}
