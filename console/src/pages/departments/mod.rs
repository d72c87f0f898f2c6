//! `/console/departments` (admins): every department, offered or not, each
//! in its own editor (with its mail settings and its form), and a form to
//! add one. A saved edit shows in the customer wizard at once.

mod editor;
mod form;
mod form_field;
mod mail;
mod new;

use leptos::prelude::*;
use shared::i18n::{ConsoleKey, Key};

use crate::{
    api::{self, ApiError, StaffMessage},
    app::use_title,
    components::notice::Notice,
    i18n::{Console, use_i18n},
};

/// The end of a department's form: the refusal, or "Saved." once the last
/// save went through, and the save button (off while saving).
#[component]
fn Saving<T: Send + Sync + 'static>(save: Action<T, Result<(), ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let failed = Signal::derive(move || match &*save.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    });
    let saved = Signal::derive(move || {
        (!save.pending().get() && matches!(*save.value().read(), Some(Ok(()))))
            .then(|| i18n.tr(ConsoleKey::Saved).to_owned())
    });
    view! {
        <Notice message=failed error=true />
        <Notice message=saved />
        <button type="submit" class="button primary" disabled=move || save.pending().get()>
            {move || i18n.tr(ConsoleKey::Save)}
        </button>
    }
}

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::Departments);
    let departments = LocalResource::new(api::admin::departments);
    let list = move || match departments.get() {
        Some(Ok(list)) => list,
        _ => Vec::new(),
    };
    view! {
        <section class="admin" aria-labelledby="departments-title">
            <h1 id="departments-title">{move || i18n.tr(ConsoleKey::Departments)}</h1>
            {move || match departments.get() {
                None => Some(view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any()),
                Some(Err(error)) => Some(view! { <p role="alert">{error.staff_message(i18n)}</p> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <For each=list key=|d| d.slug.clone() let:department>
                <editor::Editor department=department.clone() />
                <mail::DepartmentMailSettings slug=department.slug.clone() />
                <form::DepartmentForm slug=department.slug />
            </For>
            <new::NewDepartment departments />
        </section>
    }
}
