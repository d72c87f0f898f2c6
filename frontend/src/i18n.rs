//! The interface language: a context holding the current `Lang`, the text of
//! a message in it, and numbers, dates and sizes through the browser's `Intl`
//! (no calendar or number tables in the wasm).

use leptos::prelude::*;
use shared::{
    i18n::{Key, Lang},
    validate::{Field, Problem},
};
use wasm_bindgen::JsValue;

/// Copyable handle to the current language; `use_i18n` finds it.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// The language from `navigator.languages`, else English.
    pub fn detect() -> I18n {
        let preferred = window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect::<Vec<_>>();
        let lang = Lang::negotiate(preferred.iter().map(String::as_str)).unwrap_or(Lang::DEFAULT);
        I18n {
            lang: RwSignal::new(lang),
        }
    }

    /// The message in the current language (tracked: re-renders on change).
    pub fn t(self, key: Key) -> &'static str {
        key.text(self.lang.get())
    }

    /// The message with its placeholders filled.
    pub fn fill(self, key: Key, args: &[(&str, &str)]) -> String {
        key.fill(self.lang.get(), args)
    }

    /// The text before and after a `{name}` placeholder, so that the value
    /// can be put in its own element (isolated with `<bdi>`, say).
    pub fn around(self, key: Key, name: &str) -> (&'static str, &'static str) {
        let text = self.t(key);
        let placeholder = format!("{{{name}}}");
        match text.find(&placeholder) {
            Some(at) => (&text[..at], &text[at + placeholder.len()..]),
            None => (text, ""),
        }
    }

    /// A whole number in the language's digits.
    pub fn number(self, value: f64) -> String {
        js_sys::Number::from(value)
            .to_locale_string(self.lang.get().code())
            .as_string()
            .unwrap_or_default()
    }

    /// A point in time, date and time, in the language's calendar.
    pub fn date_time(self, unix_secs: i64) -> String {
        let options = js_sys::Object::new();
        set(&options, "dateStyle", "medium");
        set(&options, "timeStyle", "short");
        js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0))
            .to_locale_string(self.lang.get().code(), &options)
            .as_string()
            .unwrap_or_default()
    }

    /// `2.5 MB`, `340 kB`, in the language's digits and unit names.
    pub fn size(self, bytes: u64) -> String {
        let (value, unit) = if bytes >= 1024 * 1024 {
            (bytes as f64 / (1024.0 * 1024.0), "megabyte")
        } else {
            ((bytes as f64 / 1024.0).max(0.1), "kilobyte")
        };
        let options = js_sys::Object::new();
        set(&options, "style", "unit");
        set(&options, "unit", unit);
        set(
            &options,
            "maximumFractionDigits",
            if value < 10.0 { 1.0 } else { 0.0 },
        );
        let locales = js_sys::Array::of1(&JsValue::from_str(self.lang.get().code()));
        js_sys::Intl::NumberFormat::new(&locales, &options)
            .format()
            .call1(&JsValue::NULL, &JsValue::from_f64(value))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    /// The sentence telling the user what to fix in `field`.
    pub fn problem(self, field: Field, problem: Problem) -> String {
        let number = |n: usize| self.number(n as f64);
        match problem {
            Problem::Required => self.t(Key::ErrRequired).to_owned(),
            Problem::TooShort { min } => self.fill(Key::ErrTooShort, &[("min", &number(min))]),
            Problem::TooLong { max } => self.fill(Key::ErrTooLong, &[("max", &number(max))]),
            Problem::Invalid => self
                .t(match field {
                    Field::Email => Key::ErrInvalidEmail,
                    Field::Reference => Key::ErrInvalidReference,
                    _ => Key::ErrInvalid,
                })
                .to_owned(),
            Problem::Unknown => self.t(Key::ErrUnknownDepartment).to_owned(),
            Problem::TooManyFiles { max } => {
                self.fill(Key::ErrTooManyFiles, &[("max", &number(max))])
            }
            Problem::FileTooLarge { max } => {
                self.fill(Key::ErrFileTooLarge, &[("max", &self.size(max))])
            }
            Problem::TotalTooLarge { max } => {
                self.fill(Key::ErrTotalTooLarge, &[("max", &self.size(max))])
            }
            Problem::FileType => self.t(Key::ErrFileType).to_owned(),
            Problem::Unavailable => self.t(Key::ErrUnavailable).to_owned(),
        }
    }
}

fn set(object: &js_sys::Object, key: &str, value: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), &value.into());
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(I18n::detect)
}
