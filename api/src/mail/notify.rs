//! Mail the support side causes: an agent's reply to the customer (in the
//! ticket's language, with the reply and a fresh one-time link that opens
//! the ticket — or, for an account's ticket, a plain link to it and only if
//! the account holder wants these mails), a customer's new message to the assigned agent, and a staff
//! invitation. Queued in the caller's transaction, like every mail.
//!
//! The reply mail carries the agent's words, never the customer's: what a
//! stranger typed into the public form cannot reach anyone's inbox through it.

use rusqlite::Connection;
use shared::i18n::{ConsoleKey, Lang};

use super::compose::html;
use crate::{
    db::{
        customers,
        links::{self, Purpose},
        outbox::{self, Mail},
        staff,
        tickets::Ticket,
    },
    error::Result,
};

/// The plain-text part: body, a blank line, the link, and the footer.
fn text(body: &str, link: &str, footer: &str) -> String {
    format!("{body}\n\n{link}\n\n-- \n{footer}\n")
}

/// The customer learns that an agent answered, reads the answer, and gets
/// a link that opens the conversation in their browser.
pub fn queue_agent_reply(
    conn: &Connection,
    ticket: &Ticket,
    agent: &str,
    reply: &str,
    public_url: &str,
    now: i64,
) -> Result<()> {
    let Some(link) = ticket_link(conn, ticket, public_url, now)? else {
        return Ok(());
    };
    let lang = ticket.lang;
    let reference = lang.digits(&ticket.reference);
    let args = [("reference", reference.as_str()), ("agent", agent)];
    let intro = ConsoleKey::EmailReplyBody.fill(lang, &args);
    let footer = ConsoleKey::EmailFooter.text(lang);
    let body = format!(
        "{intro}\n\n{reply}\n\n{}",
        ConsoleKey::EmailReplyOpen.text(lang)
    );
    let mail = Mail {
        ticket_id: Some(ticket.id),
        to: ticket.email.clone(),
        subject: ConsoleKey::EmailReplySubject.fill(lang, &args),
        text: text(&body, &link, footer),
        html: html(
            lang,
            &format!("{body}\n\n\u{0}"),
            &link,
            ConsoleKey::EmailReplyLink.text(lang),
            footer,
        ),
        lang,
    };
    outbox::enqueue(conn, &mail, now)
}

/// The link a mail to the customer opens the ticket with, or `None` when
/// the mail is not to be sent: an account's ticket opens with the account
/// (a guest link would not open it), and its holder may have turned these
/// mails off; any other ticket gets a fresh one-time guest link.
pub fn ticket_link(
    conn: &Connection,
    ticket: &Ticket,
    public_url: &str,
    now: i64,
) -> Result<Option<String>> {
    Ok(Some(match ticket.customer_id {
        Some(id) => {
            if !customers::by_id(conn, id)?.is_some_and(|c| c.notify_replies) {
                return Ok(None);
            }
            format!("{public_url}/tickets/{}", ticket.reference)
        }
        None => {
            let token = links::issue(conn, ticket.id, Purpose::Access, now)?;
            format!("{public_url}/link#{token}")
        }
    }))
}

/// The assigned agent learns that the customer wrote again, if they want
/// to (a preference, on by default). The mail names the ticket only.
pub fn queue_customer_replied(
    conn: &Connection,
    ticket: &Ticket,
    public_url: &str,
    now: i64,
) -> Result<()> {
    let Some(assignee) = staff::assignee_of(conn, ticket.id)? else {
        return Ok(());
    };
    if !assignee.active || !assignee.notify_replies {
        return Ok(());
    }
    let lang = Lang::DEFAULT;
    let link = format!("{public_url}/console/tickets/{}", ticket.reference);
    let args = [("reference", ticket.reference.as_str())];
    let body = ConsoleKey::EmailCustomerRepliedBody.fill(lang, &args);
    let footer = ConsoleKey::EmailFooter.text(lang);
    let mail = Mail {
        ticket_id: Some(ticket.id),
        to: assignee.email,
        subject: ConsoleKey::EmailCustomerRepliedSubject.fill(lang, &args),
        text: text(&body, &link, footer),
        html: html(
            lang,
            &format!("{body}\n\n\u{0}"),
            &link,
            ConsoleKey::EmailTicketLink.text(lang),
            footer,
        ),
        lang,
    };
    outbox::enqueue(conn, &mail, now)
}

/// An invitation to join the desk, with the link that sets a password.
pub fn queue_invitation(
    conn: &Connection,
    to: &str,
    name: &str,
    inviter: &str,
    link: &str,
    lang: Lang,
    now: i64,
) -> Result<()> {
    let args = [("name", name), ("inviter", inviter)];
    let body = ConsoleKey::EmailInviteBody.fill(lang, &args);
    let footer = ConsoleKey::EmailFooter.text(lang);
    let mail = Mail {
        ticket_id: None,
        to: to.to_owned(),
        subject: ConsoleKey::EmailInviteSubject.fill(lang, &args),
        text: text(&body, link, footer),
        html: html(
            lang,
            &format!("{body}\n\n\u{0}"),
            link,
            ConsoleKey::EmailInviteLink.text(lang),
            footer,
        ),
        lang,
    };
    outbox::enqueue(conn, &mail, now)
}
