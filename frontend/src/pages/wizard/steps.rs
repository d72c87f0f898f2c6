//! The three steps of the wizard, each a fieldset whose legend is the
//! step's question.

use leptos::prelude::*;
use shared::{
    api::Channel,
    i18n::Key,
    limits::{DESCRIPTION_MAX, SUBJECT_MAX},
    validate::Field as FieldName,
};

use super::Form;
use crate::{
    app::Limits,
    components::{attachments::Attachments, field::Field},
    i18n::{I18n, use_i18n},
    pages::account::{SignInForm, sign_up::SignUpForm},
};

fn legend(i18n: I18n, key: Key) -> impl IntoView {
    view! {
        <legend>
            <h2 id="step-title" tabindex="-1">{move || i18n.t(key)}</h2>
        </legend>
    }
}

/// A radio choice with its explanation as the description.
fn choice(
    id: String,
    name: &'static str,
    label: String,
    hint: String,
    checked: Signal<bool>,
    disabled: bool,
    on_pick: impl Fn() + 'static,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="choice" class:disabled=disabled>
            <input
                type="radio"
                id=id.clone()
                name=name
                disabled=disabled
                aria-describedby=hint_id.clone()
                prop:checked=move || checked.get()
                on:change=move |_| on_pick()
            />
            <label for=id>{label}</label>
            <p class="hint" id=hint_id>{hint}</p>
        </div>
    }
}

pub fn channel(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let by = move |channel: Channel| Signal::derive(move || form.channel.get() == channel);
    view! {
        <fieldset>
            {legend(i18n, Key::WizardChannelTitle)}
            {move || choice(
                "channel-email".into(), "channel",
                i18n.t(Key::ChannelEmail).into(), i18n.t(Key::ChannelEmailHint).into(),
                by(Channel::Email), false, move || form.channel.set(Channel::Email),
            )}
            <Show when=move || form.channel.get() == Channel::Email>
                <div class="nested">
                    <Field
                        id="email"
                        label=Key::Email
                        hint=Key::EmailHint
                        input_type="email"
                        autocomplete="email"
                        value=form.email
                        error=Signal::derive(move || form.error(i18n, FieldName::Email))
                        on_blur=move |()| form.touch(FieldName::Email)
                    />
                </div>
            </Show>
            {move || choice(
                "channel-account".into(), "channel",
                i18n.t(Key::ChannelAccount).into(), i18n.t(Key::ChannelAccountHint).into(),
                by(Channel::Account), false, move || form.channel.set(Channel::Account),
            )}
            <Show when=move || form.channel.get() == Channel::Account>
                <div class="nested">{account(form)}</div>
            </Show>
        </fieldset>
    }
}

/// The account channel: whose account answers go to, or signing in (or
/// up) right here, the draft and its files staying as they are.
fn account(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let signing_up = RwSignal::new(false);
    let shown = Memo::new(move |_| (form.session.signed_in(), signing_up.get()));
    move || match shown.get() {
        (Some(true), _) => {
            let email = move || form.session.account().map(|a| a.email).unwrap_or_default();
            view! {
                <p class="account-line" role="status">
                    {move || i18n.around(Key::AccountAnswersTo, "email").0}
                    <bdi class="email">{email}</bdi>
                    {move || i18n.around(Key::AccountAnswersTo, "email").1}
                </p>
            }
            .into_any()
        }
        (None, _) => view! { <p class="loading">{move || i18n.t(Key::Loading)}</p> }.into_any(),
        (Some(false), false) => view! {
            <p>{move || i18n.t(Key::WizardSignInIntro)}</p>
            <SignInForm nested=true />
            <p class="links">
                <span>{move || i18n.t(Key::NoAccount)}</span>
                <button type="button" class="link-button" on:click=move |_| signing_up.set(true)>
                    {move || i18n.t(Key::SignUp)}
                </button>
            </p>
        }
        .into_any(),
        (Some(false), true) => view! {
            <SignUpForm nested=true />
            <p class="links">
                <span>{move || i18n.t(Key::HaveAccount)}</span>
                <button type="button" class="link-button" on:click=move |_| signing_up.set(false)>
                    {move || i18n.t(Key::SignIn)}
                </button>
            </p>
        }
        .into_any(),
    }
}

pub fn department(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let departments = form.departments;
    let list = move || match departments.get() {
        None => view! { <p class="loading">{i18n.t(Key::Loading)}</p> }.into_any(),
        Some(Err(_)) => view! {
            <p class="field-error" role="alert">{i18n.t(Key::DepartmentsFailed)}</p>
            <button type="button" class="button secondary" on:click=move |_| departments.refetch()>
                {i18n.t(Key::TryAgain)}
            </button>
        }
        .into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|department| {
                let slug = department.slug.clone();
                let picked = slug.clone();
                choice(
                    format!("department-{slug}"),
                    "department",
                    department.name,
                    department.explanation,
                    Signal::derive(move || form.department.with(|d| *d == slug)),
                    false,
                    move || form.department.set(picked.clone()),
                )
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <fieldset>
            {legend(i18n, Key::WizardDepartmentTitle)}
            <div
                class="choices"
                role="radiogroup"
                aria-labelledby="step-title"
                aria-invalid=move || form.error(i18n, FieldName::Department).is_some().to_string()
                aria-describedby="department-error"
            >
                {list}
            </div>
            <p class="field-error" id="department-error" role="alert">
                {move || form.error(i18n, FieldName::Department)}
            </p>
        </fieldset>
    }
}

pub fn details(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let limits = Limits::get();
    let counter = move |value: RwSignal<String>, max: usize| {
        Signal::derive(move || {
            let count = value.with(|v| v.trim().chars().count());
            i18n.fill(
                Key::CharCount,
                &[
                    ("count", &i18n.number(count as f64)),
                    ("max", &i18n.number(max as f64)),
                ],
            )
        })
    };
    view! {
        <fieldset>
            {legend(i18n, Key::WizardDetailsTitle)}
            <Field
                id="subject"
                label=Key::Subject
                hint=Key::SubjectHint
                value=form.subject
                counter=counter(form.subject, SUBJECT_MAX)
                error=Signal::derive(move || form.error(i18n, FieldName::Subject))
                on_blur=move |()| form.touch(FieldName::Subject)
            />
            <Field
                id="description"
                label=Key::Description
                hint=Key::DescriptionHint
                multiline=true
                value=form.description
                counter=counter(form.description, DESCRIPTION_MAX)
                error=Signal::derive(move || form.error(i18n, FieldName::Description))
                on_blur=move |()| form.touch(FieldName::Description)
            />
            {super::extra::questions(form)}
            <Attachments
                files=form.files
                limits=limits
                error=Signal::derive(move || {
                    let pending = form.attempted.get() >= 3 && !form.files.with(|f| super::all_uploaded(f));
                    pending
                        .then(|| i18n.t(Key::AttachPending).to_owned())
                        .or_else(|| form.refused(i18n, FieldName::Attachments))
                })
            />
        </fieldset>
    }
}
