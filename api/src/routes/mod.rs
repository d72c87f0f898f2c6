//! The HTTP API, one file per feature. Handlers are named `<resource>_<verb>`;
//! they extract, call the database or the mail module, and return.

pub mod access;
mod account;
pub mod client;
mod console;
mod links;
mod meta;
mod ratings;
pub mod sign_in;
mod tickets;
mod uploads;

use axum::{
    Router,
    extract::{DefaultBodyLimit, FromRequest, Request},
    middleware,
    routing::{get, post},
};

use crate::{
    AppState,
    db::{
        self,
        rate::{self, Limit},
    },
    error::Error,
};

pub use access::GUEST_COOKIE;
/// The departments as the wizard asks for them: the API's answer and `/new`'s.
pub use meta::departments;
/// A ticket as its customer opens it: the API's answer and its page's.
pub use tickets::opened as opened_ticket;

/// JSON bodies are small: the longest field is a 20,000-character description.
const JSON_LIMIT: usize = 256 * 1024;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/config", get(meta::config_show))
        .route("/departments", get(meta::departments_list))
        .route("/uploads", post(uploads::uploads_create))
        .route("/tickets", post(tickets::tickets_create))
        .route("/tickets/{reference}", get(tickets::tickets_show))
        .route(
            "/tickets/{reference}/resend",
            post(tickets::confirmation_resend),
        )
        .route(
            "/tickets/{reference}/messages",
            post(tickets::messages_create),
        )
        .route("/tickets/{reference}/close", post(tickets::tickets_close))
        .route("/tickets/{reference}/reopen", post(tickets::tickets_reopen))
        .route(
            "/tickets/{reference}/attachments/{id}",
            get(tickets::attachments_show),
        )
        .route("/links/redeem", post(links::links_redeem))
        .route("/find", post(links::find_create))
        .route("/ratings", post(ratings::ratings_create))
        .route("/ratings/comment", post(ratings::rating_comment_create))
        .nest("/account", account::routes())
        .nest("/console", console::routes())
        .fallback(|| async { Error::NotFound })
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(middleware::from_fn(crate::layers::csrf))
}

/// Counts one event against each limit, in a transaction of its own, so a
/// request that goes on to fail still counts: failures are what guessing is
/// made of.
pub async fn limit(state: &AppState, hits: Vec<(String, Limit)>) -> Result<(), Error> {
    state
        .db
        .write(move |conn| {
            let now = db::now();
            hits.iter()
                .try_for_each(|(key, limit)| rate::hit(conn, key, *limit, now))
        })
        .await
}

/// `Json` whose rejections are our structured errors, not plain text.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(axum::extract::rejection::JsonRejection::BytesRejection(_)) => {
                Err(Error::TooLarge(vec![]))
            }
            Err(rejection) => {
                tracing::debug!(%rejection, "bad JSON");
                Err(Error::BadRequest)
            }
        }
    }
}
