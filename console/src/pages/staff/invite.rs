//! Inviting a member: address, name, role and departments. The server
//! emails the set-password link (valid 72 hours, once).

use leptos::prelude::*;
use shared::{
    console::{Invite, NAME_MAX, Role},
    i18n::ConsoleKey,
    validate::{Email, Field as FieldName, Problem},
};

use super::{DepartmentChecks, Names, Staff};
use crate::{
    api::{self, ApiError, StaffMessage, from_wire_name, wire_name},
    components::{field::Field, notice::Notice, select::Select},
    i18n::{Console, use_i18n},
    labels::role_key,
};

#[component]
pub fn InviteForm(
    /// The list: the new member is added to it.
    staff: Staff,
    /// Every department, named.
    names: Names,
) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Agent);
    let departments = RwSignal::new(Vec::<String>::new());
    let attempted = RwSignal::new(false);
    let invite = Action::new_local(move |invite: &Invite| {
        let sent = api::admin::invite(invite, i18n.lang.get_untracked());
        async move {
            let member = sent.await?;
            let address = member.email.clone();
            staff.update(|list| {
                if let Some(Ok(list)) = list {
                    list.push(member);
                }
            });
            attempted.set(false);
            email.set(String::new());
            name.set(String::new());
            departments.set(Vec::new());
            Ok::<_, ApiError>(address)
        }
    });
    let refused = move || match &*invite.value().read() {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    };
    let done = Signal::derive(move || match &*invite.value().read() {
        Some(Ok(address)) => Some(i18n.tr_fill(ConsoleKey::InviteSent, &[("email", address)])),
        _ => None,
    });
    let email_error = Signal::derive(move || {
        let local = attempted
            .get()
            .then(|| email.with(|e| Email::parse(e).err()))
            .flatten();
        local
            .map(|p| i18n.problem(FieldName::Email, p))
            .or_else(|| refused().and_then(|e| e.field_message(i18n, FieldName::Email)))
    });
    let name_error = Signal::derive(move || {
        let problem = attempted.get().then(|| {
            let count = name.with(|n| n.trim().chars().count());
            match count {
                0 => Some(Problem::Required),
                n if n > NAME_MAX => Some(Problem::TooLong { max: NAME_MAX }),
                _ => None,
            }
        });
        problem
            .flatten()
            .map(|p| i18n.problem(FieldName::Name, p))
            .or_else(|| refused().and_then(|e| e.field_message(i18n, FieldName::Name)))
    });
    let role_options = Signal::derive(move || {
        [Role::Agent, Role::Admin]
            .into_iter()
            .map(|r| (wire_name(r), i18n.tr(role_key(r)).to_owned()))
            .collect()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if email_error.get_untracked().is_some() || name_error.get_untracked().is_some() {
            return;
        }
        invite.dispatch(Invite {
            email: email.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
            departments: departments.get_untracked(),
        });
    };
    view! {
        <form class="card invite" novalidate on:submit=submit aria-labelledby="invite-title">
            <h2 id="invite-title">{move || i18n.tr(ConsoleKey::InviteTitle)}</h2>
            <Field id="invite-email" label=ConsoleKey::Email value=email error=email_error input_type="email" autocomplete="off" />
            <Field id="invite-name" label=ConsoleKey::Name value=name error=name_error autocomplete="off" />
            <Select id="invite-role" label=ConsoleKey::Role options=role_options
                value=Signal::derive(move || wire_name(role.get()))
                on_change=Callback::new(move |v: String| role.set(from_wire_name(&v).unwrap_or(Role::Agent))) />
            {move || (role.get() == Role::Agent).then(|| view! {
                <DepartmentChecks id="invite-dept".to_owned() names chosen=departments
                    on_change=Callback::new(move |list| departments.set(list)) />
            })}
            <Notice message=Signal::derive(move || refused().filter(|e| e.fields().is_empty()).map(|e| e.staff_message(i18n))) error=true />
            <Notice message=done />
            <button type="submit" class="button primary" disabled=move || invite.pending().get()>
                {move || i18n.tr(ConsoleKey::Invite)}
            </button>
        </form>
    }
}
