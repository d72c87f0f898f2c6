//! The manifest a backup carries (`manifest.json`, the archive's last
//! entry): what was copied, with a SHA-256 of every file, so a restore can
//! prove it got back exactly what was saved.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::ops::Counts;

/// The name of the manifest inside an archive.
pub const NAME: &str = "manifest.json";
/// The database file's name, in a data folder and in an archive.
pub const DATABASE: &str = "pasokh.db";
/// Bumped if the archive's layout ever changes.
pub const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The pasokh version that wrote the backup.
    pub pasokh: String,
    /// Unix time the database copy was taken.
    pub taken_at: i64,
    pub schema_version: i64,
    pub counts: Counts,
    pub database: Entry,
    pub files: Vec<Entry>,
    /// Files the copy's upload rows name but that were not in the data
    /// folder (deleted by hand, or purged while the backup ran).
    pub missing: Vec<String>,
}

/// One file of the archive: its path inside it, size and SHA-256 (hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn bytes(&self) -> u64 {
        self.database.size + self.files.iter().map(|file| file.size).sum::<u64>()
    }
}

/// Hashes what passes through it, read or written.
pub struct Hashing<T> {
    pub inner: T,
    hasher: Sha256,
    size: u64,
}

impl<T> Hashing<T> {
    pub fn new(inner: T) -> Hashing<T> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// The entry for what went through, under `path`.
    pub fn entry(self, path: String) -> Entry {
        let digest = self.hasher.finalize();
        Entry {
            path,
            size: self.size,
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

impl<T: Read> Read for Hashing<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.size += read as u64;
        Ok(read)
    }
}

impl<T: Write> Write for Hashing<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
