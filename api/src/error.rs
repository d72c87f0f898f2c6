//! The server's one error type. Handlers return `Result<_, Error>`; the
//! client gets a stable code (and field problems) it can translate, the log
//! gets the cause with an error id that is also in the response.

use std::path::PathBuf;

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
    /// A reply to a ticket that holds `MESSAGES_PER_TICKET` messages: 409.
    TicketFull,
    /// An emailed link that is past its 24 hours, already used, or unknown: 410/409/404.
    LinkExpired,
    LinkUsed,
    LinkInvalid,
    /// A staff route without a valid session: 401.
    SignedOut,
    /// Staff sign-in refused (address, password or code): 401, one answer for all.
    SignInFailed,
    /// Staff sign-in: the second-factor code is needed: 401.
    CodeRequired,
    /// Customer sign-in with the right password, before the address was verified.
    NotVerified,
    /// A staff reply written before someone else's newer message: 409.
    Stale,
    /// Anything else; the cause (with its whole source chain) is logged,
    /// never sent.
    Internal(Cause),
}

/// What went wrong inside, for the log: a sentence saying what was being
/// done, and the error that stopped it, whose own sources are kept.
#[derive(Debug)]
pub struct Cause {
    context: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.context)?;
        let mut next: Option<&(dyn std::error::Error + 'static)> = match &self.source {
            Some(source) => Some(source.as_ref()),
            None => None,
        };
        while let Some(error) = next {
            write!(f, ": {error}")?;
            next = error.source();
        }
        Ok(())
    }
}

/// For the log: an internal failure shows its cause, the rest their name.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Internal(cause) => cause.fmt(f),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Set on a response that carries an `error_id`, so the request log line
/// names it too.
#[derive(Clone, Debug)]
pub struct ErrorId(pub String);

impl Error {
    /// A single field problem.
    pub fn field(field: Field, problem: Problem) -> Error {
        Error::Validation(vec![FieldError { field, problem }])
    }

    /// An internal failure described by a sentence alone.
    pub fn internal(context: impl std::fmt::Display) -> Error {
        Error::Internal(Cause {
            context: context.to_string(),
            source: None,
        })
    }

    /// An internal failure: what was being done, and the error that stopped it.
    pub fn caused(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Internal(Cause {
            context: context.into(),
            source: Some(Box::new(source)),
        })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::caused("database", error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::caused("file system", error)
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Self {
        Error::caused("blocking task", error)
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
            Error::TicketFull => (StatusCode::CONFLICT, ErrorCode::TicketFull, vec![]),
            Error::SignedOut => (StatusCode::UNAUTHORIZED, ErrorCode::SignedOut, vec![]),
            Error::SignInFailed => (StatusCode::UNAUTHORIZED, ErrorCode::SignInFailed, vec![]),
            Error::CodeRequired => (StatusCode::UNAUTHORIZED, ErrorCode::CodeRequired, vec![]),
            Error::NotVerified => (StatusCode::FORBIDDEN, ErrorCode::NotVerified, vec![]),
            Error::Stale => (StatusCode::CONFLICT, ErrorCode::Stale, vec![]),
            Error::LinkExpired => (StatusCode::GONE, ErrorCode::LinkExpired, vec![]),
            Error::LinkUsed => (StatusCode::CONFLICT, ErrorCode::LinkUsed, vec![]),
            Error::LinkInvalid => (StatusCode::NOT_FOUND, ErrorCode::LinkInvalid, vec![]),
            Error::Internal(cause) => {
                let error_id = crate::secrets::short_id();
                tracing::error!(error_id, %cause, "request failed");
                let body = ErrorBody {
                    code: ErrorCode::Internal,
                    fields: vec![],
                    error_id: Some(error_id.clone()),
                };
                let mut response = (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
                response.extensions_mut().insert(ErrorId(error_id));
                return response;
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

/// Why the server could not start, worded for the operator: what failed,
/// where, and what to change.
#[derive(Debug)]
pub enum StartupError {
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    Database {
        path: PathBuf,
        cause: Error,
    },
    Files {
        path: PathBuf,
        source: std::io::Error,
    },
    Mail(String),
    Listen {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
    Serve(std::io::Error),
    /// A command (`pasokh staff …`) that cannot be carried out, and why.
    Command(String),
}

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartupError::DataDir { path, source } => write!(
                f,
                "cannot create the data folder {}: {source}. Create it, or set PASOKH_DATA_DIR to a folder this user may write to.",
                path.display()
            ),
            StartupError::Database { path, cause } => {
                let folder = path.parent().unwrap_or(path);
                write!(
                    f,
                    "cannot open the database {} ({}). Check that {} is a folder this user may write to and that {} is a database file (or absent), or set PASOKH_DATA_DIR to another folder.",
                    path.display(),
                    cause,
                    folder.display(),
                    path.display()
                )
            }
            StartupError::Files { path, source } => write!(
                f,
                "cannot create the attachment folders in {}: {source}. Check that this user may write there.",
                path.display()
            ),
            StartupError::Mail(message) => f.write_str(message),
            StartupError::Listen { address, source } => write!(
                f,
                "cannot listen on {address}: {source}. Stop what uses that port, or set PASOKH_LISTEN to a free address."
            ),
            StartupError::Serve(source) => write!(f, "the server stopped: {source}"),
            StartupError::Command(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for StartupError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_cause_keeps_its_source_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let Error::Internal(cause) = Error::caused("writing the upload", io) else {
            panic!("internal");
        };
        assert_eq!(cause.to_string(), "writing the upload: denied");
    }

    #[test]
    fn the_client_sees_an_id_never_the_cause() {
        let response = Error::internal("secret path /var/x").into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = response
            .extensions()
            .get::<ErrorId>()
            .map(|id| id.0.clone());
        assert!(id.is_some_and(|id| !id.is_empty()));
    }
}
