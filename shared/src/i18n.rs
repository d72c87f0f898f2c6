//! Translated messages. The `Lang` and `Key` enums are generated from
//! `shared/locales/*.json` by `build.rs`; this module adds what the files
//! cannot say: text direction, placeholder filling and language negotiation.

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

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

impl Key {
    /// The message with each `{name}` replaced by its value.
    pub fn fill(self, lang: Lang, args: &[(&str, &str)]) -> String {
        fill(self.text(lang), args)
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
    }
}
