//! The queue and one ticket: reading, replying, internal notes, status,
//! priority, department, assignee, presence and attachments.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use shared::{
    api::Status,
    console::{
        NewStaffMessage, Presence, PresenceBeat, QueuePage, QueueQuery, StaffMessage, StaffRef,
        StaffTicketView, TicketChange,
    },
    validate::{Field, Problem, ReplyBody},
};

use super::{Staff, StaffTicket};
use crate::{
    AppState,
    conversation::{self, StaffPost},
    db::{self, console, queue, staff, tickets, uploads},
    error::{Error, Result},
    mail::{self, closed::Closer},
    routes::{ApiJson, meta::LangQuery, tickets::download},
};

pub async fn queue_show(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
    Query(query): Query<QueueQuery>,
    Query(lang): Query<LangQuery>,
) -> Result<Json<QueuePage>> {
    let lang = lang.lang();
    Ok(Json(
        state
            .db
            .read(move |conn| queue::show(conn, &member, &query, lang))
            .await?,
    ))
}

pub async fn staff_names_list(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<StaffRef>>> {
    Ok(Json(state.db.read(console::staff_names).await?))
}

/// Opening a ticket marks it read for this member.
pub async fn ticket_show(
    State(state): State<AppState>,
    StaffTicket { staff, ticket }: StaffTicket,
    Query(query): Query<LangQuery>,
) -> Result<Json<StaffTicketView>> {
    let lang = query.lang();
    let member_id = staff.member.id;
    let ticket_id = ticket.id;
    state
        .db
        .write(move |conn| console::mark_read(conn, ticket_id, member_id, db::now()))
        .await?;
    Ok(Json(
        state
            .db
            .read(move |conn| console::view(conn, &ticket, member_id, lang, db::now()))
            .await?,
    ))
}

/// A reply to the customer (emailed to them in the ticket's language, with
/// a fresh link) or an internal note (never shown to the customer). If a
/// message newer than the one the writer last saw exists, the reply is
/// held back with `stale` unless `force` is set.
pub async fn messages_create(
    State(state): State<AppState>,
    StaffTicket { staff, ticket }: StaffTicket,
    ApiJson(new): ApiJson<NewStaffMessage>,
) -> Result<(StatusCode, Json<StaffMessage>)> {
    let body = ReplyBody::parse(&new.body).map_err(|problem| Error::field(Field::Body, problem))?;
    let limits = state.config.attachments;
    let public_url = state.config.public_url.clone();
    let member = staff.member;
    let internal = new.internal;
    let message = state
        .db
        .write(move |conn| {
            let post = StaffPost {
                member: &member,
                body: body.as_str(),
                internal: new.internal,
                uploads: &new.uploads,
                seen_message: new.seen_message,
                force: new.force,
            };
            conversation::staff_reply(conn, ticket.id, &post, &limits, &public_url, db::now())
        })
        .await?;
    if !internal {
        state.mail_wake.notify_one();
    }
    Ok((StatusCode::CREATED, Json(message)))
}

/// Status, priority, department and assignee, each recorded in the history.
pub async fn ticket_change(
    State(state): State<AppState>,
    StaffTicket { staff, ticket }: StaffTicket,
    Query(query): Query<LangQuery>,
    ApiJson(change): ApiJson<TicketChange>,
) -> Result<Json<StaffTicketView>> {
    let lang = query.lang();
    let member = staff.member;
    let public_url = state.config.public_url.clone();
    let view = state
        .db
        .write(move |conn| {
            let now = db::now();
            let current = tickets::by_id(conn, ticket.id)?.ok_or(Error::NotFound)?;
            if let Some(status) = change.status
                && status != current.status
            {
                if status == Status::AwaitingConfirmation {
                    return Err(Error::field(Field::Channel, Problem::Invalid));
                }
                console::set_status(conn, current.id, status, member.id, now)?;
                if status == Status::Closed {
                    mail::closed::queue_closed(conn, &current, Closer::Staff, &public_url, now)?;
                }
            }
            if let Some(priority) = change.priority {
                console::set_priority(conn, current.id, priority, now)?;
                let detail = format!("{priority:?}").to_lowercase();
                console::staff_event(
                    conn,
                    current.id,
                    "priority_changed",
                    member.id,
                    Some(&detail),
                    now,
                )?;
            }
            if let Some(assignee) = change.assignee {
                if let Some(id) = assignee {
                    // Only an active member who works on this department.
                    let target = staff::by_id(conn, id)?
                        .filter(|m| m.active && m.covers(current.department_id))
                        .ok_or_else(|| Error::field(Field::Name, Problem::Unknown))?;
                    console::set_assignee(conn, current.id, Some(target.id), now)?;
                    console::staff_event(
                        conn,
                        current.id,
                        "assigned",
                        member.id,
                        Some(&target.name),
                        now,
                    )?;
                } else {
                    console::set_assignee(conn, current.id, None, now)?;
                    console::staff_event(conn, current.id, "unassigned", member.id, None, now)?;
                }
            }
            if let Some(slug) = &change.department {
                let department_id = tickets::department_id(conn, slug)?
                    .ok_or_else(|| Error::field(Field::Department, Problem::Unknown))?;
                if department_id != current.department_id {
                    console::set_department(conn, current.id, department_id, now)?;
                    console::staff_event(
                        conn,
                        current.id,
                        "transferred",
                        member.id,
                        Some(slug),
                        now,
                    )?;
                }
            }
            let updated = tickets::by_id(conn, current.id)?.ok_or(Error::NotFound)?;
            console::view(conn, &updated, member.id, lang, now)
        })
        .await?;
    state.mail_wake.notify_one();
    Ok(Json(view))
}

/// A heartbeat while the ticket is on screen; answers who else is on it.
pub async fn presence_beat(
    State(state): State<AppState>,
    StaffTicket { staff, ticket }: StaffTicket,
    ApiJson(beat): ApiJson<PresenceBeat>,
) -> Result<Json<Vec<Presence>>> {
    let member_id = staff.member.id;
    Ok(Json(
        state
            .db
            .write(move |conn| {
                let now = db::now();
                console::beat(conn, ticket.id, member_id, beat.typing, now)?;
                console::presence(conn, ticket.id, member_id, now)
            })
            .await?,
    ))
}

pub async fn attachments_show(
    State(state): State<AppState>,
    StaffTicket { ticket, .. }: StaffTicket,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response> {
    download(&state, ticket.id, id, uploads::Viewer::Staff).await
}
