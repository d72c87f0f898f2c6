//! `pasokh backup --to FILE.tar` (or `--to DIR`, a folder of the same
//! layout; see `target.rs`), safe while the server runs: a consistent
//! copy of the database (`VACUUM INTO`, one read transaction, so writers go
//! on committing), then every attachment file the copy names, then the
//! manifest. Files are never changed once written (only created and
//! deleted), so copying them after the database is consistent with it; a
//! file purged meanwhile is listed as missing in the manifest.
//!
//! The backup is written to `FILE.tar.partial` and renamed when complete,
//! so a crash never leaves a half backup under the real name.

use std::{
    fs::{self, File},
    io::ErrorKind,
    path::{Path, PathBuf},
    time::Instant,
};

use crate::{
    db::{self, ops},
    error::{Error, Result},
    files::relative_path,
    ops::{
        manifest::{self, Entry, Manifest},
        target::{Target, is_archive, remove_stale},
    },
};

/// Backs `data_dir` up into `to`; returns the sentence to print.
pub fn run(data_dir: &Path, to: &Path) -> Result<String> {
    let started = Instant::now();
    if !is_archive(to) && to.exists() {
        return Err(Error::internal(format!(
            "{} already exists: a folder backup goes to a new folder (or name a FILE.tar)",
            to.display()
        )));
    }
    let partial = beside(to, "partial");
    let copy = beside(to, "db-copy");
    remove_stale(&copy)?;
    remove_stale(&partial)?;
    let live = ops::open(&data_dir.join(manifest::DATABASE), false)?;
    let taken_at = db::now();
    ops::copy_into(&live, &copy)?;
    drop(live);
    let copied_in = started.elapsed();
    let written = write_archive(data_dir, &copy, to, &partial, taken_at);
    let _ = fs::remove_file(&copy);
    let manifest = match written {
        Ok(manifest) => manifest,
        Err(error) => {
            let _ = remove_stale(&partial);
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

fn write_archive(
    data_dir: &Path,
    copy: &Path,
    to: &Path,
    partial: &Path,
    taken_at: i64,
) -> Result<Manifest> {
    let snapshot = ops::open_copy(copy)?;
    let schema_version = ops::schema_version(&snapshot)?;
    let counts = ops::counts(&snapshot)?;
    let rows = ops::files(&snapshot)?;
    drop(snapshot);

    let mut target = Target::create(to, partial)?;
    let database = add(&mut target, copy, manifest::DATABASE.to_owned())?
        .ok_or_else(|| Error::internal("the database copy vanished"))?;
    let (mut files, mut missing) = (Vec::with_capacity(rows.len()), Vec::new());
    for row in rows {
        let relative = Path::new("files").join(relative_path(&row.stored_name));
        match add(
            &mut target,
            &data_dir.join(&relative),
            archive_name(&relative)?,
        )? {
            Some(entry) => files.push(entry),
            None => missing.push(row.stored_name),
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
    target.add(
        manifest::NAME.to_owned(),
        json.as_slice(),
        json.len() as u64,
    )?;
    target.finish()?;
    Ok(manifest)
}

/// Adds the file at `path` under `name`; `None` if there is no such file.
fn add(target: &mut Target, path: &Path, name: String) -> Result<Option<Entry>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::caused(format!("reading {}", path.display()), error)),
    };
    let size = file.metadata()?.len();
    target.add(name, file, size).map(Some)
}

/// A path inside the archive, always with `/`.
pub fn archive_name(relative: &Path) -> Result<String> {
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    parts
        .map(|parts| parts.join("/"))
        .ok_or_else(|| Error::internal("a stored file name is not valid UTF-8"))
}

/// `FILE.tar` → `FILE.tar.<suffix>`.
fn beside(to: &Path, suffix: &str) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
