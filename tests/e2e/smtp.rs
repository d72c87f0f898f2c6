//! A real SMTP server for the tests: aiosmtpd (from PyPI) with the handler in
//! `tests/smtp_sink.py`, writing every message it accepts into a Maildir,
//! which the tests read and parse, and refusing `bounce…@` recipients.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
};

use tempfile::TempDir;

use crate::harness::{Process, eventually, free_port, wait_for_port};

/// aiosmtpd writing every message it accepts into a Maildir.
pub struct SmtpSink {
    pub port: u16,
    maildir: TempDir,
    _process: Process,
}

/// One received email, parsed.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub html: String,
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The one-time token of the link in this email.
    pub fn link_token(&self) -> String {
        let start = self.text.find("/link#").expect("a link in the email") + "/link#".len();
        self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    /// The whole link, as a customer would click it.
    pub fn link(&self) -> String {
        let start = self.text.find("http").expect("a URL in the email");
        self.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on(free_port()).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let maildir = TempDir::new().expect("maildir");
        let child = Command::new("python3")
            .env(
                "PYTHONPATH",
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests"),
            )
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "smtp_sink.Sink",
            ])
            // A folder that does not exist yet: Python creates the Maildir layout.
            .arg(maildir.path().join("Maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd (pip install aiosmtpd)");
        let sink = SmtpSink {
            port,
            maildir,
            _process: Process(child),
        };
        wait_for_port(port, "the SMTP sink to listen").await;
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far.
    pub fn all(&self) -> Vec<Mail> {
        let mut mails = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.path().join("Maildir").join(folder))
            else {
                continue;
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
            for path in paths {
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                if let Ok(parsed) = mailparse::parse_mail(&bytes) {
                    mails.push(to_mail(&parsed));
                }
            }
        }
        mails
    }

    /// How many messages have arrived, without parsing them.
    pub fn count(&self) -> usize {
        ["new", "cur"]
            .iter()
            .filter_map(|folder| {
                std::fs::read_dir(self.maildir.path().join("Maildir").join(folder)).ok()
            })
            .map(|entries| entries.count())
            .sum()
    }

    /// Mail to `address`, in the order received.
    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.all()
            .into_iter()
            .filter(|m| m.to.contains(address))
            .collect()
    }

    /// Waits until `count` messages have reached `address`; returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Mail> {
        eventually(&format!("{count} email(s) to {address}"), || {
            let mails = self.to(address);
            (mails.len() >= count).then_some(mails)
        })
        .await
    }
}

fn to_mail(parsed: &mailparse::ParsedMail<'_>) -> Mail {
    let headers = parsed
        .headers
        .iter()
        .map(|h| (h.get_key(), h.get_value()))
        .collect::<Vec<_>>();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut text = String::new();
    let mut html = String::new();
    let parts: Vec<&mailparse::ParsedMail<'_>> = if parsed.subparts.is_empty() {
        vec![parsed]
    } else {
        parsed.subparts.iter().collect()
    };
    for part in parts {
        let body = part.get_body().unwrap_or_default();
        if part.ctype.mimetype == "text/html" {
            html = body;
        } else if part.ctype.mimetype == "text/plain" {
            text = body;
        }
    }
    Mail {
        to: find("To"),
        subject: find("Subject"),
        headers,
        text,
        html,
    }
}
