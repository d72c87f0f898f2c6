//! Any address under `/console` that is not a page.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::i18n::{ConsoleKey, Key};

use crate::{
    app::use_title,
    i18n::{Console, use_i18n},
};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::NotFoundTitle);
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Key::NotFoundTitle)}</h1>
            <p>{move || i18n.t(Key::NotFoundText)}</p>
            <A href="/console" attr:class="button primary">{move || i18n.tr(ConsoleKey::Queue)}</A>
        </section>
    }
}
