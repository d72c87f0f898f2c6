//! Administration: staff members, departments and desk-wide settings.

use serde::{Deserialize, Serialize};

use super::Role;
use crate::i18n::Lang;

/// Admin: a member in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub departments: Vec<String>,
    pub active: bool,
    /// Invited, password not yet set.
    pub pending: bool,
    pub totp_enabled: bool,
}

/// Admin: `POST /api/console/staff` invites a member by email.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Invite {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub departments: Vec<String>,
}

/// Admin: `POST /api/console/staff/{id}`: changes; absent fields stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StaffChange {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub departments: Option<Vec<String>>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// Admin: a department with its texts in every language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentAdmin {
    pub slug: String,
    pub position: i64,
    pub active: bool,
    pub texts: Vec<DepartmentText>,
}

/// Admin: `/api/console/departments/{slug}/mail`, what the department
/// lets happen by email. Both are off until an admin turns them on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentMail {
    /// Its staff may answer a ticket by replying to the ticket's mail.
    pub agents_reply: bool,
    /// A message matching no ticket, sent to the desk's address (or its
    /// `+slug` address), opens a ticket awaiting confirmation.
    pub new_tickets: bool,
    /// The department's own address, `<local>+<slug>@<domain>`: filled in
    /// by the server, ignored when saving.
    #[serde(default)]
    pub address: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentText {
    pub lang: Lang,
    pub name: String,
    pub explanation: String,
}

/// Admin settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Every staff member must use a second factor.
    pub require_totp: bool,
}
