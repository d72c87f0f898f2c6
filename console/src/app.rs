//! The console's frame (skip link, header with the member's navigation and
//! the language: the take-over and the switcher are the customer app's, in
//! `frontend::frame`) and its routes, all under `/console`. The pages past
//! sign-in sit inside `SignedIn`, which loads the member and the live feed.

use frontend::frame::{self, LanguageSwitcher};
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use shared::i18n::{ConsoleKey, Key};

use crate::{
    i18n::{Console, use_i18n},
    pages::{
        canned::CannedPage, departments::DepartmentsPage, not_found::NotFound,
        password::SetPasswordPage, queue::QueuePage, security::SecurityPage, sign_in::SignInPage,
        staff::StaffPage, ticket::TicketPage,
    },
    session::{Nav, Session, SignedIn},
    shortcuts::Help,
};

#[component]
pub fn App() -> impl IntoView {
    // The static shell in index.html painted the frame; the app takes over.
    let i18n = frame::take_over();
    provide_context(Session::new());

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
                        <Route path=path!("canned") view=CannedPage />
                        <Route path=path!("security") view=SecurityPage />
                    </ParentRoute>
                </Routes>
            </main>
            <Help />
        </Router>
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
