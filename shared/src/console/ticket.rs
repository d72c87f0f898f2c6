//! A ticket as staff see it, and what staff do to it.

use serde::{Deserialize, Serialize};

use super::{Priority, StaffRef};
use crate::{
    api::{AttachmentView, Department, Status},
    i18n::Lang,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Customer,
    Agent,
    /// An internal note: staff only.
    Note,
}

/// A message as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMessage {
    pub id: i64,
    pub author: Author,
    /// The staff member who wrote it (agent replies and notes).
    pub staff: Option<StaffRef>,
    pub body: String,
    pub created_at: i64,
    pub attachments: Vec<AttachmentView>,
    /// The customer sent it by email (replying to a ticket mail).
    #[serde(default)]
    pub by_email: bool,
    /// For a message by email: the whole text as it came, quoted history
    /// and signature included (`body` holds only the new text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_original: Option<String>,
}

/// One entry of a ticket's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    /// `created`, `confirmed`, `customer_replied`, `answered`, `note_added`,
    /// `status_changed`, `priority_changed`, `assigned`, `transferred`, …
    pub kind: String,
    /// `customer`, `system` or `staff`.
    pub actor: String,
    pub staff: Option<StaffRef>,
    /// What changed, e.g. the new status or department slug.
    pub detail: Option<String>,
    pub created_at: i64,
}

/// `GET /api/console/tickets/{reference}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffTicketView {
    pub reference: String,
    pub subject: String,
    pub department: Department,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<StaffRef>,
    pub lang: Lang,
    pub email: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// What the customer answered in the department's form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<crate::forms::Answer>,
    pub messages: Vec<StaffMessage>,
    pub events: Vec<EventView>,
    /// Others on this ticket now.
    pub presence: Vec<Presence>,
    /// The customer's latest rating, if they gave one.
    #[serde(default)]
    pub rating: Option<crate::satisfaction::RatingView>,
}

/// `POST /api/console/tickets/{reference}/messages`: a reply to the
/// customer, or an internal note. `seen_message` is the last message the
/// writer had on screen: if a newer one exists (someone else replied in the
/// meantime) the server answers 409 `stale` unless `force` is set.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewStaffMessage {
    pub body: String,
    pub internal: bool,
    #[serde(default)]
    pub uploads: Vec<String>,
    #[serde(default)]
    pub seen_message: Option<i64>,
    #[serde(default)]
    pub force: bool,
}

/// `POST /api/console/tickets/{reference}`: changes; absent fields stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TicketChange {
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Slug of the department to transfer to.
    #[serde(default)]
    pub department: Option<String>,
    /// `Some(None)` unassigns; `Some(Some(id))` assigns.
    #[serde(default, with = "double_option")]
    pub assignee: Option<Option<i64>>,
}

/// Who else is on a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub staff: StaffRef,
    pub typing: bool,
}

/// `POST /api/console/tickets/{reference}/presence`: a heartbeat while the
/// ticket is on screen.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PresenceBeat {
    pub typing: bool,
}

/// One server-sent event on `GET /api/console/events`: something changed on
/// a ticket the member may see. The console refetches what it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub reference: String,
    pub kind: String,
}

/// `Option<Option<T>>` in JSON: a missing field is `None`, `null` is
/// `Some(None)`, a value is `Some(Some(v))`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignee_null_unassigns_and_absent_keeps() {
        let keep: TicketChange = serde_json::from_str("{}").expect("json");
        assert_eq!(keep.assignee, None);
        let clear: TicketChange = serde_json::from_str(r#"{"assignee":null}"#).expect("json");
        assert_eq!(clear.assignee, Some(None));
        let set: TicketChange = serde_json::from_str(r#"{"assignee":7}"#).expect("json");
        assert_eq!(set.assignee, Some(Some(7)));
    }
}
