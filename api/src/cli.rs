//! Commands besides serving: `pasokh staff add` creates a staff member and
//! `pasokh staff reset-password` lets one back in; both print a one-time
//! set-password link (24 hours), alone on its own line so a script can take it.
//! `pasokh seed` (made-up tickets for measuring) is parsed here and run by
//! `seed.rs`.

use shared::{
    console::{NAME_MAX, Role},
    validate::Email,
};

use crate::{
    auth::session::Realm,
    config::{Config, ConfigError},
    db::{
        self, Db,
        auth::{self, TokenPurpose},
        staff,
    },
    error::{Error, StartupError},
    ops::OpsCommand,
    seed::SeedOptions,
};

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    StaffAdd {
        email: String,
        name: String,
        role: Role,
    },
    StaffResetPassword {
        email: String,
    },
    /// `pasokh seed`: made-up tickets for measuring (see `seed.rs`).
    Seed(SeedOptions),
    /// `pasokh backup | restore | check` (see `ops/`).
    Ops(OpsCommand),
    /// `pasokh mail ingest`: one email on stdin (see `inbound/`).
    MailIngest,
}

pub const STAFF_USAGE: &str = "\
USAGE: pasokh staff add --email EMAIL --name NAME --role admin|agent
       pasokh staff reset-password --email EMAIL
Both print a one-time link (valid 24 hours) that sets the member's password.
The server's own flags (--data-dir, --public-url) and variables apply.
";

/// Splits the arguments into the command and the server flags left over.
pub fn parse(args: Vec<String>) -> Result<(Command, Vec<String>), ConfigError> {
    if args.first().map(String::as_str) == Some("seed") {
        let (options, rest) = crate::seed::parse(args)?;
        return Ok((Command::Seed(options), rest));
    }
    if let Some((command, rest)) = crate::ops::parse(&args)? {
        return Ok((Command::Ops(command), rest));
    }
    if args.first().map(String::as_str) == Some("mail") {
        return match args.get(1).map(String::as_str) {
            Some("ingest") => Ok((Command::MailIngest, args[2..].to_vec())),
            _ => Err(ConfigError::Invalid(
                "USAGE: pasokh mail ingest < message.eml (one raw email on stdin)".into(),
            )),
        };
    }
    if args.first().map(String::as_str) != Some("staff") {
        return Ok((Command::Serve, args));
    }
    let invalid = |message: &str| ConfigError::Invalid(format!("{message}\n\n{STAFF_USAGE}"));
    let action = args.get(1).cloned().unwrap_or_default();
    let mut rest = Vec::new();
    let (mut email, mut name, mut role) = (None, None, None);
    let mut args = args.into_iter().skip(2);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let slot = match flag.as_str() {
            "--email" => &mut email,
            "--name" => &mut name,
            "--role" => &mut role,
            _ => {
                rest.push(arg);
                continue;
            }
        };
        *slot = Some(
            inline
                .or_else(|| args.next())
                .ok_or_else(|| invalid(&format!("{flag} needs a value")))?,
        );
    }
    let email = email.ok_or_else(|| invalid("--email is required"))?;
    let command = match action.as_str() {
        "add" => {
            let name = name.ok_or_else(|| invalid("--name is required"))?;
            let role = role.ok_or_else(|| invalid("--role is required"))?;
            let role = Role::parse(&role)
                .ok_or_else(|| invalid(&format!("--role must be admin or agent, got {role:?}")))?;
            Command::StaffAdd { email, name, role }
        }
        "reset-password" => Command::StaffResetPassword { email },
        other => return Err(invalid(&format!("unknown staff command {other:?}"))),
    };
    Ok((command, rest))
}

/// Runs a staff command (or `seed`) against the data folder; returns what
/// to print.
pub async fn staff(command: Command, config: &Config) -> Result<String, StartupError> {
    if let Command::Seed(options) = command {
        return crate::seed::run(options, config).await;
    }
    if let Command::Ops(command) = command {
        return crate::ops::run(command, &config.data_dir).await;
    }
    let db_path = config.data_dir.join("pasokh.db");
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let db = Db::open(&db_path).map_err(|cause| StartupError::Database {
        path: db_path.clone(),
        cause,
    })?;
    let refuse = |message: String| StartupError::Command(message);
    let (email, intro) = match &command {
        Command::StaffAdd { email, name, role } => {
            let email = Email::parse(email)
                .map_err(|_| refuse(format!("{email:?} is not an email address")))?;
            let name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > NAME_MAX {
                return Err(refuse(format!("--name must be 1 to {NAME_MAX} characters")));
            }
            let (address, role) = (email.as_str().to_owned(), *role);
            let added = db
                .write(move |conn| staff::insert(conn, &address, &name, role, db::now()))
                .await
                .map_err(|error| refuse(error.to_string()))?;
            if added.is_none() {
                return Err(refuse(format!(
                    "{} is already a staff member; to let them set a new password run: pasokh staff reset-password --email {}",
                    email.as_str(),
                    email.as_str()
                )));
            }
            (
                email.as_str().to_owned(),
                format!(
                    "Added {} as {}. Open this link within 24 hours to set the password:",
                    email.as_str(),
                    role.as_str()
                ),
            )
        }
        Command::StaffResetPassword { email } => (
            email.trim().to_owned(),
            format!("Open this link within 24 hours to set a new password for {email}:"),
        ),
        Command::Serve | Command::Seed(_) | Command::Ops(_) | Command::MailIngest => {
            return Ok(String::new());
        }
    };
    let address = email.clone();
    let token = db
        .write(move |conn| {
            let member = staff::by_email(conn, &address)?.ok_or(Error::NotFound)?;
            auth::issue_token(
                conn,
                Realm::Staff,
                member.id,
                TokenPurpose::Reset,
                None,
                db::now(),
            )
        })
        .await
        .map_err(|error| match error {
            Error::NotFound => refuse(format!("no staff member has the address {email}")),
            other => refuse(other.to_string()),
        })?;
    Ok(format!(
        "{intro}\n{}/console/password#{token}\n",
        config.public_url
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn staff_commands_take_their_flags_and_leave_the_server_ones() {
        let (command, rest) = parse(args(&[
            "staff",
            "add",
            "--email",
            "a@example.com",
            "--name=Ana",
            "--role",
            "admin",
            "--data-dir",
            "/tmp/x",
        ]))
        .expect("valid");
        assert_eq!(
            command,
            Command::StaffAdd {
                email: "a@example.com".into(),
                name: "Ana".into(),
                role: Role::Admin
            }
        );
        assert_eq!(rest, args(&["--data-dir", "/tmp/x"]));
        let (command, rest) = parse(args(&["--listen", "0.0.0.0:80"])).expect("serve");
        assert_eq!(command, Command::Serve);
        assert_eq!(rest.len(), 2);
    }

    #[test]
    fn mistakes_say_what_to_fix() {
        for (list, needle) in [
            (
                vec!["staff", "add", "--email", "a@b.c", "--name", "A"],
                "--role is required",
            ),
            (
                vec![
                    "staff", "add", "--email", "a@b.c", "--name", "A", "--role", "boss",
                ],
                "admin or agent",
            ),
            (
                vec!["staff", "fire", "--email", "a@b.c"],
                "unknown staff command",
            ),
            (vec!["staff", "reset-password"], "--email is required"),
        ] {
            let error = parse(args(&list)).expect_err("invalid").to_string();
            assert!(error.contains(needle), "{error}");
        }
    }
}
