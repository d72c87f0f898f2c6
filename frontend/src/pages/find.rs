//! "Find my ticket": reference and email in, an access link out by email.
//! The answer is the same whether or not they match.

use leptos::prelude::*;
use shared::{
    api::FindTicket as FindRequest,
    i18n::Key,
    validate::{Email, Field as FieldName, Reference},
};

use crate::{
    api,
    app::use_title,
    components::{field::Field, notice::Notice},
    i18n::use_i18n,
};

#[component]
pub fn FindTicket() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::FindTitle);
    let reference = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    // Its value is the address the link went to, or why the server refused.
    let find = Action::new_local(|request: &FindRequest| {
        let sent = api::links::find(request);
        let email = request.email.clone();
        async move { sent.await.map(|()| email) }
    });
    let done = move || {
        find.value()
            .with(|v| v.as_ref().and_then(|r| r.clone().ok()))
    };
    let refused = move || {
        find.value()
            .with(|v| v.as_ref().and_then(|r| r.clone().err()))
    };

    let reference_error = Signal::derive(move || {
        let problem = attempted
            .get()
            .then(|| reference.with(|r| Reference::parse(r).err()))
            .flatten();
        problem.map(|p| i18n.problem(FieldName::Reference, p))
    });
    let email_error = Signal::derive(move || {
        let problem = attempted
            .get()
            .then(|| email.with(|e| Email::parse(e).err()))
            .flatten();
        problem.map(|p| i18n.problem(FieldName::Email, p))
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if reference_error.get_untracked().is_some() || email_error.get_untracked().is_some() {
            return;
        }
        let body = FindRequest {
            reference: reference.get_untracked(),
            email: email.get_untracked(),
            lang: i18n.lang.get_untracked(),
        };
        find.dispatch(body);
    };

    view! {
        <section class="card">
            <h1>{move || i18n.t(Key::FindTitle)}</h1>
            <p>{move || i18n.t(Key::FindIntro)}</p>
            <form novalidate on:submit=submit>
                <Field
                    id="reference"
                    label=Key::Reference
                    hint=Key::ReferenceHint
                    inputmode="numeric"
                    value=reference
                    error=reference_error
                />
                <Field
                    id="find-email"
                    label=Key::Email
                    input_type="email"
                    autocomplete="email"
                    value=email
                    error=email_error
                />
                <button type="submit" class="button primary" disabled=move || find.pending().get()>
                    {move || i18n.t(Key::FindSubmit)}
                </button>
            </form>
            <div role="status" class="notice">
                {move || done().map(|email| view! {
                    <p>
                        {move || i18n.around(Key::FindDone, "email").0}
                        <bdi>{email}</bdi>
                        {move || i18n.around(Key::FindDone, "email").1}
                    </p>
                })}
            </div>
            <Notice message=Signal::derive(move || refused().map(|e| e.message(i18n))) error=true />
        </section>
    }
}
