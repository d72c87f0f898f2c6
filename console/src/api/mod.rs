//! The staff API (`/api/console/…`) as one typed client, on the pattern of
//! the customer app's `api.rs`: one function per endpoint, grouped by
//! resource, each building its request at once and returning a future that
//! borrows nothing, for a `LocalResource` or an `Action` to hold. Every
//! failure is an `ApiError` that turns into a translated sentence.

pub mod account;
pub mod admin;
pub mod tickets;

use std::future::Future;

use gloo_net::http::{Request, Response};
use serde::{Serialize, de::DeserializeOwned};
use shared::{
    api::{CSRF_HEADER, ErrorBody, ErrorCode},
    i18n::{ConsoleKey, Key},
    validate::{Field, FieldError},
};

use crate::i18n::{Console, I18n};

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
            ErrorCode::BadRequest => Key::ErrorGeneric,
            // The staff answers have the console's own words.
            code => return i18n.tr(staff_message(code)).to_owned(),
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

/// What a staff-only error code means to the member.
fn staff_message(code: ErrorCode) -> ConsoleKey {
    match code {
        ErrorCode::SignedOut => ConsoleKey::ErrorSignedOut,
        ErrorCode::SignInFailed => ConsoleKey::ErrorSignInFailed,
        ErrorCode::CodeRequired => ConsoleKey::ErrorCodeRequired,
        ErrorCode::Stale => ConsoleKey::ErrorStale,
        ErrorCode::Forbidden => ConsoleKey::ErrorForbidden,
        ErrorCode::LinkExpired => ConsoleKey::LinkExpired,
        ErrorCode::LinkUsed => ConsoleKey::LinkUsed,
        _ => ConsoleKey::LinkInvalid,
    }
}

/// Turns a raw `ErrorBody` JSON text (from XHR) into an error.
pub fn error_from_text(text: &str) -> ApiError {
    serde_json::from_str::<ErrorBody>(text).map_or(ApiError::Unexpected, ApiError::Server)
}

/// The response if the server said yes, else the error it gave.
async fn checked(request: Result<Request, ApiError>) -> Result<Response, ApiError> {
    let response = request?.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(response
            .json::<ErrorBody>()
            .await
            .map_or(ApiError::Unexpected, ApiError::Server))
    }
}

/// Sends `request` and decodes the JSON it answers with.
async fn fetch<T: DeserializeOwned>(request: Result<Request, ApiError>) -> Result<T, ApiError> {
    checked(request)
        .await?
        .json::<T>()
        .await
        .map_err(|_| ApiError::Unexpected)
}

fn post_request<B: Serialize + ?Sized>(url: &str, body: &B) -> Result<Request, ApiError> {
    Request::post(url)
        .header(CSRF_HEADER, "1")
        .json(body)
        .map_err(|_| ApiError::Unexpected)
}

fn get<T: DeserializeOwned>(url: &str) -> impl Future<Output = Result<T, ApiError>> + use<T> {
    fetch(Request::get(url).build().map_err(|_| ApiError::Unexpected))
}

fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> + use<B, T> {
    fetch(post_request(url, body))
}

/// A POST whose success has no body (204).
fn post_empty<B: Serialize + ?Sized>(
    url: &str,
    body: &B,
) -> impl Future<Output = Result<(), ApiError>> + use<B> {
    let request = post_request(url, body);
    async move { checked(request).await.map(|_| ()) }
}

/// A value as one URL path segment or query value: a reference comes from
/// the address bar and must not reach another endpoint.
fn encoded(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// How an enum is spelled in JSON and in query strings (`open`, `urgent`):
/// its serde name, so the spelling is defined once, in `shared`.
pub fn wire_name<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The enum value spelled `name` in JSON, if there is one.
pub fn from_wire_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

/// `/api/uploads`: the customer side's upload pipeline, shared as is.
pub mod uploads {
    use super::*;
    use shared::api::{UPLOAD_NAME_PARAM, Upload};
    use web_sys::File;

    /// Sends one file, calling `on_progress` with the fraction sent so far.
    pub async fn create(
        file: &File,
        on_progress: impl Fn(f64) + 'static,
    ) -> Result<Upload, ApiError> {
        let url = format!("/api/uploads?{UPLOAD_NAME_PARAM}={}", encoded(&file.name()));
        crate::upload::send(&url, file, on_progress).await
    }
}

#[cfg(test)]
mod tests {
    use shared::console::{Priority, Sort, StatusFilter};

    use super::*;

    #[test]
    fn enums_are_spelled_as_on_the_wire() {
        assert_eq!(wire_name(StatusFilter::All), "all");
        assert_eq!(wire_name(Sort::Waiting), "waiting");
        for priority in Priority::ALL {
            assert_eq!(from_wire_name(&wire_name(priority)), Some(priority));
        }
        assert_eq!(from_wire_name::<Priority>("highest"), None);
    }
}
