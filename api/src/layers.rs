//! Cross-cutting HTTP behaviour, applied to every response or request:
//! security headers, the CSRF check and the request log line.

use axum::{
    extract::Request,
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use shared::api::CSRF_HEADER;

use crate::error::Error;

/// The app needs nothing but its own origin. `wasm-unsafe-eval` lets the
/// browser compile the wasm module; `blob:` images are the thumbnails of
/// files being attached.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Emailed tokens live in the fragment, which is never sent; no-referrer
    // also keeps ticket references out of other sites' logs.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    response
}

/// State-changing requests must carry the `x-pasokh-csrf` header: a form on
/// another site cannot send it, and a cross-site script would need a CORS
/// preflight this server never answers. The SameSite=Lax cookie is the
/// second line.
pub async fn csrf(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !request.headers().contains_key(CSRF_HEADER) {
        tracing::warn!(method = %request.method(), path = request.uri().path(), "refused: no CSRF header");
        return Error::Forbidden.into_response();
    }
    next.run(request).await
}

/// One log line per API request: method, path (never the query), status, time.
pub async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    if path.starts_with("/api/") {
        tracing::info!(%method, path, status = response.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    }
    response
}
