//! `/console/password#<token>`: the page an invitation or a reset link
//! opens. The token is in the fragment, which the browser sends nowhere;
//! the page takes it out of the address bar and history at once (as the
//! customer's `/link` page does), keeps it in memory, and posts it with the
//! new password. Then the member signs in.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use shared::{
    api::ErrorCode,
    console::{SetPassword, check_new_password},
    i18n::ConsoleKey,
    validate::Field as FieldName,
};

use crate::{
    api::{self, StaffMessage},
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::{Console, use_i18n},
};

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::SetPasswordTitle);
    let navigate = use_navigate();
    let token = window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("/console/password"),
        );
    }
    let missing = token.is_empty();
    let password = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let save = Action::new_local(move |request: &SetPassword| {
        let sent = api::account::set_password(request);
        let navigate = navigate.clone();
        async move {
            sent.await?;
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate("/console/sign-in?password=saved", replace);
            Ok::<_, api::ApiError>(())
        }
    });
    let refused = move || match &*save.value().read() {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    };
    // A link that cannot work any more is said once, instead of the form.
    let dead_link = Memo::new(move |_| {
        let code = refused().and_then(|e| e.code());
        missing
            || matches!(
                code,
                Some(ErrorCode::LinkInvalid | ErrorCode::LinkUsed | ErrorCode::LinkExpired)
            )
    });
    let error = Signal::derive(move || {
        let local = attempted
            .get()
            .then(|| password.with(|p| check_new_password(p).err()))
            .flatten()
            .map(|p| i18n.problem(FieldName::Password, p));
        local.or_else(|| refused().and_then(|e| e.field_message(i18n, FieldName::Password)))
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if password.with_untracked(|p| check_new_password(p).is_err()) {
            return;
        }
        save.dispatch(SetPassword {
            token: token.clone(),
            password: password.get_untracked(),
        });
    };
    let link_problem = move || {
        let key = match refused().and_then(|e| e.code()) {
            Some(ErrorCode::LinkExpired) => ConsoleKey::LinkExpired,
            Some(ErrorCode::LinkUsed) => ConsoleKey::LinkUsed,
            _ => ConsoleKey::LinkInvalid,
        };
        i18n.tr(key)
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr(ConsoleKey::SetPasswordTitle)}</h1>
            <Show
                when=move || !dead_link.get()
                fallback=move || view! {
                    <p role="alert">{link_problem}</p>
                    <p>{move || i18n.tr(ConsoleKey::LinkAskAdmin)}</p>
                }
            >
                <form novalidate on:submit=submit.clone()>
                    <Field
                        id="new-password"
                        label=ConsoleKey::NewPassword
                        hint=ConsoleKey::NewPasswordHint
                        value=password
                        error=error
                        input_type="password"
                        autocomplete="new-password"
                    />
                    <Notice
                        message=Signal::derive(move || refused().filter(|e| e.fields().is_empty()).map(|e| e.staff_message(i18n)))
                        error=true
                    />
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>
                        {move || i18n.tr(ConsoleKey::SavePassword)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
