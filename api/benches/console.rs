//! `cargo bench -p api --bench console`: the staff console at scale. Seeds a
//! temp data folder with `pasokh seed` (100,000 tickets;
//! `PASOKH_BENCH_TICKETS=1000000` for the big run; `PASOKH_BENCH_DATA=DIR`
//! keeps the folder and reuses it when it is already seeded), starts the
//! release binary on it, signs in an admin made with `pasokh staff add`, and
//! times over HTTP, one request at a time: the queue's first page, a page
//! ~20 pages deep by the keyset cursor, filtered queues (each answer carries
//! the per-filter counts), opening a ticket and, when the database has the
//! search index, searches (by the newest activity and by rank). Prints p50 and p99 per item, the server's highest RSS during the run and
//! the database size.

// A bench with `harness = false` is a plain program, not #[test] code, so
// clippy.toml's test allowance does not reach it; like a test, it should stop
// with the location when its setup fails.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a measuring program: a panic is a failed run"
)]

#[path = "console/kit.rs"]
mod kit;

use std::{
    path::PathBuf,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use kit::{
    EMAIL, PASSWORD, RUNS, count, db_bytes, free_port, measure, pasokh, percent, rss_kib, sql_rows,
};
use serde_json::{Value, json};

#[tokio::main]
async fn main() {
    let tickets: u64 = std::env::var("PASOKH_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir: PathBuf = std::env::var("PASOKH_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| temp.path().to_owned());
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    if db_bytes(&dir) == 0 {
        let started = Instant::now();
        let output = pasokh(&dir, &url)
            .args(["seed", "--tickets", &tickets.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .expect("run pasokh seed");
        assert!(output.status.success(), "pasokh seed failed");
        print!("{}", String::from_utf8_lossy(&output.stdout));
        println!("seed: {:.1} s", started.elapsed().as_secs_f64());
    } else {
        println!("reusing the seeded database in {}", dir.display());
    }
    let output = pasokh(&dir, &url)
        .args(["staff", "add", "--email", EMAIL, "--name", "Bench Admin"])
        .args(["--role", "admin"])
        .output()
        .expect("run pasokh staff add");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout.lines().find_map(|line| {
        line.split_once("/console/password#")
            .map(|(_, t)| t.to_owned())
    });

    let started = Instant::now();
    let mut server = pasokh(&dir, &url)
        .env("PASOKH_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .spawn()
        .expect("start pasokh");
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(server.try_wait().expect("wait").is_none(), "pasokh stopped");
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "server listening after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let pid = server.id();
    let (stop, max_rss) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU64::new(0)),
    );
    let sampler = {
        let (stop, max_rss) = (stop.clone(), max_rss.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                max_rss.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let post = |path: &str, body: Value| {
        client
            .post(format!("{url}/api{path}"))
            .header(shared::api::CSRF_HEADER, "1")
            .json(&body)
            .send()
    };
    if let Some(token) = token {
        let set = post(
            "/console/password",
            json!({ "token": token, "password": PASSWORD }),
        );
        assert!(set.await.expect("set password").status().is_success());
    }
    let session = post(
        "/console/session",
        json!({ "email": EMAIL, "password": PASSWORD, "code": null }),
    );
    assert!(
        session.await.expect("sign in").status().is_success(),
        "sign-in"
    );

    // The cursor ~20 pages into the whole queue, by the newest activity.
    let mut deep = "/console/queue?status=all&sort=activity".to_owned();
    for _ in 0..20 {
        let page: Value = client
            .get(format!("{url}/api{deep}"))
            .send()
            .await
            .expect("page")
            .json()
            .await
            .expect("json");
        let next = page["next"].as_str().expect("a next page").to_owned();
        deep = format!("/console/queue?status=all&sort=activity&after={next}");
    }
    let references = sql_rows(
        &dir,
        "SELECT reference FROM tickets WHERE id % 997 = 0 LIMIT 250",
    );
    let one = |path: &str| vec![path.to_owned()];
    let mut rows = vec![
        measure(
            &client,
            &url,
            "queue: open, first page",
            20.0,
            &one("/console/queue"),
        )
        .await,
        measure(
            &client,
            &url,
            "queue: all, first page",
            20.0,
            &one("/console/queue?status=all&sort=activity"),
        )
        .await,
        measure(
            &client,
            &url,
            "queue: all, page 21 (keyset cursor)",
            20.0,
            &[deep],
        )
        .await,
        measure(
            &client,
            &url,
            "queue: closed, financial, page 1",
            20.0,
            &one("/console/queue?status=closed&department=financial"),
        )
        .await,
        measure(
            &client,
            &url,
            "queue: urgent, by priority",
            20.0,
            &one("/console/queue?priority=urgent&sort=priority"),
        )
        .await,
        measure(
            &client,
            &url,
            "queue: assigned to me",
            20.0,
            &one("/console/queue?assignee=me"),
        )
        .await,
        measure(
            &client,
            &url,
            "open a ticket",
            20.0,
            &references
                .iter()
                .map(|r| format!("/console/tickets/{r}"))
                .collect::<Vec<_>>(),
        )
        .await,
    ];
    let has_search = !sql_rows(
        &dir,
        "SELECT name FROM sqlite_master WHERE name = 'ticket_search'",
    )
    .is_empty();
    if has_search {
        // A transaction number is in one subject: the rarest word there is.
        let rare = sql_rows(
            &dir,
            "SELECT substr(subject, -8) FROM tickets WHERE department_id = 3
             AND subject GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' LIMIT 50",
        );
        let search = |words: &[String]| -> Vec<String> {
            words
                .iter()
                .map(|w| format!("/console/queue?status=all&q={}", percent(w)))
                .collect()
        };
        let words = |list: &[&str]| -> Vec<String> { list.iter().map(|w| w.to_string()).collect() };
        rows.push(
            measure(
                &client,
                &url,
                "search: rare word (transaction number)",
                50.0,
                &search(&rare),
            )
            .await,
        );
        rows.push(
            measure(
                &client,
                &url,
                "search: common word (\"payment\")",
                50.0,
                &search(&words(&["payment"])),
            )
            .await,
        );
        rows.push(
            measure(
                &client,
                &url,
                "search: common word, best match first",
                50.0,
                &["/console/queue?status=all&sort=rank&q=payment".to_owned()],
            )
            .await,
        );
        // Written with the Arabic kaf and ye; indexed with the Persian ones.
        rows.push(
            measure(
                &client,
                &url,
                "search: Persian, Arabic kaf/ye (\"كارت\")",
                50.0,
                &search(&words(&["كارت", "مشكل"])),
            )
            .await,
        );
        rows.push(
            measure(
                &client,
                &url,
                "search: prefix (\"withdr\")",
                50.0,
                &search(&words(&["withdr"])),
            )
            .await,
        );
        rows.push(
            measure(
                &client,
                &url,
                "search: reference",
                50.0,
                &search(&references),
            )
            .await,
        );
    }
    stop.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let _ = server.kill();
    let _ = server.wait();

    println!();
    println!(
        "{} tickets, {RUNS} requests each, one at a time",
        count(&dir)
    );
    println!(
        "| {:<46} | {:>8} | {:>8} | {:>9} |",
        "request", "p50 ms", "p99 ms", "target"
    );
    println!("|{:-<48}|{:->10}|{:->10}|{:->11}|", "", "", "", "");
    for row in &rows {
        let mark = if row.p99 < row.target { "ok" } else { "MISSED" };
        println!(
            "| {:<46} | {:>8.2} | {:>8.2} | <{:>3.0} {:<4} |",
            row.label, row.p50, row.p99, row.target, mark
        );
    }
    println!(
        "| {:<46} | {:>19} | {:>9} |",
        "server RSS, highest during the run",
        format!("{:.1} MB", max_rss.load(Ordering::Relaxed) as f64 / 1024.0),
        "<60 MB"
    );
    println!(
        "| {:<46} | {:>19} | {:>9} |",
        "database size",
        format!("{:.0} MB", db_bytes(&dir) as f64 / 1_048_576.0),
        ""
    );
    if !has_search {
        println!("(no search index in this database: search rows skipped)");
    }
}
