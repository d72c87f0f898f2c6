//! The customer's account pages, and the pieces they (and the wizard's
//! inline sign-in) share: checking fields as the customer types, a
//! checkbox, the language select, the sign-in form, and the frame that
//! asks a signed-out visitor to sign in first.

pub mod forgot;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
pub mod tickets;
pub mod verify;

use leptos::prelude::*;
use shared::{
    account::{PASSWORD_MIN, check_name, check_new_password},
    i18n::{Key, Lang},
    validate::{Email, Field, Problem},
};

use crate::{
    account::use_session,
    api::ApiError,
    i18n::{I18n, use_i18n},
};

pub use sign_in::SignInForm;

/// Which fields to show our own problems for: those left once, or all
/// after a submit.
#[derive(Clone, Copy)]
pub struct Checks {
    touched: RwSignal<Vec<Field>>,
    pub attempted: RwSignal<bool>,
}

impl Checks {
    pub fn new() -> Checks {
        Checks {
            touched: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(false),
        }
    }

    pub fn touch(self, field: Field) -> Callback<()> {
        Callback::new(move |()| {
            self.touched.update(|t| {
                if !t.contains(&field) {
                    t.push(field);
                }
            })
        })
    }

    /// The sentence under `field`: the shared `rule`'s once the field was
    /// left or the form sent, else what the server said about it.
    pub fn error(
        self,
        field: Field,
        rule: impl Fn() -> Option<Problem> + Send + Sync + 'static,
        refused: Signal<Option<ApiError>>,
    ) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            let shown = self.attempted.get() || self.touched.with(|t| t.contains(&field));
            shown
                .then(&rule)
                .flatten()
                .map(|problem| i18n.problem(field, problem))
                .or_else(|| refused.with(|r| r.as_ref().and_then(|e| e.field_message(i18n, field))))
        })
    }
}

/// The rules, as `Checks::error` takes them.
pub fn email_rule(value: RwSignal<String>) -> impl Fn() -> Option<Problem> + Send + Sync {
    move || value.with(|v| Email::parse(v).err())
}

pub fn name_rule(value: RwSignal<String>) -> impl Fn() -> Option<Problem> + Send + Sync {
    move || value.with(|v| check_name(v).err())
}

pub fn new_password_rule(value: RwSignal<String>) -> impl Fn() -> Option<Problem> + Send + Sync {
    move || value.with(|v| check_new_password(v).err())
}

/// Only "fill it in": a current password is checked by the server.
pub fn required_rule(value: RwSignal<String>) -> impl Fn() -> Option<Problem> + Send + Sync {
    move || value.with(|v| v.is_empty().then_some(Problem::Required))
}

/// The rule for a new password, worded with its number.
pub fn password_hint(i18n: I18n) -> Signal<String> {
    Signal::derive(move || {
        i18n.fill(
            Key::PasswordHint,
            &[("min", &i18n.number(PASSWORD_MIN as f64))],
        )
    })
}

/// The refusal an action's last run ended in, if any.
pub fn refusal<I: 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ApiError>>,
) -> Signal<Option<ApiError>> {
    Signal::derive(move || {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    })
}

/// The refusal as one sentence, unless it is about fields only (those
/// show under the fields).
pub fn refusal_message(i18n: I18n, refused: Signal<Option<ApiError>>) -> Signal<Option<String>> {
    Signal::derive(move || refused.with(|r| r.as_ref().map(|e| e.message(i18n))))
}

/// A labelled checkbox with an optional explanation.
#[component]
pub fn Check(
    id: &'static str,
    label: Key,
    checked: RwSignal<bool>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional, into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id
                aria-describedby=described
                aria-invalid=move || error.get().is_some().to_string()
                prop:checked=move || checked.get()
                on:change=move |event| checked.set(event_target_checked(&event))
            />
            <label for=id>{move || i18n.t(label)}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || i18n.t(hint)}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// The language select of a form (not the switcher): each language named
/// in itself.
#[component]
pub fn LangSelect(id: &'static str, value: RwSignal<Lang>) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(Key::Language)}</label>
            <p class="hint" id=hint_id.clone()>{move || i18n.t(Key::AccountLangHint)}</p>
            <select
                id=id
                class="select"
                aria-describedby=hint_id
                on:change=move |event| {
                    if let Some(lang) = Lang::from_code(&event_target_value(&event)) {
                        value.set(lang);
                    }
                }
            >
                {Lang::ALL
                    .iter()
                    .map(|&lang| view! {
                        <option value=lang.code() lang=lang.code() prop:selected=move || value.get() == lang>
                            {Key::MetaName.text(lang)}
                        </option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Shows `children` to a signed-in customer; a signed-out one gets the
/// sign-in form right here, and the page once signed in.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let known = Memo::new(move |_| session.signed_in());
    move || match known.get() {
        Some(true) => children().into_any(),
        Some(false) => view! {
            <section class="card narrow">
                <h1>{move || i18n.t(Key::SignIn)}</h1>
                <p>{move || i18n.t(Key::SignedOutText)}</p>
                <SignInForm />
            </section>
        }
        .into_any(),
        None => view! { <p class="loading">{move || i18n.t(Key::Loading)}</p> }.into_any(),
    }
}
