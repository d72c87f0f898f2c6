//! Limits shared by the form and the server. The server may lower or raise the
//! attachment limits by configuration and tells the browser through
//! `GET /api/config`; the text limits are fixed.

/// Subject length in characters (after trimming).
pub const SUBJECT_MIN: usize = 3;
pub const SUBJECT_MAX: usize = 150;
/// Description and reply length in characters (after trimming).
pub const DESCRIPTION_MIN: usize = 10;
pub const DESCRIPTION_MAX: usize = 20_000;
/// A reply may be short ("thanks!") but not empty.
pub const REPLY_MIN: usize = 1;
/// Messages one ticket may hold (customer and staff together). A real
/// conversation rarely passes 50; the cap bounds what one ticket page costs
/// to load and stops a script from filling a ticket without end.
pub const MESSAGES_PER_TICKET: usize = 200;
/// RFC 5321 caps a forward path at 256 octets including the angle brackets.
pub const EMAIL_MAX: usize = 254;
/// The `+tag` of `name+tag@example.com`, in characters: real ones sort mail
/// ("+shop", "+github"); longer ones carry a message into a stranger's inbox.
pub const EMAIL_TAG_MAX: usize = 32;
/// The largest email `pasokh mail ingest` takes: the attachment limits'
/// 25 MB grow by a third in base64, plus the text and headers. A bigger one
/// is refused (the MTA bounces it with the reason) rather than cut.
pub const INBOUND_EMAIL_MAX_BYTES: usize = 36 * 1024 * 1024;
/// A customer's comment on a rating: a few sentences, not a second ticket.
pub const RATING_COMMENT_MAX: usize = 1_000;
/// Auto-close: days an answered ticket waits for the customer (0: never).
pub const AUTO_CLOSE_DAYS_DEFAULT: u16 = 7;
pub const AUTO_CLOSE_DAYS_MAX: u16 = 365;
/// Attachment file names longer than this are cut (keeping the extension).
pub const FILE_NAME_MAX: usize = 120;

/// Department forms: fields per department, characters of a label, of a
/// hint and of an answer, choices of a select field and characters of a
/// choice's key. Small enough that step 3 stays one screen of questions.
pub const FORM_FIELDS_MAX: usize = 10;
pub const FORM_LABEL_MAX: usize = 80;
pub const FORM_HINT_MAX: usize = 200;
pub const FORM_VALUE_MAX: usize = 200;
pub const FORM_OPTIONS_MAX: usize = 20;
pub const FORM_KEY_MAX: usize = 40;

/// Attachment limits: per file, per message and in total per message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachmentLimits {
    pub max_file_bytes: u64,
    pub max_files: usize,
    pub max_total_bytes: u64,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * 1024 * 1024,
            max_files: 5,
            max_total_bytes: 25 * 1024 * 1024,
        }
    }
}

/// File name extensions we accept; the server also checks that the content
/// matches the extension (see `api/src/files.rs`).
pub const ALLOWED_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "pdf", "txt", "log", "csv", "zip",
];

/// Whether a file name ends in an allowed extension (case-insensitive).
pub fn extension_allowed(file_name: &str) -> bool {
    file_extension(file_name).is_some_and(|ext| {
        ALLOWED_EXTENSIONS
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(ext))
    })
}

/// The part after the last dot, if there is one and it is not the whole name.
pub fn file_extension(file_name: &str) -> Option<&str> {
    match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => Some(ext),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_checked_case_insensitively_and_need_a_stem() {
        for (name, ok) in [
            ("shot.PNG", true),
            ("scan.pdf", true),
            ("notes.txt", true),
            ("page.html", false),
            ("logo.svg", false),
            (".png", false),
            ("png", false),
            ("archive.tar.gz", false),
            ("\"><svg onload=alert(1)>.jpg", true),
        ] {
            assert_eq!(extension_allowed(name), ok, "{name}");
        }
    }
}
