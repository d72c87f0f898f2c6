//! Customer accounts: the JSON shapes of `/api/account`, and the password
//! and name rules that staff and customers share.
//!
//! The endpoints (all `POST` need the CSRF header; sign-up and sign-in also
//! an `Origin` of this site):
//!
//! | method and path                       | body → answer |
//! | ------------------------------------- | ------------- |
//! | `POST /api/account/sign-up`           | `SignUp` → 202, the same whether or not the address has an account |
//! | `POST /api/account/verify`            | `VerifyAddress` → `Account` + session cookie (sign-up and email-change links); a wrong password: 422 `current_password` |
//! | `POST /api/account/verify/resend`     | `EmailOnly` → 202, always |
//! | `GET  /api/account/session`           | → `Account`, or `null` signed out (what the portal asks on every page) |
//! | `POST /api/account/session`           | `AccountSignIn` → `Account` + cookie; 401 `sign_in_failed`; 403 `not_verified` |
//! | `POST /api/account/session/end`       | → 204, cookie cleared |
//! | `POST /api/account/session/end-all`   | → 204, every session of the account ends |
//! | `GET  /api/account/me`                | → `Account`; 401 `signed_out` |
//! | `POST /api/account/me`                | `AccountUpdate` → `Account` |
//! | `POST /api/account/password`          | `ChangePassword` → `Account` + a new cookie; other sessions end |
//! | `POST /api/account/password/forgot`   | `EmailOnly` → 202, always |
//! | `POST /api/account/password/reset`    | `ResetPassword` → 204; every session ends; an unverified account is verified (the link proved the mailbox) |
//! | `POST /api/account/email`             | `ChangeEmail` → 202; a link to the new address, a notice to the old |
//! | `POST /api/account/delete`            | `DeleteAccount` → 204, cookie cleared |
//! | `GET  /api/account/tickets?after=`    | → `MyTickets`, newest activity first |
//!
//! A ticket that belongs to an account opens through the usual
//! `/api/tickets/{reference}` routes with the account's session only; a
//! guest link does not open it.

use serde::{Deserialize, Serialize};

use crate::{api::Status, i18n::Lang, validate::Problem};

/// Passwords: at least this many characters (and not a common password,
/// which only the server checks: the list is not shipped to browsers).
pub const PASSWORD_MIN: usize = 10;
/// Longer than any passphrase; bounds the hashing work a request can ask for.
pub const PASSWORD_MAX: usize = 256;
/// Display names of staff members and customers.
pub const NAME_MAX: usize = 80;
/// Tickets per page of "My tickets".
pub const MY_TICKETS_PAGE: usize = 20;

/// The length rule for a new password, as the browser can check it.
pub fn check_new_password(password: &str) -> Result<(), Problem> {
    let count = password.chars().count();
    if count == 0 {
        Err(Problem::Required)
    } else if count < PASSWORD_MIN {
        Err(Problem::TooShort { min: PASSWORD_MIN })
    } else if count > PASSWORD_MAX {
        Err(Problem::TooLong { max: PASSWORD_MAX })
    } else {
        Ok(())
    }
}

/// A display name: trimmed, 1 to `NAME_MAX` characters, no control characters.
pub fn check_name(name: &str) -> Result<(), Problem> {
    let name = name.trim();
    if name.is_empty() {
        Err(Problem::Required)
    } else if name.chars().count() > NAME_MAX {
        Err(Problem::TooLong { max: NAME_MAX })
    } else if name.chars().any(char::is_control) {
        Err(Problem::Invalid)
    } else {
        Ok(())
    }
}

/// `POST /api/account/sign-up`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignUp {
    pub email: String,
    pub name: String,
    pub password: String,
    pub lang: Lang,
}

/// `POST /api/account/session`. `remember` keeps the session past the
/// browser's closing (30 days idle at most); without it the cookie lasts as
/// long as the browser session.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccountSignIn {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub remember: bool,
}

/// `POST /api/account/verify`: the one-time token of an emailed link (the
/// part after `#`) and the account's password. The link proves the mailbox,
/// the password the person who asked: someone who signs up with another's
/// address, or moves their account to it, cannot have its owner verify it
/// for them by opening a link that arrived unasked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyAddress {
    pub token: String,
    pub password: String,
}

/// Requests that take only an address: resend the verification link,
/// forgot password.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmailOnly {
    pub email: String,
    /// The language of the mail, if one goes out to an address with no account.
    pub lang: Lang,
}

/// `GET /api/account/me`: the signed-in customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub email: String,
    pub name: String,
    /// The interface language while signed in, and of the account's mail.
    pub lang: Lang,
    /// Mail me when an agent answers.
    pub notify_replies: bool,
    /// Tickets with an answer not read yet (the header's badge).
    pub unread: u32,
}

/// `POST /api/account/me`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccountUpdate {
    pub name: String,
    pub lang: Lang,
    pub notify_replies: bool,
}

/// `POST /api/account/password`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangePassword {
    pub current: String,
    pub password: String,
}

/// `POST /api/account/password/reset`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResetPassword {
    pub token: String,
    pub password: String,
}

/// `POST /api/account/email`: the new address gets a link; the change
/// happens when it is opened.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangeEmail {
    pub email: String,
    pub password: String,
}

/// `POST /api/account/delete`. The desk keeps the tickets; with `anonymise`
/// their address is replaced, so nothing left names the customer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeleteAccount {
    pub password: String,
    #[serde(default)]
    pub anonymise: bool,
}

/// One line of "My tickets".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTicket {
    pub reference: String,
    pub subject: String,
    pub status: Status,
    /// The department's name in the requested language.
    pub department: String,
    /// An agent answered since the customer last opened it.
    pub unread: bool,
    /// Unix seconds of the last activity.
    pub updated_at: i64,
}

/// `GET /api/account/tickets?lang=&after=`: a page, and the cursor of the
/// next one (`None` on the last page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTickets {
    pub tickets: Vec<MyTicket>,
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_counts_characters() {
        assert_eq!(check_new_password(""), Err(Problem::Required));
        assert_eq!(
            check_new_password("short"),
            Err(Problem::TooShort { min: PASSWORD_MIN })
        );
        // Ten Persian letters are twenty bytes, and enough.
        assert_eq!(check_new_password("گذرواژهٔ‌خوب"), Ok(()));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name("  "), Err(Problem::Required));
        assert_eq!(check_name(" Sara "), Ok(()));
        assert_eq!(check_name("a\u{7}b"), Err(Problem::Invalid));
        assert_eq!(
            check_name(&"x".repeat(NAME_MAX + 1)),
            Err(Problem::TooLong { max: NAME_MAX })
        );
    }
}
