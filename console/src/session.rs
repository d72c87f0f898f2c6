//! Who is signed in: the `Session` context, the `SignedIn` layout that every
//! page past sign-in sits in (it loads the member, sends anyone signed out
//! to the sign-in page, and opens the live feed), and the member's `Nav`.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    components::{A, Outlet},
    hooks::{use_location, use_navigate},
};
use shared::{
    api::ErrorCode,
    console::{Me, Role},
    i18n::{ConsoleKey, Key},
};

use crate::{
    api::{self, StaffMessage},
    i18n::{Console, use_i18n},
    live,
};

/// The member signed in, once known; `None` before and after.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
}

impl Session {
    pub fn new() -> Session {
        Session {
            me: RwSignal::new(None),
        }
    }

    pub fn id(self) -> Option<i64> {
        self.me.with(|me| me.as_ref().map(|me| me.id))
    }

    pub fn is_admin(self) -> bool {
        self.me
            .with(|me| me.as_ref().is_some_and(|me| me.role == Role::Admin))
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(Session::new)
}

/// Where the sign-in page sends the member afterwards: back here.
pub fn sign_in_path(from: &str) -> String {
    format!(
        "/console/sign-in?next={}",
        String::from(js_sys::encode_uri_component(from))
    )
}

/// The pages past sign-in: shown once the member is known.
#[component]
pub fn SignedIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    let me = LocalResource::new(api::account::me);
    Effect::new(move |_| match me.get() {
        Some(Ok(member)) => session.me.set(Some(member)),
        Some(Err(error)) if error.code() == Some(ErrorCode::SignedOut) => {
            // The router's `search` comes without its `?`.
            let search = location.search.get_untracked();
            let search = search.trim_start_matches('?');
            let mut here = location.pathname.get_untracked();
            if !search.is_empty() {
                here = format!("{here}?{search}");
            }
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&sign_in_path(&here), replace);
        }
        _ => {}
    });
    // Only while someone is signed in: the feed is theirs.
    live::provide();
    // A second factor required by an admin comes before anything else.
    let navigate = use_navigate();
    Effect::new(move |_| {
        let must_enrol = session
            .me
            .with(|me| me.as_ref().is_some_and(|me| me.must_enrol_totp));
        if must_enrol && location.pathname.get() != "/console/security" {
            navigate("/console/security", NavigateOptions::default());
        }
    });
    // Whether the member is known, not who: a changed preference must not
    // rebuild the page (and lose what it shows, such as recovery codes).
    let known = Memo::new(move |_| session.me.with(Option::is_some));
    move || match (known.get(), me.get()) {
        (true, _) => view! { <Outlet /> }.into_any(),
        (false, Some(Err(error))) if error.code() != Some(ErrorCode::SignedOut) => view! {
            <section class="card">
                <p role="alert">{error.staff_message(i18n)}</p>
                <button type="button" class="button secondary" on:click=move |_| me.refetch()>
                    {i18n.t(Key::TryAgain)}
                </button>
            </section>
        }
        .into_any(),
        _ => view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any(),
    }
}

/// The member's links and "Sign out", once signed in.
#[component]
pub fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let sent = api::account::sign_out();
        let navigate = navigate.clone();
        async move {
            // Signed out either way: a failure here is a session already gone.
            let _ = sent.await;
            session.me.set(None);
            navigate("/console/sign-in", NavigateOptions::default());
        }
    });
    move || {
        session.me.get().map(|me| {
            let admin = me.role == Role::Admin;
            view! {
                <nav class="console-nav" aria-label=move || i18n.tr(ConsoleKey::NavConsole)>
                    <A href="/console" exact=true>{move || i18n.tr(ConsoleKey::Queue)}</A>
                    {admin.then(|| view! {
                        <A href="/console/staff">{move || i18n.tr(ConsoleKey::Staff)}</A>
                        <A href="/console/departments">{move || i18n.tr(ConsoleKey::Departments)}</A>
                    })}
                    <A href="/console/canned">{move || i18n.tr(ConsoleKey::CannedReplies)}</A>
                    <A href="/console/security">{move || i18n.tr(ConsoleKey::Security)}</A>
                </nav>
                <span class="member"><bdi>{me.name.clone()}</bdi></span>
                <button type="button" class="link-button" on:click=move |_| { sign_out.dispatch(()); }>
                    {move || i18n.tr(ConsoleKey::SignOut)}
                </button>
            }
        })
    }
}
