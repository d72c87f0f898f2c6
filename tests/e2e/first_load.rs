//! The first load before any wasm runs: each index page holds its route's
//! first screen in the visitor's language (frame, heading, title,
//! description, the sentence for browsers without JavaScript), one person's
//! pages are not indexed, robots.txt and the web app manifest say what
//! crawlers and phones need — and in Chromium the app takes the first
//! screen's place showing the same text.

use reqwest::{StatusCode, header};
use shared::{
    i18n::{ConsoleKey, Key, Lang},
    pages::Page,
};

use crate::{
    chrome::Browser,
    harness::{Setup, TestApp},
};

/// Client-side routes and the first screen each must get.
const ROUTES: &[(&str, Page)] = &[
    ("/", Page::Home),
    ("/new", Page::NewTicket),
    ("/find", Page::FindTicket),
    ("/tickets/12345-67890", Page::Private),
    ("/link", Page::Private),
    ("/rate/good", Page::Private),
    ("/account/sign-in", Page::SignIn),
    ("/account/sign-up", Page::SignUp),
    ("/account/forgot", Page::Forgot),
    ("/account", Page::Other),
];

/// A text as the page writes it inside an element or attribute.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The API's answer for `url` that a page drawn per request carries for the
/// app (`api/src/assets.rs`, `with_data`).
pub fn page_data<'a>(html: &'a str, url: &str) -> &'a str {
    let opening = format!("<script type=\"application/json\" data-url=\"{url}\">");
    html.split_once(&opening)
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .unwrap_or_else(|| panic!("no data for {url} in\n{html}"))
        .0
}

/// The page at `path` for a browser preferring `accept`.
async fn page(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    let response = app
        .client
        .get(format!("{}{path}", app.url))
        .header(header::ACCEPT_LANGUAGE, accept)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response
}

#[tokio::test]
async fn each_index_page_holds_its_first_screen_in_the_visitors_language() {
    let app = TestApp::spawn_with(Setup::default()).await;
    for lang in Lang::ALL {
        let lang = *lang;
        let t = |key: Key| html(key.text(lang));
        for (path, kind) in ROUTES {
            let text = page(&app, path, &format!("{}, en;q=0.5", lang.code()))
                .await
                .text()
                .await
                .expect("html");
            let has = |part: &str| {
                assert!(
                    text.contains(part),
                    "{path} in {lang:?}: no {part} in\n{text}"
                );
            };
            has(&format!(
                "<html lang=\"{}\" dir=\"{}\">",
                lang.code(),
                lang.dir().as_str()
            ));
            has(&format!("<title>{}</title>", html(&kind.title(lang))));
            // The favicon comes with the page, not as a request of its own.
            has("<link rel=\"icon\" href=\"data:image/svg+xml,%3Csvg ");
            has(&format!(
                "<meta name=\"description\" content=\"{}\">",
                t(Key::HomeIntro)
            ));
            has(&format!(
                "<link rel=\"manifest\" href=\"/manifest.{}.webmanifest\">",
                lang.code()
            ));
            has("<meta name=\"theme-color\" content=\"#0b5cad\">");
            has(&format!(
                "<noscript><div class=\"notice notice-error\"><p>{}</p></div></noscript>",
                t(Key::Noscript)
            ));
            // The frame: the desk's name, and the language select on this one.
            has(&format!("</span>{}</a>", t(Key::AppName)));
            has(&format!(
                "<option value=\"{0}\" lang=\"{0}\" selected>",
                lang.code()
            ));
            assert!(!text.contains("shell-spinner"), "{path}: a spinner");
            assert_eq!(
                text.contains("<meta name=\"robots\" content=\"noindex\">"),
                *kind == Page::Private,
                "{path} in {lang:?}: noindex"
            );
            match kind.heading() {
                Some(heading) => has(&format!("<h1>{}</h1>", t(heading))),
                None => assert!(!text.contains("<h1>"), "{path}: a heading"),
            }
            if *kind == Page::NewTicket {
                has(&format!(
                    "<h2 id=\"step-title\" tabindex=\"-1\">{}</h2>",
                    t(Key::WizardChannelTitle)
                ));
            }
            if *kind == Page::Home {
                has(&format!(
                    "<a href=\"/new\" class=\"button primary big\">{}</a>",
                    t(Key::NewTicket)
                ));
                has(&format!("<p class=\"lead\">{}</p>", t(Key::HomeIntro)));
                has(&format!("<li>{}</li>", t(Key::HomeStep3)));
            }
        }
    }
    // The switcher's cookie chooses as it does for the app; the staff
    // console is never indexed.
    let chosen = app
        .client
        .get(format!("{}/", app.url))
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::COOKIE, "pasokh_lang=fa")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(chosen.contains(&format!(
        "<title>{}</title>",
        html(&Page::Home.title(Lang::Fa))
    )));
    let console = page(&app, "/console", "fa")
        .await
        .text()
        .await
        .expect("html");
    assert!(console.contains("<meta name=\"robots\" content=\"noindex\">"));
    // Titled in the staff member's language from the first byte too.
    assert!(
        console.contains(&format!(
            "<title>{}</title>",
            html(ConsoleKey::ConsoleName.text(Lang::Fa))
        )),
        "{console}"
    );
}

#[tokio::test]
async fn the_wizards_page_carries_the_departments_in_the_visitors_language() {
    let app = TestApp::spawn_with(Setup::default()).await;
    for lang in Lang::ALL {
        let html = page(&app, "/new", lang.code())
            .await
            .text()
            .await
            .expect("html");
        let url = format!("/api/departments?lang={}", lang.code());
        let given: serde_json::Value = serde_json::from_str(page_data(&html, &url)).expect("json");
        let asked: serde_json::Value = app
            .client
            .get(format!("{}{url}", app.url))
            .send()
            .await
            .expect("api")
            .json()
            .await
            .expect("json");
        assert!(given.as_array().is_some_and(|list| !list.is_empty()));
        assert_eq!(given, asked, "{lang:?}");
    }
}

#[tokio::test]
async fn robots_txt_and_the_manifest_tell_crawlers_and_phones_what_they_need() {
    let app = TestApp::spawn_with(Setup::default()).await;
    let robots = page(&app, "/robots.txt", "en").await;
    assert_eq!(
        robots.headers()[header::CONTENT_TYPE],
        "text/plain; charset=utf-8"
    );
    let robots = robots.text().await.expect("text");
    let lines: Vec<&str> = robots.lines().collect();
    for line in [
        "User-agent: *",
        "Allow: /",
        "Disallow: /tickets/",
        "Disallow: /link",
        "Disallow: /rate",
        "Disallow: /api/",
        "Disallow: /console",
    ] {
        assert!(lines.contains(&line), "no {line:?} in\n{robots}");
    }

    for lang in Lang::ALL {
        let response = page(&app, "/manifest.webmanifest", lang.code()).await;
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/manifest+json"
        );
        let vary = response.headers()[header::VARY]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            vary.contains("accept-language") && vary.contains("cookie"),
            "{vary}"
        );
        let manifest: serde_json::Value = response.json().await.expect("json");
        assert_eq!(manifest["name"], Key::AppName.text(*lang));
        assert_eq!(manifest["short_name"], Key::AppShortName.text(*lang));
        assert_eq!(manifest["lang"], lang.code());
        assert_eq!(manifest["dir"], lang.dir().as_str());
        assert_eq!(manifest["start_url"], "/");
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["theme_color"], "#0b5cad");
        let icons = manifest["icons"].as_array().expect("icons");
        assert!(
            icons
                .iter()
                .any(|i| i["sizes"] == "512x512" && i["purpose"] == "maskable")
        );
        for icon in icons {
            let size: u32 = icon["sizes"]
                .as_str()
                .and_then(|s| s.split('x').next())
                .and_then(|s| s.parse().ok())
                .expect("WxH");
            let src = icon["src"].as_str().expect("src");
            let png = page(&app, src, "en").await;
            assert_eq!(png.headers()[header::CONTENT_TYPE], "image/png", "{src}");
            let png = png.bytes().await.expect("bytes");
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{src}");
            // IHDR, the first chunk: width and height.
            assert_eq!(png[16..20], size.to_be_bytes(), "{src} width");
            assert_eq!(png[20..24], size.to_be_bytes(), "{src} height");
        }
    }
}

/// In Chromium, once the app runs, its `<main>` says what the static one
/// said (all of it on the home page, the heading first on `/new`): the
/// first screen and the app's page are the same, so nothing jumps. And the
/// icons the manifest names are images Chromium decodes.
#[tokio::test]
async fn the_app_takes_over_the_first_screen_showing_the_same_text() {
    let app = TestApp::spawn_with(Setup::default()).await;
    for (lang, accept) in [(Lang::En, "en-US"), (Lang::Fa, "fa-IR")] {
        let browser = Browser::start(accept).await;
        // What `<main>` says at the moment the shell leaves: the app is
        // built behind it and must be shown whole, in that same task, so no
        // frame shows it half-built.
        browser
            .before_each_page(
                "new MutationObserver((records, observer) => {
                   if (!records.some(r => [...r.removedNodes].some(n => n.classList?.contains('shell')))) return;
                   observer.disconnect();
                   const copy = document.querySelector('main')?.cloneNode(true);
                   copy?.querySelectorAll('noscript').forEach(n => n.remove());
                   window.shownFirst = copy ? copy.textContent.replace(/\\s+/g, ' ').trim() : '';
                 }).observe(document, { childList: true, subtree: true });",
            )
            .await;
        for (path, kind) in [
            ("/", Page::Home),
            ("/new", Page::NewTicket),
            ("/account/sign-in", Page::SignIn),
        ] {
            browser
                .client
                .goto(&format!("{}{path}", app.url))
                .await
                .expect("goto");
            let heading = kind.heading().expect("a heading").text(lang);
            // `wait` finds only the app's elements, not the shell's.
            browser.text("h1", heading).await;
            let texts = browser
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const text = main => {
                       const copy = main.cloneNode(true);
                       copy.querySelectorAll('noscript').forEach(n => n.remove());
                       return copy.textContent.replace(/\\s+/g, ' ').trim();
                     };
                     fetch(location.pathname).then(r => r.text()).then(html => {
                       const shell = new DOMParser().parseFromString(html, 'text/html');
                       done([text(shell.querySelector('main')), text(document.querySelector('main')),
                             document.title, String(document.querySelector('.shell')),
                             String(window.shownFirst)]);
                     });",
                    vec![],
                )
                .await
                .expect("script");
            let texts: Vec<String> = serde_json::from_value(texts).expect("texts");
            let [shell, live, title, left, shown_first] = &texts[..] else {
                panic!("{texts:?}")
            };
            assert_eq!(left, "null", "{path}: the shell stayed");
            assert_eq!(
                shown_first, live,
                "{path} in {lang:?}: shown before it was whole"
            );
            assert_eq!(
                browser.layout_shift().await,
                0.0,
                "{path} in {lang:?} moved"
            );
            assert_eq!(title, &kind.title(lang), "{path}: the title changed");
            // Of the API, these pages ask only who is signed in: the
            // attachment limits wait for a page with an attachment field,
            // and `/new` came with the departments.
            let asked = browser
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const api = () => performance.getEntriesByType('resource')
                       .map(e => new URL(e.name).pathname).filter(p => p.startsWith('/api/'));
                     const check = () => api().includes('/api/account/session')
                       ? done(api().join(' ')) : setTimeout(check, 50);
                     check();",
                    vec![],
                )
                .await
                .expect("script");
            assert_eq!(asked, "/api/account/session", "{path} in {lang:?}");
            if kind == Page::Home {
                assert_eq!(shell, live, "{path} in {lang:?}");
                // Persian text gets Vazirmatn (one file for every weight);
                // an English page, whose picker names Persian, downloads none.
                let fonts = browser
                    .client
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         document.fonts.ready.then(() => done([...document.fonts]
                           .filter(f => f.status === 'loaded')
                           .map(f => f.family.replaceAll('\"', '') + ' ' + f.weight)));",
                        vec![],
                    )
                    .await
                    .expect("script");
                let expected: &[&str] = match lang {
                    Lang::Fa => &["Vazirmatn 400 700"],
                    _ => &[],
                };
                assert_eq!(fonts, serde_json::json!(expected), "{path} in {lang:?}");
            } else {
                assert!(
                    live.starts_with(shell.as_str()),
                    "{path} in {lang:?}: {shell:?} then {live:?}"
                );
            }
        }
        // The manifest's icons decode, at the size it says.
        let icons = browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/manifest.webmanifest').then(r => r.json()).then(m => Promise.all(
                   m.icons.map(icon => new Promise(ok => {
                     const image = new Image();
                     image.onload = () => ok([icon.sizes, image.naturalWidth + 'x' + image.naturalHeight]);
                     image.onerror = () => ok([icon.sizes, 'broken']);
                     image.src = icon.src;
                   })))).then(done);",
                vec![],
            )
            .await
            .expect("icons");
        let icons: Vec<(String, String)> = serde_json::from_value(icons).expect("pairs");
        assert!(!icons.is_empty());
        for (said, decoded) in icons {
            assert_eq!(said, decoded);
        }
    }
}
