//! Recipient addresses as the server sends to them, counts them and logs them.
//!
//! `shared::validate::Email` is the rule the browser runs too; this adds what
//! needs Unicode tables the wasm bundle should not carry: the domain in its
//! ASCII form (IDNA/UTS #46, punycode), so no mail server needs SMTPUTF8 for
//! it, and the mailbox that rate limits count.

use shared::validate::{Email, Problem};

/// An address we will send to: the local part as typed (ASCII, checked by
/// `Email`) at the ASCII form of the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    address: String,
}

impl Recipient {
    /// Parses what a customer typed, with the same rule the browser ran, then
    /// writes the domain as mail servers take it.
    pub fn parse(input: &str) -> Result<Recipient, Problem> {
        let email = Email::parse(input)?;
        let domain = ascii_domain(email.domain()).ok_or(Problem::Undeliverable)?;
        Ok(Recipient {
            address: format!("{}@{domain}", email.local_part()),
        })
    }

    /// What is stored with the ticket and written into `To:`.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The key of the per-address rate limits: one person's mailbox however
    /// the address is dressed up. The local part is ASCII (so NFKC leaves
    /// it alone) and is lower-cased with its `+tag` dropped — nearly every
    /// provider delivers `Bob+anything@` to `bob@`; the domain is the IDNA
    /// form, which is already case-folded and NFKC-mapped.
    pub fn mailbox(&self) -> String {
        mailbox_of(&self.address)
    }

    /// The key of the per-domain rate limit.
    pub fn domain(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map_or("", |(_, domain)| domain)
    }
}

/// The mailbox key of an address already stored (see `Recipient::mailbox`).
/// Addresses stored before domains were converted are converted here too.
pub fn mailbox_of(address: &str) -> String {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let local = local.split_once('+').map_or(local, |(mailbox, _)| mailbox);
    let domain = ascii_domain(domain).unwrap_or_else(|| domain.to_lowercase());
    format!("{}@{domain}", local.to_lowercase())
}

/// The address to hand to the SMTP server: the domain in ASCII. The local
/// part is left as stored: if it is not ASCII (stored before the rule), the
/// server's SMTPUTF8 refusal is recorded as final by the worker.
pub fn for_smtp(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => match ascii_domain(domain) {
            Some(domain) => format!("{local}@{domain}"),
            None => address.to_owned(),
        },
        None => address.to_owned(),
    }
}

/// `a***@example.com`: enough in a log to tell mail apart and see which
/// provider refused it, without keeping customers' addresses in log files.
pub fn masked(address: &str) -> String {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let first: String = local.chars().take(1).collect();
    format!("{first}***@{domain}")
}

/// UTS #46 to ASCII, strict (STD3 letters, digits and hyphens only; DNS
/// lengths checked); `None` when the domain has no valid ASCII form.
fn ascii_domain(domain: &str) -> Option<String> {
    idna::domain_to_ascii_strict(domain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_written_in_ascii_and_local_parts_kept() {
        for (input, sent_to) in [
            ("Bob@Example.COM", "Bob@example.com"),
            ("bob@Bücher.example", "bob@xn--bcher-kva.example"),
            ("ali@مثال.ایران", "ali@xn--mgbh0fb.xn--mgba3a4f16a"),
            ("ali۱۲۳@gmail.com", "ali123@gmail.com"),
            ("ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com"),
            // Already ASCII-encoded: kept as is.
            ("bob@xn--bcher-kva.example", "bob@xn--bcher-kva.example"),
        ] {
            assert_eq!(
                Recipient::parse(input).map(|r| r.address),
                Ok(sent_to.to_owned()),
                "{input:?}"
            );
        }
        // A label that is not valid punycode cannot be sent to.
        assert_eq!(
            Recipient::parse("bob@xn--zz.example"),
            Err(Problem::Undeliverable)
        );
    }

    #[test]
    fn one_mailbox_however_it_is_dressed() {
        let key = |input: &str| Recipient::parse(input).map(|r| r.mailbox());
        let bob = Ok("bob@example.com".to_owned());
        for input in [
            "bob@example.com",
            "BOB@Example.com",
            "bob+Claim.USD.1000@example.com",
            "Bob+x+y@EXAMPLE.COM",
            "ｂｏｂ＋ｔａｇ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        ] {
            assert_eq!(key(input), bob, "{input:?}");
        }
        assert_eq!(
            key("bob@Bücher.example"),
            Ok("bob@xn--bcher-kva.example".to_owned())
        );
        assert_eq!(
            mailbox_of("Bob+x@Bücher.example"),
            "bob@xn--bcher-kva.example"
        );
    }

    #[test]
    fn logs_see_a_masked_address() {
        assert_eq!(masked("alice@example.com"), "a***@example.com");
        assert_eq!(masked("a@example.com"), "a***@example.com");
        assert_eq!(masked("nobody"), "n***@");
    }
}
