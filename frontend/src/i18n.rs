//! The interface language: a context holding the current `Lang`, the text of
//! a message in it, and numbers, dates and sizes through the browser's `Intl`
//! (no calendar or number tables in the wasm).

use leptos::prelude::*;
use shared::{
    i18n::{Key, Lang},
    validate::{Field, Problem},
};
use wasm_bindgen::{JsCast, JsValue};

/// Remembers the switcher's choice; read by the app, not the server.
const LANG_COOKIE: &str = "pasokh_lang";

/// A cookie's value from `document.cookie`.
fn cookie(name: &str) -> Option<String> {
    let all = document()
        .dyn_ref::<web_sys::HtmlDocument>()?
        .cookie()
        .ok()?;
    all.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// Copyable handle to the current language; `use_i18n` finds it.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// The language picked with the switcher (a cookie), else the one the
    /// server chose for the page (`<html lang>`, from `Accept-Language`), so
    /// the app speaks as the first screen did; else the first of
    /// `navigator.languages` we speak, else English.
    pub fn detect() -> I18n {
        let chosen = cookie(LANG_COOKIE)
            .or_else(|| document().document_element()?.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code));
        let preferred = window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect::<Vec<_>>();
        let lang = chosen
            .or_else(|| Lang::negotiate(preferred.iter().map(String::as_str)))
            .unwrap_or(Lang::DEFAULT);
        I18n {
            lang: RwSignal::new(lang),
        }
    }

    /// Switches the interface language and remembers the choice for a year.
    pub fn choose(self, lang: Lang) {
        if let Some(document) = document().dyn_ref::<web_sys::HtmlDocument>() {
            let _ = document.set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            ));
        }
        self.lang.set(lang);
    }

    /// ASCII digits in the language's digits (a reference, say).
    pub fn digits(self, text: &str) -> String {
        self.lang.get().digits(text)
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
        shared::i18n::around(self.t(key), name)
    }

    /// A whole number in the language's digits.
    ///
    /// Below 1,000 no language groups digits, so those are written with the
    /// language's digits directly: a page's first call into `Intl` costs
    /// 20–40 ms (ICU loads its data), and the wizard's "step 1 of 3" made
    /// that call during the app's start.
    pub fn number(self, value: f64) -> String {
        if value.fract() == 0.0 && (0.0..1000.0).contains(&value) {
            return self.lang.get().digits(&(value as u16).to_string());
        }
        js_sys::Number::from(value)
            .to_locale_string(self.lang.get().locale())
            .as_string()
            .unwrap_or_default()
    }

    /// Has the browser load what `Intl` needs for this language, by writing
    /// one date: the first use in a page costs 20–40 ms, later ones little.
    pub fn load_intl(self) {
        self.date_time(0);
    }

    /// A point in time, date and time, in the language's calendar.
    pub fn date_time(self, unix_secs: i64) -> String {
        let options = js_sys::Object::new();
        set(&options, "dateStyle", "medium");
        set(&options, "timeStyle", "short");
        js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0))
            .to_locale_string(self.lang.get().locale(), &options)
            .as_string()
            .unwrap_or_default()
    }

    /// "3 hours ago", "yesterday", in the language (and its digits).
    pub fn relative(self, unix_secs: i64) -> String {
        let elapsed = (js_sys::Date::now() / 1000.0) as i64 - unix_secs;
        let (value, unit) = match elapsed.max(0) {
            s if s < 60 => (-s, "second"),
            s if s < 3600 => (-(s / 60), "minute"),
            s if s < 86_400 => (-(s / 3600), "hour"),
            s if s < 30 * 86_400 => (-(s / 86_400), "day"),
            s if s < 365 * 86_400 => (-(s / (30 * 86_400)), "month"),
            s => (-(s / (365 * 86_400)), "year"),
        };
        let options = js_sys::Object::new();
        set(&options, "numeric", "auto");
        let locales = js_sys::Array::of1(&JsValue::from_str(self.lang.get().locale()));
        js_sys::Intl::RelativeTimeFormat::new(&locales, &options)
            .format(value as f64, unit)
            .into()
    }

    /// "in 5 minutes": a wait of `secs` seconds from now, rounded up.
    pub fn after(self, secs: u64) -> String {
        let (value, unit) = match secs {
            s if s < 60 => (s.max(1), "second"),
            s if s < 3600 => (s.div_ceil(60), "minute"),
            s if s < 86_400 => (s.div_ceil(3600), "hour"),
            s => (s.div_ceil(86_400), "day"),
        };
        let locales = js_sys::Array::of1(&JsValue::from_str(self.lang.get().locale()));
        js_sys::Intl::RelativeTimeFormat::new(&locales, &js_sys::Object::new())
            .format(value as f64, unit)
            .into()
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
        // Short unit names are Latin ("MB") even in Persian; long ones are not.
        set(&options, "unitDisplay", "long");
        set(
            &options,
            "maximumFractionDigits",
            if value < 10.0 { 1.0 } else { 0.0 },
        );
        let locales = js_sys::Array::of1(&JsValue::from_str(self.lang.get().locale()));
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
                    Field::CurrentPassword => Key::ErrWrongPassword,
                    _ => Key::ErrInvalid,
                })
                .to_owned(),
            Problem::Unknown => self
                .t(match field {
                    Field::Form(_) => Key::ErrFieldGone,
                    _ => Key::ErrUnknownDepartment,
                })
                .to_owned(),
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
            Problem::NonAsciiMailbox => self.t(Key::ErrEmailNotAscii).to_owned(),
            Problem::MixedScripts => self.t(Key::ErrEmailMixedScripts).to_owned(),
            Problem::TagTooLong { max } => {
                self.fill(Key::ErrEmailTagTooLong, &[("max", &number(max))])
            }
            Problem::Undeliverable => self.t(Key::ErrEmailUndeliverable).to_owned(),
            Problem::CommonPassword => self.t(Key::ErrCommonPassword).to_owned(),
            Problem::Taken => self.t(Key::ErrTaken).to_owned(),
            Problem::Pattern { pattern } => self.t(pattern.error_key()).to_owned(),
            Problem::NotANumber => self.t(Key::ErrNotANumber).to_owned(),
            Problem::NotADate => self.t(Key::ErrNotADate).to_owned(),
            Problem::NotAnOption => self.t(Key::ErrNotAnOption).to_owned(),
        }
    }
}

fn set(object: &js_sys::Object, key: &str, value: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), &value.into());
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(I18n::detect)
}
