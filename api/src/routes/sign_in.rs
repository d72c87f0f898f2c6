//! What staff and customers share of signing in: the rate limits, the
//! password check that takes as long for an unknown address as for a known
//! one, starting a session (a new token every time; the browser's previous
//! one ends), finding the session a request carries, and signing out.
//!
//! Failed attempts count against the client address that made them, never
//! against the account alone: a stranger guessing Sara's password uses up
//! their own attempts, and Sara signs in from her own address as usual.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use rusqlite::Connection;

use crate::{
    AppState,
    auth::{
        password,
        session::{self, Realm, TOUCH_EVERY_SECS},
    },
    db::{self, auth, rate::Limit},
    error::Result,
};

/// Every sign-in attempt from one client address, whatever the account.
const PER_CLIENT: Limit = Limit::per_hour(30);
/// Attempts at one account from one client address: the eleventh quick
/// wrong password is refused.
const PER_ACCOUNT_AND_CLIENT: Limit = Limit::per_hour(10);

/// Whether cookies are set for https (`Secure`, `__Host-`).
pub fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

/// Counts a sign-in attempt, then checks `password` against the account
/// `lookup` finds for `email` (its id and stored hash). Answers the account
/// only if the password is right; an unknown address costs the same Argon2
/// work as a known one.
pub async fn check_password<P: Send + 'static>(
    state: &AppState,
    realm: Realm,
    client: &str,
    email: &str,
    password: String,
    lookup: impl FnOnce(&Connection, &str) -> Result<Option<(P, Option<String>)>> + Send + 'static,
) -> Result<Option<P>> {
    let email = email.trim().to_lowercase();
    let realm_name = realm.as_str();
    super::limit(
        state,
        vec![
            (format!("signin:{realm_name}:ip:{client}"), PER_CLIENT),
            (
                format!("signin:{realm_name}:account:{email}:ip:{client}"),
                PER_ACCOUNT_AND_CLIENT,
            ),
        ],
    )
    .await
    .inspect_err(|_| tracing::warn!(client, realm = realm_name, "sign-in refused: rate limit"))?;
    let found = state.db.read(move |conn| lookup(conn, &email)).await?;
    let (principal, stored) = match found {
        Some((principal, stored)) => (Some(principal), stored),
        None => (None, None),
    };
    let right = verify(password, stored).await?;
    Ok(principal.filter(|_| right))
}

/// Runs the Argon2 check off the async runtime: it takes tens of milliseconds.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || password::verify(&password, stored.as_deref())).await?
}

/// Hashes a new password off the async runtime.
pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || password::hash(&password)).await?
}

/// Starts a session for `principal_id`, ending the one this browser had in
/// the realm; answers the `Set-Cookie` to send.
pub async fn start_session(
    state: &AppState,
    realm: Realm,
    headers: &HeaderMap,
    principal_id: i64,
    remember: bool,
) -> Result<HeaderValue> {
    let secure = secure(state);
    let previous = session::token(headers, realm, secure);
    let token = state
        .db
        .write(move |conn| {
            if let Some(previous) = &previous {
                auth::end_session(conn, previous)?;
            }
            auth::create_session(conn, realm, principal_id, remember, db::now())
        })
        .await?;
    Ok(session::set_cookie(realm, &token, secure, remember))
}

/// The live session of `realm` the request carries: its token and whose it
/// is. Refreshes `last_seen_at` at most once a minute.
pub async fn current(
    state: &AppState,
    realm: Realm,
    headers: &HeaderMap,
) -> Result<Option<(String, i64)>> {
    let Some(token) = session::token(headers, realm, secure(state)) else {
        return Ok(None);
    };
    let lookup = token.clone();
    let Some(live) = state
        .db
        .read(move |conn| auth::session(conn, realm, &lookup, db::now()))
        .await?
    else {
        return Ok(None);
    };
    if db::now() - live.last_seen_at >= TOUCH_EVERY_SECS {
        let touch = token.clone();
        state
            .db
            .write(move |conn| auth::touch_session(conn, &touch, db::now()))
            .await?;
    }
    Ok(Some((token, live.principal_id)))
}

/// Ends the session `token` (server-side: the token is useless from now
/// on) and answers 204 with the cookie cleared.
pub async fn sign_out(state: &AppState, realm: Realm, token: String) -> Result<Response> {
    state
        .db
        .write(move |conn| auth::end_session(conn, &token))
        .await?;
    Ok(signed_out(state, realm))
}

/// Ends every session of the principal and answers 204 with the cookie cleared.
pub async fn sign_out_everywhere(
    state: &AppState,
    realm: Realm,
    principal_id: i64,
) -> Result<Response> {
    state
        .db
        .write(move |conn| auth::end_all_sessions(conn, realm, principal_id))
        .await?;
    Ok(signed_out(state, realm))
}

/// 204 with the realm's cookie cleared.
pub fn signed_out(state: &AppState, realm: Realm) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::clear_cookie(realm, secure(state)),
    );
    response
}
