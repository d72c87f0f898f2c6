//! Sessions and one-time tokens of both realms (staff and customers): one
//! table each, keyed by the SHA-256 of the secret, so the database never
//! holds a usable token.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{
    auth::session::Realm,
    error::{Error, Result},
    secrets,
};

/// What a one-time token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    /// An admin's invitation to a new member of staff.
    Invite,
    /// A password (re)set.
    Reset,
    /// A new customer account's address.
    Verify,
    /// A customer's new address (the token's `detail`).
    Email,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
            TokenPurpose::Verify => "verify",
            TokenPurpose::Email => "email",
        }
    }

    fn parse(value: &str) -> Option<TokenPurpose> {
        [
            TokenPurpose::Invite,
            TokenPurpose::Reset,
            TokenPurpose::Verify,
            TokenPurpose::Email,
        ]
        .into_iter()
        .find(|p| p.as_str() == value)
    }

    /// Invitations 72 hours; a staff reset (printed on the server or sent by
    /// an admin) a day; a customer's emailed reset an hour; address links a day.
    pub fn ttl_secs(self, realm: Realm) -> i64 {
        match (self, realm) {
            (TokenPurpose::Invite, _) => 72 * 3600,
            (TokenPurpose::Reset, Realm::Staff) => 24 * 3600,
            (TokenPurpose::Reset, Realm::Customer) => 3600,
            (TokenPurpose::Verify | TokenPurpose::Email, _) => 24 * 3600,
        }
    }
}

/// A token that can still be used.
#[derive(Debug)]
pub struct Redeemable {
    pub principal_id: i64,
    pub purpose: TokenPurpose,
    pub detail: Option<String>,
}

/// Issues a one-time token; the principal's earlier unused tokens for the
/// same purpose stop working.
pub fn issue_token(
    conn: &Connection,
    realm: Realm,
    principal_id: i64,
    purpose: TokenPurpose,
    detail: Option<&str>,
    now: i64,
) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "UPDATE account_tokens SET used_at = ?4
         WHERE realm = ?1 AND principal_id = ?2 AND purpose = ?3 AND used_at IS NULL",
    )?
    .execute(params![realm.as_str(), principal_id, purpose.as_str(), now])?;
    conn.prepare_cached(
        "INSERT INTO account_tokens (hash, realm, principal_id, purpose, detail, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        secrets::hash(&token),
        realm.as_str(),
        principal_id,
        purpose.as_str(),
        detail,
        now,
        now + purpose.ttl_secs(realm)
    ])?;
    Ok(token)
}

/// A row of `account_tokens`: principal, purpose, detail, expiry, use.
type TokenRow = (i64, String, Option<String>, i64, Option<i64>);

/// What a token of `realm` is for, if it can still be used for one of
/// `purposes`; otherwise why not. Another realm's or purpose's token reads
/// as unknown.
pub fn peek_token(
    conn: &Connection,
    realm: Realm,
    purposes: &[TokenPurpose],
    token: &str,
    now: i64,
) -> Result<Redeemable> {
    let found: Option<TokenRow> = conn
        .prepare_cached(
            "SELECT principal_id, purpose, detail, expires_at, used_at FROM account_tokens
             WHERE hash = ?1 AND realm = ?2",
        )?
        .query_row(
            params![secrets::hash(token.trim()), realm.as_str()],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .optional()?;
    let Some((principal_id, purpose, detail, expires_at, used_at)) = found else {
        return Err(Error::LinkInvalid);
    };
    let Some(purpose) = TokenPurpose::parse(&purpose).filter(|p| purposes.contains(p)) else {
        return Err(Error::LinkInvalid);
    };
    if used_at.is_some() {
        return Err(Error::LinkUsed);
    }
    if expires_at <= now {
        return Err(Error::LinkExpired);
    }
    Ok(Redeemable {
        principal_id,
        purpose,
        detail,
    })
}

/// Uses up a token: what it was for, or why not.
pub fn redeem_token(
    conn: &Connection,
    realm: Realm,
    purposes: &[TokenPurpose],
    token: &str,
    now: i64,
) -> Result<Redeemable> {
    let found = peek_token(conn, realm, purposes, token, now)?;
    conn.prepare_cached("UPDATE account_tokens SET used_at = ?2 WHERE hash = ?1")?
        .execute(params![secrets::hash(token.trim()), now])?;
    Ok(found)
}

/// Starts a session; returns the token for the cookie.
pub fn create_session(
    conn: &Connection,
    realm: Realm,
    principal_id: i64,
    remember: bool,
    now: i64,
) -> Result<String> {
    let token = secrets::token()?;
    conn.prepare_cached(
        "INSERT INTO sessions (hash, realm, principal_id, created_at, last_seen_at, remember)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
    )?
    .execute(params![
        secrets::hash(&token),
        realm.as_str(),
        principal_id,
        now,
        remember
    ])?;
    Ok(token)
}

/// A live session: whose, and when it was last used.
#[derive(Debug)]
pub struct Live {
    pub principal_id: i64,
    pub last_seen_at: i64,
}

/// The session `token` of `realm`, if it is within its idle and absolute
/// lifetimes.
pub fn session(conn: &Connection, realm: Realm, token: &str, now: i64) -> Result<Option<Live>> {
    let found: Option<(i64, i64, i64, bool)> = conn
        .prepare_cached(
            "SELECT principal_id, created_at, last_seen_at, remember FROM sessions
             WHERE hash = ?1 AND realm = ?2",
        )?
        .query_row(params![secrets::hash(token), realm.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    Ok(
        found.and_then(|(principal_id, created_at, last_seen_at, remember)| {
            let lifetime = realm.lifetime(remember);
            (last_seen_at > now - lifetime.idle && created_at > now - lifetime.absolute).then_some(
                Live {
                    principal_id,
                    last_seen_at,
                },
            )
        }),
    )
}

pub fn touch_session(conn: &Connection, token: &str, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE sessions SET last_seen_at = ?2 WHERE hash = ?1")?
        .execute(params![secrets::hash(token), now])?;
    Ok(())
}

pub fn end_session(conn: &Connection, token: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE hash = ?1")?
        .execute([secrets::hash(token)])?;
    Ok(())
}

/// Ends every session of a principal ("sign out everywhere", a new password).
pub fn end_all_sessions(conn: &Connection, realm: Realm, principal_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE realm = ?1 AND principal_id = ?2")?
        .execute(params![realm.as_str(), principal_id])?;
    Ok(())
}

/// Drops what can never be used again: sessions idle past the longest
/// timeout, tokens a week after they expired.
pub fn purge(conn: &Connection, now: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE last_seen_at <= ?1")?
        .execute([now - Realm::LONGEST_IDLE])?;
    conn.prepare_cached("DELETE FROM account_tokens WHERE expires_at <= ?1")?
        .execute([now - 7 * 24 * 3600])?;
    Ok(())
}
