//! The bottom of both apps' API clients: the error every call can end in
//! and the helpers that send a request and decode its answer (CSRF header,
//! JSON, the server's `ErrorBody`). The endpoint functions stay with their
//! app (`frontend`'s `api.rs`, `console`'s `api/`), so neither bundle holds
//! the other's paths; only the upload, which both sides send alike, is here.

use std::future::Future;

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
    /// 429 with a `Retry-After`: too many attempts, for this many seconds.
    Limited(u64),
}

impl ApiError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Server(body) => Some(body.code),
            ApiError::Limited(_) => Some(ErrorCode::RateLimited),
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

    /// One sentence for the whole failure, in the customer's words.
    pub fn message(&self, i18n: I18n) -> String {
        self.message_with(i18n, |_| None)
    }

    /// One sentence for the whole failure, where `own` may word a server
    /// code first: the console says the staff codes (and forbidden, links)
    /// its own way, with texts the customer's bundle must not carry, so they
    /// come in from the console's side rather than living here.
    pub fn message_with(
        &self,
        i18n: I18n,
        own: impl FnOnce(ErrorCode) -> Option<&'static str>,
    ) -> String {
        let body = match self {
            ApiError::Network => return i18n.t(Key::ErrorNetwork).to_owned(),
            ApiError::Unexpected => return i18n.t(Key::ErrorGeneric).to_owned(),
            ApiError::Limited(secs) => {
                return i18n.fill(Key::ErrorRateLimitedIn, &[("when", &i18n.after(*secs))]);
            }
            ApiError::Server(body) => body,
        };
        if let Some(text) = own(body.code) {
            return text.to_owned();
        }
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
            ErrorCode::SignedOut => Key::ErrorSignedOut,
            ErrorCode::SignInFailed => Key::ErrorSignInFailed,
            ErrorCode::NotVerified => Key::ErrorNotVerified,
            // Staff answers: the customer app never calls those routes.
            ErrorCode::BadRequest | ErrorCode::CodeRequired | ErrorCode::Stale => Key::ErrorGeneric,
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

/// The error a failed response carries; a refusal for too many attempts
/// with the time it lasts.
async fn failure(response: Response) -> ApiError {
    if response.status() == 429
        && let Some(secs) = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.trim().parse::<u64>().ok())
    {
        return ApiError::Limited(secs);
    }
    response
        .json::<ErrorBody>()
        .await
        .map_or(ApiError::Unexpected, ApiError::Server)
}

/// The response if the server said yes, else the error it gave.
pub async fn checked(request: Result<Request, ApiError>) -> Result<Response, ApiError> {
    let response = request?.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(failure(response).await)
    }
}

/// Sends `request` and decodes the JSON it answers with.
pub async fn fetch<T: DeserializeOwned>(request: Result<Request, ApiError>) -> Result<T, ApiError> {
    checked(request)
        .await?
        .json::<T>()
        .await
        .map_err(|_| ApiError::Unexpected)
}

pub fn get_request(url: &str) -> Result<Request, ApiError> {
    Request::get(url).build().map_err(|_| ApiError::Unexpected)
}

pub fn post_request<B: Serialize + ?Sized>(url: &str, body: &B) -> Result<Request, ApiError> {
    Request::post(url)
        .header(CSRF_HEADER, "1")
        .json(body)
        .map_err(|_| ApiError::Unexpected)
}

pub fn get<T: DeserializeOwned>(url: &str) -> impl Future<Output = Result<T, ApiError>> + use<T> {
    let given = given_with_page(url).and_then(|json| serde_json::from_str(&json).ok());
    let request = fetch(get_request(url));
    async move {
        match given {
            Some(answer) => Ok(answer),
            None => request.await,
        }
    }
}

/// The answer for `url` that the server put into the page it sent with the
/// first screen (`api/src/pages/`), so the app draws the same thing
/// without asking. The first request for the same path takes it away, so
/// only the load it was sent for uses it (one in another language asks).
fn given_with_page(url: &str) -> Option<String> {
    let script = leptos::prelude::document()
        .query_selector("script[data-url]")
        .ok()
        .flatten()?;
    let given = script.get_attribute("data-url")?;
    let path = |url: &str| url.split('?').next().unwrap_or_default().to_owned();
    if path(&given) != path(url) {
        return None;
    }
    script.remove();
    (given == url).then(|| script.text_content()).flatten()
}

pub fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> + use<B, T> {
    fetch(post_request(url, body))
}

/// A POST whose success has no body (202 Accepted, 204 No Content).
pub fn post_accepted<B: Serialize + ?Sized>(
    url: &str,
    body: &B,
) -> impl Future<Output = Result<(), ApiError>> + use<B> {
    let request = post_request(url, body);
    async move { checked(request).await.map(|_| ()) }
}

/// A value as one URL path segment or query value: a reference comes from
/// the address bar and must not reach another endpoint.
pub fn encoded(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// `/api/uploads`: both apps attach files through the same pipeline.
pub mod uploads {
    use shared::api::{UPLOAD_NAME_PARAM, Upload};
    use web_sys::File;

    use super::{ApiError, encoded};

    /// Sends one file, calling `on_progress` with the fraction sent so far.
    pub async fn create(
        file: &File,
        on_progress: impl Fn(f64) + 'static,
    ) -> Result<Upload, ApiError> {
        let url = format!("/api/uploads?{UPLOAD_NAME_PARAM}={}", encoded(&file.name()));
        crate::upload::send(&url, file, on_progress).await
    }
}
