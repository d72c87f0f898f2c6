//! The server's one error type. Handlers return `Result<_, Error>`; the
//! client gets a stable code (and field problems) it can translate, the log
//! gets the cause with an error id that is also in the response.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use shared::{
    api::{ErrorBody, ErrorCode},
    validate::{Field, FieldError, Problem},
};

#[derive(Debug)]
pub enum Error {
    /// Malformed JSON or a missing field: 400.
    BadRequest,
    /// One or more fields are wrong: 422.
    Validation(Vec<FieldError>),
    /// No such object, or the caller may not see it (the two look the same): 404.
    NotFound,
    /// Too many requests for this IP, address or ticket: 429.
    RateLimited {
        retry_after_secs: u64,
    },
    /// A body or an attachment is over a limit: 413.
    TooLarge(Vec<FieldError>),
    /// A file whose content is not an accepted type, or does not match its name: 415.
    UnsupportedFileType,
    /// A state-changing request without the CSRF header: 403.
    Forbidden,
    /// A reply to a closed ticket: 409.
    TicketClosed,
    /// An emailed link that is past its 24 hours, already used, or unknown: 410/409/404.
    LinkExpired,
    LinkUsed,
    LinkInvalid,
    /// Anything else; the cause is logged, never sent.
    Internal(String),
}

impl Error {
    /// A single field problem.
    pub fn field(field: Field, problem: Problem) -> Error {
        Error::Validation(vec![FieldError { field, problem }])
    }

    pub fn internal(cause: impl std::fmt::Display) -> Error {
        Error::Internal(cause.to_string())
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::internal(format!("database: {error}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::internal(format!("io: {error}"))
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Self {
        Error::internal(format!("blocking task: {error}"))
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, fields) = match self {
            Error::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                fields,
            ),
            Error::BadRequest => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest, vec![]),
            Error::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound, vec![]),
            Error::RateLimited { retry_after_secs } => {
                let body = ErrorBody {
                    code: ErrorCode::RateLimited,
                    fields: vec![],
                    error_id: None,
                };
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(
                        axum::http::header::RETRY_AFTER,
                        retry_after_secs.to_string(),
                    )],
                    Json(body),
                )
                    .into_response();
            }
            Error::TooLarge(fields) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                fields,
            ),
            Error::UnsupportedFileType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedFileType,
                vec![FieldError {
                    field: Field::Attachments,
                    problem: Problem::FileType,
                }],
            ),
            Error::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, vec![]),
            Error::TicketClosed => (StatusCode::CONFLICT, ErrorCode::TicketClosed, vec![]),
            Error::LinkExpired => (StatusCode::GONE, ErrorCode::LinkExpired, vec![]),
            Error::LinkUsed => (StatusCode::CONFLICT, ErrorCode::LinkUsed, vec![]),
            Error::LinkInvalid => (StatusCode::NOT_FOUND, ErrorCode::LinkInvalid, vec![]),
            Error::Internal(cause) => {
                let error_id = crate::secrets::short_id();
                tracing::error!(error_id, cause, "request failed");
                let body = ErrorBody {
                    code: ErrorCode::Internal,
                    fields: vec![],
                    error_id: Some(error_id),
                };
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
            }
        };
        (
            status,
            Json(ErrorBody {
                code,
                fields,
                error_id: None,
            }),
        )
            .into_response()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
