//! The console's language: the customer app's `I18n` (the same `pasokh_lang`
//! cookie and `navigator.languages` order, the same `Intl` formatting of
//! numbers, sizes and dates), from the `frontend` library so both sides
//! behave alike, plus the console's own messages (`ConsoleKey`).

pub use frontend::i18n::{I18n, use_i18n};
use leptos::prelude::*;
use shared::i18n::ConsoleKey;

/// The console's messages through the shared `I18n` handle.
pub trait Console {
    /// The message in the current language (tracked: re-renders on change).
    fn tr(self, key: ConsoleKey) -> &'static str;
    /// The message with its placeholders filled.
    fn tr_fill(self, key: ConsoleKey, args: &[(&str, &str)]) -> String;
    /// The text before and after a `{name}` placeholder, so that the value
    /// can sit in its own element (isolated with `<bdi>`, say).
    fn tr_around(self, key: ConsoleKey, name: &str) -> (&'static str, &'static str);
}

impl Console for I18n {
    fn tr(self, key: ConsoleKey) -> &'static str {
        key.text(self.lang.get())
    }

    fn tr_fill(self, key: ConsoleKey, args: &[(&str, &str)]) -> String {
        key.fill(self.lang.get(), args)
    }

    fn tr_around(self, key: ConsoleKey, name: &str) -> (&'static str, &'static str) {
        let text = self.tr(key);
        let placeholder = format!("{{{name}}}");
        match text.find(&placeholder) {
            Some(at) => (&text[..at], &text[at + placeholder.len()..]),
            None => (text, ""),
        }
    }
}
