//! The web bundles embedded in the binary (built by `api/build.rs`), served
//! pre-compressed. Hashed files are cached for a year; index pages are
//! revalidated every time so a new release is picked up at once. Any path
//! that is not an asset or an API route gets an index page — the staff
//! console's for `/console` and everything under it, the customer portal's
//! with the route's first screen otherwise (`shared::pages`) — in the
//! visitor's language: the apps route on the client. `/manifest.webmanifest`
//! is likewise the visitor's language's.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use shared::{
    html::escape,
    i18n::Lang,
    pages::{Page, manifest_file},
};

use crate::layers::Caching;

/// One embedded file and its pre-compressed variants.
pub struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub immutable: bool,
    pub raw: &'static [u8],
    pub br: Option<&'static [u8]>,
    pub gzip: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.path == path)
}

/// The file that answers a path that names none, in the visitor's
/// language: the manifest, or the index page of the app the route belongs to.
fn in_language(path: &str, lang: Lang) -> String {
    if path == "/manifest.webmanifest" {
        manifest_file(lang)
    } else if path == "/console" || path.starts_with("/console/") {
        format!("/console/index.{}.html", lang.code())
    } else {
        Page::for_path(path).file(lang)
    }
}

/// Index pages change with every release and with the visitor's language.
fn is_index(path: &str) -> bool {
    path.strip_prefix("/console")
        .unwrap_or(path)
        .starts_with("/index.")
}

/// The app's language for this request: the switcher's cookie, else
/// `Accept-Language`, else the default — the order the app itself follows.
pub fn language(headers: &HeaderMap) -> Lang {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("pasokh_lang="))
        .and_then(Lang::from_code);
    let accepted = headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    chosen
        .or_else(|| Lang::negotiate(accepted))
        .unwrap_or(Lang::DEFAULT)
}

pub async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    // `negotiated`: chosen by the visitor's language, so caches must key
    // on what chose it.
    let (asset, negotiated) = match find(path) {
        Some(asset) => (asset, false),
        None if path.starts_with("/assets/") || path.starts_with("/static/") => {
            return StatusCode::NOT_FOUND.into_response();
        }
        None => match find(&in_language(path, language(&headers))) {
            Some(asset) => (asset, true),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let accepts = |encoding: &str| {
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|e| e.split(';').next().unwrap_or_default().trim() == encoding)
            })
    };
    let (bytes, encoding) = match (asset.br, asset.gzip) {
        (Some(br), _) if accepts("br") => (br, Some("br")),
        (_, Some(gzip)) if accepts("gzip") => (gzip, Some("gzip")),
        _ => (asset.raw, None),
    };
    let caching = if asset.immutable {
        Caching::Immutable
    } else if is_index(asset.path) {
        Caching::Revalidate
    } else {
        Caching::OneDay
    };
    let mut response = Response::new(Body::from(bytes));
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    let vary = if negotiated {
        "accept-encoding, accept-language, cookie"
    } else {
        "accept-encoding"
    };
    response_headers.insert(header::VARY, HeaderValue::from_static(vary));
    if let Some(encoding) = encoding {
        response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response.extensions_mut().insert(caching);
    response
}

/// The portal's index page for `page` in `lang` with `screen` drawn in its
/// main element, and `answer`, the API's JSON for `url`, handed to the app
/// (`frontend::net::get` takes it instead of asking): a page drawn per
/// request (`crate::pages`). A public page is revalidated like the embedded
/// index pages; one person's (`Page::Private`) is never stored by a cache
/// (no `Caching`: `no-store`).
pub fn with_data(
    page: Page,
    lang: Lang,
    screen: &str,
    url: &str,
    answer: &impl Serialize,
) -> Response {
    let Some(asset) = find(&page.file(lang)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let template = String::from_utf8_lossy(asset.raw);
    // `<` only occurs inside JSON strings, where `\u003c` means the same:
    // nothing the customer wrote can close the script element. Without the
    // data (it cannot fail for the API's types) the app asks, as elsewhere.
    let data = serde_json::to_string(answer).map_or_else(
        |_| String::new(),
        |json| {
            format!(
                "<script type=\"application/json\" data-url=\"{}\">{}</script>",
                escape(url),
                json.replace('<', "\\u003c")
            )
        },
    );
    let html = template
        .replacen("</main>", &format!("{screen}</main>"), 1)
        .replacen("</body>", &format!("{data}</body>"), 1);
    let mut response = Response::new(Body::from(html));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-language, cookie"),
    );
    if page.indexed() {
        response.extensions_mut().insert(Caching::Revalidate);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_routes_get_the_console_and_others_the_portal() {
        for path in ["/console", "/console/", "/console/tickets/12345-67890"] {
            assert_eq!(
                in_language(path, Lang::Fa),
                "/console/index.fa.html",
                "{path}"
            );
        }
        for (path, file) in [
            ("/", "/index.fa.html"),
            ("/consoles", "/index.fa.page.html"),
            ("/console-x", "/index.fa.page.html"),
            ("/tickets/1", "/index.fa.private.html"),
            ("/manifest.webmanifest", "/manifest.fa.webmanifest"),
        ] {
            assert_eq!(in_language(path, Lang::Fa), file, "{path}");
        }
        assert!(is_index("/index.fa.html"));
        assert!(is_index("/console/index.fa.html"));
        assert!(!is_index("/console/tickets/1"));
        assert!(!is_index("/assets/index.js"));
    }
}
