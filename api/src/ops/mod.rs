//! Running a desk: `pasokh backup`, `restore` and `check` (the data folder
//! as a whole), `/healthz` and `/readyz` for load balancers, and
//! `/metrics` for Prometheus on a listener of its own.

pub mod backup;
pub mod check;
pub mod health;
pub mod logging;
pub mod manifest;
pub mod metrics;
pub mod restore;
pub mod target;

use std::path::{Path, PathBuf};

use crate::{config::ConfigError, error::StartupError};

/// `pasokh backup | restore | check`.
#[derive(Debug, PartialEq, Eq)]
pub enum OpsCommand {
    Backup { to: PathBuf },
    Restore { from: PathBuf },
    Check,
}

pub const USAGE: &str = "\
USAGE: pasokh backup --to FILE.tar|DIR     (safe while the server runs)
       pasokh restore --from FILE.tar|DIR  (into an empty or new --data-dir)
       pasokh check                        (integrity, missing and orphan files)
Each works on --data-dir / PASOKH_DATA_DIR.
";

/// The command, if the arguments start with one, and the server flags left.
pub fn parse(args: &[String]) -> Result<Option<(OpsCommand, Vec<String>)>, ConfigError> {
    let (flag, make): (&str, fn(PathBuf) -> OpsCommand) = match args.first().map(String::as_str) {
        Some("backup") => ("--to", |to| OpsCommand::Backup { to }),
        Some("restore") => ("--from", |from| OpsCommand::Restore { from }),
        Some("check") => return Ok(Some((OpsCommand::Check, args[1..].to_vec()))),
        _ => return Ok(None),
    };
    let mut rest = Vec::new();
    let mut path = None;
    let mut args = args[1..].iter();
    while let Some(arg) = args.next() {
        if let Some(value) = arg.strip_prefix(flag).and_then(|v| v.strip_prefix('=')) {
            path = Some(value.to_owned());
        } else if arg == flag {
            path = args.next().cloned();
        } else {
            rest.push(arg.clone());
        }
    }
    let path = path
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ConfigError::Invalid(format!("{flag} FILE is required\n\n{USAGE}")))?;
    Ok(Some((make(PathBuf::from(path)), rest)))
}

/// Runs the command on a blocking thread (it is all file and SQLite work);
/// returns what to print, or the sentence saying what is wrong.
pub async fn run(command: OpsCommand, data_dir: &Path) -> Result<String, StartupError> {
    let data_dir = data_dir.to_owned();
    let work = move || match command {
        OpsCommand::Backup { to } => backup::run(&data_dir, &to).map_err(|e| e.to_string()),
        OpsCommand::Restore { from } => restore::run(&from, &data_dir).map_err(|e| e.to_string()),
        OpsCommand::Check => {
            let report = check::run(&data_dir).map_err(|e| e.to_string())?;
            let text = report.describe(&data_dir);
            if report.is_sound() {
                Ok(text)
            } else {
                Err(text)
            }
        }
    };
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| StartupError::Command(error.to_string()))?
        .map_err(StartupError::Command)
}
