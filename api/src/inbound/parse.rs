//! One raw email read into what ingest needs, with `mail-parser` (MIME,
//! encoded words, charsets — windows-1256, KOI8-R, ISO-8859-x, UTF-16 —
//! and HTML turned into text when there is no plain part). The text is plain
//! text from here on: no HTML of a stranger's reaches storage or a page.

use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use super::html::to_text;

/// An email as ingest sees it.
#[derive(Debug)]
pub struct Incoming {
    /// The `From` address.
    pub from: Option<String>,
    pub subject: String,
    pub message_id: Option<String>,
    /// Message-IDs it answers: `In-Reply-To`, then `References`.
    pub answers: Vec<String>,
    /// Where it was addressed: `To`, `Cc`, `Delivered-To`, `X-Original-To`.
    pub recipients: Vec<String>,
    /// Language tags of `Content-Language`, then `Accept-Language`, in
    /// order: the language a ticket it opens speaks.
    pub languages: Vec<String>,
    /// Why no person wrote it (an auto-reply, a bounce, a list), if so.
    pub automatic: Option<&'static str>,
    /// Every text part, quotes and signature included.
    pub full_text: String,
    /// The same with HTML quotes folded to one `>` line (`html`): what the
    /// new text is read from.
    pub reply_text: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Subjects out-of-office replies start with, in the languages we speak
/// and the clients' own words.
const AUTO_SUBJECTS: &[&str] = &[
    "auto:",
    "automatic reply",
    "auto-reply",
    "autoreply",
    "out of office",
    "автоответ",
    "автоматический ответ",
    "پاسخ خودکار",
];

/// `None` when the bytes are not a message at all.
pub fn parse(raw: &[u8]) -> Option<Incoming> {
    let message = MessageParser::default().parse(raw)?;
    let texts: Vec<(String, String)> = message
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some((text.to_string(), text.to_string())),
            PartType::Html(html) => Some((to_text(html, false), to_text(html, true))),
            _ => None,
        })
        .map(|(full, reply)| (full.replace("\r\n", "\n"), reply.replace("\r\n", "\n")))
        .collect();
    let (full, reply): (Vec<String>, Vec<String>) = texts.into_iter().unzip();
    let mut recipients: Vec<String> = [message.to(), message.cc()]
        .into_iter()
        .flatten()
        .flat_map(|list| list.iter().filter_map(|a| a.address()).map(str::to_owned))
        .collect();
    for header in ["Delivered-To", "X-Original-To"] {
        if let Some(value) = message.header_raw(header) {
            recipients.push(value.trim().trim_matches(['<', '>']).to_owned());
        }
    }
    let mut answers = ids(message.in_reply_to());
    answers.extend(ids(message.references()));
    Some(Incoming {
        from: message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_owned),
        subject: message.subject().unwrap_or_default().to_owned(),
        message_id: message.message_id().map(str::to_owned),
        answers,
        recipients,
        languages: ["Content-Language", "Accept-Language"]
            .into_iter()
            .filter_map(|header| message.header_raw(header))
            .flat_map(|value| value.split(','))
            .map(|tag| tag.trim().to_owned())
            .filter(|tag| !tag.is_empty())
            .collect(),
        automatic: automatic(&message),
        full_text: full.join("\n"),
        reply_text: reply.join("\n"),
        attachments: attachments(&message),
    })
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// RFC 3834's `Auto-Submitted` (anything but `no`), `Precedence` of a list
/// or bulk mail, a delivery report (multipart/report, or the null sender of
/// a bounce), the auto-responders' own headers, an out-of-office subject.
/// `X-Auto-Response-Suppress` is no sign: Exchange puts it on normal mail.
fn automatic(message: &Message<'_>) -> Option<&'static str> {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    if header("Auto-Submitted").is_some_and(|v| !v.starts_with("no")) {
        return Some("auto_submitted");
    }
    if header("Precedence").is_some_and(|v| ["bulk", "list", "junk"].contains(&v.as_str())) {
        return Some("bulk");
    }
    if message.content_type().is_some_and(|t| {
        t.ctype().eq_ignore_ascii_case("multipart")
            && t.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    }) || header("Return-Path").is_some_and(|v| v == "<>")
    {
        return Some("delivery_report");
    }
    let subject = message.subject().unwrap_or_default().trim().to_lowercase();
    if header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || AUTO_SUBJECTS.iter().any(|s| subject.starts_with(s))
    {
        return Some("auto_reply");
    }
    None
}

/// Attached files and inline images (kept as attachments: the text cannot
/// show them). A part with no name is named by its type.
fn attachments(message: &Message<'_>) -> Vec<Attachment> {
    message
        .attachments()
        .filter(|part| !part.is_message() && !part.contents().is_empty())
        .enumerate()
        .map(|(n, part)| Attachment {
            name: part
                .attachment_name()
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let subtype = part
                        .content_type()
                        .and_then(|t| t.subtype())
                        .unwrap_or("bin");
                    format!("image-{}.{subtype}", n + 1)
                }),
            bytes: part.contents().to_vec(),
        })
        .collect()
}
