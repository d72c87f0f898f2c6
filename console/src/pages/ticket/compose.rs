//! Writing on a ticket: two tabs, "Reply" (to the customer, by email) and
//! "Internal note" (staff only), each with its own text and files. If
//! someone wrote on the ticket since this member started typing, the server
//! refuses with `stale`: the new message shows and the member chooses to
//! send anyway. The keys `r` and `n` open a tab with its box focused; `c`
//! (or the button beside the box) opens the canned-reply picker.

use leptos::prelude::*;
use shared::{
    api::ErrorCode,
    console::NewStaffMessage,
    i18n::ConsoleKey,
    validate::{Field as FieldName, ReplyBody},
};
use wasm_bindgen::JsCast;

use super::{Ticket, Typing, canned, loaded};
use crate::{
    api::{self, ApiError, StaffMessage},
    components::{
        attachments::{Attachments, FileEntry, all_uploaded, uploaded},
        notice::Notice,
    },
    i18n::{Console, use_i18n},
    shortcuts::{Shortcut, focus_soon, use_shortcuts},
};

/// One tab's draft.
#[derive(Clone, Copy)]
struct Draft {
    internal: bool,
    body: RwSignal<String>,
    files: RwSignal<Vec<FileEntry>>,
    /// The last message on screen when typing started: what "seen" means.
    seen: RwSignal<Option<i64>>,
    attempted: RwSignal<bool>,
}

impl Draft {
    fn new(internal: bool) -> Draft {
        Draft {
            internal,
            body: RwSignal::new(String::new()),
            files: RwSignal::new(Vec::new()),
            seen: RwSignal::new(None),
            attempted: RwSignal::new(false),
        }
    }

    fn message(self, ticket: Ticket, force: bool) -> NewStaffMessage {
        let last = loaded(ticket, |t| t.messages.last().map(|m| m.id)).flatten();
        NewStaffMessage {
            body: self.body.get_untracked(),
            internal: self.internal,
            uploads: self
                .files
                .with_untracked(|f| uploaded(f))
                .into_iter()
                .map(|u| u.id)
                .collect(),
            seen_message: self.seen.get_untracked().or(last),
            force,
        }
    }

    fn clear(self) {
        self.body.set(String::new());
        self.files.set(Vec::new());
        self.seen.set(None);
        self.attempted.set(false);
    }
}

#[component]
pub fn Compose(
    /// The ticket's reference.
    reference: String,
    /// The page's ticket: refetched once a message is stored.
    ticket: Ticket,
    /// Focus and typing, for the presence beat.
    typing: Typing,
) -> impl IntoView {
    let i18n = use_i18n();
    let reply = Draft::new(false);
    let note = Draft::new(true);
    let note_tab = RwSignal::new(false);
    let picker = RwSignal::new(false);
    use_shortcuts(move |shortcut| {
        let (note, id) = match shortcut {
            Shortcut::Reply => (false, "reply-body"),
            Shortcut::Note => (true, "note-body"),
            Shortcut::Canned => {
                picker.set(true);
                return true;
            }
            _ => return false,
        };
        note_tab.set(note);
        focus_soon(id);
        true
    });
    let send = Action::new_local(move |(draft, force): &(Draft, bool)| {
        let (draft, sent) = (
            *draft,
            api::tickets::write(&reference, &draft.message(ticket, *force)),
        );
        async move {
            let result = sent.await;
            match &result {
                Ok(_) => draft.clear(),
                // The message that made it stale is shown before deciding.
                Err(e) if e.code() == Some(ErrorCode::Stale) => ticket.refetch(),
                Err(_) => {}
            }
            if result.is_ok() {
                ticket.refetch();
            }
            (draft.internal, result.map(|_| ()))
        }
    });
    let tab = move |internal: bool, key: ConsoleKey| {
        let id = if internal { "tab-note" } else { "tab-reply" };
        view! {
            <button
                type="button"
                role="tab"
                id=id
                aria-controls="compose-panel"
                aria-selected=move || (note_tab.get() == internal).to_string()
                tabindex=move || if note_tab.get() == internal { "0" } else { "-1" }
                on:click=move |_| note_tab.set(internal)
                on:keydown=move |event: leptos::ev::KeyboardEvent| {
                    // The tab pattern: arrows (and Home/End) move between
                    // the tabs, which Tab skips; with two, any of them
                    // goes to the other one.
                    if matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                        event.prevent_default();
                        note_tab.set(!internal);
                        let other = if internal { "tab-reply" } else { "tab-note" };
                        if let Some(tab) = document()
                            .get_element_by_id(other)
                            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = tab.focus();
                        }
                    }
                }
            >
                {move || i18n.tr(key)}
            </button>
        }
    };
    view! {
        <section class="compose" aria-labelledby="compose-title">
            <h2 id="compose-title" class="visually-hidden">{move || i18n.tr(ConsoleKey::Write)}</h2>
            <div role="tablist" class="tabs" aria-labelledby="compose-title">
                {tab(false, ConsoleKey::Reply)}
                {tab(true, ConsoleKey::InternalNote)}
            </div>
            <div
                id="compose-panel"
                role="tabpanel"
                class="compose-panel"
                class:note-panel=move || note_tab.get()
                aria-labelledby=move || if note_tab.get() { "tab-note" } else { "tab-reply" }
            >
                {move || {
                    let draft = if note_tab.get() { note } else { reply };
                    view! { <Form draft send typing ticket picker /> }
                }}
            </div>
        </section>
    }
}

#[component]
fn Form(
    /// The tab's text and files.
    draft: Draft,
    /// Sends a draft (forced or not); its value says which tab it was.
    send: Action<(Draft, bool), (bool, Result<(), ApiError>)>,
    /// Focus and typing, for the presence beat.
    typing: Typing,
    /// The page's ticket, for the last message seen.
    ticket: Ticket,
    /// Whether the canned-reply picker is open.
    picker: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (label, button, done, id) = if draft.internal {
        (
            ConsoleKey::InternalNote,
            ConsoleKey::AddNote,
            ConsoleKey::NoteAdded,
            "note-body",
        )
    } else {
        (
            ConsoleKey::Reply,
            ConsoleKey::SendReply,
            ConsoleKey::ReplySent,
            "reply-body",
        )
    };
    let hint = if draft.internal {
        ConsoleKey::NoteHint
    } else {
        ConsoleKey::ReplyHint
    };
    let limits = LocalResource::new(api::tickets::config);
    let limits = Signal::derive(move || match limits.get() {
        Some(Ok(config)) => config.attachments,
        _ => Default::default(),
    });
    // This tab's outcome only.
    let outcome = move || {
        send.value().with(|v| match v {
            Some((internal, result)) if *internal == draft.internal => Some(result.clone()),
            _ => None,
        })
    };
    let stale = move || matches!(outcome(), Some(Err(e)) if e.code() == Some(ErrorCode::Stale));
    let refused = move || match outcome() {
        Some(Err(e)) if e.code() != Some(ErrorCode::Stale) => Some(e),
        _ => None,
    };
    let error = Signal::derive(move || {
        let local = (draft.attempted.get())
            .then(|| draft.body.with(|b| ReplyBody::parse(b).err()))
            .flatten()
            .map(|p| i18n.problem(FieldName::Body, p));
        local.or_else(|| refused().and_then(|e| e.field_message(i18n, FieldName::Body)))
    });
    let dispatch = move |force: bool| {
        draft.attempted.set(true);
        let invalid = draft.body.with_untracked(|b| ReplyBody::parse(b).is_err());
        if invalid || !draft.files.with_untracked(|f| all_uploaded(f)) {
            return;
        }
        send.dispatch((draft, force));
    };
    // Typing (or inserting) into an empty box: what is on screen now is seen.
    let seen_now = move || {
        if draft.body.with_untracked(String::is_empty) {
            draft
                .seen
                .set(loaded(ticket, |t| t.messages.last().map(|m| m.id)).flatten());
        }
    };
    let on_pick = Callback::new(move |text: String| {
        seen_now();
        canned::insert(id, draft.body, &text);
        typing.last_input.set(js_sys::Date::now());
    });
    let sent = Signal::derive(move || {
        (!send.pending().get() && matches!(outcome(), Some(Ok(()))))
            .then(|| i18n.tr(done).to_owned())
    });
    view! {
        <form class="compose-form" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            dispatch(false);
        }>
            <div class="field" class:invalid=move || error.get().is_some()>
                <label for=id>{move || i18n.tr(label)}</label>
                <p class="hint" id=format!("{id}-hint")>{move || i18n.tr(hint)}</p>
                <textarea
                    id=id
                    rows="6"
                    dir="auto"
                    aria-describedby=format!("{id}-hint {id}-error")
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || draft.body.get()
                    on:focus=move |_| typing.focused.set(true)
                    on:blur=move |_| typing.focused.set(false)
                    on:input=move |event| {
                        seen_now();
                        draft.body.set(event_target_value(&event));
                        typing.last_input.set(js_sys::Date::now());
                    }
                ></textarea>
                <p class="field-error" id=format!("{id}-error")>{move || error.get()}</p>
            </div>
            <canned::Picker target=id open=picker ticket on_pick />
            <Attachments id=if draft.internal { "note-attach" } else { "reply-attach" } files=draft.files limits
                error=Signal::derive(move || refused().and_then(|e| e.field_message(i18n, FieldName::Attachments))) />
            <Notice message=Signal::derive(move || refused().map(|e| e.staff_message(i18n))) error=true />
            <Notice message=sent />
            {move || stale().then(|| view! {
                <div class="notice notice-error stale" role="alert">
                    <p>{i18n.tr(ConsoleKey::StaleWarning)}</p>
                    <button type="button" class="button secondary" on:click=move |_| dispatch(true)>
                        {i18n.tr(ConsoleKey::SendAnyway)}
                    </button>
                </div>
            })}
            <button type="submit" class="button primary" disabled=move || send.pending().get()>
                {move || i18n.tr(button)}
            </button>
        </form>
    }
}
