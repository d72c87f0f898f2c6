//! `/account/verify#<token>`: the link of a sign-up or an address change.
//! Like `/link`, the token leaves the address bar at once; once confirmed
//! the customer is signed in and goes on with a waiting ticket draft, if
//! there is one, else to their tickets.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, components::A, hooks::use_navigate};
use shared::{api::ErrorCode, i18n::Key};

use crate::{
    account::use_session,
    api::{self, ApiError},
    app::use_title,
    i18n::use_i18n,
    pages::wizard::pending_draft,
};

/// The token in the fragment, removed from the address bar and history.
pub fn take_token(path: &str) -> String {
    let token = window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
    token
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::VerifyTitle);
    let session = use_session();
    let navigate = use_navigate();
    // Succeeds by leaving; its value is only ever a failure.
    let verify = Action::new_local(move |token: &String| {
        let sent = api::account::verify(token);
        let navigate = navigate.clone();
        async move {
            let account = sent.await?;
            session.set(account);
            let next = if pending_draft() {
                "/new"
            } else {
                "/account/tickets"
            };
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(next, replace);
            Ok::<(), ApiError>(())
        }
    });
    let token = take_token("/account/verify");
    let empty = token.is_empty();
    if !empty {
        verify.dispatch(token);
    }
    let failure = Memo::new(move |_| match &*verify.value().read() {
        _ if empty => Some(None),
        Some(Err(error)) => Some(Some(error.clone())),
        _ => None,
    });

    move || match failure.get() {
        None => view! { <p class="loading" role="status">{move || i18n.t(Key::VerifyTitle)}</p> }
            .into_any(),
        Some(error) => {
            let link_problem = error.as_ref().and_then(|e| e.code()).is_none_or(|code| {
                matches!(
                    code,
                    ErrorCode::LinkExpired | ErrorCode::LinkUsed | ErrorCode::LinkInvalid
                )
            });
            let title = move || match &error {
                None => i18n.t(Key::LinkInvalidTitle).to_owned(),
                Some(error) => error.message(i18n),
            };
            view! {
                <section class="card">
                    <h1>{title}</h1>
                    {link_problem.then(|| view! { <p>{move || i18n.t(Key::ResendLinkHelp)}</p> })}
                    <p class="actions">
                        <A href="/account/sign-in" attr:class="button primary">{move || i18n.t(Key::SignIn)}</A>
                    </p>
                </section>
            }
            .into_any()
        }
    }
}
