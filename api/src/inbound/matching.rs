//! Which ticket an email answers, in the order of trust: our signed reply
//! address among its recipients; a Message-ID of ours in `In-Reply-To` or
//! `References`; the reference in the subject, `[#12345-67890]`, but only
//! from the ticket's own address. Tickets not yet confirmed match nothing.
//! A `<local>+<slug>` address of a department is the department's (mail to
//! it may open a ticket), not a mangled reply address.

use rusqlite::Connection;
use shared::{api::Status, validate::Reference};

use super::{
    address::{ReplyAddress, Signed},
    parse::Incoming,
};
use crate::{
    db::{
        department_mail, inbound,
        tickets::{self, Ticket},
    },
    error::Result,
    mail::address::mailbox_of,
};

#[derive(Debug)]
pub enum Matched {
    /// `reply_to`: the signed reply address it came to, if it matched by
    /// one (a staff member's reply must have come to theirs: `agent`).
    Ticket {
        ticket: Ticket,
        reply_to: Option<Signed>,
    },
    /// A reply address of ours whose signature is wrong, and nothing else.
    Forged,
    Nothing,
}

pub fn find(conn: &Connection, mail: &Incoming, replies: &ReplyAddress) -> Result<Matched> {
    let live = |ticket: Option<Ticket>| ticket.filter(|t| t.status != Status::AwaitingConfirmation);
    let mut forged = false;
    for recipient in &mail.recipients {
        match replies.read(recipient) {
            Some(Ok(signed)) => {
                if let Some(ticket) = live(tickets::by_reference(conn, &signed.reference)?) {
                    return Ok(Matched::Ticket {
                        ticket,
                        reply_to: Some(signed),
                    });
                }
            }
            Some(Err(())) => {
                // `<local>+<slug>` reads as a reply address without its
                // signature; a department's address is no forgery.
                let department = match replies.desk(recipient).flatten() {
                    Some(slug) => department_mail::exists(conn, &slug)?,
                    None => false,
                };
                forged |= !department;
            }
            None => {}
        }
    }
    if forged {
        return Ok(Matched::Forged);
    }
    for id in &mail.answers {
        let Some((ours, domain)) = id.rsplit_once('@') else {
            continue;
        };
        if !domain.eq_ignore_ascii_case(replies.domain()) {
            continue;
        }
        if let Some(ticket_id) = inbound::ticket_of_sent(conn, ours)?
            && let Some(ticket) = live(tickets::by_id(conn, ticket_id)?)
        {
            return Ok(Matched::Ticket {
                ticket,
                reply_to: None,
            });
        }
    }
    if let (Some(reference), Some(from)) = (subject_reference(&mail.subject), &mail.from)
        && let Some(ticket) = live(tickets::by_reference(conn, &reference)?)
        && mailbox_of(from) == mailbox_of(&ticket.email)
    {
        return Ok(Matched::Ticket {
            ticket,
            reply_to: None,
        });
    }
    Ok(Matched::Nothing)
}

/// The reference of `[#12345-67890]` in a subject (digits of any script:
/// a client may have shaped them).
fn subject_reference(subject: &str) -> Option<String> {
    let start = subject.find("[#")? + 2;
    let end = subject[start..].find(']')? + start;
    Reference::parse(&subject[start..end])
        .ok()
        .map(|r| r.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::subject_reference;

    #[test]
    fn the_subject_tag_names_a_reference() {
        assert_eq!(
            subject_reference("Re: Your ticket was answered [#12345-67890]").as_deref(),
            Some("12345-67890")
        );
        assert_eq!(
            subject_reference("RE: [#۱۲۳۴۵-۶۷۸۹۰]").as_deref(),
            Some("12345-67890")
        );
        assert_eq!(subject_reference("Re: 12345-67890"), None);
        assert_eq!(subject_reference("[#123]"), None);
    }
}
