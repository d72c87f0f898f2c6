//! Administration of what a department lets happen by email: its staff
//! answering from their mail client, and unmatched mail opening tickets
//! (`inbound::agent`, `inbound::new_ticket`). Every handler takes `Admin`.

use axum::{
    Json,
    extract::{Path, State},
};
use shared::console::DepartmentMail;

use super::Admin;
use crate::{
    AppState,
    db::department_mail,
    error::{Error, Result},
    inbound::address::ReplyAddress,
    routes::ApiJson,
};

pub async fn department_mail_show(
    State(state): State<AppState>,
    _admin: Admin,
    Path(slug): Path<String>,
) -> Result<Json<DepartmentMail>> {
    let department = slug.clone();
    let settings = state
        .db
        .read(move |conn| department_mail::get(conn, &department))
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Json(with_address(&state, &slug, settings)))
}

fn with_address(state: &AppState, slug: &str, settings: DepartmentMail) -> DepartmentMail {
    DepartmentMail {
        address: ReplyAddress::for_department(&state.config.inbound, slug),
        ..settings
    }
}

pub async fn department_mail_update(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(slug): Path<String>,
    ApiJson(settings): ApiJson<DepartmentMail>,
) -> Result<Json<DepartmentMail>> {
    let (department, saved) = (slug.clone(), settings.clone());
    let found = state
        .db
        .write(move |conn| department_mail::set(conn, &department, &saved))
        .await?;
    if !found {
        return Err(Error::NotFound);
    }
    tracing::info!(
        admin = admin.member.id,
        department = slug,
        agents_reply = settings.agents_reply,
        new_tickets = settings.new_tickets,
        "department mail settings changed"
    );
    Ok(Json(with_address(&state, &slug, settings)))
}
