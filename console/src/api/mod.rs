//! The staff API (`/api/console/…`) as one typed client, on the pattern of
//! the customer app's `api.rs`: one function per endpoint, grouped by
//! resource, each building its request at once and returning a future that
//! borrows nothing, for a `LocalResource` or an `Action` to hold. Every
//! failure is an `ApiError` that turns into a translated sentence.

pub mod account;
pub mod admin;
pub mod canned;
pub mod tickets;

pub use frontend::net::ApiError;
use frontend::net::{encoded, get, post, post_accepted};
use serde::{Serialize, de::DeserializeOwned};
use shared::{api::ErrorCode, i18n::ConsoleKey};

use crate::i18n::{Console, I18n};

/// The console's wording of a failure: the staff codes (and forbidden,
/// links) in `ConsoleKey`s, the rest as the customer app says them.
pub trait StaffMessage {
    /// One sentence for the whole failure.
    fn staff_message(&self, i18n: I18n) -> String;
}

impl StaffMessage for ApiError {
    fn staff_message(&self, i18n: I18n) -> String {
        self.message_with(i18n, |code| staff_key(code).map(|key| i18n.tr(key)))
    }
}

/// What a staff-only error code means to the member.
fn staff_key(code: ErrorCode) -> Option<ConsoleKey> {
    Some(match code {
        ErrorCode::SignedOut => ConsoleKey::ErrorSignedOut,
        ErrorCode::SignInFailed => ConsoleKey::ErrorSignInFailed,
        ErrorCode::CodeRequired => ConsoleKey::ErrorCodeRequired,
        ErrorCode::Stale => ConsoleKey::ErrorStale,
        ErrorCode::Forbidden => ConsoleKey::ErrorForbidden,
        ErrorCode::LinkExpired => ConsoleKey::LinkExpired,
        ErrorCode::LinkUsed => ConsoleKey::LinkUsed,
        ErrorCode::LinkInvalid => ConsoleKey::LinkInvalid,
        _ => return None,
    })
}

/// How an enum is spelled in JSON and in query strings (`open`, `urgent`):
/// its serde name, so the spelling is defined once, in `shared`.
pub fn wire_name<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The enum value spelled `name` in JSON, if there is one.
pub fn from_wire_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use shared::console::{Priority, Sort, StatusFilter};

    use super::*;

    #[test]
    fn enums_are_spelled_as_on_the_wire() {
        assert_eq!(wire_name(StatusFilter::All), "all");
        assert_eq!(wire_name(Sort::Waiting), "waiting");
        for priority in Priority::ALL {
            assert_eq!(from_wire_name(&wire_name(priority)), Some(priority));
        }
        assert_eq!(from_wire_name::<Priority>("highest"), None);
    }
}
