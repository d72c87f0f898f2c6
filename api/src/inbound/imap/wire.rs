//! IMAP's framing (RFC 9051 §2.2, §4.3): a response is a line, unless it
//! ends in a literal `{n}`, whose n bytes follow and after which the line goes
//! on; strings we send are quoted. Only what the poller reads is parsed here.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use crate::error::{Error, Result};

/// The longest line (not counting literals) a server may send us.
const MAX_LINE: u64 = 64 * 1024;

/// One server response: its text with each literal's bytes taken out into
/// `literals` (the `{n}` marks stay in the text).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub text: String,
    pub literals: Vec<Vec<u8>>,
}

impl Response {
    /// `* OK [UIDVALIDITY 42] …` → 42, for `code` = "UIDVALIDITY".
    pub fn code(&self, code: &str) -> Option<u64> {
        let rest = self.text.split_once(&format!("[{code} "))?.1;
        rest.split(']').next()?.trim().parse().ok()
    }

    /// The number after `item` in a FETCH response (`UID 7`, `RFC822.SIZE 90`).
    pub fn item(&self, item: &str) -> Option<u64> {
        let mut words = self.text.split([' ', '(', ')']);
        words.find(|w| w.eq_ignore_ascii_case(item))?;
        words.next()?.parse().ok()
    }

    /// Whether this is an untagged `* <n> <word>` response, such as EXISTS.
    pub fn is_numbered(&self, word: &str) -> bool {
        let mut words = self.text.split(' ');
        words.next() == Some("*")
            && words.next().is_some_and(|n| n.parse::<u64>().is_ok())
            && words.next().is_some_and(|w| w.eq_ignore_ascii_case(word))
    }
}

/// Reads one response; literals may be up to `max_literal` bytes.
pub async fn read(
    reader: &mut (impl AsyncBufRead + Unpin),
    max_literal: usize,
) -> Result<Response> {
    let mut response = Response::default();
    loop {
        let mut line = Vec::new();
        (&mut *reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if line.last() != Some(&b'\n') {
            return Err(Error::internal(if line.is_empty() {
                "the IMAP server closed the connection"
            } else {
                "the IMAP server sent an overlong line"
            }));
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        response.text.push_str(line);
        let Some(size) = literal_size(line) else {
            return Ok(response);
        };
        if size > max_literal {
            return Err(Error::internal(format!(
                "the IMAP server sent {size} bytes where at most {max_literal} were expected"
            )));
        }
        let mut bytes = vec![0; size];
        reader.read_exact(&mut bytes).await?;
        response.literals.push(bytes);
    }
}

/// `… {123}` (or the non-synchronising `{123+}`) at the end of a line.
fn literal_size(line: &str) -> Option<usize> {
    let open = line.strip_suffix('}')?.rfind('{')?;
    line[open + 1..line.len() - 1]
        .trim_end_matches('+')
        .parse()
        .ok()
}

/// An IMAP quoted string; `None` for text a quoted string cannot hold
/// (CR, LF, NUL), which must go as a literal.
pub fn quoted(text: &str) -> Option<String> {
    if text.contains(['\r', '\n', '\0']) {
        return None;
    }
    Some(format!(
        "\"{}\"",
        text.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(bytes: &[u8]) -> Vec<Response> {
        let mut reader = bytes;
        let mut out = Vec::new();
        while !reader.is_empty() {
            out.push(read(&mut reader, 1024).await.expect("a response"));
        }
        out
    }

    #[tokio::test]
    async fn literals_are_taken_out_of_the_line() {
        let got = parse(
            b"* OK [UIDVALIDITY 1764140000] UIDs valid\r\n* 3 FETCH (UID 17 BODY[] {11}\r\nHi\r\nthere\r\n)\r\n* 4 EXISTS\r\na1 OK done\r\n",
        )
        .await;
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].code("UIDVALIDITY"), Some(1_764_140_000));
        assert_eq!(got[1].item("UID"), Some(17));
        assert_eq!(got[1].literals, vec![b"Hi\r\nthere\r\n".to_vec()]);
        assert_eq!(got[1].text, "* 3 FETCH (UID 17 BODY[] {11})");
        assert!(got[2].is_numbered("EXISTS") && !got[1].is_numbered("EXISTS"));
        assert_eq!(got[3].text, "a1 OK done");
    }

    #[tokio::test]
    async fn a_closed_connection_or_an_oversized_literal_is_an_error() {
        let mut closed: &[u8] = b"* OK half";
        assert!(read(&mut closed, 10).await.is_err());
        let mut big: &[u8] = b"* 1 FETCH (BODY[] {2048}\r\n";
        assert!(read(&mut big, 1024).await.is_err());
    }

    #[test]
    fn quoting_escapes_or_refuses() {
        assert_eq!(
            quoted(r#"pa"ss\word"#).as_deref(),
            Some(r#""pa\"ss\\word""#)
        );
        assert_eq!(quoted("a\r\nb"), None);
    }
}
