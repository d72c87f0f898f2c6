//! The staff API under `/api/console`. Every handler takes one of the
//! extractors below, which do the access checks before it runs: `Staff` (a
//! signed-in, active member), `Admin`, or `StaffTicket` (a ticket in one of
//! the member's departments). A handler cannot reach a ticket, or anything
//! else of the support side, without passing through them.

mod admin;
mod canned;
mod department_mail;
mod events;
mod forms;
mod satisfaction;
mod session;
mod ticket;

use std::collections::HashMap;

use axum::{
    Router,
    extract::{FromRequestParts, Path},
    http::request::Parts,
    routing::{get, post},
};
use shared::api::Status;

use super::{client::ClientIp, sign_in};
use crate::{
    AppState,
    auth::session::Realm,
    db::{
        credentials,
        staff::{self, Member},
        tickets::{self, Ticket},
    },
    error::{Error, Result},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", post(session::session_create))
        .route("/session/end", post(session::session_end))
        .route("/session/end-all", post(session::sessions_end_all))
        .route("/me", get(session::me_show))
        .route("/password", post(session::password_set))
        .route("/totp", post(session::totp_enrol))
        .route("/totp/confirm", post(session::totp_confirm))
        .route("/totp/disable", post(session::totp_disable))
        .route("/preferences", post(session::preferences_update))
        .route("/queue", get(ticket::queue_show))
        .route("/staff-names", get(ticket::staff_names_list))
        .route(
            "/tickets/{reference}",
            get(ticket::ticket_show).post(ticket::ticket_change),
        )
        .route(
            "/tickets/{reference}/messages",
            post(ticket::messages_create),
        )
        .route("/tickets/{reference}/presence", post(ticket::presence_beat))
        .route(
            "/tickets/{reference}/attachments/{id}",
            get(ticket::attachments_show),
        )
        .route("/events", get(events::events_stream))
        .route(
            "/canned",
            get(canned::canned_list).post(canned::canned_create),
        )
        .route("/canned/{id}", post(canned::canned_update))
        .route("/canned/{id}/delete", post(canned::canned_delete))
        .route("/canned/{id}/filled/{reference}", get(canned::canned_fill))
        .route("/staff", get(admin::staff_list).post(admin::staff_invite))
        .route("/staff/{id}", post(admin::staff_change))
        .route("/departments", get(admin::departments_list))
        .route("/departments/{slug}", post(admin::department_save))
        .route(
            "/departments/{slug}/fields",
            get(forms::fields_list).post(forms::fields_save),
        )
        .route(
            "/departments/{slug}/mail",
            get(department_mail::department_mail_show)
                .post(department_mail::department_mail_update),
        )
        .route(
            "/settings",
            get(admin::settings_show).post(admin::settings_update),
        )
        .route(
            "/settings/auto-close",
            get(satisfaction::auto_close_show).post(satisfaction::auto_close_update),
        )
        .route("/ratings", get(satisfaction::ratings_list))
}

/// A signed-in, active staff member, and the session they came with.
/// A member an admin has required to enrol a second factor, who has none
/// yet, is refused here; only `Enrolling` lets them in (to enrol).
pub struct Staff {
    pub member: Member,
    pub token: String,
}

/// Like `Staff`, but also a member who still has to enrol a second factor:
/// for the routes that let them do so (and see who they are, and sign out).
pub struct Enrolling(pub Staff);

impl FromRequestParts<AppState> for Enrolling {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let ClientIp(client) = ClientIp::from_request_parts(parts, state).await?;
        let found = match sign_in::current(state, Realm::Staff, &parts.headers).await? {
            Some((token, staff_id)) => state
                .db
                .read(move |conn| staff::by_id(conn, staff_id))
                .await?
                .filter(|member| member.active)
                .map(|member| Staff { member, token }),
            None => None,
        };
        let Some(staff) = found else {
            tracing::warn!(
                client,
                path = parts.uri.path(),
                "refused: no valid staff session"
            );
            return Err(Error::SignedOut);
        };
        Ok(Enrolling(staff))
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let Enrolling(staff) = Enrolling::from_request_parts(parts, state).await?;
        if staff.member.totp_secret.is_none() && state.db.read(credentials::require_totp).await? {
            tracing::warn!(
                member = staff.member.id,
                "refused: a second factor must be enrolled first"
            );
            return Err(Error::Forbidden);
        }
        Ok(staff)
    }
}

/// A signed-in admin.
pub struct Admin(pub Staff);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let staff = Staff::from_request_parts(parts, state).await?;
        if !staff.member.is_admin() {
            tracing::warn!(
                member = staff.member.id,
                path = parts.uri.path(),
                "refused: admin only"
            );
            return Err(Error::Forbidden);
        }
        Ok(Admin(staff))
    }
}

/// A ticket, from `{reference}` in the path, in one of the member's
/// departments (any, for an admin). Another department's ticket and an
/// unconfirmed one get the same 404 as one that does not exist.
pub struct StaffTicket {
    pub staff: Staff,
    pub ticket: Ticket,
}

impl FromRequestParts<AppState> for StaffTicket {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let staff = Staff::from_request_parts(parts, state).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::NotFound)?;
        let reference = params
            .get("reference")
            .and_then(|r| shared::validate::Reference::parse(r).ok())
            .ok_or(Error::NotFound)?;
        let lookup = reference.as_str().to_owned();
        let ticket = state
            .db
            .read(move |conn| tickets::by_reference(conn, &lookup))
            .await?
            .filter(|t| {
                t.status != Status::AwaitingConfirmation && staff.member.covers(t.department_id)
            });
        match ticket {
            Some(ticket) => Ok(StaffTicket { staff, ticket }),
            None => {
                tracing::warn!(
                    member = staff.member.id,
                    reference = reference.as_str(),
                    "refused access to a ticket outside the member's departments"
                );
                Err(Error::NotFound)
            }
        }
    }
}
