//! The web bundle as a browser receives it: content types, caching,
//! compression, client-side routes, and the size budget.

use reqwest::{StatusCode, header};

use crate::harness::{Setup, TestApp};

/// Brotli bytes of the whole first load (HTML, CSS, JS, wasm) may not exceed this.
const BUDGET_BROTLI_BYTES: usize = 350 * 1024;

/// The asset paths index.html references.
fn asset_paths(html: &str) -> Vec<String> {
    html.split(['"', '\''])
        .filter(|part| part.starts_with("/assets/"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_bundle_is_served_compressed_cached_and_within_budget() {
    let app = TestApp::spawn_with(Setup::default()).await;
    let client = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .expect("client");

    let index = client
        .get(format!("{}/", app.url))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .expect("index");
    assert_eq!(index.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(index.headers()[header::CONTENT_ENCODING], "br");
    let html_br = index.bytes().await.expect("bytes").to_vec();
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut html_br.as_slice(), &mut html).expect("valid brotli");
    let html = String::from_utf8(html).expect("utf-8");
    let assets = asset_paths(&html);
    assert!(
        assets.iter().any(|a| a.ends_with(".wasm")),
        "no wasm in {html} (built with PASOKH_SKIP_WASM?)"
    );

    let mut total = html_br.len();
    let mut report = vec![format!("index.html {} B br", html_br.len())];
    for path in &assets {
        let response = client
            .get(format!("{}{path}", app.url))
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .expect("asset");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br", "{path}");
        let expected_type = match path.rsplit('.').next() {
            Some("wasm") => "application/wasm",
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            other => panic!("unexpected asset {other:?}"),
        };
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            expected_type,
            "{path}"
        );
        let size = response.bytes().await.expect("bytes").len();
        report.push(format!("{path} {size} B br"));
        total += size;
    }
    let wasm = assets.iter().find(|a| a.ends_with(".wasm")).expect("wasm");
    let raw = client
        .get(format!("{}{wasm}", app.url))
        .send()
        .await
        .expect("raw")
        .bytes()
        .await
        .expect("bytes")
        .len();
    println!(
        "bundle: {} | wasm raw {raw} B | total {total} B br (budget {BUDGET_BROTLI_BYTES})",
        report.join(", ")
    );
    assert!(
        total <= BUDGET_BROTLI_BYTES,
        "bundle is {total} B brotli, over the {BUDGET_BROTLI_BYTES} B budget"
    );

    let gzip = client
        .get(format!("{}{wasm}", app.url))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("gzip");
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn client_side_routes_get_the_app_and_unknown_assets_do_not() {
    let app = TestApp::spawn_with(Setup::default()).await;
    for path in [
        "/new",
        "/tickets/12345-67890",
        "/find",
        "/link",
        "/some/deep/path",
    ] {
        let response = app.page(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8",
            "{path}"
        );
    }
    for path in ["/assets/missing-0000.js", "/static/missing.svg"] {
        assert_eq!(
            app.page(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let api = app.page("/api/missing").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.headers()[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn the_page_frame_comes_in_the_visitors_language_and_direction() {
    let app = TestApp::spawn_with(Setup::default()).await;
    for (accept, cookie, expected) in [
        (None, None, "<html lang=\"en\" dir=\"ltr\">"),
        (
            Some("fa-IR,fa;q=0.9,en;q=0.5"),
            None,
            "<html lang=\"fa\" dir=\"rtl\">",
        ),
        (
            Some("de-DE, ru;q=0.8"),
            None,
            "<html lang=\"ru\" dir=\"ltr\">",
        ),
        // The switcher's choice wins over the browser's preference.
        (
            Some("fa-IR"),
            Some("pasokh_lang=ru"),
            "<html lang=\"ru\" dir=\"ltr\">",
        ),
    ] {
        let mut request = app.client.get(format!("{}/tickets/12345-67890", app.url));
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_LANGUAGE, accept);
        }
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.expect("get");
        assert!(
            response.headers()[header::VARY]
                .to_str()
                .expect("ascii")
                .contains("accept-language")
        );
        let html = response.text().await.expect("html");
        assert!(html.contains(expected), "{accept:?} {cookie:?}: {html}");
    }
}
