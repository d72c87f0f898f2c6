//! Staff members, their departments, sessions, one-time tokens, second
//! factors and the desk-wide settings that govern them.

use rusqlite::{Connection, OptionalExtension, params};
use shared::console::{Role, StaffMember};

use crate::{
    error::{Error, Result},
    secrets,
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
    end_all_sessions(conn, staff_id)
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
            end_all_sessions(conn, staff_id)?;
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

/// What a one-time staff token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    /// An admin's invitation: 72 hours.
    Invite,
    /// A password (re)set from the command line or an admin: 24 hours.
    Reset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }

    pub fn ttl_secs(self) -> i64 {
        match self {
            TokenPurpose::Invite => 72 * 3600,
            TokenPurpose::Reset => 24 * 3600,
        }
    }
}

/// Issues a one-time token; earlier unused tokens of the member stop working.
pub fn issue_token(
    conn: &Connection,
    staff_id: i64,
    purpose: TokenPurpose,
    now: i64,
) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "UPDATE staff_tokens SET used_at = ?2 WHERE staff_id = ?1 AND used_at IS NULL",
    )?
    .execute(params![staff_id, now])?;
    conn.prepare_cached(
        "INSERT INTO staff_tokens (hash, staff_id, purpose, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        secrets::hash(&token),
        staff_id,
        purpose.as_str(),
        now,
        now + purpose.ttl_secs()
    ])?;
    Ok(token)
}

/// The member a token is for, if it can still be used; otherwise why not.
pub fn token_owner(conn: &Connection, token: &str, now: i64) -> Result<i64> {
    let found: Option<(i64, i64, Option<i64>)> = conn
        .prepare_cached("SELECT staff_id, expires_at, used_at FROM staff_tokens WHERE hash = ?1")?
        .query_row([secrets::hash(token.trim())], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    match found {
        None => Err(Error::LinkInvalid),
        Some((_, _, Some(_))) => Err(Error::LinkUsed),
        Some((_, expires, None)) if expires <= now => Err(Error::LinkExpired),
        Some((staff_id, _, None)) => Ok(staff_id),
    }
}

/// Uses up a token: the member it was for, or why not.
pub fn redeem_token(conn: &Connection, token: &str, now: i64) -> Result<i64> {
    let staff_id = token_owner(conn, token, now)?;
    conn.prepare_cached("UPDATE staff_tokens SET used_at = ?2 WHERE hash = ?1")?
        .execute(params![secrets::hash(token.trim()), now])?;
    Ok(staff_id)
}

/// Starts a session; returns the token for the cookie.
pub fn create_session(conn: &Connection, staff_id: i64, now: i64) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "INSERT INTO staff_sessions (hash, staff_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![secrets::hash(&token), staff_id, now])?;
    Ok(token)
}

/// The active member whose session `token` is, if it has been used within
/// `idle_secs` and started within `lifetime_secs`; with when it was last used.
pub fn session(
    conn: &Connection,
    token: &str,
    now: i64,
    idle_secs: i64,
    lifetime_secs: i64,
) -> Result<Option<(Member, i64)>> {
    let found: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT s.staff_id, s.last_seen_at FROM staff_sessions s JOIN staff m ON m.id = s.staff_id
             WHERE s.hash = ?1 AND m.active = 1 AND s.last_seen_at > ?2 AND s.created_at > ?3",
        )?
        .query_row(
            params![secrets::hash(token), now - idle_secs, now - lifetime_secs],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((staff_id, last_seen)) = found else {
        return Ok(None);
    };
    Ok(by_id(conn, staff_id)?.map(|member| (member, last_seen)))
}

pub fn touch_session(conn: &Connection, token: &str, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE staff_sessions SET last_seen_at = ?2 WHERE hash = ?1")?
        .execute(params![secrets::hash(token), now])?;
    Ok(())
}

pub fn end_session(conn: &Connection, token: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM staff_sessions WHERE hash = ?1")?
        .execute([secrets::hash(token)])?;
    Ok(())
}

pub fn end_all_sessions(conn: &Connection, staff_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM staff_sessions WHERE staff_id = ?1")?
        .execute([staff_id])?;
    Ok(())
}

/// Keeps a secret being enrolled until its first code confirms it.
pub fn set_totp_pending(conn: &Connection, staff_id: i64, secret: &[u8]) -> Result<()> {
    conn.prepare_cached("UPDATE staff SET totp_pending = ?2 WHERE id = ?1")?
        .execute(params![staff_id, secret])?;
    Ok(())
}

/// The pending secret becomes the second factor; `step` is the code's step.
pub fn confirm_totp(conn: &Connection, staff_id: i64, step: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE staff SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ?2
         WHERE id = ?1 AND totp_pending IS NOT NULL",
    )?
    .execute(params![staff_id, step])?;
    Ok(())
}

pub fn set_totp_last_step(conn: &Connection, staff_id: i64, step: i64) -> Result<()> {
    conn.prepare_cached("UPDATE staff SET totp_last_step = ?2 WHERE id = ?1")?
        .execute(params![staff_id, step])?;
    Ok(())
}

pub fn disable_totp(conn: &Connection, staff_id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE staff SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = ?1",
    )?
    .execute([staff_id])?;
    conn.prepare_cached("DELETE FROM recovery_codes WHERE staff_id = ?1")?
        .execute([staff_id])?;
    Ok(())
}

pub fn replace_recovery_codes(conn: &Connection, staff_id: i64, hashes: &[Vec<u8>]) -> Result<()> {
    conn.prepare_cached("DELETE FROM recovery_codes WHERE staff_id = ?1")?
        .execute([staff_id])?;
    for hash in hashes {
        conn.prepare_cached("INSERT INTO recovery_codes (staff_id, hash) VALUES (?1, ?2)")?
            .execute(params![staff_id, hash])?;
    }
    Ok(())
}

/// Uses up a recovery code; false if it is unknown or was used.
pub fn use_recovery_code(conn: &Connection, staff_id: i64, hash: &[u8], now: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE recovery_codes SET used_at = ?3 WHERE staff_id = ?1 AND hash = ?2 AND used_at IS NULL",
        )?
        .execute(params![staff_id, hash, now])?
        == 1)
}

/// Whether every staff member must have a second factor.
pub fn require_totp(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'require_totp'")?
        .query_row([], |row| row.get::<_, String>(0))
        .optional()?
        .is_some_and(|value| value == "1"))
}

pub fn set_require_totp(conn: &Connection, required: bool) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES ('require_totp', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([if required { "1" } else { "0" }])?;
    Ok(())
}
