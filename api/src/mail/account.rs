//! Mail about customer accounts: the link that verifies a new account's
//! address, "this address already has an account" (after a sign-up, or when
//! another account asks to move to it), the password-reset link,
//! the link that confirms a new address, and the notice to the old address
//! that a change was asked for. Queued in the caller's transaction.
//!
//! None of them carries anything the customer typed (not their name, not
//! the new address): only our own words and a link.

use rusqlite::Connection;
use shared::i18n::{Lang, MailKey};

use super::compose::html;
use crate::{
    db::outbox::{self, Mail},
    error::Result,
};

/// Which account mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountMail {
    /// The link that verifies a new account's address.
    Verify,
    /// Someone signed up with an address that has a verified account.
    Exists,
    /// Someone asked to move another account to an address that has one.
    Taken,
    /// The password-reset link.
    Reset,
    /// The link that confirms an account's new address.
    NewAddress,
    /// To the old address: a change to another one was asked for.
    Changing,
}

impl AccountMail {
    fn keys(self) -> (MailKey, MailKey, MailKey) {
        match self {
            AccountMail::Verify => (
                MailKey::EmailAccountVerifySubject,
                MailKey::EmailAccountVerifyBody,
                MailKey::EmailAccountVerifyLink,
            ),
            AccountMail::Exists => (
                MailKey::EmailAccountExistsSubject,
                MailKey::EmailAccountExistsBody,
                MailKey::EmailAccountExistsLink,
            ),
            AccountMail::Taken => (
                MailKey::EmailAccountTakenSubject,
                MailKey::EmailAccountTakenBody,
                MailKey::EmailAccountTakenLink,
            ),
            AccountMail::Reset => (
                MailKey::EmailAccountResetSubject,
                MailKey::EmailAccountResetBody,
                MailKey::EmailAccountResetLink,
            ),
            AccountMail::NewAddress => (
                MailKey::EmailAccountChangeSubject,
                MailKey::EmailAccountChangeBody,
                MailKey::EmailAccountChangeLink,
            ),
            AccountMail::Changing => (
                MailKey::EmailAccountChangingSubject,
                MailKey::EmailAccountChangingBody,
                MailKey::EmailAccountChangingLink,
            ),
        }
    }
}

/// The message itself, text and HTML, in `lang`.
pub fn compose(kind: AccountMail, to: &str, link: &str, lang: Lang) -> Mail {
    let (subject, body, label) = kind.keys();
    let footer = MailKey::EmailFooter.text(lang);
    Mail {
        ticket_id: None,
        to: to.to_owned(),
        subject: subject.text(lang).to_owned(),
        text: format!("{}\n\n-- \n{footer}\n", body.fill(lang, &[("link", link)])),
        html: html(
            lang,
            &body.fill(lang, &[("link", "\u{0}")]),
            link,
            label.text(lang),
            footer,
        ),
        lang,
    }
}

/// Queues `kind` to `to`, in the caller's transaction.
pub fn queue(
    conn: &Connection,
    kind: AccountMail,
    to: &str,
    link: &str,
    lang: Lang,
    now: i64,
) -> Result<()> {
    outbox::enqueue(conn, &compose(kind, to, link, lang), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mail_has_its_link_in_both_parts_and_the_right_direction() {
        for kind in [
            AccountMail::Verify,
            AccountMail::Exists,
            AccountMail::Taken,
            AccountMail::Reset,
            AccountMail::NewAddress,
            AccountMail::Changing,
        ] {
            for lang in [Lang::En, Lang::Fa, Lang::Ru] {
                let mail = compose(kind, "a@example.com", "http://desk/account/x#TOKEN", lang);
                assert!(
                    mail.text.contains("http://desk/account/x#TOKEN"),
                    "{kind:?}"
                );
                assert!(mail.html.contains("href=\"http://desk/account/x#TOKEN\""));
                assert!(!mail.subject.is_empty());
                assert_eq!(mail.ticket_id, None);
            }
        }
        let persian = compose(AccountMail::Reset, "a@example.com", "http://d/#T", Lang::Fa);
        assert!(persian.html.contains("dir=\"rtl\""));
    }
}
