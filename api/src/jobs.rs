//! Periodic housekeeping, at start-up and every ten minutes: the purge of
//! unconfirmed tickets and stale uploads, and of partial uploads a crash left;
//! and the auto-close of answered tickets the customer left unanswered.

use std::{sync::Arc, time::Duration};

use tokio::sync::Notify;

use crate::{
    db::{self, Db, auto_close, purge},
    files::Store,
    mail::closed::{Closer, queue_closed},
};

const EVERY: Duration = Duration::from_secs(600);

pub async fn purge_loop(db: Db, store: Arc<Store>) {
    loop {
        match db.write(|conn| purge::expired(conn, db::now())).await {
            Ok(files) => store.delete(&files).await,
            Err(error) => tracing::error!(?error, "purge failed"),
        }
        store.sweep_partial().await;
        tokio::time::sleep(EVERY).await;
    }
}

/// Started once the public address is known: the close mails carry links.
pub async fn auto_close_loop(db: Db, public_url: String, mail_wake: Arc<Notify>) {
    loop {
        auto_close(&db, &public_url, &mail_wake).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One write per batch, so a backlog of thousands of tickets lets other
/// writers in between batches instead of holding the writer for seconds.
async fn auto_close(db: &Db, public_url: &str, mail_wake: &Notify) {
    loop {
        let url = public_url.to_owned();
        let closed = db
            .write(move |conn| {
                auto_close::close_batch(conn, db::now(), |conn, ticket, days| {
                    queue_closed(conn, ticket, Closer::Auto { days }, &url, db::now())
                })
            })
            .await;
        match closed {
            Ok(0) => return,
            Ok(count) => {
                tracing::info!(count, "auto-closed answered tickets");
                mail_wake.notify_one();
                if count < auto_close::BATCH {
                    return;
                }
            }
            Err(error) => {
                tracing::error!(?error, "auto-close failed");
                return;
            }
        }
    }
}
