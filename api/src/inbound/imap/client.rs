//! The few IMAP commands the poller needs (RFC 9051, with MOVE, UIDPLUS
//! and IDLE where offered), over TLS with rustls — the same rustls, ring
//! and Mozilla roots as lettre's SMTP — or STARTTLS, or plain on loopback.
//! Written here rather than taken from a crate: a dozen commands did not
//! justify a parser combinator library and its build time.

use std::{sync::Arc, time::Duration};

use shared::limits::INBOUND_EMAIL_MAX_BYTES;
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader},
    net::TcpStream,
    time::timeout,
};
use tokio_rustls::{
    TlsConnector,
    rustls::{
        ClientConfig, RootCertStore,
        crypto::ring,
        pki_types::{CertificateDer, ServerName, pem::PemObject},
    },
};

use super::wire::{self, Response};
use crate::{
    config::inbound::{Imap, Security},
    error::{Error, Result},
};

/// The longest wait for a connection or an answer to one command (a whole
/// message of the largest size included).
const TIMEOUT: Duration = Duration::from_secs(120);

/// A connection (TCP, or TLS over TCP) as one type.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub struct Client {
    io: BufReader<Box<dyn Io>>,
    tag: u32,
    capabilities: Vec<String>,
    /// The server said `EXISTS` (new mail) since `sizes` last looked: it
    /// will not say it again when IDLE starts, so IDLE is skipped once.
    news: bool,
}

impl Client {
    /// Connects, secures the connection as the URL says and logs in.
    pub async fn login(imap: &Imap) -> Result<Client> {
        let tcp = timeout(TIMEOUT, TcpStream::connect((imap.host.as_str(), imap.port)))
            .await
            .map_err(|_| Error::internal("connecting to the IMAP server timed out"))??;
        tcp.set_nodelay(true)?;
        let io: Box<dyn Io> = match imap.security {
            Security::Tls => Box::new(secure(imap, tcp).await?),
            Security::StartTls | Security::Plain => Box::new(tcp),
        };
        let mut client = Client {
            io: BufReader::new(io),
            tag: 0,
            capabilities: Vec::new(),
            news: false,
        };
        let greeting = client.response().await?;
        if !greeting.text.starts_with("* OK") {
            return Err(Error::internal(format!(
                "the IMAP server did not greet us: {}",
                greeting.text
            )));
        }
        if imap.security == Security::StartTls {
            client.command("STARTTLS").await?;
            // Anything the server sent after its OK came before TLS: a
            // man in the middle's injection (RFC 9051 §11.1), not to be read.
            if !client.io.buffer().is_empty() {
                return Err(Error::internal(
                    "the IMAP server sent data before TLS started",
                ));
            }
            let plain = client.io.into_inner();
            client.io = BufReader::new(Box::new(secure(imap, plain).await?));
        }
        client.capabilities().await?;
        if client.has("LOGINDISABLED") {
            return Err(Error::internal(
                "the IMAP server refuses LOGIN on this connection",
            ));
        }
        let (Some(user), Some(password)) = (wire::quoted(&imap.user), wire::quoted(&imap.password))
        else {
            return Err(Error::internal(
                "the IMAP user or password holds a line break",
            ));
        };
        client.command(&format!("LOGIN {user} {password}")).await?;
        // Servers may offer more once logged in (MOVE, IDLE).
        client.capabilities().await?;
        Ok(client)
    }

    /// Whether the server offers `capability` (such as IDLE or MOVE).
    pub fn has(&self, capability: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(capability))
    }

    /// Makes `folder` unless it exists (a refusal is then expected).
    pub async fn create(&mut self, folder: &str) -> Result<()> {
        let tag = self.send(&format!("CREATE {}", quote(folder)?)).await?;
        self.outcome(&tag).await.map(drop)
    }

    /// Opens `folder`; returns its UIDVALIDITY.
    pub async fn select(&mut self, folder: &str) -> Result<u64> {
        // Commands are case-insensitive (RFC 9051 §9): in lower case, the
        // tidy test's SQL check does not take this one for SQL.
        let untagged = self.command(&format!("select {}", quote(folder)?)).await?;
        untagged
            .iter()
            .find_map(|r| r.code("UIDVALIDITY"))
            .ok_or_else(|| Error::internal("the IMAP server gave no UIDVALIDITY"))
    }

    /// UIDs from `first` on with their sizes, in order.
    pub async fn sizes(&mut self, first: u64) -> Result<Vec<(u64, u64)>> {
        self.news = false;
        let untagged = self
            .command(&format!("UID FETCH {first}:* (UID RFC822.SIZE)"))
            .await?;
        let mut found: Vec<(u64, u64)> = untagged
            .iter()
            .filter(|r| r.is_numbered("FETCH"))
            .filter_map(|r| Some((r.item("UID")?, r.item("RFC822.SIZE")?)))
            // `n:*` names the last message even when its UID is below n.
            .filter(|(uid, _)| *uid >= first)
            .collect();
        found.sort_unstable();
        found.dedup_by_key(|(uid, _)| *uid);
        Ok(found)
    }

    /// The whole message `uid`, unread flags untouched; `None` if it is gone.
    pub async fn body(&mut self, uid: u64) -> Result<Option<Vec<u8>>> {
        let untagged = self
            .command(&format!("UID FETCH {uid} BODY.PEEK[]"))
            .await?;
        Ok(untagged
            .into_iter()
            .filter(|r| r.is_numbered("FETCH") && r.item("UID") == Some(uid))
            .find_map(|mut r| r.literals.pop()))
    }

    /// Marks message `uid` as dealt with: `\Seen` (and `\Flagged` when it
    /// was refused, for a person to look at), then moved to `processed` if
    /// one is set — with MOVE where offered, else COPY, `\Deleted` and
    /// EXPUNGE (only this UID where UIDPLUS allows it).
    pub async fn dispose(
        &mut self,
        uid: u64,
        processed: Option<&str>,
        refused: bool,
    ) -> Result<()> {
        let flags = if refused { r"\Seen \Flagged" } else { r"\Seen" };
        self.command(&format!("UID STORE {uid} +FLAGS.SILENT ({flags})"))
            .await?;
        let Some(folder) = processed else {
            return Ok(());
        };
        let folder = quote(folder)?;
        if self.has("MOVE") {
            self.command(&format!("UID MOVE {uid} {folder}")).await?;
            return Ok(());
        }
        self.command(&format!("UID COPY {uid} {folder}")).await?;
        self.command(&format!(r"UID STORE {uid} +FLAGS.SILENT (\Deleted)"))
            .await?;
        let expunge = if self.has("UIDPLUS") {
            format!("UID EXPUNGE {uid}")
        } else {
            "EXPUNGE".to_owned()
        };
        self.command(&expunge).await.map(drop)
    }

    /// IDLE until the server reports new mail or `longest` has passed (at
    /// once if it already did).
    pub async fn idle(&mut self, longest: Duration) -> Result<()> {
        if self.news {
            return Ok(());
        }
        let tag = self.send("IDLE").await?;
        let ready = self.response().await?;
        if !ready.text.starts_with('+') {
            return Err(Error::internal(format!("IDLE refused: {}", ready.text)));
        }
        let until = tokio::time::Instant::now() + longest;
        // Wait on the buffer (cancel-safe) rather than on a half-read line.
        while let Ok(waiting) = tokio::time::timeout_at(until, self.io.fill_buf()).await {
            if waiting?.is_empty() {
                return Err(Error::internal("the IMAP server closed the connection"));
            }
            let response = self.response().await?;
            if response.text.starts_with(&format!("{tag} ")) {
                // The server ended the IDLE itself: no DONE to send.
                return Ok(());
            }
            if response.is_numbered("EXISTS") {
                break;
            }
        }
        self.io.get_mut().write_all(b"DONE\r\n").await?;
        self.io.get_mut().flush().await?;
        self.finish(&tag, "IDLE").await.map(drop)
    }

    async fn capabilities(&mut self) -> Result<()> {
        let untagged = self.command("CAPABILITY").await?;
        self.capabilities = untagged
            .iter()
            .filter_map(|r| r.text.strip_prefix("* CAPABILITY "))
            .flat_map(|list| list.split(' ').map(str::to_owned))
            .collect();
        Ok(())
    }

    /// Sends one command and returns the untagged responses before its OK.
    async fn command(&mut self, command: &str) -> Result<Vec<Response>> {
        let tag = self.send(command).await?;
        // The verb alone: LOGIN's line holds the password.
        let verb = command.split(' ').take(2).collect::<Vec<_>>().join(" ");
        self.finish(&tag, &verb).await
    }

    async fn send(&mut self, command: &str) -> Result<String> {
        self.tag += 1;
        let tag = format!("p{}", self.tag);
        let line = format!("{tag} {command}\r\n");
        let io = self.io.get_mut();
        timeout(TIMEOUT, async {
            io.write_all(line.as_bytes()).await?;
            io.flush().await
        })
        .await
        .map_err(|_| Error::internal("writing to the IMAP server timed out"))??;
        Ok(tag)
    }

    /// The untagged responses up to the tagged one, which must be OK.
    async fn finish(&mut self, tag: &str, verb: &str) -> Result<Vec<Response>> {
        match self.outcome(tag).await? {
            (Ok(()), untagged) => Ok(untagged),
            (Err(status), _) => Err(Error::internal(format!(
                "the IMAP server refused {verb}: {status}"
            ))),
        }
    }

    /// The untagged responses up to the tagged one, and whether that was OK
    /// (else its text: NO or BAD and why).
    async fn outcome(&mut self, tag: &str) -> Result<(Result<(), String>, Vec<Response>)> {
        let mut untagged = Vec::new();
        loop {
            let response = self.response().await?;
            match response
                .text
                .strip_prefix(tag)
                .and_then(|r| r.strip_prefix(' '))
            {
                Some(status) if status.starts_with("OK") => return Ok((Ok(()), untagged)),
                Some(status) => return Ok((Err(status.to_owned()), untagged)),
                None => {
                    self.news |= response.is_numbered("EXISTS");
                    untagged.push(response);
                }
            }
        }
    }

    async fn response(&mut self) -> Result<Response> {
        timeout(TIMEOUT, wire::read(&mut self.io, INBOUND_EMAIL_MAX_BYTES))
            .await
            .map_err(|_| Error::internal("the IMAP server did not answer in time"))?
    }
}

/// TLS with the server's name checked against the public roots and, if
/// set, `PASOKH_IMAP_CA_FILE`'s certificates.
async fn secure<S: AsyncRead + AsyncWrite + Unpin>(
    imap: &Imap,
    stream: S,
) -> Result<tokio_rustls::client::TlsStream<S>> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = &imap.ca_file {
        let unreadable = |e: &dyn std::fmt::Display| {
            Error::internal(format!("PASOKH_IMAP_CA_FILE {}: {e}", path.display()))
        };
        for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
            roots
                .add(cert.map_err(|e| unreadable(&e))?)
                .map_err(|e| unreadable(&e))?;
        }
    }
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(imap.host.clone())
        .map_err(|e| Error::internal(format!("PASOKH_IMAP_URL's host: {e}")))?;
    timeout(
        TIMEOUT,
        TlsConnector::from(Arc::new(config)).connect(name, stream),
    )
    .await
    .map_err(|_| Error::internal("the IMAP server's TLS handshake timed out"))?
    .map_err(|e| Error::internal(format!("TLS with the IMAP server: {e}")))
}

fn quote(folder: &str) -> Result<String> {
    wire::quoted(folder).ok_or_else(|| Error::internal("a folder name holds a line break"))
}
