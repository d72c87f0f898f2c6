//! A forgotten password: `/account/forgot` asks for a link (the answer is
//! the same for any address), `/account/reset#<token>` sets the new one
//! and sends the customer to sign in with it.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use shared::{
    account::{EmailOnly, ResetPassword},
    i18n::Key,
    validate::Field as FieldName,
};

use super::{
    Checks, email_rule, new_password_rule, password_hint, refusal, refusal_message,
    verify::take_token,
};
use crate::{
    api,
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::use_i18n,
};

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::ForgotTitle);
    let email = RwSignal::new(String::new());
    let checks = Checks::new();
    let forgot = Action::new_local(|request: &EmailOnly| api::account::forgot(request));
    let refused = refusal(forgot);
    let email_error = checks.error(FieldName::Email, email_rule(email), refused);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if email_error.get_untracked().is_some() {
            return;
        }
        forgot.dispatch(EmailOnly {
            email: email.get_untracked().trim().to_owned(),
            lang: i18n.lang.get_untracked(),
        });
    };
    let done = Signal::derive(move || {
        let sent = !forgot.pending().get() && matches!(*forgot.value().read(), Some(Ok(())));
        sent.then(|| i18n.t(Key::ForgotDone).to_owned())
    });
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Key::ForgotTitle)}</h1>
            <p>{move || i18n.t(Key::ForgotIntro)}</p>
            <form novalidate on:submit=submit>
                <Field id="forgot-email" label=Key::Email input_type="email" autocomplete="email"
                    value=email error=email_error on_blur=checks.touch(FieldName::Email) />
                <button type="submit" class="button primary" disabled=move || forgot.pending().get()>
                    {move || i18n.t(Key::FindSubmit)}
                </button>
            </form>
            <Notice message=done />
            <Notice message=refusal_message(i18n, refused) error=true />
        </section>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::ResetTitle);
    let navigate = use_navigate();
    let token = take_token("/account/reset");
    let password = RwSignal::new(String::new());
    let checks = Checks::new();
    let reset = Action::new_local(move |request: &ResetPassword| {
        let sent = api::account::reset(request);
        let navigate = navigate.clone();
        async move {
            sent.await?;
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate("/account/sign-in?password=saved", replace);
            Ok::<(), api::ApiError>(())
        }
    });
    let refused = refusal(reset);
    let password_error = checks.error(FieldName::Password, new_password_rule(password), refused);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if password_error.get_untracked().is_some() {
            return;
        }
        reset.dispatch(ResetPassword {
            token: token.clone(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Key::ResetTitle)}</h1>
            <form novalidate on:submit=submit>
                <Field id="reset-password" label=Key::NewPassword hint_text=password_hint(i18n)
                    input_type="password" autocomplete="new-password"
                    value=password error=password_error on_blur=checks.touch(FieldName::Password) />
                <button type="submit" class="button primary" disabled=move || reset.pending().get()>
                    {move || i18n.t(Key::Save)}
                </button>
            </form>
            <Notice message=refusal_message(i18n, refused) error=true />
        </section>
    }
}
