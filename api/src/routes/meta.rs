//! What the form needs before the customer types: limits and departments.

use axum::{
    Json,
    extract::{Query, State},
};
use serde::Deserialize;
use shared::{
    api::{Department, PublicConfig},
    i18n::Lang,
};

use crate::{AppState, db::tickets, error::Result};

pub async fn config_show(State(state): State<AppState>) -> Json<PublicConfig> {
    Json(PublicConfig {
        attachments: state.config.attachments,
    })
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    pub fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::DEFAULT)
    }
}

pub async fn departments_list(
    State(state): State<AppState>,
    Query(query): Query<LangQuery>,
) -> Result<Json<Vec<Department>>> {
    let lang = query.lang();
    Ok(Json(
        state
            .db
            .read(move |conn| tickets::departments(conn, lang))
            .await?,
    ))
}
