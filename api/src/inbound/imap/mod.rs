//! The built-in IMAP poller (`PASOKH_IMAP_URL`), started by `serve`: reads
//! one mailbox and puts each new message through `ingest_into`, the path of
//! `pasokh mail ingest`, then flags it `\Seen` (and `\Flagged` if refused)
//! and moves it to `PASOKH_IMAP_PROCESSED` if set.
//!
//! Never twice: the mailbox's UIDVALIDITY and the highest UID dealt with are
//! in the database (`db/imap.rs`), written after each message; a crash
//! between posting and that write fetches the message again, and
//! `ingest_into` answers `AlreadyPosted` (its Message-ID is on the ticket).
//! A changed UIDVALIDITY (the mailbox was rebuilt; old UIDs name other
//! messages) starts again from the first message still there: what was
//! posted is recognised by its Message-ID, so nothing is lost and nothing
//! posted twice — the price is that refusals are logged again.
//!
//! One instance at a time: a lease row in the database, renewed at least
//! every `RENEW`; IDLE (where offered) is ended and re-issued that often.

mod client;
mod wire;

use std::{sync::Arc, time::Duration};

use rusqlite::Connection;
use shared::limits::INBOUND_EMAIL_MAX_BYTES;
use tokio::task::JoinHandle;

use self::client::Client;
use super::Outcome;
use crate::{
    config::{Config, inbound::Imap},
    db::{self, Db, imap},
    error::Result,
    secrets,
};

/// How long a lease lasts: another instance takes over this long after the
/// one polling died.
const LEASE_SECS: i64 = 90;
/// The longest wait between rounds with IDLE (also the lease's renewal).
const RENEW: Duration = Duration::from_secs(30);
const _: () = assert!((RENEW.as_secs() as i64) * 2 < LEASE_SECS);
/// The wait between rounds when the server does not offer IDLE.
const POLL: Duration = Duration::from_secs(30);
/// Waits before reconnecting after a failure: doubling from the first to the last.
const BACKOFF: (Duration, Duration) = (Duration::from_secs(5), Duration::from_secs(300));

/// The running poller, stopped at shutdown so its lease goes at once.
pub struct Poller {
    task: JoinHandle<()>,
    db: Db,
    mailbox: String,
    holder: String,
}

/// What one poller works with.
struct Context {
    db: Db,
    config: Arc<Config>,
    imap: Imap,
    /// The mailbox's name in the database (`Imap::key`).
    mailbox: String,
    /// This process's name in the lease.
    holder: String,
}

/// Starts polling if `PASOKH_IMAP_URL` is set.
pub fn spawn(db: Db, config: Arc<Config>) -> Result<Option<Poller>> {
    let Some(imap) = config.inbound.imap.clone() else {
        return Ok(None);
    };
    let context = Context {
        db: db.clone(),
        mailbox: imap.key(),
        holder: secrets::token()?,
        config,
        imap,
    };
    let (mailbox, holder) = (context.mailbox.clone(), context.holder.clone());
    Ok(Some(Poller {
        task: tokio::spawn(run(context)),
        db,
        mailbox,
        holder,
    }))
}

impl Poller {
    /// Stops polling and gives the lease up: the next start, or another
    /// instance, goes on without waiting for it to expire.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        let (mailbox, holder) = (self.mailbox, self.holder);
        if let Err(error) = self
            .db
            .write(move |conn| imap::release_lease(conn, &mailbox, &holder))
            .await
        {
            tracing::warn!(%error, "IMAP poller: could not give its lease up");
        }
    }
}

impl Context {
    /// A write about this mailbox as this holder.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection, &str, &str) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (mailbox, holder) = (self.mailbox.clone(), self.holder.clone());
        self.db.write(move |conn| f(conn, &mailbox, &holder)).await
    }

    async fn lease(&self) -> Result<bool> {
        let now = db::now();
        self.write(move |conn, mailbox, holder| {
            imap::take_lease(conn, mailbox, holder, now, now + LEASE_SECS)
        })
        .await
    }
}

/// Forever: take the lease, connect, poll; on any failure log it, wait
/// (longer each time in a row) and connect again. Never ends the server.
async fn run(context: Context) {
    let mut wait = BACKOFF.0;
    let mut waiting_for_lease = false;
    loop {
        match context.lease().await {
            Ok(true) => waiting_for_lease = false,
            Ok(false) => {
                if !waiting_for_lease {
                    tracing::info!(mailbox = %context.mailbox, "IMAP poller: another instance polls this mailbox; waiting");
                    waiting_for_lease = true;
                }
                tokio::time::sleep(RENEW).await;
                continue;
            }
            Err(error) => tracing::error!(%error, "IMAP poller: the lease could not be read"),
        }
        let mut selected = false;
        match connected(&context, &mut selected).await {
            Ok(()) => continue,
            Err(error) => {
                if selected {
                    wait = BACKOFF.0;
                }
                tracing::warn!(%error, mailbox = %context.mailbox, retry_in_secs = wait.as_secs(), "IMAP poller: connection failed");
            }
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(BACKOFF.1);
    }
}

/// One connection: log in, select the folder, then rounds until a failure
/// (an error) or the lease went to another instance (`Ok`).
async fn connected(context: &Context, selected: &mut bool) -> Result<()> {
    let imap = &context.imap;
    let mut client = Client::login(imap).await?;
    if let Some(folder) = &imap.processed {
        client.create(folder).await?;
    }
    let validity = i64::try_from(client.select(&imap.folder).await?).unwrap_or(i64::MAX);
    let Some(mut last) = context
        .write(move |conn, mailbox, holder| imap::last_uid(conn, mailbox, holder, validity))
        .await?
    else {
        return Ok(());
    };
    *selected = true;
    let idle = client.has("IDLE");
    tracing::info!(mailbox = %context.mailbox, idle, last_uid = last, "IMAP poller: reading the mailbox");
    while round(context, &mut client, &mut last).await? {
        if idle {
            client.idle(RENEW).await?;
        } else {
            tokio::time::sleep(POLL).await;
        }
        if !context.lease().await? {
            return Ok(());
        }
    }
    Ok(())
}

/// Every retry that is due, then every message after `last`, in order;
/// false when the lease was lost on the way.
async fn round(context: &Context, client: &mut Client, last: &mut i64) -> Result<bool> {
    let (mailbox, now) = (context.mailbox.clone(), db::now());
    let due = context
        .db
        .read(move |conn| imap::due(conn, &mailbox, now))
        .await?;
    let first = u64::try_from(*last).unwrap_or(0) + 1;
    let fresh = client.sizes(first).await?;
    let work = due
        .into_iter()
        .map(|uid| (u64::try_from(uid).unwrap_or(0), 0))
        .chain(fresh);
    let mut renewed = tokio::time::Instant::now();
    for (uid, size) in work {
        // A long backlog must not outlast the lease.
        if renewed.elapsed() > RENEW {
            if !context.lease().await? {
                return Ok(false);
            }
            renewed = tokio::time::Instant::now();
        }
        let uid_number = i64::try_from(uid).unwrap_or(i64::MAX);
        let outcome = if size > INBOUND_EMAIL_MAX_BYTES as u64 {
            super::too_large()
        } else {
            match client.body(uid).await? {
                // Deleted meanwhile by someone else: nothing to do.
                None => {
                    if !context
                        .write(move |conn, mailbox, holder| {
                            imap::done(conn, mailbox, holder, uid_number)
                        })
                        .await?
                    {
                        return Ok(false);
                    }
                    continue;
                }
                Some(raw) if raw.len() > INBOUND_EMAIL_MAX_BYTES => super::too_large(),
                Some(raw) => super::ingest_into(&context.db, &context.config, &raw)
                    .await
                    .unwrap_or_else(|error| Outcome::Retry(error.to_string())),
            }
        };
        let kept = if let Outcome::Retry(why) = &outcome {
            tracing::warn!(uid, reason = %why, "IMAP poller: left in the mailbox, to try again later");
            let now = db::now();
            context
                .write(move |conn, mailbox, holder| {
                    imap::defer(conn, mailbox, holder, uid_number, now)
                })
                .await?
        } else {
            let refused = matches!(outcome, Outcome::Refused { .. });
            if refused {
                // No bounce can be sent from here: the log says why, and
                // the message is flagged for a person to look at.
                tracing::warn!(uid, outcome = %outcome.line(), "IMAP poller: refused");
            } else {
                tracing::info!(uid, outcome = %outcome.line(), "IMAP poller: processed");
            }
            client
                .dispose(uid, context.imap.processed.as_deref(), refused)
                .await?;
            context
                .write(move |conn, mailbox, holder| imap::done(conn, mailbox, holder, uid_number))
                .await?
        };
        if !kept {
            return Ok(false);
        }
        *last = (*last).max(uid_number);
    }
    Ok(true)
}
