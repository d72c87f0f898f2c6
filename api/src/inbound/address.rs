//! The reply address of a ticket, `<local>+<reference>.<signature>@<domain>`:
//! it names the ticket, and the signature (an HMAC of the reference under a
//! key only the desk holds) makes it impossible to guess or forge one for a
//! ticket whose mail one has not received. A ticket's mail to a staff member
//! names `<local>+<reference>.<signature>.<staff signature>@<domain>`, the
//! second signature over the member's address: only that member's mail
//! carries it, so it tells their reply from a forged `From` (`agent`).

use hmac::{Hmac, Mac, digest::KeyInit};
use sha2::{Digest, Sha256};

use crate::{config::inbound::Inbound, mail::address::mailbox_of};

/// Signature bytes kept in the address: 80 bits, 20 hex digits. Guessing
/// one takes 2^79 tries on average against a rate-limited ingest.
const SIGNATURE_BYTES: usize = 10;

/// What the MAC of each kind of signature starts with.
const TICKET: &[u8] = b"pasokh reply address\0";
const STAFF: &[u8] = b"pasokh staff reply address\0";

/// A reply address read back, its ticket signature checked.
#[derive(Debug, PartialEq, Eq)]
pub struct Signed {
    pub reference: String,
    /// The staff signature, as it came (checked against a sender by
    /// `ReplyAddress::is_staff_reply`).
    staff: Option<String>,
}

/// What signs and reads reply addresses.
#[derive(Clone)]
pub struct ReplyAddress {
    local: String,
    domain: String,
    key: Vec<u8>,
}

impl ReplyAddress {
    pub fn new(settings: &Inbound, key: Vec<u8>) -> ReplyAddress {
        ReplyAddress {
            local: settings.reply_local.clone(),
            domain: settings.reply_domain.clone(),
            key,
        }
    }

    /// The domain our Message-IDs and reply addresses carry.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The desk's own addresses, where mail may open a ticket
    /// (`new_ticket`): `Some(None)` for `<local>@<domain>`,
    /// `Some(Some(slug))` for `<local>+<slug>@<domain>` (lower-cased, as
    /// departments keep slugs); `None` for any other address. A reply
    /// address's tag always has a dot (`<reference>.<signature>`), which a
    /// slug never has.
    pub fn desk(&self, address: &str) -> Option<Option<String>> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        if !domain.eq_ignore_ascii_case(&self.domain) {
            return None;
        }
        if local.eq_ignore_ascii_case(&self.local) {
            return Some(None);
        }
        let (head, tag) = local.split_once('+')?;
        (head.eq_ignore_ascii_case(&self.local)
            && !tag.is_empty()
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| Some(tag.to_ascii_lowercase()))
    }

    /// A department's own address, `<local>+<slug>@<domain>` (`desk`
    /// reads it back).
    pub fn for_department(settings: &Inbound, slug: &str) -> String {
        format!("{}+{slug}@{}", settings.reply_local, settings.reply_domain)
    }

    /// The address a ticket's mail names in `Reply-To`. Hex in lower case:
    /// some MTAs fold the case of local parts.
    pub fn for_ticket(&self, reference: &str) -> String {
        format!("{}+{}@{}", self.local, self.tag(reference), self.domain)
    }

    /// The address a ticket's mail to the staff member at `staff` names.
    pub fn for_staff(&self, reference: &str, staff: &str) -> String {
        let signature = hex(self.mac(STAFF, &[reference, &mailbox_of(staff)]));
        format!(
            "{}+{}.{signature}@{}",
            self.local,
            self.tag(reference),
            self.domain
        )
    }

    /// Whether `signed` is the address of the mail sent to `sender`.
    pub fn is_staff_reply(&self, signed: &Signed, sender: &str) -> bool {
        let mac = self.mac(STAFF, &[&signed.reference, &mailbox_of(sender)]);
        // verify_truncated_left compares in constant time.
        signed
            .staff
            .as_deref()
            .and_then(unhex)
            .is_some_and(|bytes| mac.verify_truncated_left(&bytes).is_ok())
    }

    /// What an address says about a ticket: `None` when it is not one of our
    /// reply addresses at all, `Some(Err(()))` when it looks like one but
    /// its signature is wrong (forged or mangled), `Some(Ok(signed))`.
    pub fn read(&self, address: &str) -> Option<Result<Signed, ()>> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        let tag = local
            .get(..self.local.len() + 1)
            .filter(|head| head.eq_ignore_ascii_case(&format!("{}+", self.local)))
            .map(|_| &local[self.local.len() + 1..])?;
        if !domain.eq_ignore_ascii_case(&self.domain) {
            return None;
        }
        // A reference has no dot: reference, signature, staff signature.
        let mut parts = tag.split('.');
        let (reference, signature) = (parts.next()?, parts.next().unwrap_or_default());
        let staff = parts.next().map(str::to_owned);
        let valid = parts.next().is_none()
            && unhex(signature).is_some_and(|bytes| {
                self.mac(TICKET, &[reference])
                    .verify_truncated_left(&bytes)
                    .is_ok()
            });
        Some(if valid {
            Ok(Signed {
                reference: reference.to_owned(),
                staff,
            })
        } else {
            Err(())
        })
    }

    /// `<reference>.<signature>`.
    fn tag(&self, reference: &str) -> String {
        format!("{reference}.{}", hex(self.mac(TICKET, &[reference])))
    }

    /// The MAC of `parts`, NUL-separated, after `purpose`.
    fn mac(&self, purpose: &[u8], parts: &[&str]) -> Hmac<Sha256> {
        // HMAC pads a key shorter than SHA-256's 64-byte block with zeros;
        // doing it here gives the key its fixed size, so making the MAC
        // cannot fail (the key is 32 bytes; a longer one is hashed first,
        // as HMAC itself does).
        let mut block = [0u8; 64];
        if self.key.len() <= block.len() {
            block[..self.key.len()].copy_from_slice(&self.key);
        } else {
            block[..32].copy_from_slice(&Sha256::digest(&self.key));
        }
        let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
        mac.update(purpose);
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                mac.update(b"\0");
            }
            mac.update(part.as_bytes());
        }
        mac
    }
}

/// The first `SIGNATURE_BYTES` of a MAC in lower-case hex.
fn hex(mac: Hmac<Sha256>) -> String {
    mac.finalize().into_bytes()[..SIGNATURE_BYTES]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A signature's bytes, `None` unless it is `SIGNATURE_BYTES` in hex.
fn unhex(signature: &str) -> Option<Vec<u8>> {
    (signature.len() == 2 * SIGNATURE_BYTES)
        .then(|| {
            (0..SIGNATURE_BYTES)
                .map(|i| u8::from_str_radix(signature.get(2 * i..2 * i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replies(key: &[u8]) -> ReplyAddress {
        let settings = Inbound {
            reply_local: "support".into(),
            reply_domain: "example.com".into(),
            imap: None,
        };
        ReplyAddress::new(&settings, key.to_vec())
    }

    #[test]
    fn signed_addresses_read_back_and_forgeries_do_not() {
        let desk = replies(b"k1");
        let address = desk.for_ticket("12345-67890");
        assert!(address.starts_with("support+12345-67890."), "{address}");
        let reference = |address: &str| desk.read(address).map(|r| r.map(|s| s.reference));
        assert_eq!(reference(&address), Some(Ok("12345-67890".into())));
        assert_eq!(
            reference(&address.to_uppercase()),
            Some(Ok("12345-67890".into()))
        );
        // Another reference with the same signature, another key, no signature.
        let moved = address.replace("12345-67890", "12345-67891");
        assert_eq!(reference(&moved), Some(Err(())));
        assert_eq!(replies(b"k2").read(&address), Some(Err(())));
        assert_eq!(reference("support+12345-67890@example.com"), Some(Err(())));
        // Not a reply address at all.
        assert_eq!(reference("support@example.com"), None);
        assert_eq!(reference("bob+12345-67890.00@example.com"), None);
        assert_eq!(
            reference(&address.replace("example.com", "example.org")),
            None
        );
    }

    #[test]
    fn a_staff_address_is_the_tickets_and_names_its_member_only() {
        let desk = replies(b"k1");
        let tina = desk.for_staff("12345-67890", "tina@desk.test");
        let signed = desk.read(&tina).and_then(Result::ok).expect("the ticket's");
        assert_eq!(signed.reference, "12345-67890");
        assert!(desk.is_staff_reply(&signed, "TINA@desk.test"));
        assert!(!desk.is_staff_reply(&signed, "fred@desk.test"));
        // The customer's own address names no member.
        let customer = desk
            .read(&desk.for_ticket("12345-67890"))
            .and_then(Result::ok);
        assert!(!desk.is_staff_reply(&customer.expect("valid"), "tina@desk.test"));
        // Another ticket's staff signature, or a fourth part, is refused.
        let last = |address: &str| {
            let local = address.split('@').next().unwrap_or_default();
            local.rsplit_once('.').map(|(_, s)| s.to_owned())
        };
        let other = desk.for_staff("12345-67891", "tina@desk.test");
        let moved = tina.replacen(
            &last(&tina).expect("a tag"),
            &last(&other).expect("a tag"),
            1,
        );
        let moved = desk
            .read(&moved)
            .and_then(Result::ok)
            .expect("ticket part intact");
        assert!(!desk.is_staff_reply(&moved, "tina@desk.test"));
        assert_eq!(desk.read(&tina.replace("@", ".00@")), Some(Err(())));
    }

    #[test]
    fn the_desk_address_and_its_department_addresses() {
        let desk = replies(b"k1");
        assert_eq!(desk.desk("Support@Example.com"), Some(None));
        assert_eq!(
            desk.desk("support+Billing@example.com"),
            Some(Some("billing".into()))
        );
        assert_eq!(desk.desk(&desk.for_ticket("12345-67890")), None);
        let settings = Inbound {
            reply_local: "support".into(),
            reply_domain: "example.com".into(),
            imap: None,
        };
        let billing = ReplyAddress::for_department(&settings, "billing");
        assert_eq!(desk.desk(&billing), Some(Some("billing".into())));
        assert_eq!(desk.desk("support@example.org"), None);
        assert_eq!(desk.desk("sales@example.com"), None);
        assert_eq!(desk.desk("support+@example.com"), None);
    }
}
