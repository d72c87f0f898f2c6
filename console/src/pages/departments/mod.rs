//! `/console/departments` (admins): every department, offered or not, each
//! in its own editor, and a form to add one. A saved edit shows in the
//! customer wizard at once.

mod editor;
mod form;
mod form_field;
mod new;

use leptos::prelude::*;
use shared::i18n::{ConsoleKey, Key};

use crate::{
    api::{self, StaffMessage},
    app::use_title,
    i18n::{Console, use_i18n},
};

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
                <form::DepartmentForm slug=department.slug />
            </For>
            <new::NewDepartment departments />
        </section>
    }
}
