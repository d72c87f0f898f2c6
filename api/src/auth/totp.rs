//! The optional second factor: RFC 6238 time-based codes (SHA-1, 6 digits,
//! 30-second steps — what every authenticator app speaks), one step of clock
//! drift either way, and no code accepted twice: the step of the last
//! accepted code is stored and only later steps pass. Recovery codes are
//! random, shown once, stored hashed and used once.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use totp_rs::{Algorithm, TOTP};

use crate::{
    error::{Error, Result},
    secrets,
};

const STEP_SECS: u64 = 30;
const DIGITS: usize = 6;
/// Recovery codes issued at enrolment.
pub const RECOVERY_CODES: usize = 10;

fn totp(secret: &[u8]) -> Result<TOTP> {
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS, secret.to_vec())
        .map_err(|e| Error::internal(format!("TOTP secret: {e}")))
}

/// A new 160-bit secret (RFC 4226's recommended length).
pub fn new_secret() -> Result<Vec<u8>> {
    Ok(secrets::random_bytes::<20>()?.to_vec())
}

/// The secret as people type it, and as a link for a QR code.
pub fn enrolment(secret: &[u8], email: &str) -> Result<(String, String)> {
    let base32 = totp(secret)?.get_secret_base32();
    let label: String = format!("Pasokh:{email}")
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b':' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    let uri = format!("otpauth://totp/{label}?secret={base32}&issuer=Pasokh&digits=6&period=30");
    Ok((base32, uri))
}

/// The time step a code belongs to, if it is valid now (± one step) and
/// later than `last_step`, the step of the last code accepted.
pub fn accept(secret: &[u8], code: &str, now: u64, last_step: Option<i64>) -> Result<Option<i64>> {
    let code: String = shared::digits::to_ascii_digits(code)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if code.len() != DIGITS {
        return Ok(None);
    }
    let totp = totp(secret)?;
    let current = now / STEP_SECS;
    for step in [current.saturating_sub(1), current, current + 1] {
        let step_i64 = i64::try_from(step).unwrap_or(i64::MAX);
        if last_step.is_some_and(|last| step_i64 <= last) {
            continue;
        }
        if totp.generate(step * STEP_SECS) == code {
            return Ok(Some(step_i64));
        }
    }
    Ok(None)
}

/// New recovery codes: 10 random characters each, grouped for reading.
pub fn recovery_codes() -> Result<Vec<String>> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw = URL_SAFE_NO_PAD
                .encode(secrets::random_bytes::<8>()?)
                .to_lowercase()
                .replace(['-', '_'], "x");
            Ok(format!("{}-{}", &raw[..5], &raw[5..10]))
        })
        .collect()
}

/// What is stored for a recovery code: spaces, dashes and case do not matter.
pub fn recovery_hash(code: &str) -> Vec<u8> {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    secrets::hash(&normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 secret "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        // 8-digit vector 94287082 at T=59 ends in the 6 digits 287082.
        assert_eq!(
            accept(RFC_SECRET, "287082", 59, None).expect("check"),
            Some(1)
        );
        // 1111111109 → 07081804 → 081804.
        assert_eq!(
            accept(RFC_SECRET, "081804", 1_111_111_109, None).expect("check"),
            Some(37_037_036)
        );
    }

    #[test]
    fn a_code_is_not_accepted_twice_nor_far_from_its_time() {
        let step = accept(RFC_SECRET, "287082", 59, None).expect("check");
        assert_eq!(accept(RFC_SECRET, "287082", 60, step).expect("check"), None);
        assert_eq!(
            accept(RFC_SECRET, "287082", 59 + 300, None).expect("check"),
            None
        );
        assert_eq!(
            accept(RFC_SECRET, "۲۸۷۰۸۲", 59, None).expect("check"),
            Some(1)
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_forgiving_to_type() {
        let codes = recovery_codes().expect("codes");
        assert_eq!(codes.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(
            recovery_hash(code),
            recovery_hash(&code.to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(&codes[0]), recovery_hash(&codes[1]));
    }
}
