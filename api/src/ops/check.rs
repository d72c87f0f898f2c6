//! `pasokh check`: is a data folder sound? SQLite's integrity check, every
//! file the database names present with its recorded size, and the files
//! nobody names (orphans: a crash between a purge's commit and its deletes
//! leaves some; they are safe to delete). Meant for a stopped server or a
//! restored folder: on a live one, uploads in flight may show as orphans.

use std::{collections::BTreeSet, fs, path::Path};

use crate::{
    db::ops,
    error::Result,
    files::relative_path,
    ops::{backup::archive_name, manifest},
};

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    pub integrity: Vec<String>,
    pub missing: Vec<String>,
    /// (path, recorded size, size on disk)
    pub wrong_size: Vec<(String, u64, u64)>,
    pub orphans: Vec<String>,
    pub tickets: i64,
    pub files: usize,
}

impl Report {
    pub fn is_sound(&self) -> bool {
        self.integrity.is_empty()
            && self.missing.is_empty()
            && self.wrong_size.is_empty()
            && self.orphans.is_empty()
    }

    /// The report as lines for the operator.
    pub fn describe(&self, data_dir: &Path) -> String {
        let mut text = format!(
            "Checked {}: {} tickets, {} files named by the database.\n",
            data_dir.display(),
            self.tickets,
            self.files
        );
        let mut section = |title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                text.push_str(&format!("{title} ({}):\n", lines.len()));
                for line in lines {
                    text.push_str(&format!("  {line}\n"));
                }
            }
        };
        section("database integrity problems", self.integrity.clone());
        section("missing files", self.missing.clone());
        section(
            "files of another size than recorded",
            self.wrong_size
                .iter()
                .map(|(path, recorded, found)| {
                    format!("{path}: {recorded} recorded, {found} found")
                })
                .collect(),
        );
        section(
            "orphan files no upload names (safe to delete)",
            self.orphans.clone(),
        );
        if self.is_sound() {
            text.push_str("Everything is in order.\n");
        }
        text
    }
}

pub fn run(data_dir: &Path) -> Result<Report> {
    let conn = ops::open(&data_dir.join(manifest::DATABASE), false)?;
    let mut report = Report {
        integrity: ops::integrity_problems(&conn)?,
        tickets: ops::counts(&conn)?.tickets,
        ..Report::default()
    };
    let rows = ops::files(&conn)?;
    drop(conn);
    report.files = rows.len();
    let mut named = BTreeSet::new();
    for row in rows {
        let relative = Path::new("files").join(relative_path(&row.stored_name));
        let name = archive_name(&relative)?;
        match fs::metadata(data_dir.join(&relative)) {
            Ok(found) if found.len() == row.size => {}
            Ok(found) => report
                .wrong_size
                .push((name.clone(), row.size, found.len())),
            Err(_) => report.missing.push(name.clone()),
        }
        named.insert(name);
    }
    let files = data_dir.join("files");
    for folder in fs::read_dir(&files).into_iter().flatten().flatten() {
        for file in fs::read_dir(folder.path()).into_iter().flatten().flatten() {
            let name = archive_name(
                &Path::new("files")
                    .join(folder.file_name())
                    .join(file.file_name()),
            )?;
            if !named.contains(&name) {
                report.orphans.push(name);
            }
        }
    }
    report.orphans.sort();
    Ok(report)
}
