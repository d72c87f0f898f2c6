//! The server's JSON API as one typed client: one function per endpoint,
//! grouped by resource, so pages never format a path or pick a method. Each
//! builds its request at once and returns a future that borrows none of its
//! arguments, ready for a `LocalResource` or an `Action` to hold. Every
//! failure becomes an `ApiError` that `I18n`-aware code turns into a
//! translated sentence.

use std::future::Future;

use gloo_net::http::{Request, Response};
use serde::{Serialize, de::DeserializeOwned};
use shared::{
    api::{CSRF_HEADER, ErrorBody, ErrorCode},
    i18n::{Key, Lang},
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
            // Staff answers: the customer app never calls those routes.
            ErrorCode::BadRequest
            | ErrorCode::SignedOut
            | ErrorCode::SignInFailed
            | ErrorCode::CodeRequired
            | ErrorCode::Stale => Key::ErrorGeneric,
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
async fn checked(request: Result<Request, ApiError>) -> Result<Response, ApiError> {
    let response = request?.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(failure(response).await)
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

fn get_request(url: &str) -> Result<Request, ApiError> {
    Request::get(url).build().map_err(|_| ApiError::Unexpected)
}

fn post_request<B: Serialize + ?Sized>(url: &str, body: &B) -> Result<Request, ApiError> {
    Request::post(url)
        .header(CSRF_HEADER, "1")
        .json(body)
        .map_err(|_| ApiError::Unexpected)
}

fn get<T: DeserializeOwned>(url: &str) -> impl Future<Output = Result<T, ApiError>> + use<T> {
    fetch(get_request(url))
}

fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> + use<B, T> {
    fetch(post_request(url, body))
}

/// A POST whose success has no body (202 Accepted).
fn post_accepted<B: Serialize + ?Sized>(
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

/// `/api/config`.
pub mod config {
    use super::*;
    use shared::api::PublicConfig;

    pub fn show() -> impl Future<Output = Result<PublicConfig, ApiError>> + use<> {
        get("/api/config")
    }
}

/// `/api/departments`.
pub mod departments {
    use super::*;
    use shared::api::Department;

    /// The departments, named and explained in `lang`.
    pub fn list(lang: Lang) -> impl Future<Output = Result<Vec<Department>, ApiError>> + use<> {
        get(&format!("/api/departments?lang={}", lang.code()))
    }
}

/// `/api/uploads`.
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

/// `/api/tickets` and everything under one ticket.
pub mod tickets {
    use super::*;
    use shared::api::{
        CreatedTicket, NewReply, NewTicket, ReplyCreated, ResendConfirmation, TicketView,
    };

    fn path(reference: &str) -> String {
        format!("/api/tickets/{}", encoded(reference))
    }

    pub fn create(
        ticket: &NewTicket,
    ) -> impl Future<Output = Result<CreatedTicket, ApiError>> + use<> {
        post("/api/tickets", ticket)
    }

    /// Sends the confirmation email again.
    pub fn resend(
        reference: &str,
        request: &ResendConfirmation,
    ) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted(&format!("{}/resend", path(reference)), request)
    }

    /// The ticket, its department named in `lang`.
    pub fn show(
        reference: &str,
        lang: Lang,
    ) -> impl Future<Output = Result<TicketView, ApiError>> + use<> {
        get(&format!("{}?lang={}", path(reference), lang.code()))
    }

    /// Adds the customer's reply; the answer is the new message only.
    pub fn reply(
        reference: &str,
        reply: &NewReply,
    ) -> impl Future<Output = Result<ReplyCreated, ApiError>> + use<> {
        post(&format!("{}/messages", path(reference)), reply)
    }

    pub fn close(
        reference: &str,
        lang: Lang,
    ) -> impl Future<Output = Result<TicketView, ApiError>> + use<> {
        post(
            &format!("{}/close?lang={}", path(reference), lang.code()),
            &(),
        )
    }

    pub fn reopen(
        reference: &str,
        lang: Lang,
    ) -> impl Future<Output = Result<TicketView, ApiError>> + use<> {
        post(
            &format!("{}/reopen?lang={}", path(reference), lang.code()),
            &(),
        )
    }

    /// Where an attachment downloads from (a link, not a fetch).
    pub fn attachment_url(reference: &str, id: &str) -> String {
        format!("{}/attachments/{}", path(reference), encoded(id))
    }
}

/// Emailed links and "find my ticket".
pub mod links {
    use super::*;
    use shared::api::{FindTicket, RedeemLink, Redeemed};

    /// Exchanges an emailed one-time token for this browser's access.
    pub fn redeem(token: &str) -> impl Future<Output = Result<Redeemed, ApiError>> + use<> {
        post(
            "/api/links/redeem",
            &RedeemLink {
                token: token.to_owned(),
            },
        )
    }

    /// Asks for an access link by email; the answer is the same whether or
    /// not reference and address match.
    pub fn find(request: &FindTicket) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/find", request)
    }
}
