//! `/console/sign-in`: email and password, then the second-factor code if
//! the server asks for it. The session cookie is HttpOnly: the page only
//! learns who signed in, then goes where the member was headed.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate, hooks::use_query_map};
use shared::{
    api::ErrorCode,
    console::SignIn,
    i18n::ConsoleKey,
    validate::{Field as FieldName, Problem},
};

use crate::{
    api::{self, StaffMessage},
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::{Console, use_i18n},
    session::use_session,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::SignInTitle);
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let wants_code = RwSignal::new(false);
    let attempted = RwSignal::new(false);

    let sign_in = Action::new_local(move |request: &SignIn| {
        let sent = api::account::sign_in(request);
        let navigate = navigate.clone();
        // Only a path inside the console: `next` comes from the address bar.
        let next = query
            .get_untracked()
            .get("next")
            .filter(|next| next.starts_with("/console") && !next.starts_with("//"))
            .unwrap_or_else(|| "/console".to_owned());
        async move {
            let result = sent.await;
            match &result {
                Ok(me) => {
                    session.me.set(Some(me.clone()));
                    let replace = NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate(&next, replace);
                }
                Err(error) if error.code() == Some(ErrorCode::CodeRequired) => {
                    wants_code.set(true);
                }
                Err(_) => {}
            }
            result.map(|_| ())
        }
    });
    let refused = Signal::derive(move || match &*sign_in.value().read() {
        // Asking for the code is the next step, not a failure.
        Some(Err(error)) if error.code() != Some(ErrorCode::CodeRequired) => {
            Some(error.staff_message(i18n))
        }
        _ => None,
    });
    let required = move |value: RwSignal<String>, field: FieldName| {
        Signal::derive(move || {
            (attempted.get() && value.with(|v| v.trim().is_empty()))
                .then(|| i18n.problem(field, Problem::Required))
        })
    };
    let email_error = required(email, FieldName::Email);
    let password_error = required(password, FieldName::Password);
    let code_error = required(code, FieldName::Code);
    let saved = move || {
        (query.read().get("password").as_deref() == Some("saved"))
            .then(|| i18n.tr(ConsoleKey::PasswordSaved).to_owned())
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        let missing = email_error.get_untracked().is_some()
            || password_error.get_untracked().is_some()
            || (wants_code.get_untracked() && code_error.get_untracked().is_some());
        if missing {
            return;
        }
        sign_in.dispatch(SignIn {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            code: wants_code
                .get_untracked()
                .then(|| code.get_untracked().trim().to_owned()),
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr(ConsoleKey::SignInTitle)}</h1>
            <Notice message=Signal::derive(saved) />
            <form novalidate on:submit=submit>
                <Field id="email" label=ConsoleKey::Email value=email error=email_error input_type="email" autocomplete="username" />
                <Field id="password" label=ConsoleKey::Password value=password error=password_error input_type="password" autocomplete="current-password" />
                {move || wants_code.get().then(|| view! {
                    <Field id="code" label=ConsoleKey::Code hint=ConsoleKey::CodeHint value=code error=code_error autocomplete="one-time-code" />
                })}
                <Notice message=refused error=true />
                <button type="submit" class="button primary" disabled=move || sign_in.pending().get()>
                    {move || i18n.tr(ConsoleKey::SignIn)}
                </button>
            </form>
        </section>
    }
}
