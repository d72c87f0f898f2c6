//! After Send: the confirmation email is on its way; it can be sent again.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use serde::{Deserialize, Serialize};
use shared::{api::ResendConfirmation, i18n::Key};

use crate::{api, app::use_title, components::notice::Notice, draft, i18n::use_i18n};

/// Kept in `sessionStorage` by the wizard so this page survives a reload.
#[derive(Serialize, Deserialize)]
pub struct SentInfo {
    pub email: String,
    pub resend_key: String,
}

impl SentInfo {
    fn key(reference: &str) -> String {
        format!("pasokh.sent.{reference}")
    }

    pub fn save(&self, reference: &str) {
        draft::save(&SentInfo::key(reference), self, true);
    }

    fn load(reference: &str) -> Option<SentInfo> {
        draft::load(&SentInfo::key(reference), true)
    }
}

#[component]
pub fn Sent() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::SentTitle);
    let params = use_params_map();
    let reference = params.read_untracked().get("reference").unwrap_or_default();
    let info = SentInfo::load(&reference);
    let resend = Action::new_local({
        let reference = reference.clone();
        move |request: &ResendConfirmation| api::tickets::resend(&reference, request)
    });
    let on_resend = {
        let key = info.as_ref().map(|i| i.resend_key.clone());
        move |_| {
            if let Some(resend_key) = key.clone() {
                resend.dispatch(ResendConfirmation { resend_key });
            }
        }
    };
    // Hidden while sending again, so that a second success is announced again.
    let status = Signal::derive(move || {
        let sent = !resend.pending().get() && matches!(*resend.value().read(), Some(Ok(())));
        sent.then(|| i18n.t(Key::Resent).to_owned())
    });
    let failed = Signal::derive(move || match &*resend.value().read() {
        Some(Err(error)) => Some(error.message(i18n)),
        _ => None,
    });
    let email = info.as_ref().map(|i| i.email.clone());
    let can_resend = info.is_some();
    view! {
        <section class="card">
            <h1>{move || i18n.t(Key::SentTitle)}</h1>
            // The address is isolated so it reads left to right inside a
            // right-to-left sentence.
            {email.map(|email| {
                let parts = move || i18n.around(Key::SentText, "email");
                view! { <p>{move || parts().0}<bdi class="email">{email}</bdi>{move || parts().1}</p> }
            })}
            <p class="reference-line">
                {move || i18n.around(Key::SentReference, "reference").0}
                <bdi class="reference">{move || i18n.digits(&reference)}</bdi>
                {move || i18n.around(Key::SentReference, "reference").1}
            </p>
            <p>{move || i18n.t(Key::SentNoMail)}</p>
            <Show when=move || can_resend>
                <button type="button" class="button secondary" disabled=move || resend.pending().get() on:click=on_resend.clone()>
                    {move || i18n.t(Key::Resend)}
                </button>
            </Show>
            <Notice message=status />
            <Notice message=failed error=true />
            <p><A href="/">{move || i18n.t(Key::BackHome)}</A></p>
        </section>
    }
}
