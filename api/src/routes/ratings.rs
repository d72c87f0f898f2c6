//! The customer's rating from a close mail's links: the choice (good or not
//! good), then an optional comment. Both are POSTs with the token from the
//! link's fragment: opening the link records nothing, so a mail scanner that
//! fetches it cannot rate on the customer's behalf.

use axum::{extract::State, http::StatusCode};
use shared::{
    satisfaction::{RateTicket, RatingComment, RatingCommentBody},
    validate::Field,
};

use super::{ApiJson, client::ClientIp};
use crate::{
    AppState,
    db::{
        self,
        rate::Limit,
        ratings::{self, Outcome},
        tickets,
    },
    error::{Error, Result},
};

/// Choices and comments per client IP: a guessed token is 256 bits, this
/// only keeps a script from hammering the writer.
const RATE_PER_IP: Limit = Limit::per_hour(30);

pub async fn ratings_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RateTicket>,
) -> Result<StatusCode> {
    super::limit(&state, vec![(format!("rating:ip:{ip}"), RATE_PER_IP)]).await?;
    state
        .db
        .write(move |conn| {
            let now = db::now();
            let ticket_id = recorded(ratings::rate(conn, body.token.trim(), body.good, now)?)?;
            // In the history, so the console shows it live.
            tickets::add_event(conn, ticket_id, "rated", "customer", now)
        })
        .await
        .inspect_err(|error| tracing::warn!(?error, client = ip, "rating refused"))?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn rating_comment_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RatingCommentBody>,
) -> Result<StatusCode> {
    let comment = RatingComment::parse(&body.comment)
        .map_err(|problem| Error::field(Field::Body, problem))?;
    super::limit(&state, vec![(format!("rating:ip:{ip}"), RATE_PER_IP)]).await?;
    state
        .db
        .write(move |conn| {
            recorded(ratings::comment(
                conn,
                body.token.trim(),
                comment.as_str(),
                db::now(),
            )?)
            .map(drop)
        })
        .await
        .inspect_err(|error| tracing::warn!(?error, client = ip, "rating comment refused"))?;
    Ok(StatusCode::NO_CONTENT)
}

fn recorded(outcome: Outcome) -> Result<i64> {
    match outcome {
        Outcome::Recorded { ticket_id } => Ok(ticket_id),
        Outcome::Used => Err(Error::LinkUsed),
        Outcome::Expired => Err(Error::LinkExpired),
        Outcome::Unknown => Err(Error::LinkInvalid),
    }
}
