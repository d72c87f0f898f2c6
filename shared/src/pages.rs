//! The customer portal's index pages, one per kind of first screen: which
//! one a path gets (the server), what it shows before the wasm runs and
//! whether search engines may index it (`api/build.rs`, which writes them).
//! One table, so the page written and the page served cannot disagree.

use crate::i18n::{Key, Lang};

/// What the index page for a path paints before the app takes over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/`: the whole home page, as the app draws it.
    Home,
    /// `/new`: the frame and the wizard's first step down to its first choice.
    NewTicket,
    /// `/find`: the frame and the page's heading.
    FindTicket,
    /// `/account/sign-in`, `/account/sign-up`, `/account/forgot`: the frame
    /// and the page's heading.
    SignIn,
    SignUp,
    Forgot,
    /// A ticket, an emailed link, a rating or a sent ticket's page: the
    /// frame only, and `noindex` (they hold one person's ticket).
    Private,
    /// Any other route: the frame only.
    Other,
}

/// The new-ticket wizard's steps, by their short names: the app's step
/// bar, and the one the `/new` page shows before the app runs.
pub const WIZARD_STEPS: [Key; 3] = [
    Key::StepChannelShort,
    Key::StepDepartmentShort,
    Key::StepDetailsShort,
];

/// Path prefixes of pages that belong to one person: never indexed, and
/// disallowed in robots.txt (with the API's and the console's).
pub const PRIVATE_PREFIXES: &[&str] = &["/tickets/", "/link", "/rate", "/sent/"];

impl Page {
    pub const ALL: [Page; 8] = [
        Page::Home,
        Page::NewTicket,
        Page::FindTicket,
        Page::SignIn,
        Page::SignUp,
        Page::Forgot,
        Page::Private,
        Page::Other,
    ];

    /// The page the server sends for a client-side route of the portal.
    pub fn for_path(path: &str) -> Page {
        match path {
            "/" => Page::Home,
            "/new" => Page::NewTicket,
            "/find" => Page::FindTicket,
            "/account/sign-in" => Page::SignIn,
            "/account/sign-up" => Page::SignUp,
            "/account/forgot" => Page::Forgot,
            _ if PRIVATE_PREFIXES.iter().any(|p| path.starts_with(p)) => Page::Private,
            _ => Page::Other,
        }
    }

    /// The embedded file: `/index.fa.html` for the home page (also the
    /// console's one name), `/index.fa.new.html` for the others.
    pub fn file(self, lang: Lang) -> String {
        match self.variant() {
            None => format!("/index.{}.html", lang.code()),
            Some(variant) => format!("/index.{}.{variant}.html", lang.code()),
        }
    }

    fn variant(self) -> Option<&'static str> {
        match self {
            Page::Home => None,
            Page::NewTicket => Some("new"),
            Page::FindTicket => Some("find"),
            Page::SignIn => Some("sign-in"),
            Page::SignUp => Some("sign-up"),
            Page::Forgot => Some("forgot"),
            Page::Private => Some("private"),
            Page::Other => Some("page"),
        }
    }

    /// The page's `<h1>`, when the static page can show it.
    pub fn heading(self) -> Option<Key> {
        match self {
            Page::Home => Some(Key::HomeTitle),
            Page::NewTicket => Some(Key::NewTicket),
            Page::FindTicket => Some(Key::FindTitle),
            Page::SignIn => Some(Key::SignIn),
            Page::SignUp => Some(Key::SignUp),
            Page::Forgot => Some(Key::ForgotTitle),
            Page::Private | Page::Other => None,
        }
    }

    /// The document title before and after the app takes over: the page's
    /// heading, then the desk's name (the name alone without a heading).
    pub fn title(self, lang: Lang) -> String {
        match self.heading() {
            Some(heading) => title(heading, lang),
            None => Key::AppName.text(lang).to_owned(),
        }
    }

    /// Whether search engines may index it.
    pub fn indexed(self) -> bool {
        self != Page::Private
    }
}

/// The web app manifest in `lang` (each index page links its language's;
/// `/manifest.webmanifest` is the visitor's).
pub fn manifest_file(lang: Lang) -> String {
    format!("/manifest.{}.webmanifest", lang.code())
}

/// A page's title: its heading, then the desk's name (what the app's pages
/// set as they open, and the static pages say from the first byte).
pub fn title(heading: Key, lang: Lang) -> String {
    format!("{} — {}", heading.text(lang), Key::AppName.text(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_gets_its_first_screen() {
        assert_eq!(Page::for_path("/"), Page::Home);
        assert_eq!(Page::for_path("/new"), Page::NewTicket);
        assert_eq!(Page::for_path("/find"), Page::FindTicket);
        for path in [
            "/tickets/12345-67890",
            "/link",
            "/rate/good",
            "/sent/12345-67890",
        ] {
            assert_eq!(Page::for_path(path), Page::Private, "{path}");
        }
        assert_eq!(Page::for_path("/account/sign-in"), Page::SignIn);
        assert_eq!(Page::for_path("/account/forgot"), Page::Forgot);
        for path in ["/account", "/news", "/some/deep/path"] {
            assert_eq!(Page::for_path(path), Page::Other, "{path}");
        }
        assert_eq!(Page::Home.file(Lang::Fa), "/index.fa.html");
        assert_eq!(Page::NewTicket.file(Lang::Ru), "/index.ru.new.html");
    }
}
