//! The pasokh server as a library: `serve` runs it, `app` builds its router.
//! `main.rs` only reads the configuration and reports start-up failures.

pub mod assets;
pub mod auth;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod db;
pub mod error;
pub mod files;
pub mod inbound;
pub mod jobs;
pub mod layers;
pub mod mail;
pub mod ops;
pub mod pages;
pub mod routes;
pub mod secrets;
pub mod seed;
pub mod server;

use std::sync::Arc;

use axum::{Router, middleware};
use tokio::sync::Notify;

use crate::{config::Config, db::Db, error::StartupError, files::Store};

/// What every handler can reach. Everything here is a handle to shared
/// state on disk (database, files); nothing is kept only in memory.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    /// Wakes the mail worker when something was queued.
    pub mail_wake: Arc<Notify>,
}

/// The whole HTTP surface: the API under `/api`, the web app everywhere else.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", routes::api())
        .route("/healthz", axum::routing::get(ops::health::healthz))
        .route("/readyz", axum::routing::get(ops::health::readyz))
        // Index pages drawn per request; every other route's is embedded.
        .route("/new", axum::routing::get(pages::new_ticket::show))
        .route(
            "/tickets/{reference}",
            axum::routing::get(pages::ticket::show),
        )
        .fallback(assets::serve)
        .with_state(state.clone())
        .layer(layers::compression())
        .layer(middleware::from_fn(layers::log))
        .layer(middleware::from_fn_with_state(
            state,
            layers::security_headers,
        ))
}

/// Start-up: data folder, database, background workers, then serve until
/// SIGINT or SIGTERM. Each step's error says what to fix.
pub async fn serve(mut config: Config) -> Result<(), StartupError> {
    let data_dir = config.data_dir.clone();
    std::fs::create_dir_all(&data_dir).map_err(|source| StartupError::DataDir {
        path: data_dir.clone(),
        source,
    })?;
    let db_path = data_dir.join("pasokh.db");
    let db = Db::open(&db_path).map_err(|cause| StartupError::Database {
        path: db_path.clone(),
        cause,
    })?;
    let store = Arc::new(
        Store::open(&data_dir).map_err(|source| StartupError::Files {
            path: data_dir.clone(),
            source,
        })?,
    );
    let mail_wake = Arc::new(Notify::new());
    // The reply-address key is made here at first start (kept in the database).
    let reply_key = db
        .write(db::inbound::reply_key)
        .await
        .map_err(|error| StartupError::Mail(error.to_string()))?;
    let worker = mail::worker::Worker::new(
        db.clone(),
        config.smtp_url.as_deref(),
        &config.mail_from,
        inbound::address::ReplyAddress::new(&config.inbound, reply_key),
        mail_wake.clone(),
    )
    .map_err(|error| StartupError::Mail(error.to_string()))?;
    if config.smtp_url.is_none() {
        tracing::warn!(
            "PASOKH_SMTP_URL is not set: emails are written to this log instead of being sent"
        );
    }
    tokio::spawn(worker.run());
    tokio::spawn(jobs::purge_loop(db.clone(), store.clone()));

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartupError::Listen {
            address: config.listen,
            source,
        })?;
    let address = listener.local_addr().map_err(StartupError::Serve)?;
    if let Some(metrics) = config.ops.metrics_listen {
        ops::metrics::serve(metrics, db.clone(), db_path.clone())
            .await
            .map_err(|source| StartupError::Listen {
                address: metrics,
                source,
            })?;
    }
    if !config.public_url_given {
        // With port 0 the links must carry the port actually chosen.
        config.public_url = format!("http://{address}");
    }
    tracing::info!(data_dir = %config.data_dir.display(), public_url = %config.public_url, "pasokh {} ready", env!("CARGO_PKG_VERSION"));
    tracing::info!("listening on http://{address}");
    tokio::spawn(jobs::auto_close_loop(
        db.clone(),
        config.public_url.clone(),
        mail_wake.clone(),
    ));
    let limits = config.connections;
    let trusted_proxies = config.trusted_proxies.clone();
    let state = AppState {
        db,
        config: Arc::new(config),
        store,
        mail_wake,
    };
    // After the public address is known: posted replies mail links.
    let imap = inbound::imap::spawn(state.db.clone(), state.config.clone())
        .map_err(|error| StartupError::Mail(error.to_string()))?;
    server::run(
        listener,
        app(state),
        limits,
        trusted_proxies,
        shutdown_signal(),
    )
    .await;
    if let Some(imap) = imap {
        imap.stop().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish. Queued mail
/// stays in the outbox for the next start.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
