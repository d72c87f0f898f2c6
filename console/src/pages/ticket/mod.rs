//! `/console/tickets/{reference}`: one ticket as staff see it. It loads
//! the ticket (which marks it read), follows the live feed, and tells the
//! server every few seconds that the member is here (and typing), showing
//! who else is. The parts: `controls` (facts and changes), `thread`,
//! `compose` (reply and internal note), `history`.

mod canned;
mod compose;
mod controls;
mod history;
mod rating;
mod thread;

use std::time::Duration;

use frontend::shown::Shown;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    console::{Presence, PresenceBeat, StaffTicketView},
    i18n::{ConsoleKey, Key},
};

use crate::{
    api::{self, ApiError, StaffMessage},
    app::use_title,
    i18n::{Console, use_i18n},
    live::use_live,
};

/// The ticket as loaded, then as changed by what the member does.
pub type Ticket = LocalResource<Result<StaffTicketView, ApiError>>;

/// Reads the loaded ticket, if it is.
pub fn loaded<U>(ticket: Ticket, read: impl FnOnce(&StaffTicketView) -> U) -> Option<U> {
    ticket.with(|t| t.as_ref().and_then(|t| t.as_ref().ok()).map(read))
}

/// How often the page says "still here".
const BEAT: Duration = Duration::from_secs(5);
/// Typing stops counting this long after the last key.
const TYPING_MS: f64 = 8_000.0;

/// What the compose box reports for the presence beat.
#[derive(Clone, Copy)]
pub struct Typing {
    pub focused: RwSignal<bool>,
    /// When the text last changed (ms since the epoch).
    pub last_input: RwSignal<f64>,
}

impl Typing {
    fn now(self) -> bool {
        self.focused.get_untracked()
            && js_sys::Date::now() - self.last_input.get_untracked() < TYPING_MS
    }
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::TicketTitleShort);
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let ticket: Ticket =
        LocalResource::new(move || api::tickets::show(&reference(), i18n.lang.get()));
    let live = use_live();
    Effect::watch(
        move || live.tick.get(),
        move |_, _, _| {
            if live.concerns(&reference()) {
                ticket.refetch();
            }
        },
        false,
    );
    // The kind of content only, so a live refetch does not rebuild the
    // composer the member types in.
    let shown = Memo::new(move |_| ticket.with(|t| Shown::of(t.as_ref(), |v| v.reference.clone())));
    move || {
        match shown.get() {
        Shown::Loading => {
            view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any()
        }
        Shown::NotFound => view! {
            <section class="card narrow">
                <h1>{i18n.tr(ConsoleKey::TicketNotFound)}</h1>
                <A href="/console" attr:class="button primary">{i18n.tr(ConsoleKey::BackToQueue)}</A>
            </section>
        }
        .into_any(),
        Shown::Failed(error) => view! {
            <section class="card narrow">
                <p role="alert">{error.staff_message(i18n)}</p>
                <button type="button" class="button secondary" on:click=move |_| ticket.refetch()>
                    {i18n.t(Key::TryAgain)}
                </button>
            </section>
        }
        .into_any(),
        Shown::Loaded(reference) => view! { <Details reference ticket /> }.into_any(),
    }
    }
}

#[component]
fn Details(
    /// The ticket's reference, as the server spells it.
    reference: String,
    /// The page's ticket (loaded).
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    let typing = Typing {
        focused: RwSignal::new(false),
        last_input: RwSignal::new(0.0),
    };
    let others = presence(reference.clone(), ticket, typing);
    let subject = move || loaded(ticket, |t| t.subject.clone()).unwrap_or_default();
    let (before, after) = (
        move || i18n.tr_around(ConsoleKey::TicketTitle, "reference").0,
        move || i18n.tr_around(ConsoleKey::TicketTitle, "reference").1,
    );
    let shown_reference = reference.clone();
    view! {
        <article class="ticket-view">
            <header class="ticket-head">
                <h1>
                    {before}
                    <bdi class="reference">{move || i18n.digits(&shown_reference)}</bdi>
                    {after}
                </h1>
                <p class="subject"><bdi>{subject}</bdi></p>
                <history::PresenceNotice others />
            </header>
            <div class="ticket-layout">
                <div class="ticket-main">
                    <thread::Thread reference=reference.clone() ticket />
                    <compose::Compose reference=reference.clone() ticket typing />
                </div>
                <aside class="ticket-side">
                    <controls::Controls reference=reference.clone() ticket />
                    <rating::Rating ticket />
                    <history::History ticket />
                </aside>
            </div>
        </article>
    }
}

/// Who else is on the ticket, kept fresh by a beat every few seconds that
/// also says whether this member is typing (at once when that changes).
fn presence(reference: String, ticket: Ticket, typing: Typing) -> Signal<Vec<Presence>> {
    let others = RwSignal::new(loaded(ticket, |t| t.presence.clone()).unwrap_or_default());
    let beat = Action::new_local(move |typing: &bool| {
        let sent = api::tickets::presence(&reference, &PresenceBeat { typing: *typing });
        async move {
            if let Ok(list) = sent.await {
                others.set(list);
            }
        }
    });
    beat.dispatch(false);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            beat.dispatch(typing.now());
        },
        BEAT,
    ) {
        on_cleanup(move || handle.clear());
    }
    // Starting or stopping to type is news worth telling at once.
    let typing_now = Memo::new(move |_| {
        typing.focused.get() && js_sys::Date::now() - typing.last_input.get() < TYPING_MS
    });
    Effect::watch(
        move || typing_now.get(),
        move |now, _, _| {
            beat.dispatch(*now);
        },
        false,
    );
    others.into()
}
