//! `GET /healthz` (the process answers; touches nothing) and `GET /readyz`
//! (this instance can do its work: the writer thread commits, the schema is
//! the one this binary knows, the outbox worker is running). Both are cheap
//! enough for a load balancer to call every second: no request log line at
//! info, no rate limit; `/readyz` costs one empty write transaction and
//! logs a warning only when its answer changes.

use std::{
    sync::atomic::{AtomicBool, AtomicI64, Ordering},
    time::Duration,
};

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};

use crate::{
    AppState,
    db::{self, ops},
};

/// When the outbox worker last showed it was running (Unix seconds); per
/// process, as readiness is.
static OUTBOX_BEAT: AtomicI64 = AtomicI64::new(0);
static WAS_READY: AtomicBool = AtomicBool::new(true);
/// The writer must answer the probe within this.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// The worker beats at least every poll (5 s) and as each delivery starts
/// (one takes at most 60 s); silence longer than this means it is stuck or gone.
const OUTBOX_SILENCE_SECS: i64 = 150;

/// Called by the outbox worker whenever it goes round or starts a delivery.
pub fn outbox_beat() {
    OUTBOX_BEAT.store(db::now(), Ordering::Relaxed);
}

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    // A job through the writer: it runs inside `BEGIN IMMEDIATE`, so it
    // proves the thread is alive and can take the write lock; an empty
    // transaction commits without touching the disk.
    let probe = tokio::time::timeout(PROBE_TIMEOUT, state.db.write(ops::schema_version)).await;
    let (database, migrations) = match probe {
        Err(_) => (
            format!(
                "the database writer did not answer within {} s",
                PROBE_TIMEOUT.as_secs()
            ),
            "not checked".to_owned(),
        ),
        Ok(Err(error)) => (
            format!("the database is not writable: {error}"),
            "not checked".to_owned(),
        ),
        Ok(Ok(version)) if version == ops::known_schema_version() => ("ok".into(), "ok".into()),
        Ok(Ok(version)) => (
            "ok".into(),
            format!(
                "the schema is at version {version}, this binary knows {}",
                ops::known_schema_version()
            ),
        ),
    };
    let silence = db::now() - OUTBOX_BEAT.load(Ordering::Relaxed);
    let outbox = if silence <= OUTBOX_SILENCE_SECS {
        "ok".to_owned()
    } else {
        format!("the outbox worker has not run for {OUTBOX_SILENCE_SECS} s or more")
    };
    let checks = [
        ("database", database),
        ("migrations", migrations),
        ("outbox", outbox),
    ];
    let failed: Vec<&str> = checks
        .iter()
        .filter(|(_, state)| state != "ok")
        .map(|(name, _)| *name)
        .collect();
    let ready = failed.is_empty();
    if WAS_READY.swap(ready, Ordering::Relaxed) != ready {
        tracing::warn!(ready, ?checks, "readiness changed");
    }
    let body = json!({
        "ready": ready,
        "failed": failed,
        "checks": checks.iter().map(|(name, state)| (name.to_string(), Value::from(state.as_str()))).collect::<serde_json::Map<_, _>>(),
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}
