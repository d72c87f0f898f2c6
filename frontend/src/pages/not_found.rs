//! Any address the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::i18n::Key;

use crate::{app::use_title, i18n::use_i18n};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::NotFoundTitle);
    view! {
        <section class="card">
            <h1>{move || i18n.t(Key::NotFoundTitle)}</h1>
            <p>{move || i18n.t(Key::NotFoundText)}</p>
            <A href="/">{move || i18n.t(Key::BackHome)}</A>
        </section>
    }
}
