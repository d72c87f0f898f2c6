//! The outbox worker: takes due mail from the database, hands it to the SMTP
//! server, and records the outcome. Woken at once when something is queued,
//! and every few seconds regardless, so mail queued by another instance or
//! left over from a crash goes out too.
//!
//! Throughput comes from sending `CONCURRENCY` messages at once over SMTP
//! connections kept open between messages (`smtp::Relay`), claiming `BATCH`
//! messages per write and recording outcomes as they arrive, many per write
//! (group commit). The
//! guarantees stay those of one message at a time: a claim is a lease, a
//! message is marked sent only after the server accepted it (a crash in
//! between means a duplicate, never a loss), and a permanent refusal is kept
//! with its error and not retried.

use std::{sync::Arc, time::Duration};

use futures_util::{StreamExt, stream};
use lettre::{
    Message,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
};
use tokio::sync::{Notify, mpsc};

use crate::{
    db::{
        self, Db,
        outbox::{self, Outcome, Queued},
    },
    error::{Error, Result},
    inbound::address::ReplyAddress,
    mail::{
        address::{self, masked},
        smtp::{Relay, SendError},
    },
};

/// Messages in flight at once, and SMTP connections kept open for them.
/// A local relay takes this many without complaint; a remote provider that
/// limits concurrent connections answers 421, which is retried.
const CONCURRENCY: usize = 8;
/// Messages claimed per database write.
const BATCH: usize = 128;
/// The longest one delivery may take before it counts as failed (lettre's
/// own timeout is per SMTP command, and a delivery is several).
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a claimed message is reserved for the attempt in progress:
/// longer than the worst case of a batch (every slot timing out on each of
/// its messages), so another instance never sends a message still in flight.
const LEASE_SECS: i64 = (BATCH / CONCURRENCY) as i64 * SEND_TIMEOUT.as_secs() as i64 + 60;
const _: () = assert!(LEASE_SECS > (BATCH / CONCURRENCY) as i64 * SEND_TIMEOUT.as_secs() as i64);
/// How often the queue is checked without a wake-up.
const POLL: Duration = Duration::from_secs(5);

pub struct Worker {
    db: Db,
    transport: Option<Relay>,
    from: Mailbox,
    /// Signs the `Reply-To` of ticket mail and names our Message-IDs.
    replies: ReplyAddress,
    wake: Arc<Notify>,
}

impl Worker {
    pub fn new(
        db: Db,
        smtp_url: Option<&str>,
        from: &str,
        replies: ReplyAddress,
        wake: Arc<Notify>,
    ) -> Result<Worker> {
        let transport = smtp_url
            .map(|url| {
                Relay::from_url(url, Duration::from_secs(30), CONCURRENCY)
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
            replies,
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
            crate::ops::health::outbox_beat();
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
            .write(|conn| outbox::claim_due(conn, db::now(), LEASE_SECS, BATCH as i64))
            .await?;
        let count = due.len();
        if count == 0 {
            return Ok(0);
        }
        // Deliveries report to the recorder as they finish; the recorder
        // writes whatever has arrived in one transaction, so the sending
        // never waits for a commit and a slow message holds up no record.
        let (done, mut finished) = mpsc::unbounded_channel();
        let send = async move {
            stream::iter(due)
                .for_each_concurrent(CONCURRENCY, |queued| {
                    let done = done.clone();
                    async move {
                        let outcome = self.attempt(&queued).await;
                        let _ = done.send((queued.id, outcome));
                    }
                })
                .await;
            // `done` is dropped here: the recorder ends once it has all.
        };
        let record = async {
            let mut outcomes = Vec::new();
            let mut result = Ok(());
            while finished.recv_many(&mut outcomes, BATCH).await > 0 {
                let batch = std::mem::take(&mut outcomes);
                // Keep draining after an error: what was not recorded is
                // sent again when its lease ends (a duplicate, not a loss).
                if let Err(error) = self
                    .db
                    .write(move |conn| outbox::record(conn, &batch, db::now()))
                    .await
                {
                    result = Err(error);
                }
            }
            result
        };
        let ((), recorded) = tokio::join!(send, record);
        recorded.map(|()| count)
    }

    /// One delivery attempt, logged, as the outcome to record.
    async fn attempt(&self, queued: &Queued) -> Outcome {
        crate::ops::health::outbox_beat();
        let id = queued.id;
        let to = masked(&queued.mail.to);
        match self.deliver(queued).await {
            Ok(()) => {
                let via = if self.transport.is_some() {
                    "smtp"
                } else {
                    "log"
                };
                tracing::info!(mail_id = id, %to, via, "mail delivered");
                Outcome::Sent
            }
            Err(Failure {
                message,
                permanent: true,
            }) => {
                tracing::error!(mail_id = id, %to, error = %message, "mail refused for good; not retried");
                Outcome::Refused { error: message }
            }
            Err(Failure {
                message,
                permanent: false,
            }) => {
                let delay = backoff_secs(queued.attempts);
                tracing::warn!(mail_id = id, %to, attempt = queued.attempts + 1, retry_in_secs = delay, error = %message, "mail not sent; will retry");
                Outcome::Failed {
                    retry_at: db::now() + delay,
                    error: message,
                }
            }
        }
    }

    async fn deliver(&self, queued: &Queued) -> std::result::Result<(), Failure> {
        let mail = &queued.mail;
        let Some(transport) = &self.transport else {
            // No SMTP server configured: a first-time user still gets the link.
            tracing::info!(to = %masked(&mail.to), subject = %mail.subject, "no PASOKH_SMTP_URL set; mail written here instead:\n{}", mail.text);
            return Ok(());
        };
        // A message that cannot be built never will be.
        let message = build(&self.from, queued, &self.replies).map_err(|e| Failure {
            message: format!("building the message: {e}"),
            permanent: true,
        })?;
        let bytes = message.formatted();
        let sending = transport.send(message.envelope(), &bytes);
        match tokio::time::timeout(SEND_TIMEOUT, sending).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Failure {
                permanent: matches!(&e, SendError::Smtp(e) if is_permanent(e.is_permanent(), &e.to_string())),
                message: e.to_string(),
            }),
            Err(_) => Err(Failure {
                message: format!("no answer within {} s", SEND_TIMEOUT.as_secs()),
                permanent: false,
            }),
        }
    }
}

/// Why a message did not go out.
struct Failure {
    message: String,
    /// The server refused it for good.
    permanent: bool,
}

/// 5xx answers (no such user, …) will not change on a retry; connection
/// errors and 4xx answers may. A server without SMTPUTF8 will not take an
/// address that is not ASCII on any retry either: lettre says so before
/// sending (a client error naming SMTPUTF8), other servers with a 553/555,
/// which is a 5xx.
fn is_permanent(smtp_5xx: bool, message: &str) -> bool {
    smtp_5xx || message.contains("SMTPUTF8")
}

/// 30 s, 1 min, 2 min, … capped at one hour.
fn backoff_secs(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 7)).min(3600)
}

fn build(
    from: &Mailbox,
    queued: &Queued,
    replies: &ReplyAddress,
) -> std::result::Result<Message, String> {
    let mail = &queued.mail;
    // The address was validated on the way in; lettre parses it again and
    // encodes the header, so nothing raw reaches the message. The domain goes
    // out in its ASCII form, also for mail queued before that was stored.
    let to: Mailbox = address::for_smtp(&mail.to)
        .parse()
        .map_err(|e| format!("{e}"))?;
    let builder = Message::builder().from(from.clone()).to(to);
    let builder = match &queued.thread {
        Some(thread) => super::thread::headers(builder, thread, replies, &mail.subject, &mail.to)?,
        None => builder.subject(&mail.subject),
    };
    builder
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

    #[test]
    fn smtputf8_refusals_are_final() {
        assert!(is_permanent(
            false,
            "client error: Envelope contains non-ascii chars but server does not support SMTPUTF8"
        ));
        assert!(is_permanent(
            true,
            "permanent error (553): 5.6.7 SMTPUTF8 required"
        ));
        assert!(!is_permanent(
            false,
            "transient error (421): try again later"
        ));
        assert!(!is_permanent(false, "Connection refused (os error 111)"));
    }
}
