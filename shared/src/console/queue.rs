//! The queue: filters, sort orders, a page of tickets and the sidebar counts.

use serde::{Deserialize, Serialize};

use super::{Priority, StaffRef};
use crate::{
    api::{Department, Status},
    i18n::Lang,
};

/// Which tickets the queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    #[default]
    Open,
    Answered,
    Closed,
    All,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeFilter {
    Me,
    Unassigned,
    #[default]
    Anyone,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// The customer has waited longest for an answer.
    #[default]
    Waiting,
    /// Most recent activity first.
    Activity,
    /// Newest first.
    Created,
    /// Most urgent first, then waiting longest.
    Priority,
    /// With a search: the best match first (FTS5's bm25); without one, the
    /// same as `Activity`.
    Rank,
}

/// A search looks at the newest this many matching tickets (and says when
/// more matched): a word in a third of a million tickets is answered as
/// fast as a rare one, and nobody pages through a thousand results.
pub const SEARCH_CAP: usize = 1000;

/// `GET /api/console/queue?…`: the filters, all optional. `after` is the
/// opaque cursor of the previous page's last ticket (keyset pagination).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub status: StatusFilter,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub assignee: AssigneeFilter,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub sort: Sort,
    #[serde(default)]
    pub after: Option<String>,
    /// Search words (each a prefix, all must match) or a reference, which
    /// finds its ticket exactly; the other filters still apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

/// One row of the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub reference: String,
    pub subject: String,
    pub department: Department,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<StaffRef>,
    pub email: String,
    pub lang: Lang,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the customer last wrote and has had no answer since (waiting tickets).
    pub waiting_since: Option<i64>,
    /// The customer wrote since this member last opened the ticket.
    pub unread: bool,
    /// With a search: where the words were found, hits marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
}

/// A passage of a ticket with the search hits marked: plain text parts,
/// each `(text, is a hit)`, never markup.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Snippet {
    pub parts: Vec<(String, bool)>,
    /// Found in an internal note (only staff ever search).
    pub note: bool,
}

/// A page of the queue with the counts the sidebar shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub tickets: Vec<QueueItem>,
    /// Cursor for the next page; `None` on the last one.
    pub next: Option<String>,
    pub counts: QueueCounts,
    /// With a search: more than `SEARCH_CAP` tickets matched, and the page
    /// and counts cover the newest of them only.
    #[serde(default)]
    pub capped: bool,
}

/// Tickets per status in the member's departments (with the department,
/// assignee and priority filters applied).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub open: u64,
    pub answered: u64,
    pub closed: u64,
    /// Open tickets with nobody assigned.
    pub unassigned: u64,
    /// Open tickets assigned to me.
    pub mine: u64,
}
