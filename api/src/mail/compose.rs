//! Email templates, in the ticket's language, as plain text and HTML.

use shared::{
    html::escape,
    i18n::{Lang, MailKey},
};

use crate::db::{links::Purpose, outbox::Mail, tickets::Ticket};

/// The email carrying a confirmation or access link.
pub fn link_mail(ticket: &Ticket, purpose: Purpose, link: &str) -> Mail {
    let (subject, body) = match purpose {
        Purpose::Confirm => (MailKey::EmailConfirmSubject, MailKey::EmailConfirmBody),
        Purpose::Access => (MailKey::EmailAccessSubject, MailKey::EmailAccessBody),
    };
    let lang = ticket.lang;
    // The reference in the reader's digits (Persian digits in Persian mail).
    let reference = lang.digits(&ticket.reference);
    let reference = reference.as_str();
    let args = [("reference", reference), ("link", link)];
    let text = format!(
        "{}\n\n-- \n{}\n",
        body.fill(lang, &args),
        MailKey::EmailFooter.text(lang)
    );
    Mail {
        ticket_id: Some(ticket.id),
        to: ticket.email.clone(),
        subject: subject.fill(lang, &args),
        html: html(
            lang,
            &body.fill(lang, &[("reference", reference), ("link", "\u{0}")]),
            link,
            MailKey::EmailLink.text(lang),
            MailKey::EmailFooter.text(lang),
        ),
        text,
        lang,
    }
}

/// A minimal HTML part: the same text (escaped; blank lines make paragraphs)
/// with the link as a button where the text has a `\0` marker, `lang` and
/// `dir` set so right-to-left languages render the right way round.
pub fn html(lang: Lang, body_with_marker: &str, link: &str, label: &str, footer: &str) -> String {
    let link_html = button(link, label);
    let paragraphs: String = escape(body_with_marker)
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
        .collect();
    format!(
        "<!doctype html><html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:system-ui,sans-serif;line-height:1.5\">{body}<p style=\"color:#555;font-size:12px\">{footer}</p></body></html>",
        code = lang.code(),
        dir = lang.dir().as_str(),
        body = paragraphs.replace('\u{0}', &link_html),
        footer = escape(footer),
    )
}

/// A link as a button, its address under it (for mail clients that hide
/// where a button leads). A mail with more links than `html`'s one places
/// these at markers of its own.
pub fn button(link: &str, label: &str) -> String {
    format!(
        "<a href=\"{href}\" style=\"display:inline-block;padding:10px 18px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:6px\">{label}</a><br><span style=\"font-size:12px;color:#555\" dir=\"ltr\">{href}</span>",
        href = escape(link),
        label = escape(label),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::api::Status;

    fn ticket() -> Ticket {
        Ticket {
            id: 1,
            reference: "12345-67890".into(),
            department_id: 1,
            status: Status::AwaitingConfirmation,
            email: "a@example.com".into(),
            subject: "<b>Buy cheap pills</b> at spam.example".into(),
            lang: Lang::En,
            created_at: 0,
            closed_at: None,
            customer_id: None,
        }
    }

    #[test]
    fn confirmation_holds_reference_and_link_but_no_submitted_text() {
        let mail = link_mail(&ticket(), Purpose::Confirm, "http://desk/link#TOKEN");
        for part in [&mail.subject, &mail.text, &mail.html] {
            assert!(!part.contains("pills"), "submitted text leaked: {part}");
        }
        assert!(mail.subject.contains("12345-67890"));
        assert!(mail.text.contains("http://desk/link#TOKEN"));
        assert!(mail.html.contains("href=\"http://desk/link#TOKEN\""));
        assert!(mail.html.contains("lang=\"en\" dir=\"ltr\""));
    }

    #[test]
    fn persian_mail_is_right_to_left_with_persian_digits() {
        let mut persian = ticket();
        persian.lang = Lang::Fa;
        let mail = link_mail(&persian, Purpose::Confirm, "http://desk/link#TOKEN");
        assert!(mail.subject.contains("۱۲۳۴۵-۶۷۸۹۰"), "{}", mail.subject);
        assert!(mail.html.contains("lang=\"fa\" dir=\"rtl\""));
        assert!(
            mail.text.contains("http://desk/link#TOKEN"),
            "links keep ASCII digits"
        );
    }
}
