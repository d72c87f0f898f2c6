//! `/rate/good#<token>` and `/rate/not-good#<token>`: where a close mail's
//! "Did this answer help?" links lead. Opening the page records nothing (mail
//! scanners fetch links, some run scripts): the customer presses one of the
//! two buttons — the one they clicked in the mail comes first — and may then
//! add a comment. The token leaves the address bar at once, like `/link`'s.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::{
    api::ErrorCode, i18n::Key, limits::RATING_COMMENT_MAX, satisfaction::RatingComment,
    validate::Field as FieldName,
};

use crate::{
    api::{self, ApiError},
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::use_i18n,
    pages::account::verify::take_token,
};

#[component]
pub fn RatePage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::RateTitle);
    let choice = use_params_map()
        .read_untracked()
        .get("choice")
        .unwrap_or_default();
    let token = StoredValue::new(take_token(&format!("/rate/{choice}")));
    let rate = Action::new_local(move |good: &bool| api::ratings::rate(&token.read_value(), *good));
    let failure = Memo::new(move |_| match &*rate.value().read() {
        _ if token.with_value(String::is_empty) => Some(ErrorCode::LinkInvalid),
        Some(Err(error)) => Some(error.code().unwrap_or(ErrorCode::Internal)),
        _ => None,
    });
    let rated = move || matches!(*rate.value().read(), Some(Ok(())));
    // The button the customer clicked in the mail comes first, as the primary one.
    let good_first = choice != "not-good";

    move || {
        if let Some(code) = failure.get() {
            return refused(i18n, code).into_any();
        }
        if rated() {
            return view! { <Thanks token=token /> }.into_any();
        }
        let button = move |good: bool, primary: bool| {
            let label = if good {
                Key::RateGood
            } else {
                Key::RateNotGood
            };
            view! {
                <button type="button" class="button" class:primary=primary class:secondary=!primary
                    disabled=move || rate.pending().get()
                    on:click=move |_| { rate.dispatch(good); }>
                    {i18n.t(label)}
                </button>
            }
        };
        view! {
            <section class="card" aria-labelledby="rate-title">
                <h1 id="rate-title">{i18n.t(Key::RateTitle)}</h1>
                <p>{i18n.t(Key::RateIntro)}</p>
                <p class="actions">
                    {button(good_first, true)}
                    {button(!good_first, false)}
                </p>
            </section>
        }
        .into_any()
    }
}

/// What a refused token shows: already used, expired, or not valid.
fn refused(i18n: crate::i18n::I18n, code: ErrorCode) -> impl IntoView {
    let (title, text) = match code {
        ErrorCode::LinkUsed => (Key::RateUsedTitle, Key::RateUsedText),
        ErrorCode::LinkExpired => (Key::LinkExpiredTitle, Key::RateExpiredText),
        ErrorCode::RateLimited => (Key::ErrorRateLimited, Key::RateInvalidText),
        ErrorCode::LinkInvalid => (Key::LinkInvalidTitle, Key::RateInvalidText),
        _ => (Key::ErrorGeneric, Key::RateInvalidText),
    };
    view! {
        <section class="card" aria-labelledby="rate-title">
            <h1 id="rate-title">{i18n.t(title)}</h1>
            <p>{i18n.t(text)}</p>
        </section>
    }
}

/// The thanks, and the optional comment (once).
#[component]
fn Thanks(token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let send =
        Action::new_local(move |text: &String| api::ratings::comment(&token.read_value(), text));
    let refused = move || match &*send.value().read() {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    };
    let sent = move || matches!(*send.value().read(), Some(Ok(())));
    let error = Signal::derive(move || {
        let local = attempted
            .get()
            .then(|| comment.with(|c| RatingComment::parse(c).err()))
            .flatten();
        local
            .map(|p| i18n.problem(FieldName::Body, p))
            .or_else(|| refused().and_then(|e: ApiError| e.field_message(i18n, FieldName::Body)))
    });
    let hint = Signal::derive(move || {
        i18n.fill(
            Key::RateCommentHint,
            &[("max", &i18n.digits(&RATING_COMMENT_MAX.to_string()))],
        )
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if comment.with_untracked(|c| RatingComment::parse(c).is_ok()) {
            send.dispatch(comment.get_untracked());
        }
    };
    view! {
        <section class="card" aria-labelledby="rate-title">
            <h1 id="rate-title">{i18n.t(Key::RateThanks)}</h1>
            {move || if sent() {
                view! { <p role="status">{i18n.t(Key::RateCommentThanks)}</p> }.into_any()
            } else {
                view! {
                    <form novalidate on:submit=submit>
                        <Field id="rate-comment" label=Key::RateCommentLabel hint_text=hint
                            multiline=true rows=4 value=comment error=error />
                        <Notice message=Signal::derive(move || refused().filter(|e| e.fields().is_empty()).map(|e| e.message(i18n))) error=true />
                        <button type="submit" class="button primary" disabled=move || send.pending().get()>
                            {i18n.t(Key::RateCommentSend)}
                        </button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
