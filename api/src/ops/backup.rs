//! `pasokh backup --to FILE.tar`, safe while the server runs: a consistent
//! copy of the database (`VACUUM INTO`, one read transaction, so writers go
//! on committing), then every attachment file the copy names, then the
//! manifest. Files are never changed once written (only created and
//! deleted), so copying them after the database is consistent with it; a
//! file purged meanwhile is listed as missing in the manifest.
//!
//! The archive is written to `FILE.tar.partial` and renamed when complete,
//! so a crash never leaves a half archive under the real name.

use std::{
    fs::{self, File},
    io::{BufWriter, ErrorKind},
    path::{Path, PathBuf},
    time::Instant,
};

use crate::{
    db::{self, ops},
    error::{Error, Result},
    files::relative_path,
    ops::manifest::{self, Entry, Hashing, Manifest},
};

/// Backs `data_dir` up into the archive `to`; returns the sentence to print.
pub fn run(data_dir: &Path, to: &Path) -> Result<String> {
    let started = Instant::now();
    let partial = beside(to, "partial");
    let copy = beside(to, "db-copy");
    remove_stale(&copy)?;
    remove_stale(&partial)?;
    let live = ops::open(&data_dir.join(manifest::DATABASE), false)?;
    let taken_at = db::now();
    ops::copy_into(&live, &copy)?;
    drop(live);
    let copied_in = started.elapsed();
    let written = write_archive(data_dir, &copy, &partial, taken_at);
    let _ = fs::remove_file(&copy);
    let manifest = match written {
        Ok(manifest) => manifest,
        Err(error) => {
            let _ = fs::remove_file(&partial);
            return Err(error);
        }
    };
    fs::rename(&partial, to)?;
    if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(folder)?.sync_all()?;
    }
    let mut said = format!(
        "Backed up {} tickets, {} messages and {} files ({} bytes) to {} in {:.1} s (database copy {:.1} s).\n",
        manifest.counts.tickets,
        manifest.counts.messages,
        manifest.files.len(),
        manifest.bytes(),
        to.display(),
        started.elapsed().as_secs_f64(),
        copied_in.as_secs_f64(),
    );
    if !manifest.missing.is_empty() {
        said.push_str(&format!(
            "{} files the database names were not in {} (listed under \"missing\" in its manifest); `pasokh check` shows them.\n",
            manifest.missing.len(),
            data_dir.join("files").display()
        ));
    }
    Ok(said)
}

fn write_archive(data_dir: &Path, copy: &Path, partial: &Path, taken_at: i64) -> Result<Manifest> {
    let snapshot = ops::open_copy(copy)?;
    let schema_version = ops::schema_version(&snapshot)?;
    let counts = ops::counts(&snapshot)?;
    let rows = ops::files(&snapshot)?;
    drop(snapshot);

    let created = File::create(partial)
        .map_err(|error| Error::caused(format!("creating {}", partial.display()), error))?;
    let mut archive = tar::Builder::new(BufWriter::new(created));
    let copied = File::open(copy).map_err(|error| reading(copy, error))?;
    let database = append(&mut archive, copied, manifest::DATABASE.to_owned())?;
    let (mut files, mut missing) = (Vec::with_capacity(rows.len()), Vec::new());
    for row in rows {
        let relative = Path::new("files").join(relative_path(&row.stored_name));
        let name = archive_name(&relative)?;
        let path = data_dir.join(&relative);
        match File::open(&path) {
            Ok(file) => files.push(append(&mut archive, file, name)?),
            Err(error) if error.kind() == ErrorKind::NotFound => missing.push(row.stored_name),
            Err(error) => return Err(reading(&path, error)),
        }
    }
    let manifest = Manifest {
        format: manifest::FORMAT,
        pasokh: env!("CARGO_PKG_VERSION").to_owned(),
        taken_at,
        schema_version,
        counts,
        database,
        files,
        missing,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(Error::internal)?;
    archive.append_data(
        &mut header(json.len() as u64),
        manifest::NAME,
        json.as_slice(),
    )?;
    let file = archive
        .into_inner()?
        .into_inner()
        .map_err(|error| Error::caused("writing the archive", error.into_error()))?;
    file.sync_all()?;
    Ok(manifest)
}

/// Adds one file under `name`, hashing it on the way.
fn append(archive: &mut tar::Builder<BufWriter<File>>, file: File, name: String) -> Result<Entry> {
    let size = file.metadata()?.len();
    let mut reading = Hashing::new(file);
    archive.append_data(&mut header(size), &name, &mut reading)?;
    Ok(reading.entry(name))
}

fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(db::now().max(0) as u64);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

/// A path inside the archive, always with `/`.
pub fn archive_name(relative: &Path) -> Result<String> {
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    parts
        .map(|parts| parts.join("/"))
        .ok_or_else(|| Error::internal("a stored file name is not valid UTF-8"))
}

fn reading(path: &Path, error: std::io::Error) -> Error {
    Error::caused(format!("reading {}", path.display()), error)
}

/// `FILE.tar` → `FILE.tar.<suffix>`.
fn beside(to: &Path, suffix: &str) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// What an interrupted earlier run left behind.
fn remove_stale(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}
