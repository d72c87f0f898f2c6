//! A labelled text input or textarea with its hint and its error, wired for
//! screen readers: the hint and the error describe the input, and the input
//! is marked invalid while the error shows. Both apps use it: the label
//! and hint are any `Text` (the customer's `Key`s, the console's
//! `ConsoleKey`s).

use leptos::{oco::Oco, prelude::*};
use shared::i18n::Text;

use crate::i18n::use_i18n;

#[component]
pub fn Field<L: Text>(
    /// The input's id; the hint's and the error's ids derive from it. A
    /// literal mostly, built where one page repeats a field (per language).
    #[prop(into)]
    id: Oco<'static, str>,
    /// The visible label.
    label: L,
    /// The text being edited.
    value: RwSignal<String>,
    /// What to fix, if anything; shown under the field.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// A sentence under the label.
    #[prop(optional)]
    hint: Option<L>,
    /// A sentence under the label already worded (a rule with its number
    /// filled in, say), instead of `hint`.
    #[prop(optional, into)]
    hint_text: Option<Signal<String>>,
    /// `email`, `text`, …
    #[prop(default = "text")]
    input_type: &'static str,
    /// A textarea instead of an input.
    #[prop(optional)]
    multiline: bool,
    /// The textarea's height in lines.
    #[prop(default = 8)]
    rows: u32,
    /// The `autocomplete` token, e.g. `email`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// `inputmode`, e.g. `numeric`.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// A live line under the field, e.g. a character counter.
    #[prop(optional, into)]
    counter: Option<Signal<String>>,
    /// Called when the field loses focus.
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() || hint_text.is_some() {
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
    let blur = move |_| {
        if let Some(on_blur) = on_blur {
            on_blur.run(());
        }
    };
    let input = move |ev| value.set(event_target_value(&ev));
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=id.clone()
                rows=rows
                dir="auto"
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=input
                on:blur=blur
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
                on:blur=blur
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{move || label.in_lang(i18n.lang.get())}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.in_lang(i18n.lang.get())}</p> })}
            {hint_text.map(|text| view! { <p class="hint" id=hint_id>{move || text.get()}</p> })}
            {control}
            {counter.map(|counter| view! { <p class="counter">{move || counter.get()}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
