//! Staff passwords: Argon2id with OWASP's parameters (19 MiB, 2 passes, one
//! lane), a length rule shared with the browser, and a list of common
//! passwords shipped in the binary. Verifying an unknown address runs the same
//! hash against a dummy, so a sign-in takes as long whether or not it exists.

use std::sync::OnceLock;

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use shared::{console::check_new_password, validate::Problem};

use crate::{
    error::{Error, Result},
    secrets,
};

/// Memory in KiB, passes, lanes: OWASP's first recommended Argon2id setting.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// Passwords of 10 characters or more that are among the most used.
const COMMON: &str = include_str!("../../data/common-passwords.txt");

fn hasher() -> Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|e| Error::internal(format!("Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Checks a new password against the rules: length (as the browser does),
/// not a common password, not the member's own email address.
pub fn check_new(password: &str, email: &str) -> Result<(), Problem> {
    check_new_password(password)?;
    let lowered = password.trim().to_lowercase();
    let common = COMMON
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line == lowered);
    if common || lowered == email.to_lowercase() {
        return Err(Problem::CommonPassword);
    }
    Ok(())
}

/// The PHC string to store for `password`.
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&secrets::random_bytes::<16>()?)
        .map_err(|e| Error::internal(format!("salt: {e}")))?;
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::internal(format!("hashing a password: {e}")))
}

/// Whether `password` matches `stored`. With no stored hash (no such member,
/// or no password set yet) a dummy hash is checked so the time is the same.
pub fn verify(password: &str, stored: Option<&str>) -> Result<bool> {
    let dummy = dummy_hash()?;
    let (phc, real) = match stored {
        Some(stored) => (stored, true),
        None => (dummy.as_str(), false),
    };
    let parsed = PasswordHash::new(phc)
        .map_err(|e| Error::internal(format!("stored password hash: {e}")))?;
    let matches = hasher()?
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    Ok(real && matches)
}

fn dummy_hash() -> Result<&'static String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(dummy) = DUMMY.get() {
        return Ok(dummy);
    }
    let made = hash("not a password anyone has")?;
    Ok(DUMMY.get_or_init(|| made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let stored = hash("correct horse battery").expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("correct horse battery", Some(&stored)).expect("verify"));
        assert!(!verify("wrong horse battery", Some(&stored)).expect("verify"));
        assert!(!verify("correct horse battery", None).expect("verify"));
    }

    #[test]
    fn common_and_short_passwords_are_refused() {
        assert_eq!(
            check_new("qwertyuiop", "a@example.com"),
            Err(Problem::CommonPassword)
        );
        assert_eq!(
            check_new("Password123", "a@example.com"),
            Err(Problem::CommonPassword)
        );
        assert_eq!(
            check_new("a@example.com", "A@example.com"),
            Err(Problem::CommonPassword)
        );
        assert!(matches!(
            check_new("short", "a@example.com"),
            Err(Problem::TooShort { .. })
        ));
        assert_eq!(check_new("plum orchard at noon", "a@example.com"), Ok(()));
    }
}
