//! Where a backup is written: a tar archive (`--to FILE.tar`) or a folder
//! with the same layout (`--to DIR`: `pasokh.db`, `files/ab/…`,
//! `manifest.json`), for operators whose backup tool copies folders. Either
//! is written under a `.partial` name first and renamed when complete.

use std::{
    fs::{self, File},
    io::{BufWriter, Read},
    path::{Path, PathBuf},
};

use crate::{
    db,
    error::{Error, Result},
    ops::manifest::{Entry, Hashing},
};

pub enum Target {
    Archive(tar::Builder<BufWriter<File>>),
    Folder(PathBuf),
}

impl Target {
    /// An archive when `to` ends in `.tar`, else a folder; created at `partial`.
    pub fn create(to: &Path, partial: &Path) -> Result<Target> {
        let creating = |error| Error::caused(format!("creating {}", partial.display()), error);
        if is_archive(to) {
            let file = File::create(partial).map_err(creating)?;
            Ok(Target::Archive(tar::Builder::new(BufWriter::new(file))))
        } else {
            fs::create_dir_all(partial).map_err(creating)?;
            Ok(Target::Folder(partial.to_owned()))
        }
    }

    /// Adds `source` under `name`, hashing it on the way.
    pub fn add(&mut self, name: String, source: impl Read, size: u64) -> Result<Entry> {
        let mut reading = Hashing::new(source);
        match self {
            Target::Archive(archive) => {
                archive.append_data(&mut header(size), &name, &mut reading)?;
            }
            Target::Folder(root) => {
                let path = root.join(&name);
                if let Some(folder) = path.parent() {
                    fs::create_dir_all(folder)?;
                }
                let mut file = File::create(&path)?;
                std::io::copy(&mut reading, &mut file)?;
                file.sync_all()?;
            }
        }
        Ok(reading.entry(name))
    }

    /// Makes what was written durable.
    pub fn finish(self) -> Result<()> {
        match self {
            Target::Archive(archive) => archive
                .into_inner()?
                .into_inner()
                .map_err(|error| Error::caused("writing the archive", error.into_error()))?
                .sync_all()?,
            Target::Folder(root) => File::open(root)?.sync_all()?,
        }
        Ok(())
    }
}

pub fn is_archive(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "tar")
}

/// Removes what an interrupted earlier run left at `path`.
pub fn remove_stale(path: &Path) -> Result<()> {
    let removed = if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    match removed {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(db::now().max(0) as u64);
    header.set_entry_type(tar::EntryType::Regular);
    header
}
