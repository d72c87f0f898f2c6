//! `pasokh restore --from FILE.tar|DIR --data-dir DIR`: unpacks a backup (an
//! archive, or a folder backup) into an
//! empty (or new) data folder and proves every file against the manifest.
//! A folder that holds anything — a live server's above all — is refused,
//! never overwritten; a restore that fails leaves the folder empty again.

use std::{
    collections::BTreeMap,
    fs::{self, File},
    io::{BufReader, Read},
    path::{Component, Path},
};

use crate::{
    db::ops,
    error::{Error, Result},
    ops::manifest::{self, Entry, Hashing, Manifest},
};

/// Restores `from` into `data_dir`; returns the sentence to print.
pub fn run(from: &Path, data_dir: &Path) -> Result<String> {
    refuse_unless_empty(data_dir)?;
    // Looked at first: a wrong path leaves no new folder behind.
    let source = fs::metadata(from)
        .map_err(|error| Error::caused(format!("reading {}", from.display()), error))?;
    fs::create_dir_all(data_dir)?;
    let unpacked = if source.is_dir() {
        copy_folder(from, data_dir)
    } else {
        unpack(from, data_dir)
    };
    match unpacked.and_then(|(manifest, found)| verify(manifest, &found, from, data_dir)) {
        Ok(manifest) => Ok(format!(
            "Restored {} tickets, {} messages and {} files ({} bytes, backup taken at Unix time {}) into {}; every file matches the manifest. Start the server with PASOKH_DATA_DIR={}.\n",
            manifest.counts.tickets,
            manifest.counts.messages,
            manifest.files.len(),
            manifest.bytes(),
            manifest.taken_at,
            data_dir.display(),
            data_dir.display(),
        )),
        Err(error) => {
            empty(data_dir);
            Err(error)
        }
    }
}

fn refuse_unless_empty(data_dir: &Path) -> Result<()> {
    let holds_something = match fs::read_dir(data_dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
        Err(error) => return Err(error.into()),
    };
    if holds_something {
        return Err(Error::internal(format!(
            "{} is not empty: restore only into an empty or new folder (a live server's data is never overwritten). Stop the server and move that folder aside, or pass another --data-dir",
            data_dir.display()
        )));
    }
    Ok(())
}

type Found = BTreeMap<String, Entry>;

fn unpack(from: &Path, data_dir: &Path) -> Result<(Option<Manifest>, Found)> {
    let mut archive = tar::Archive::new(BufReader::new(File::open(from)?));
    let mut found = BTreeMap::new();
    let mut manifest = None;
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if name == manifest::NAME {
            let mut json = Vec::new();
            entry.read_to_end(&mut json)?;
            manifest = Some(parse_manifest(&json)?);
            continue;
        }
        let entry = put(data_dir, name, &mut entry, from)?;
        found.insert(entry.path.clone(), entry);
    }
    Ok((manifest, found))
}

/// A folder backup: the files its manifest lists.
fn copy_folder(from: &Path, data_dir: &Path) -> Result<(Option<Manifest>, Found)> {
    let manifest = match fs::read(from.join(manifest::NAME)) {
        Ok(json) => parse_manifest(&json)?,
        Err(_) => return Ok((None, Found::new())),
    };
    let mut found = Found::new();
    for listed in std::iter::once(&manifest.database).chain(&manifest.files) {
        let name = listed.path.clone();
        let source = if allowed(&name) {
            File::open(from.join(&name)).ok()
        } else {
            None
        };
        if let Some(mut source) = source {
            let entry = put(data_dir, name, &mut source, from)?;
            found.insert(entry.path.clone(), entry);
        }
    }
    Ok((Some(manifest), found))
}

fn parse_manifest(json: &[u8]) -> Result<Manifest> {
    serde_json::from_slice(json).map_err(|error| Error::caused("reading the manifest", error))
}

/// Writes one file of the backup into the data folder, hashing it.
fn put(data_dir: &Path, name: String, source: &mut impl Read, from: &Path) -> Result<Entry> {
    if !allowed(&name) {
        return Err(Error::internal(format!(
            "{} holds {name:?}, which is not part of a pasokh backup",
            from.display()
        )));
    }
    let target = data_dir.join(&name);
    if let Some(folder) = target.parent() {
        fs::create_dir_all(folder)?;
    }
    let mut writing = Hashing::new(File::create(&target)?);
    std::io::copy(source, &mut writing)?;
    writing.inner.sync_all()?;
    Ok(writing.entry(name))
}

/// Every file the manifest lists arrived whole, nothing else did, and the
/// database passes SQLite's integrity check.
fn verify(
    manifest: Option<Manifest>,
    found: &Found,
    from: &Path,
    data_dir: &Path,
) -> Result<Manifest> {
    let manifest = manifest.ok_or_else(|| {
        Error::internal(format!(
            "{} has no manifest: it is not a complete pasokh backup",
            from.display()
        ))
    })?;
    let expected: BTreeMap<String, Entry> = std::iter::once(manifest.database.clone())
        .chain(manifest.files.iter().cloned())
        .map(|entry| (entry.path.clone(), entry))
        .collect();
    if let Some(path) = expected
        .keys()
        .chain(found.keys())
        .find(|path| expected.get(*path) != found.get(*path))
    {
        return Err(Error::internal(format!(
            "{path} in {} does not match its manifest (missing, or another size or checksum): the backup is damaged",
            from.display()
        )));
    }
    let problems = ops::integrity_problems(&ops::open(&data_dir.join(manifest::DATABASE), false)?)?;
    if !problems.is_empty() {
        return Err(Error::internal(format!(
            "the restored database fails its integrity check: {}",
            problems.join("; ")
        )));
    }
    Ok(manifest)
}

/// The database, or a stored file (`files/ab/abcdef…`): plain names only,
/// nothing that could climb out of the data folder.
fn allowed(name: &str) -> bool {
    let parts: Vec<Component> = Path::new(name).components().collect();
    let plain = parts.iter().all(|part| {
        matches!(part, Component::Normal(s) if s.to_str().is_some_and(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')))
    });
    plain
        && match parts.as_slice() {
            [_] => name == manifest::DATABASE,
            [files, _, _] => files.as_os_str() == "files",
            _ => false,
        }
}

/// Undoes a failed restore: the folder was empty before it.
fn empty(data_dir: &Path) {
    for entry in fs::read_dir(data_dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_database_and_stored_files_may_be_unpacked() {
        assert!(allowed("pasokh.db"));
        assert!(allowed("files/ab/ab12cd"));
        for hostile in [
            "../etc/passwd",
            "files/../../x",
            "/etc/passwd",
            "files/ab/cd/ef",
            "other.db",
            "files/a b/c",
        ] {
            assert!(!allowed(hostile), "{hostile}");
        }
    }
}
