//! The queue's rows (with a search, each with the passage it was found
//! in, hits marked), "no results", and "Load more".

use leptos::prelude::*;
use shared::{
    console::{QueueItem, QueuePage as Page, QueueQuery, SEARCH_CAP, Snippet},
    i18n::ConsoleKey,
};

use super::Queue;
use crate::{
    api::{ApiError, StaffMessage, wire_name},
    i18n::{Console, use_i18n},
    labels::{priority_key, status_key},
};

/// A row is drawn again when anything it shows may have changed.
fn row_key(ticket: &QueueItem) -> (String, i64, bool, String, i64, Option<i64>, Option<Snippet>) {
    (
        ticket.reference.clone(),
        ticket.updated_at,
        ticket.unread,
        wire_name(ticket.status),
        ticket.priority.rank(),
        ticket.assignee.as_ref().map(|a| a.id),
        ticket.snippet.clone(),
    )
}

#[component]
pub fn Tickets(
    /// The queue as loaded.
    queue: Queue,
    /// The filters in force (`q`: the search the rows answer).
    query: Memo<QueueQuery>,
    /// Loads the page after the cursor it is given.
    more: Action<String, Result<(), ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let page = move |read: fn(&Page) -> Option<String>| {
        move || queue.with(|q| q.as_ref().and_then(|q| q.as_ref().ok()).and_then(read))
    };
    let rows = move || {
        queue.with(|q| match q {
            Some(Ok(page)) => page.tickets.clone(),
            _ => Vec::new(),
        })
    };
    let next = page(|p| p.next.clone());
    let capped = move || queue.with(|q| matches!(q, Some(Ok(page)) if page.capped));
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
        <p class="queue-capped" role="status">
            {move || capped().then(|| {
                let count = i18n.number(SEARCH_CAP as f64);
                i18n.tr_fill(ConsoleKey::SearchCapped, &[("count", &count)])
            })}
        </p>
        <p class="empty" role="status">
            {move || rows().is_empty().then(|| match query.get().q {
                Some(q) => i18n.tr_fill(ConsoleKey::SearchNoResults, &[("q", &q)]),
                None => i18n.tr(ConsoleKey::QueueEmpty).to_owned(),
            })}
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
    // Plain text parts, the hits in <mark>: nothing here is parsed as markup.
    let snippet = ticket.snippet.clone().map(|snippet| {
        let parts = snippet
            .parts
            .into_iter()
            .map(|(text, hit)| {
                if hit {
                    view! { <mark>{text}</mark> }.into_any()
                } else {
                    text.into_any()
                }
            })
            .collect_view();
        view! {
            <p class="queue-snippet" dir="auto">
                {snippet.note.then(|| view! {
                    <span class="badge">{move || i18n.tr(ConsoleKey::InternalNote)}</span>" "
                })}
                <bdi>{parts}</bdi>
            </p>
        }
    });
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
            {snippet}
        </li>
    }
}
