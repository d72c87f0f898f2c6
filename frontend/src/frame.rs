//! The part of the page frame both apps have alike: the language the app
//! starts in, keeping `<html lang dir>` on the chosen language, and the
//! language select (the choice kept in the one `pasokh_lang` cookie, so a
//! member switching on one side finds it on the other).

use leptos::prelude::*;
use shared::i18n::{Key, Lang};

use crate::i18n::{I18n, use_i18n};

/// Detects the language and provides it, and keeps the document's `lang`
/// and `dir` on it.
///
/// The app is built behind the static shell index.html painted, and takes
/// its place once it is complete (`start`). The customer's shell is that
/// page's frame and first screen (api/build/shell.rs), so what was painted
/// stays in place.
pub fn take_over() -> I18n {
    let i18n = I18n::detect();
    provide_context(i18n);
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
            let _ = root.set_attribute("dir", lang.dir().as_str());
        }
    });
    i18n
}

/// A select of the languages, each named in itself; the choice is kept.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language">
            <label for="language">{move || i18n.t(Key::Language)}</label>
            <select
                id="language"
                on:change=move |event| {
                    if let Some(lang) = Lang::from_code(&event_target_value(&event)) {
                        i18n.choose(lang);
                    }
                }
            >
                {Lang::ALL
                    .iter()
                    .map(|&lang| view! {
                        <option value=lang.code() lang=lang.code() prop:selected=move || i18n.lang.get() == lang>
                            {Key::MetaName.text(lang)}
                        </option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
