//! The queue's sidebar: a count per view (open, answered, closed, nobody's,
//! mine), each a link to that view with the other filters kept.

use leptos::prelude::*;
use shared::{
    console::{AssigneeFilter, QueueCounts, QueueQuery, StatusFilter},
    i18n::ConsoleKey,
};

use super::Queue;
use crate::{
    api,
    i18n::{Console, use_i18n},
};

/// A view: its name, the status (and assignee) it shows, and its count.
type View = (
    ConsoleKey,
    StatusFilter,
    Option<AssigneeFilter>,
    fn(&QueueCounts) -> u64,
);

#[component]
pub fn Counts(
    /// The queue, for its counts.
    queue: Queue,
    /// The filters in force.
    query: Memo<QueueQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let counts = Memo::new(move |_| {
        queue.with(|q| match q {
            Some(Ok(page)) => Some(page.counts.clone()),
            _ => None,
        })
    });
    let views: [View; 5] = [
        (ConsoleKey::ViewOpen, StatusFilter::Open, None, |c| c.open),
        (
            ConsoleKey::ViewAnswered,
            StatusFilter::Answered,
            None,
            |c| c.answered,
        ),
        (ConsoleKey::ViewClosed, StatusFilter::Closed, None, |c| {
            c.closed
        }),
        (
            ConsoleKey::ViewUnassigned,
            StatusFilter::Open,
            Some(AssigneeFilter::Unassigned),
            |c| c.unassigned,
        ),
        (
            ConsoleKey::ViewMine,
            StatusFilter::Open,
            Some(AssigneeFilter::Me),
            |c| c.mine,
        ),
    ];
    let links = views
        .into_iter()
        .map(|(key, status, assignee, count)| {
            // The view keeps the department, priority and sort chosen.
            let target = move || {
                let current = query.get();
                QueueQuery {
                    status,
                    assignee: assignee.unwrap_or(AssigneeFilter::Anyone),
                    ..current
                }
            };
            let href = move || {
                let search = api::tickets::query_string(&target());
                format!("/console?{search}")
            };
            let current = move || {
                let now = query.get();
                let wanted = assignee.unwrap_or(AssigneeFilter::Anyone);
                (now.status == status && now.assignee == wanted).then_some("page")
            };
            let number = move || counts.get().map(|c| i18n.number(count(&c) as f64));
            view! {
                <li>
                    // The router follows the link without a reload.
                    <a href=href aria-current=current>
                        <span>{move || i18n.tr(key)}</span>
                        <span class="count">{number}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="queue-views" aria-label=move || i18n.tr(ConsoleKey::QueueViews)>
            <ul>{links}</ul>
        </nav>
    }
}
