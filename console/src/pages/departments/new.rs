//! Adding a department: its identifier (the slug, in addresses and the
//! API) and its English name, which every other language falls back to.
//! It starts hidden from customers, so that its texts can be completed
//! before it is offered.

use leptos::prelude::*;
use shared::{
    console::{DepartmentAdmin, DepartmentText},
    i18n::{ConsoleKey, Lang},
    validate::{Field as FieldName, Problem},
};

use crate::{
    api::{self, ApiError, StaffMessage},
    components::{field::Field, notice::Notice},
    i18n::{Console, use_i18n},
};

#[component]
pub fn NewDepartment(
    /// The page's list: refetched once the department exists.
    departments: LocalResource<Result<Vec<DepartmentAdmin>, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let slug = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let add = Action::new_local(move |department: &DepartmentAdmin| {
        let sent = api::admin::save_department(department);
        async move {
            sent.await?;
            slug.set(String::new());
            name.set(String::new());
            attempted.set(false);
            departments.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let refused = move || match &*add.value().read() {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    };
    // What the server said, else "required" for an empty field once tried.
    let problem = move |value: RwSignal<String>, field: FieldName| {
        Signal::derive(move || {
            let empty = attempted.get() && value.with(|v| v.trim().is_empty());
            let local = empty.then(|| i18n.problem(field, Problem::Required));
            local.or_else(|| refused().and_then(|e| e.field_message(i18n, field)))
        })
    };
    let slug_error = problem(slug, FieldName::Department);
    let name_error = problem(name, FieldName::Name);
    let taken = move |wanted: &str| {
        departments.with(|d| matches!(d, Some(Ok(list)) if list.iter().any(|d| d.slug == wanted)))
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        let wanted = slug.get_untracked().trim().to_owned();
        if wanted.is_empty() || name.with_untracked(|n| n.trim().is_empty()) || taken(&wanted) {
            return;
        }
        let position = departments.with_untracked(|d| match d {
            Some(Ok(list)) => list.iter().map(|d| d.position).max().unwrap_or(0) + 1,
            _ => 1,
        });
        add.dispatch(DepartmentAdmin {
            slug: wanted,
            position,
            active: false,
            texts: vec![DepartmentText {
                lang: Lang::En,
                name: name.get_untracked().trim().to_owned(),
                explanation: String::new(),
            }],
        });
    };
    view! {
        <form class="card invite" novalidate on:submit=submit aria-labelledby="new-department-title">
            <h2 id="new-department-title">{move || i18n.tr(ConsoleKey::NewDepartment)}</h2>
            <Field id="new-department-slug" label=ConsoleKey::DepartmentSlug hint=ConsoleKey::DepartmentSlugHint
                value=slug error=slug_error autocomplete="off" />
            <Field id="new-department-name" label=ConsoleKey::DepartmentEnglishName value=name error=name_error autocomplete="off" />
            <Notice message=Signal::derive(move || refused().filter(|e| e.fields().is_empty()).map(|e| e.staff_message(i18n))) error=true />
            <button type="submit" class="button primary" disabled=move || add.pending().get()>
                {move || i18n.tr(ConsoleKey::AddDepartment)}
            </button>
        </form>
    }
}
