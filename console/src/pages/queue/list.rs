//! The queue's rows, narrowed by the search field, and "Load more".

use leptos::prelude::*;
use shared::{
    console::{QueueItem, QueuePage as Page},
    i18n::ConsoleKey,
    text::fold_for_search,
};

use super::Queue;
use crate::{
    api::{ApiError, StaffMessage, wire_name},
    i18n::{Console, use_i18n},
    labels::{priority_key, status_key},
};

/// Whether a row matches what was typed in the search field: reference
/// (with or without its dash, in any digits), subject or address.
fn matches(ticket: &QueueItem, wanted: &str) -> bool {
    let wanted = fold_for_search(wanted.trim());
    if wanted.is_empty() {
        return true;
    }
    let reference = ticket.reference.replace('-', "");
    [
        &ticket.reference,
        &reference,
        &ticket.subject,
        &ticket.email,
    ]
    .iter()
    .any(|text| fold_for_search(text).contains(&wanted))
}

/// A row is drawn again when anything it shows may have changed.
fn row_key(ticket: &QueueItem) -> (String, i64, bool, String, i64, Option<i64>) {
    (
        ticket.reference.clone(),
        ticket.updated_at,
        ticket.unread,
        wire_name(ticket.status),
        ticket.priority.rank(),
        ticket.assignee.as_ref().map(|a| a.id),
    )
}

#[component]
pub fn Tickets(
    /// The queue as loaded.
    queue: Queue,
    /// What the search field holds.
    search: RwSignal<String>,
    /// Loads the page after the cursor it is given.
    more: Action<String, Result<(), ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let page = move |read: fn(&Page) -> Option<String>| {
        move || queue.with(|q| q.as_ref().and_then(|q| q.as_ref().ok()).and_then(read))
    };
    let rows = move || {
        let wanted = search.get();
        queue.with(|q| match q {
            Some(Ok(page)) => page
                .tickets
                .iter()
                .filter(|t| matches(t, &wanted))
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    };
    let next = page(|p| p.next.clone());
    let failed = move || match &*more.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    };
    view! {
        <ol class="queue-list">
            <For each=rows key=row_key let:ticket>
                <Row ticket />
            </For>
        </ol>
        <p class="empty" role="status">
            {move || rows().is_empty().then(|| i18n.tr(ConsoleKey::QueueEmpty))}
        </p>
        <p role="alert" class="field-error">{failed}</p>
        {move || next().map(|after| view! {
            <button
                type="button"
                class="button secondary"
                disabled=move || more.pending().get()
                on:click=move |_| { more.dispatch(after.clone()); }
            >
                {move || i18n.tr(ConsoleKey::LoadMore)}
            </button>
        })}
    }
}

#[component]
fn Row(ticket: QueueItem) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/console/tickets/{}", ticket.reference);
    let reference = ticket.reference.clone();
    let when = move || match ticket.waiting_since {
        Some(since) => i18n.tr_fill(ConsoleKey::WaitingSince, &[("when", &i18n.relative(since))]),
        None => i18n.tr_fill(
            ConsoleKey::UpdatedAt,
            &[("when", &i18n.relative(ticket.updated_at))],
        ),
    };
    let assignee = ticket.assignee.as_ref().map(|a| a.name.clone());
    let priority = ticket.priority;
    view! {
        <li class="queue-item" class:unread=ticket.unread>
            <a href=href class="queue-link">
                {ticket.unread.then(|| view! {
                    <span class="unread-mark">{move || i18n.tr(ConsoleKey::Unread)}</span>
                })}
                <bdi class="reference">{move || i18n.digits(&reference)}</bdi>
                <bdi class="queue-subject">{ticket.subject.clone()}</bdi>
            </a>
            <p class="queue-meta">
                <bdi>{ticket.email.clone()}</bdi>
                <span>{ticket.department.name.clone()}</span>
                <span>{move || i18n.tr(status_key(ticket.status))}</span>
                <span class=format!("priority priority-{}", wire_name(priority))>
                    {move || i18n.tr(priority_key(priority))}
                </span>
                <span>{move || match &assignee {
                    Some(name) => name.clone(),
                    None => i18n.tr(ConsoleKey::Unassigned).to_owned(),
                }}</span>
                <span>{when}</span>
            </p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use shared::{
        api::{Department, Status},
        console::Priority,
        i18n::Lang,
    };

    use super::*;

    #[test]
    fn search_finds_reference_subject_and_address_whatever_the_keyboard() {
        let ticket = QueueItem {
            reference: "12345-67890".into(),
            subject: "برداشت نرسيده".into(),
            department: Department {
                slug: "technical".into(),
                name: "Technical support".into(),
                explanation: String::new(),
            },
            status: Status::Open,
            priority: Priority::Normal,
            assignee: None,
            email: "Maryam@Example.com".into(),
            lang: Lang::Fa,
            created_at: 0,
            updated_at: 0,
            waiting_since: None,
            unread: false,
            snippet: None,
        };
        for wanted in [
            "",
            "12345-67890",
            "1234567890",
            "۱۲۳۴۵",
            "نرسیده",
            "maryam@",
        ] {
            assert!(matches(&ticket, wanted), "{wanted:?}");
        }
        for wanted in ["54321", "withdrawal"] {
            assert!(!matches(&ticket, wanted), "{wanted:?}");
        }
    }
}
