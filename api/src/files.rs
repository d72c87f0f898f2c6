//! Attachment storage. Files are written under random names (two-level
//! folders, `files/ab/abcdef…`), never under the name the user gave; that
//! name is cleaned and kept in the database for display only. The content is
//! sniffed and must match the extension.

use std::path::{Path, PathBuf};

use axum::body::Body;
use futures_util::StreamExt;
use shared::{
    limits::{FILE_NAME_MAX, file_extension},
    validate::{Field, FieldError, Problem},
};
use tokio::{
    fs,
    io::{AsyncReadExt, AsyncWriteExt},
};

use crate::{
    error::{Error, Result},
    secrets,
};

/// How many leading bytes are kept for sniffing.
const HEAD: usize = 8192;
/// Bytes read from disk at a time for a download.
const DOWNLOAD_CHUNK: usize = 64 * 1024;

pub struct Store {
    files: PathBuf,
    tmp: PathBuf,
}

/// A file received in full and stored.
pub struct Received {
    pub stored_name: String,
    pub size: u64,
    pub head: Vec<u8>,
}

impl Store {
    pub fn open(data_dir: &Path) -> std::io::Result<Store> {
        let store = Store {
            files: data_dir.join("files"),
            tmp: data_dir.join("tmp"),
        };
        std::fs::create_dir_all(&store.files)?;
        std::fs::create_dir_all(&store.tmp)?;
        Ok(store)
    }

    pub fn path(&self, stored_name: &str) -> PathBuf {
        self.files.join(relative_path(stored_name))
    }

    /// Streams a request body to disk, stopping as soon as it passes
    /// `max_bytes` (then nothing is kept). The file is fsynced and moved into
    /// place before this returns, so a row that names it never dangles.
    pub async fn receive(&self, body: Body, max_bytes: u64) -> Result<Received> {
        let stored_name = secrets::file_name()?;
        let tmp = self.tmp.join(&stored_name);
        // Removes the partial file however this ends: an error, or the client
        // going away mid-upload (then this future is simply dropped).
        let mut partial = PartialFile(Some(tmp.clone()));
        let (size, head) = self.write_limited(&tmp, body, max_bytes).await?;
        let target = self.path(&stored_name);
        let folder = target.parent().unwrap_or(&self.files).to_owned();
        let created = !fs::try_exists(&folder).await.unwrap_or(false);
        fs::create_dir_all(&folder).await?;
        fs::rename(&tmp, &target).await?;
        partial.0 = None;
        // The rename is durable only once the folders holding it are synced;
        // until then a power cut could lose a file whose row is committed.
        sync_dir(&folder).await?;
        if created {
            sync_dir(&self.files).await?;
        }
        Ok(Received {
            stored_name,
            size,
            head,
        })
    }

    /// Deletes partial uploads left in `tmp/` by a crash, older than an hour.
    pub async fn sweep_partial(&self) {
        let tmp = self.tmp.clone();
        let swept = tokio::task::spawn_blocking(move || {
            let cutoff = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            let mut count = 0;
            for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < cutoff);
                if old && std::fs::remove_file(entry.path()).is_ok() {
                    count += 1;
                }
            }
            count
        })
        .await
        .unwrap_or(0);
        if swept > 0 {
            tracing::info!(files = swept, "removed partial uploads");
        }
    }

    async fn write_limited(
        &self,
        tmp: &Path,
        body: Body,
        max_bytes: u64,
    ) -> Result<(u64, Vec<u8>)> {
        let mut file = fs::File::create(tmp).await?;
        let mut stream = body.into_data_stream();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(HEAD);
        while let Some(chunk) = stream.next().await {
            // The client went away or stalled past the body timeout: its
            // request is over, and nothing of it is kept.
            let chunk = chunk.map_err(|error| {
                tracing::info!(%error, "upload not received in full");
                Error::BadRequest
            })?;
            size += chunk.len() as u64;
            if size > max_bytes {
                return Err(too_large(max_bytes));
            }
            if head.len() < HEAD {
                let take = (HEAD - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            file.write_all(&chunk).await?;
        }
        file.sync_all().await?;
        Ok((size, head))
    }

    /// A stored file as a response body streamed from disk in chunks, so
    /// memory stays flat however many clients download and however slowly.
    pub async fn stream(&self, stored_name: &str) -> Result<(Body, u64)> {
        let file = fs::File::open(self.path(stored_name)).await?;
        let size = file.metadata().await?.len();
        let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
            let mut chunk = vec![0u8; DOWNLOAD_CHUNK];
            let read = file.read(&mut chunk).await?;
            if read == 0 {
                return Ok::<_, std::io::Error>(None);
            }
            chunk.truncate(read);
            Ok(Some((axum::body::Bytes::from(chunk), file)))
        });
        Ok((Body::from_stream(chunks), size))
    }

    /// Deletes stored files; a file already gone is not an error.
    pub async fn delete(&self, stored_names: &[String]) {
        for name in stored_names {
            if let Err(error) = fs::remove_file(self.path(name)).await
                && error.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(%error, file = name, "could not delete a stored file");
            }
        }
    }
}

/// Where a stored file lives under `files/`: `ab/abcdef…` (backups and
/// `pasokh check` find files the way the server does).
pub fn relative_path(stored_name: &str) -> PathBuf {
    let folder = stored_name.get(..2).unwrap_or("_");
    Path::new(folder).join(stored_name)
}

/// A file in `tmp/` that is deleted when dropped, unless disarmed.
struct PartialFile(Option<PathBuf>);

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            // One unlink; not worth a blocking-pool round trip.
            let _ = std::fs::remove_file(path);
        }
    }
}

async fn sync_dir(path: &Path) -> std::io::Result<()> {
    fs::File::open(path).await?.sync_all().await
}

pub fn too_large(max: u64) -> Error {
    Error::TooLarge(vec![FieldError {
        field: Field::Attachments,
        problem: Problem::FileTooLarge { max },
    }])
}

/// The name to show for an uploaded file: only its last path component,
/// without control or bidirectional-override characters (which could make
/// `photo<U+202E>gpj.exe` read as `photoexe.jpg`), at most `FILE_NAME_MAX`
/// characters with the extension kept.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let chars: Vec<char> = last.chars().collect();
    let mut cleaned = String::with_capacity(last.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_control() {
            continue;
        }
        if c.is_whitespace() {
            // Any run of spaces of any kind (no-break, ideographic, …) is one space.
            if !cleaned.ends_with(' ') {
                cleaned.push(' ');
            }
            continue;
        }
        if is_format(c) {
            // ZWNJ and ZWJ spell Persian words (نامه‌ها) and emoji: kept
            // between two visible characters, dropped anywhere else.
            let joins = matches!(c, '\u{200C}' | '\u{200D}')
                && i > 0
                && chars.get(i + 1).is_some_and(|next| is_visible(*next))
                && is_visible(chars[i - 1]);
            if !joins {
                continue;
            }
        }
        cleaned.push(c);
    }
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.chars().count() <= FILE_NAME_MAX {
        return cleaned;
    }
    let ext = file_extension(&cleaned).unwrap_or_default();
    let keep = FILE_NAME_MAX.saturating_sub(ext.chars().count() + 1);
    let stem: String = cleaned.chars().take(keep).collect();
    format!("{stem}.{ext}")
}

/// Unicode's format characters (general category Cf): invisible, they make
/// two names that look the same differ, and the bidi controls among them
/// (U+202E and friends) can show `gpj.exe` as `exe.jpg`.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

fn is_visible(c: char) -> bool {
    !c.is_control() && !c.is_whitespace() && !is_format(c)
}

/// The content type to store and serve for a file, if its content is of an
/// accepted type and matches its extension.
pub fn sniff(file_name: &str, head: &[u8]) -> Option<&'static str> {
    let ext = file_extension(file_name)?.to_ascii_lowercase();
    let detected = infer::get(head).map(|kind| kind.mime_type());
    let expected = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" | "log" | "csv" => {
            // Plain text: no binary signature (a text one such as HTML is
            // fine: it is served as text/plain, as a download), no NUL, valid
            // UTF-8 (a multi-byte character cut at the end of the head is fine).
            let text = detected.is_none_or(|mime| mime.starts_with("text/"))
                && !head.contains(&0)
                && is_utf8_prefix(head);
            return text.then_some(if ext == "csv" {
                "text/csv; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            });
        }
        _ => return None,
    };
    (detected == Some(expected)).then_some(expected)
}

/// Valid UTF-8, or valid but for a multi-byte character cut at the end.
fn is_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none(),
    }
}

/// `attachment` with an ASCII fallback name and the exact name in RFC 5987
/// encoding, so no character of a user's file name reaches the header raw.
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b".-_~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";

    #[test]
    fn names_lose_paths_controls_and_bidi_overrides() {
        for (raw, clean) in [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\windows\\win.ini", "win.ini"),
            ("photo\u{202E}gpj.exe", "photogpj.exe"),
            (
                "\"><svg onload=alert(1)>.jpg",
                "\"><svg onload=alert(1)>.jpg",
            ),
            ("  .hidden.png ", "hidden.png"),
            ("a\nb\u{0}.txt", "ab.txt"),
            // Invisible format characters go; runs of any spaces become one.
            ("in\u{200B}voice\u{FEFF}.pdf", "invoice.pdf"),
            (
                "my \u{00A0}\u{3000}  scan\u{2003}\u{2003}1.png",
                "my scan 1.png",
            ),
            ("\u{00AD}soft\u{2060}.txt", "soft.txt"),
            // ZWNJ inside a Persian word is spelling, kept; stray ones go.
            ("نامه\u{200C}ها.pdf", "نامه\u{200C}ها.pdf"),
            ("\u{200C}نامه \u{200C}.pdf", "نامه .pdf"),
        ] {
            assert_eq!(clean_file_name(raw), clean, "{raw:?}");
        }
        let long = format!("{}.png", "x".repeat(500));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), FILE_NAME_MAX);
        assert!(cleaned.ends_with(".png"));
    }

    #[test]
    fn content_must_match_the_extension() {
        assert_eq!(sniff("a.png", PNG), Some("image/png"));
        assert_eq!(sniff("a.JPG", JPEG), Some("image/jpeg"));
        assert_eq!(sniff("a.png", JPEG), None, "a JPEG named .png");
        assert_eq!(sniff("a.png", b"<html><script>alert(1)</script>"), None);
        assert_eq!(
            sniff("notes.txt", "سلام\n".as_bytes()),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sniff("notes.txt", PNG), None, "binary named .txt");
        assert_eq!(
            sniff("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            None
        );
        assert_eq!(sniff("page.html", b"<html></html>"), None);
        assert_eq!(
            sniff("cut.txt", &"ب".as_bytes()[..1]),
            Some("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn disposition_never_carries_raw_user_characters() {
        let header = content_disposition("\"><svg onload=alert(1)>.jpg");
        assert!(header.starts_with("attachment; filename=\"__"), "{header}");
        assert!(!header.contains('<') && !header.contains('>'), "{header}");
        assert!(header.contains("filename*=UTF-8''%22%3E%3Csvg"), "{header}");
        assert!(content_disposition("رسید.pdf").contains("%D8%B1"));
    }
}
