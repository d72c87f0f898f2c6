//! A department's form (admins): the extra fields customers answer in step 3
//! of the wizard. Fields are added, edited, moved and removed here and sent
//! as one list; the server keeps the order, and tickets keep the answers
//! they were opened with whatever changes later.

use leptos::prelude::*;
use shared::{
    forms::{FormField, Kind, Localized, check_definitions},
    i18n::{ConsoleKey, Key},
    validate::{Field as FieldName, FieldError},
};

use super::form_field::{Edited, FieldEditor};
use crate::{
    api::{self, ApiError, StaffMessage},
    components::notice::Notice,
    i18n::{Console, I18n, use_i18n},
};

type Form = Vec<FormField<Localized>>;

/// Loads the department's form, then edits it.
#[component]
pub fn DepartmentForm(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new({
        let slug = slug.clone();
        move || api::admin::form(&slug)
    });
    move || match loaded.get() {
        None => view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{error.staff_message(i18n)}</p> }.into_any(),
        Some(Ok(form)) => view! { <FormEditor slug=slug.clone() form /> }.into_any(),
    }
}

/// The sentence for a refused field: its number in the list and the problem.
fn refusal(i18n: I18n, error: &FieldError) -> String {
    let number = match error.field {
        FieldName::Form(index) => index + 1,
        _ => 0,
    };
    i18n.tr_fill(
        ConsoleKey::FormFieldProblem,
        &[
            ("number", &i18n.number(number as f64)),
            ("problem", &i18n.problem(error.field, error.problem)),
        ],
    )
}

#[component]
fn FormEditor(slug: String, form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let next_row = StoredValue::new(form.len());
    let list = RwSignal::new(
        form.iter()
            .enumerate()
            .map(|(row, field)| Edited::new(row, field))
            .collect::<Vec<_>>(),
    );
    let local = RwSignal::new(None::<FieldError>);
    let save = Action::new_local({
        let slug = slug.clone();
        move |form: &Form| {
            let sent = api::admin::save_form(&slug, form);
            async move {
                let saved = sent.await?;
                next_row.set_value(saved.len());
                list.set(
                    saved
                        .iter()
                        .enumerate()
                        .map(|(row, field)| Edited::new(row, field))
                        .collect(),
                );
                Ok::<_, ApiError>(())
            }
        }
    });
    let failed = Signal::derive(move || {
        if let Some(error) = local.get() {
            return Some(refusal(i18n, &error));
        }
        match &*save.value().read() {
            Some(Err(error)) => Some(match error.fields().first() {
                Some(field) => refusal(i18n, field),
                None => error.staff_message(i18n),
            }),
            _ => None,
        }
    });
    let saved = Signal::derive(move || {
        (!save.pending().get()
            && local.get().is_none()
            && matches!(*save.value().read(), Some(Ok(()))))
        .then(|| i18n.tr(ConsoleKey::Saved).to_owned())
    });
    let add = move |_| {
        let row = next_row.get_value();
        next_row.set_value(row + 1);
        let blank = FormField {
            id: 0,
            kind: Kind::Text,
            required: false,
            pattern: None,
            label: Localized::default(),
            hint: Localized::default(),
            options: Vec::new(),
        };
        list.update(|list| list.push(Edited::new(row, &blank)));
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let form: Form = list.with_untracked(|list| list.iter().map(Edited::field).collect());
        match check_definitions(&form) {
            Ok(()) => {
                local.set(None);
                save.dispatch(form);
            }
            Err(error) => local.set(Some(error)),
        }
    };
    let title_id = format!("{slug}-form-title");
    // The department's name first: every department has a "Form fields".
    let labelled_by = format!("department-{slug} {title_id}");
    view! {
        <form class="card department-form" novalidate on:submit=submit aria-labelledby=labelled_by>
            <h3 id=title_id>{move || i18n.tr(ConsoleKey::FormFields)}</h3>
            <p class="hint">{move || i18n.tr(ConsoleKey::FormFieldsHint)}</p>
            <For each=move || list.get() key=|edited| edited.row let:edited>
                <FieldEditor slug=slug.clone() edited list />
            </For>
            <button type="button" class="button secondary" on:click=add>
                {move || i18n.tr(ConsoleKey::FormAddField)}
            </button>
            <Notice message=failed error=true />
            <Notice message=saved />
            <button type="submit" class="button primary" disabled=move || save.pending().get()>
                {move || i18n.tr(ConsoleKey::FormSaveFields)}
            </button>
        </form>
    }
}
