//! Settings: defaults, then environment variables, then command-line flags.
//! Every setting is documented once, here and in the README, and checked at
//! start-up so that a mistake stops the server with a sentence saying what to fix.

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

use shared::limits::AttachmentLimits;

pub mod inbound;
mod ops;
pub use ops::{LogFormat, Ops};

/// Everything the server needs to start.
#[derive(Clone)]
pub struct Config {
    /// `PASOKH_LISTEN` / `--listen`: address and port (default 127.0.0.1:8080;
    /// port 0 picks a free one and logs it).
    pub listen: SocketAddr,
    /// `PASOKH_DATA_DIR` / `--data-dir`: database and attachments (default ./pasokh-data).
    pub data_dir: PathBuf,
    /// `PASOKH_PUBLIC_URL` / `--public-url`: base of links in emails
    /// (default http://<the address actually listened on>).
    pub public_url: String,
    /// Whether `public_url` was set, rather than derived from `listen`.
    pub public_url_given: bool,
    /// `PASOKH_SMTP_URL` / `--smtp-url`: `smtp://host:port`, `smtp://host?tls=required`
    /// or `smtps://user:pass@host`. Unset: mail is logged instead of sent.
    pub smtp_url: Option<String>,
    /// `PASOKH_MAIL_FROM` / `--mail-from`: sender address (default "Pasokh <pasokh@localhost>").
    pub mail_from: String,
    /// `PASOKH_MAX_FILE_MB`, `PASOKH_MAX_FILES`, `PASOKH_MAX_TOTAL_MB`: attachment limits.
    pub attachments: AttachmentLimits,
    /// `PASOKH_TRUSTED_PROXIES`: comma-separated addresses of reverse proxies
    /// whose `X-Forwarded-For` names the client (default: none, the peer is
    /// the client).
    pub trusted_proxies: Vec<IpAddr>,
    /// How connections are accepted and how long a client may stall.
    pub connections: Connections,
    /// `PASOKH_LOG`: `error`, `warn`, `info` (default) or `debug`.
    pub log_level: String,
    /// `PASOKH_METRICS_LISTEN`, `PASOKH_LOG_FORMAT` (`config/ops.rs`).
    pub ops: Ops,
    /// `PASOKH_REPLY_LOCAL`, `PASOKH_REPLY_DOMAIN` (`config/inbound.rs`).
    pub inbound: inbound::Inbound,
}

/// Limits on connections, so that slow or idle clients cannot hold the
/// server's sockets and memory (see `server.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connections {
    /// `PASOKH_HEADER_TIMEOUT_SECS` (10): a request's headers must arrive
    /// within this; it is also how long an idle keep-alive connection stays.
    pub header_timeout_secs: u64,
    /// `PASOKH_BODY_TIMEOUT_SECS` (30): the longest wait for the next chunk
    /// of a request body (an upload on a slow phone still sends every few seconds).
    pub body_timeout_secs: u64,
    /// `PASOKH_WRITE_TIMEOUT_SECS` (60): a client that reads nothing of its
    /// response for this long is dropped.
    pub write_timeout_secs: u64,
    /// `PASOKH_MAX_CONNECTIONS` (1024): open connections in total; lowered at
    /// start-up to fit the process's open-file limit.
    pub max_total: u64,
    /// `PASOKH_MAX_CONNECTIONS_PER_IP` (64): open connections from one client
    /// address (IPv6: one /64); trusted proxies are not counted.
    pub max_per_ip: u64,
    /// `PASOKH_SHUTDOWN_TIMEOUT_SECS` (10): after SIGTERM, requests in flight
    /// get this long to finish before their connections are closed.
    pub shutdown_timeout_secs: u64,
}

impl Default for Connections {
    fn default() -> Connections {
        Connections {
            header_timeout_secs: 10,
            body_timeout_secs: 30,
            write_timeout_secs: 60,
            max_total: 1024,
            max_per_ip: 64,
            shutdown_timeout_secs: 10,
        }
    }
}

/// Secrets (the SMTP password) never reach the log.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("attachments", &self.attachments)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("connections", &self.connections)
            .field("log_level", &self.log_level)
            .field("ops", &self.ops)
            .finish()
    }
}

/// `smtps://user:secret@host` → `smtps://user:***@host`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

pub const USAGE: &str = "\
pasokh — a self-hosted support desk

USAGE: pasokh [--listen ADDR] [--data-dir DIR] [--public-url URL]
              [--smtp-url URL] [--mail-from ADDRESS]
       pasokh staff add --email EMAIL --name NAME --role admin|agent
       pasokh staff reset-password --email EMAIL
              (print a one-time link that sets the member's password)
       pasokh backup --to FILE.tar | restore --from FILE.tar | check

Every flag can also be set with its environment variable:
  --listen      PASOKH_LISTEN      address to serve on (127.0.0.1:8080)
  --data-dir    PASOKH_DATA_DIR    database and attachments (./pasokh-data)
  --public-url  PASOKH_PUBLIC_URL  base of links in emails (http://<listen>)
  --smtp-url    PASOKH_SMTP_URL    smtp://host:port, smtp://host?tls=required,
                                   smtps://user:pass@host (unset: mail is logged)
  --mail-from   PASOKH_MAIL_FROM   sender (Pasokh <pasokh@localhost>)
  PASOKH_MAX_FILE_MB (10), PASOKH_MAX_FILES (5), PASOKH_MAX_TOTAL_MB (25): attachment limits
  PASOKH_TRUSTED_PROXIES  reverse proxies whose X-Forwarded-For is believed,
                          comma-separated (none)
  PASOKH_HEADER_TIMEOUT_SECS (10)  headers must arrive within; idle keep-alive
  PASOKH_BODY_TIMEOUT_SECS (30)    longest wait for the next chunk of a body
  PASOKH_WRITE_TIMEOUT_SECS (60)   longest wait for a client to read its response
  PASOKH_MAX_CONNECTIONS (1024), PASOKH_MAX_CONNECTIONS_PER_IP (64)
  PASOKH_SHUTDOWN_TIMEOUT_SECS (10) requests in flight may finish after SIGTERM
  PASOKH_LOG    error | warn | info | debug (info); PASOKH_LOG_FORMAT text | json (text)
  PASOKH_METRICS_LISTEN  address for Prometheus' /metrics, e.g. 127.0.0.1:9090 (off)
";

/// What went wrong reading the configuration, with the fix in the message.
#[derive(Debug)]
pub enum ConfigError {
    Help,
    Invalid(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Help => f.write_str(USAGE),
            ConfigError::Invalid(message) => write!(f, "{message}\n\n{USAGE}"),
        }
    }
}

impl Config {
    /// Reads the process environment and arguments.
    pub fn from_env_and_args(args: Vec<String>) -> Result<Config, ConfigError> {
        Self::parse(|name| std::env::var(name).ok(), args)
    }

    /// `env` looks a variable up; `args` are the flags after the program name.
    pub fn parse(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Config, ConfigError> {
        let values = |flag: &str, var: &str| (flag.to_owned(), env(var));
        let mut settings = [
            values("--listen", "PASOKH_LISTEN"),
            values("--data-dir", "PASOKH_DATA_DIR"),
            values("--public-url", "PASOKH_PUBLIC_URL"),
            values("--smtp-url", "PASOKH_SMTP_URL"),
            values("--mail-from", "PASOKH_MAIL_FROM"),
        ];
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Err(ConfigError::Help);
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            let slot = settings
                .iter_mut()
                .find(|(name, _)| *name == flag)
                .ok_or_else(|| ConfigError::Invalid(format!("unknown argument {arg:?}")))?;
            let value = inline
                .or_else(|| args.next())
                .ok_or_else(|| ConfigError::Invalid(format!("{flag} needs a value")))?;
            slot.1 = Some(value);
        }
        let [listen, data_dir, public_url, smtp_url, mail_from] = settings.map(|(_, v)| v);

        let listen: SocketAddr = listen
            .as_deref()
            .unwrap_or("127.0.0.1:8080")
            .parse()
            .map_err(|_| {
                ConfigError::Invalid("PASOKH_LISTEN must be an address and port such as 127.0.0.1:8080 or 0.0.0.0:80".into())
            })?;
        let public_url_given = public_url.is_some();
        let public_url = public_url
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid(
                "PASOKH_PUBLIC_URL must start with http:// or https:// (it is the base of links in emails)".into(),
            ));
        }
        let smtp_url = smtp_url.filter(|s| !s.trim().is_empty());
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError::Invalid(format!(
                "PASOKH_SMTP_URL must start with smtp:// or smtps://, got {}",
                redact_url(url)
            )));
        }
        let mail_from = mail_from.unwrap_or_else(|| "Pasokh <pasokh@localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "PASOKH_MAIL_FROM must be an address such as \"Support <support@example.com>\", got {mail_from:?}"
            )));
        }

        let defaults = AttachmentLimits::default();
        let number = |var: &str, default: u64| -> Result<u64, ConfigError> {
            match env(var) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        ConfigError::Invalid(format!(
                            "{var} must be a whole number above 0, got {v:?}"
                        ))
                    }),
            }
        };
        const MB: u64 = 1024 * 1024;
        let attachments = AttachmentLimits {
            max_file_bytes: number("PASOKH_MAX_FILE_MB", defaults.max_file_bytes / MB)? * MB,
            max_files: usize::try_from(number("PASOKH_MAX_FILES", defaults.max_files as u64)?)
                .unwrap_or(defaults.max_files),
            max_total_bytes: number("PASOKH_MAX_TOTAL_MB", defaults.max_total_bytes / MB)? * MB,
        };
        let default_connections = Connections::default();
        let connections = Connections {
            header_timeout_secs: number(
                "PASOKH_HEADER_TIMEOUT_SECS",
                default_connections.header_timeout_secs,
            )?,
            body_timeout_secs: number(
                "PASOKH_BODY_TIMEOUT_SECS",
                default_connections.body_timeout_secs,
            )?,
            write_timeout_secs: number(
                "PASOKH_WRITE_TIMEOUT_SECS",
                default_connections.write_timeout_secs,
            )?,
            max_total: number("PASOKH_MAX_CONNECTIONS", default_connections.max_total)?,
            max_per_ip: number(
                "PASOKH_MAX_CONNECTIONS_PER_IP",
                default_connections.max_per_ip,
            )?,
            shutdown_timeout_secs: number(
                "PASOKH_SHUTDOWN_TIMEOUT_SECS",
                default_connections.shutdown_timeout_secs,
            )?,
        };
        let trusted_proxies = env("PASOKH_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>().map_err(|_| {
                    ConfigError::Invalid(format!(
                        "PASOKH_TRUSTED_PROXIES must list IP addresses separated by commas, got {s:?}"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let log_level = env("PASOKH_LOG").unwrap_or_else(|| "info".into());
        if !matches!(
            log_level.as_str(),
            "error" | "warn" | "info" | "debug" | "trace"
        ) {
            return Err(ConfigError::Invalid(format!(
                "PASOKH_LOG must be error, warn, info, debug or trace, got {log_level:?}"
            )));
        }

        Ok(Config {
            listen,
            data_dir: PathBuf::from(data_dir.unwrap_or_else(|| "pasokh-data".into())),
            public_url,
            public_url_given,
            smtp_url,
            attachments,
            trusted_proxies,
            connections,
            log_level,
            ops: ops::parse(&env)?,
            inbound: inbound::parse(&env, &mail_from)?,
            mail_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(env: &[(&str, &str)], args: &[&str]) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(
            move |name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            args.iter().map(|s| s.to_string()),
        )
    }

    #[test]
    fn defaults_need_no_configuration() {
        let config = parse(&[], &[]).expect("defaults");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("pasokh-data"));
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert!(config.smtp_url.is_none());
        assert_eq!(config.attachments, AttachmentLimits::default());
    }

    #[test]
    fn flags_override_the_environment() {
        let config = parse(
            &[("PASOKH_LISTEN", "0.0.0.0:80"), ("PASOKH_MAX_FILE_MB", "2")],
            &[
                "--listen",
                "127.0.0.1:9000",
                "--public-url=https://help.example.com/",
            ],
        )
        .expect("valid");
        assert_eq!(config.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(config.public_url, "https://help.example.com");
        assert_eq!(config.attachments.max_file_bytes, 2 * 1024 * 1024);
    }

    #[test]
    fn mistakes_say_what_to_fix() {
        for (env, args, needle) in [
            (
                vec![("PASOKH_LISTEN", "localhost")],
                vec![],
                "PASOKH_LISTEN",
            ),
            (
                vec![("PASOKH_SMTP_URL", "mail.example.com")],
                vec![],
                "smtp://",
            ),
            (
                vec![("PASOKH_MAX_FILES", "zero")],
                vec![],
                "PASOKH_MAX_FILES",
            ),
            (vec![], vec!["--bogus"], "unknown argument"),
            (vec![], vec!["--listen"], "needs a value"),
        ] {
            let error = parse(&env, &args).expect_err("invalid").to_string();
            assert!(error.contains(needle), "{error}");
        }
    }

    #[test]
    fn smtp_passwords_are_redacted() {
        let config = parse(
            &[("PASOKH_SMTP_URL", "smtps://me:hunter2@mail.example.com")],
            &[],
        )
        .expect("valid");
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("smtps://me:***@mail.example.com"), "{shown}");
    }
}
