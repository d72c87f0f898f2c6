//! The headers that make a ticket's mail a thread the customer can answer:
//! `Message-ID` (ours, kept in the outbox so a reply finds the ticket),
//! `In-Reply-To`/`References` (the ticket's first and latest mail before
//! this one), `Reply-To` (the ticket's signed reply address; in mail to a
//! staff member, the one signed for them too) and the reference in the
//! subject.

use lettre::message::{Mailbox, MessageBuilder};

use crate::{db::outbox::Thread, inbound::address::ReplyAddress, mail::address::mailbox_of};

/// The headers of a ticket's mail to `to`.
pub fn headers(
    builder: MessageBuilder,
    thread: &Thread,
    replies: &ReplyAddress,
    subject: &str,
    to: &str,
) -> Result<MessageBuilder, String> {
    let id = |local: &str| format!("<{local}@{}>", replies.domain());
    let reply_to = if mailbox_of(to) == mailbox_of(&thread.customer) {
        replies.for_ticket(&thread.reference)
    } else {
        replies.for_staff(&thread.reference, to)
    };
    let reply_to: Mailbox = reply_to
        .parse()
        .map_err(|e| format!("reply address: {e}"))?;
    let mut builder = builder
        .message_id(Some(id(&thread.message_id)))
        .reply_to(reply_to)
        .subject(tagged(subject, &thread.reference));
    if let Some(parent) = &thread.parent {
        builder = builder.in_reply_to(id(parent));
        let root = thread.root.as_deref().filter(|root| root != parent);
        let references: Vec<String> = root.into_iter().chain([parent.as_str()]).map(id).collect();
        builder = builder.references(references.join(" "));
    }
    Ok(builder)
}

/// The subject with `[#12345-67890]` at its end, in ASCII digits whatever
/// the language: mail clients' search and threading, and the desk's own
/// subject matching, find ASCII digits; a Persian subject already carries
/// the reference in Persian digits for the reader.
fn tagged(subject: &str, reference: &str) -> String {
    let tag = format!("[#{reference}]");
    if subject.contains(&tag) {
        subject.to_owned()
    } else {
        format!("{subject} {tag}")
    }
}

#[cfg(test)]
mod tests {
    use super::tagged;

    #[test]
    fn the_subject_carries_the_reference_once_in_ascii() {
        assert_eq!(
            tagged("پاسخ تیکت ۱۲۳۴۵-۶۷۸۹۰", "12345-67890"),
            "پاسخ تیکت ۱۲۳۴۵-۶۷۸۹۰ [#12345-67890]"
        );
        assert_eq!(
            tagged("x [#12345-67890]", "12345-67890"),
            "x [#12345-67890]"
        );
    }
}
