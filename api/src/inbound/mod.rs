//! Replies by email: `pasokh mail ingest` reads one raw message on stdin (as
//! Postfix's `pipe`, Exim or a `.forward` hand it over), finds its ticket
//! (`matching`), keeps only the new text (`parse`, `quote`) and posts it as
//! the customer's reply through the same path as the ticket page. The exit
//! code tells the MTA what to do (sysexits): 0 done (or deliberately
//! ignored), 75 try again later, 65 and 67 bounce, with one line on stderr
//! saying why. The IMAP poller (`PASOKH_IMAP_URL`, in the server) is `imap/`:
//! it calls `ingest_into` for each message it fetches.

pub mod address;
mod agent;
mod html;
pub mod imap;
mod matching;
mod new_ticket;
mod parse;
pub mod quote;

use std::{io::Read, process::ExitCode, sync::Arc};

use axum::body::Body;
use shared::limits::{DESCRIPTION_MAX, INBOUND_EMAIL_MAX_BYTES, extension_allowed};

use rusqlite::Connection;

use self::{address::ReplyAddress, agent::Sender, matching::Matched};
use crate::{
    config::Config,
    conversation::{self, StaffPost},
    db::{
        self, Db, inbound,
        rate::{self, Limit},
        uploads::{self, StoredUpload},
    },
    error::{Error, Result},
    files::{self, Store},
    mail::address::mailbox_of,
    secrets,
};

/// Emails one sender may post in an hour, over all tickets, and emails one
/// ticket takes in an hour: a person stays far below; a loop does not.
const PER_SENDER: Limit = Limit::per_hour(30);
const PER_TICKET: Limit = Limit::per_hour(30);

/// What became of one email.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Posted to the ticket with this reference.
    Posted(String),
    /// The same email (Message-ID) was posted before: an MTA's redelivery.
    AlreadyPosted,
    /// Written by a machine (`parse::automatic`): recorded, never posted
    /// nor answered — and not bounced, which would answer it.
    Ignored(&'static str),
    /// 65 (EX_DATAERR) or 67 (EX_NOUSER): the MTA bounces it.
    Refused { code: u8, reason: String },
    /// 75 (EX_TEMPFAIL): the MTA keeps it and tries again.
    Retry(String),
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Posted(_) | Outcome::AlreadyPosted | Outcome::Ignored(_) => 0,
            Outcome::Refused { code, .. } => *code,
            Outcome::Retry(_) => 75,
        }
    }

    fn line(&self) -> String {
        match self {
            Outcome::Posted(reference) => format!("posted to ticket {reference}"),
            Outcome::AlreadyPosted => "already posted (same Message-ID)".into(),
            Outcome::Ignored(why) => format!("ignored: {why}"),
            Outcome::Refused { reason, .. } => reason.clone(),
            Outcome::Retry(reason) => format!("try again later: {reason}"),
        }
    }
}

fn refused(code: u8, reason: impl Into<String>) -> Outcome {
    Outcome::Refused {
        code,
        reason: reason.into(),
    }
}

/// Refused for its size, before any of it is parsed.
fn too_large() -> Outcome {
    refused(
        65,
        format!(
            "message too large: the limit is {} MB",
            INBOUND_EMAIL_MAX_BYTES >> 20
        ),
    )
}

/// `pasokh mail ingest`: stdin in, exit code out.
pub async fn run(config: &Config) -> ExitCode {
    let mut raw = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(INBOUND_EMAIL_MAX_BYTES as u64 + 1)
        .read_to_end(&mut raw);
    let outcome = match read {
        Err(error) => Outcome::Retry(format!("reading the message: {error}")),
        Ok(_) if raw.len() > INBOUND_EMAIL_MAX_BYTES => {
            // Read the rest, so the MTA sees our answer and not a broken pipe.
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            too_large()
        }
        Ok(_) => ingest(config, &raw)
            .await
            .unwrap_or_else(|error| Outcome::Retry(error.to_string())),
    };
    eprintln!("pasokh mail ingest: {}", outcome.line());
    ExitCode::from(outcome.exit_code())
}

/// One message, already read and within the size limit.
pub async fn ingest(config: &Config, raw: &[u8]) -> Result<Outcome> {
    let path = config.data_dir.join("pasokh.db");
    if !path.exists() {
        // A wrong PASOKH_DATA_DIR must not start an empty desk that refuses
        // every reply: the MTA keeps the mail until the setting is fixed.
        return Ok(Outcome::Retry(format!(
            "no database at {}: set PASOKH_DATA_DIR to the server's data folder",
            path.display()
        )));
    }
    ingest_into(&Db::open(&path)?, config, raw).await
}

/// One message into an open database: what `ingest` does once it found the
/// database, and what the IMAP poller calls for each message it fetched.
pub async fn ingest_into(db: &Db, config: &Config, raw: &[u8]) -> Result<Outcome> {
    let Some(mail) = parse::parse(raw) else {
        return Ok(refused(65, "not an email message"));
    };
    let key = db.write(inbound::reply_key).await?;
    let replies = ReplyAddress::new(&config.inbound, key);
    let desk = replies.clone();
    let found = db
        .read(move |conn| {
            let matched = matching::find(conn, &mail, &replies)?;
            Ok((mail, matched))
        })
        .await?;
    let (mail, ticket, reply_to) = match found {
        (_, Matched::Forged) => {
            return Ok(refused(67, "the reply address is not valid for any ticket"));
        }
        (mail, Matched::Nothing) => return new_ticket::open(db, config, mail, &desk).await,
        (mail, Matched::Ticket { ticket, reply_to }) => (mail, ticket, reply_to),
    };
    if let Some(why) = mail.automatic {
        let id = ticket.id;
        db.write(move |conn| inbound::record_ignored(conn, id, why, db::now()))
            .await?;
        return Ok(Outcome::Ignored(why));
    }
    let (from, checked, replies) = (mail.from.clone(), ticket.clone(), desk);
    let sender = db
        .read(move |conn| {
            agent::sender(conn, &replies, from.as_deref(), &checked, reply_to.as_ref())
        })
        .await?;
    let sender = match sender {
        Ok(sender) => sender,
        Err(refusal) => return Ok(refusal),
    };
    if !within_limits(db, mail.from.as_deref(), Some(ticket.id)).await? {
        return Ok(Outcome::Retry(
            "too many emails from this sender or to this ticket".into(),
        ));
    }
    let text = new_text(&mail);
    if text.trim().is_empty() {
        return Ok(refused(
            65,
            "the message has no new text above the quoted one",
        ));
    }
    let (limits, public_url) = (config.attachments, config.public_url.clone());
    let posted = post_email(db, config, mail, move |conn, message_id, uploads, now| {
        if let Some(id) = message_id
            && inbound::already_posted(conn, ticket.id, id)?
        {
            return Ok(None);
        }
        let message = match &sender {
            Sender::Customer => conversation::customer_reply(
                conn,
                ticket.id,
                &text,
                uploads,
                &limits,
                &public_url,
                now,
            )?,
            Sender::Agent(member) => {
                let post = StaffPost {
                    member,
                    body: &text,
                    internal: false,
                    uploads,
                    seen_message: None,
                    // Mail cannot be asked to look again at what came since.
                    force: true,
                };
                let reply =
                    conversation::staff_reply(conn, ticket.id, &post, &limits, &public_url, now);
                reply?.id
            }
        };
        Ok(Some((message, ticket.reference.clone())))
    })
    .await;
    Ok(outcome(posted))
}

/// Counts one email against its sender's hourly limit and, if it answers
/// one, its ticket's; `false` when either is full.
async fn within_limits(db: &Db, from: Option<&str>, ticket: Option<i64>) -> Result<bool> {
    let sender = format!("email:sender:{}", mailbox_of(from.unwrap_or("")));
    let per_ticket = ticket.map(|id| format!("email:ticket:{id}"));
    db.write(move |conn| {
        let now = db::now();
        Ok(rate::take(conn, &sender, PER_SENDER, now)?
            && match &per_ticket {
                Some(key) => rate::take(conn, key, PER_TICKET, now)?,
                None => true,
            })
    })
    .await
}

/// The message's new text (`quote`), cut to the longest a message may be.
fn new_text(mail: &parse::Incoming) -> String {
    quote::new_text(&mail.reply_text)
        .chars()
        .take(DESCRIPTION_MAX)
        .collect()
}

/// Stores the message's attachments, then in one write inserts their
/// upload rows and runs `post` with their ids, the message's Message-ID and
/// the time; `post` returns the message it posted and the ticket's
/// reference (or `None`: posted before), and that message is marked as come
/// by email with the whole text. The files go again unless it posted.
async fn post_email<F>(
    db: &Db,
    config: &Config,
    mail: parse::Incoming,
    post: F,
) -> Result<Option<String>>
where
    F: FnOnce(&Connection, Option<&str>, &[String], i64) -> Result<Option<(i64, String)>>
        + Send
        + 'static,
{
    let store = Arc::new(Store::open(&config.data_dir)?);
    let stored = store_attachments(&store, config, mail.attachments).await?;
    let names: Vec<String> = stored.iter().map(|u| u.stored_name.clone()).collect();
    let (original, message_id) = (mail.full_text, mail.message_id);
    let posted = db
        .write(move |conn| {
            let now = db::now();
            for upload in &stored {
                uploads::insert(conn, upload, now)?;
            }
            let ids: Vec<String> = stored.iter().map(|u| u.id.clone()).collect();
            let Some((message, reference)) = post(conn, message_id.as_deref(), &ids, now)? else {
                return Ok(None);
            };
            inbound::mark_email(conn, message, &original, message_id.as_deref())?;
            Ok(Some(reference))
        })
        .await;
    if !matches!(posted, Ok(Some(_))) {
        store.delete(&names).await;
    }
    posted
}

/// What a post's result tells the MTA.
fn outcome(posted: Result<Option<String>>) -> Outcome {
    match posted {
        Ok(Some(reference)) => Outcome::Posted(reference),
        Ok(None) => Outcome::AlreadyPosted,
        Err(Error::TicketClosed) => refused(
            65,
            "the ticket is closed: reopen it from its page to write again",
        ),
        Err(Error::TicketFull) => refused(65, "the ticket holds as many messages as it can"),
        Err(Error::RateLimited { .. }) => {
            Outcome::Retry("too many new tickets from this address".into())
        }
        Err(Error::Internal(cause)) => Outcome::Retry(cause.to_string()),
        Err(other) => refused(65, format!("not accepted: {other}")),
    }
}

/// Stores the attachments the upload rules allow (type sniffed against the
/// extension, size and count limits), in order; the rest are left out.
async fn store_attachments(
    store: &Store,
    config: &Config,
    attachments: Vec<parse::Attachment>,
) -> Result<Vec<StoredUpload>> {
    let limits = config.attachments;
    let mut kept: Vec<StoredUpload> = Vec::new();
    let mut total = 0u64;
    for attachment in attachments {
        let name = files::clean_file_name(&attachment.name);
        let size = attachment.bytes.len() as u64;
        if name.is_empty()
            || !extension_allowed(&name)
            || kept.len() >= limits.max_files
            || size > limits.max_file_bytes
            || total + size > limits.max_total_bytes
        {
            continue;
        }
        let received = store
            .receive(Body::from(attachment.bytes), limits.max_file_bytes)
            .await?;
        let Some(content_type) = files::sniff(&name, &received.head) else {
            store.delete(&[received.stored_name]).await;
            continue;
        };
        total += size;
        kept.push(StoredUpload {
            id: secrets::token()?,
            stored_name: received.stored_name,
            file_name: name,
            content_type: content_type.to_owned(),
            size,
        });
    }
    Ok(kept)
}
