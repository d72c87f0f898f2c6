//! The second factor: start (a secret to type in, and an `otpauth:` link
//! that opens an authenticator app — no QR code library in the bundle),
//! confirm with a first code (recovery codes, shown this once), or turn off
//! with a current code.

use leptos::prelude::*;
use shared::{
    console::{RecoveryCodes, TotpConfirm, TotpEnrolment},
    i18n::ConsoleKey,
    validate::Field as FieldName,
};

use crate::{
    api::{self, ApiError, StaffMessage},
    components::{field::Field, notice::Notice},
    i18n::{Console, use_i18n},
    session::use_session,
};

#[component]
pub fn SecondFactor() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let enabled = move || {
        session
            .me
            .with(|me| me.as_ref().is_some_and(|me| me.totp_enabled))
    };
    let start = Action::new_local(|_: &()| api::account::totp_start());
    let code = RwSignal::new(String::new());
    let codes = RwSignal::new(None::<RecoveryCodes>);
    let confirm = Action::new_local(move |request: &TotpConfirm| {
        let sent = api::account::totp_confirm(request);
        async move {
            codes.set(Some(sent.await?));
            code.set(String::new());
            // The member now has a factor: reload who they are.
            if let Ok(me) = api::account::me().await {
                session.me.set(Some(me));
            }
            Ok::<_, ApiError>(())
        }
    });
    let disable = Action::new_local(move |request: &TotpConfirm| {
        let sent = api::account::totp_disable(request);
        async move {
            sent.await?;
            code.set(String::new());
            if let Ok(me) = api::account::me().await {
                session.me.set(Some(me));
            }
            Ok::<_, ApiError>(())
        }
    });
    let error = move |action: Action<TotpConfirm, Result<(), ApiError>>| {
        Signal::derive(move || match &*action.value().read() {
            Some(Err(e)) => Some(
                e.field_message(i18n, FieldName::Code)
                    .unwrap_or_else(|| e.staff_message(i18n)),
            ),
            _ => None,
        })
    };
    let enrolment = move || match start.value().get() {
        Some(Ok(enrolment)) => Some(enrolment),
        _ => None,
    };
    let start_failed = Signal::derive(move || match start.value().get() {
        Some(Err(e)) => Some(e.staff_message(i18n)),
        _ => None,
    });
    let submit = move |action: Action<TotpConfirm, Result<(), ApiError>>| {
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            action.dispatch(TotpConfirm {
                code: code.get_untracked().trim().to_owned(),
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="totp-title">
            <h2 id="totp-title">{move || i18n.tr(ConsoleKey::TotpTitle)}</h2>
            {move || codes.get().map(|codes| view! { <Codes codes /> })}
            {move || match (enabled(), enrolment()) {
                (true, _) => view! {
                    <p>{i18n.tr(ConsoleKey::TotpOn)}</p>
                    <form novalidate on:submit=submit(disable)>
                        <Field id="totp-off-code" label=ConsoleKey::Code value=code error=error(disable) autocomplete="one-time-code" />
                        <button type="submit" class="button secondary">{i18n.tr(ConsoleKey::TotpDisable)}</button>
                    </form>
                }.into_any(),
                (false, None) => view! {
                    <p>{i18n.tr(ConsoleKey::TotpOff)}</p>
                    <Notice message=start_failed error=true />
                    <button type="button" class="button primary" on:click=move |_| { start.dispatch(()); }>
                        {i18n.tr(ConsoleKey::TotpStart)}
                    </button>
                }.into_any(),
                (false, Some(enrolment)) => view! {
                    <Enrolment enrolment />
                    <form novalidate on:submit=submit(confirm)>
                        <Field id="totp-code" label=ConsoleKey::Code hint=ConsoleKey::TotpCodeHint value=code error=error(confirm) autocomplete="one-time-code" />
                        <button type="submit" class="button primary">{i18n.tr(ConsoleKey::TotpConfirm)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// The secret as text and the `otpauth:` URI as a link.
#[component]
fn Enrolment(enrolment: TotpEnrolment) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="steps-list">
            <li>
                {move || i18n.tr(ConsoleKey::TotpStepSecret)}
                <code class="secret" dir="ltr" translate="no">{enrolment.secret.clone()}</code>
            </li>
            <li>
                <a href=enrolment.uri.clone()>{move || i18n.tr(ConsoleKey::TotpOpenApp)}</a>
            </li>
            <li>{move || i18n.tr(ConsoleKey::TotpStepCode)}</li>
        </ol>
    }
}

/// The recovery codes, once: each works one time in place of a code.
#[component]
fn Codes(codes: RecoveryCodes) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice recovery" role="status">
            <p>{move || i18n.tr(ConsoleKey::RecoveryCodesText)}</p>
            <ul class="codes" dir="ltr" translate="no">
                {codes.codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
        </div>
    }
}
