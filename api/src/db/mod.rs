//! The SQLite database: one writer thread and a pool of reader connections.
//!
//! Why this layout: SQLite allows one writer at a time anyway, so a single
//! writer thread that takes jobs from a channel and commits whatever is queued
//! in one transaction ("group commit") gets `synchronous=FULL` durability at
//! close to `NORMAL` speed. Readers run in WAL mode beside it on
//! `spawn_blocking` threads. No SQLite call ever runs on a tokio worker.
//!
//! Invariant: SQL lives in this module's files only; the rest of the server
//! calls the typed functions they export.

pub mod auth;
pub mod auto_close;
pub mod canned;
pub mod console;
pub mod credentials;
pub mod customers;
pub mod department_mail;
pub mod departments;
pub mod forms;
pub mod imap;
pub mod inbound;
pub mod links;
mod migrate;
pub mod ops;
pub mod outbox;
pub mod purge;
pub mod queue;
pub mod rate;
pub mod ratings;
pub mod search;
pub mod seed;
pub mod staff;
pub mod tickets;
pub mod uploads;

use std::{
    panic::{self, AssertUnwindSafe},
    path::{Path, PathBuf},
    sync::{Arc, Mutex, mpsc},
    thread,
};

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// A queued write: runs inside the batch transaction (or, given `None`, is
/// told the transaction could not start) and returns the function that hands
/// its result over once the batch has committed.
type Job = Box<dyn FnOnce(Option<&Connection>) -> Delivery + Send>;
type Delivery = Box<dyn FnOnce(Result<()>) + Send>;

/// How many queued writes one transaction takes at most.
const BATCH: usize = 64;
/// How many reader connections are kept open between requests.
const IDLE_READERS: usize = 8;

/// A cheap handle; clone it freely.
#[derive(Clone)]
pub struct Db {
    writer: mpsc::Sender<Job>,
    readers: Arc<Readers>,
}

struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

/// Pragmas every connection gets. `busy_timeout` covers a second instance
/// (or a `VACUUM INTO` backup, see the README) holding the write lock for a
/// moment.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
}

impl Db {
    /// Opens (creating if needed) the database, runs pending migrations in
    /// one transaction, and starts the writer thread.
    pub fn open(path: &Path) -> Result<Db> {
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        migrate::run(&mut conn)?;
        let tx = conn.transaction()?;
        let indexed = search::backfill(&tx)?;
        tx.commit()?;
        if indexed > 0 {
            tracing::info!(tickets = indexed, "indexed tickets for search");
        }
        let (writer, jobs) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_loop(conn, jobs))
            .map_err(Error::from)?;
        Ok(Db {
            writer,
            readers: Arc::new(Readers {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs `f` on the writer thread inside a transaction (shared with other
    /// queued writes, isolated from them by a savepoint). If `f` fails, its
    /// changes are rolled back; its result arrives only after the commit.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (done, result) = oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |conn| {
            let outcome = match conn {
                Some(conn) => run_in_savepoint(conn, f),
                None => Err(Error::internal("the write transaction could not start")),
            };
            Box::new(move |commit: Result<()>| {
                let _ = done.send(commit.and(outcome));
            })
        });
        self.writer
            .send(job)
            .map_err(|_| Error::internal("the database writer has stopped"))?;
        result
            .await
            .map_err(|_| Error::internal("the database writer dropped a job"))?
    }

    /// Runs `f` with a reader connection on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.idle.lock().map_err(Error::internal)?.pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => {
                    let conn = Connection::open(&readers.path)?;
                    configure(&conn)?;
                    conn
                }
            };
            let result = f(&conn);
            let mut idle = readers.idle.lock().map_err(Error::internal)?;
            // A burst may open many connections; only a few are kept.
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
            result
        })
        .await?
    }
}

fn run_in_savepoint<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.execute_batch("SAVEPOINT job")?;
    let outcome = f(conn);
    let end = if outcome.is_ok() {
        "RELEASE job"
    } else {
        "ROLLBACK TO job; RELEASE job"
    };
    conn.execute_batch(end)?;
    outcome
}

fn write_loop(conn: Connection, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let started = std::time::Instant::now();
        let batch_size = batch.len();
        if let Err(error) = conn.execute_batch("BEGIN IMMEDIATE") {
            tracing::error!(%error, "could not start a write transaction");
            for job in batch {
                job(None)(Ok(()));
            }
            continue;
        }
        let mut deliveries = Vec::with_capacity(batch.len());
        let mut jobs_left = batch.into_iter();
        for job in jobs_left.by_ref() {
            // A job that panics must not take the writer thread (and with it
            // every later write) down: its savepoint is rolled back and its
            // caller, whose reply channel was dropped, gets an error.
            match panic::catch_unwind(AssertUnwindSafe(|| job(Some(&conn)))) {
                Ok(delivery) => deliveries.push(delivery),
                Err(_) => {
                    tracing::error!("a database job panicked; its changes are rolled back");
                    let _ = conn.execute_batch("ROLLBACK TO job; RELEASE job");
                }
            }
            // Some errors (disk full, I/O) make SQLite roll back the whole
            // transaction; nothing more may run as if it were still open.
            if conn.is_autocommit() {
                break;
            }
        }
        let commit = if conn.is_autocommit() {
            Err("the transaction was rolled back by SQLite".to_owned())
        } else {
            search::index_pending(&conn)
                .map_err(|e| format!("search index: {e:?}"))
                .and_then(|_| {
                    conn.execute_batch("COMMIT")
                        .map_err(|e| format!("commit: {e}"))
                })
        };
        let metrics = crate::ops::metrics::metrics();
        metrics.batch_size.observe(batch_size as f64);
        metrics
            .commit_seconds
            .observe(started.elapsed().as_secs_f64());
        if let Err(cause) = &commit {
            tracing::error!(cause, "a write batch was not committed");
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
        let outcome = || {
            commit
                .clone()
                .map_err(|cause| Error::internal(format!("database {cause}")))
        };
        for deliver in deliveries {
            deliver(outcome());
        }
        for job in jobs_left {
            job(None)(outcome());
        }
    }
}

/// Unix time in seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn open() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("test.db")).expect("open");
        db.write(|conn| Ok(conn.execute_batch("CREATE TABLE t (v INTEGER)")?))
            .await
            .expect("create");
        (dir, db)
    }

    async fn values(db: &Db) -> Vec<i64> {
        db.read(|conn| {
            let mut statement = conn.prepare("SELECT v FROM t ORDER BY v")?;
            let rows = statement.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
        })
        .await
        .expect("read")
    }

    #[tokio::test]
    async fn a_failed_write_is_undone_without_touching_its_batch_mates() {
        let (_dir, db) = open().await;
        // Queued together, so they share one transaction.
        let (a, b, c) = tokio::join!(
            db.write(|conn| Ok(conn.execute("INSERT INTO t VALUES (1)", [])?)),
            db.write(|conn| {
                conn.execute("INSERT INTO t VALUES (2)", [])?;
                Err::<(), _>(Error::NotFound)
            }),
            db.write(|conn| Ok(conn.execute("INSERT INTO t VALUES (3)", [])?)),
        );
        assert!(a.is_ok() && c.is_ok());
        assert!(matches!(b, Err(Error::NotFound)));
        assert_eq!(values(&db).await, [1, 3]);
    }

    #[tokio::test]
    async fn a_panicking_write_does_not_stop_the_writer() {
        let (_dir, db) = open().await;
        let panicked = db
            .write(|conn| -> Result<()> {
                conn.execute("INSERT INTO t VALUES (7)", [])?;
                panic!("a bug in a job");
            })
            .await;
        assert!(panicked.is_err());
        db.write(|conn| Ok(conn.execute("INSERT INTO t VALUES (8)", [])?))
            .await
            .expect("the writer still works");
        assert_eq!(values(&db).await, [8]);
    }
}
