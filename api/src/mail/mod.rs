//! Outgoing mail: what the desk writes (`compose`) and how it gets out
//! (`worker`). Automatic mail carries no text a submitter chose — only the
//! reference and a link — so the public form cannot relay spam.

pub mod account;
pub mod address;
pub mod closed;
pub mod compose;
pub mod notify;
pub mod smtp;
pub mod thread;
pub mod worker;

use rusqlite::Connection;

use crate::{
    db::{
        links::{self, Purpose},
        outbox,
        tickets::Ticket,
    },
    error::Result,
};

/// Issues a one-time link for `ticket` and queues the email that carries it,
/// in the caller's transaction. An account's ticket gets a plain link to it.
pub fn queue_link(
    conn: &Connection,
    ticket: &Ticket,
    purpose: Purpose,
    public_url: &str,
    now: i64,
) -> Result<()> {
    let link = match (purpose, ticket.customer_id) {
        // An account's ticket opens with the account's session only: a
        // guest token would not open it, so none is made.
        (Purpose::Access, Some(_)) => format!("{public_url}/tickets/{}", ticket.reference),
        _ => {
            let token = links::issue(conn, ticket.id, purpose, now)?;
            // The token travels in the fragment: browsers never send it to a
            // server, so it stays out of access logs, proxies and Referer
            // headers, and a mail scanner that fetches the URL cannot use it up.
            format!("{public_url}/link#{token}")
        }
    };
    let mail = compose::link_mail(ticket, purpose, &link);
    outbox::enqueue(conn, &mail, now)?;
    links_event(conn, ticket, purpose, now)
}

fn links_event(conn: &Connection, ticket: &Ticket, purpose: Purpose, now: i64) -> Result<()> {
    let kind = match purpose {
        Purpose::Confirm => "confirmation_sent",
        Purpose::Access => "access_link_sent",
    };
    crate::db::tickets::add_event(conn, ticket.id, kind, "system", now)
}
