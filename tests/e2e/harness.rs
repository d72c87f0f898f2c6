//! The test kit: `TestApp` runs the real server, `SmtpSink` a real SMTP
//! server whose mailbox the tests read, `eventually` waits on a condition.

use std::{
    io::{BufRead, BufReader},
    net::{IpAddr, Ipv4Addr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, mpsc},
    time::{Duration, Instant},
};

use reqwest::{Client, Response, StatusCode};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::smtp::SmtpSink;

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Polls `check` until it returns `Some`, failing the test after 30 s.
pub async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until something accepts TCP connections on `port`.
pub async fn wait_for_port(port: u16, what: &str) {
    eventually(what, || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    })
    .await;
}

/// A child process killed when the test ends, pass or fail.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The running server, its data folder and a cookie-keeping client.
pub struct TestApp {
    pub url: String,
    pub data_dir: PathBuf,
    pub client: Client,
    _data: Option<TempDir>,
    process: Option<Process>,
    log: Arc<Mutex<Vec<String>>>,
}

/// How to start a server.
#[derive(Default, Clone)]
pub struct Setup {
    pub smtp_url: Option<String>,
    pub env: Vec<(&'static str, String)>,
    /// Starts the server with this open-file limit (`ulimit -n`).
    pub open_files: Option<u32>,
}

impl TestApp {
    /// A fresh server with an empty data folder, sending mail to `smtp`.
    pub async fn spawn(smtp: &SmtpSink) -> TestApp {
        Self::spawn_with(Setup {
            smtp_url: Some(smtp.url()),
            ..Setup::default()
        })
        .await
    }

    pub async fn spawn_with(setup: Setup) -> TestApp {
        let data = TempDir::new().expect("data dir");
        let data_dir = data.path().to_owned();
        let mut app = Self::start(&data_dir, &setup).await;
        app._data = Some(data);
        app
    }

    /// Starts the binary on an existing data folder (a restart). It listens
    /// on a port the OS picks and says which; links in its mail follow it.
    pub async fn start(data_dir: &Path, setup: &Setup) -> TestApp {
        // `PASOKH_TEST_BINARY` runs the tests against another build (an older
        // release, to measure before and after); by default, this one.
        let binary = std::env::var("PASOKH_TEST_BINARY")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_pasokh").to_owned());
        let mut command = match setup.open_files {
            // `exec` keeps the pid: signals reach the server itself.
            Some(limit) => {
                let mut shell = Command::new("/bin/sh");
                shell
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\""))
                    .arg(&binary);
                shell
            }
            None => Command::new(binary),
        };
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PASOKH_LISTEN", "127.0.0.1:0")
            .env("PASOKH_DATA_DIR", data_dir)
            .env("PASOKH_MAIL_FROM", "Support <support@desk.test>")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(smtp) = &setup.smtp_url {
            command.env("PASOKH_SMTP_URL", smtp);
        }
        for (name, value) in &setup.env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start pasokh");
        // Echo the server's log (the test output shows it on failure) and
        // report when it is listening.
        let stdout = child.stdout.take().expect("stdout");
        let (ready, listening) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = log.clone();
        let data_name = data_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("[pasokh {data_name}] {line}");
                kept.lock().expect("log").push(line.clone());
                // A JSON log line (PASOKH_LOG_FORMAT=json) ends the URL with a quote.
                if let Some((_, url)) = line.split_once("listening on ") {
                    let url = url.split('"').next().unwrap_or_default();
                    let _ = ready.send(url.trim().to_owned());
                }
            }
        });
        let process = Process(child);
        let url = eventually("the server to listen", || listening.try_recv().ok()).await;
        TestApp {
            url,
            data_dir: data_dir.to_owned(),
            client: Self::new_client(),
            _data: None,
            process: Some(process),
            log,
        }
    }

    /// What this process has logged so far, one line each.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    /// A second browser: its own cookie jar.
    pub fn new_client() -> Client {
        Client::builder()
            .cookie_store(true)
            .build()
            .expect("http client")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.process.as_ref().expect("running").0.id()
    }

    /// Its resident memory in KiB, from `/proc`.
    pub fn resident_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("process status")
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    /// SIGTERM, as a service manager stops it.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Whether the process has exited (reaping it if so).
    pub fn exited(&mut self) -> bool {
        let process = self.process.as_mut().expect("started");
        process.0.try_wait().expect("wait").is_some()
    }

    /// SIGKILL: no shutdown code runs, as in a crash or power cut.
    pub fn kill(&mut self) {
        self.process.take();
    }

    /// Stops this process and starts another on the same data folder.
    pub async fn restart(mut self, setup: &Setup) -> TestApp {
        self.kill();
        let data = self._data.take();
        let mut next = Self::start(&self.data_dir, setup).await;
        next._data = data;
        next
    }

    /// The database file, for assertions and for moving time forward.
    pub fn db(&self) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(self.data_dir.join("pasokh.db")).expect("open db");
        conn.busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        conn
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db()
            .query_row(sql, [], |row| row.get(0))
            .expect("count")
    }

    /// Files under the attachment folders.
    pub fn stored_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.data_dir.join("files"), &mut files);
        walk(&self.data_dir.join("tmp"), &mut files);
        files
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api{path}", self.url)
    }

    pub async fn post(&self, client: &Client, path: &str, body: &impl Serialize) -> Response {
        client
            .post(self.api(path))
            .header(shared::api::CSRF_HEADER, "1")
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A page or asset (not under /api), as a browser would ask for it.
    pub async fn page(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.api(path)).send().await.expect("request")
    }

    pub async fn upload(&self, client: &Client, name: &str, bytes: Vec<u8>) -> Response {
        client
            .post(self.api("/uploads"))
            .query(&[("name", name)])
            .header(shared::api::CSRF_HEADER, "1")
            .body(bytes)
            .send()
            .await
            .expect("upload")
    }

    /// Uploads a file that must be accepted; returns its id.
    pub async fn upload_ok(&self, name: &str, bytes: Vec<u8>) -> String {
        let response = self.upload(&self.client, name, bytes).await;
        let body: Value = expect_status(response, StatusCode::CREATED).await;
        body["id"].as_str().expect("upload id").to_owned()
    }

    /// Opens a ticket by email; returns (reference, resend key).
    pub async fn create_ticket(&self, email: &str, uploads: &[String]) -> (String, String) {
        let response = self
            .post(&self.client, "/tickets", &ticket_body(email, uploads))
            .await;
        let body: Value = expect_status(response, StatusCode::CREATED).await;
        (
            body["reference"].as_str().expect("reference").to_owned(),
            body["resend_key"].as_str().expect("resend key").to_owned(),
        )
    }

    /// A confirmed ticket opened in `self.client`, with the given uploads,
    /// as its customer sees it.
    pub async fn open_confirmed_ticket(
        &self,
        smtp: &SmtpSink,
        email: &str,
        uploads: &[String],
    ) -> Value {
        let (reference, _) = self.create_ticket(email, uploads).await;
        let token = smtp.wait_for(email, 1).await[0].link_token();
        expect_status::<Value>(self.redeem(&self.client, &token).await, StatusCode::OK).await;
        expect_status(
            self.get(&self.client, &format!("/tickets/{reference}"))
                .await,
            StatusCode::OK,
        )
        .await
    }

    /// Redeems a token with `client`'s cookie jar.
    pub async fn redeem(&self, client: &Client, token: &str) -> Response {
        self.post(client, "/links/redeem", &json!({ "token": token }))
            .await
    }
}

/// A valid new-ticket body.
pub fn ticket_body(email: &str, uploads: &[String]) -> Value {
    json!({
        "channel": "email",
        "email": email,
        "department": "technical",
        "subject": "Withdrawal not received",
        "description": "I withdrew 120 EUR on Monday and it has not arrived.",
        "lang": "en",
        "uploads": uploads,
    })
}

/// Asserts the status and parses the JSON body.
pub async fn expect_status<T: DeserializeOwned>(response: Response, status: StatusCode) -> T {
    let actual = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not the expected JSON ({e}): {text}"))
}

/// A small valid PNG (1×1 pixel).
pub fn png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

/// The start of a JPEG file (enough for the signature check).
pub fn jpeg() -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01,
    ];
    bytes.extend(std::iter::repeat_n(0u8, 200));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// A browser on a loopback address of its own (127.7.x.y): the server sees
/// another client address, as it would for another person.
pub fn client_at(n: u16) -> Client {
    Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(
            127,
            7,
            (n / 250) as u8,
            (n % 250 + 2) as u8,
        )))
        .cookie_store(true)
        .build()
        .expect("client")
}
