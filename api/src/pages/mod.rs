//! Index pages drawn per request, for routes whose first screen or first
//! data depends on the database: a ticket's page for its customer
//! (`ticket`), the new-ticket wizard with the departments (`new_ticket`).
//! Each is the embedded index page of its route with, at most, a drawn
//! screen and the API's answer the app would ask for first, which
//! `frontend::net::get` takes instead of asking (`assets::with_data`).

pub mod new_ticket;
pub mod ticket;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use shared::i18n::Lang;

/// What the app's `encodeURIComponent` leaves as it is.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `value` as one path segment, as the app encodes it.
fn encoded(value: &str) -> String {
    utf8_percent_encode(value, URI_COMPONENT).to_string()
}

/// An API path in `lang`, exactly as `frontend/src/api.rs` asks for it, so
/// that the app finds the answer the page carries.
fn api_url(path: &str, lang: Lang) -> String {
    format!("/api{path}?lang={}", lang.code())
}
