//! What a department lets happen by email (admins): its staff answering a
//! ticket by replying to its mail, and mail to the desk's address opening a
//! ticket here. Two checkboxes and a save of their own, below the editor.

use leptos::prelude::*;
use shared::{
    console::DepartmentMail,
    i18n::{ConsoleKey, Key},
};

use crate::{
    api::{self, ApiError, StaffMessage},
    i18n::{Console, use_i18n},
};

/// Loads the department's settings, then edits them.
#[component]
pub fn DepartmentMailSettings(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new({
        let slug = slug.clone();
        move || api::admin::department_mail(&slug)
    });
    move || match loaded.get() {
        None => view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{error.staff_message(i18n)}</p> }.into_any(),
        Some(Ok(settings)) => view! { <MailEditor slug=slug.clone() settings /> }.into_any(),
    }
}

#[component]
fn MailEditor(slug: String, settings: DepartmentMail) -> impl IntoView {
    let i18n = use_i18n();
    let agents_reply = RwSignal::new(settings.agents_reply);
    let new_tickets = RwSignal::new(settings.new_tickets);
    let address = settings.address.clone();
    let save = Action::new_local({
        let slug = slug.clone();
        move |wanted: &DepartmentMail| {
            let sent = api::admin::save_department_mail(&slug, wanted);
            async move {
                let saved = sent.await?;
                agents_reply.set(saved.agents_reply);
                new_tickets.set(saved.new_tickets);
                Ok::<_, ApiError>(())
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(DepartmentMail {
            agents_reply: agents_reply.get_untracked(),
            new_tickets: new_tickets.get_untracked(),
            address: String::new(),
        });
    };
    let title_id = format!("{slug}-mail-title");
    // The department's name first: every department has an "Email".
    let labelled_by = format!("department-{slug} {title_id}");
    let hint = move || {
        let address = view! { <bdi>{address.clone()}</bdi> };
        let text = i18n.tr(ConsoleKey::DepartmentNewTicketsHint);
        // The address sits in <bdi>, so it reads left to right in Persian too.
        let (before, after) = text.split_once("{address}").unwrap_or((text, ""));
        view! { {before.to_owned()}{address}{after.to_owned()} }
    };
    view! {
        <form class="card department-mail" novalidate on:submit=submit aria-labelledby=labelled_by>
            <h3 id=title_id>{move || i18n.tr(ConsoleKey::DepartmentMail)}</h3>
            <Rule id=format!("{slug}-agents-reply") label=ConsoleKey::DepartmentAgentsReply checked=agents_reply>
                {move || i18n.tr(ConsoleKey::DepartmentAgentsReplyHint)}
            </Rule>
            <Rule id=format!("{slug}-new-tickets") label=ConsoleKey::DepartmentNewTickets checked=new_tickets>
                {hint}
            </Rule>
            <super::Saving save />
        </form>
    }
}

/// One rule: a checkbox, its label, and its hint (the children), which
/// describes it to screen readers.
#[component]
fn Rule(
    id: String,
    label: ConsoleKey,
    checked: RwSignal<bool>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    view! {
        <div class="check">
            <input type="checkbox" id=id.clone() aria-describedby=hint_id.clone()
                prop:checked=move || checked.get()
                on:change=move |event| checked.set(event_target_checked(&event)) />
            <label for=id>{move || i18n.tr(label)}</label>
        </div>
        <p class="hint" id=hint_id>{children()}</p>
    }
}
