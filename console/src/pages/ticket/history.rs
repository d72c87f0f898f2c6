//! The ticket's history (from `ticket_events`, with who did what) and the
//! notice of who else is on the ticket now.

use leptos::prelude::*;
use shared::{
    api::Status,
    console::{EventView, Presence, Priority},
    i18n::ConsoleKey,
};

use super::{Ticket, loaded};
use crate::{
    api::from_wire_name,
    i18n::{Console, I18n, use_i18n},
    labels::{event_key, priority_key, status_key},
    session::use_session,
};

#[component]
pub fn History(
    /// The page's ticket.
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    let events = move || loaded(ticket, |t| t.events.clone()).unwrap_or_default();
    view! {
        <section class="history card" aria-labelledby="history-title">
            <h2 id="history-title">{move || i18n.tr(ConsoleKey::History)}</h2>
            <ol class="events">
                <For each=events key=|event| event.id let:event>
                    <li>{move || line(i18n, &event)}</li>
                </For>
            </ol>
        </section>
    }
}

/// "Mina: status changed (Closed), 3 hours ago".
fn line(i18n: I18n, event: &EventView) -> String {
    let actor = match (&event.staff, event.actor.as_str()) {
        (Some(staff), _) => staff.name.clone(),
        (None, "customer") => i18n.tr(ConsoleKey::AuthorCustomer).to_owned(),
        (None, "staff") => i18n.tr(ConsoleKey::ActorStaff).to_owned(),
        _ => i18n.tr(ConsoleKey::ActorSystem).to_owned(),
    };
    // A status or priority is translated; a name or a slug is shown as is.
    let detail = event.detail.as_deref().map(|detail| {
        if let Some(status) = from_wire_name::<Status>(detail) {
            i18n.tr(status_key(status)).to_owned()
        } else if let Some(priority) = from_wire_name::<Priority>(detail) {
            i18n.tr(priority_key(priority)).to_owned()
        } else {
            detail.to_owned()
        }
    });
    let what = match detail {
        Some(detail) => i18n.tr_fill(
            ConsoleKey::EventWithDetail,
            &[
                ("event", i18n.tr(event_key(&event.kind))),
                ("detail", &detail),
            ],
        ),
        None => i18n.tr(event_key(&event.kind)).to_owned(),
    };
    i18n.tr_fill(
        ConsoleKey::EventLine,
        &[
            ("who", &actor),
            ("what", &what),
            ("when", &i18n.relative(event.created_at)),
        ],
    )
}

/// "Mina is viewing" / "Mina is typing a reply", for everyone else here.
#[component]
pub fn PresenceNotice(
    /// Others on the ticket, kept fresh by the page.
    others: Signal<Vec<Presence>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_session().id();
    let lines = move || {
        others
            .get()
            .into_iter()
            .filter(|p| Some(p.staff.id) != me)
            .map(|p| {
                let key = if p.typing {
                    ConsoleKey::PresenceTyping
                } else {
                    ConsoleKey::PresenceViewing
                };
                i18n.tr_fill(key, &[("name", &p.staff.name)])
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="presence" role="status">
            {move || lines().into_iter().map(|text| view! { <p>{text}</p> }).collect_view()}
        </div>
    }
}
