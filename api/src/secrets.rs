//! Random tokens and their hashes. Tokens that grant access (emailed links,
//! guest sessions, resend keys, upload ids) are 256 bits from the OS CSPRNG;
//! only their SHA-256 is stored, so a copy of the database opens no ticket.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Bytes from the OS generator. If it fails (no entropy source in a broken
/// container, say), the request fails with a 500: nothing weaker may stand in
/// for a secret.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| {
        Error::internal(format!(
            "the operating system's random generator failed: {error}"
        ))
    })?;
    Ok(bytes)
}

/// A new secret token: 32 random bytes, URL-safe base64 (43 characters).
pub fn token() -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// What the database stores for a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A short id for correlating an error response with its log line. It is
/// made while answering with an error, so it cannot fail: it is no secret,
/// and if the OS generator is what failed, the clock tells errors apart.
pub fn short_id() -> String {
    match random_bytes::<6>() {
        Ok(bytes) => URL_SAFE_NO_PAD.encode(bytes),
        Err(_) => {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|since| since.as_nanos())
                .unwrap_or_default();
            format!("t{nanos:x}")
        }
    }
}

/// A random ticket reference, `12345-67890`. References are not secrets (the
/// access cookie is), but they are random so they reveal nothing about
/// volume and cannot be enumerated in order.
pub fn reference() -> Result<String> {
    let bytes = random_bytes::<8>()?;
    let number = u64::from_le_bytes(bytes) % 10_000_000_000;
    let digits = format!("{number:010}");
    Ok(format!("{}-{}", &digits[..5], &digits[5..]))
}

/// A random name for a stored file: 128 bits, hex, safe on every file system.
pub fn file_name() -> Result<String> {
    Ok(random_bytes::<16>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_url_safe() {
        let token = || token().expect("random");
        let a = token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, token());
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&token()));
    }

    #[test]
    fn references_parse_as_references() {
        for _ in 0..100 {
            let r = reference().expect("random");
            assert_eq!(
                shared::validate::Reference::parse(&r).map(|p| p.as_str().to_owned()),
                Ok(r)
            );
        }
    }
}
