//! The ticket's facts and what can be changed on it: status, priority,
//! department (a transfer) and assignee, "Take it" and "Close ticket".
//! Each change is sent at once; the answer is the whole ticket. The keys
//! `a` (take it) and `e` (close) do what those two buttons do.

use leptos::prelude::*;
use shared::{
    api::Status,
    console::{Priority, TicketChange},
    i18n::{ConsoleKey, Key},
};

use super::{Ticket, loaded};
use frontend::components::answers::answer_facts;

use crate::{
    api::{self, ApiError, StaffMessage, from_wire_name, wire_name},
    components::{notice::Notice, select::Select},
    i18n::{Console, use_i18n},
    labels::{priority_key, status_key},
    session::use_session,
    shortcuts::{Shortcut, use_shortcuts},
};

#[component]
pub fn Controls(
    /// The ticket's reference.
    reference: String,
    /// The page's ticket: replaced by the server's answer to a change.
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_session().id();
    let change = Action::new_local(move |change: &TicketChange| {
        let sent = api::tickets::change(&reference, i18n.lang.get_untracked(), change);
        async move {
            ticket.set(Some(Ok(sent.await?)));
            Ok::<_, ApiError>(())
        }
    });
    let busy = change.pending();
    let failed = Signal::derive(move || match &*change.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    });
    let departments = LocalResource::new(move || api::tickets::departments(i18n.lang.get()));
    let staff = LocalResource::new(api::tickets::staff_names);
    let status = Memo::new(move |_| loaded(ticket, |t| t.status));
    let assignee =
        Memo::new(move |_| loaded(ticket, |t| t.assignee.as_ref().map(|a| a.id)).flatten());

    let status_options = Signal::derive(move || {
        [Status::Open, Status::Answered, Status::Closed]
            .into_iter()
            .map(|s| (wire_name(s), i18n.tr(status_key(s)).to_owned()))
            .collect()
    });
    let priority_options = Signal::derive(move || {
        Priority::ALL
            .iter()
            .map(|p| (wire_name(*p), i18n.tr(priority_key(*p)).to_owned()))
            .collect()
    });
    let department_options = Signal::derive(move || {
        let mut list: Vec<(String, String)> = match departments.get() {
            Some(Ok(list)) => list.into_iter().map(|d| (d.slug, d.name)).collect(),
            _ => Vec::new(),
        };
        // The ticket's own department, even if it is no longer offered.
        if let Some(current) = loaded(ticket, |t| t.department.clone())
            && !list.iter().any(|(slug, _)| *slug == current.slug)
        {
            list.push((current.slug, current.name));
        }
        list
    });
    let assignee_options = Signal::derive(move || {
        let mut list = vec![(String::new(), i18n.tr(ConsoleKey::Unassigned).to_owned())];
        if let Some(Ok(names)) = staff.get() {
            list.extend(names.into_iter().map(|s| (s.id.to_string(), s.name)));
        }
        list
    });
    let send = move |edit: fn(&mut TicketChange, String)| {
        Callback::new(move |value: String| {
            let mut request = TicketChange::default();
            edit(&mut request, value);
            change.dispatch(request);
        })
    };
    let value = move |read: fn(&shared::console::StaffTicketView) -> String| {
        Signal::derive(move || loaded(ticket, read).unwrap_or_default())
    };
    // "Take it" and "Close ticket", for their buttons and their keys.
    let can_take = move || me.is_some() && assignee.get() != me;
    let take = move || {
        let ready = can_take() && !busy.get_untracked();
        if ready {
            change.dispatch(TicketChange {
                assignee: Some(me),
                ..Default::default()
            });
        }
        ready
    };
    let set_status = move |next: Status| {
        change.dispatch(TicketChange {
            status: Some(next),
            ..Default::default()
        });
    };
    use_shortcuts(move |shortcut| match shortcut {
        Shortcut::Take => take(),
        Shortcut::Close if status.get_untracked() != Some(Status::Closed) => {
            set_status(Status::Closed);
            true
        }
        _ => false,
    });
    let lang = move || loaded(ticket, |t| Key::MetaName.text(t.lang)).unwrap_or_default();
    let fact = move |read: fn(&shared::console::StaffTicketView) -> String| {
        move || loaded(ticket, read).unwrap_or_default()
    };

    view! {
        <section class="controls card" aria-labelledby="controls-title">
            <h2 id="controls-title">{move || i18n.tr(ConsoleKey::TicketDetails)}</h2>
            <dl class="facts">
                <div><dt>{move || i18n.tr(ConsoleKey::Customer)}</dt><dd><bdi>{fact(|t| t.email.clone())}</bdi></dd></div>
                <div><dt>{move || i18n.tr(ConsoleKey::Language)}</dt><dd>{lang}</dd></div>
                <div><dt>{move || i18n.tr(ConsoleKey::Created)}</dt>
                    <dd>{move || loaded(ticket, |t| i18n.date_time(t.created_at))}</dd></div>
                {move || answer_facts(loaded(ticket, |t| t.answers.clone()).unwrap_or_default())}
            </dl>
            <Select id="ticket-status" label=ConsoleKey::Status options=status_options disabled=busy
                value=value(|t| wire_name(t.status))
                on_change=send(|c, v| c.status = from_wire_name(&v)) />
            <Select id="ticket-priority" label=ConsoleKey::Priority options=priority_options disabled=busy
                value=value(|t| wire_name(t.priority))
                on_change=send(|c, v| c.priority = from_wire_name(&v)) />
            <Select id="ticket-department" label=ConsoleKey::Department options=department_options disabled=busy
                value=value(|t| t.department.slug.clone())
                on_change=send(|c, v| c.department = Some(v)) />
            <Select id="ticket-assignee" label=ConsoleKey::Assignee options=assignee_options disabled=busy
                value=value(|t| t.assignee.as_ref().map(|a| a.id.to_string()).unwrap_or_default())
                on_change=send(|c, v| c.assignee = Some(v.parse().ok())) />
            <Notice message=failed error=true />
            <div class="actions">
                {move || can_take().then(|| view! {
                    <button type="button" class="button secondary" disabled=move || busy.get()
                        on:click=move |_| { take(); }>
                        {move || i18n.tr(ConsoleKey::TakeIt)}
                    </button>
                })}
                {move || {
                    let closed = status.get() == Some(Status::Closed);
                    let (key, next) = if closed {
                        (ConsoleKey::ReopenTicket, Status::Open)
                    } else {
                        (ConsoleKey::CloseTicket, Status::Closed)
                    };
                    view! {
                        <button type="button" class="button secondary" disabled=move || busy.get()
                            on:click=move |_| set_status(next)>
                            {move || i18n.tr(key)}
                        </button>
                    }
                }}
            </div>
        </section>
    }
}
