//! The JSON shapes of the staff API under `/api/console`, shared by the
//! server and the console bundle: sign-in and the member here, the queue,
//! a ticket, administration and canned replies in their own files.
//! Timestamps are Unix seconds.

mod admin;
pub mod canned;
mod queue;
mod ticket;

pub use admin::*;
pub use canned::{CannedDraft, CannedFilled, CannedReply, CannedVariant};
pub use queue::*;
pub use ticket::*;

use serde::{Deserialize, Serialize};

pub use crate::account::{NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, check_new_password};

/// Tickets per queue page.
pub const QUEUE_PAGE: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        [Role::Admin, Role::Agent]
            .into_iter()
            .find(|role| role.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    /// Stored as a number so that sorting by priority is sorting by value.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
            Priority::Urgent => 3,
        }
    }

    pub fn from_rank(rank: i64) -> Priority {
        match rank {
            i64::MIN..=0 => Priority::Low,
            1 => Priority::Normal,
            2 => Priority::High,
            _ => Priority::Urgent,
        }
    }
}

/// `POST /api/console/session`: sign in. `code` is the six-digit TOTP code
/// or a recovery code, needed when the member has a second factor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub code: Option<String>,
}

/// `POST /api/console/password`: set a password with an emailed or printed
/// one-time token (invitation or reset).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetPassword {
    pub token: String,
    pub password: String,
}

/// `GET /api/console/me`: who is signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Slugs of the departments whose tickets this member works on (all for admins).
    pub departments: Vec<String>,
    pub totp_enabled: bool,
    /// An admin requires a second factor and this member has none yet: the
    /// console shows only the enrolment page.
    pub must_enrol_totp: bool,
    pub notify_replies: bool,
}

/// `POST /api/console/totp`: the secret to put in an authenticator app.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// Base32, for typing in.
    pub secret: String,
    /// `otpauth://` URI, for a QR code.
    pub uri: String,
}

/// `POST /api/console/totp/confirm`: the first code proves the app has the
/// secret; the answer carries recovery codes, shown once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TotpConfirm {
    pub code: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// A staff member as others see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRef {
    pub id: i64,
    pub name: String,
}
