//! Who answers a ticket by email. Anyone but staff is posted as the
//! customer, as every sender was before this rule: the signed reply address
//! and our Message-IDs travel only in mail about that ticket, which also
//! carries a link that opens the ticket as its customer, so a colleague in
//! copy or the customer's other address gains nothing by writing instead of
//! clicking, and refusing them would bounce customers who answer from a
//! second address. A staff member's mail is posted as their reply, and only
//! when it came to the reply address of the ticket's mail sent to them, they
//! work on the ticket's department (`Member::covers`, as `StaffTicket`
//! checks in the console) and the department allows it.

use rusqlite::Connection;

use super::{
    Outcome,
    address::{ReplyAddress, Signed},
    refused,
};
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

/// The sender of a message matched to `ticket` (`reply_to`: through this
/// signed reply address), or why it is refused.
pub fn sender(
    conn: &Connection,
    replies: &ReplyAddress,
    from: Option<&str>,
    ticket: &Ticket,
    reply_to: Option<&Signed>,
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
    // Only the reply address signed for the member counts: `From` anyone
    // can write — the customer, who holds the ticket's own reply address,
    // included — while that address is only in the mail sent to them. A
    // Message-ID in References survives forwarding into other threads and
    // a `[#ref]` in the subject anyone can type: neither says who wrote.
    let refusal = if !member.active {
        Some("the sender is a deactivated staff member")
    } else if !reply_to.is_some_and(|signed| replies.is_staff_reply(signed, from)) {
        Some("staff answer by email only by replying to the ticket's mail sent to them")
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
