//! Emailed links: redeeming one (which confirms a new ticket and opens it in
//! this browser) and asking for a fresh one ("find my ticket").

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use shared::{
    api::{FindTicket, RedeemLink, Redeemed, Status},
    validate::{Field, FieldError, Reference},
};

use super::{
    ApiJson,
    access::{guest_session, session_cookie},
    client::ClientIp,
};
use crate::{
    AppState,
    db::{
        self,
        links::{self, Purpose},
        rate::{self, Limit},
        tickets,
    },
    error::{Error, Result},
    mail::{self, address::Recipient},
    secrets,
};

/// Every request counts per client IP; only one that matched a ticket and
/// queued mail counts per mailbox, so a stranger's guesses with Bob's address
/// cannot use up Bob's own requests.
const FIND_PER_IP: Limit = Limit::per_hour(10);
const FIND_PER_EMAIL: Limit = Limit::per_hour(3);
const REDEEM_PER_IP: Limit = Limit::per_hour(30);

pub async fn links_redeem(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RedeemLink>,
) -> Result<Response> {
    let previous = guest_session(&headers);
    // Every redeemed link starts a new session (the earlier one's tickets move
    // over): a session id planted in this browser beforehand gains nothing.
    let session = secrets::token()?;
    let granted = session.clone();
    super::limit(&state, vec![(format!("redeem:ip:{ip}"), REDEEM_PER_IP)])
        .await
        .inspect_err(|_| tracing::warn!(client = ip, "link redemption refused: rate limit"))?;
    let reference = state
        .db
        .write(move |conn| {
            let now = db::now();
            let ticket_id = match links::redeem(conn, body.token.trim(), now)? {
                links::Redeemed::Valid { ticket_id, purpose } => {
                    let ticket = tickets::by_id(conn, ticket_id)?.ok_or(Error::LinkExpired)?;
                    if purpose == Purpose::Confirm && ticket.status == Status::AwaitingConfirmation
                    {
                        tickets::set_status(
                            conn,
                            ticket.id,
                            Status::Open,
                            "confirmed",
                            "customer",
                            now,
                        )?;
                    }
                    ticket_id
                }
                // The same browser opening its link twice just gets its ticket.
                links::Redeemed::Used { ticket_id }
                    if previous
                        .as_deref()
                        .map(|p| links::has_access(conn, p, ticket_id, now))
                        .transpose()?
                        .unwrap_or(false) =>
                {
                    ticket_id
                }
                links::Redeemed::Used { .. } => return Err(Error::LinkUsed),
                links::Redeemed::Expired => return Err(Error::LinkExpired),
                links::Redeemed::Unknown => return Err(Error::LinkInvalid),
            };
            if let Some(previous) = &previous {
                links::move_grants(conn, previous, &granted)?;
            }
            links::grant(conn, &granted, ticket_id, now)?;
            Ok(tickets::by_id(conn, ticket_id)?
                .ok_or(Error::LinkExpired)?
                .reference)
        })
        .await
        .inspect_err(|error| tracing::warn!(?error, client = ip, "link not redeemed"))?;
    tracing::info!(reference, "link redeemed");
    let mut response = Json(Redeemed { reference }).into_response();
    let secure = state.config.public_url.starts_with("https://");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&session, secure));
    Ok(response)
}

/// Always answers 202 with an empty body, whether or not the pair matched,
/// so it reveals nothing; a match queues an access link in the ticket's
/// language, unless that mailbox already got its share this hour (silently,
/// for the same reason).
pub async fn find_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(find): ApiJson<FindTicket>,
) -> Result<StatusCode> {
    let reference = Reference::parse(&find.reference);
    let email = Recipient::parse(&find.email);
    let (reference, email) = match (reference, email) {
        (Ok(reference), Ok(email)) => (reference, email),
        (reference, email) => {
            let errors = [
                (Field::Reference, reference.err()),
                (Field::Email, email.err()),
            ]
            .into_iter()
            .filter_map(|(field, problem)| problem.map(|problem| FieldError { field, problem }))
            .collect();
            return Err(Error::Validation(errors));
        }
    };
    let public_url = state.config.public_url.clone();
    super::limit(&state, vec![(format!("find:ip:{ip}"), FIND_PER_IP)]).await?;
    state
        .db
        .write(move |conn| {
            let now = db::now();
            let Some(ticket) = tickets::confirmed_by_reference_and_email(
                conn,
                reference.as_str(),
                email.as_str(),
            )?
            else {
                return Ok(());
            };
            let mailbox = format!("find:mailbox:{}", email.mailbox());
            if rate::take(conn, &mailbox, FIND_PER_EMAIL, now)? {
                mail::queue_link(conn, &ticket, Purpose::Access, &public_url, now)?;
            } else {
                tracing::warn!(
                    reference = ticket.reference,
                    "find my ticket: this mailbox had its links for the hour; none sent"
                );
            }
            Ok(())
        })
        .await?;
    state.mail_wake.notify_one();
    Ok(StatusCode::ACCEPTED)
}
