//! Settings of replies by email (read from the environment only, like the
//! other operational settings): the address every ticket mail names in
//! `Reply-To`, `<local>+<reference>.<signature>@<domain>`.

use super::ConfigError;

/// `PASOKH_REPLY_LOCAL` and `PASOKH_REPLY_DOMAIN`; by default the local part
/// and domain of `PASOKH_MAIL_FROM`, so `support@example.com` gets replies
/// at `support+…@example.com` — the `+address` most MTAs deliver to
/// `support` without more configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    pub reply_local: String,
    pub reply_domain: String,
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
}
