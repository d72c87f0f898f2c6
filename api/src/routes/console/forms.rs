//! Administration of department forms: the fields a department asks for in
//! step 3 of the customer wizard. Every handler takes `Admin`.

use axum::{
    Json,
    extract::{Path, State},
};
use shared::forms::{FormField, Localized, check_definitions};

use super::Admin;
use crate::{
    AppState,
    db::forms,
    error::{Error, Result},
    routes::ApiJson,
};

/// A department's fields with their words in every language.
pub async fn fields_list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(slug): Path<String>,
) -> Result<Json<Vec<FormField<Localized>>>> {
    let fields = state
        .db
        .read(move |conn| {
            let id = forms::department_id(conn, &slug)?.ok_or(Error::NotFound)?;
            forms::fields(conn, id)
        })
        .await?;
    Ok(Json(fields))
}

/// Replaces a department's form with the list sent, in its order (adding,
/// editing, moving and removing fields are all one save). Tickets keep the
/// answers they were opened with, worded as they were.
pub async fn fields_save(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(slug): Path<String>,
    ApiJson(list): ApiJson<Vec<FormField<Localized>>>,
) -> Result<Json<Vec<FormField<Localized>>>> {
    check_definitions(&list).map_err(|error| Error::Validation(vec![error]))?;
    let department = slug.clone();
    let saved = state
        .db
        .write(move |conn| {
            let id = forms::department_id(conn, &department)?.ok_or(Error::NotFound)?;
            forms::save(conn, id, &list)
        })
        .await?;
    tracing::info!(
        admin = admin.member.id,
        department = slug,
        fields = saved.len(),
        "department form saved"
    );
    Ok(Json(saved))
}
