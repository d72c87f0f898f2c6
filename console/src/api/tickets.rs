//! The queue, one ticket and what staff do to it, and the lists the
//! pickers offer (departments, staff, attachment limits).

use std::future::Future;

use shared::{
    api::{Department, PublicConfig},
    console::{
        AssigneeFilter, NewStaffMessage, Presence, PresenceBeat, QueuePage, QueueQuery, Sort,
        StaffMessage, StaffRef, StaffTicketView, StatusFilter, TicketChange,
    },
    i18n::Lang,
};

use super::{ApiError, encoded, get, post, wire_name};

/// `/api/config`: the attachment limits.
pub fn config() -> impl Future<Output = Result<PublicConfig, ApiError>> + use<> {
    get("/api/config")
}

/// The public departments, named in `lang`.
pub fn departments(lang: Lang) -> impl Future<Output = Result<Vec<Department>, ApiError>> + use<> {
    get(&format!("/api/departments?lang={}", lang.code()))
}

/// Every staff member's name, for the assignee picker.
pub fn staff_names() -> impl Future<Output = Result<Vec<StaffRef>, ApiError>> + use<> {
    get("/api/console/staff-names")
}

/// One page of the queue, departments named in `lang`.
pub fn queue(
    query: &QueueQuery,
    lang: Lang,
) -> impl Future<Output = Result<QueuePage, ApiError>> + use<> {
    let filters = query_string(query);
    let and = if filters.is_empty() { "" } else { "&" };
    get(&format!(
        "/api/console/queue?{filters}{and}lang={}",
        lang.code()
    ))
}

/// The query as the server reads it; defaults are left out, so that the
/// address bar stays short when it carries the same string.
pub fn query_string(query: &QueueQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if query.status != StatusFilter::default() {
        pairs.push(("status", wire_name(query.status)));
    }
    if let Some(department) = &query.department {
        pairs.push(("department", department.clone()));
    }
    if query.assignee != AssigneeFilter::default() {
        pairs.push(("assignee", wire_name(query.assignee)));
    }
    if let Some(priority) = query.priority {
        pairs.push(("priority", wire_name(priority)));
    }
    if query.sort != Sort::default() {
        pairs.push(("sort", wire_name(query.sort)));
    }
    if let Some(q) = &query.q {
        pairs.push(("q", q.clone()));
    }
    if let Some(after) = &query.after {
        pairs.push(("after", after.clone()));
    }
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encoded(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn path(reference: &str) -> String {
    format!("/api/console/tickets/{}", encoded(reference))
}

/// The ticket, its department named in `lang`; opening it marks it read.
pub fn show(
    reference: &str,
    lang: Lang,
) -> impl Future<Output = Result<StaffTicketView, ApiError>> + use<> {
    get(&format!("{}?lang={}", path(reference), lang.code()))
}

/// A reply to the customer or an internal note.
pub fn write(
    reference: &str,
    message: &NewStaffMessage,
) -> impl Future<Output = Result<StaffMessage, ApiError>> + use<> {
    post(&format!("{}/messages", path(reference)), message)
}

/// Status, priority, department or assignee; the answer is the whole ticket.
pub fn change(
    reference: &str,
    lang: Lang,
    change: &TicketChange,
) -> impl Future<Output = Result<StaffTicketView, ApiError>> + use<> {
    post(&format!("{}?lang={}", path(reference), lang.code()), change)
}

/// "I am here (and typing)": the answer is who else is.
pub fn presence(
    reference: &str,
    beat: &PresenceBeat,
) -> impl Future<Output = Result<Vec<Presence>, ApiError>> + use<> {
    post(&format!("{}/presence", path(reference)), beat)
}

/// Where an attachment downloads from (a link, not a fetch).
pub fn attachment_url(reference: &str, id: &str) -> String {
    format!("{}/attachments/{}", path(reference), encoded(id))
}
