//! The session cookies: one layer, two realms. Staff and customers have a
//! cookie each (a member of staff who is also a customer can be signed in
//! as both), the same token scheme (256 bits, only the SHA-256 kept) and the
//! same table, with lifetimes of their own.
//!
//! Both are `HttpOnly`, and on https `Secure` with the `__Host-` prefix,
//! which pins the cookie to this host and path. The staff cookie is
//! `SameSite=Strict` (a link from elsewhere never carries it); the
//! customer's is `Lax`, so a customer following an emailed link to their
//! ticket arrives signed in — every state change still needs the CSRF
//! header, which a cross-site page cannot send.

use axum::http::{HeaderMap, HeaderValue};

use crate::routes::access::cookie;

/// Whose session it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Realm {
    Staff,
    Customer,
}

/// When a session ends without a sign-out: after `idle` seconds without a
/// request or `absolute` seconds after sign-in, whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    pub idle: i64,
    pub absolute: i64,
}

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// `last_seen_at` is written at most this often (a write per request would
/// make every read a write).
pub const TOUCH_EVERY_SECS: i64 = 60;

impl Realm {
    pub fn as_str(self) -> &'static str {
        match self {
            Realm::Staff => "staff",
            Realm::Customer => "customer",
        }
    }

    /// Staff: a working day idle, a week at most, whether or not the browser
    /// stays open. Customers: half a day idle and a day at most in a cookie
    /// that ends with the browser; with "stay signed in", 30 days idle and
    /// 90 at most.
    pub fn lifetime(self, remember: bool) -> Lifetime {
        match (self, remember) {
            (Realm::Staff, _) => Lifetime {
                idle: 8 * HOUR,
                absolute: 7 * DAY,
            },
            (Realm::Customer, false) => Lifetime {
                idle: 12 * HOUR,
                absolute: DAY,
            },
            (Realm::Customer, true) => Lifetime {
                idle: 30 * DAY,
                absolute: 90 * DAY,
            },
        }
    }

    /// The longest any session of any realm may sit idle: older rows are purged.
    pub const LONGEST_IDLE: i64 = 30 * DAY;

    fn cookie_name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (Realm::Staff, false) => "pasokh_staff",
            (Realm::Staff, true) => "__Host-pasokh_staff",
            (Realm::Customer, false) => "pasokh_account",
            (Realm::Customer, true) => "__Host-pasokh_account",
        }
    }

    fn same_site(self) -> &'static str {
        match self {
            Realm::Staff => "Strict",
            Realm::Customer => "Lax",
        }
    }

    /// Staff cookies always persist (their lifetime is the server's); a
    /// customer's only with "stay signed in".
    fn persists(self, remember: bool) -> bool {
        self == Realm::Staff || remember
    }
}

/// The session token the request carries for `realm`, if any.
pub fn token(headers: &HeaderMap, realm: Realm, secure: bool) -> Option<String> {
    cookie(headers, realm.cookie_name(secure))
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(realm: Realm, token: &str, secure: bool, remember: bool) -> HeaderValue {
    let max_age = if realm.persists(remember) {
        format!("; Max-Age={}", realm.lifetime(remember).absolute)
    } else {
        String::new()
    };
    build(realm, token, secure, &max_age)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(realm: Realm, secure: bool) -> HeaderValue {
    build(realm, "", secure, "; Max-Age=0")
}

fn build(realm: Realm, token: &str, secure: bool, max_age: &str) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    let value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite={}{max_age}{flags}",
        realm.cookie_name(secure),
        realm.same_site(),
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_cookie_is_lax_and_ends_with_the_browser_unless_remembered() {
        let plain = set_cookie(Realm::Customer, "t", false, false);
        let plain = plain.to_str().unwrap();
        assert!(plain.starts_with("pasokh_account=t;"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Max-Age") && !plain.contains("Secure"));
        let kept = set_cookie(Realm::Customer, "t", true, true);
        let kept = kept.to_str().unwrap();
        assert!(kept.starts_with("__Host-pasokh_account=t;"));
        assert!(kept.contains("Max-Age=7776000") && kept.contains("; Secure"));
    }

    #[test]
    fn staff_cookie_is_strict_and_lasts_a_week() {
        let value = set_cookie(Realm::Staff, "t", false, false);
        let value = value.to_str().unwrap();
        assert!(value.starts_with("pasokh_staff=t;"));
        assert!(value.contains("SameSite=Strict") && value.contains("Max-Age=604800"));
    }
}
