//! The outbox worker: takes due mail from the database, hands it to the SMTP
//! server, and records the outcome. Woken at once when something is queued,
//! and every few seconds regardless, so mail queued by another instance or
//! left over from a crash goes out too.

use std::{sync::Arc, time::Duration};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
};
use tokio::sync::Notify;

use crate::{
    db::{self, Db, outbox},
    error::{Error, Result},
};

/// How long a claimed message is reserved for the attempt in progress.
const LEASE_SECS: i64 = 300;
/// How often the queue is checked without a wake-up.
const POLL: Duration = Duration::from_secs(5);

pub struct Worker {
    db: Db,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    wake: Arc<Notify>,
}

impl Worker {
    pub fn new(db: Db, smtp_url: Option<&str>, from: &str, wake: Arc<Notify>) -> Result<Worker> {
        let transport = smtp_url
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|builder| builder.timeout(Some(Duration::from_secs(30))).build())
                    .map_err(|e| Error::internal(format!("PASOKH_SMTP_URL is not usable: {e}")))
            })
            .transpose()?;
        let from = from
            .parse()
            .map_err(|e| Error::internal(format!("PASOKH_MAIL_FROM: {e}")))?;
        Ok(Worker {
            db,
            transport,
            from,
            wake,
        })
    }

    pub async fn run(self) {
        if let Err(error) = self
            .db
            .write(|conn| outbox::make_all_due(conn, db::now()))
            .await
        {
            tracing::error!(?error, "could not reschedule queued mail");
        }
        loop {
            match self.send_due().await {
                Ok(0) => {
                    let _ = tokio::time::timeout(POLL, self.wake.notified()).await;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(?error, "mail queue check failed");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    }

    /// Sends what is due; returns how many messages were attempted.
    async fn send_due(&self) -> Result<usize> {
        let due = self
            .db
            .write(|conn| outbox::claim_due(conn, db::now(), LEASE_SECS, 10))
            .await?;
        let count = due.len();
        for queued in due {
            let id = queued.id;
            match self.deliver(&queued.mail).await {
                Ok(()) => {
                    let via = if self.transport.is_some() {
                        "smtp"
                    } else {
                        "log"
                    };
                    tracing::info!(mail_id = id, to = %queued.mail.to, via, "mail delivered");
                    self.db
                        .write(move |conn| outbox::mark_sent(conn, id, db::now()))
                        .await?;
                }
                Err(Failure {
                    message,
                    permanent: true,
                }) => {
                    tracing::error!(mail_id = id, to = %queued.mail.to, error = %message, "mail refused for good; not retried");
                    self.db
                        .write(move |conn| outbox::mark_refused(conn, id, db::now(), &message))
                        .await?;
                }
                Err(Failure {
                    message,
                    permanent: false,
                }) => {
                    let delay = backoff_secs(queued.attempts);
                    tracing::warn!(mail_id = id, attempt = queued.attempts + 1, retry_in_secs = delay, error = %message, "mail not sent; will retry");
                    self.db
                        .write(move |conn| {
                            outbox::mark_failed(conn, id, db::now() + delay, &message)
                        })
                        .await?;
                }
            }
        }
        Ok(count)
    }

    async fn deliver(&self, mail: &outbox::Mail) -> std::result::Result<(), Failure> {
        let Some(transport) = &self.transport else {
            // No SMTP server configured: a first-time user still gets the link.
            tracing::info!(to = %mail.to, subject = %mail.subject, "no PASOKH_SMTP_URL set; mail written here instead:\n{}", mail.text);
            return Ok(());
        };
        // A message that cannot be built never will be.
        let message = build(&self.from, mail).map_err(|e| Failure {
            message: format!("building the message: {e}"),
            permanent: true,
        })?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| Failure {
                // 5xx answers (no such user, …) will not change on a retry;
                // connection errors and 4xx answers may.
                permanent: e.is_permanent(),
                message: e.to_string(),
            })
    }
}

/// Why a message did not go out.
struct Failure {
    message: String,
    /// The server refused it for good.
    permanent: bool,
}

/// 30 s, 1 min, 2 min, … capped at one hour.
fn backoff_secs(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 7)).min(3600)
}

fn build(from: &Mailbox, mail: &outbox::Mail) -> std::result::Result<Message, String> {
    // The address was validated on the way in; lettre parses it again and
    // encodes the header, so nothing raw reaches the message.
    let to: Mailbox = mail.to.parse().map_err(|e| format!("{e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        .raw_header(raw("Auto-Submitted", "auto-generated"))
        .raw_header(raw("X-Auto-Response-Suppress", "All"))
        .raw_header(raw("Content-Language", mail.lang.code()))
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| e.to_string())
}

fn raw(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_secs(0), 30);
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(3), 240);
        assert_eq!(backoff_secs(50), 3600);
    }
}
