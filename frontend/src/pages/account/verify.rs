//! `/account/verify#<token>`: the link of a sign-up or an address change,
//! opened with the account's password (the link proves the mailbox, the
//! password the person who asked). Like `/link`, the token leaves the
//! address bar at once; once confirmed the customer is signed in and goes
//! on with a waiting ticket draft, if there is one, else to their tickets.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, components::A, hooks::use_navigate};
use shared::{account::VerifyAddress, api::ErrorCode, i18n::Key, validate::Field as FieldName};

use super::{Checks, refusal, required_rule};
use crate::{
    account::use_session,
    api::{self, ApiError},
    app::use_title,
    components::field::Field,
    i18n::use_i18n,
    pages::wizard::pending_draft,
};

/// The token in the fragment, removed from the address bar and history.
pub fn take_token(path: &str) -> String {
    let token = window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
    token
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::VerifyTitle);
    let session = use_session();
    let navigate = use_navigate();
    // Succeeds by leaving; its value is only ever a failure.
    let verify = Action::new_local(move |request: &VerifyAddress| {
        let sent = api::account::verify(request);
        let navigate = navigate.clone();
        async move {
            let account = sent.await?;
            session.set(account);
            let next = if pending_draft() {
                "/new"
            } else {
                "/account/tickets"
            };
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(next, replace);
            Ok::<(), ApiError>(())
        }
    });
    let token = take_token("/account/verify");
    let password = RwSignal::new(String::new());
    let checks = Checks::new();
    let refused = refusal(verify);
    let password_error = checks.error(FieldName::CurrentPassword, required_rule(password), refused);
    // A link that cannot work any more ends the page; a wrong password
    // keeps the form (the link stays usable).
    let link_problem = Memo::new(move |_| {
        refused.with(|r| {
            r.as_ref().and_then(|e| e.code()).is_some_and(|code| {
                matches!(
                    code,
                    ErrorCode::LinkExpired | ErrorCode::LinkUsed | ErrorCode::LinkInvalid
                )
            })
        })
    });
    let empty = token.is_empty();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if password_error.get_untracked().is_some() {
            return;
        }
        verify.dispatch(VerifyAddress {
            token: token.clone(),
            password: password.get_untracked(),
        });
    };
    move || {
        if empty || link_problem.get() {
            let title = move || match refused.get() {
                Some(error) if !empty => error.message(i18n),
                _ => i18n.t(Key::LinkInvalidTitle).to_owned(),
            };
            return view! {
                <section class="card">
                    <h1>{title}</h1>
                    <p>{move || i18n.t(Key::ResendLinkHelp)}</p>
                    <p class="actions">
                        <A href="/account/sign-in" attr:class="button primary">{move || i18n.t(Key::SignIn)}</A>
                    </p>
                </section>
            }
            .into_any();
        }
        let submit = submit.clone();
        view! {
            <section class="card narrow">
                <h1>{move || i18n.t(Key::VerifyTitle)}</h1>
                <p>{move || i18n.t(Key::VerifyIntro)}</p>
                <form novalidate on:submit=submit>
                    <Field id="verify-password" label=Key::Password input_type="password"
                        autocomplete="current-password" value=password error=password_error
                        on_blur=checks.touch(FieldName::CurrentPassword) />
                    <button type="submit" class="button primary" disabled=move || verify.pending().get()>
                        {move || i18n.t(Key::VerifySubmit)}
                    </button>
                </form>
                <p><A href="/account/forgot">{move || i18n.t(Key::VerifyForgot)}</A></p>
            </section>
        }
        .into_any()
    }
}
