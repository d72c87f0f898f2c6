//! Canned replies: the list (shared and mine), keeping them, and one filled
//! in for a ticket by the server, in the ticket's language.

use std::future::Future;

use shared::console::{CannedDraft, CannedFilled, CannedReply};

use super::{ApiError, encoded, get, post, post_accepted};

pub fn list() -> impl Future<Output = Result<Vec<CannedReply>, ApiError>> + use<> {
    get("/api/console/canned")
}

pub fn create(draft: &CannedDraft) -> impl Future<Output = Result<CannedReply, ApiError>> + use<> {
    post("/api/console/canned", draft)
}

pub fn update(
    id: i64,
    draft: &CannedDraft,
) -> impl Future<Output = Result<CannedReply, ApiError>> + use<> {
    post(&format!("/api/console/canned/{id}"), draft)
}

pub fn delete(id: i64) -> impl Future<Output = Result<(), ApiError>> + use<> {
    post_accepted(&format!("/api/console/canned/{id}/delete"), &())
}

/// The reply's text for the ticket `reference`, placeholders filled.
pub fn filled(
    id: i64,
    reference: &str,
) -> impl Future<Output = Result<CannedFilled, ApiError>> + use<> {
    get(&format!(
        "/api/console/canned/{id}/filled/{}",
        encoded(reference)
    ))
}
