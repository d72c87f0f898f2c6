//! The new text of a reply: the quoted history and the signature cut off.
//!
//! Mail clients mark a quote in two ways: an attribution line ("On … wrote:"
//! in Gmail, Apple Mail and Thunderbird, "در تاریخ … نوشت:" and "… пишет:" /
//! "… написал(а):" / Gmail's Russian "…, Имя <адрес>:" in Persian and Russian)
//! followed by `>` lines, or Outlook's header block ("-----Original
//! Message-----", or "From: … Sent: …" under a rule) followed by the old mail
//! unmarked. After an attribution that `>` lines follow, the writer may
//! answer below or between the quotes (bottom-posting): only the attribution
//! and the `>` lines go. Anything else is a top-post: everything from the
//! marker on goes. A forwarded mail keeps what it forwards — that is the
//! point of forwarding it to a ticket.

/// Words that end an attribution line, by language and client.
const WROTE: &[&str] = &[
    "wrote:",
    "نوشت:",
    "пишет:",
    "написал(а):",
    "написал:",
    "написала:",
];
/// Outlook's separators and the header names of its quoted block.
const ORIGINAL: &[&str] = &[
    "-----original message-----",
    "-----исходное сообщение-----",
    "-----پیام اصلی-----",
];
const FROM: &[&str] = &["from:", "от:", "از:"];
const SENT: &[&str] = &[
    "sent:",
    "date:",
    "отправлено:",
    "дата:",
    "ارسال شده:",
    "تاریخ:",
];
/// How clients start a forwarded mail (Gmail, Apple Mail, Thunderbird,
/// Outlook in Russian and Persian Gmail): from there the text is kept whole.
const FORWARDED: &[&str] = &[
    "---------- forwarded message",
    "-------- forwarded message",
    "begin forwarded message:",
    "---------- пересылаемое сообщение",
    "-------- пересылаемое сообщение",
    "---------- پیام بازارسال‌شده",
];
/// Lines phones and webmail add under a message, cut when they end it.
const SENT_FROM: &[&str] = &[
    "sent from my ",
    "get outlook for ",
    "отправлено с ",
    "отправлено из ",
    "ارسال شده از ",
];

/// The new text of `full` (the whole text part of a reply).
pub fn new_text(full: &str) -> String {
    let lines: Vec<&str> = full.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = clean(lines[i]);
        if line == "--" {
            break; // "-- ": the signature separator.
        }
        if FORWARDED.iter().any(|f| line.to_lowercase().starts_with(f)) {
            kept.extend(lines[i..].iter().map(|l| l.trim_end()));
            break;
        }
        if let Some(span) = attribution(&lines, i) {
            let next = lines[i + span..]
                .iter()
                .map(|l| clean(l))
                .find(|l| !l.is_empty());
            if next.is_some_and(|l| l.starts_with('>')) {
                i += span;
                continue;
            }
            break;
        }
        if outlook_block(&lines, i) {
            break;
        }
        if !line.starts_with('>') {
            kept.push(lines[i].trim_end());
        }
        i += 1;
    }
    while kept.last().is_some_and(|l| clean(l).is_empty()) {
        kept.pop();
    }
    if kept.last().is_some_and(|l| {
        SENT_FROM
            .iter()
            .any(|p| clean(l).to_lowercase().starts_with(p))
    }) {
        kept.pop();
    }
    tidy(&kept)
}

/// Without direction marks and surrounding space (Persian mail clients wrap
/// lines in RLM/LRM marks).
fn clean(line: &str) -> &str {
    line.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}')
    })
}

/// How many lines an attribution at `i` spans (Gmail wraps a long one onto
/// a second line), if there is one.
fn attribution(lines: &[&str], i: usize) -> Option<usize> {
    // Every client's attribution has a date or a time in it: a sentence of
    // the customer's own that ends in "wrote:" has not, and stays.
    let says = |text: &str| {
        let text = text.to_lowercase();
        text.chars().any(char::is_numeric)
            && (WROTE.iter().any(|w| text.ends_with(w))
                || (text.ends_with(">:") && text.contains('@')))
    };
    let one = clean(lines[i]);
    if one.is_empty() || one.starts_with('>') {
        return None;
    }
    if says(one) {
        return Some(1);
    }
    let two = lines
        .get(i + 1)
        .map(|next| format!("{one} {}", clean(next)))?;
    (says(&two) && !clean(lines[i + 1]).starts_with('>')).then_some(2)
}

/// Outlook's quoted mail: its separator, or a "From:" line with "Sent:"
/// (or "Date:") on it or within the next lines.
fn outlook_block(lines: &[&str], i: usize) -> bool {
    let line = clean(lines[i]).to_lowercase();
    if ORIGINAL.iter().any(|o| line.starts_with(o)) {
        return true;
    }
    if line.len() >= 10 && line.chars().all(|c| c == '_') {
        return lines.get(i + 1).is_some_and(|next| {
            FROM.iter()
                .any(|f| clean(next).to_lowercase().starts_with(f))
        });
    }
    FROM.iter().any(|f| line.starts_with(f))
        && (SENT.iter().any(|s| line.contains(&format!(" {s}")))
            || lines[i + 1..].iter().take(4).any(|next| {
                SENT.iter()
                    .any(|s| clean(next).to_lowercase().starts_with(s))
            }))
}

/// Blank lines at both ends dropped and runs of them made one.
fn tidy(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        if clean(line).is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::new_text;

    #[test]
    fn top_posted_replies_lose_the_quote() {
        let gmail = "Thanks, it works now.\n\nOn Wed, Nov 25, 2026 at 10:00 AM Pasokh <\nsupport+1.ab@example.com> wrote:\n\n> Hello\n> -- \n> footer\n";
        assert_eq!(new_text(gmail), "Thanks, it works now.");
        let outlook = "Done.\r\n\r\n________________________________\r\nFrom: Pasokh <s@example.com>\r\nSent: Wednesday\r\nTo: me\r\n\r\nHello\r\n";
        assert_eq!(new_text(outlook), "Done.");
        let persian = "\u{200f}ممنون، درست شد.\n\n\u{200f}در تاریخ چهارشنبه ۵ آذر ۱۴۰۵، Pasokh <s@example.com> نوشت:\n> سلام\n";
        assert_eq!(new_text(persian), "\u{200f}ممنون، درست شد.");
        let russian = "Спасибо!\n\n25.11.2026 10:00, Pasokh пишет:\n> Здравствуйте\n";
        assert_eq!(new_text(russian), "Спасибо!");
    }

    #[test]
    fn bottom_posts_keep_what_is_between_quotes_and_lose_signatures() {
        let text = "On 25 Nov 2026, at 10:00, Pasokh wrote:\n\n> Which card?\n\nThe Visa one.\n\n> And the date?\n\nYesterday.\n\n-- \nBob\n";
        assert_eq!(new_text(text), "The Visa one.\n\nYesterday.");
        assert_eq!(new_text("Ok\n\nSent from my iPhone\n"), "Ok");
        let own = "The bank wrote:\nYour transfer is on hold.\n";
        assert_eq!(new_text(own), own.trim_end());
        let forwarded = "See below.\n\n---------- Forwarded message ---------\nFrom: Bank <b@bank.example>\nDate: Tue\n\nPaid.\n";
        assert_eq!(new_text(forwarded), forwarded.trim_end());
    }
}
