//! Customer accounts under `/api/account`: signing up and in, the emailed
//! links (verification, reset, new address), the account's settings and
//! its tickets. Handlers that need a signed-in customer take
//! `AccountHolder`, which checks the session before they run.

mod links;
mod password;
mod session;
mod settings;
mod sign_up;
mod tickets;

use axum::{
    Json, Router,
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use shared::account::Account;

use super::{client::ClientIp, sign_in};
use crate::{
    AppState,
    auth::session::Realm,
    db::customers::{self, Customer},
    error::{Error, Result},
    layers,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-up", post(sign_up::sign_up_create))
        .route("/verify", post(sign_up::verify_create))
        .route("/verify/resend", post(sign_up::verify_resend))
        .route(
            "/session",
            get(session::session_show).post(session::session_create),
        )
        .route("/session/end", post(session::session_end))
        .route("/session/end-all", post(session::sessions_end_all))
        .route("/me", get(session::me_show).post(session::me_update))
        .route("/password", post(password::password_update))
        .route("/password/forgot", post(password::forgot_create))
        .route("/password/reset", post(password::reset_create))
        .route("/email", post(settings::email_update))
        .route("/delete", post(settings::account_delete))
        .route("/tickets", get(tickets::tickets_list))
}

/// The account as its holder sees it, with the count of unread answers.
async fn account(state: &AppState, customer: Customer) -> Result<Account> {
    let id = customer.id;
    let unread = state
        .db
        .read(move |conn| customers::unread_count(conn, id))
        .await?;
    Ok(Account {
        email: customer.email,
        name: customer.name,
        lang: customer.lang,
        notify_replies: customer.notify_replies,
        unread,
    })
}

/// `Account` with the session cookie a sign-in (or rotation) just set.
async fn signed_in_as(
    state: &AppState,
    customer: Customer,
    cookie: HeaderValue,
) -> Result<Response> {
    let mut response = Json(account(state, customer).await?).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// A request whose `Origin` is this site (sign-up and sign-in: a form
/// posted from another site is refused, see `layers::same_origin`).
pub struct SameOrigin;

impl FromRequestParts<AppState> for SameOrigin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if layers::same_origin(&parts.headers, &state.config.public_url) {
            return Ok(SameOrigin);
        }
        let ClientIp(client) = ClientIp::from_request_parts(parts, state).await?;
        tracing::warn!(
            client,
            path = parts.uri.path(),
            origin = ?parts.headers.get(header::ORIGIN),
            "refused: missing or foreign Origin"
        );
        Err(Error::Forbidden)
    }
}

/// The verified customer whose session the request carries, if any.
pub async fn holder(state: &AppState, headers: &HeaderMap) -> Result<Option<Customer>> {
    Ok(signed_in(state, headers)
        .await?
        .map(|holder| holder.customer))
}

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Option<AccountHolder>> {
    let Some((token, id)) = sign_in::current(state, Realm::Customer, headers).await? else {
        return Ok(None);
    };
    Ok(state
        .db
        .read(move |conn| customers::by_id(conn, id))
        .await?
        .filter(|customer| customer.verified)
        .map(|customer| AccountHolder { customer, token }))
}

/// A signed-in customer, and the session they came with.
pub struct AccountHolder {
    pub customer: Customer,
    pub token: String,
}

impl FromRequestParts<AppState> for AccountHolder {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        match signed_in(state, &parts.headers).await? {
            Some(holder) => Ok(holder),
            None => {
                let ClientIp(client) = ClientIp::from_request_parts(parts, state).await?;
                tracing::warn!(
                    client,
                    path = parts.uri.path(),
                    "refused: no valid customer session"
                );
                Err(Error::SignedOut)
            }
        }
    }
}
