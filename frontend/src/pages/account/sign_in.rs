//! Signing in: the form (on its own page, or inside the wizard's first step
//! without a `<form>` of its own) and `/account/sign-in`. An address not
//! confirmed yet is told so, with a button to have the link sent again.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
};
use shared::{
    account::{Account, AccountSignIn, EmailOnly},
    api::ErrorCode,
    i18n::Key,
    validate::Field as FieldName,
};

use super::{Check, Checks, email_rule, refusal, refusal_message, required_rule};
use crate::{
    account::use_session,
    api,
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::use_i18n,
};

/// Email, password, "stay signed in". `nested` inside another form (the
/// wizard's): no `<form>`, Enter in a field signs in. `on_done` runs once
/// signed in (the session already knows the account).
#[component]
pub fn SignInForm(
    #[prop(optional)] nested: bool,
    #[prop(optional, into)] on_done: Option<Callback<Account>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let checks = Checks::new();
    let sign_in = Action::new_local(move |request: &AccountSignIn| {
        let sent = api::account::sign_in(request);
        async move {
            let result = sent.await;
            if let Ok(account) = &result {
                session.set(account.clone());
                if let Some(on_done) = on_done {
                    on_done.run(account.clone());
                }
            }
            result
        }
    });
    let resend = Action::new_local(|request: &EmailOnly| api::account::resend(request));
    let refused = refusal(sign_in);
    let email_error = checks.error(FieldName::Email, email_rule(email), refused);
    let password_error = checks.error(FieldName::Password, required_rule(password), refused);
    let not_verified =
        move || refused.with(|r| r.as_ref().and_then(|e| e.code()) == Some(ErrorCode::NotVerified));

    let submit = move || {
        checks.attempted.set(true);
        if email_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
            return;
        }
        resend.clear();
        sign_in.dispatch(AccountSignIn {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            remember: remember.get_untracked(),
        });
    };
    let on_resend = move |_| {
        resend.dispatch(EmailOnly {
            email: email.get_untracked().trim().to_owned(),
            lang: i18n.lang.get_untracked(),
        });
    };
    let resent = Signal::derive(move || {
        matches!(*resend.value().read(), Some(Ok(())))
            .then(|| i18n.t(Key::ResendLinkDone).to_owned())
    });
    let resend_failed = refusal_message(i18n, refusal(resend));

    let fields = view! {
        <Field id="sign-in-email" label=Key::Email input_type="email" autocomplete="username"
            value=email error=email_error on_blur=checks.touch(FieldName::Email) />
        <Field id="sign-in-password" label=Key::Password input_type="password" autocomplete="current-password"
            value=password error=password_error on_blur=checks.touch(FieldName::Password) />
        <Check id="remember" label=Key::StaySignedIn hint=Key::StaySignedInHint checked=remember />
        <Notice message=refusal_message(i18n, refused) error=true />
        <Show when=not_verified>
            <button type="button" class="button secondary" disabled=move || resend.pending().get() on:click=on_resend>
                {move || i18n.t(Key::ResendLink)}
            </button>
            <Notice message=resent />
            <Notice message=resend_failed error=true />
        </Show>
    };
    let busy = move || sign_in.pending().get();
    if nested {
        view! {
            <div
                class="inline-form"
                role="group"
                aria-label=move || i18n.t(Key::SignIn)
                on:keydown=move |event| {
                    let in_field = event
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
                        .is_some_and(|input| input.type_() != "checkbox");
                    if event.key() == "Enter" && in_field {
                        event.prevent_default();
                        submit();
                    }
                }
            >
                {fields}
                <button type="button" class="button primary" disabled=busy on:click=move |_| submit()>
                    {move || i18n.t(Key::SignIn)}
                </button>
            </div>
        }
        .into_any()
    } else {
        view! {
            <form novalidate on:submit=move |event| {
                event.prevent_default();
                submit();
            }>
                {fields}
                <button type="submit" class="button primary" disabled=busy>
                    {move || i18n.t(Key::SignIn)}
                </button>
            </form>
        }
        .into_any()
    }
}

/// `/account/sign-in[?next=/path][&password=saved]`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::SignIn);
    let query = use_query_map();
    let navigate = use_navigate();
    // Only a path of this site: `next` comes from the address bar.
    let next = query
        .get_untracked()
        .get("next")
        .filter(|next| next.starts_with('/') && !next.starts_with("//"))
        .unwrap_or_else(|| "/account/tickets".to_owned());
    let saved = move || {
        (query.read().get("password").as_deref() == Some("saved"))
            .then(|| i18n.t(Key::ResetDone).to_owned())
    };
    let done = Callback::new(move |_: Account| {
        let replace = NavigateOptions {
            replace: true,
            ..Default::default()
        };
        navigate(&next, replace);
    });
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Key::SignIn)}</h1>
            <Notice message=Signal::derive(saved) />
            <SignInForm on_done=done />
            <p class="links">
                <A href="/account/forgot">{move || i18n.t(Key::ForgotLink)}</A>
            </p>
            <p class="links">
                <span>{move || i18n.t(Key::NoAccount)}</span>
                <A href="/account/sign-up">{move || i18n.t(Key::SignUp)}</A>
            </p>
        </section>
    }
}
