//! Translated messages. The `Lang` and `Key` enums are generated from
//! `shared/locales/*.json` by `build.rs` (`MailKey` from `locales/mail/`,
//! `ConsoleKey` from `locales/console/`); this module adds what the files
//! cannot say: text direction, placeholder filling and language negotiation.

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

// The emails' texts: only the server calls them, so no bundle carries them.
include!(concat!(env!("OUT_DIR"), "/mail_i18n.rs"));

// The staff console's messages: built (and checked) always, compiled in only
// for the console.
#[cfg(feature = "console")]
include!(concat!(env!("OUT_DIR"), "/console_i18n.rs"));

/// A message of either catalogue, `Key` or `ConsoleKey`: what the
/// components both apps share take as a label, so one component serves the
/// customer's keys and the console's alike.
pub trait Text: Copy + Send + Sync + 'static {
    /// The message in `lang`.
    fn in_lang(self, lang: Lang) -> &'static str;
}

impl Text for Key {
    fn in_lang(self, lang: Lang) -> &'static str {
        self.text(lang)
    }
}

#[cfg(feature = "console")]
impl Text for ConsoleKey {
    fn in_lang(self, lang: Lang) -> &'static str {
        self.text(lang)
    }
}

/// Text direction of a language, as in `<html dir>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

impl Lang {
    /// The default when nothing else says which language to use.
    pub const DEFAULT: Lang = Lang::En;

    /// Read from each locale file's `meta-dir` so a translator sets it.
    pub fn dir(self) -> Dir {
        match Key::MetaDir.text(self) {
            "rtl" => Dir::Rtl,
            _ => Dir::Ltr,
        }
    }

    /// The locale tag for the browser's `Intl` (calendar and digits included,
    /// e.g. `fa-IR-u-ca-persian-nu-arabext`), from each file's `meta-locale`.
    pub fn locale(self) -> &'static str {
        Key::MetaLocale.text(self)
    }

    /// ASCII digits written with the language's digits (`meta-digits`), for
    /// references and other numbers shown inside text.
    pub fn digits(self, text: &str) -> String {
        let digits: Vec<char> = Key::MetaDigits.text(self).chars().collect();
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => digits.get(d as usize).copied().unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    /// The first supported language in a preference list such as the
    /// `Accept-Language` header or `navigator.languages` (`fa-IR`, `ru;q=0.8`).
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        preferences.into_iter().find_map(|tag| {
            let tag = tag.split(';').next().unwrap_or_default().trim();
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            Lang::from_code(&primary.to_ascii_lowercase())
        })
    }
}

/// Replace `{name}` placeholders in a template.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The text before and after a `{name}` placeholder, so that the value can
/// be put in its own element (isolated with `<bdi>`, say).
pub fn around<'a>(template: &'a str, name: &str) -> (&'a str, &'a str) {
    let placeholder = format!("{{{name}}}");
    match template.find(&placeholder) {
        Some(at) => (&template[..at], &template[at + placeholder.len()..]),
        None => (template, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_a_direction() {
        // build.rs refuses to generate code for incomplete files; this checks
        // that what it generated is not empty either.
        for lang in Lang::ALL {
            assert!(!Key::AppName.text(*lang).is_empty());
            assert_eq!(Lang::from_code(lang.code()), Some(*lang));
            assert!(matches!(Key::MetaDir.text(*lang), "ltr" | "rtl"));
        }
    }

    #[test]
    fn every_locale_file_has_exactly_the_english_keys() {
        // build.rs already refuses incomplete files; this test says so
        // independently, reading the files as a translator leaves them.
        for dir in ["locales", "locales/console"] {
            same_keys_in_every_language(dir);
        }
    }

    fn same_keys_in_every_language(dir: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let keys = |code: &str| -> std::collections::BTreeSet<String> {
            let text =
                std::fs::read_to_string(dir.join(format!("{code}.json"))).expect("locale file");
            let map: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&text).expect("flat JSON");
            assert!(
                map.values().all(|v| !v.trim().is_empty()),
                "{code}: empty message"
            );
            map.into_keys().collect()
        };
        let english = keys("en");
        for lang in Lang::ALL {
            let other = keys(lang.code());
            let missing: Vec<_> = english.difference(&other).collect();
            let extra: Vec<_> = other.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}/{}: missing {missing:?}, extra {extra:?}",
                dir.display(),
                lang.code()
            );
        }
    }

    #[test]
    fn digits_follow_the_language() {
        assert_eq!(Lang::Fa.digits("12345-67890"), "۱۲۳۴۵-۶۷۸۹۰");
        assert_eq!(Lang::Ru.digits("12345-67890"), "12345-67890");
        assert_eq!(Lang::Fa.dir(), Dir::Rtl);
        assert_eq!(Lang::Ru.dir(), Dir::Ltr);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            Key::WizardProgress.fill(Lang::En, &[("step", "2"), ("total", "3")]),
            "Step 2 of 3"
        );
    }

    #[test]
    fn negotiation_takes_the_first_supported_language() {
        assert_eq!(Lang::negotiate(["de-DE", "en-US;q=0.8"]), Some(Lang::En));
        assert_eq!(Lang::negotiate(["de", "fr"]), None);
        assert_eq!(Lang::negotiate(["EN"]), Some(Lang::En));
        assert_eq!(Lang::negotiate(["fa-IR", "en"]), Some(Lang::Fa));
        assert_eq!(Lang::negotiate(["de", "ru-RU;q=0.9"]), Some(Lang::Ru));
    }
}
