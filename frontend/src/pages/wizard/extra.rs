//! Step 3's questions of the chosen department (its form): the answers in
//! the wizard's state, and one labelled control per field, with its hint and
//! its error wired like `Field`'s, checked by the rule (`FormField::check`)
//! the server runs on Send.

use leptos::prelude::*;
use shared::{
    forms::{FieldValue, FormField, Kind, Pattern},
    i18n::Key,
    validate::{Field as FieldName, Problem},
};

use super::Form;
use crate::i18n::use_i18n;

/// The department's form in the wizard's state.
impl Form {
    /// The chosen department's form (empty while the list loads).
    fn fields(self) -> Vec<FormField<String>> {
        let slug = self.department.get();
        match self.departments.get() {
            Some(Ok(list)) => list
                .into_iter()
                .find(|d| d.slug == slug)
                .map(|d| d.fields)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn answer(self, id: i64) -> String {
        self.answers.with(|answers| {
            answers
                .iter()
                .find(|(field, _)| *field == id)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
    }

    fn set_answer(self, id: i64, value: String) {
        self.answers.update(|answers| {
            answers.retain(|(field, _)| *field != id);
            answers.push((id, value));
        });
    }

    /// Whether every question of the department's form is answered well.
    pub(super) fn answers_valid(self) -> bool {
        self.fields()
            .iter()
            .all(|field| field.check(&self.answer(field.id)).is_ok())
    }

    pub(super) fn answer_problem(self, id: i64) -> Option<Problem> {
        self.fields()
            .into_iter()
            .find(|field| field.id == id)
            .and_then(|field| field.check(&self.answer(id)).err())
    }

    /// The answers to send: one per field of the chosen department's form.
    pub(super) fn sent_answers(self) -> Vec<FieldValue> {
        untrack(|| self.fields())
            .into_iter()
            .map(|field| FieldValue {
                id: field.id,
                value: self.answer(field.id),
            })
            .collect()
    }
}

/// The department's fields, in its order.
pub fn questions(form: Form) -> impl IntoView {
    move || {
        form.fields()
            .into_iter()
            .map(|field| question(form, field))
            .collect_view()
    }
}

fn question(form: Form, field: FormField<String>) -> impl IntoView {
    let i18n = use_i18n();
    let name = FieldName::Form(field.id);
    let id = format!("form-field-{}", field.id);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let error = Signal::derive(move || form.error(i18n, name));
    let has_hint = !field.hint.is_empty();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = [
                has_hint.then_some(hint_id.as_str()),
                error.get().is_some().then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let field_id = field.id;
    let value = move || form.answer(field_id);
    let set = move |event| form.set_answer(field_id, event_target_value(&event));
    let blur = move |_| form.touch(name);
    let invalid = move || error.get().is_some().to_string();
    let control = match field.kind {
        Kind::Select => view! {
            <select id=id.clone() name=id.clone() class="select" aria-invalid=invalid aria-describedby=described_by
                prop:value=value on:change=set on:blur=blur>
                <option value="">{move || i18n.t(Key::FormChoose)}</option>
                {field.options.into_iter().map(|choice| view! {
                    <option value=choice.key>{choice.label}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            let (input_type, inputmode) = match (kind, field.pattern) {
                (Kind::Date, _) => ("date", None),
                (Kind::Number, _) => ("text", Some("decimal")),
                (_, Some(Pattern::Digits)) => ("text", Some("numeric")),
                (_, Some(Pattern::Email)) => ("text", Some("email")),
                (_, Some(Pattern::Phone)) => ("text", Some("tel")),
                _ => ("text", None),
            };
            view! {
                <input id=id.clone() name=id.clone() type=input_type inputmode=inputmode dir="auto"
                    aria-invalid=invalid aria-describedby=described_by
                    prop:value=value on:input=set on:blur=blur />
            }
            .into_any()
        }
    };
    let optional = (!field.required)
        .then(|| view! { " " <span class="optional">{move || i18n.t(Key::FormOptional)}</span> });
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{field.label}{optional}</label>
            {has_hint.then(|| view! { <p class="hint" id=hint_id>{field.hint}</p> })}
            {control}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
