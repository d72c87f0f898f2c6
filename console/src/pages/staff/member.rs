//! One member in the staff list: name, address, whether they have set a
//! password and a second factor, and their role, departments and access,
//! each changed at once.

use leptos::prelude::*;
use shared::console::{Role, StaffChange, StaffMember};
use shared::i18n::ConsoleKey;

use super::{DepartmentChecks, Names, Staff};
use crate::{
    api::{self, ApiError, StaffMessage, from_wire_name, wire_name},
    components::{notice::Notice, select::Select},
    i18n::{Console, use_i18n},
    labels::role_key,
};

#[component]
pub fn Member(
    /// The member as listed.
    member: StaffMember,
    /// The list: the member's entry is replaced by the server's answer.
    staff: Staff,
    /// Every department, named.
    names: Names,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = member.id;
    let save = Action::new_local(move |change: &StaffChange| {
        let sent = api::admin::change_member(id, change);
        async move {
            let updated = sent.await?;
            staff.update(|list| {
                if let Some(Ok(list)) = list
                    && let Some(entry) = list.iter_mut().find(|m| m.id == updated.id)
                {
                    *entry = updated;
                }
            });
            Ok::<_, ApiError>(())
        }
    });
    let failed = Signal::derive(move || match &*save.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    });
    let role_options = Signal::derive(move || {
        [Role::Agent, Role::Admin]
            .into_iter()
            .map(|r| (wire_name(r), i18n.tr(role_key(r)).to_owned()))
            .collect()
    });
    let badges = {
        let mut badges = Vec::new();
        if member.pending {
            badges.push(ConsoleKey::MemberPending);
        }
        if member.totp_enabled {
            badges.push(ConsoleKey::MemberTotp);
        }
        if !member.active {
            badges.push(ConsoleKey::MemberInactive);
        }
        badges
    };
    let prefix = format!("member-{id}");
    let role = wire_name(member.role);
    let departments = member.departments.clone();
    let active = member.active;
    view! {
        <li class="member card" class:inactive=!active>
            <h2><bdi>{member.name.clone()}</bdi></h2>
            <p class="member-email"><bdi>{member.email.clone()}</bdi></p>
            <p class="badges">
                {badges.into_iter().map(|key| view! { <span class="badge">{move || i18n.tr(key)}</span> }).collect_view()}
            </p>
            <div class="member-controls">
                <Select
                    id=format!("{prefix}-role")
                    label=ConsoleKey::Role
                    options=role_options
                    value=Signal::derive(move || role.clone())
                    on_change=Callback::new(move |v: String| {
                        save.dispatch(StaffChange { role: from_wire_name(&v), ..Default::default() });
                    })
                />
                {(member.role == Role::Agent).then(|| view! {
                    <DepartmentChecks
                        id=format!("{prefix}-dept")
                        names
                        chosen=Signal::derive(move || departments.clone())
                        on_change=Callback::new(move |list| {
                            save.dispatch(StaffChange { departments: Some(list), ..Default::default() });
                        })
                    />
                })}
                <div class="check">
                    <input
                        type="checkbox"
                        id=format!("{prefix}-active")
                        prop:checked=active
                        on:change=move |event| {
                            save.dispatch(StaffChange { active: Some(event_target_checked(&event)), ..Default::default() });
                        }
                    />
                    <label for=format!("{prefix}-active")>{move || i18n.tr(ConsoleKey::MemberActive)}</label>
                </div>
            </div>
            <Notice message=failed error=true />
        </li>
    }
}
