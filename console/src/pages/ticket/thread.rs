//! The conversation: customer messages, agent replies and internal notes,
//! each drawn differently (and named: a note says it is one, for screen
//! readers too), with their attachments as download links.

use leptos::prelude::*;
use shared::{
    api::AttachmentView,
    console::{Author, StaffMessage},
    i18n::{ConsoleKey, Key},
};

use super::{Ticket, loaded};
use crate::{
    api,
    i18n::{Console, I18n, use_i18n},
};

#[component]
pub fn Thread(
    /// The ticket's reference, for attachment links.
    reference: String,
    /// The page's ticket.
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    let messages = move || loaded(ticket, |t| t.messages.clone()).unwrap_or_default();
    view! {
        <section class="thread" aria-labelledby="thread-title">
            <h2 id="thread-title">{move || i18n.tr(ConsoleKey::Conversation)}</h2>
            <ol class="conversation">
                <For each=messages key=|message| message.id let:message>
                    <Message reference=reference.clone() message />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn Message(
    /// The ticket's reference, for attachment links.
    reference: String,
    /// The message to show.
    message: StaffMessage,
) -> impl IntoView {
    let i18n = use_i18n();
    let (class, kind) = match message.author {
        Author::Customer => ("message from-customer", ConsoleKey::AuthorCustomer),
        Author::Agent => ("message from-agent", ConsoleKey::AuthorReply),
        Author::Note => ("message note", ConsoleKey::AuthorNote),
    };
    let who = message.staff.as_ref().map(|s| s.name.clone());
    let created = message.created_at;
    view! {
        <li class=class>
            <p class="message-meta" title=move || i18n.date_time(created)>
                <span class="message-kind">{move || i18n.tr(kind)}</span>
                {message.by_email.then(|| view! {
                    <span class="message-by-email">{move || i18n.tr(ConsoleKey::ByEmail)}</span>
                })}
                {who.map(|name| view! { <bdi class="message-author">{name}</bdi> })}
                <span>{move || i18n.relative(created)}</span>
            </p>
            <div class="message-body" dir="auto">{message.body.clone()}</div>
            {message.email_original.clone().map(|full| view! {
                <details class="message-original">
                    <summary>{move || i18n.tr(ConsoleKey::EmailOriginal)}</summary>
                    <div class="message-body" dir="auto">{full}</div>
                </details>
            })}
            {(!message.attachments.is_empty()).then(move || view! {
                <ul class="message-files" aria-label=move || i18n.t(Key::Attachments)>
                    {message
                        .attachments
                        .iter()
                        .cloned()
                        .map(move |file| attachment(i18n, &reference, file))
                        .collect_view()}
                </ul>
            })}
        </li>
    }
}

fn attachment(i18n: I18n, reference: &str, file: AttachmentView) -> impl IntoView + use<> {
    let url = api::tickets::attachment_url(reference, &file.id);
    let label = i18n.fill(Key::Download, &[("name", &file.name)]);
    view! {
        <li class="file">
            <a href=url download aria-label=label>
                <bdi class="file-name">{file.name.clone()}</bdi>
            </a>
            <span class="file-size">{move || i18n.size(file.size)}</span>
        </li>
    }
}
