//! `/console/staff` (admins): the members with their role, departments and
//! whether they may sign in, and the invitation form.

mod invite;
mod member;
mod ratings;

use leptos::prelude::*;
use shared::{
    console::{DepartmentAdmin, Role, StaffMember},
    i18n::{ConsoleKey, Key},
};

use crate::{
    api::{self, ApiError, StaffMessage},
    app::use_title,
    i18n::{Console, I18n, use_i18n},
};

/// The staff list as loaded, then as changed.
type Staff = LocalResource<Result<Vec<StaffMember>, ApiError>>;

/// Departments as `(slug, name in the current language)`.
type Names = Signal<Vec<(String, String)>>;

/// A department's name in the interface language, else in English, else its slug.
pub fn department_name(i18n: I18n, department: &DepartmentAdmin) -> String {
    let lang = i18n.lang.get();
    let text = |wanted| department.texts.iter().find(|t| t.lang == wanted);
    text(lang)
        .or_else(|| text(shared::i18n::Lang::DEFAULT))
        .map_or_else(|| department.slug.clone(), |t| t.name.clone())
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::Staff);
    let staff: Staff = LocalResource::new(api::admin::staff);
    let departments = LocalResource::new(api::admin::departments);
    let names: Names = Signal::derive(move || match departments.get() {
        Some(Ok(list)) => list
            .iter()
            .map(|d| (d.slug.clone(), department_name(i18n, d)))
            .collect(),
        _ => Vec::new(),
    });
    let members = move || match staff.get() {
        Some(Ok(list)) => list,
        _ => Vec::new(),
    };
    let failed = move || match staff.get() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    };
    view! {
        <section class="admin" aria-labelledby="staff-title">
            <h1 id="staff-title">{move || i18n.tr(ConsoleKey::Staff)}</h1>
            <p role="alert" class="field-error">{failed}</p>
            <ul class="members">
                <For each=members key=|m| (m.id, m.role == Role::Admin, m.active, m.departments.clone(), m.pending) let:member>
                    <member::Member member staff names />
                </For>
            </ul>
            {move || staff.get().is_none().then(|| view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> })}
            <invite::InviteForm staff names />
            <ratings::Ratings />
        </section>
    }
}

/// A fieldset of one checkbox per department; `chosen` holds the slugs.
#[component]
pub fn DepartmentChecks(
    /// Prefix of the checkboxes' ids.
    id: String,
    /// Every department, named.
    names: Names,
    /// The slugs ticked.
    #[prop(into)]
    chosen: Signal<Vec<String>>,
    /// Called with the new list when a box is ticked or unticked.
    on_change: Callback<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="checks">
            <legend>{move || i18n.tr(ConsoleKey::Departments)}</legend>
            <For each=move || names.get() key=|(slug, name)| (slug.clone(), name.clone()) let:department>
                {
                    let (slug, name) = department;
                    let box_id = format!("{id}-{slug}");
                    let checked = {
                        let slug = slug.clone();
                        move || chosen.with(|c| c.contains(&slug))
                    };
                    view! {
                        <div class="check">
                            <input
                                type="checkbox"
                                id=box_id.clone()
                                prop:checked=checked
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let mut list = chosen.get_untracked();
                                    list.retain(|s| *s != slug);
                                    if on {
                                        list.push(slug.clone());
                                    }
                                    on_change.run(list);
                                }
                            />
                            <label for=box_id>{name}</label>
                        </div>
                    }
                }
            </For>
        </fieldset>
    }
}
