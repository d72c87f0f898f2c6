//! A message that matches no ticket, sent to the desk's own address
//! (`<local>@<domain>`) or a department's (`<local>+<slug>@<domain>`), opens
//! a ticket where a department allows it: through `conversation::open`,
//! the web form's path, so it waits for confirmation (the confirmation mail
//! goes to the sender) and counts against the same per-address limits. The
//! plain address goes to the first offered department, in the customers'
//! order, that takes mail; a `+slug` address only to that department.
//! Automatic mail never opens one (that would answer a machine).

use shared::{
    i18n::Lang,
    limits::SUBJECT_MAX,
    validate::{Description, Subject},
};

use super::{
    Outcome, address::ReplyAddress, inbound, new_text, outcome, parse::Incoming, post_email,
    refused, within_limits,
};
use crate::{
    config::Config,
    conversation::{self, Opening},
    db::{Db, department_mail},
    error::Result,
    mail::address::Recipient,
    secrets,
};

pub async fn open(
    db: &Db,
    config: &Config,
    mail: Incoming,
    desk: &ReplyAddress,
) -> Result<Outcome> {
    if let Some(why) = mail.automatic {
        return Ok(Outcome::Ignored(why));
    }
    let Some(slug) = mail.recipients.iter().find_map(|to| desk.desk(to)) else {
        return Ok(refused(
            67,
            "no ticket matches this message (reply to a ticket's email)",
        ));
    };
    let department = db
        .read(move |conn| department_mail::for_new_ticket(conn, slug.as_deref()))
        .await?;
    let Some(department) = department else {
        return Ok(refused(
            67,
            "no ticket matches this message, and no department opens tickets by email at this address",
        ));
    };
    let Ok(email) = Recipient::parse(mail.from.as_deref().unwrap_or_default()) else {
        return Ok(refused(65, "the sender's address is not one we can answer"));
    };
    let subject: String = mail.subject.trim().chars().take(SUBJECT_MAX).collect();
    let Ok(subject) = Subject::parse(&subject) else {
        return Ok(refused(
            65,
            "a new ticket needs a subject of at least 3 characters",
        ));
    };
    let Ok(description) = Description::parse(&new_text(&mail)) else {
        return Ok(refused(
            65,
            "a new ticket needs at least 10 characters of text above any quote",
        ));
    };
    if !within_limits(db, mail.from.as_deref(), None).await? {
        return Ok(Outcome::Retry("too many emails from this sender".into()));
    }
    let lang = Lang::negotiate(mail.languages.iter().map(String::as_str)).unwrap_or(Lang::DEFAULT);
    // Nobody holds this key: a ticket opened by email has no page to send
    // the confirmation again from (the sender can write again).
    let resend_key_hash = secrets::hash(&secrets::token()?);
    let (limits, public_url) = (config.attachments, config.public_url.clone());
    let posted = post_email(db, config, mail, move |conn, message_id, uploads, now| {
        if let Some(id) = message_id
            && let Some(reference) = inbound::opened_from(conn, email.as_str(), id)?
        {
            tracing::info!(reference, "a redelivered email opens no second ticket");
            return Ok(None);
        }
        let opening = Opening {
            department: &department,
            email: &email,
            subject: subject.as_str(),
            description: description.as_str(),
            lang,
            uploads,
            answers: &[],
            resend_key_hash: &resend_key_hash,
            customer_id: None,
        };
        let (ticket, message) = conversation::open(conn, &opening, &limits, &public_url, now)?;
        Ok(Some((message, ticket.reference)))
    })
    .await;
    Ok(outcome(posted))
}
