//! A ticket's page arrives with the ticket in it, for its customer only:
//! the server draws the facts and the conversation (everything written
//! escaped) and hands the app the API's answer, compressed for a browser
//! that accepts it, so that in Chromium the app takes over without asking
//! for the ticket and without moving anything.

use reqwest::{Client, StatusCode, header};
use serde_json::Value;
use shared::i18n::{Key, Lang};

use crate::{
    chrome::Browser,
    first_load::page_data,
    harness::{TestApp, expect_status},
    smtp::SmtpSink,
};

/// What a customer wrote that would run as a script if put into the page
/// unescaped, in the element or out of the data's script element.
const HOSTILE: &str = "It broke </script><script>alert(1)</script> & <b onclick=\"x()\">this</b>";

/// A confirmed ticket whose description is `HOSTILE`, redeemed in `client`;
/// returns its reference.
async fn hostile_ticket(app: &TestApp, smtp: &SmtpSink, client: &Client, email: &str) -> String {
    described_ticket(app, smtp, client, email, HOSTILE).await
}

/// A confirmed ticket with `description`, redeemed in `client`; returns its
/// reference.
async fn described_ticket(
    app: &TestApp,
    smtp: &SmtpSink,
    client: &Client,
    email: &str,
    description: &str,
) -> String {
    let mut body = crate::harness::ticket_body(email, &[]);
    body["description"] = description.into();
    let created: Value = expect_status(
        app.post(client, "/tickets", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let token = smtp.wait_for(email, 1).await[0].link_token();
    expect_status::<Value>(app.redeem(client, &token).await, StatusCode::OK).await;
    created["reference"].as_str().expect("reference").to_owned()
}

async fn page_text(app: &TestApp, client: &Client, path: &str) -> (String, String) {
    let response = client
        .get(format!("{}{path}", app.url))
        .header(header::ACCEPT_LANGUAGE, "fa")
        .send()
        .await
        .expect("page");
    assert_eq!(response.status(), StatusCode::OK);
    let caching = response.headers()[header::CACHE_CONTROL]
        .to_str()
        .expect("ascii")
        .to_owned();
    (caching, response.text().await.expect("html"))
}

#[tokio::test]
async fn a_tickets_page_holds_the_ticket_for_its_customer_and_nobody_else() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let customer = TestApp::new_client();
    let reference = hostile_ticket(&app, &smtp, &customer, "first@example.com").await;
    let path = format!("/tickets/{reference}");

    let (caching, html) = page_text(&app, &customer, &path).await;
    assert_eq!(caching, "no-store", "one person's page must not be cached");
    for part in [
        "<section class=\"ticket\">",
        &format!(
            "<bdi class=\"reference\">{}</bdi>",
            Lang::Fa.digits(&reference)
        ),
        "<p class=\"subject\"><bdi>Withdrawal not received</bdi></p>",
        Key::TicketConversation.text(Lang::Fa),
        // The description, as text.
        "It broke &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; \
         &lt;b onclick=&quot;x()&quot;&gt;this&lt;/b&gt;",
    ] {
        assert!(html.contains(part), "no {part} in\n{html}");
    }
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(!html.contains("<b onclick"), "{html}");

    // The data the app takes is the API's answer for the same URL, and no
    // `<` in it can end its script element.
    let url = format!("/api/tickets/{reference}?lang=fa");
    let data = page_data(&html, &url);
    assert!(!data.contains('<'), "{data}");
    let given: Value = serde_json::from_str(data).expect("json");
    let asked: Value = expect_status(
        customer
            .get(format!("{}{url}", app.url))
            .send()
            .await
            .expect("api"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(given, asked);

    // A browser without the session, and another customer with their own
    // ticket, get the page without any of it.
    let stranger = TestApp::new_client();
    let other = TestApp::new_client();
    hostile_ticket(&app, &smtp, &other, "second@example.com").await;
    for client in [&stranger, &other] {
        let (_, html) = page_text(&app, client, &path).await;
        assert!(!html.contains("Withdrawal not received"), "{html}");
        assert!(!html.contains("data-url"), "{html}");
        assert!(html.contains("<html lang=\"fa\""), "{html}");
    }
}

#[tokio::test]
async fn a_tickets_page_and_its_api_answer_come_compressed_to_those_who_accept_it() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let customer = TestApp::new_client();
    let long = "The withdrawal of 120 EUR has not arrived. ".repeat(60);
    let reference = described_ticket(&app, &smtp, &customer, "long@example.com", &long).await;
    for path in [
        format!("/tickets/{reference}"),
        format!("/api/tickets/{reference}?lang=en"),
    ] {
        let get = |encoding: &'static str| {
            customer
                .get(format!("{}{path}", app.url))
                .header(header::ACCEPT_ENCODING, encoding)
                .send()
        };
        let plain = get("identity").await.expect("plain");
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let plain = plain.bytes().await.expect("body");
        assert!(plain.len() > 2_500, "{path}: {} B", plain.len());
        let packed = get("br, gzip").await.expect("compressed");
        assert_eq!(packed.headers()[header::CONTENT_ENCODING], "br", "{path}");
        let packed = packed.bytes().await.expect("body");
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut &packed[..], &mut unpacked).expect("valid brotli");
        assert_eq!(unpacked, plain, "{path}");
        assert!(
            packed.len() * 3 < plain.len(),
            "{path}: {} of {} B",
            packed.len(),
            plain.len()
        );
    }
}

#[tokio::test]
async fn the_app_takes_over_a_tickets_page_without_asking_or_moving() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    for (lang, accept) in [(Lang::En, "en-US"), (Lang::Fa, "fa-IR")] {
        let email = format!("takeover-{}@example.com", lang.code());
        let (reference, _) = app.create_ticket(&email, &[]).await;
        let link = smtp.wait_for(&email, 1).await.remove(0).link();
        let browser = Browser::start(accept).await;
        let b = &browser;
        // The emailed link grants this browser the ticket; then the page
        // is loaded as it is from a bookmark or the next email.
        b.client.goto(&link).await.expect("open the link");
        b.wait("//textarea[@id='reply-body']").await;
        b.client
            .goto(&format!("{}/tickets/{reference}", app.url))
            .await
            .expect("reload");
        b.wait("//textarea[@id='reply-body']").await;
        let seen = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const text = main => main.querySelector('.conversation').textContent
                   .replace(/\\s+/g, ' ').trim();
                 const asked = performance.getEntriesByType('resource')
                   .map(e => new URL(e.name).pathname).filter(p => p.startsWith('/api/tickets/'));
                 fetch(location.pathname).then(r => r.text()).then(html => {
                   const shell = new DOMParser().parseFromString(html, 'text/html');
                   done([text(shell.querySelector('main')), text(document.querySelector('main')),
                         asked.join(' '), document.querySelector('h1').textContent]);
                 });",
                vec![],
            )
            .await
            .expect("script");
        let seen: Vec<String> = serde_json::from_value(seen).expect("texts");
        let [shell, live, asked, heading] = &seen[..] else {
            panic!("{seen:?}")
        };
        assert!(
            shell.contains("I withdrew 120 EUR"),
            "{lang:?}: the page came without the conversation: {shell:?}"
        );
        assert!(live.contains("I withdrew 120 EUR"), "{lang:?}: {live:?}");
        assert!(heading.contains(&lang.digits(&reference)), "{heading:?}");
        assert_eq!(asked, "", "{lang:?}: the app asked for the ticket again");
        assert_eq!(
            b.layout_shift().await,
            0.0,
            "{lang:?}: the page moved as the app took over"
        );
    }
}
