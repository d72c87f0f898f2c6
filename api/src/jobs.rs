//! Periodic housekeeping, at start-up and every ten minutes: the purge of
//! unconfirmed tickets and stale uploads, and of partial uploads a crash left.

use std::{sync::Arc, time::Duration};

use crate::{
    db::{self, Db, purge},
    files::Store,
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
