//! Settings of replies by email (read from the environment only, like the
//! other operational settings): the address every ticket mail names in
//! `Reply-To`, `<local>+<reference>.<signature>@<domain>`, and the mailbox
//! the IMAP poller reads (`PASOKH_IMAP_URL`).

use std::{fmt, net::IpAddr, path::PathBuf};

use super::{ConfigError, redact_url};

/// `PASOKH_REPLY_LOCAL` and `PASOKH_REPLY_DOMAIN`; by default the local part
/// and domain of `PASOKH_MAIL_FROM`, so `support@example.com` gets replies
/// at `support+…@example.com` — the `+address` most MTAs deliver to
/// `support` without more configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    pub reply_local: String,
    pub reply_domain: String,
    /// `PASOKH_IMAP_URL` and its companions; `None` when unset (no poller).
    pub imap: Option<Imap>,
}

/// How the poller's connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `imaps://`: TLS from the first byte (port 993).
    Tls,
    /// `imap://` to another machine: STARTTLS, required (port 143); a server
    /// that does not offer it gets no password.
    StartTls,
    /// `imap://` to a loopback address: plain text, which never leaves
    /// the machine (a local Dovecot needs no certificate).
    Plain,
}

/// The mailbox the IMAP poller reads, from `PASOKH_IMAP_URL` such as
/// `imaps://user:password@mail.example.com:993/INBOX` (user, password and
/// folder percent-decoded; the folder defaults to `INBOX`).
#[derive(Clone, PartialEq, Eq)]
pub struct Imap {
    pub security: Security,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub folder: String,
    /// `PASOKH_IMAP_PROCESSED`: a folder processed mail is moved to (made if
    /// missing). Unset: it stays where it is, flagged `\Seen`.
    pub processed: Option<String>,
    /// `PASOKH_IMAP_CA_FILE`: PEM certificates trusted besides the usual
    /// public roots (a server with a certificate of a private CA).
    pub ca_file: Option<PathBuf>,
}

impl Imap {
    /// Names the mailbox in the database, password left out: another URL is
    /// another mailbox, read from its start.
    pub fn key(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.folder)
    }
}

/// The password never reaches the log.
impl fmt::Debug for Imap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Imap")
            .field("security", &self.security)
            .field("mailbox", &self.key())
            .field("processed", &self.processed)
            .field("ca_file", &self.ca_file)
            .finish_non_exhaustive()
    }
}

pub fn parse(
    env: &impl Fn(&str) -> Option<String>,
    mail_from: &str,
) -> Result<Inbound, ConfigError> {
    let from = mail_from.parse::<lettre::message::Mailbox>().map_err(|_| {
        ConfigError::Invalid(format!("PASOKH_MAIL_FROM is not an address: {mail_from:?}"))
    })?;
    let set = |var: &str| {
        env(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let reply_local = set("PASOKH_REPLY_LOCAL").unwrap_or_else(|| from.email.user().to_owned());
    let reply_domain = set("PASOKH_REPLY_DOMAIN")
        .unwrap_or_else(|| from.email.domain().to_owned())
        .to_ascii_lowercase();
    // The local part is matched as typed and must stay a plain atom: a `+`
    // in it would make the reference ambiguous.
    if reply_local.is_empty()
        || !reply_local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(ConfigError::Invalid(format!(
            "PASOKH_REPLY_LOCAL must be letters, digits, '-', '_' or '.', such as support, got {reply_local:?}"
        )));
    }
    if !reply_domain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))
    {
        return Err(ConfigError::Invalid(format!(
            "PASOKH_REPLY_DOMAIN must be a domain in ASCII such as example.com, got {reply_domain:?}"
        )));
    }
    Ok(Inbound {
        reply_local,
        reply_domain,
        imap: set("PASOKH_IMAP_URL")
            .map(|url| {
                imap(
                    &url,
                    set("PASOKH_IMAP_PROCESSED"),
                    set("PASOKH_IMAP_CA_FILE"),
                )
            })
            .transpose()?,
    })
}

fn imap(
    given: &str,
    processed: Option<String>,
    ca_file: Option<String>,
) -> Result<Imap, ConfigError> {
    let wrong = |what: &str| {
        ConfigError::Invalid(format!(
            "PASOKH_IMAP_URL {what}, such as imaps://user:password@mail.example.com/INBOX; got {}",
            redact_url(given)
        ))
    };
    let url = url::Url::parse(given).map_err(|_| wrong("is not a URL"))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| wrong("names no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let loopback = host == "localhost"
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback());
    let security = match url.scheme() {
        "imaps" => Security::Tls,
        "imap" if loopback => Security::Plain,
        "imap" => Security::StartTls,
        _ => {
            return Err(wrong(
                "must start with imaps:// (TLS) or imap:// (STARTTLS)",
            ));
        }
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
    };
    let user = decode(url.username()).map_err(|_| wrong("has a user name that is not UTF-8"))?;
    let password = decode(url.password().unwrap_or_default())
        .map_err(|_| wrong("has a password that is not UTF-8"))?;
    if user.is_empty() || password.is_empty() {
        return Err(wrong("needs a user and a password"));
    }
    let folder = decode(url.path().trim_start_matches('/'))
        .map_err(|_| wrong("has a folder name that is not UTF-8"))?;
    let folder = if folder.is_empty() {
        "INBOX".to_owned()
    } else {
        folder
    };
    let port = url.port().unwrap_or(match security {
        Security::Tls => 993,
        Security::StartTls | Security::Plain => 143,
    });
    if url.query().is_some() || url.fragment().is_some() {
        return Err(wrong("takes no ?options or #fragment"));
    }
    for (var, name) in [
        ("PASOKH_IMAP_URL", Some(&folder)),
        ("PASOKH_IMAP_PROCESSED", processed.as_ref()),
    ] {
        // Folder names go out as IMAP quoted strings; others would need
        // modified UTF-7, which we do not write.
        if let Some(name) = name
            && !name.chars().all(|c| c.is_ascii_graphic() || c == ' ')
        {
            return Err(ConfigError::Invalid(format!(
                "{var}: the folder name must be printable ASCII (such as INBOX or Processed), got {name:?}"
            )));
        }
    }
    if processed.as_ref() == Some(&folder) {
        return Err(ConfigError::Invalid(
            "PASOKH_IMAP_PROCESSED must be another folder than the one PASOKH_IMAP_URL reads"
                .into(),
        ));
    }
    Ok(Imap {
        security,
        host,
        port,
        user,
        password,
        folder,
        processed,
        ca_file: ca_file.map(PathBuf::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_address_follows_the_sender_unless_set() {
        let none = |_: &str| None;
        let got = parse(&none, "Help <Support@Example.COM>").expect("valid");
        assert_eq!(got.reply_local, "Support");
        assert_eq!(got.reply_domain, "example.com");
        let set = |var: &str| match var {
            "PASOKH_REPLY_LOCAL" => Some("replies".to_owned()),
            "PASOKH_REPLY_DOMAIN" => Some("in.example.org".to_owned()),
            _ => None,
        };
        let got = parse(&set, "support@example.com").expect("valid");
        assert_eq!(
            (got.reply_local.as_str(), got.reply_domain.as_str()),
            ("replies", "in.example.org")
        );
        let plus = |var: &str| (var == "PASOKH_REPLY_LOCAL").then(|| "a+b".to_owned());
        assert!(parse(&plus, "support@example.com").is_err());
    }

    fn imap_from(url: &str, processed: Option<&str>) -> Result<Option<Imap>, String> {
        let env = |var: &str| match var {
            "PASOKH_IMAP_URL" => Some(url.to_owned()),
            "PASOKH_IMAP_PROCESSED" => processed.map(str::to_owned),
            _ => None,
        };
        parse(&env, "support@example.com")
            .map(|inbound| inbound.imap)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn imap_url_gives_security_port_credentials_and_folder() {
        let got = imap_from(
            "imaps://desk%40example.com:p%40ss%3Aw%2Fd@Mail.Example.com/Support%20In",
            None,
        )
        .expect("valid")
        .expect("set");
        assert_eq!(got.security, Security::Tls);
        assert_eq!((got.host.as_str(), got.port), ("mail.example.com", 993));
        assert_eq!(
            (got.user.as_str(), got.password.as_str()),
            ("desk@example.com", "p@ss:w/d")
        );
        assert_eq!(got.folder, "Support In");
        assert_eq!(
            got.key(),
            "desk@example.com@mail.example.com:993/Support In"
        );
        let shown = format!("{got:?}");
        assert!(!shown.contains("p@ss"), "{shown}");

        let starttls = imap_from("imap://u:p@mail.example.com", Some("Done"))
            .expect("valid")
            .expect("set");
        assert_eq!(
            (starttls.security, starttls.port),
            (Security::StartTls, 143)
        );
        assert_eq!(
            (starttls.folder.as_str(), starttls.processed.as_deref()),
            ("INBOX", Some("Done"))
        );
        for local in [
            "imap://u:p@127.0.0.1:1143/",
            "imap://u:p@localhost",
            "imap://u:p@[::1]:1143",
            "imap://u:p@[::ffff:127.0.0.1]",
        ] {
            let got = imap_from(local, None).expect("valid").expect("set");
            assert_eq!(got.security, Security::Plain, "{local}");
        }
        assert_eq!(imap_from("", None), Ok(None));
    }

    #[test]
    fn imap_mistakes_name_the_variable_and_hide_the_password() {
        for (url, processed, needle) in [
            (
                "pop3://u:secret@mail.example.com",
                None,
                "must start with imaps://",
            ),
            (
                "https://u:secret@mail.example.com",
                None,
                "must start with imaps://",
            ),
            ("mail.example.com", None, "is not a URL"),
            ("imaps://u:secret@/INBOX", None, "is not a URL"),
            ("imaps:///INBOX", None, "names no host"),
            (
                "imaps://mail.example.com/INBOX",
                None,
                "needs a user and a password",
            ),
            (
                "imaps://u@mail.example.com/INBOX",
                None,
                "needs a user and a password",
            ),
            (
                "imaps://u:secret@mail.example.com/INBOX?tls=no",
                None,
                "no ?options",
            ),
            (
                "imaps://u:secret@mail.example.com/Re%C3%A7us",
                None,
                "printable ASCII",
            ),
            (
                "imaps://u:secret@mail.example.com/INBOX",
                Some("INBOX"),
                "another folder",
            ),
        ] {
            let error = imap_from(url, processed).expect_err(url);
            let variable = if needle == "another folder" {
                "PASOKH_IMAP_PROCESSED"
            } else {
                "PASOKH_IMAP_URL"
            };
            assert!(
                error.contains(variable) && error.contains(needle),
                "{url}: {error}"
            );
            assert!(!error.contains("secret"), "{url}: {error}");
        }
    }
}
