//! The page frame (skip link, header, language) and the routes.

use frontend::frame::{self, LanguageSwitcher};
use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};
use shared::{i18n::Key, limits::AttachmentLimits};

use crate::{
    api,
    i18n::use_i18n,
    pages::{
        find::FindTicket, home::Home, link::OpenLink, not_found::NotFound, sent::Sent,
        ticket::TicketPage, wizard::NewTicketWizard,
    },
};

/// The attachment limits the server announced (defaults until it answers,
/// or if it cannot: the server checks again anyway).
#[derive(Clone, Copy)]
pub struct Limits(pub Signal<AttachmentLimits>);

#[component]
pub fn App() -> impl IntoView {
    // The static shell in index.html painted the frame; the app takes over.
    let i18n = frame::take_over();
    let config = LocalResource::new(api::config::show);
    provide_context(Limits(Signal::derive(move || {
        config.with(|c| match c {
            Some(Ok(config)) => config.attachments,
            _ => AttachmentLimits::default(),
        })
    })));

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t(Key::SkipToContent)}</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/new") view=NewTicketWizard />
                    <Route path=path!("/sent/:reference") view=Sent />
                    <Route path=path!("/link") view=OpenLink />
                    <Route path=path!("/tickets/:reference") view=TicketPage />
                    <Route path=path!("/find") view=FindTicket />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <nav aria-label=move || i18n.t(Key::NavMain)>
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {move || i18n.t(Key::AppName)}
                </A>
                <A href="/find" attr:class="nav-link">{move || i18n.t(Key::FindTicket)}</A>
                <LanguageSwitcher />
            </nav>
        </header>
    }
}

/// Sets the document title to `key` followed by the desk's name.
pub fn use_title(key: Key) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!("{} — {}", i18n.t(key), i18n.t(Key::AppName)));
    });
}
