//! `/link#<token>`: the page an emailed link opens. The token is in the
//! fragment, which the browser never sends anywhere; this page removes it
//! from the address bar and history, exchanges it for an HttpOnly cookie,
//! and moves on to the ticket.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, components::A, hooks::use_navigate};
use shared::{api::ErrorCode, i18n::Key};

use crate::{api, app::use_title, i18n::use_i18n};

#[component]
pub fn OpenLink() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::LinkOpening);
    let navigate = use_navigate();
    // Succeeds by leaving for the ticket; its value is only ever a failure.
    let redeem = Action::new_local(move |token: &String| {
        let sent = api::links::redeem(token);
        let navigate = navigate.clone();
        async move {
            let redeemed = sent.await.map_err(|error| error.code())?;
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&format!("/tickets/{}", redeemed.reference), replace);
            Ok(())
        }
    });

    let location = window().location();
    let token = location
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/link"));
    }
    let empty = token.is_empty();
    if !empty {
        redeem.dispatch(token);
    }
    let failure = Memo::new(move |_| match &*redeem.value().read() {
        _ if empty => Some(Some(ErrorCode::LinkInvalid)),
        Some(Err(code)) => Some(*code),
        _ => None,
    });

    move || match failure.get() {
        None => {
            view! { <p class="loading" role="status">{i18n.t(Key::LinkOpening)}</p> }.into_any()
        }
        Some(code) => {
            let (title, text) = match code {
                Some(ErrorCode::LinkExpired) => (Key::LinkExpiredTitle, Key::LinkExpiredText),
                Some(ErrorCode::LinkUsed) => (Key::LinkUsedTitle, Key::LinkUsedText),
                Some(ErrorCode::LinkInvalid) => (Key::LinkInvalidTitle, Key::LinkInvalidText),
                Some(ErrorCode::RateLimited) => (Key::ErrorRateLimited, Key::LinkInvalidText),
                _ => (Key::ErrorGeneric, Key::LinkInvalidText),
            };
            view! {
                <section class="card">
                    <h1>{i18n.t(title)}</h1>
                    <p>{i18n.t(text)}</p>
                    <p class="actions">
                        <A href="/find" attr:class="button primary">{i18n.t(Key::FindTicket)}</A>
                        <A href="/new" attr:class="button secondary">{i18n.t(Key::NewTicket)}</A>
                    </p>
                </section>
            }
            .into_any()
        }
    }
}
