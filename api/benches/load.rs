//! `cargo bench -p api --bench load`: starts the release `pasokh` on a temp
//! data folder, sending mail to a local aiosmtpd that accepts and discards
//! (`aiosmtpd.handlers.Sink`: the tests' Maildir sink measures the disk it
//! writes to more than the desk), and measures ticket creation through the API with 1 and 16 clients, with
//! and without a 100 KiB attachment; next to tickets per second it prints the
//! confirmation mails the outbox worker got out per second during the same
//! run and the queue left behind, then how fast the rest drains, and the
//! server's resident memory, idle and loaded.
//! Every client uses its own loopback source address (127.0.x.y) for each
//! 20 tickets, and addresses are spread over many domains, so the per-IP and
//! per-domain rate limits stay on and are not what is measured.

// A bench with `harness = false` is a plain program, not #[test] code, so
// clippy.toml's test allowance does not reach it; like a test, it should stop
// with the location when its setup fails.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a measuring program: a panic is a failed run"
)]

use std::{
    io::{BufRead, BufReader},
    net::{IpAddr, Ipv4Addr, TcpListener},
    path::Path,
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

const PER_ADDRESS: usize = 20;
static NEXT_ADDRESS: AtomicUsize = AtomicUsize::new(0);

/// A client bound to a fresh loopback source address.
fn client() -> reqwest::Client {
    let n = NEXT_ADDRESS.fetch_add(1, Ordering::Relaxed);
    let ip = Ipv4Addr::new(127, 1, (n / 250) as u8, (n % 250 + 2) as u8);
    reqwest::Client::builder()
        .local_address(IpAddr::V4(ip))
        .build()
        .expect("client")
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn png_of(size: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.resize(size, 7);
    bytes
}

/// The id of the Financial form's transaction number (migration 0009),
/// which every ticket of the bench answers.
async fn transaction_field(http: &reqwest::Client, url: &str) -> Value {
    let departments: Value = http
        .get(format!("{url}/api/departments"))
        .send()
        .await
        .expect("departments")
        .json()
        .await
        .expect("json");
    departments
        .as_array()
        .and_then(|list| list.iter().find(|d| d["slug"] == "financial"))
        .map(|d| d["fields"][0]["id"].clone())
        .expect("the Financial form")
}

/// One client creating `count` tickets; returns each request's latency.
async fn create_tickets(url: &str, count: usize, attachment: bool, worker: usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(count);
    let mut http = client();
    let transaction = transaction_field(&http, url).await;
    for i in 0..count {
        if i > 0 && i % PER_ADDRESS == 0 {
            http = client();
        }
        let started = Instant::now();
        let mut uploads = Vec::new();
        if attachment {
            let response = http
                .post(format!("{url}/api/uploads?name=shot.png"))
                .header("x-pasokh-csrf", "1")
                .body(png_of(100 * 1024))
                .send()
                .await
                .expect("upload");
            assert_eq!(response.status(), 201, "upload refused");
            let body: Value = response.json().await.expect("json");
            uploads.push(body["id"].clone());
        }
        let response = http
            .post(format!("{url}/api/tickets"))
            .header("x-pasokh-csrf", "1")
            .json(&json!({
                "channel": "email",
                // One domain per 20 addresses: the per-domain limit is
                // for abuse aimed at one organisation, not what is measured.
                "email": format!("bench{worker}-{i}@w{worker}-{}.example.com", i / PER_ADDRESS),
                "department": "financial",
                "subject": "Withdrawal not received after three days",
                "description": "I withdrew money on Monday to my bank card and it has not arrived yet, the transaction id is 123456789.",
                "lang": "en",
                "uploads": uploads,
                "fields": [{ "id": transaction, "value": "123456789" }],
            }))
            .send()
            .await
            .expect("create");
        assert_eq!(
            response.status(),
            201,
            "create refused: {}",
            response.text().await.unwrap_or_default()
        );
        latencies.push(started.elapsed());
    }
    latencies
}

/// The outbox as the bench sees it: mails sent, and mails still waiting.
fn outbox(db: &Path) -> (i64, i64) {
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(db)
            .and_then(|conn| {
                conn.busy_timeout(Duration::from_secs(5))?;
                conn.query_row(sql, [], |row| row.get(0))
            })
            .expect("read the outbox")
    };
    (
        count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"),
        count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"),
    )
}

async fn scenario(
    url: &str,
    db: &Path,
    label: &str,
    clients: usize,
    per_client: usize,
    attachment: bool,
) {
    let (sent_before, _) = outbox(db);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|worker| {
            let url = url.to_owned();
            tokio::spawn(async move { create_tickets(&url, per_client, attachment, worker).await })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    let elapsed = started.elapsed();
    let (sent_after, queued) = outbox(db);
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{label:<38} {:>5} tickets {:>6.0} tickets/s  p50 {:>6.1} ms  p99 {:>6.1} ms  {:>6.0} mails/s  queue left {queued}",
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        (sent_after - sent_before) as f64 / elapsed.as_secs_f64(),
    );
}

/// Waits (up to two minutes) for the queue to empty; prints the rate.
/// Waits (up to two minutes) for the queue to empty; prints the rate.
/// With `burst`, first queues that many confirmation-sized mails at once
/// (as a backlog after an SMTP outage would be) and wakes the worker, so
/// the figure is the outbox's own throughput, ticket creation aside.
async fn drain(url: &str, db: &Path, burst: usize) {
    if burst > 0 {
        let mut conn = rusqlite::Connection::open(db).expect("open db");
        conn.busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        let tx = conn.transaction().expect("transaction");
        for i in 0..burst {
            tx.execute(
                "INSERT INTO outbox (to_addr, subject, body_text, body_html, lang, created_at, next_attempt_at)
                 VALUES (?1, 'Confirm your support ticket 12345-67890', ?2, ?3, 'en', 0, 0)",
                rusqlite::params![
                    format!("backlog{i}@example.com"),
                    "Hello,\n\n".to_owned() + &"x".repeat(500),
                    "<p>".to_owned() + &"y".repeat(900) + "</p>",
                ],
            )
            .expect("queue");
        }
        tx.commit().expect("commit");
    }
    let (sent_before, queued) = outbox(db);
    let started = Instant::now();
    if burst > 0 {
        // Queuing a ticket's mail wakes the worker, as in production.
        create_tickets(url, 1, false, 999).await;
    }
    let mut left = queued;
    while left > 0 && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        left = outbox(db).1;
    }
    let (sent_after, _) = outbox(db);
    let label = if burst > 0 {
        format!("outbox backlog of {burst}")
    } else {
        "drain what the load left".to_owned()
    };
    println!(
        "{label:<38} {:>5} mails in {:.2} s  {:>6.0} mails/s  queue left {left}",
        sent_after - sent_before,
        started.elapsed().as_secs_f64(),
        (sent_after - sent_before) as f64 / started.elapsed().as_secs_f64().max(0.001),
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// aiosmtpd, accepting every message and keeping none.
fn smtp_sink() -> (Child, u16) {
    let port = free_port();
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Sink"])
        .stdout(Stdio::null())
        .spawn()
        .expect("start aiosmtpd (pip install aiosmtpd)");
    wait_for_port(port, "aiosmtpd");
    (child, port)
}

#[tokio::main]
async fn main() {
    // `PASOKH_BENCH_DATA=DIR` runs on a data folder of one's own instead,
    // e.g. one `pasokh seed` filled, to compare creation on a big desk.
    let temp = tempfile::tempdir().expect("temp dir");
    let data = std::env::var_os("PASOKH_BENCH_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_owned());
    let (mut sink, smtp_port) = smtp_sink();
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env("PASOKH_LISTEN", format!("127.0.0.1:{port}"))
        .env("PASOKH_DATA_DIR", &data)
        .env("PASOKH_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("PASOKH_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start pasokh");
    let url = format!("http://127.0.0.1:{port}");
    let db = data.join("pasokh.db");
    let stdout = server.stdout.take().expect("stdout");
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    wait_for_port(port, "pasokh");
    let pid = server.id();
    println!(
        "pasokh {} (release), SQLite WAL synchronous=FULL, data in {}, mail to aiosmtpd on :{smtp_port}",
        env!("CARGO_PKG_VERSION"),
        data.display()
    );
    println!("idle RSS: {} KiB", rss_kib(pid));
    scenario(&url, &db, "create, 1 client", 1, 400, false).await;
    scenario(&url, &db, "create, 16 clients", 16, 100, false).await;
    scenario(
        &url,
        &db,
        "upload 100 KiB + create, 16 clients",
        16,
        40,
        true,
    )
    .await;
    println!("RSS after load: {} KiB", rss_kib(pid));
    drain(&url, &db, 0).await;
    drain(&url, &db, 5000).await;
    let _ = server.kill();
    let _ = server.wait();
    let _ = sink.kill();
    let _ = sink.wait();
}
