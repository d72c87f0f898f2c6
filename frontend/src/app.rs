//! The page frame (skip link, header, language) and the routes.

use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};
use shared::{
    i18n::{Key, Lang},
    limits::AttachmentLimits,
};

use crate::{
    api,
    i18n::{I18n, use_i18n},
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
    if let Some(shell) = document().query_selector(".shell").ok().flatten() {
        shell.remove();
    }
    let i18n = I18n::detect();
    provide_context(i18n);
    let config = LocalResource::new(api::config::show);
    provide_context(Limits(Signal::derive(move || {
        config.with(|c| match c {
            Some(Ok(config)) => config.attachments,
            _ => AttachmentLimits::default(),
        })
    })));
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

/// A select of the languages, each named in itself; the choice is kept.
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

/// Sets the document title to `key` followed by the desk's name.
pub fn use_title(key: Key) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!("{} — {}", i18n.t(key), i18n.t(Key::AppName)));
    });
}
