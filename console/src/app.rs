//! The console's frame (skip link, header with the member's navigation and
//! the language) and its routes, all under `/console`. The pages past
//! sign-in sit inside `SignedIn`, which loads the member and the live feed.

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use shared::i18n::{ConsoleKey, Key, Lang};

use crate::{
    i18n::{Console, I18n, use_i18n},
    pages::{
        departments::DepartmentsPage, not_found::NotFound, password::SetPasswordPage,
        queue::QueuePage, security::SecurityPage, sign_in::SignInPage, staff::StaffPage,
        ticket::TicketPage,
    },
    session::{Nav, Session, SignedIn},
};

#[component]
pub fn App() -> impl IntoView {
    // The static shell in index.html painted the frame; the app takes over.
    if let Some(shell) = document().query_selector(".shell").ok().flatten() {
        shell.remove();
    }
    let i18n = I18n::detect();
    provide_context(i18n);
    provide_context(Session::new());
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
            let _ = root.set_attribute("dir", lang.dir().as_str());
        }
    });

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t(Key::SkipToContent)}</a>
            <header class="topbar">
                <div class="bar">
                    <span class="brand">
                        <span class="brand-mark" aria-hidden="true"></span>
                        {move || i18n.tr(ConsoleKey::ConsoleName)}
                    </span>
                    <Nav />
                    <LanguageSwitcher />
                </div>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/console/sign-in") view=SignInPage />
                    <Route path=path!("/console/password") view=SetPasswordPage />
                    <ParentRoute path=path!("/console") view=SignedIn>
                        <Route path=path!("") view=QueuePage />
                        <Route path=path!("tickets/:reference") view=TicketPage />
                        <Route path=path!("staff") view=StaffPage />
                        <Route path=path!("departments") view=DepartmentsPage />
                        <Route path=path!("security") view=SecurityPage />
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// A select of the languages, each named in itself; the choice is kept in
/// the same cookie as the customer side's.
#[component]
fn LanguageSwitcher() -> impl IntoView {
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

/// Sets the document title to `key` followed by the console's name.
pub fn use_title(key: ConsoleKey) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!(
            "{} — {}",
            i18n.tr(key),
            i18n.tr(ConsoleKey::ConsoleName)
        ));
    });
}
