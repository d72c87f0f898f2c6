//! Customer accounts under `/api/account`: signing up and in, the emailed
//! links (verification, reset, new address), the account's settings and
//! its tickets. Handlers that need a signed-in customer take
//! `AccountHolder`, which checks the session before they run.

use axum::{
    Router,
    extract::FromRequestParts,
    http::{HeaderMap, request::Parts},
};

use super::{client::ClientIp, sign_in};
use crate::{
    AppState,
    auth::session::Realm,
    db::customers::{self, Customer},
    error::{Error, Result},
};

pub fn routes() -> Router<AppState> {
    Router::new()
}

/// The verified customer whose session the request carries, if any.
pub async fn holder(state: &AppState, headers: &HeaderMap) -> Result<Option<Customer>> {
    Ok(signed_in(state, headers).await?.map(|holder| holder.customer))
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
