//! A ticket as its customer sees it: the facts, the conversation with its
//! files, a reply box, and close / reopen.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    api::{AttachmentView, Author, ErrorCode, MessageView, NewReply, Status, TicketView},
    i18n::Key,
    validate::{Field as FieldName, ReplyBody},
};

use crate::{
    api::{self, ApiError},
    app::{Limits, use_title},
    components::{
        attachments::{Attachments, FileEntry, all_uploaded, uploaded},
        field::Field,
        notice::Notice,
    },
    draft,
    i18n::{I18n, use_i18n},
};

/// What the page shows; changes only when the kind of content changes, so
/// an updated ticket does not rebuild the reply form the customer types in.
#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    NotFound,
    Failed(ApiError),
    Loaded,
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::TicketReference);
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let ticket = RwSignal::new(None::<Result<TicketView, ApiError>>);
    // Only the newest request may set the ticket (a quick language switch
    // sends two; the older answer must not win).
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let url = format!(
            "/api/tickets/{}?lang={}",
            reference(),
            i18n.lang.get().code()
        );
        latest.update_value(|n| *n += 1);
        let request = latest.get_value();
        spawn_local(async move {
            let result = api::get::<TicketView>(&url).await;
            if latest.try_get_value() == Some(request) {
                ticket.set(Some(result));
            }
        });
    });
    let shown = Memo::new(move |_| match ticket.get() {
        None => Shown::Loading,
        Some(Ok(_)) => Shown::Loaded,
        Some(Err(error)) if error.code() == Some(ErrorCode::NotFound) => Shown::NotFound,
        Some(Err(error)) => Shown::Failed(error),
    });

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
        Shown::Loaded => view! { <TicketDetails ticket=ticket /> }.into_any(),
    }
}

fn status_key(status: Status) -> Key {
    match status {
        Status::AwaitingConfirmation => Key::StatusAwaitingConfirmation,
        Status::Open => Key::StatusOpen,
        Status::Answered => Key::StatusAnswered,
        Status::Closed => Key::StatusClosed,
    }
}

#[component]
fn TicketDetails(
    /// The page's ticket (loaded); replaced by the server's answer after each change.
    ticket: RwSignal<Option<Result<TicketView, ApiError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let view = Memo::new(move |_| ticket.get().and_then(Result::ok));
    let field = move |read: fn(&TicketView) -> String| {
        move || view.with(|v| v.as_ref().map(read).unwrap_or_default())
    };
    let reference =
        view.with_untracked(|v| v.as_ref().map(|v| v.reference.clone()).unwrap_or_default());
    let status = Memo::new(move |_| view.with(|v| v.as_ref().map(|v| v.status)));
    let closed = Memo::new(move |_| status.get() == Some(Status::Closed));
    let failed = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    // Close and reopen: POST, then show the ticket the server returns.
    let change = {
        let reference = reference.clone();
        move |action: &'static str| {
            let url = format!(
                "/api/tickets/{reference}/{action}?lang={}",
                i18n.lang.get_untracked().code()
            );
            busy.set(true);
            spawn_local(async move {
                let result = api::post::<_, TicketView>(&url, &()).await;
                busy.set(false);
                match result {
                    Ok(updated) => {
                        failed.set(None);
                        ticket.set(Some(Ok(updated)));
                    }
                    Err(error) => failed.set(Some(error)),
                }
            });
        }
    };
    let close = change.clone();
    let reopen = change;
    let messages =
        move || view.with(|v| v.as_ref().map(|v| v.messages.clone()).unwrap_or_default());
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
                    <dd class="status">{move || status.get().map(|s| i18n.t(status_key(s)))}</dd></div>
                <div><dt>{move || i18n.t(Key::TicketOpened)}</dt>
                    <dd>{move || view.with(|v| v.as_ref().map(|v| i18n.date_time(v.created_at)))}</dd></div>
            </dl>
            <h2>{move || i18n.t(Key::TicketConversation)}</h2>
            <ol class="conversation">
                <For each=messages key=|message| message.id let:message>
                    <Message reference=message_reference.clone() message=message />
                </For>
            </ol>
            <Notice message=Signal::derive(move || failed.get().map(|e| e.message(i18n))) error=true />
            {move || if closed.get() {
                let reopen = reopen.clone();
                view! {
                    <div class="card closed-note">
                        <p>{move || i18n.t(Key::TicketClosedNote)}</p>
                        <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| reopen("reopen")>
                            {move || i18n.t(Key::ReopenTicket)}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                let close = close.clone();
                view! {
                    <ReplyForm reference=reply_reference.clone() ticket=ticket />
                    <div class="actions end">
                        <button type="button" class="button secondary" disabled=move || busy.get() on:click=move |_| close("close")>
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
    let author = match message.author {
        Author::Customer => Key::AuthorCustomer,
        Author::Agent => Key::AuthorAgent,
    };
    let side = match message.author {
        Author::Customer => "message from-customer",
        Author::Agent => "message from-agent",
    };
    let created = message.created_at;
    view! {
        <li class=side>
            <p class="message-meta" title=move || i18n.date_time(created)>
                {move || i18n.fill(Key::MessageFrom, &[("author", i18n.t(author)), ("date", &i18n.relative(created))])}
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
    let url = format!("/api/tickets/{reference}/attachments/{}", file.id);
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
    /// Set to the server's updated ticket once the reply is stored.
    ticket: RwSignal<Option<Result<TicketView, ApiError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let limits = use_context::<Limits>().map(|l| l.0).unwrap_or_default();
    // The reply being typed survives a reload, like the wizard's draft.
    let draft_key = format!("pasokh.draft.reply.{reference}");
    let body = RwSignal::new(draft::load::<String>(&draft_key, false).unwrap_or_default());
    Effect::new({
        let draft_key = draft_key.clone();
        move |_| body.with(|text| draft::save(&draft_key, text, false))
    });
    let files = RwSignal::new(Vec::<FileEntry>::new());
    let attempted = RwSignal::new(false);
    let refused = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = Signal::derive(move || {
        let local = attempted
            .get()
            .then(|| body.with(|b| ReplyBody::parse(b).err()))
            .flatten();
        local.map(|p| i18n.problem(FieldName::Body, p)).or_else(|| {
            refused.with(|r| {
                r.as_ref()
                    .and_then(|e| e.field_message(i18n, FieldName::Body))
            })
        })
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if error.get_untracked().is_some() || !files.with_untracked(|f| all_uploaded(f)) {
            return;
        }
        let url = format!(
            "/api/tickets/{reference}/messages?lang={}",
            i18n.lang.get_untracked().code()
        );
        let reply = NewReply {
            body: body.get_untracked(),
            uploads: files
                .with_untracked(|f| uploaded(f))
                .into_iter()
                .map(|u| u.id)
                .collect(),
        };
        busy.set(true);
        sent.set(None);
        let draft_key = draft_key.clone();
        spawn_local(async move {
            let result = api::post::<_, TicketView>(&url, &reply).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    draft::remove(&draft_key, false);
                    attempted.set(false);
                    refused.set(None);
                    body.set(String::new());
                    files.set(Vec::new());
                    sent.set(Some(i18n.t(Key::ReplySent).to_owned()));
                    ticket.set(Some(Ok(updated)));
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    view! {
        <form class="card reply" novalidate on:submit=submit>
            <Field id="reply-body" label=Key::ReplyLabel hint=Key::ReplyDraftKept multiline=true value=body error=error />
            <Attachments
                id="reply-attach"
                files=files
                limits=limits
                error=Signal::derive(move || refused.with(|r| r.as_ref().and_then(|e| e.field_message(i18n, FieldName::Attachments))))
            />
            <Notice message=Signal::derive(move || refused.get().map(|e| e.message(i18n))) error=true />
            <Notice message=sent />
            <button type="submit" class="button primary" disabled=move || busy.get()>{move || i18n.t(Key::Reply)}</button>
        </form>
    }
}
