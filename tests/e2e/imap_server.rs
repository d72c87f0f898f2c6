//! A real IMAP server for the tests: Debian's Dovecot, in the foreground on a
//! free loopback port with its own configuration, state and Maildir in a
//! temp folder, speaking IMAP over TLS (and, on this machine's own network
//! address, plain IMAP that must turn to TLS with STARTTLS) with a
//! certificate for `localhost` and that address from a CA made here
//! (`openssl`), which the server under test is told to trust. Mail arrives as an MTA delivers to a Maildir (a file
//! renamed into `new/`); what the server did to it is read back from the
//! Maildir (folders, and the flags in file names).

use std::{
    net::Ipv4Addr,
    os::unix::fs::{PermissionsExt, chown},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
};

use tempfile::TempDir;

use crate::harness::{Process, free_port, wait_for_port};

/// Dovecot refuses to open mail as root; Debian's `nobody`/`nogroup`.
const MAIL_UID: u32 = 65534;
pub const USER: &str = "desk";
pub const PASSWORD: &str = "p@ss word";

pub struct Dovecot {
    pub port: u16,
    /// This machine's address on its network and the STARTTLS port there.
    starttls: Option<(Ipv4Addr, u16)>,
    dir: TempDir,
    process: Process,
    delivered: AtomicUsize,
}

/// One message in a folder: its Message-ID and its Maildir flags (`S` seen,
/// `F` flagged, `T` deleted).
#[derive(Debug, PartialEq, Eq)]
pub struct Stored {
    pub message_id: String,
    pub flags: String,
}

fn run(command: &mut Command) {
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "{command:?}");
}

/// The machine's first IPv4 address that is not loopback, if it has one:
/// the poller speaks plain IMAP to loopback, so STARTTLS needs another.
fn network_address() -> Option<Ipv4Addr> {
    let output = Command::new("hostname").arg("-I").output().ok()?;
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|word| word.parse::<Ipv4Addr>().ok())
        .find(|ip| !ip.is_loopback() && !ip.is_link_local())
}

/// A CA and a certificate it signed for `localhost` (and `address`), in `dir`.
fn certificates(dir: &Path, address: Option<Ipv4Addr>) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    run(Command::new("openssl")
        .current_dir(dir)
        .args(["req", "-x509", "-days", "2", "-subj", "/CN=Pasokh test CA"])
        .args(ec)
        .args(["-keyout", "ca.key", "-out", "ca.pem"]));
    run(Command::new("openssl")
        .current_dir(dir)
        .args(["req", "-subj", "/CN=localhost"])
        .args(ec)
        .args(["-keyout", "key.pem", "-out", "leaf.csr"]));
    std::fs::write(
        dir.join("leaf.ext"),
        format!(
            "subjectAltName=DNS:localhost{}\nextendedKeyUsage=serverAuth\n",
            address.map(|ip| format!(",IP:{ip}")).unwrap_or_default()
        ),
    )
    .expect("extensions");
    run(Command::new("openssl").current_dir(dir).args([
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
    ]));
}

impl Dovecot {
    pub async fn start() -> Dovecot {
        let dir = TempDir::new().expect("dovecot dir");
        let root = dir.path();
        // Dovecot's processes run as other users: they must reach the folder.
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let address = network_address();
        certificates(root, address);
        let mailbox = root.join("mail").join(USER);
        for sub in ["", "cur", "new", "tmp"] {
            std::fs::create_dir_all(mailbox.join(sub)).expect("maildir");
        }
        for path in [root.join("mail"), mailbox.clone()]
            .into_iter()
            .chain(["cur", "new", "tmp"].map(|s| mailbox.join(s)))
        {
            chown(&path, Some(MAIL_UID), Some(MAIL_UID)).expect("chown");
        }
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n"))
            .expect("passwd");
        let (port, starttls_port) = (free_port(), free_port());
        let listen = address.map(|ip| format!(", {ip}")).unwrap_or_default();
        let r = root.display();
        let conf = format!(
            "base_dir = {r}/run\nstate_dir = {r}/state\nlog_path = /dev/stderr\n\
             protocols = imap\nlisten = 127.0.0.1{listen}\nssl = required\n\
             ssl_cert = <{r}/cert.pem\nssl_key = <{r}/key.pem\nauth_mechanisms = plain\n\
             passdb {{\n  driver = passwd-file\n  args = {r}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={MAIL_UID} gid={MAIL_UID} home={r}/mail/%u\n}}\n\
             mail_location = maildir:{r}/mail/%u\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {starttls_port}\n  }}\n  \
             inet_listener imaps {{\n    port = {port}\n  }}\n}}\n"
        );
        std::fs::write(root.join("dovecot.conf"), conf).expect("dovecot.conf");
        // In /usr/sbin, which a non-root PATH may lack.
        let binary = ["/usr/sbin/dovecot", "dovecot"]
            .into_iter()
            .find(|b| Path::new(b).exists())
            .unwrap_or("dovecot");
        let child = Command::new(binary)
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dovecot (apt-get install dovecot-imapd)");
        let process = Process(child);
        wait_for_port(port, "dovecot to listen").await;
        Dovecot {
            port,
            starttls: address.map(|ip| (ip, starttls_port)),
            dir,
            process,
            delivered: AtomicUsize::new(0),
        }
    }

    /// `PASOKH_IMAP_URL` for this server's INBOX (the password percent-encoded).
    pub fn url(&self) -> String {
        format!(
            "imaps://{USER}:{}@localhost:{}/INBOX",
            PASSWORD.replace('@', "%40").replace(' ', "%20"),
            self.port
        )
    }

    /// `imap://` to the machine's network address (STARTTLS required), if
    /// it has one besides loopback.
    pub fn starttls_url(&self) -> Option<String> {
        let (ip, port) = self.starttls?;
        Some(
            self.url()
                .replace("imaps://", "imap://")
                .replace(&format!("localhost:{}", self.port), &format!("{ip}:{port}")),
        )
    }

    /// `PASOKH_IMAP_CA_FILE`: the CA that signed the server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn folder(&self, name: &str) -> PathBuf {
        let mailbox = self.dir.path().join("mail").join(USER);
        match name {
            "INBOX" => mailbox,
            other => mailbox.join(format!(".{other}")),
        }
    }

    /// Delivers `raw` into the INBOX as an MTA does: written in `tmp/`,
    /// renamed into `new/`.
    pub fn deliver(&self, raw: &str) {
        let n = self.delivered.fetch_add(1, Ordering::SeqCst);
        let name = format!("{n}.M{n}P{}.pasokh-test", std::process::id());
        let inbox = self.folder("INBOX");
        let staged = inbox.join("tmp").join(&name);
        std::fs::write(&staged, raw.replace('\n', "\r\n")).expect("write the message");
        std::fs::rename(&staged, inbox.join("new").join(&name)).expect("deliver");
    }

    /// The messages in `folder` (`INBOX` or another), by Message-ID.
    pub fn messages(&self, folder: &str) -> Vec<Stored> {
        let mut found = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.folder(folder).join(sub)) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue; // renamed by Dovecot while we looked
                };
                let message_id = text
                    .lines()
                    .find_map(|l| l.strip_prefix("Message-ID: "))
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                let flags = name
                    .split_once(":2,")
                    .map(|(_, f)| f.to_owned())
                    .unwrap_or_default();
                found.push(Stored { message_id, flags });
            }
        }
        found.sort_by(|a, b| a.message_id.cmp(&b.message_id));
        found
    }
}

/// SIGTERM, so Dovecot takes its login and mail processes down with it.
impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.process.0.id().to_string())
            .status();
        let _ = self.process.0.wait();
    }
}
