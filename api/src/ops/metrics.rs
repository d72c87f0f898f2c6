//! `/metrics` in the Prometheus (OpenMetrics) text format, on a listener
//! of its own (`PASOKH_METRICS_LISTEN`, off by default) so it is never
//! public by accident. No personal data: requests are labelled with the
//! matched route template (never the raw path), method and status.
//!
//! Counters are per process (Prometheus sums instances); the outbox backlog
//! and the database size are read from the database at scrape time, so they
//! are the desk's whatever instance is asked.

use std::{net::SocketAddr, path::PathBuf, sync::LazyLock, time::Duration};

use axum::{Router, extract::State, http::header, response::IntoResponse, routing::get};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};

use crate::{
    db::{self, Db, ops},
    error::{Error, Result},
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MailLabels {
    /// `sent`, `retry` (will be tried again) or `refused` (for good).
    pub outcome: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Latency,
    pub tickets_created: Counter,
    pub tickets_confirmed: Counter,
    pub mail_queued: Counter,
    pub mail_attempts: Family<MailLabels, Counter>,
    pub rate_limited: Counter,
    pub batch_size: Histogram,
    pub commit_seconds: Histogram,
    outbox_unsent: Gauge,
    outbox_oldest_age: Gauge,
    database_bytes: Gauge,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("pasokh");
    let metrics = Metrics {
        requests: Family::default(),
        latency: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
        tickets_created: Counter::default(),
        tickets_confirmed: Counter::default(),
        mail_queued: Counter::default(),
        mail_attempts: Family::default(),
        rate_limited: Counter::default(),
        batch_size: Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]),
        commit_seconds: Histogram::new(exponential_buckets(0.000_1, 2.0, 14)),
        outbox_unsent: Gauge::default(),
        outbox_oldest_age: Gauge::default(),
        database_bytes: Gauge::default(),
        registry: Registry::default(),
    };
    let m = &metrics;
    registry.register(
        "http_requests",
        "HTTP requests by matched route, method and status",
        m.requests.clone(),
    );
    registry.register(
        "http_request_duration_seconds",
        "Time to answer, by matched route",
        m.latency.clone(),
    );
    registry.register(
        "tickets_created",
        "Tickets created (awaiting confirmation)",
        m.tickets_created.clone(),
    );
    registry.register(
        "tickets_confirmed",
        "Tickets confirmed (opened)",
        m.tickets_confirmed.clone(),
    );
    registry.register(
        "mail_queued",
        "Messages put in the outbox",
        m.mail_queued.clone(),
    );
    registry.register(
        "mail_attempts",
        "Delivery attempts by outcome",
        m.mail_attempts.clone(),
    );
    registry.register(
        "rate_limit_refusals",
        "Events refused by a rate limit",
        m.rate_limited.clone(),
    );
    registry.register(
        "db_write_batch_size",
        "Writes committed together by the writer",
        m.batch_size.clone(),
    );
    registry.register(
        "db_commit_seconds",
        "Time of one write batch, BEGIN to COMMIT",
        m.commit_seconds.clone(),
    );
    registry.register(
        "outbox_unsent",
        "Messages waiting to be sent",
        m.outbox_unsent.clone(),
    );
    registry.register(
        "outbox_oldest_unsent_age_seconds",
        "Age of the oldest unsent message",
        m.outbox_oldest_age.clone(),
    );
    registry.register(
        "database_bytes",
        "Size of the database file and its WAL",
        m.database_bytes.clone(),
    );
    Metrics {
        registry,
        ..metrics
    }
});

pub fn metrics() -> &'static Metrics {
    &METRICS
}

/// A method label from a fixed set, whatever a client sends.
pub fn method_label(method: &axum::http::Method) -> String {
    use axum::http::Method;
    let known = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ];
    if known.contains(method) {
        method.as_str().to_owned()
    } else {
        "other".to_owned()
    }
}

/// Counts one answered request.
pub fn record_request(route: &str, method: &axum::http::Method, status: u16, elapsed: Duration) {
    let route = route.to_owned();
    metrics()
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method: method_label(method),
            status,
        })
        .inc();
    metrics()
        .latency
        .get_or_create(&RouteLabels { route })
        .observe(elapsed.as_secs_f64());
}

#[derive(Clone)]
struct Scrape {
    db: Db,
    database: PathBuf,
}

/// Serves `/metrics` on `address` until the process ends.
pub async fn serve(address: SocketAddr, db: Db, database: PathBuf) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
    let app = Router::new()
        .route("/metrics", get(scrape))
        .with_state(Scrape { db, database });
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    });
    Ok(())
}

async fn scrape(State(scrape): State<Scrape>) -> Result<impl IntoResponse> {
    let (unsent, oldest) = scrape.db.read(ops::outbox_backlog).await?;
    let m = metrics();
    m.outbox_unsent.set(unsent);
    m.outbox_oldest_age
        .set(oldest.map_or(0, |queued| (db::now() - queued).max(0)));
    let mut bytes = 0;
    for suffix in ["", "-wal"] {
        let mut path = scrape.database.clone().into_os_string();
        path.push(suffix);
        bytes += tokio::fs::metadata(&path)
            .await
            .map_or(0, |meta| meta.len());
    }
    m.database_bytes.set(bytes as i64);
    let mut text = String::new();
    encode(&mut text, &m.registry).map_err(Error::internal)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    ))
}
