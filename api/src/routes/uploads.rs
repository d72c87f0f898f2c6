//! `POST /api/uploads?name=…`: one file per request, as the raw body, so the
//! browser can show progress per file. The file is stored under a random
//! name and waits to be claimed by a ticket or reply.

use std::collections::HashMap;

use axum::{
    Json,
    body::Body,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
};
use shared::{
    api::{UPLOAD_NAME_PARAM, Upload},
    limits::extension_allowed,
    validate::{Field, Problem},
};

use super::client::ClientIp;
use crate::{
    AppState,
    db::{
        self,
        rate::Limit,
        uploads::{self, StoredUpload},
    },
    error::{Error, Result},
    files, secrets,
};

const UPLOADS_PER_IP: Limit = Limit::per_hour(100);

pub async fn uploads_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Upload>)> {
    let raw_name = query
        .get(UPLOAD_NAME_PARAM)
        .map(String::as_str)
        .unwrap_or_default();
    let name = files::clean_file_name(raw_name);
    if name.is_empty() {
        return Err(Error::field(Field::Attachments, Problem::Required));
    }
    if !extension_allowed(&name) {
        return Err(Error::UnsupportedFileType);
    }
    let max = state.config.attachments.max_file_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max) {
        return Err(files::too_large(max));
    }
    super::limit(&state, vec![(format!("upload:ip:{ip}"), UPLOADS_PER_IP)]).await?;

    // Before the body is stored, so a failure here leaves no file behind.
    let id = secrets::token()?;
    let received = state.store.receive(body, max).await?;
    let discard = |error: Error| {
        let store = state.store.clone();
        let stored = received.stored_name.clone();
        async move {
            store.delete(&[stored]).await;
            Err(error)
        }
    };
    if received.size == 0 {
        return discard(Error::field(Field::Attachments, Problem::Required)).await;
    }
    let Some(content_type) = files::sniff(&name, &received.head) else {
        return discard(Error::UnsupportedFileType).await;
    };
    let upload = StoredUpload {
        id,
        stored_name: received.stored_name.clone(),
        file_name: name,
        content_type: content_type.to_owned(),
        size: received.size,
    };
    let row = upload.clone();
    if let Err(error) = state
        .db
        .write(move |conn| uploads::insert(conn, &row, db::now()))
        .await
    {
        return discard(error).await;
    }
    Ok((
        StatusCode::CREATED,
        Json(Upload {
            id: upload.id,
            name: upload.file_name,
            size: upload.size,
            content_type: upload.content_type,
        }),
    ))
}
