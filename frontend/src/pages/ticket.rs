//! A ticket as its customer sees it: the facts, the conversation with its
//! files, a reply box, and close / reopen.

use frontend::shown::Shown;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    api::{AttachmentView, Author, MessageView, NewReply, ReplyCreated, Status, TicketView},
    i18n::Key,
    validate::{Field as FieldName, ReplyBody},
};

use crate::{
    api::{self, ApiError},
    app::{Limits, use_title},
    components::{
        answers::answer_facts,
        attachments::{Attachments, FileEntry, all_uploaded, uploaded},
        field::Field,
        notice::Notice,
    },
    draft,
    i18n::{I18n, use_i18n},
};

/// The ticket as loaded, then as changed by a reply, close or reopen. A
/// change is written into the resource, which also discards any load still
/// on its way from before it; of two loads (a quick language switch) only the
/// newer is kept.
type Ticket = LocalResource<Result<TicketView, ApiError>>;

/// Reads the loaded ticket, if it is.
fn loaded<U>(ticket: Ticket, read: impl FnOnce(&TicketView) -> U) -> Option<U> {
    ticket.with(|t| t.as_ref().and_then(|t| t.as_ref().ok()).map(read))
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::TicketReference);
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    // The ticket's dates are the page's first use of `Intl`, whose data the
    // browser loads then (20–40 ms). Asked for first, that load gets a task
    // of its own while the app starts (frontend::start), apart from drawing
    // the conversation.
    leptos::task::spawn_local(async move { i18n.load_intl() });
    let ticket: Ticket =
        LocalResource::new(move || api::tickets::show(&reference(), i18n.lang.get()));
    // The kind of content only, so a reply written into `ticket` does not
    // rebuild the reply form the customer types in.
    let shown = Memo::new(move |_| ticket.with(|t| Shown::of(t.as_ref(), |v| v.reference.clone())));

    move || match shown.get() {
        Shown::Loading => {
            view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any()
        }
        Shown::NotFound => view! {
            <section class="card">
                <h1>{i18n.t(Key::TicketNotFoundTitle)}</h1>
                <p>{i18n.t(Key::TicketNotFoundText)}</p>
                <A href="/find" attr:class="button primary">{i18n.t(Key::FindTicket)}</A>
            </section>
        }
        .into_any(),
        Shown::Failed(error) => view! {
            <section class="card">
                <h1>{i18n.t(Key::TicketLoadFailed)}</h1>
                <p role="alert">{error.message(i18n)}</p>
            </section>
        }
        .into_any(),
        Shown::Loaded(reference) => view! { <TicketDetails reference ticket /> }.into_any(),
    }
}

/// What the customer can do to a ticket besides replying.
#[derive(Clone, Copy, PartialEq)]
enum Change {
    Close,
    Reopen,
}

#[component]
fn TicketDetails(
    /// The ticket's reference, as the server spells it.
    reference: String,
    /// The page's ticket (loaded).
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    let field =
        move |read: fn(&TicketView) -> String| move || loaded(ticket, read).unwrap_or_default();
    let status = Memo::new(move |_| loaded(ticket, |v| v.status));
    let closed = Memo::new(move |_| status.get() == Some(Status::Closed));

    // Close and reopen answer with the whole ticket, which replaces ours.
    let change = Action::new_local({
        let reference = reference.clone();
        move |change: &Change| {
            let (change, reference) = (*change, reference.clone());
            let lang = i18n.lang.get_untracked();
            async move {
                let updated = match change {
                    Change::Close => api::tickets::close(&reference, lang).await,
                    Change::Reopen => api::tickets::reopen(&reference, lang).await,
                }?;
                ticket.set(Some(Ok(updated)));
                Ok::<_, ApiError>(())
            }
        }
    });
    let failed = Signal::derive(move || match &*change.value().read() {
        Some(Err(error)) => Some(error.message(i18n)),
        _ => None,
    });
    let busy = change.pending();
    let messages = move || loaded(ticket, |v| v.messages.clone()).unwrap_or_default();
    let message_reference = reference.clone();
    let reply_reference = reference.clone();

    view! {
        <section class="ticket">
            <h1>
                {move || i18n.around(Key::TicketTitle, "reference").0}
                <bdi class="reference">{
                    let reference = reference.clone();
                    move || i18n.digits(&reference)
                }</bdi>
                {move || i18n.around(Key::TicketTitle, "reference").1}
            </h1>
            <p class="subject"><bdi>{field(|v| v.subject.clone())}</bdi></p>
            <dl class="facts">
                <div><dt>{move || i18n.t(Key::TicketDepartment)}</dt><dd>{field(|v| v.department.name.clone())}</dd></div>
                <div><dt>{move || i18n.t(Key::TicketStatus)}</dt>
                    <dd class="status">{move || status.get().map(|s| i18n.t(s.key()))}</dd></div>
                <div><dt>{move || i18n.t(Key::TicketOpened)}</dt>
                    <dd>{move || loaded(ticket, |v| i18n.date_time(v.created_at))}</dd></div>
                // The department form's answers, worded as when the ticket was opened.
                {move || answer_facts(loaded(ticket, |v| v.answers.clone()).unwrap_or_default())}
            </dl>
            <h2>{move || i18n.t(Key::TicketConversation)}</h2>
            <ol class="conversation">
                <For each=messages key=|message| message.id let:message>
                    <Message reference=message_reference.clone() message=message />
                </For>
            </ol>
            <Notice message=failed error=true />
            {move || if closed.get() {
                view! {
                    <div class="card closed-note">
                        <p>{move || i18n.t(Key::TicketClosedNote)}</p>
                        <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| { change.dispatch(Change::Reopen); }>
                            {move || i18n.t(Key::ReopenTicket)}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <ReplyForm reference=reply_reference.clone() ticket=ticket />
                    <div class="actions end">
                        <button type="button" class="button secondary" disabled=move || busy.get() on:click=move |_| { change.dispatch(Change::Close); }>
                            {move || i18n.t(Key::CloseTicket)}
                        </button>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn Message(
    /// The ticket's reference, for attachment links.
    reference: String,
    /// The message to show.
    message: MessageView,
) -> impl IntoView {
    let i18n = use_i18n();
    // An agent's reply carries the agent's name, isolated (U+2068…U+2069)
    // so a Latin name keeps its order inside a Persian line.
    let (kind, name) = (message.author, message.author_name.clone());
    let author = move || match (kind, &name) {
        (Author::Customer, _) => i18n.t(Key::AuthorCustomer).to_owned(),
        (Author::Agent, Some(name)) => i18n.fill(
            Key::AuthorAgentNamed,
            &[("name", &format!("\u{2068}{name}\u{2069}"))],
        ),
        (Author::Agent, None) => i18n.t(Key::AuthorAgent).to_owned(),
    };
    let side = match message.author {
        Author::Customer => "message from-customer",
        Author::Agent => "message from-agent",
    };
    let created = message.created_at;
    view! {
        <li class=side>
            <p class="message-meta" title=move || i18n.date_time(created)>
                {move || i18n.fill(Key::MessageFrom, &[("author", &author()), ("date", &i18n.relative(created))])}
            </p>
            <div class="message-body" dir="auto">{message.body.clone()}</div>
            {(!message.attachments.is_empty()).then(move || view! {
                <ul class="message-files" aria-label=move || i18n.t(Key::Attachments)>
                    {message.attachments.iter().cloned().map(move |file| attachment(i18n, reference.clone(), file)).collect::<Vec<_>>()}
                </ul>
            })}
        </li>
    }
}

fn attachment(i18n: I18n, reference: String, file: AttachmentView) -> impl IntoView {
    let url = api::tickets::attachment_url(&reference, &file.id);
    let label = i18n.fill(Key::Download, &[("name", &file.name)]);
    let image = file.content_type.starts_with("image/");
    view! {
        <li class="file">
            {image.then(|| view! { <img class="thumb" src=url.clone() alt="" loading="lazy" /> })}
            <a href=url download aria-label=label>
                <bdi class="file-name">{file.name.clone()}</bdi>
            </a>
            <span class="file-size">{move || i18n.size(file.size)}</span>
        </li>
    }
}

#[component]
fn ReplyForm(
    /// The ticket's reference.
    reference: String,
    /// Gets the new message and status once the reply is stored.
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    let limits = Limits::get();
    // The reply being typed survives a reload, like the wizard's draft.
    let draft_key = format!("pasokh.draft.reply.{reference}");
    let body = RwSignal::new(draft::load::<String>(&draft_key, false).unwrap_or_default());
    Effect::new({
        let draft_key = draft_key.clone();
        move |_| body.with(|text| draft::save(&draft_key, text, false))
    });
    let files = RwSignal::new(Vec::<FileEntry>::new());
    let attempted = RwSignal::new(false);
    let send = Action::new_local(move |reply: &NewReply| {
        let sent = api::tickets::reply(&reference, reply);
        let draft_key = draft_key.clone();
        async move {
            let created = sent.await?;
            draft::remove(&draft_key, false);
            attempted.set(false);
            body.set(String::new());
            files.set(Vec::new());
            append(ticket, created);
            Ok::<_, ApiError>(())
        }
    });
    let refused = move || match &*send.value().read() {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    };
    // Hidden while sending, so that each reply stored is announced.
    let sent = Signal::derive(move || {
        let stored = !send.pending().get() && matches!(*send.value().read(), Some(Ok(())));
        stored.then(|| i18n.t(Key::ReplySent).to_owned())
    });
    let error = Signal::derive(move || {
        let local = attempted
            .get()
            .then(|| body.with(|b| ReplyBody::parse(b).err()))
            .flatten();
        local
            .map(|p| i18n.problem(FieldName::Body, p))
            .or_else(|| refused().and_then(|e| e.field_message(i18n, FieldName::Body)))
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        // Only our own checks stop a send: what the server said about the
        // last one may no longer apply.
        let invalid = body.with_untracked(|b| ReplyBody::parse(b).is_err());
        if invalid || !files.with_untracked(|f| all_uploaded(f)) {
            return;
        }
        send.dispatch(NewReply {
            body: body.get_untracked(),
            uploads: files
                .with_untracked(|f| uploaded(f))
                .into_iter()
                .map(|u| u.id)
                .collect(),
        });
    };
    view! {
        <form class="card reply" novalidate on:submit=submit>
            <Field id="reply-body" label=Key::ReplyLabel hint=Key::ReplyDraftKept multiline=true value=body error=error />
            <Attachments
                id="reply-attach"
                files=files
                limits=limits
                error=Signal::derive(move || refused().and_then(|e| e.field_message(i18n, FieldName::Attachments)))
            />
            <Notice message=Signal::derive(move || refused().map(|e| e.message(i18n))) error=true />
            <Notice message=sent />
            <button type="submit" class="button primary" disabled=move || send.pending().get()>{move || i18n.t(Key::Reply)}</button>
        </form>
    }
}

/// Adds the stored reply to the conversation (once, should a load that
/// already has it have arrived first) and takes the ticket's new status.
fn append(ticket: Ticket, created: ReplyCreated) {
    ticket.update(|t| {
        if let Some(Ok(view)) = t {
            view.status = created.status;
            if !view.messages.iter().any(|m| m.id == created.message.id) {
                view.messages.push(created.message);
            }
        }
    });
}
