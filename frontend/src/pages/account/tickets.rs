//! `/account/tickets`: the account's tickets, newest activity first, a page
//! at a time ("Load more" follows the server's cursor).

use leptos::prelude::*;
use leptos_router::components::A;
use shared::{
    account::{MyTicket, MyTickets},
    i18n::Key,
};

use super::SignedIn;
use crate::{
    api::{self, ApiError},
    app::use_title,
    components::notice::Notice,
    i18n::{I18n, use_i18n},
};

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::MyTickets);
    view! {
        <SignedIn>
            <h1>{move || i18n.t(Key::MyTickets)}</h1>
            <List />
        </SignedIn>
    }
}

#[component]
fn List() -> impl IntoView {
    let i18n = use_i18n();
    // The first page (again when the language changes: department names).
    let first = LocalResource::new(move || api::account::tickets(i18n.lang.get(), None));
    // The pages "Load more" added, and the cursor of the next one.
    let more = RwSignal::new(Vec::<MyTicket>::new());
    let next = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.get() {
            more.set(Vec::new());
            next.set(page.next);
        }
    });
    let load_more = Action::new_local(move |cursor: &String| {
        let sent = api::account::tickets(i18n.lang.get_untracked(), Some(cursor));
        async move {
            let page: MyTickets = sent.await?;
            more.update(|m| m.extend(page.tickets));
            next.set(page.next);
            Ok::<(), ApiError>(())
        }
    });
    let failed = Signal::derive(move || {
        let load = first.with(|f| match f {
            Some(Err(error)) => Some(error.message(i18n)),
            _ => None,
        });
        load.or_else(|| {
            load_more.value().with(|v| match v {
                Some(Err(error)) => Some(error.message(i18n)),
                _ => None,
            })
        })
    });
    let tickets = move || {
        let mut all = first.with(|f| match f {
            Some(Ok(page)) => page.tickets.clone(),
            _ => Vec::new(),
        });
        all.extend(more.get());
        all
    };
    let loaded = move || first.with(|f| matches!(f, Some(Ok(_))));
    view! {
        <Notice message=failed error=true />
        {move || match (first.with(Option::is_some), loaded(), tickets()) {
            (false, _, _) => view! { <p class="loading">{move || i18n.t(Key::Loading)}</p> }.into_any(),
            (true, true, list) if list.is_empty() => view! {
                <section class="card">
                    <p>{move || i18n.t(Key::MyTicketsEmpty)}</p>
                    <A href="/new" attr:class="button primary">{move || i18n.t(Key::NewTicket)}</A>
                </section>
            }
            .into_any(),
            (_, _, list) => view! {
                <ul class="my-tickets">
                    {list.into_iter().map(|ticket| row(i18n, ticket)).collect_view()}
                </ul>
            }
            .into_any(),
        }}
        <Show when=move || next.with(Option::is_some)>
            <button type="button" class="button secondary" disabled=move || load_more.pending().get()
                on:click=move |_| {
                    if let Some(cursor) = next.get_untracked() {
                        load_more.dispatch(cursor);
                    }
                }>
                {move || i18n.t(Key::LoadMore)}
            </button>
        </Show>
        <p><A href="/new">{move || i18n.t(Key::NewTicket)}</A></p>
    }
}

fn row(i18n: I18n, ticket: MyTicket) -> impl IntoView {
    let href = format!("/tickets/{}", ticket.reference);
    let reference = ticket.reference.clone();
    let updated_at = ticket.updated_at;
    let status = ticket.status;
    view! {
        <li class="my-ticket" class:unread=ticket.unread>
            <p class="my-ticket-title">
                <A href=href attr:class="my-ticket-subject"><bdi>{ticket.subject}</bdi></A>
                {ticket.unread.then(|| view! {
                    <span class="unread-mark">{move || i18n.t(Key::Unread)}</span>
                })}
            </p>
            <p class="my-ticket-meta">
                <bdi class="reference">{move || i18n.digits(&reference)}</bdi>
                <span>{move || i18n.t(status.key())}</span>
                <span>{ticket.department}</span>
                <span>{move || i18n.fill(Key::Updated, &[("when", &i18n.relative(updated_at))])}</span>
            </p>
        </li>
    }
}
