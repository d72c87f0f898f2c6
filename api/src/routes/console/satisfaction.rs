//! Admins: the per-member ratings of the last 30 days, and the auto-close
//! setting (kept in `settings`, read by the job at each run, so a change
//! takes effect without a restart).

use axum::{Json, extract::State};
use shared::{
    satisfaction::{AgentRatings, AutoClose},
    validate::Field,
};

use super::Admin;
use crate::{
    AppState,
    db::{self, auto_close, ratings},
    error::{Error, Result},
    routes::ApiJson,
};

pub async fn ratings_list(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Json<Vec<AgentRatings>>> {
    Ok(Json(
        state
            .db
            .read(|conn| ratings::recent_by_agent(conn, db::now()))
            .await?,
    ))
}

pub async fn auto_close_show(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Json<AutoClose>> {
    let days = state.db.read(auto_close::days).await?;
    Ok(Json(AutoClose { days }))
}

pub async fn auto_close_update(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(wanted): ApiJson<AutoClose>,
) -> Result<Json<AutoClose>> {
    let wanted = wanted
        .check()
        .map_err(|problem| Error::field(Field::Name, problem))?;
    state
        .db
        .write(move |conn| auto_close::set_days(conn, wanted.days))
        .await?;
    tracing::info!(
        admin = admin.member.id,
        days = wanted.days,
        "auto-close changed"
    );
    Ok(Json(wanted))
}
