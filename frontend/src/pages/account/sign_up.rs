//! Signing up: the form (on its own page, or inside the wizard's first
//! step) and `/account/sign-up`. The answer is the same whether or not the
//! address has an account, so the page only says to check the mail.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::{account::SignUp, i18n::Key, validate::Field as FieldName};

use super::{
    Checks, LangSelect, email_rule, name_rule, new_password_rule, password_hint, refusal,
    refusal_message,
};
use crate::{
    api,
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::use_i18n,
};

/// Email, name, password, language; then "check your mail" in its place.
/// `nested` inside the wizard's form: no `<form>` of its own, and the
/// customer is told the draft waits for them.
#[component]
pub fn SignUpForm(#[prop(optional)] nested: bool) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let lang = RwSignal::new(i18n.lang.get_untracked());
    let checks = Checks::new();
    let sign_up = Action::new_local(|request: &SignUp| {
        let sent = api::account::sign_up(request);
        let email = request.email.clone();
        async move { sent.await.map(|()| email) }
    });
    let refused = refusal(sign_up);
    let email_error = checks.error(FieldName::Email, email_rule(email), refused);
    let name_error = checks.error(FieldName::Name, name_rule(name), refused);
    let password_error = checks.error(FieldName::Password, new_password_rule(password), refused);
    let submit = move || {
        checks.attempted.set(true);
        let invalid = email_error.get_untracked().is_some()
            || name_error.get_untracked().is_some()
            || password_error.get_untracked().is_some();
        if invalid {
            return;
        }
        sign_up.dispatch(SignUp {
            email: email.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            lang: lang.get_untracked(),
        });
    };
    // A memo: a refusal must not rebuild the form (and drop the focus).
    let sent_to = Memo::new(move |_| {
        sign_up
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()))
    });
    let busy = move || sign_up.pending().get();

    move || match sent_to.get() {
        Some(address) => view! {
            <div role="status" class="check-mail">
                <h2>{move || i18n.t(Key::SentTitle)}</h2>
                <p>
                    {move || i18n.around(Key::CheckMailText, "email").0}
                    <bdi class="email">{address}</bdi>
                    {move || i18n.around(Key::CheckMailText, "email").1}
                </p>
                {nested.then(|| view! { <p>{move || i18n.t(Key::CheckMailDraft)}</p> })}
            </div>
        }
        .into_any(),
        None => {
            let fields = view! {
                <Field id="sign-up-email" label=Key::Email input_type="email" autocomplete="email"
                    value=email error=email_error on_blur=checks.touch(FieldName::Email) />
                <Field id="sign-up-name" label=Key::Name hint=Key::NameHint autocomplete="name"
                    value=name error=name_error on_blur=checks.touch(FieldName::Name) />
                <Field id="sign-up-password" label=Key::Password hint_text=password_hint(i18n)
                    input_type="password" autocomplete="new-password"
                    value=password error=password_error on_blur=checks.touch(FieldName::Password) />
                <LangSelect id="sign-up-lang" value=lang />
                <Notice message=refusal_message(i18n, refused) error=true />
            };
            if nested {
                view! {
                    <div class="inline-form" role="group" aria-label=move || i18n.t(Key::SignUp)
                        on:keydown=move |event| {
                            let in_input = event
                                .target()
                                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
                                .is_some();
                            if event.key() == "Enter" && in_input {
                                event.prevent_default();
                                submit();
                            }
                        }
                    >
                        {fields}
                        <button type="button" class="button primary" disabled=busy on:click=move |_| submit()>
                            {move || i18n.t(Key::SignUp)}
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
                            {move || i18n.t(Key::SignUp)}
                        </button>
                    </form>
                }
                .into_any()
            }
        }
    }
}

/// `/account/sign-up`.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::SignUp);
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Key::SignUp)}</h1>
            <SignUpForm />
            <p class="links">
                <span>{move || i18n.t(Key::HaveAccount)}</span>
                <A href="/account/sign-in">{move || i18n.t(Key::SignIn)}</A>
            </p>
        </section>
    }
}
