//! The two sides of a conversation, each one path whether written in a
//! page or sent by email. A customer's reply puts the ticket back to `open`
//! (and the console's live stream sees its `customer_replied` event),
//! search indexes the text and the assigned agent is told; a staff
//! member's reply marks it answered and mails the customer.

use rusqlite::Connection;
use shared::{
    api::{Author, Status},
    console::StaffMessage,
    forms::{FormField, Localized},
    i18n::Lang,
    limits::{AttachmentLimits, MESSAGES_PER_TICKET},
    validate::{Field, Problem},
};

use crate::{
    db::{
        console, forms,
        links::Purpose,
        rate::{self, Limit},
        staff::Member,
        tickets::{self, Ticket},
        uploads,
    },
    error::{Error, Result},
    mail::{self, address::Recipient},
};

/// New tickets per mailbox (`+tags` and case do not make a new one) and
/// per domain, however they are opened. The domain limit bounds what many
/// addresses can send to one organisation's mail server; it is far above
/// what the customers of one desk at one provider open in an hour.
const CREATE_PER_EMAIL: Limit = Limit::per_hour(5);
const CREATE_PER_DOMAIN: Limit = Limit::per_hour(200);

/// A new ticket, every field checked: what the web form and an email to
/// the desk both open.
pub struct Opening<'a> {
    /// The department's slug.
    pub department: &'a str,
    pub email: &'a Recipient,
    pub subject: &'a str,
    pub description: &'a str,
    pub lang: Lang,
    pub uploads: &'a [String],
    /// The department's form with the answers, as kept.
    pub answers: &'a [(FormField<Localized>, String)],
    pub resend_key_hash: &'a [u8],
    /// Opened in an account (the address is verified already).
    pub customer_id: Option<i64>,
}

/// Opens a ticket in the caller's transaction; returns it and its first
/// message's id. One by email waits for its
/// address to be confirmed (the confirmation mail is queued); one opened in
/// an account is open at once and sends no mail. The per-address limits are
/// counted here, in the transaction that queues the mail: a request that
/// fails sends nothing and counts against nobody's address.
pub fn open(
    conn: &Connection,
    new: &Opening<'_>,
    limits: &AttachmentLimits,
    public_url: &str,
    now: i64,
) -> Result<(Ticket, i64)> {
    let department_id = tickets::department_id(conn, new.department)?
        .ok_or_else(|| Error::field(Field::Department, Problem::Unknown))?;
    let mailbox = format!("create:mailbox:{}", new.email.mailbox());
    let domain = format!("create:domain:{}", new.email.domain());
    rate::hit(conn, &mailbox, CREATE_PER_EMAIL, now)?;
    rate::hit(conn, &domain, CREATE_PER_DOMAIN, now)?;
    let ticket = tickets::insert(
        conn,
        &tickets::NewTicket {
            department_id,
            email: new.email.as_str(),
            subject: new.subject,
            lang: new.lang,
            resend_key_hash: new.resend_key_hash,
            customer_id: new.customer_id,
            now,
        },
    )?;
    let message = tickets::add_message(conn, ticket.id, Author::Customer, new.description, now)?;
    uploads::claim(conn, new.uploads, ticket.id, message, limits)?;
    forms::save_answers(conn, ticket.id, new.answers)?;
    tickets::add_event(conn, ticket.id, "created", "customer", now)?;
    if new.customer_id.is_some() {
        tickets::set_status(conn, ticket.id, Status::Open, "confirmed", "customer", now)?;
    } else {
        mail::queue_link(conn, &ticket, Purpose::Confirm, public_url, now)?;
    }
    Ok((ticket, message))
}

/// Posts `body` (already checked) with the claimed `uploads` to the ticket,
/// in the caller's transaction; returns the new message's id.
pub fn customer_reply(
    conn: &Connection,
    ticket_id: i64,
    body: &str,
    upload_ids: &[String],
    limits: &AttachmentLimits,
    public_url: &str,
    now: i64,
) -> Result<i64> {
    let ticket = tickets::by_id(conn, ticket_id)?.ok_or(Error::NotFound)?;
    if ticket.status == Status::Closed {
        return Err(Error::TicketClosed);
    }
    if tickets::message_count(conn, ticket.id)? >= MESSAGES_PER_TICKET {
        return Err(Error::TicketFull);
    }
    let message = tickets::add_message(conn, ticket.id, Author::Customer, body, now)?;
    uploads::claim(conn, upload_ids, ticket.id, message, limits)?;
    // The customer wrote: the ticket waits for an agent again.
    tickets::set_status(
        conn,
        ticket.id,
        Status::Open,
        "customer_replied",
        "customer",
        now,
    )?;
    mail::notify::queue_customer_replied(conn, &ticket, public_url, now)?;
    Ok(message)
}

/// A staff member's message to post: a reply to the customer or an
/// internal note, with claimed uploads.
pub struct StaffPost<'a> {
    pub member: &'a Member,
    /// Already checked (`ReplyBody`).
    pub body: &'a str,
    pub internal: bool,
    pub uploads: &'a [String],
    /// The newest message the writer had seen: a newer one holds the reply
    /// back with `stale`, unless `force` (the writer saw it and sends
    /// anyway; a reply by email, which cannot be asked again).
    pub seen_message: Option<i64>,
    pub force: bool,
}

/// Posts a staff member's message in the caller's transaction: a reply
/// marks the ticket answered and queues the customer's mail (the agent's
/// words and a fresh link); a note only records itself. Returns the message
/// as the console shows it.
pub fn staff_reply(
    conn: &Connection,
    ticket_id: i64,
    post: &StaffPost<'_>,
    limits: &AttachmentLimits,
    public_url: &str,
    now: i64,
) -> Result<StaffMessage> {
    let ticket = tickets::by_id(conn, ticket_id)?.ok_or(Error::NotFound)?;
    if !post.force && console::last_message_id(conn, ticket.id)? > post.seen_message {
        return Err(Error::Stale);
    }
    if tickets::message_count(conn, ticket.id)? >= MESSAGES_PER_TICKET {
        return Err(Error::TicketFull);
    }
    let member = post.member;
    let id = console::add_staff_message(conn, ticket.id, member.id, post.body, post.internal, now)?;
    uploads::claim(conn, post.uploads, ticket.id, id, limits)?;
    if post.internal {
        console::staff_event(conn, ticket.id, "note_added", member.id, None, now)?;
    } else {
        if ticket.status != Status::Answered {
            tickets::set_status(conn, ticket.id, Status::Answered, "answered", "staff", now)?;
        }
        console::staff_event(conn, ticket.id, "replied", member.id, None, now)?;
        mail::notify::queue_agent_reply(conn, &ticket, &member.name, post.body, public_url, now)?;
    }
    console::messages(conn, ticket.id, Some(id))?
        .pop()
        .ok_or(Error::NotFound)
}
