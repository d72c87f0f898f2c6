//! Cross-cutting HTTP behaviour, applied to every response or request:
//! security and caching headers, the CSRF check, compression of what is
//! made per request, and the request log line.
//!
//! Invariant: security and caching headers are set here and nowhere else.
//! Handlers describe their body (type, disposition, encoding, `Vary`), set
//! cookies built by `routes::access`, and say how a response may be cached
//! with a `Caching` extension; this layer turns that into headers.

use axum::{
    extract::{MatchedPath, Request, State},
    http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use shared::api::CSRF_HEADER;
use tower_http::compression::{
    CompressionLayer,
    predicate::{Predicate, SizeAbove},
};

use tracing::Instrument;

use crate::{
    AppState,
    error::{Error, ErrorId},
    ops::metrics,
    secrets,
};

/// How a response may be cached, set by the handler as a response extension.
/// Without one, nothing may store it (`no-store`): API answers hold tickets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    /// Content-hashed assets: a changed file has a new name.
    Immutable,
    /// The index page: always asked again, so a new release shows at once.
    Revalidate,
    /// Other static files (icons, fonts with stable names).
    OneDay,
}

impl Caching {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Caching::Immutable => "public, max-age=31536000, immutable",
            Caching::Revalidate => "no-cache",
            Caching::OneDay => "public, max-age=86400",
        })
    }
}

/// A downloaded attachment must not run anything even if a browser rendered it.
const ATTACHMENT_CSP: &str = "sandbox; default-src 'none'";

/// The app needs nothing but its own origin. `wasm-unsafe-eval` lets the
/// browser compile the wasm module; `blob:` images are the thumbnails of
/// files being attached.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let caching = response.extensions().get::<Caching>().copied();
    let status = response.status();
    let headers = response.headers_mut();
    let csp = if is_attachment(headers) {
        ATTACHMENT_CSP
    } else {
        CSP
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::CACHE_CONTROL,
        caching.map_or(HeaderValue::from_static("no-store"), Caching::header),
    );
    if state.config.public_url.starts_with("https://") {
        // Served over https: browsers must never try plain http again.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        // Refused before the body was read to its end: the rest of it is
        // still on the wire, so this connection cannot carry another request.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
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

fn is_attachment(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("attachment"))
}

/// Compresses what is made per request, API answers and a ticket's page,
/// for clients that accept brotli or gzip: a long conversation is sent
/// twice in its page (drawn, and as the app's data). The embedded assets
/// come compressed already (their `Content-Encoding` makes this pass them
/// by), and attachments go as stored: mostly compressed formats already,
/// and megabytes compressed per download would cost a small server's CPU.
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .compress_when(SizeAbove::new(1024).and(
            |_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions| compressible(headers),
        ))
}

/// JSON and HTML: the two kinds of body the server makes per request.
fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/json") || kind.starts_with("text/html"))
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

/// Whether the request's `Origin` is this site: the origin of the public
/// URL, or `http(s)://` and the `Host` the request was sent to (the same
/// server reached by another name, as in tests and on a LAN). Sign-up and
/// sign-in check it on top of the CSRF header, so a form posted from
/// another site fails even in a browser that lets it through otherwise.
/// Browsers send `Origin` on every POST `fetch`; a request without one is
/// refused.
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    origin_allowed(origin, public_url, host)
}

fn origin_allowed(origin: &str, public_url: &str, host: Option<&str>) -> bool {
    let origin = origin.trim().trim_end_matches('/');
    if origin.is_empty() || origin == "null" {
        return false;
    }
    if origin.eq_ignore_ascii_case(origin_of(public_url)) {
        return true;
    }
    host.is_some_and(|host| {
        !host.is_empty()
            && ["http://", "https://"]
                .iter()
                .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{host}")))
    })
}

/// `scheme://host[:port]` of a URL (what browsers put in `Origin`).
fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    &url[..end]
}

/// One log line per API request: method, path (never the query), status,
/// time, the request id (also sent back as `X-Request-Id`, and carried by
/// every line logged while the request runs) and the `error_id` the client
/// was given, if any. Every request, page and probe alike, is counted for
/// `/metrics` under its route template; probes and pages are not logged.
pub async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None if path.starts_with("/api/") => "/api/unmatched".to_owned(),
        None => "page".to_owned(),
    };
    let request_id = secrets::short_id();
    let span = tracing::info_span!("request", request_id);
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    metrics::record_request(&route, &method, status, elapsed);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    if path.starts_with("/api/") {
        let micros = elapsed.as_micros() as u64;
        match response.extensions().get::<ErrorId>() {
            Some(ErrorId(error_id)) => {
                tracing::info!(%method, path, status, micros, request_id, error_id, "request")
            }
            None => tracing::info!(%method, path, status, micros, request_id, "request"),
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_and_html_are_compressed_here() {
        let typed = |kind: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            compressible(&headers)
        };
        assert!(typed("application/json"));
        assert!(typed("text/html; charset=utf-8"));
        for stored in [
            "application/octet-stream",
            "image/png",
            "text/plain",
            "application/pdf",
        ] {
            assert!(!typed(stored), "{stored}");
        }
        assert!(!compressible(&HeaderMap::new()));
    }

    #[test]
    fn origin_is_the_public_url_or_the_requested_host() {
        let public = "https://desk.example/support";
        assert_eq!(origin_of(public), "https://desk.example");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert!(origin_allowed("https://desk.example", public, None));
        assert!(origin_allowed("https://DESK.example/", public, None));
        assert!(origin_allowed(
            "http://127.0.0.1:4000",
            public,
            Some("127.0.0.1:4000")
        ));
        for foreign in [
            "https://evil.example",
            "https://desk.example.evil.example",
            "http://desk.example",
            "null",
            "",
        ] {
            assert!(
                !origin_allowed(foreign, public, Some("127.0.0.1:4000")),
                "{foreign}"
            );
        }
        // The port is part of the origin.
        assert!(!origin_allowed(
            "http://127.0.0.1:4001",
            public,
            Some("127.0.0.1:4000")
        ));
    }
}
