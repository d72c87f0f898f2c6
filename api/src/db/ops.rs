//! SQL for operating a data folder: the readiness probe, the consistent
//! copy a backup starts from, the integrity check and the figures a backup
//! manifest and `/metrics` report.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// An upload row's file as the database knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    pub stored_name: String,
    pub size: u64,
}

/// What a data folder holds, for a manifest or a check report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub tickets: i64,
    pub messages: i64,
    pub uploads: i64,
}

/// A connection for a command run beside (or instead of) the server: no
/// migration, no writer thread. It waits for the server's write lock like
/// any other connection does.
pub fn open(path: &Path, read_only: bool) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::internal(format!(
            "there is no database at {}",
            path.display()
        )));
    }
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The schema version this binary migrates databases to.
pub fn known_schema_version() -> i64 {
    super::migrate::KNOWN as i64
}

/// The schema version a database is at.
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// A consistent copy of the whole database in a new file, written from one
/// read transaction: in WAL mode the server's writer goes on committing
/// meanwhile, and the copy is the database as of the moment it began.
pub fn copy_into(conn: &Connection, target: &Path) -> Result<()> {
    let target = target
        .to_str()
        .ok_or_else(|| Error::internal("the backup path is not valid UTF-8"))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// Opens a copy made by `copy_into` as a plain file with no WAL beside it,
/// the form it is archived in (the server turns WAL back on when it opens it).
pub fn open_copy(path: &Path) -> Result<Connection> {
    let conn = open(path, false)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(conn)
}

/// Every file an upload row names, in name order.
pub fn files(conn: &Connection) -> Result<Vec<FileRow>> {
    let mut statement =
        conn.prepare("SELECT stored_name, size FROM uploads ORDER BY stored_name")?;
    let rows = statement.query_map([], |row| {
        Ok(FileRow {
            stored_name: row.get(0)?,
            size: row.get::<_, i64>(1)?.max(0) as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM messages),
                (SELECT count(*) FROM uploads)",
        [],
        |row| {
            Ok(Counts {
                tickets: row.get(0)?,
                messages: row.get(1)?,
                uploads: row.get(2)?,
            })
        },
    )?)
}

/// SQLite's own integrity check: empty when the file is sound, else what
/// it found.
pub fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare("PRAGMA integrity_check")?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    let found = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found.into_iter().filter(|line| line != "ok").collect())
}

/// Unsent mail: how many messages, and the Unix time the oldest was queued.
pub fn outbox_backlog(conn: &Connection) -> Result<(i64, Option<i64>)> {
    Ok(conn.query_row(
        "SELECT count(*), min(created_at) FROM outbox
         WHERE sent_at IS NULL AND failed_at IS NULL",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?)
}
