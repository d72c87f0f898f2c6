//! Email addresses: what a customer may type, what mail servers take, and
//! what is refused as a look-alike, decided the same way in the browser and
//! on the server.

use super::Problem;
use crate::{
    digits::to_ascii_digits,
    limits::{EMAIL_MAX, EMAIL_TAG_MAX},
};

/// An email address we are willing to send to. Deliberately stricter than
/// RFC 5322 (no quoted local parts, no comments, no IP literals) because the
/// address ends up in a mail header: nothing that could break out of one is
/// accepted. It must also be deliverable: the part before the `@` is ASCII
/// (most mail servers lack SMTPUTF8), and an internationalised domain uses
/// one alphabet per label, so a look-alike of someone else's domain is
/// refused. The server then writes the domain in its ASCII (punycode) form
/// (`mail::address` in the api crate, which has the IDNA tables this crate
/// keeps out of the wasm bundle).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, Problem> {
        // What a Persian keyboard or a CJK input method types for an
        // address: Persian digits, fullwidth letters and at sign.
        let value = fold_keyboard_forms(input.trim());
        let value = value.trim();
        if value.is_empty() {
            return Err(Problem::Required);
        }
        if value.len() > EMAIL_MAX {
            return Err(Problem::TooLong { max: EMAIL_MAX });
        }
        let (local, domain) = value.rsplit_once('@').ok_or(Problem::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() > 1
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !(local_ok && domain_ok) {
            return Err(Problem::Invalid);
        }
        if !local.is_ascii() {
            return Err(Problem::NonAsciiMailbox);
        }
        if let Some((_, tag)) = local.split_once('+')
            && tag.len() > EMAIL_TAG_MAX
        {
            // A tag is for sorting one's own mail ("+shop"); a long one is
            // someone writing a message into a stranger's To: line.
            return Err(Problem::TagTooLong { max: EMAIL_TAG_MAX });
        }
        let tld_is_cyrillic = labels
            .last()
            .is_some_and(|tld| tld.chars().any(|c| script(c) == Script::Cyrillic));
        if labels
            .iter()
            .any(|label| !single_script(label) || (!tld_is_cyrillic && latin_look_alike(label)))
        {
            return Err(Problem::MixedScripts);
        }
        // Domains are case-insensitive; lower-casing them makes
        // rate limits and "find my ticket" match what people type.
        Ok(Self(format!("{local}@{domain}")))
    }

    /// The part before the last `@`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }

    /// The part after the last `@`, lower-case (Unicode if it was typed so).
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Persian and Arabic digits become ASCII digits; fullwidth ASCII forms
/// (U+FF01–U+FF5E, what CJK input methods type) become ASCII, and the
/// ideographic full stops become `.`, as Unicode's NFKC and IDNA map them.
/// Only these: a full NFKC table would cost the browser bundle far more than
/// the rare other compatibility characters are worth; those are refused.
fn fold_keyboard_forms(input: &str) -> String {
    to_ascii_digits(input)
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3002}' | '\u{FF61}' => '.',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The writing systems that matter for telling look-alike domains apart;
/// the ranges are the Unicode blocks, which is exact enough for letters that
/// `Email::parse` lets through and costs no tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    /// Digits and `-`: fine with any script.
    Common,
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Han,
    Hiragana,
    Katakana,
    Hangul,
    /// Any other letter: mixing it with a known script is refused too.
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x30..=0x39 | 0x2D => Script::Common,
        0x41..=0x5A
        | 0x61..=0x7A
        | 0xC0..=0x24F
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x530..=0x58F => Script::Armenian,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x3040..=0x309F => Script::Hiragana,
        0x30A0..=0x30FF | 0x31F0..=0x31FF => Script::Katakana,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x2E80..=0x2FDF
        | 0x3005
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF => Script::Han,
        _ => Script::Other,
    }
}

/// One writing system per label, as Unicode's "highly restrictive" profile
/// (UTS #39) has it: Japanese (Han with kana) and Korean (Han with Hangul)
/// count as one each, and Latin may go with them.
fn single_script(label: &str) -> bool {
    let mut seen: Vec<Script> = Vec::new();
    for s in label.chars().map(script) {
        if s != Script::Common && !seen.contains(&s) {
            seen.push(s);
        }
    }
    let japanese = |s: &Script| {
        matches!(
            s,
            Script::Han | Script::Hiragana | Script::Katakana | Script::Latin
        )
    };
    let korean = |s: &Script| matches!(s, Script::Han | Script::Hangul | Script::Latin);
    seen.len() <= 1 || seen.iter().all(japanese) || seen.iter().all(korean)
}

/// A Cyrillic label spelled only with letters that look Latin (`аррӏе`):
/// under a Latin top-level domain it can only be a look-alike.
fn latin_look_alike(label: &str) -> bool {
    const LOOK_LATIN: &str = "асԁеһіјӏорԛѕԝхуүҽ";
    label.chars().any(|c| script(c) == Script::Cyrillic)
        && label
            .chars()
            .all(|c| script(c) == Script::Common || LOOK_LATIN.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for (input, expected) in [
            ("user@example.com", Ok("user@example.com")),
            (
                "  First.Last+tag@Example.COM ",
                Ok("First.Last+tag@example.com"),
            ),
            ("ali@مثال.ایران", Ok("ali@مثال.ایران")),
            ("bob@Bücher.Example", Ok("bob@bücher.example")),
            ("taro@日本語.jp", Ok("taro@日本語.jp")),
            ("ivan@пример.рф", Ok("ivan@пример.рф")),
            ("bob+shop@example.com", Ok("bob+shop@example.com")),
            ("", Err(Problem::Required)),
            ("user", Err(Problem::Invalid)),
            ("user@localhost", Err(Problem::Invalid)),
            ("a@b@c.com", Err(Problem::Invalid)),
            ("user@exa mple.com", Err(Problem::Invalid)),
            ("\"quoted\"@example.com", Err(Problem::Invalid)),
            (
                "x@example.com\r\nBcc: victim@example.org",
                Err(Problem::Invalid),
            ),
            ("<script>@example.com", Err(Problem::Invalid)),
            ("a..b@example.com", Err(Problem::Invalid)),
            ("user@-example.com", Err(Problem::Invalid)),
        ] {
            assert_eq!(
                Email::parse(input).map(|e| e.0),
                expected.map(str::to_owned),
                "{input:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Problem::TooLong { max: 254 }));
    }

    #[test]
    fn emails_are_folded_to_what_mail_servers_take() {
        for (input, expected) in [
            // Persian and Arabic digits, as a Persian keyboard types them.
            ("ali۱۲۳@gmail.com", "ali123@gmail.com"),
            ("ali٤٥@example.com", "ali45@example.com"),
            // Fullwidth forms, as a CJK input method types them.
            ("ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com"),
            ("bob@example。com", "bob@example.com"),
        ] {
            assert_eq!(
                Email::parse(input).map(|e| e.0),
                Ok(expected.to_owned()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn undeliverable_and_look_alike_emails_are_refused_with_their_reason() {
        for (input, problem) in [
            ("علی@example.com", Problem::NonAsciiMailbox),
            ("josé+news@example.com", Problem::NonAsciiMailbox),
            // A Cyrillic "а" among Latin letters.
            ("bob@exаmple.com", Problem::MixedScripts),
            // A Greek omicron.
            ("bob@gοogle.com", Problem::MixedScripts),
            // All Cyrillic, but every letter looks Latin.
            ("bob@аррӏе.com", Problem::MixedScripts),
            ("bob@مثالexample.com", Problem::MixedScripts),
            (
                "victim+Claim.USD.1000.refund.now.call.us@example.com",
                Problem::TagTooLong { max: 32 },
            ),
            // Compatibility forms other than fullwidth are not folded.
            ("bob@\u{FB01}le.com", Problem::MixedScripts),
            ("\u{FB01}@example.com", Problem::NonAsciiMailbox),
        ] {
            assert_eq!(Email::parse(input), Err(problem), "{input:?}");
        }
        let tag = "t".repeat(32);
        assert!(Email::parse(&format!("bob+{tag}@example.com")).is_ok());
        // A Cyrillic label under a Cyrillic top-level domain is just Russian.
        assert!(Email::parse("bob@сео.рф").is_ok());
    }
}
