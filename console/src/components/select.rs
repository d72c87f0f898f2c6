//! A labelled `<select>`: the queue's filters and the ticket's controls.
//! Options are value/text pairs so that pages translate the texts.

use leptos::prelude::*;
use shared::i18n::ConsoleKey;

use crate::i18n::{Console, use_i18n};

#[component]
pub fn Select(
    /// The select's id, for its label.
    #[prop(into)]
    id: String,
    /// The visible label.
    label: ConsoleKey,
    /// `(value, text)` of each option, in order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The value selected now.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the value chosen.
    on_change: Callback<String>,
    /// Greyed out (while a change is on its way, say).
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field select">
            <label for=id.clone()>{move || i18n.tr(label)}</label>
            <select
                name=id.clone()
                id=id
                disabled=move || disabled.get()
                on:change=move |event| on_change.run(event_target_value(&event))
            >
                <For each=move || options.get() key=|option| option.clone() let:option>
                    <option value=option.0.clone() prop:selected=move || value.get() == option.0>
                        {option.1}
                    </option>
                </For>
            </select>
        </div>
    }
}
