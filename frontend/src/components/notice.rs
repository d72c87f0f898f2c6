//! A message about the whole form or page: an error (announced at once) or
//! a confirmation (announced politely).

use leptos::prelude::*;

#[component]
pub fn Notice(
    /// The sentence to show; nothing is rendered while it is `None`.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Error styling and `role="alert"`; otherwise `role="status"`.
    #[prop(optional)]
    error: bool,
) -> impl IntoView {
    let role = if error { "alert" } else { "status" };
    view! {
        <div role=role class="notice" class:notice-error=error>
            {move || message.get().map(|text| view! { <p>{text}</p> })}
        </div>
    }
}
