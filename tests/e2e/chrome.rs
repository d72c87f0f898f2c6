//! Headless Chromium (Debian's) driven through chromedriver with
//! fantoccini, at a phone's width (the staff console: a desktop's, or a
//! tablet's), with the checks every page must pass:
//! language and direction, no horizontal overflow, no Latin in Persian,
//! and the axe-core accessibility rules.

use std::{
    os::unix::process::CommandExt,
    path::PathBuf,
    process::{Command, Stdio},
    time::Duration,
};

use fantoccini::{
    Client, ClientBuilder, Locator, elements::Element, wd::WebDriverCompatibleCommand,
};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use shared::i18n::Lang;

use crate::harness::{Process, free_port, wait_for_port};

/// Phone width: the layout must work at 360 px.
pub const WIDTH: u32 = 360;

/// A headless Chromium session through its own chromedriver process.
pub struct Browser {
    pub client: Client,
    /// The window's width in CSS pixels: no page may be wider.
    width: u32,
    _driver: Driver,
}

/// chromedriver, leading a process group that Chromium joins. Dropped, it
/// ends them all, whether or not the test closed its session: killing
/// chromedriver alone left Chromium's processes running, and busy.
struct Driver(Process);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
    }
}

impl Browser {
    /// A phone-sized Chromium whose preferred language is `accept`.
    pub async fn start(accept: &str) -> Browser {
        Self::start_sized(accept, WIDTH).await
    }

    /// A Chromium `width` CSS pixels wide whose preferred language is `accept`.
    pub async fn start_sized(accept: &str, width: u32) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // A process group of its own, which Chromium joins: `Drop`
            // ends them all.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver (apt-get install chromium-driver)");
        let driver = Driver(Process(driver));
        wait_for_port(port, "chromedriver").await;
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", format!("--lang={accept}"),
                ],
                "prefs": { "intl.accept_languages": accept },
                "mobileEmulation": { "deviceMetrics": { "width": width, "height": 780, "pixelRatio": 1.0 } },
            }
        });
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().expect("object").clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser {
            client,
            width,
            _driver: driver,
        }
    }

    /// Waits for an element of the app once the app is shown: not one of
    /// the static first screen (`div.shell`, api/build/shell.rs), which a
    /// test holding it would find removed, nor one of the app while it is
    /// still built, hidden, behind that shell (frontend/src/start.rs).
    pub async fn wait(&self, xpath: &str) -> Element {
        let of_the_app = format!("({xpath})[not(//div[@class='shell'])]");
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(&of_the_app))
            .await
            .unwrap_or_else(|e| panic!("no element {xpath}: {e}"))
    }

    /// Runs `script` in every page this browser opens from now on, before
    /// the page's own scripts (Chrome DevTools' `Page.addScriptToEvaluate
    /// OnNewDocument`, through chromedriver): for watching a page start.
    pub async fn before_each_page(&self, script: &str) {
        self.client
            .issue_cmd(Cdp(json!({
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": { "source": script },
            })))
            .await
            .expect("Page.addScriptToEvaluateOnNewDocument");
    }

    /// The element whose visible text is exactly `text`.
    pub async fn text(&self, tag: &str, text: &str) -> Element {
        self.wait(&format!(
            "//{tag}[normalize-space()={}]",
            xpath_literal(text)
        ))
        .await
    }

    /// The form control labelled `label`, found through its `<label for>`.
    pub async fn field(&self, label: &str) -> Element {
        let label_element = self.text("label", label).await;
        let id = label_element
            .attr("for")
            .await
            .expect("attr")
            .expect("label has for");
        self.wait(&format!("//*[@id='{id}']")).await
    }

    pub async fn click(&self, tag: &str, text: &str) {
        self.text(tag, text)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {text}: {e}"));
    }

    /// Waits until the element with `id` shows exactly `text`.
    pub async fn expect_text(&self, id: &str, text: &str) {
        self.wait(&format!(
            "//*[@id='{id}' and normalize-space()={}]",
            xpath_literal(text)
        ))
        .await;
    }

    /// Returns a script's result as text.
    pub async fn eval(&self, script: &str) -> String {
        let value = self.client.execute(script, vec![]).await.expect("script");
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned)
    }

    /// The page is laid out in `lang`, fits the window, and (for languages
    /// not written in Latin script) shows no Latin word but `allowed` ones.
    pub async fn check_page(&self, lang: Lang, allowed: &[&str]) {
        let html = self
            .eval("return document.documentElement.lang + ' ' + document.documentElement.dir")
            .await;
        assert_eq!(html, format!("{} {}", lang.code(), lang.dir().as_str()));
        let width: u32 = self
            .eval("return String(document.documentElement.scrollWidth)")
            .await
            .parse()
            .expect("width");
        assert!(
            width <= self.width,
            "the page is {width}px wide in a {}px window",
            self.width
        );
        if lang == Lang::Fa {
            let mut text = self
                .eval("return document.title + '\\n' + document.querySelector('main').innerText")
                .await;
            for word in allowed {
                text = text.replace(word, "");
            }
            let latin: String = text.chars().filter(char::is_ascii_alphabetic).collect();
            assert!(
                latin.is_empty(),
                "Latin letters {latin:?} in the Persian page:\n{text}"
            );
        }
    }

    /// Runs the axe-core checker on the page as it is now: no violation of
    /// WCAG 2.x A/AA rules (labels, names, contrast, landmarks, lang…).
    pub async fn check_accessibility(&self, page: &str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&path)
            .expect("axe-core (scripts/test installs it with npm ci)");
        self.client.execute(&axe, vec![]).await.expect("load axe");
        let violations = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })
                   .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(' | '))));",
                vec![],
            )
            .await
            .expect("run axe");
        let violations: Vec<String> = serde_json::from_value(violations).expect("list");
        assert!(
            violations.is_empty(),
            "accessibility violations on {page}:\n{}",
            violations.join("\n")
        );
    }

    /// Drops a PNG named `name` on the page's drop zone, as a file dragged
    /// from the desktop.
    pub async fn drop_png(&self, name: &str) {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(crate::harness::png());
        self.client
            .execute(
                "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                 const data = new DataTransfer();
                 data.items.add(new File([bytes], arguments[1], { type: 'image/png' }));
                 const zone = document.querySelector('.dropzone');
                 for (const type of ['dragenter', 'dragover', 'drop']) {
                   zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
                 }",
                vec![json!(encoded), json!(name)],
            )
            .await
            .expect("drop a file");
    }

    /// How far the page has moved so far: the sum of its layout shifts
    /// (Lighthouse's CLS for a page nobody scrolls or touches).
    pub async fn layout_shift(&self) -> f64 {
        // Shifts are only reported to observers. Buffered entries reach all
        // observers in one task, in the order they observe: once the paints
        // have arrived, any shift has.
        let shift = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 let shift = 0;
                 new PerformanceObserver(list => list.getEntries().forEach(e => shift += e.value))
                   .observe({type: 'layout-shift', buffered: true});
                 new PerformanceObserver((_, observer) => { observer.disconnect(); done(shift); })
                   .observe({type: 'paint', buffered: true});",
                vec![],
            )
            .await
            .expect("layout shift");
        shift.as_f64().expect("a number")
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/artifacts");
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(name), png).expect("write screenshot");
    }
}

/// A Chrome DevTools command sent through chromedriver's own endpoint.
#[derive(Debug)]
struct Cdp(serde_json::Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// `text` as an XPath string literal.
pub fn xpath_literal(text: &str) -> String {
    if text.contains('\'') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    }
}
