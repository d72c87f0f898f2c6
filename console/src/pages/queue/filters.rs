//! The queue's filters (status, department, assignee, priority), its sort
//! order and the search field, which the server answers (`q`): sent 300 ms
//! after typing stops or at once on Enter; `/` anywhere else focuses it.

use std::time::Duration;

use leptos::prelude::*;
use shared::{
    console::{AssigneeFilter, Priority, QueueQuery, Sort, StatusFilter},
    i18n::ConsoleKey,
};

use crate::{
    api::{self, from_wire_name, wire_name},
    components::select::Select,
    i18n::{Console, I18n, use_i18n},
    labels::priority_key,
    session::use_session,
    shortcuts::{Shortcut, use_shortcuts},
};

/// `(value, text)` options for an enum's values, spelled as on the wire.
fn options<T: serde::Serialize + Copy + Send + Sync + 'static>(
    i18n: I18n,
    values: &'static [(T, ConsoleKey)],
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        values
            .iter()
            .map(|(value, key)| (wire_name(*value), i18n.tr(*key).to_owned()))
            .collect()
    })
}

const STATUSES: &[(StatusFilter, ConsoleKey)] = &[
    (StatusFilter::Open, ConsoleKey::StatusOpen),
    (StatusFilter::Answered, ConsoleKey::StatusAnswered),
    (StatusFilter::Closed, ConsoleKey::StatusClosed),
    (StatusFilter::All, ConsoleKey::StatusAll),
];
const ASSIGNEES: &[(AssigneeFilter, ConsoleKey)] = &[
    (AssigneeFilter::Anyone, ConsoleKey::AssigneeAnyone),
    (AssigneeFilter::Me, ConsoleKey::AssigneeMe),
    (AssigneeFilter::Unassigned, ConsoleKey::Unassigned),
];
const SORTS: &[(Sort, ConsoleKey)] = &[
    (Sort::Waiting, ConsoleKey::SortWaiting),
    (Sort::Activity, ConsoleKey::SortActivity),
    (Sort::Created, ConsoleKey::SortCreated),
    (Sort::Priority, ConsoleKey::SortPriority),
    (Sort::Rank, ConsoleKey::SortRank),
];

#[component]
pub fn Filters(
    /// The filters in force.
    query: Memo<QueueQuery>,
    /// Changes them (and the address).
    set_query: Callback<QueueQuery>,
    /// What the search field holds.
    search: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let departments = LocalResource::new(move || api::tickets::departments(i18n.lang.get()));
    // An agent filters by their own departments only (the server shows no others).
    let department_options = Signal::derive(move || {
        let mine = session
            .me
            .with(|me| me.as_ref().map(|me| me.departments.clone()));
        let mut options = vec![(
            String::new(),
            i18n.tr(ConsoleKey::AllDepartments).to_owned(),
        )];
        if let Some(Ok(list)) = departments.get() {
            options.extend(
                list.into_iter()
                    .filter(|d| mine.as_ref().is_none_or(|mine| mine.contains(&d.slug)))
                    .map(|d| (d.slug, d.name)),
            );
        }
        options
    });
    let priority_options = Signal::derive(move || {
        let mut options = vec![(String::new(), i18n.tr(ConsoleKey::AnyPriority).to_owned())];
        options.extend(
            Priority::ALL
                .iter()
                .map(|p| (wire_name(*p), i18n.tr(priority_key(*p)).to_owned())),
        );
        options
    });
    let change = move |edit: fn(&mut QueueQuery, String)| {
        Callback::new(move |value: String| {
            let mut next = query.get_untracked();
            edit(&mut next, value);
            set_query.run(next);
        })
    };
    let value = move |read: fn(&QueueQuery) -> String| Signal::derive(move || read(&query.get()));
    // Sends what the field holds, unless the server has that search already.
    let send = move || {
        let text = search.get_untracked();
        let q = Some(text.trim().to_owned()).filter(|q| !q.is_empty());
        let mut next = query.get_untracked();
        if next.q != q {
            next.q = q;
            set_query.run(next);
        }
    };
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let typed = move |text: String| {
        search.set(text);
        if let Some(timer) = pending.get_value() {
            timer.clear();
        }
        pending.set_value(set_timeout_with_handle(send, Duration::from_millis(300)).ok());
    };
    on_cleanup(move || {
        if let Some(timer) = pending.get_value() {
            timer.clear();
        }
    });
    let field = NodeRef::<leptos::html::Input>::new();
    // `/` (or the key in its place on the layout in use) moves to the field.
    use_shortcuts(move |shortcut| match (shortcut, field.get_untracked()) {
        (Shortcut::Search, Some(input)) => {
            let _ = input.focus();
            true
        }
        _ => false,
    });

    view! {
        <div class="filters">
            <Select id="filter-status" label=ConsoleKey::Status options=options(i18n, STATUSES)
                value=value(|q| wire_name(q.status))
                on_change=change(|q, v| q.status = from_wire_name(&v).unwrap_or_default()) />
            <Select id="filter-department" label=ConsoleKey::Department options=department_options
                value=value(|q| q.department.clone().unwrap_or_default())
                on_change=change(|q, v| q.department = Some(v).filter(|v| !v.is_empty())) />
            <Select id="filter-assignee" label=ConsoleKey::Assignee options=options(i18n, ASSIGNEES)
                value=value(|q| wire_name(q.assignee))
                on_change=change(|q, v| q.assignee = from_wire_name(&v).unwrap_or_default()) />
            <Select id="filter-priority" label=ConsoleKey::Priority options=priority_options
                value=value(|q| q.priority.map(wire_name).unwrap_or_default())
                on_change=change(|q, v| q.priority = from_wire_name(&v)) />
            <Select id="sort" label=ConsoleKey::SortBy options=options(i18n, SORTS)
                value=value(|q| wire_name(q.sort))
                on_change=change(|q, v| q.sort = from_wire_name(&v).unwrap_or_default()) />
            <form
                class="field search"
                role="search"
                on:submit=move |event| {
                    event.prevent_default();
                    if let Some(timer) = pending.get_value() {
                        timer.clear();
                    }
                    send();
                }
            >
                <label for="search">{move || i18n.tr(ConsoleKey::Search)}</label>
                <input
                    id="search"
                    type="search"
                    dir="auto"
                    node_ref=field
                    aria-describedby="search-hint"
                    title=move || i18n.tr(ConsoleKey::SearchHint)
                    prop:value=move || search.get()
                    on:input=move |event| typed(event_target_value(&event))
                />
                <span id="search-hint" hidden>
                    {move || i18n.tr(ConsoleKey::SearchHint)}
                </span>
            </form>
        </div>
    }
}
