//! `/console/security`: the member's second factor, whether they are
//! emailed about customer replies, and "sign out everywhere". An admin also
//! finds the desk-wide rule that makes the second factor required.

mod auto_close;
mod totp;

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use shared::{console::Settings, i18n::ConsoleKey};

use crate::{
    api::{self, ApiError, StaffMessage},
    app::use_title,
    components::notice::Notice,
    i18n::{Console, use_i18n},
    session::use_session,
};

#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::Security);
    let session = use_session();
    let must_enrol = move || {
        session
            .me
            .with(|me| me.as_ref().is_some_and(|me| me.must_enrol_totp))
    };
    view! {
        <section class="admin narrow-column" aria-labelledby="security-title">
            <h1 id="security-title">{move || i18n.tr(ConsoleKey::Security)}</h1>
            {move || must_enrol().then(|| view! {
                <p class="notice notice-error" role="alert"><span>{i18n.tr(ConsoleKey::MustEnrol)}</span></p>
            })}
            <totp::SecondFactor />
            <Notifications />
            {move || session.is_admin().then(|| view! { <RequireTotp /> <auto_close::AutoCloseSetting /> })}
            <SignOutEverywhere />
        </section>
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let save = Action::new_local(move |on: &bool| {
        let sent = api::account::set_notify_replies(*on);
        async move {
            session.me.set(Some(sent.await?));
            Ok::<_, ApiError>(())
        }
    });
    let failed = Signal::derive(move || match &*save.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    });
    let on = move || {
        session
            .me
            .with(|me| me.as_ref().is_some_and(|me| me.notify_replies))
    };
    view! {
        <section class="card" aria-labelledby="notify-title">
            <h2 id="notify-title">{move || i18n.tr(ConsoleKey::NotificationsTitle)}</h2>
            <div class="check">
                <input type="checkbox" id="notify-replies" prop:checked=on disabled=move || save.pending().get()
                    on:change=move |event| { save.dispatch(event_target_checked(&event)); } />
                <label for="notify-replies">{move || i18n.tr(ConsoleKey::NotifyReplies)}</label>
            </div>
            <Notice message=failed error=true />
        </section>
    }
}

/// Admins: every member must use a second factor.
#[component]
fn RequireTotp() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::admin::settings);
    let save = Action::new_local(move |wanted: &Settings| {
        let sent = api::admin::save_settings(wanted);
        async move {
            settings.set(Some(Ok(sent.await?)));
            Ok::<_, ApiError>(())
        }
    });
    let failed = Signal::derive(move || match &*save.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    });
    let on = move || matches!(settings.get(), Some(Ok(s)) if s.require_totp);
    view! {
        <section class="card" aria-labelledby="require-title">
            <h2 id="require-title">{move || i18n.tr(ConsoleKey::DeskSettings)}</h2>
            <div class="check">
                <input type="checkbox" id="require-totp" prop:checked=on disabled=move || save.pending().get()
                    on:change=move |event| { save.dispatch(Settings { require_totp: event_target_checked(&event) }); } />
                <label for="require-totp">{move || i18n.tr(ConsoleKey::RequireTotp)}</label>
            </div>
            <Notice message=failed error=true />
        </section>
    }
}

#[component]
fn SignOutEverywhere() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let end = Action::new_local(move |_: &()| {
        let sent = api::account::sign_out_everywhere();
        let navigate = navigate.clone();
        async move {
            sent.await?;
            session.me.set(None);
            navigate("/console/sign-in", NavigateOptions::default());
            Ok::<_, ApiError>(())
        }
    });
    let failed = Signal::derive(move || match &*end.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    });
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{move || i18n.tr(ConsoleKey::SessionsTitle)}</h2>
            <p>{move || i18n.tr(ConsoleKey::SignOutEverywhereText)}</p>
            <Notice message=failed error=true />
            <button type="button" class="button secondary" disabled=move || end.pending().get()
                on:click=move |_| { end.dispatch(()); }>
                {move || i18n.tr(ConsoleKey::SignOutEverywhere)}
            </button>
        </section>
    }
}
