//! Calls to the server's JSON API. Every failure becomes an `ApiError` that
//! `I18n`-aware code turns into a translated sentence.

use gloo_net::http::{Request, Response};
use serde::{Serialize, de::DeserializeOwned};
use shared::{
    api::{CSRF_HEADER, ErrorBody, ErrorCode},
    i18n::Key,
    validate::{Field, FieldError},
};

use crate::i18n::I18n;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, server down, request blocked.
    Network,
    /// The server answered with a structured error.
    Server(ErrorBody),
    /// The server answered something this build does not understand.
    Unexpected,
}

impl ApiError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Server(body) => Some(body.code),
            _ => None,
        }
    }

    /// Problems the server reported for individual fields.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Server(body) => &body.fields,
            _ => &[],
        }
    }

    /// One sentence for the whole failure.
    pub fn message(&self, i18n: I18n) -> String {
        let body = match self {
            ApiError::Network => return i18n.t(Key::ErrorNetwork).to_owned(),
            ApiError::Unexpected => return i18n.t(Key::ErrorGeneric).to_owned(),
            ApiError::Server(body) => body,
        };
        let key = match body.code {
            ErrorCode::Validation => Key::FixErrors,
            ErrorCode::RateLimited => Key::ErrorRateLimited,
            ErrorCode::NotFound => Key::ErrorNotFound,
            ErrorCode::Forbidden => Key::ErrorForbidden,
            ErrorCode::TicketClosed => Key::ErrorTicketClosed,
            ErrorCode::TicketFull => Key::ErrorTicketFull,
            ErrorCode::UnsupportedFileType => Key::ErrFileType,
            ErrorCode::PayloadTooLarge => match body.fields.first() {
                Some(error) => return i18n.problem(error.field, error.problem),
                None => Key::ErrorTooLarge,
            },
            ErrorCode::Internal => {
                let id = body.error_id.clone().unwrap_or_default();
                return i18n.fill(Key::ErrorInternal, &[("id", &id)]);
            }
            ErrorCode::LinkExpired => Key::LinkExpiredTitle,
            ErrorCode::LinkUsed => Key::LinkUsedTitle,
            ErrorCode::LinkInvalid => Key::LinkInvalidTitle,
            ErrorCode::BadRequest => Key::ErrorGeneric,
        };
        i18n.t(key).to_owned()
    }

    /// The server's sentence for one field, if it reported one.
    pub fn field_message(&self, i18n: I18n, field: Field) -> Option<String> {
        self.fields()
            .iter()
            .find(|e| e.field == field)
            .map(|e| i18n.problem(e.field, e.problem))
    }
}

/// Turns a raw `ErrorBody` JSON text (from XHR) or a status into an error.
pub fn error_from_text(text: &str) -> ApiError {
    serde_json::from_str::<ErrorBody>(text).map_or(ApiError::Unexpected, ApiError::Server)
}

/// The error a failed response carries.
async fn failure(response: Response) -> ApiError {
    response
        .json::<ErrorBody>()
        .await
        .map_or(ApiError::Unexpected, ApiError::Server)
}

/// The response if the server said yes, else the error it gave.
async fn checked(sent: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = sent.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(failure(response).await)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response.json::<T>().await.map_err(|_| ApiError::Unexpected)
}

fn post_request<B: Serialize>(url: &str, body: &B) -> Result<gloo_net::http::Request, ApiError> {
    Request::post(url)
        .header(CSRF_HEADER, "1")
        .json(body)
        .map_err(|_| ApiError::Unexpected)
}

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    decode(checked(Request::get(url).send().await).await?).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    decode(checked(post_request(url, body)?.send().await).await?).await
}

/// A POST whose success has no body (202 Accepted).
pub async fn post_accepted<B: Serialize>(url: &str, body: &B) -> Result<(), ApiError> {
    checked(post_request(url, body)?.send().await)
        .await
        .map(|_| ())
}
