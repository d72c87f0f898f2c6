//! The staff session cookie. `SameSite=Strict` (a link from elsewhere never
//! carries it), `HttpOnly`, and on https `Secure` with the `__Host-` prefix,
//! which pins it to this host and path. A session ends after `IDLE_SECS`
//! without a request or `LIFETIME_SECS` after sign-in, whichever comes first.

use axum::http::{HeaderMap, HeaderValue};

use crate::routes::access::cookie;

/// A working day without a request signs a member out.
pub const IDLE_SECS: i64 = 8 * 3600;
/// A session never outlives a week, however busy.
pub const LIFETIME_SECS: i64 = 7 * 24 * 3600;
/// `last_seen_at` is written at most this often (a write per request would
/// make every read a write).
pub const TOUCH_EVERY_SECS: i64 = 60;

const PLAIN_NAME: &str = "pasokh_staff";
const HOST_NAME: &str = "__Host-pasokh_staff";

fn name(secure: bool) -> &'static str {
    if secure { HOST_NAME } else { PLAIN_NAME }
}

/// The session token the request carries, if any.
pub fn token(headers: &HeaderMap, secure: bool) -> Option<String> {
    cookie(headers, name(secure))
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    let value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={LIFETIME_SECS}{flags}",
        name(secure)
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    let value = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{flags}",
        name(secure)
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}
