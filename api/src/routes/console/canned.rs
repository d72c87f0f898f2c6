//! Canned replies under `/api/console/canned`. Everyone sees the shared
//! ones and their own; an agent changes only their own, an admin also the
//! shared ones. Another member's private reply is a 404, as if it did not
//! exist; a shared one an agent tries to change is a 403. Filling one in
//! for a ticket goes through `StaffTicket`, so it needs access to the ticket.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use shared::console::{
    CannedDraft, CannedFilled, CannedReply,
    canned::{self as rules, Placeholders},
};

use super::{Staff, StaffTicket};
use crate::{
    AppState,
    db::{
        self,
        canned::{self, Stored},
        staff::Member,
    },
    error::{Error, Result},
    routes::ApiJson,
};

fn visible(reply: &Stored, member: &Member) -> bool {
    reply.owner_id.is_none_or(|owner| owner == member.id)
}

fn editable(reply: &Stored, member: &Member) -> bool {
    match reply.owner_id {
        Some(owner) => owner == member.id,
        None => member.is_admin(),
    }
}

fn view(reply: Stored, member: &Member) -> CannedReply {
    CannedReply {
        id: reply.id,
        editable: editable(&reply, member),
        shared: reply.owner_id.is_none(),
        title: reply.title,
        variants: reply.variants,
        updated_at: reply.updated_at,
    }
}

/// The id in the path; anything but a number is a reply that does not exist.
fn id(raw: &str) -> Result<i64> {
    raw.parse().map_err(|_| Error::NotFound)
}

/// A reply the member may change: another's private one is not found, a
/// shared one (for an agent) is forbidden.
fn editable_reply(conn: &rusqlite::Connection, id: i64, member: &Member) -> Result<Stored> {
    let reply = canned::by_id(conn, id)?
        .filter(|r| visible(r, member))
        .ok_or(Error::NotFound)?;
    if !editable(&reply, member) {
        tracing::warn!(
            member = member.id,
            canned = id,
            "refused: a shared canned reply is the admins' to change"
        );
        return Err(Error::Forbidden);
    }
    Ok(reply)
}

pub async fn canned_list(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
) -> Result<Json<Vec<CannedReply>>> {
    let member_id = member.id;
    let list = state
        .db
        .read(move |conn| canned::visible(conn, member_id))
        .await?;
    Ok(Json(list.into_iter().map(|r| view(r, &member)).collect()))
}

/// A new reply: the member's own, or (admins only) a shared one.
pub async fn canned_create(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
    ApiJson(draft): ApiJson<CannedDraft>,
) -> Result<(StatusCode, Json<CannedReply>)> {
    if draft.shared && !member.is_admin() {
        tracing::warn!(
            member = member.id,
            "refused: only admins create shared canned replies"
        );
        return Err(Error::Forbidden);
    }
    let valid = draft.check().map_err(Error::Validation)?;
    let owner = (!draft.shared).then_some(member.id);
    let stored = state
        .db
        .write(move |conn| {
            let id = canned::insert(conn, owner, &valid, db::now())?;
            canned::by_id(conn, id)?.ok_or(Error::NotFound)
        })
        .await?;
    tracing::info!(
        member = member.id,
        canned = stored.id,
        "canned reply created"
    );
    Ok((StatusCode::CREATED, Json(view(stored, &member))))
}

/// New title and bodies. `shared` moves a reply between everyone and its
/// member: an admin shares their own or takes a shared one as their own;
/// for an agent it must stay `false` (their own reply stays theirs).
pub async fn canned_update(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
    Path(raw): Path<String>,
    ApiJson(draft): ApiJson<CannedDraft>,
) -> Result<Json<CannedReply>> {
    let id = id(&raw)?;
    if draft.shared && !member.is_admin() {
        tracing::warn!(
            member = member.id,
            canned = id,
            "refused: only admins share canned replies"
        );
        return Err(Error::Forbidden);
    }
    let checked = draft.check();
    let owner = (!draft.shared).then_some(member.id);
    let who = member.clone();
    let stored = state
        .db
        .write(move |conn| {
            editable_reply(conn, id, &who)?;
            let valid = checked.map_err(Error::Validation)?;
            canned::update(conn, id, owner, &valid, db::now())?;
            canned::by_id(conn, id)?.ok_or(Error::NotFound)
        })
        .await?;
    tracing::info!(member = member.id, canned = id, "canned reply changed");
    Ok(Json(view(stored, &member)))
}

pub async fn canned_delete(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
    Path(raw): Path<String>,
) -> Result<StatusCode> {
    let id = id(&raw)?;
    let who = member.clone();
    state
        .db
        .write(move |conn| {
            editable_reply(conn, id, &who)?;
            canned::delete(conn, id)
        })
        .await?;
    tracing::info!(member = member.id, canned = id, "canned reply deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The variant for the ticket's language (else English, else any) with its
/// placeholders filled: the text the member then edits and sends.
pub async fn canned_fill(
    State(state): State<AppState>,
    StaffTicket { staff, ticket }: StaffTicket,
    Path((raw, _reference)): Path<(String, String)>,
) -> Result<Json<CannedFilled>> {
    let id = id(&raw)?;
    let member = staff.member;
    let reply = state
        .db
        .read(move |conn| canned::by_id(conn, id))
        .await?
        .filter(|r| visible(r, &member))
        .ok_or(Error::NotFound)?;
    let values = Placeholders {
        reference: &ticket.reference,
        customer_email: &ticket.email,
        agent_name: &member.name,
    };
    rules::render(&reply.variants, ticket.lang, values)
        .map(Json)
        .ok_or(Error::NotFound)
}
