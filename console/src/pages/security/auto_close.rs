//! Admins: after how many days an answered ticket the customer left
//! unanswered closes by itself (0: never). Saved on the server, read by the
//! job at each run: no restart.

use leptos::prelude::*;
use shared::{
    i18n::{ConsoleKey, Key},
    satisfaction::AutoClose,
    validate::{Field as FieldName, Problem},
};

use crate::{
    api::{self, StaffMessage},
    components::notice::Notice,
    i18n::{Console, use_i18n},
};

/// The days as typed, checked by the rule the server applies.
fn parse(text: &str) -> Result<AutoClose, Problem> {
    let days = shared::digits::to_ascii_digits(text.trim())
        .parse()
        .map_err(|_| Problem::NotANumber)?;
    AutoClose { days }.check()
}

#[component]
pub fn AutoCloseSetting() -> impl IntoView {
    let i18n = use_i18n();
    let days = RwSignal::new(String::new());
    let loaded = LocalResource::new(api::admin::auto_close);
    Effect::new(move |_| {
        if let Some(Ok(setting)) = loaded.get() {
            days.set(setting.days.to_string());
        }
    });
    let save = Action::new_local(move |wanted: &AutoClose| api::admin::save_auto_close(*wanted));
    let attempted = RwSignal::new(false);
    let error = move || {
        let local = attempted
            .get()
            .then(|| days.with(|d| parse(d).err()))
            .flatten()
            .map(|p| i18n.problem(FieldName::Name, p));
        local.or_else(|| match &*save.value().read() {
            Some(Err(error)) => Some(error.staff_message(i18n)),
            _ => None,
        })
    };
    let saved = Signal::derive(move || {
        matches!(*save.value().read(), Some(Ok(_))).then(|| i18n.t(Key::Saved).to_owned())
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if let Ok(wanted) = days.with_untracked(|d| parse(d)) {
            save.dispatch(wanted);
        }
    };
    view! {
        <form class="card" novalidate on:submit=submit aria-labelledby="auto-close-label">
            <div class="field" class:invalid=move || error().is_some()>
                <label id="auto-close-label" for="auto-close-days">{move || i18n.tr(ConsoleKey::AutoCloseDays)}</label>
                // Text, not number: a number field refuses Persian digits.
                <input id="auto-close-days" type="text" inputmode="numeric" size="4"
                    aria-describedby="auto-close-error" aria-invalid=move || error().is_some().to_string()
                    prop:value=move || days.get() on:input=move |event| days.set(event_target_value(&event)) />
                <p class="field-error" id="auto-close-error">{error}</p>
            </div>
            <Notice message=saved />
            <button type="submit" class="button primary" disabled=move || save.pending().get()>
                {move || i18n.tr(ConsoleKey::Save)}
            </button>
        </form>
    }
}
