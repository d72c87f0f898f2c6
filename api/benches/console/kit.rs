//! The console bench's tools: starting `pasokh`, timing requests (p50 and
//! p99), the counts query in process, the server's memory and the database
//! as the bench sees them.

use std::{net::TcpListener, path::Path, process::Command, time::Instant};

pub const RUNS: usize = 200;
pub const EMAIL: &str = "bench-admin@desk.test";
pub const PASSWORD: &str = "plum orchard at noon";

pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

pub fn db_bytes(dir: &Path) -> u64 {
    ["pasokh.db", "pasokh.db-wal"]
        .iter()
        .filter_map(|name| std::fs::metadata(dir.join(name)).ok())
        .map(|m| m.len())
        .sum()
}

pub fn pasokh(dir: &Path, url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pasokh"));
    command
        .env_clear()
        .env("PASOKH_DATA_DIR", dir)
        .env("PASOKH_PUBLIC_URL", url)
        .env("PASOKH_LOG", "warn");
    command
}

pub fn sql_rows(dir: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join("pasokh.db")).expect("open db");
    let mut statement = conn.prepare(sql).expect("prepare");
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

pub struct Row {
    pub label: String,
    pub p50: f64,
    pub p99: f64,
    pub target: f64,
}

/// Runs `RUNS` requests of `paths` (in turn) and keeps p50 and p99.
pub async fn measure(
    client: &reqwest::Client,
    url: &str,
    label: &str,
    target: f64,
    paths: &[String],
) -> Row {
    let mut latencies = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let path = &paths[i % paths.len()];
        let started = Instant::now();
        let response = client
            .get(format!("{url}/api{path}"))
            .send()
            .await
            .expect("request");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.bytes().await.expect("body");
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64()
            * 1000.0
    };
    Row {
        label: label.to_owned(),
        p50: pct(0.50),
        p99: pct(0.99),
        target,
    }
}

pub fn count(dir: &Path) -> String {
    sql_rows(dir, "SELECT CAST(count(*) AS TEXT) FROM tickets").remove(0)
}

pub fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
