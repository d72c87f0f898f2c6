//! What a customer changes about their ticket's state: closing it (which
//! mails them the close mail with the rating links) and reopening it within
//! the reopen window. Close and reopen share one rate limit.

use axum::{
    Json,
    extract::{Query, State},
    http::HeaderMap,
};
use shared::api::{Status, TicketView};

use super::session_key;
use crate::{
    AppState,
    db::{
        self,
        rate::Limit,
        tickets::{self, Ticket},
    },
    error::{Error, Result},
    mail::closed::{Closer, queue_closed},
    routes::{access::CustomerTicket, client::ClientIp, meta::LangQuery},
};

const HOUR: i64 = 3600;
/// Close and reopen, per ticket and per browser.
const STATUS_PER_TICKET: Limit = Limit::per_hour(10);
const STATUS_PER_SESSION: Limit = Limit::per_hour(30);
/// A closed ticket can be reopened by its customer for this long.
const REOPEN_WINDOW_SECS: i64 = 30 * 24 * HOUR;

pub async fn tickets_close(
    State(state): State<AppState>,
    CustomerTicket(ticket): CustomerTicket,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(query): Query<LangQuery>,
) -> Result<Json<TicketView>> {
    limit_status_change(&state, &ticket, &headers, &ip).await?;
    let public_url = state.config.public_url.clone();
    let view = change(&state, ticket, query.lang(), move |conn, ticket, now| {
        if ticket.status == Status::Closed {
            return Ok(());
        }
        tickets::set_status(conn, ticket.id, Status::Closed, "closed", "customer", now)?;
        queue_closed(conn, ticket, Closer::Customer, &public_url, now)
    })
    .await?;
    state.mail_wake.notify_one();
    Ok(Json(view))
}

pub async fn tickets_reopen(
    State(state): State<AppState>,
    CustomerTicket(ticket): CustomerTicket,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(query): Query<LangQuery>,
) -> Result<Json<TicketView>> {
    limit_status_change(&state, &ticket, &headers, &ip).await?;
    Ok(Json(
        change(&state, ticket, query.lang(), |conn, ticket, now| {
            match (ticket.status, ticket.closed_at) {
                (Status::Closed, Some(closed)) if now - closed <= REOPEN_WINDOW_SECS => {
                    tickets::set_status(conn, ticket.id, Status::Open, "reopened", "customer", now)
                }
                (Status::Closed, _) => Err(Error::TicketClosed),
                _ => Ok(()),
            }
        })
        .await?,
    ))
}

/// Close and reopen, counted together: each answers the whole ticket.
async fn limit_status_change(
    state: &AppState,
    ticket: &Ticket,
    headers: &HeaderMap,
    ip: &str,
) -> Result<()> {
    crate::routes::limit(
        state,
        vec![
            (format!("status:ticket:{}", ticket.id), STATUS_PER_TICKET),
            (
                session_key("status", ticket, headers, ip),
                STATUS_PER_SESSION,
            ),
        ],
    )
    .await
}

/// Applies a customer's change to a ticket in one write, re-reading the
/// ticket inside it so that the change sees the latest status, and returns
/// the ticket as it is afterwards.
async fn change(
    state: &AppState,
    ticket: Ticket,
    lang: shared::i18n::Lang,
    apply: impl FnOnce(&rusqlite::Connection, &Ticket, i64) -> Result<()> + Send + 'static,
) -> Result<TicketView> {
    state
        .db
        .write(move |conn| {
            let now = db::now();
            let current = tickets::by_id(conn, ticket.id)?.ok_or(Error::NotFound)?;
            apply(conn, &current, now)?;
            let updated = tickets::by_id(conn, ticket.id)?.ok_or(Error::NotFound)?;
            tickets::view(conn, &updated, lang)
        })
        .await
}
