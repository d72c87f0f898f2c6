//! Signing in and out of a customer account, and the account itself (who
//! is signed in, their preferences).
//!
//! Sign-in answers `sign_in_failed` for an unknown address and a wrong
//! password alike, after the same Argon2 work; only the right password of
//! an account not verified yet learns `not_verified`. The limits are
//! `routes::sign_in`'s; every attempt is logged with the client address.

use axum::{Json, extract::State, http::HeaderMap, response::Response};
use shared::{
    account::{Account, AccountSignIn, AccountUpdate, check_name},
    validate::Field,
};

use super::{AccountHolder, SameOrigin, account, holder, signed_in_as};
use crate::{
    AppState,
    auth::session::Realm,
    db::customers,
    error::{Error, Result},
    mail::address::Recipient,
    routes::{ApiJson, client::ClientIp, sign_in},
};

pub async fn session_create(
    _: SameOrigin,
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<AccountSignIn>,
) -> Result<Response> {
    // Stored addresses have their domain in ASCII form: look up the same.
    let email = Recipient::parse(&body.email)
        .map(|r| r.as_str().to_owned())
        .unwrap_or(body.email);
    let customer = sign_in::check_password(
        &state,
        Realm::Customer,
        &client,
        &email,
        body.password,
        |conn, email| {
            Ok(customers::by_email(conn, email)?.map(|c| {
                let hash = c.password_hash.clone();
                (c, Some(hash))
            }))
        },
    )
    .await?;
    let Some(customer) = customer else {
        tracing::warn!(client, "customer sign-in failed");
        return Err(Error::SignInFailed);
    };
    if !customer.verified {
        tracing::warn!(
            client,
            customer = customer.id,
            "customer sign-in refused: address not verified"
        );
        return Err(Error::NotVerified);
    }
    let cookie = sign_in::start_session(
        &state,
        Realm::Customer,
        &headers,
        customer.id,
        body.remember,
    )
    .await?;
    tracing::info!(client, customer = customer.id, "customer signed in");
    signed_in_as(&state, customer, cookie).await
}

pub async fn session_end(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    holder: AccountHolder,
) -> Result<Response> {
    tracing::info!(client, customer = holder.customer.id, "customer signed out");
    sign_in::sign_out(&state, Realm::Customer, holder.token).await
}

pub async fn sessions_end_all(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    holder: AccountHolder,
) -> Result<Response> {
    tracing::info!(
        client,
        customer = holder.customer.id,
        "customer signed out everywhere"
    );
    sign_in::sign_out_everywhere(&state, Realm::Customer, holder.customer.id).await
}

/// `GET /api/account/session`: the signed-in customer, or `null`. The
/// portal asks on every page, where being signed out is an answer, not an
/// error (a browser also logs every 401 as one).
pub async fn session_show(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Option<Account>>> {
    Ok(Json(match holder(&state, &headers).await? {
        Some(customer) => Some(account(&state, customer).await?),
        None => None,
    }))
}

pub async fn me_show(
    State(state): State<AppState>,
    holder: AccountHolder,
) -> Result<Json<Account>> {
    Ok(Json(account(&state, holder.customer).await?))
}

pub async fn me_update(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    holder: AccountHolder,
    ApiJson(body): ApiJson<AccountUpdate>,
) -> Result<Json<Account>> {
    check_name(&body.name).map_err(|problem| {
        tracing::warn!(
            client,
            customer = holder.customer.id,
            "account update refused: name"
        );
        Error::field(Field::Name, problem)
    })?;
    let id = holder.customer.id;
    let name = body.name.trim().to_owned();
    let (lang, notify) = (body.lang, body.notify_replies);
    let customer = state
        .db
        .write(move |conn| {
            customers::update_preferences(conn, id, &name, lang, notify)?;
            customers::by_id(conn, id)?.ok_or(Error::SignedOut)
        })
        .await?;
    Ok(Json(account(&state, customer).await?))
}
