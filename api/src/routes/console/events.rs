//! Live updates: a server-sent event stream of what changes on tickets the
//! member may see. It polls `ticket_events` (the history every change
//! already writes) once a second, so it works the same with several server
//! instances on one database; each poll checks the session again, so a
//! member signed out or deactivated elsewhere stops receiving at once.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    response::sse::{Event, KeepAlive, Sse},
};
use futures_util::{Stream, StreamExt, stream};
use shared::console::ChangeEvent;

use super::Staff;
use crate::{
    AppState,
    auth::session::Realm,
    db::{self, auth, console, staff},
    error::Result,
};

const POLL: Duration = Duration::from_secs(1);

struct Cursor {
    state: AppState,
    token: String,
    last: i64,
}

pub async fn events_stream(
    State(state): State<AppState>,
    Staff { token, .. }: Staff,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    let last = state.db.read(console::latest_event).await?;
    let changes = stream::unfold(Cursor { state, token, last }, next_batch).flat_map(stream::iter);
    Ok(Sse::new(changes).keep_alive(KeepAlive::default()))
}

/// Waits for the next changes; `None` (the stream ends) once the session
/// is no longer valid.
async fn next_batch(
    mut cursor: Cursor,
) -> Option<(Vec<std::result::Result<Event, Infallible>>, Cursor)> {
    loop {
        tokio::time::sleep(POLL).await;
        let token = cursor.token.clone();
        let member = cursor
            .state
            .db
            .read(move |conn| {
                let Some(live) = auth::session(conn, Realm::Staff, &token, db::now())? else {
                    return Ok(None);
                };
                Ok(staff::by_id(conn, live.principal_id)?.filter(|member| member.active))
            })
            .await
            .ok()
            .flatten()?;
        let last = cursor.last;
        let (newest, changes) = match cursor
            .state
            .db
            .read(move |conn| console::changes_since(conn, member.id, member.is_admin(), last))
            .await
        {
            Ok(changes) => changes,
            Err(error) => {
                tracing::warn!(%error, "live update poll failed");
                continue;
            }
        };
        cursor.last = newest;
        if changes.is_empty() {
            continue;
        }
        let events = changes
            .into_iter()
            .filter_map(|(reference, kind)| {
                Event::default()
                    .json_data(ChangeEvent { reference, kind })
                    .ok()
                    .map(Ok)
            })
            .collect();
        return Some((events, cursor));
    }
}
