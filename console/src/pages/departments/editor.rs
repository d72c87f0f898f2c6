//! One department being edited: its name and explanation in every
//! language, its place in the customer's list and whether it is offered.

use leptos::prelude::*;
use shared::{
    console::{DepartmentAdmin, DepartmentText},
    i18n::{ConsoleKey, Key, Lang},
};

use crate::{
    api::{self, ApiError},
    components::field::Field,
    i18n::{Console, use_i18n},
    pages::staff::department_name,
};

/// One language's name and explanation, being edited.
#[derive(Clone, Copy)]
struct Texts {
    lang: Lang,
    name: RwSignal<String>,
    explanation: RwSignal<String>,
}

#[component]
pub fn Editor(
    /// The department as loaded.
    department: DepartmentAdmin,
) -> impl IntoView {
    let i18n = use_i18n();
    let slug = department.slug.clone();
    let shown = RwSignal::new(department.clone());
    let position = RwSignal::new(department.position.to_string());
    let active = RwSignal::new(department.active);
    let texts: Vec<Texts> = Lang::ALL
        .iter()
        .map(|&lang| {
            let text = department.texts.iter().find(|t| t.lang == lang);
            Texts {
                lang,
                name: RwSignal::new(text.map(|t| t.name.clone()).unwrap_or_default()),
                explanation: RwSignal::new(text.map(|t| t.explanation.clone()).unwrap_or_default()),
            }
        })
        .collect();
    let save = Action::new_local(move |edited: &DepartmentAdmin| {
        let sent = api::admin::save_department(edited);
        async move {
            shown.set(sent.await?);
            Ok::<_, ApiError>(())
        }
    });
    let position_error = Signal::derive(move || {
        position
            .with(|p| p.trim().parse::<i64>().is_err())
            .then(|| i18n.t(Key::ErrInvalid).to_owned())
    });
    let submit = {
        let (slug, texts) = (slug.clone(), texts.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let Ok(position) = position.get_untracked().trim().parse() else {
                return;
            };
            save.dispatch(DepartmentAdmin {
                slug: slug.clone(),
                position,
                active: active.get_untracked(),
                texts: texts
                    .iter()
                    .map(|t| DepartmentText {
                        lang: t.lang,
                        name: t.name.get_untracked().trim().to_owned(),
                        explanation: t.explanation.get_untracked().trim().to_owned(),
                    })
                    .collect(),
            });
        }
    };
    let title_id = format!("department-{slug}");
    view! {
        <form class="card department" novalidate on:submit=submit aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{move || shown.with(|d| department_name(i18n, d))}</h2>
            <p class="hint"><bdi>{slug.clone()}</bdi></p>
            <div class="department-settings">
                <Field id=format!("{slug}-position") label=ConsoleKey::Position value=position error=position_error inputmode="numeric" />
                <div class="check">
                    <input type="checkbox" id=format!("{slug}-active") prop:checked=move || active.get()
                        on:change=move |event| active.set(event_target_checked(&event)) />
                    <label for=format!("{slug}-active")>{move || i18n.tr(ConsoleKey::DepartmentActive)}</label>
                </div>
            </div>
            {texts.into_iter().map(|t| view! {
                // The inputs take `dir="auto"`; the legend is the language's own name.
                <fieldset class="department-texts">
                    <legend lang=t.lang.code()>{Key::MetaName.text(t.lang)}</legend>
                    <Field id=format!("{slug}-{}-name", t.lang.code()) label=ConsoleKey::Name value=t.name />
                    <Field id=format!("{slug}-{}-explanation", t.lang.code()) label=ConsoleKey::Explanation value=t.explanation multiline=true rows=6 />
                </fieldset>
            }).collect_view()}
            <super::Saving save />
        </form>
    }
}
