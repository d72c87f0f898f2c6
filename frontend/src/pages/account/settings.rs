//! `/account`: name, language and notifications; the password; the
//! address; signing out here or everywhere; deleting the account.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use shared::{
    account::{Account, AccountUpdate, ChangeEmail, ChangePassword, DeleteAccount},
    i18n::Key,
    validate::{Field as FieldName, Problem},
};

use super::{
    Check, Checks, LangSelect, SignedIn, email_rule, name_rule, new_password_rule, password_hint,
    refusal, refusal_message, required_rule,
};
use crate::{
    account::{Session, use_session},
    api,
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::use_i18n,
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::AccountTitle);
    view! {
        <SignedIn>
            <h1>{move || i18n.t(Key::AccountTitle)}</h1>
            <Profile />
            <Password />
            <EmailChange />
            <SignOut />
            <Delete />
        </SignedIn>
    }
}

/// A success notice once the action's last run succeeded.
fn done<I: 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, api::ApiError>>,
    key: Key,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let ok = !action.pending().get() && action.value().with(|v| matches!(v, Some(Ok(_))));
        ok.then(|| i18n.t(key).to_owned())
    })
}

fn account_now(session: Session) -> Option<Account> {
    untrack(|| session.account())
}

#[component]
fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let account = account_now(session);
    let email = account
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_default();
    let name = RwSignal::new(account.as_ref().map(|a| a.name.clone()).unwrap_or_default());
    let lang = RwSignal::new(
        account
            .as_ref()
            .map_or(i18n.lang.get_untracked(), |a| a.lang),
    );
    let notify = RwSignal::new(account.as_ref().is_none_or(|a| a.notify_replies));
    let checks = Checks::new();
    let save = Action::new_local(move |update: &AccountUpdate| {
        let sent = api::account::update(update);
        async move {
            let account = sent.await?;
            session.set(account.clone());
            Ok::<Account, api::ApiError>(account)
        }
    });
    let refused = refusal(save);
    let name_error = checks.error(FieldName::Name, name_rule(name), refused);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if name_error.get_untracked().is_some() {
            return;
        }
        save.dispatch(AccountUpdate {
            name: name.get_untracked().trim().to_owned(),
            lang: lang.get_untracked(),
            notify_replies: notify.get_untracked(),
        });
    };
    view! {
        <section class="card">
            <p>
                {move || i18n.around(Key::SignedInAs, "email").0}
                <bdi class="email">{email}</bdi>
                {move || i18n.around(Key::SignedInAs, "email").1}
            </p>
            <form novalidate on:submit=submit>
                <Field id="profile-name" label=Key::Name hint=Key::NameHint autocomplete="name"
                    value=name error=name_error on_blur=checks.touch(FieldName::Name) />
                <LangSelect id="profile-lang" value=lang />
                <Check id="notify" label=Key::NotifyReplies checked=notify />
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || i18n.t(Key::Save)}
                </button>
            </form>
            <Notice message=done(save, Key::Saved) />
            <Notice message=refusal_message(i18n, refused) error=true />
        </section>
    }
}

#[component]
fn Password() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let checks = Checks::new();
    let change = Action::new_local(move |request: &ChangePassword| {
        let sent = api::account::change_password(request);
        async move {
            let account = sent.await?;
            session.set(account.clone());
            current.set(String::new());
            password.set(String::new());
            checks.attempted.set(false);
            Ok::<Account, api::ApiError>(account)
        }
    });
    let refused = refusal(change);
    let current_error = checks.error(FieldName::CurrentPassword, required_rule(current), refused);
    let password_error = checks.error(FieldName::Password, new_password_rule(password), refused);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if current_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
            return;
        }
        change.dispatch(ChangePassword {
            current: current.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Key::ChangePassword)}</h2>
            <form novalidate on:submit=submit>
                <Field id="current-password" label=Key::CurrentPassword input_type="password"
                    autocomplete="current-password" value=current error=current_error
                    on_blur=checks.touch(FieldName::CurrentPassword) />
                <Field id="new-password" label=Key::NewPassword hint_text=password_hint(i18n)
                    input_type="password" autocomplete="new-password" value=password
                    error=password_error on_blur=checks.touch(FieldName::Password) />
                <button type="submit" class="button primary" disabled=move || change.pending().get()>
                    {move || i18n.t(Key::ChangePassword)}
                </button>
            </form>
            <Notice message=done(change, Key::PasswordChanged) />
            <Notice message=refusal_message(i18n, refused) error=true />
        </section>
    }
}

#[component]
fn EmailChange() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let checks = Checks::new();
    let change = Action::new_local(|request: &ChangeEmail| api::account::change_email(request));
    let refused = refusal(change);
    let email_error = checks.error(FieldName::Email, email_rule(email), refused);
    let password_error = checks.error(FieldName::CurrentPassword, required_rule(password), refused);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if email_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
            return;
        }
        change.dispatch(ChangeEmail {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Key::ChangeEmail)}</h2>
            <form novalidate on:submit=submit>
                <Field id="new-email" label=Key::NewEmail input_type="email" autocomplete="email"
                    value=email error=email_error on_blur=checks.touch(FieldName::Email) />
                <Field id="email-password" label=Key::CurrentPassword input_type="password"
                    autocomplete="current-password" value=password error=password_error
                    on_blur=checks.touch(FieldName::CurrentPassword) />
                <button type="submit" class="button primary" disabled=move || change.pending().get()>
                    {move || i18n.t(Key::ChangeEmail)}
                </button>
            </form>
            <Notice message=done(change, Key::EmailChangeSent) />
            <Notice message=refusal_message(i18n, refused) error=true />
        </section>
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    // Its input: everywhere, or only here. Leaves for the home page.
    let sign_out = Action::new_local(move |everywhere: &bool| {
        let everywhere = *everywhere;
        let navigate = navigate.clone();
        async move {
            if everywhere {
                api::account::sign_out_everywhere().await?;
            } else {
                api::account::sign_out().await?;
            }
            session.refetch();
            navigate("/", NavigateOptions::default());
            Ok::<(), api::ApiError>(())
        }
    });
    view! {
        <section class="card">
            <h2>{move || i18n.t(Key::SignOut)}</h2>
            <div class="actions">
                <button type="button" class="button secondary" on:click=move |_| { sign_out.dispatch(false); }>
                    {move || i18n.t(Key::SignOut)}
                </button>
                <button type="button" class="button secondary" aria-describedby="everywhere-hint"
                    on:click=move |_| { sign_out.dispatch(true); }>
                    {move || i18n.t(Key::SignOutEverywhere)}
                </button>
            </div>
            <p class="hint" id="everywhere-hint">{move || i18n.t(Key::SignOutEverywhereHint)}</p>
            <Notice message=refusal_message(i18n, refusal(sign_out)) error=true />
        </section>
    }
}

#[component]
fn Delete() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let anonymise = RwSignal::new(false);
    let confirmed = RwSignal::new(false);
    let checks = Checks::new();
    let delete = Action::new_local(move |request: &DeleteAccount| {
        let sent = api::account::delete(request);
        let navigate = navigate.clone();
        async move {
            sent.await?;
            session.refetch();
            navigate("/", NavigateOptions::default());
            Ok::<(), api::ApiError>(())
        }
    });
    let refused = refusal(delete);
    let password_error = checks.error(FieldName::CurrentPassword, required_rule(password), refused);
    let confirm_error = Signal::derive(move || {
        (checks.attempted.get() && !confirmed.get())
            .then(|| i18n.problem(FieldName::Body, Problem::Required))
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checks.attempted.set(true);
        if password_error.get_untracked().is_some() || !confirmed.get_untracked() {
            return;
        }
        delete.dispatch(DeleteAccount {
            password: password.get_untracked(),
            anonymise: anonymise.get_untracked(),
        });
    };
    view! {
        <section class="card danger-zone">
            <h2>{move || i18n.t(Key::DeleteAccount)}</h2>
            <p>{move || i18n.t(Key::DeleteIntro)}</p>
            <form novalidate on:submit=submit>
                <Check id="anonymise" label=Key::DeleteAnonymise hint=Key::DeleteAnonymiseHint checked=anonymise />
                <Field id="delete-password" label=Key::CurrentPassword input_type="password"
                    autocomplete="current-password" value=password error=password_error
                    on_blur=checks.touch(FieldName::CurrentPassword) />
                <Check id="delete-confirm" label=Key::DeleteConfirm checked=confirmed error=confirm_error />
                <button type="submit" class="button danger" disabled=move || delete.pending().get()>
                    {move || i18n.t(Key::DeleteAccount)}
                </button>
            </form>
            <Notice message=refusal_message(i18n, refused) error=true />
        </section>
    }
}
