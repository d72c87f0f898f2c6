//! Who answers a ticket by email. The ticket's customer — or, as before
//! staff could answer by mail, anyone who holds the ticket's mail: the
//! signed reply address and our Message-IDs travel only in mail we sent
//! about that ticket, which also carries a link that opens the ticket as
//! its customer, so a colleague in copy or the customer's other address
//! gains nothing by writing instead of clicking; refusing them would only
//! bounce customers who answer from a second address. A staff member is
//! different: their mail is posted as their reply, and only when the
//! department allows it and they work on it (`Member::covers`, as
//! `StaffTicket` checks in the console).

use rusqlite::Connection;

use super::{Outcome, refused};
use crate::{
    db::{
        department_mail,
        staff::{self, Member},
        tickets::Ticket,
    },
    error::Result,
    mail::address::mailbox_of,
};

/// Whom a message is posted as.
pub enum Sender {
    Customer,
    Agent(Member),
}

/// The sender of a message matched to `ticket` (`signed`: through its
/// signed reply address), or why it is refused.
pub fn sender(
    conn: &Connection,
    from: Option<&str>,
    ticket: &Ticket,
    signed: bool,
) -> Result<std::result::Result<Sender, Outcome>> {
    let Some(from) = from else {
        return Ok(Ok(Sender::Customer));
    };
    if mailbox_of(from) == mailbox_of(&ticket.email) {
        return Ok(Ok(Sender::Customer));
    }
    let Some(member) = staff::by_email(conn, from)? else {
        return Ok(Ok(Sender::Customer));
    };
    // Only the signed reply address counts for staff: it is in the Reply-To
    // of the ticket's mail and cannot be made up, while a Message-ID in
    // References survives forwarding into other threads and a `[#ref]` in
    // the subject anyone can type — neither says this mail answers this
    // ticket on purpose.
    let refusal = if !member.active {
        Some("the sender is a deactivated staff member")
    } else if !signed {
        Some("staff answer by email only at the ticket's reply address (reply to its mail)")
    } else if !member.covers(ticket.department_id) {
        Some("the sender does not work on this ticket's department")
    } else if !department_mail::agents_reply(conn, ticket.department_id)? {
        Some("this ticket's department does not take staff answers by email: answer in the console")
    } else {
        None
    };
    Ok(match refusal {
        Some(reason) => Err(refused(67, reason)),
        None => Ok(Sender::Agent(member)),
    })
}
