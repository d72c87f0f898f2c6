//! The IMAP poller's state (migration 0012): per mailbox, the lease that lets
//! one instance poll at a time, the UIDVALIDITY and highest UID dealt with,
//! and the messages to fetch again later.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// Takes or renews the lease of `mailbox` for `holder` until `until`; false
/// while another instance holds an unexpired one.
pub fn take_lease(
    conn: &Connection,
    mailbox: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO imap_mailboxes (mailbox, holder, lease_until) VALUES (?1, ?2, ?3)
             ON CONFLICT (mailbox) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
             WHERE imap_mailboxes.holder = excluded.holder OR imap_mailboxes.lease_until < ?4",
        )?
        .execute(params![mailbox, holder, until, now])?;
    Ok(changed == 1)
}

/// Gives the lease up (a clean shutdown), so the next instance starts at once.
pub fn release_lease(conn: &Connection, mailbox: &str, holder: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE imap_mailboxes SET lease_until = 0 WHERE mailbox = ?1 AND holder = ?2",
    )?
    .execute(params![mailbox, holder])?;
    Ok(())
}

/// The highest UID dealt with under `uid_validity`. A mailbox seen for the
/// first time, or whose UIDVALIDITY changed (its UIDs now name other
/// messages), starts again from 0 without pending retries. `None` when the
/// lease is no longer `holder`'s.
pub fn last_uid(
    conn: &Connection,
    mailbox: &str,
    holder: &str,
    uid_validity: i64,
) -> Result<Option<i64>> {
    let Some((known, last)) = conn
        .prepare_cached(
            "SELECT uid_validity, last_uid FROM imap_mailboxes WHERE mailbox = ?1 AND holder = ?2",
        )?
        .query_row(params![mailbox, holder], |row| {
            Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, i64>(1)?))
        })
        .optional()?
    else {
        return Ok(None);
    };
    if known == Some(uid_validity) {
        return Ok(Some(last));
    }
    conn.prepare_cached(
        "UPDATE imap_mailboxes SET uid_validity = ?2, last_uid = 0 WHERE mailbox = ?1",
    )?
    .execute(params![mailbox, uid_validity])?;
    conn.prepare_cached("DELETE FROM imap_retries WHERE mailbox = ?1")?
        .execute([mailbox])?;
    Ok(Some(0))
}

/// Records that message `uid` is dealt with (posted, ignored, refused):
/// the UID mark moves past it and it leaves the retry list. False when the
/// lease is no longer `holder`'s (then nothing is written).
pub fn done(conn: &Connection, mailbox: &str, holder: &str, uid: i64) -> Result<bool> {
    if !advance(conn, mailbox, holder, uid)? {
        return Ok(false);
    }
    conn.prepare_cached("DELETE FROM imap_retries WHERE mailbox = ?1 AND uid = ?2")?
        .execute(params![mailbox, uid])?;
    Ok(true)
}

/// Records that message `uid` is to be tried again: the UID mark moves past
/// it (newer mail is not held up) and it is due again after a wait that
/// doubles with each attempt, from one minute to an hour.
pub fn defer(conn: &Connection, mailbox: &str, holder: &str, uid: i64, now: i64) -> Result<bool> {
    if !advance(conn, mailbox, holder, uid)? {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO imap_retries (mailbox, uid, attempts, due_at) VALUES (?1, ?2, 1, ?3 + 60)
         ON CONFLICT (mailbox, uid) DO UPDATE SET attempts = attempts + 1,
             due_at = ?3 + min(3600, 60 << min(attempts, 6))",
    )?
    .execute(params![mailbox, uid, now])?;
    Ok(true)
}

/// The retried messages due now, oldest first.
pub fn due(conn: &Connection, mailbox: &str, now: i64) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached(
        "SELECT uid FROM imap_retries WHERE mailbox = ?1 AND due_at <= ?2 ORDER BY uid",
    )?;
    let uids = statement
        .query_map(params![mailbox, now], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(uids)
}

fn advance(conn: &Connection, mailbox: &str, holder: &str, uid: i64) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE imap_mailboxes SET last_uid = max(last_uid, ?3) WHERE mailbox = ?1 AND holder = ?2",
        )?
        .execute(params![mailbox, holder, uid])?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: &str = "desk@mail.example.com:993/INBOX";

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("open");
        super::super::migrate::run(&mut conn).expect("migrate");
        conn
    }

    #[test]
    fn one_holder_at_a_time_until_its_lease_ends_or_is_given_up() {
        let conn = database();
        assert!(take_lease(&conn, BOX, "a", 100, 190).expect("take"));
        assert!(!take_lease(&conn, BOX, "b", 150, 240).expect("held by a"));
        assert!(take_lease(&conn, BOX, "a", 150, 240).expect("renewed"));
        // b cannot move the mark while a holds the mailbox.
        assert_eq!(last_uid(&conn, BOX, "b", 7).expect("read"), None);
        assert!(!done(&conn, BOX, "b", 5).expect("not b's"));
        assert!(take_lease(&conn, BOX, "b", 241, 331).expect("a's lease ended"));
        assert!(!done(&conn, BOX, "a", 5).expect("no longer a's"));
        release_lease(&conn, BOX, "b").expect("release");
        assert!(take_lease(&conn, BOX, "a", 242, 332).expect("given up"));
    }

    #[test]
    fn the_uid_mark_holds_per_uidvalidity_and_retries_wait() {
        let conn = database();
        assert!(take_lease(&conn, BOX, "a", 100, 190).expect("take"));
        assert_eq!(last_uid(&conn, BOX, "a", 7).expect("first"), Some(0));
        assert!(done(&conn, BOX, "a", 3).expect("done"));
        assert!(defer(&conn, BOX, "a", 4, 100).expect("deferred"));
        assert!(done(&conn, BOX, "a", 2).expect("an older retry"));
        assert_eq!(last_uid(&conn, BOX, "a", 7).expect("same"), Some(4));
        assert_eq!(due(&conn, BOX, 159).expect("due"), Vec::<i64>::new());
        assert_eq!(due(&conn, BOX, 160).expect("due"), vec![4]);
        assert!(defer(&conn, BOX, "a", 4, 160).expect("again"));
        assert_eq!(due(&conn, BOX, 279).expect("due"), Vec::<i64>::new());
        assert_eq!(due(&conn, BOX, 280).expect("due"), vec![4]);
        // A rebuilt mailbox: its UIDs name other messages.
        assert_eq!(last_uid(&conn, BOX, "a", 8).expect("reset"), Some(0));
        assert_eq!(due(&conn, BOX, 10_000).expect("none"), Vec::<i64>::new());
    }
}
