//! The web bundles as a browser receives them: content types, caching,
//! compression, client-side routes, the size budgets, and the customer's
//! first load holding nothing of the staff console.

use reqwest::{StatusCode, header};
use shared::i18n::{ConsoleKey, Lang, MailKey};

use crate::harness::{Setup, TestApp};

/// Brotli bytes of the customer's whole first load (HTML, CSS, JS, wasm) may
/// not exceed this: 302,264 B when set (issue 15), plus 5 %, so a
/// regression fails here.
const BUDGET_BROTLI_BYTES: usize = 317_000;

/// The staff console's first load, the same way (README, "Bundle budget").
/// 393,874 B when set, plus 5 %.
const CONSOLE_BUDGET_BROTLI_BYTES: usize = 413_000;

/// The asset paths index.html references.
fn asset_paths(html: &str) -> Vec<String> {
    html.split(['"', '\''])
        .filter(|part| part.starts_with("/assets/"))
        .map(str::to_owned)
        .collect()
}

/// One app's first load as a browser gets it.
struct FirstLoad {
    /// Brotli bytes of the index page and every asset it references.
    total: usize,
    report: Vec<String>,
    /// Every asset: those the page names, then those its script names.
    assets: Vec<String>,
    /// The wasm and the JS glue, uncompressed.
    code: Vec<u8>,
}

/// Loads the index page at `path` and every asset it references, checking
/// how each is served.
async fn first_load(app: &TestApp, client: &reqwest::Client, path: &str) -> FirstLoad {
    let index = client
        .get(format!("{}{path}", app.url))
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
    // The page names its stylesheet and script; the script names the wasm.
    let mut assets = asset_paths(&html);
    let mut total = html_br.len();
    let mut report = vec![format!("{path} {} B br", html_br.len())];
    let mut code = Vec::new();
    let mut next = 0;
    while let Some(asset) = assets.get(next).cloned() {
        next += 1;
        let response = client
            .get(format!("{}{asset}", app.url))
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .expect("asset");
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{asset}"
        );
        assert_eq!(
            response.headers()[header::CONTENT_ENCODING],
            "br",
            "{asset}"
        );
        let expected_type = match asset.rsplit('.').next() {
            Some("wasm") => "application/wasm",
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            other => panic!("unexpected asset {other:?}"),
        };
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            expected_type,
            "{asset}"
        );
        let size = response.bytes().await.expect("bytes").len();
        report.push(format!("{asset} {size} B br"));
        total += size;
        if !asset.ends_with(".css") {
            let raw = client
                .get(format!("{}{asset}", app.url))
                .send()
                .await
                .expect("raw")
                .bytes()
                .await
                .expect("bytes");
            if asset.ends_with(".wasm") {
                report.push(format!("(wasm raw {} B)", raw.len()));
            } else {
                for named in asset_paths(&String::from_utf8_lossy(&raw)) {
                    if !assets.contains(&named) {
                        assets.push(named);
                    }
                }
            }
            code.extend_from_slice(&raw);
        }
    }
    assert!(
        assets.iter().any(|a| a.ends_with(".wasm")),
        "no wasm named by {html} or its script (built with PASOKH_SKIP_WASM?)"
    );
    FirstLoad {
        total,
        report,
        assets,
        code,
    }
}

/// Texts only the console has (its API paths, its longest sentences in
/// every language): found in its code, and never in the customer's.
fn console_only() -> Vec<String> {
    let mut texts = vec!["/api/console/".to_owned()];
    for lang in Lang::ALL {
        for key in [
            ConsoleKey::StaleWarning,
            ConsoleKey::TotpOff,
            ConsoleKey::SignOutEverywhereText,
        ] {
            texts.push(key.text(*lang).to_owned());
        }
    }
    texts
}

/// The emails' texts (the longest, in every language): the server's alone.
fn mail_only() -> Vec<&'static str> {
    Lang::ALL
        .iter()
        .flat_map(|lang| {
            [
                MailKey::EmailConfirmBody,
                MailKey::EmailAccountResetBody,
                MailKey::EmailFooter,
            ]
            .map(|key| key.text(*lang))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn the_bundles_are_served_compressed_cached_apart_and_within_budget() {
    let app = TestApp::spawn_with(Setup::default()).await;
    let client = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .expect("client");

    let customer = first_load(&app, &client, "/").await;
    println!(
        "bundle: {} | total {} B br (budget {BUDGET_BROTLI_BYTES})",
        customer.report.join(", "),
        customer.total
    );
    assert!(
        customer.total <= BUDGET_BROTLI_BYTES,
        "bundle is {} B brotli, over the {BUDGET_BROTLI_BYTES} B budget",
        customer.total
    );

    let console = first_load(&app, &client, "/console").await;
    println!(
        "console bundle: {} | total {} B br (budget {CONSOLE_BUDGET_BROTLI_BYTES})",
        console.report.join(", "),
        console.total
    );
    assert!(
        console.total <= CONSOLE_BUDGET_BROTLI_BYTES,
        "the console bundle is {} B brotli, over the {CONSOLE_BUDGET_BROTLI_BYTES} B budget",
        console.total
    );

    // The customer's first load holds no console code: none of its assets,
    // none of its texts (which are in the console's own code, so the check
    // can see them).
    for asset in &console.assets {
        if !asset.ends_with(".css") {
            assert!(
                !customer.assets.contains(asset),
                "{asset} is in both first loads"
            );
        }
    }
    for text in console_only() {
        assert!(
            contains(&console.code, &text),
            "{text:?} not in the console"
        );
        assert!(
            !contains(&customer.code, &text),
            "the customer's bundle holds console code: {text:?}"
        );
    }
    // Nor does either carry the emails' texts, which only the server sends.
    for text in mail_only() {
        for (name, bundle) in [("customer's", &customer), ("console's", &console)] {
            assert!(
                !contains(&bundle.code, text),
                "the {name} bundle holds an email's text: {text:?}"
            );
        }
    }

    let wasm = customer
        .assets
        .iter()
        .find(|a| a.ends_with(".wasm"))
        .expect("wasm");
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
    // The console's pages get its own frame (`<body class="console">`).
    for (path, console) in [
        ("/new", false),
        ("/tickets/12345-67890", false),
        ("/find", false),
        ("/link", false),
        ("/some/deep/path", false),
        ("/consoles", false),
        ("/console", true),
        ("/console/sign-in", true),
        ("/console/tickets/12345-67890", true),
        ("/console/some/deep/path", true),
    ] {
        let response = app.page(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8",
            "{path}"
        );
        let html = response.text().await.expect("html");
        assert_eq!(html.contains("<body class=\"console\">"), console, "{path}");
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
        // The console follows the same cookie and header as the portal.
        for path in ["/tickets/12345-67890", "/console/tickets/12345-67890"] {
            let mut request = app.client.get(format!("{}{path}", app.url));
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
            assert!(
                html.contains(expected),
                "{path} {accept:?} {cookie:?}: {html}"
            );
        }
    }
}
