//! `/new`: the wizard's index page (its first screen is static) with the
//! departments in the visitor's language, which the wizard asks for as it
//! starts: one request fewer on the page most visitors come for, and the
//! department step has its choices at once.

use axum::{
    extract::State,
    http::{HeaderMap, Uri},
    response::Response,
};
use shared::pages::Page;

use super::api_url;
use crate::{AppState, assets, routes};

pub async fn show(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let lang = assets::language(&headers);
    match routes::departments(&state, lang).await {
        Ok(departments) => assets::with_data(
            Page::NewTicket,
            lang,
            "",
            &api_url("/departments", lang),
            &departments,
        ),
        // The plain page: the app asks and shows what goes wrong.
        Err(error) => {
            tracing::warn!(%error, "drawing the new-ticket page");
            assets::serve(uri, headers).await
        }
    }
}
