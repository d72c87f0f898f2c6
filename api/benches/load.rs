//! `cargo bench -p api --bench load`: starts the release `pasokh` on a temp
//! data folder and measures ticket creation through the API with 1 and 16
//! clients, with and without a 100 KiB attachment, and the server's resident
//! memory, idle and loaded.
//! Every client uses its own loopback source address (127.0.x.y) for each
//! 20 tickets, so the per-IP rate limits stay on and are not what is measured.

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
    process::{Command, Stdio},
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

/// One client creating `count` tickets; returns each request's latency.
async fn create_tickets(url: &str, count: usize, attachment: bool, worker: usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(count);
    let mut http = client();
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
                "email": format!("bench{worker}-{i}@example.com"),
                "department": "financial",
                "subject": "Withdrawal not received after three days",
                "description": "I withdrew money on Monday to my bank card and it has not arrived yet, the transaction id is 123456789.",
                "lang": "en",
                "uploads": uploads,
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

async fn scenario(url: &str, label: &str, clients: usize, per_client: usize, attachment: bool) {
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
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{label:<44} {:>5} tickets  {:>7.0} tickets/s  p50 {:>6.1} ms  p99 {:>6.1} ms",
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
    );
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().expect("temp dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env("PASOKH_LISTEN", format!("127.0.0.1:{port}"))
        .env("PASOKH_DATA_DIR", data.path())
        .env("PASOKH_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start pasokh");
    let url = format!("http://127.0.0.1:{port}");
    let stdout = server.stdout.take().expect("stdout");
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "pasokh did not start");
        std::thread::yield_now();
    }
    let pid = server.id();
    println!(
        "pasokh {} (release), SQLite WAL synchronous=FULL, data in {}",
        env!("CARGO_PKG_VERSION"),
        data.path().display()
    );
    println!("idle RSS: {} KiB", rss_kib(pid));
    scenario(&url, "create, 1 client", 1, 400, false).await;
    scenario(&url, "create, 16 clients", 16, 100, false).await;
    scenario(&url, "upload 100 KiB + create, 16 clients", 16, 40, true).await;
    println!("RSS after load: {} KiB", rss_kib(pid));
    let _ = server.kill();
    let _ = server.wait();
}
