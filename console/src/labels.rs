//! The words for the values the server sends as codes: statuses,
//! priorities, roles and history entries.

use shared::{
    api::Status,
    console::{Priority, Role},
    i18n::ConsoleKey,
};

pub fn status_key(status: Status) -> ConsoleKey {
    match status {
        Status::AwaitingConfirmation => ConsoleKey::StatusAwaitingConfirmation,
        Status::Open => ConsoleKey::StatusOpen,
        Status::Answered => ConsoleKey::StatusAnswered,
        Status::Closed => ConsoleKey::StatusClosed,
    }
}

pub fn priority_key(priority: Priority) -> ConsoleKey {
    match priority {
        Priority::Low => ConsoleKey::PriorityLow,
        Priority::Normal => ConsoleKey::PriorityNormal,
        Priority::High => ConsoleKey::PriorityHigh,
        Priority::Urgent => ConsoleKey::PriorityUrgent,
    }
}

pub fn role_key(role: Role) -> ConsoleKey {
    match role {
        Role::Admin => ConsoleKey::RoleAdmin,
        Role::Agent => ConsoleKey::RoleAgent,
    }
}

/// A history entry's kind (`ticket_events.kind`); an unknown kind (from a
/// newer server) reads as a plain change.
pub fn event_key(kind: &str) -> ConsoleKey {
    match kind {
        "created" => ConsoleKey::EventCreated,
        "confirmed" => ConsoleKey::EventConfirmed,
        "customer_replied" => ConsoleKey::EventCustomerReplied,
        "answered" => ConsoleKey::EventAnswered,
        "replied" => ConsoleKey::EventReplied,
        "unassigned" => ConsoleKey::EventUnassigned,
        "confirmation_sent" => ConsoleKey::EventConfirmationSent,
        "access_link_sent" => ConsoleKey::EventAccessLinkSent,
        "note_added" => ConsoleKey::EventNoteAdded,
        "status_changed" => ConsoleKey::EventStatusChanged,
        "priority_changed" => ConsoleKey::EventPriorityChanged,
        "assigned" => ConsoleKey::EventAssigned,
        "transferred" => ConsoleKey::EventTransferred,
        "closed" => ConsoleKey::EventClosed,
        "reopened" => ConsoleKey::EventReopened,
        "auto_closed" => ConsoleKey::EventAutoClosed,
        "rated" => ConsoleKey::EventRated,
        "email_ignored" => ConsoleKey::EventEmailIgnored,
        _ => ConsoleKey::EventChanged,
    }
}
