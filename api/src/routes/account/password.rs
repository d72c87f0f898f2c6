//! Passwords of customer accounts: changing it while signed in, asking for
//! a reset link ("forgot password"), and setting a new one from that link.
//!
//! "Forgot" answers 202 alike for every address, after one write either
//! way; the per-mailbox limit is silent. A new password ends every session
//! of the account (the browser that changed it gets a fresh one).

use axum::{extract::State, http::HeaderMap, http::StatusCode, response::Response};
use shared::{
    account::{ChangePassword, EmailOnly, ResetPassword},
    validate::{Field, Problem},
};

use super::{
    AccountHolder,
    links::{LinkRequest, mail_link},
    signed_in_as,
};
use crate::{
    AppState,
    auth::{password, session::Realm},
    db::{
        self,
        auth::{self, TokenPurpose},
        customers,
        rate::Limit,
    },
    error::{Error, Result},
    mail::account::AccountMail,
    routes::{ApiJson, client::ClientIp, limit, sign_in},
};

const CHANGE_PER_ACCOUNT: Limit = Limit::per_hour(10);
const FORGOT_PER_IP: Limit = Limit::per_hour(10);
const FORGOT_PER_MAILBOX: Limit = Limit::per_hour(3);
const RESET_PER_IP: Limit = Limit::per_hour(20);

pub async fn password_update(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    holder: AccountHolder,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response> {
    let customer = holder.customer;
    let id = customer.id;
    limit(
        &state,
        vec![(format!("password:account:{id}"), CHANGE_PER_ACCOUNT)],
    )
    .await
    .inspect_err(|_| {
        tracing::warn!(client, customer = id, "password change refused: rate limit")
    })?;
    if !sign_in::verify(body.current, Some(customer.password_hash.clone())).await? {
        tracing::warn!(
            client,
            customer = id,
            "password change refused: wrong current password"
        );
        return Err(Error::field(Field::CurrentPassword, Problem::Invalid));
    }
    password::check_new(&body.password, &customer.email).map_err(|problem| {
        tracing::warn!(
            client,
            customer = id,
            "password change refused: weak new password"
        );
        Error::field(Field::Password, problem)
    })?;
    let hash = sign_in::hash(body.password).await?;
    // The session the browser had is looked up before every session ends,
    // so the new one lasts as long as the one it replaces.
    let token = holder.token;
    let remember = state
        .db
        .write(move |conn| {
            let remember = customers::session_remembered(conn, &token)?;
            customers::set_password(conn, id, &hash)?;
            Ok(remember)
        })
        .await?;
    let cookie = sign_in::start_session(&state, Realm::Customer, &headers, id, remember).await?;
    tracing::info!(
        client,
        customer = id,
        "customer password changed; other sessions ended"
    );
    signed_in_as(&state, customer, cookie).await
}

/// Mails a reset link to the address if it has an account (and its mailbox
/// has not had its share this hour); 202 whatever happened. A pending
/// account gets one too: its link verifies the address as it sets the
/// password, the way out for an owner whose sign-up someone started over.
pub async fn forgot_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(body): ApiJson<EmailOnly>,
) -> Result<StatusCode> {
    let request = LinkRequest {
        action: "forgot",
        per_client: FORGOT_PER_IP,
        per_mailbox: FORGOT_PER_MAILBOX,
        purpose: TokenPurpose::Reset,
        page: "reset",
        mail: AccountMail::Reset,
        wants: |_| true,
    };
    mail_link(&state, &client, &body.email, request).await
}

/// Sets a new password from a reset link. A password refused by the rules
/// leaves the link usable; a set one ends every session of the account.
pub async fn reset_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(body): ApiJson<ResetPassword>,
) -> Result<StatusCode> {
    limit(&state, vec![(format!("reset:ip:{client}"), RESET_PER_IP)])
        .await
        .inspect_err(|_| tracing::warn!(client, "password reset refused: rate limit"))?;
    let token = body.token;
    let peek = token.clone();
    let customer = state
        .db
        .read(move |conn| {
            let found = auth::peek_token(
                conn,
                Realm::Customer,
                &[TokenPurpose::Reset],
                &peek,
                db::now(),
            )?;
            customers::by_id(conn, found.principal_id)?.ok_or(Error::LinkInvalid)
        })
        .await
        .inspect_err(|error| tracing::warn!(client, ?error, "password reset link refused"))?;
    password::check_new(&body.password, &customer.email).map_err(|problem| {
        tracing::warn!(
            client,
            customer = customer.id,
            "password reset refused: weak password"
        );
        Error::field(Field::Password, problem)
    })?;
    let hash = sign_in::hash(body.password).await?;
    let id = customer.id;
    state
        .db
        .write(move |conn| {
            let now = db::now();
            let used =
                auth::redeem_token(conn, Realm::Customer, &[TokenPurpose::Reset], &token, now)?;
            if used.principal_id != id {
                return Err(Error::LinkInvalid);
            }
            customers::set_password(conn, id, &hash)?;
            // The link proved the mailbox and its opener chose the password.
            customers::verify(conn, id, now)
        })
        .await
        .inspect_err(|error| tracing::warn!(client, ?error, "password reset link refused"))?;
    tracing::info!(
        client,
        customer = id,
        "customer password reset; every session ended"
    );
    Ok(StatusCode::NO_CONTENT)
}
