//! The support home: what happens when you open a ticket, and the button.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::i18n::Key;

use crate::{app::use_title, i18n::use_i18n};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::HomeTitle);
    view! {
        <section class="hero">
            <h1>{move || i18n.t(Key::HomeTitle)}</h1>
            <p class="lead">{move || i18n.t(Key::HomeIntro)}</p>
            <A href="/new" attr:class="button primary big">{move || i18n.t(Key::NewTicket)}</A>
        </section>
        <section class="card">
            <h2>{move || i18n.t(Key::HomeStepsTitle)}</h2>
            <ol class="how">
                <li>{move || i18n.t(Key::HomeStep1)}</li>
                <li>{move || i18n.t(Key::HomeStep2)}</li>
                <li>{move || i18n.t(Key::HomeStep3)}</li>
            </ol>
            <p>{move || i18n.t(Key::HomeAfter)}</p>
        </section>
        <p class="find-line">
            {move || i18n.t(Key::HomeFindIntro)} " "
            <A href="/find">{move || i18n.t(Key::FindTicket)}</A>
        </p>
    }
}
