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

use crate::{
    AppState,
    db::{forms, tickets},
    error::Result,
};

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
    Ok(Json(departments(&state, query.lang()).await?))
}

/// The departments a ticket can be opened in, with their forms, worded in
/// `lang` (the API's answer, and the data the `/new` page carries).
pub async fn departments(state: &AppState, lang: Lang) -> Result<Vec<Department>> {
    state
        .db
        .read(move |conn| {
            let mut forms = forms::all_in_lang(conn, lang)?;
            let mut list = tickets::departments(conn, lang)?;
            for department in &mut list {
                department.fields = forms.remove(&department.slug).unwrap_or_default();
            }
            Ok(list)
        })
        .await
}
