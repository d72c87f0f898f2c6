//! A customer's reply, written on the ticket page or sent by email: one path,
//! so either way the ticket goes back to `open` (and the console's live
//! stream sees its `customer_replied` event), search indexes the text and
//! the assigned agent is told.

use rusqlite::Connection;
use shared::{
    api::{Author, Status},
    limits::{AttachmentLimits, MESSAGES_PER_TICKET},
};

use crate::{
    db::{tickets, uploads},
    error::{Error, Result},
    mail,
};

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
