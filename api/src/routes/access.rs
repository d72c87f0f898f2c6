//! Who may open a ticket: for a ticket that belongs to an account, that
//! account's session, and nothing else (an emailed guest link does not
//! bypass the account); for any other ticket, a browser whose guest-session
//! cookie was granted the ticket by an emailed link. Everything else gets
//! the same 404 as a ticket that does not exist, and the refusal is logged.

use std::collections::HashMap;

use axum::{
    extract::{FromRequestParts, Path},
    http::{HeaderMap, HeaderValue, header, request::Parts},
};
use shared::validate::Reference;

use super::{client::ClientIp, sign_in};
use crate::{
    AppState,
    auth::session::Realm,
    db::{self, links, tickets},
    error::{Error, Result},
};

pub const GUEST_COOKIE: &str = "pasokh_guest";

/// The guest-session token from the request's cookies, if any.
pub fn guest_session(headers: &HeaderMap) -> Option<String> {
    cookie(headers, GUEST_COOKIE)
}

/// The value of the cookie `wanted`, if the request carries it.
pub fn cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == wanted && !value.is_empty()).then(|| value.to_owned())
        })
}

/// The `Set-Cookie` value that stores a guest session for 30 days.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{GUEST_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        links::ACCESS_TTL_SECS
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// Loads a ticket the caller may open, or `NotFound`.
async fn accessible_ticket(
    state: &AppState,
    headers: &HeaderMap,
    reference: &str,
    client: &str,
) -> Result<tickets::Ticket> {
    let reference = Reference::parse(reference).map_err(|_| Error::NotFound)?;
    let session = guest_session(headers);
    let account = sign_in::current(state, Realm::Customer, headers)
        .await?
        .map(|(_, customer_id)| customer_id);
    let reference_text = reference.as_str().to_owned();
    let found = state
        .db
        .read(move |conn| {
            let Some(ticket) = tickets::by_reference(conn, reference.as_str())? else {
                return Ok(None);
            };
            let allowed = match (ticket.customer_id, &session) {
                (Some(owner), _) => account == Some(owner),
                (None, Some(session)) => links::has_access(conn, session, ticket.id, db::now())?,
                (None, None) => false,
            };
            Ok(allowed.then_some(ticket))
        })
        .await?;
    found.ok_or_else(|| {
        tracing::warn!(
            reference = reference_text,
            client,
            "refused access to a ticket"
        );
        Error::NotFound
    })
}

/// A ticket the caller may open, taken from the `{reference}` in the path:
/// a handler that takes this extractor cannot forget the access check.
pub struct CustomerTicket(pub tickets::Ticket);

impl FromRequestParts<AppState> for CustomerTicket {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::NotFound)?;
        let reference = params.get("reference").ok_or(Error::NotFound)?;
        let ClientIp(client) = ClientIp::from_request_parts(parts, state).await?;
        accessible_ticket(state, &parts.headers, reference, &client)
            .await
            .map(CustomerTicket)
    }
}
