//! Opening a ticket and everything its customer does with it afterwards.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use shared::{
    api::{
        Channel, CreatedTicket, NewReply, NewTicket, ReplyCreated, ResendConfirmation, Status,
        TicketView,
    },
    i18n::Lang,
    validate::{Field, ReplyBody},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{
    ApiJson,
    access::{CustomerTicket, guest_session},
    account,
    client::ClientIp,
    meta::LangQuery,
};
use crate::{
    AppState, conversation,
    db::{
        self,
        links::Purpose,
        rate::{self, Limit},
        tickets::{self, Ticket},
        uploads,
    },
    error::{Error, Result},
    files, mail, secrets,
};

mod new;
mod status;

use new::validate;
pub use status::{tickets_close, tickets_reopen};

/// New tickets per client IP (the per-address limits are
/// `conversation::open`'s, which an email to the desk goes through too).
const CREATE_PER_IP: Limit = Limit::per_hour(20);
/// Confirmation emails sent again: per ticket, per address, per client IP.
/// Only a resend that queues mail counts per ticket and per address (a
/// stranger's wrong keys cannot use up the customer's); every attempt
/// counts per client IP.
const RESEND_PER_TICKET: Limit = Limit::per_hour(3);
const RESEND_PER_EMAIL: Limit = Limit::per_hour(5);
const RESEND_PER_IP: Limit = Limit::per_hour(20);
/// Customer replies per ticket and per browser (guest session): a person
/// writing by hand stays far below; a script filling a ticket does not.
const REPLY_PER_TICKET: Limit = Limit::per_hour(30);
const REPLY_PER_SESSION: Limit = Limit::per_hour(60);

/// A ticket by email waits for its address to be confirmed; one opened in
/// an account (whose address is verified) is open at once, belongs to the
/// account, and sends no mail.
pub async fn tickets_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewTicket>,
) -> Result<(StatusCode, Json<CreatedTicket>)> {
    let account = match new.channel {
        Channel::Account => account::holder(&state, &headers).await?,
        Channel::Email => None,
    };
    let valid = validate(&state, &new, account.as_ref().map(|a| a.email.as_str())).await?;
    let customer_id = account.as_ref().map(|a| a.id);
    let resend_key = secrets::token()?;
    let resend_hash = secrets::hash(&resend_key);
    let limits = state.config.attachments;
    let public_url = state.config.public_url.clone();
    super::limit(&state, vec![(format!("create:ip:{ip}"), CREATE_PER_IP)]).await?;
    let reference = state
        .db
        .write(move |conn| {
            let opening = conversation::Opening {
                department: &valid.department,
                email: &valid.email,
                subject: valid.subject.as_str(),
                description: valid.description.as_str(),
                lang: new.lang,
                uploads: &new.uploads,
                answers: &valid.answers,
                resend_key_hash: &resend_hash,
                customer_id,
            };
            let (ticket, _) = conversation::open(conn, &opening, &limits, &public_url, db::now())?;
            Ok(ticket.reference)
        })
        .await?;
    state.mail_wake.notify_one();
    let how = customer_id.map_or(", awaiting confirmation", |_| " in an account");
    tracing::info!(reference, account = customer_id, "ticket created{how}");
    Ok((
        StatusCode::CREATED,
        Json(CreatedTicket {
            reference,
            resend_key,
        }),
    ))
}

pub async fn confirmation_resend(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<ResendConfirmation>,
) -> Result<StatusCode> {
    let reference = shared::validate::Reference::parse(&reference).map_err(|_| Error::NotFound)?;
    let key_hash = secrets::hash(&body.resend_key);
    let public_url = state.config.public_url.clone();
    // Counted before the key is checked, so wrong keys count too, but only
    // against the client that sent them.
    super::limit(&state, vec![(format!("resend:ip:{ip}"), RESEND_PER_IP)]).await?;
    state
        .db
        .write(move |conn| {
            let now = db::now();
            let ticket = tickets::awaiting_with_resend_key(conn, reference.as_str(), &key_hash)?
                .ok_or(Error::NotFound)?;
            // The right key: this resend queues mail, so it counts.
            rate::hit(
                conn,
                &format!("resend:ticket:{}", ticket.reference),
                RESEND_PER_TICKET,
                now,
            )?;
            rate::hit(
                conn,
                &format!(
                    "resend:mailbox:{}",
                    mail::address::mailbox_of(&ticket.email)
                ),
                RESEND_PER_EMAIL,
                now,
            )?;
            mail::queue_link(conn, &ticket, Purpose::Confirm, &public_url, now)
        })
        .await?;
    state.mail_wake.notify_one();
    Ok(StatusCode::ACCEPTED)
}

pub async fn tickets_show(
    State(state): State<AppState>,
    CustomerTicket(ticket): CustomerTicket,
    Query(query): Query<LangQuery>,
) -> Result<Json<TicketView>> {
    Ok(Json(opened(&state, ticket, query.lang()).await?))
}

/// The ticket as its customer opens it, department named in `lang` (the
/// API's answer, and what the ticket's page is drawn from).
pub async fn opened(state: &AppState, ticket: Ticket, lang: Lang) -> Result<TicketView> {
    // Only the account holder reaches an account's ticket here: their
    // opening it reads its answers.
    if ticket.customer_id.is_some() {
        let id = ticket.id;
        let unread = state
            .db
            .read(move |conn| tickets::unread_by_customer(conn, id))
            .await?;
        if unread {
            state
                .db
                .write(move |conn| tickets::mark_seen(conn, id))
                .await?;
        }
    }
    state
        .db
        .read(move |conn| tickets::view(conn, &ticket, lang))
        .await
}

pub async fn messages_create(
    State(state): State<AppState>,
    CustomerTicket(ticket): CustomerTicket,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(reply): ApiJson<NewReply>,
) -> Result<(StatusCode, Json<ReplyCreated>)> {
    let body =
        ReplyBody::parse(&reply.body).map_err(|problem| Error::field(Field::Body, problem))?;
    super::limit(
        &state,
        vec![
            (format!("reply:ticket:{}", ticket.id), REPLY_PER_TICKET),
            (
                session_key("reply", &ticket, &headers, &ip),
                REPLY_PER_SESSION,
            ),
        ],
    )
    .await?;
    let limits = state.config.attachments;
    let public_url = state.config.public_url.clone();
    let created = state
        .db
        .write(move |conn| {
            let message = crate::conversation::customer_reply(
                conn,
                ticket.id,
                body.as_str(),
                &reply.uploads,
                &limits,
                &public_url,
                db::now(),
            )?;
            Ok(ReplyCreated {
                message: tickets::message_view(conn, ticket.id, message)?,
                status: Status::Open,
            })
        })
        .await?;
    state.mail_wake.notify_one();
    Ok((StatusCode::CREATED, Json(created)))
}

/// The rate-limit key for what one customer does: their account, or their
/// browser's guest session (hashed: the table must not hold a usable
/// token), or their address without either.
fn session_key(action: &str, ticket: &Ticket, headers: &HeaderMap, ip: &str) -> String {
    match (ticket.customer_id, guest_session(headers)) {
        (Some(account), _) => format!("{action}:account:{account}"),
        (None, Some(session)) => format!(
            "{action}:session:{}",
            URL_SAFE_NO_PAD.encode(secrets::hash(&session))
        ),
        (None, None) => format!("{action}:ip:{ip}"),
    }
}

pub async fn attachments_show(
    State(state): State<AppState>,
    CustomerTicket(ticket): CustomerTicket,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response> {
    download(&state, ticket.id, id, uploads::Viewer::Customer).await
}

/// A ticket's attachment as a download, streamed from disk.
pub async fn download(
    state: &AppState,
    ticket_id: i64,
    id: String,
    viewer: uploads::Viewer,
) -> Result<Response> {
    let upload = state
        .db
        .read(move |conn| uploads::in_ticket(conn, ticket_id, &id, viewer))
        .await?
        .ok_or(Error::NotFound)?;
    let (body, size) = state.store.stream(&upload.stored_name).await?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&upload.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    // `attachment` also makes `layers` give it a sandboxing CSP.
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&files::content_disposition(&upload.file_name))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    Ok(response)
}
