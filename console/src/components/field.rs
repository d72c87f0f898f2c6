//! A labelled text input or textarea with its hint and its error, wired for
//! screen readers like the customer app's: the hint and the error describe
//! the input, which is marked invalid while the error shows.

use leptos::prelude::*;
use shared::i18n::ConsoleKey;

use crate::i18n::{Console, use_i18n};

#[component]
pub fn Field(
    /// The input's id; the hint's and the error's ids derive from it.
    #[prop(into)]
    id: String,
    /// The visible label.
    label: ConsoleKey,
    /// The text being edited.
    value: RwSignal<String>,
    /// What to fix, if anything; shown under the field.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// A sentence under the label.
    #[prop(optional)]
    hint: Option<ConsoleKey>,
    /// `email`, `password`, `text`, …
    #[prop(default = "text")]
    input_type: &'static str,
    /// A textarea instead of an input.
    #[prop(optional)]
    multiline: bool,
    /// The `autocomplete` token, e.g. `current-password`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// `inputmode`, e.g. `numeric`.
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    };
    let input = move |ev| value.set(event_target_value(&ev));
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=id.clone()
                rows="6"
                dir="auto"
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=id.clone()
                type=input_type
                dir="auto"
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=input
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{move || i18n.tr(label)}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || i18n.tr(hint)}</p> })}
            {control}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
