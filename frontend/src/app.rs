//! The page frame (skip link, header, language) and the routes.

use frontend::frame::{self, LanguageSwitcher};
use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};
use shared::{api::PublicConfig, i18n::Key, limits::AttachmentLimits};

use crate::{
    account,
    api::{self, ApiError},
    i18n::use_i18n,
    pages::{
        account::{
            forgot::{ForgotPage, ResetPage},
            settings::AccountPage,
            sign_in::SignInPage,
            sign_up::SignUpPage,
            tickets::MyTicketsPage,
            verify::VerifyPage,
        },
        find::FindTicket,
        home::Home,
        link::OpenLink,
        not_found::NotFound,
        rate::RatePage,
        sent::Sent,
        ticket::TicketPage,
        wizard::NewTicketWizard,
    },
};

/// The attachment limits the server announces in `/api/config`, asked the
/// first time a page shows an attachment field — most first loads (the home
/// page, the wizard's first step) never do, so they make one request fewer —
/// then kept for the visit. Defaults until it answers, or if it cannot: the
/// server checks again anyway.
#[derive(Clone, Copy)]
pub struct Limits {
    config: StoredValue<Option<LocalResource<Result<PublicConfig, ApiError>>>>,
    /// The app's owner: the answer outlives the page that first asked.
    owner: StoredValue<Option<Owner>>,
}

impl Limits {
    fn provide() {
        provide_context(Limits {
            config: StoredValue::new(None),
            owner: StoredValue::new(Owner::current()),
        });
    }

    /// The limits, asking the server the first time.
    pub fn get() -> Signal<AttachmentLimits> {
        let Some(limits) = use_context::<Limits>() else {
            return Signal::default();
        };
        let config = limits.config.get_value().unwrap_or_else(|| {
            let ask = || LocalResource::new(api::config::show);
            let config = limits
                .owner
                .with_value(|owner| owner.as_ref().map(|owner| owner.with(ask)))
                .unwrap_or_else(ask);
            limits.config.set_value(Some(config));
            config
        });
        Signal::derive(move || {
            config.with(|answer| match answer {
                Some(Ok(config)) => config.attachments,
                _ => AttachmentLimits::default(),
            })
        })
    }
}

#[component]
pub fn App() -> impl IntoView {
    // The static shell in index.html painted the frame; the app takes over.
    frame::take_over();
    Limits::provide();

    view! {
        <Router>
            <Framed />
        </Router>
    }
}

/// Inside the router: the account (refetched on route changes), the
/// header and the pages.
#[component]
fn Framed() -> impl IntoView {
    let i18n = use_i18n();
    account::provide();
    view! {
        <a class="skip-link" href="#main">{move || i18n.t(Key::SkipToContent)}</a>
        <Header />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/new") view=NewTicketWizard />
                <Route path=path!("/sent/:reference") view=Sent />
                <Route path=path!("/link") view=OpenLink />
                <Route path=path!("/rate/:choice") view=RatePage />
                <Route path=path!("/tickets/:reference") view=TicketPage />
                <Route path=path!("/find") view=FindTicket />
                <Route path=path!("/account") view=AccountPage />
                <Route path=path!("/account/sign-in") view=SignInPage />
                <Route path=path!("/account/sign-up") view=SignUpPage />
                <Route path=path!("/account/verify") view=VerifyPage />
                <Route path=path!("/account/forgot") view=ForgotPage />
                <Route path=path!("/account/reset") view=ResetPage />
                <Route path=path!("/account/tickets") view=MyTicketsPage />
            </Routes>
        </main>
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
                <AccountLinks />
                <LanguageSwitcher />
            </nav>
        </header>
    }
}

/// Sets the document title to `key` followed by the desk's name (as the
/// static index page of the route already says: `shared::pages`).
pub fn use_title(key: Key) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&shared::pages::title(key, i18n.lang.get()));
    });
}

/// Signed out: "Sign in". Signed in: "My tickets" with the unread count,
/// and "Account". Until the session is known, "Sign in", as the static
/// shell has it (most visitors are signed out): nothing moves for them.
#[component]
fn AccountLinks() -> impl IntoView {
    let i18n = use_i18n();
    let session = account::use_session();
    let signed_in = Memo::new(move |_| session.signed_in());
    let unread = Memo::new(move |_| session.account().map_or(0, |a| a.unread));
    move || {
        match signed_in.get() {
        Some(true) => view! {
            <A
                href="/account/tickets"
                attr:class="nav-link my-tickets-link"
                attr:aria-label=move || {
                    let count = unread.get();
                    (count > 0).then(|| {
                        i18n.fill(Key::MyTicketsUnread, &[("count", &i18n.number(count as f64))])
                    })
                }
            >
                // The label holds the visible words and number, in order.
                {move || format!("{} ", i18n.t(Key::MyTickets))}
                <Show when=move || { unread.get() > 0 }>
                    <span class="badge">{move || i18n.number(unread.get() as f64)}</span>
                </Show>
            </A>
            <A href="/account" attr:class="nav-link">{move || i18n.t(Key::Account)}</A>
        }
        .into_any(),
        Some(false) | None => view! {
            <A href="/account/sign-in" attr:class="nav-link">{move || i18n.t(Key::SignIn)}</A>
        }
        .into_any(),
    }
    }
}
