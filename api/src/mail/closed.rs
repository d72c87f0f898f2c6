//! The one mail every close sends (the customer closed the ticket, an agent
//! did, or it closed by itself): in the ticket's language, why it closed,
//! "Did this answer help?" with two single-use rating links, and how to
//! reopen it. An account's ticket is mailed only if its holder wants mail
//! about their tickets, and gets a plain link instead of a guest token.
//! Like every automatic mail it carries our words and links only.

use rusqlite::Connection;
use shared::i18n::ConsoleKey;

use super::{
    compose::{button, html},
    notify::ticket_link,
};
use crate::{
    db::{
        outbox::{self, Mail},
        ratings,
        tickets::Ticket,
    },
    error::Result,
};

/// Who or what closed the ticket.
#[derive(Clone, Copy, Debug)]
pub enum Closer {
    Customer,
    Staff,
    /// The auto-close job, after this many days without an answer.
    Auto {
        days: u16,
    },
}

/// Queues the close mail for `ticket`, with a fresh rating token, in the
/// caller's transaction.
pub fn queue_closed(
    conn: &Connection,
    ticket: &Ticket,
    closer: Closer,
    public_url: &str,
    now: i64,
) -> Result<()> {
    let Some(ticket_link) = ticket_link(conn, ticket, public_url, now)? else {
        return Ok(());
    };
    // One token for both links: whichever is used first uses it up. The
    // token rides in the fragment, like every emailed token.
    let token = ratings::issue(conn, ticket.id, now)?;
    let good = format!("{public_url}/rate/good#{token}");
    let not_good = format!("{public_url}/rate/not-good#{token}");
    outbox::enqueue(
        conn,
        &compose(ticket, closer, [&good, &not_good, &ticket_link]),
        now,
    )
}

fn compose(ticket: &Ticket, closer: Closer, [good, not_good, reopen]: [&str; 3]) -> Mail {
    let lang = ticket.lang;
    let reference = lang.digits(&ticket.reference);
    let days = match closer {
        Closer::Auto { days } => lang.digits(&days.to_string()),
        _ => String::new(),
    };
    let args = [("reference", reference.as_str()), ("days", days.as_str())];
    let why = match closer {
        Closer::Customer => ConsoleKey::EmailClosedByCustomer,
        Closer::Staff => ConsoleKey::EmailClosedByStaff,
        Closer::Auto { .. } => ConsoleKey::EmailClosedAuto,
    }
    .fill(lang, &args);
    let ask = ConsoleKey::EmailClosedAsk.text(lang);
    let reopen_text = ConsoleKey::EmailClosedReopen.text(lang);
    let (good_label, not_good_label) = (
        ConsoleKey::EmailClosedGood.text(lang),
        ConsoleKey::EmailClosedNotGood.text(lang),
    );
    let footer = ConsoleKey::EmailFooter.text(lang);
    let text = format!(
        "{why}\n\n{ask}\n{good_label}: {good}\n{not_good_label}: {not_good}\n\n\
         {reopen_text}\n{reopen}\n\n-- \n{footer}\n"
    );
    // `html` places the first button at `\0`; the other two go at markers
    // it leaves alone.
    let body = format!("{why}\n\n{ask}\n\n\u{0}\n\n\u{1}\n\n{reopen_text}\n\n\u{2}");
    let html = html(lang, &body, good, good_label, footer)
        .replace('\u{1}', &button(not_good, not_good_label))
        .replace(
            '\u{2}',
            &button(reopen, ConsoleKey::EmailReplyLink.text(lang)),
        );
    Mail {
        ticket_id: Some(ticket.id),
        to: ticket.email.clone(),
        subject: ConsoleKey::EmailClosedSubject.fill(lang, &args),
        text,
        html,
        lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{api::Status, i18n::Lang};

    fn ticket(lang: Lang) -> Ticket {
        Ticket {
            id: 1,
            reference: "12345-67890".into(),
            department_id: 1,
            status: Status::Closed,
            email: "a@example.com".into(),
            subject: "<b>Buy cheap pills</b>".into(),
            lang,
            created_at: 0,
            closed_at: Some(1),
            customer_id: None,
        }
    }

    #[test]
    fn carries_three_links_and_no_submitted_text() {
        let links = [
            "http://d/rate/good#T",
            "http://d/rate/not-good#T",
            "http://d/link#A",
        ];
        let mail = compose(&ticket(Lang::Fa), Closer::Auto { days: 7 }, links);
        for part in [&mail.subject, &mail.text, &mail.html] {
            assert!(!part.contains("pills"), "submitted text leaked: {part}");
        }
        for link in links {
            assert!(mail.text.contains(link), "{}", mail.text);
            assert!(
                mail.html.contains(&format!("href=\"{link}\"")),
                "{}",
                mail.html
            );
        }
        assert!(
            mail.text.contains('۷'),
            "days in Persian digits: {}",
            mail.text
        );
        assert!(!mail.html.contains('\u{1}') && !mail.html.contains('\u{2}'));
        assert!(mail.html.contains("lang=\"fa\" dir=\"rtl\""));
    }
}
