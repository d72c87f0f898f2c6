//! Administration: staff, departments and desk-wide settings (admins only;
//! the server refuses anyone else).

use std::future::Future;

use shared::{
    console::{DepartmentAdmin, DepartmentMail, Invite, Settings, StaffChange, StaffMember},
    i18n::Lang,
    satisfaction::{AgentRatings, AutoClose},
};

use super::{ApiError, encoded, get, post};

pub fn staff() -> impl Future<Output = Result<Vec<StaffMember>, ApiError>> + use<> {
    get("/api/console/staff")
}

/// Invites a member; the server emails the set-password link, in `lang`.
pub fn invite(
    invite: &Invite,
    lang: Lang,
) -> impl Future<Output = Result<StaffMember, ApiError>> + use<> {
    post(&format!("/api/console/staff?lang={}", lang.code()), invite)
}

pub fn change_member(
    id: i64,
    change: &StaffChange,
) -> impl Future<Output = Result<StaffMember, ApiError>> + use<> {
    post(&format!("/api/console/staff/{id}"), change)
}

/// Every department with its texts in every language, inactive ones too.
pub fn departments() -> impl Future<Output = Result<Vec<DepartmentAdmin>, ApiError>> + use<> {
    get("/api/console/departments")
}

pub fn save_department(
    department: &DepartmentAdmin,
) -> impl Future<Output = Result<DepartmentAdmin, ApiError>> + use<> {
    post(
        &format!("/api/console/departments/{}", encoded(&department.slug)),
        department,
    )
}

/// A department's form: its fields with their words in every language.
type Form = Vec<shared::forms::FormField<shared::forms::Localized>>;

pub fn form(slug: &str) -> impl Future<Output = Result<Form, ApiError>> + use<> {
    get(&format!(
        "/api/console/departments/{}/fields",
        encoded(slug)
    ))
}

/// Replaces a department's form; the answer is the form as stored.
pub fn save_form(slug: &str, form: &Form) -> impl Future<Output = Result<Form, ApiError>> + use<> {
    post(
        &format!("/api/console/departments/{}/fields", encoded(slug)),
        form,
    )
}

/// What a department lets happen by email, with its own address.
pub fn department_mail(
    slug: &str,
) -> impl Future<Output = Result<DepartmentMail, ApiError>> + use<> {
    get(&format!("/api/console/departments/{}/mail", encoded(slug)))
}

pub fn save_department_mail(
    slug: &str,
    settings: &DepartmentMail,
) -> impl Future<Output = Result<DepartmentMail, ApiError>> + use<> {
    post(
        &format!("/api/console/departments/{}/mail", encoded(slug)),
        settings,
    )
}

pub fn settings() -> impl Future<Output = Result<Settings, ApiError>> + use<> {
    get("/api/console/settings")
}

pub fn save_settings(
    settings: &Settings,
) -> impl Future<Output = Result<Settings, ApiError>> + use<> {
    post("/api/console/settings", settings)
}

/// Ratings per member over the last 30 days.
pub fn ratings() -> impl Future<Output = Result<Vec<AgentRatings>, ApiError>> + use<> {
    get("/api/console/ratings")
}

pub fn auto_close() -> impl Future<Output = Result<AutoClose, ApiError>> + use<> {
    get("/api/console/settings/auto-close")
}

pub fn save_auto_close(
    wanted: AutoClose,
) -> impl Future<Output = Result<AutoClose, ApiError>> + use<> {
    post("/api/console/settings/auto-close", &wanted)
}
