//! The SMTP relay: lettre's protocol, TLS and authentication code, over
//! connections we open ourselves and keep open between messages.
//!
//! Why not lettre's own transport and pool: lettre (0.11.23) leaves Nagle's
//! algorithm on and writes a message's body and its final `.` in two writes,
//! so every message waits for the server's delayed ACK — 40 ms on Linux,
//! which capped each connection at about 22 mails a second whatever the
//! server could take (fixed upstream in lettre#1159, not released). Here the
//! socket has `TCP_NODELAY` set before lettre's SMTP code gets it. Implicit
//! TLS (`smtps://`) is the exception: lettre opens that socket itself, so it
//! keeps Nagle on; STARTTLS (`smtp://…?tls=required`) does not.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use lettre::{
    address::Envelope,
    transport::smtp::{
        SMTP_PORT, SUBMISSION_PORT, SUBMISSIONS_PORT,
        authentication::{Credentials, DEFAULT_MECHANISMS},
        client::{AsyncSmtpConnection, Tls, TlsParameters},
        extension::ClientId,
    },
};
use tokio::net::TcpStream;

/// A connection idle longer than this is checked (`NOOP`) before it is used
/// again: servers close idle connections, and a message sent into a closed
/// one would wait for its retry. A burst reuses connections without checks.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(5);
/// Idle connections older than this are closed rather than checked.
const MAX_IDLE: Duration = Duration::from_secs(60);

/// Where mail goes, and the connections to it that are open and idle.
pub struct Relay {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    /// At most this many idle connections are kept.
    keep: usize,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

/// Why a message did not go out.
#[derive(Debug)]
pub enum SendError {
    /// What the server or lettre said; `is_permanent` tells a 5xx.
    Smtp(lettre::transport::smtp::Error),
    /// The connection could not be opened.
    Connect(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Smtp(e) => write!(f, "{e}"),
            SendError::Connect(e) => write!(f, "connecting to the SMTP server: {e}"),
        }
    }
}

impl From<lettre::transport::smtp::Error> for SendError {
    fn from(e: lettre::transport::smtp::Error) -> SendError {
        SendError::Smtp(e)
    }
}

impl Relay {
    /// `smtp://host[:port]` (plain, port 25), `smtp://host?tls=required` or
    /// `?tls=opportunistic` (STARTTLS, port 587), `smtps://host` (implicit
    /// TLS, port 465); `user:password@` for authentication and a path for
    /// the EHLO name — the same URLs lettre's `from_url` takes.
    pub fn from_url(url: &str, timeout: Duration, keep: usize) -> Result<Relay, String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let host = url
            .host_str()
            .ok_or("the URL names no host")?
            // An IPv6 literal comes in brackets; the socket wants it bare.
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let tls_mode = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let params = || TlsParameters::new(host.clone()).map_err(|e| e.to_string());
        let (tls, default_port) = match (url.scheme(), tls_mode.as_deref()) {
            ("smtp", None) => (Tls::None, SMTP_PORT),
            ("smtp", Some("required")) => (Tls::Required(params()?), SUBMISSION_PORT),
            ("smtp", Some("opportunistic")) => (Tls::Opportunistic(params()?), SUBMISSION_PORT),
            ("smtps", _) => (Tls::Wrapper(params()?), SUBMISSIONS_PORT),
            (scheme, tls) => {
                return Err(format!(
                    "unknown scheme {scheme:?} or tls={tls:?} (smtp, smtps; tls=required or opportunistic)"
                ));
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|e| e.to_string())
        };
        let credentials = url
            .password()
            .map(|password| {
                Ok::<_, String>(Credentials::new(decode(url.username())?, decode(password)?))
            })
            .transpose()?;
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        Ok(Relay {
            port: url.port().unwrap_or(default_port),
            host,
            tls,
            credentials,
            hello,
            timeout,
            keep,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends one message over an idle connection, or a new one; the
    /// connection is kept for the next message unless it broke (lettre
    /// drops it after any error, a refusal included).
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let mut conn = self.connection().await?;
        let sent = conn.send(envelope, message).await;
        if !conn.has_broken() {
            self.park(conn);
        }
        sent.map(|_| ()).map_err(SendError::from)
    }

    async fn connection(&self) -> Result<AsyncSmtpConnection, SendError> {
        while let Some((mut conn, since)) = self.unpark() {
            let idle = since.elapsed();
            if idle < CHECK_AFTER_IDLE || (idle < MAX_IDLE && conn.test_connected().await) {
                return Ok(conn);
            }
            conn.abort().await;
        }
        self.connect().await
    }

    fn unpark(&self) -> Option<(AsyncSmtpConnection, Instant)> {
        self.idle.lock().ok()?.pop()
    }

    fn park(&self, conn: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.keep
        {
            idle.push((conn, Instant::now()));
        }
        // Otherwise it is dropped, which closes the socket.
    }

    /// Opens a connection as lettre's transport would (EHLO, STARTTLS when
    /// asked, AUTH when credentials are given), with `TCP_NODELAY` set.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let address = (self.host.as_str(), self.port);
        let mut conn = if let Tls::Wrapper(params) = &self.tls {
            AsyncSmtpConnection::connect_tokio1(
                address,
                Some(self.timeout),
                &self.hello,
                Some(params.clone()),
                None,
            )
            .await?
        } else {
            let tcp = tokio::time::timeout(self.timeout, TcpStream::connect(address))
                .await
                .map_err(|_| SendError::Connect("timed out".into()))?
                .map_err(|e| SendError::Connect(e.to_string()))?;
            tcp.set_nodelay(true)
                .map_err(|e| SendError::Connect(e.to_string()))?;
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?
        };
        match &self.tls {
            Tls::Opportunistic(params) if conn.can_starttls() => {
                conn.starttls(params.clone(), &self.hello).await?;
            }
            Tls::Required(params) => conn.starttls(params.clone(), &self.hello).await?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(url: &str) -> Relay {
        Relay::from_url(url, Duration::from_secs(1), 4).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn urls_mean_what_they_mean_to_lettre() {
        let plain = relay("smtp://127.0.0.1:2525");
        assert_eq!((plain.host.as_str(), plain.port), ("127.0.0.1", 2525));
        assert!(matches!(plain.tls, Tls::None));
        assert!(plain.credentials.is_none());

        let starttls = relay("smtp://mail.example.com?tls=required");
        assert_eq!(starttls.port, 587);
        assert!(matches!(starttls.tls, Tls::Required(_)));
        assert!(matches!(
            relay("smtp://mail.example.com?tls=opportunistic").tls,
            Tls::Opportunistic(_)
        ));

        let smtps = relay("smtps://me%40example.com:p%40ss@mail.example.com/desk.example.com");
        assert_eq!(smtps.port, 465);
        assert!(matches!(smtps.tls, Tls::Wrapper(_)));
        assert_eq!(
            smtps.credentials,
            Some(Credentials::new("me@example.com".into(), "p@ss".into()))
        );
        assert_eq!(smtps.hello, ClientId::Domain("desk.example.com".into()));

        assert_eq!(relay("smtp://[::1]:25").host, "::1");
        assert!(Relay::from_url("http://mail.example.com", Duration::ZERO, 1).is_err());
        assert!(Relay::from_url("smtp://mail.example.com?tls=maybe", Duration::ZERO, 1).is_err());
    }
}
