//! Attachments: limits, hostile names, content sniffing, safe serving.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{Setup, TestApp, expect_status, jpeg, png, ticket_body};
use crate::smtp::SmtpSink;

#[tokio::test]
async fn an_oversize_upload_is_refused_and_nothing_is_kept() {
    let app = TestApp::spawn_with(Setup {
        env: vec![("PASOKH_MAX_FILE_MB", "1".into())],
        ..Setup::default()
    })
    .await;
    let mut big = png();
    big.resize(1024 * 1024 + 1, 0);
    let refused: Value = expect_status(
        app.upload(&app.client, "huge.png", big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(refused["code"], "payload_too_large");
    assert_eq!(
        refused["fields"][0],
        json!({ "field": "attachments", "code": "file_too_large", "max": 1048576 })
    );
    assert!(
        app.stored_files().is_empty(),
        "left behind: {:?}",
        app.stored_files()
    );
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);

    // Without a Content-Length (chunked), the cap applies while streaming,
    // and the partial file is removed.
    let chunks = (0..20).map(|_| Ok::<_, std::io::Error>(vec![0u8; 64 * 1024]));
    let streamed = app
        .client
        .post(app.api("/uploads"))
        .query(&[("name", "stream.png")])
        .header(shared::api::CSRF_HEADER, "1")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await;
    // The server may answer 413 or close the connection before the client
    // has finished sending; either way nothing may be kept.
    if let Ok(response) = streamed {
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    crate::harness::eventually("the partial upload to be removed", || {
        app.stored_files().is_empty().then_some(())
    })
    .await;
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);

    // The limit is the limit: one byte less is fine.
    let mut fits = png();
    fits.resize(1024 * 1024, 0);
    app.upload_ok("fits.png", fits).await;
    assert_eq!(app.stored_files().len(), 1);
}

#[tokio::test]
async fn too_many_files_or_too_much_in_all_is_refused_with_the_field_named() {
    let app = TestApp::spawn_with(Setup {
        env: vec![
            ("PASOKH_MAX_FILES", "2".into()),
            ("PASOKH_MAX_TOTAL_MB", "1".into()),
        ],
        ..Setup::default()
    })
    .await;
    let mut ids = Vec::new();
    for name in ["a.png", "b.png", "c.png"] {
        ids.push(app.upload_ok(name, png()).await);
    }
    let refused: Value = expect_status(
        app.post(
            &app.client,
            "/tickets",
            &ticket_body("many@example.com", &ids),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        refused["fields"][0],
        json!({ "field": "attachments", "code": "too_many_files", "max": 2 })
    );
    assert_eq!(
        app.count("SELECT count(*) FROM tickets"),
        0,
        "nothing half-created"
    );

    let mut half = png();
    half.resize(600 * 1024, 0);
    let big = vec![
        app.upload_ok("big1.png", half.clone()).await,
        app.upload_ok("big2.png", half).await,
    ];
    let refused: Value = expect_status(
        app.post(
            &app.client,
            "/tickets",
            &ticket_body("total@example.com", &big),
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(refused["fields"][0]["code"], "total_too_large");
    assert_eq!(
        app.count("SELECT count(*) FROM uploads WHERE ticket_id IS NOT NULL"),
        0
    );
}

#[tokio::test]
async fn hostile_file_names_are_stored_under_generated_names_and_served_escaped() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;

    let traversal = app
        .upload_ok("../../etc/passwd.txt", b"root:x:0:0\n".to_vec())
        .await;
    let script = app.upload_ok("\"><svg onload=alert(1)>.jpg", jpeg()).await;
    let rtl = app.upload_ok("invoice\u{202E}gnp.png", png()).await;
    // No extension, no entry: refused before anything is written.
    let bare = app
        .upload(&app.client, "../../etc/passwd", b"root".to_vec())
        .await;
    assert_eq!(bare.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let ticket = app
        .open_confirmed_ticket(&smtp, "names@example.com", &[traversal, script, rtl])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");
    let files = ticket["messages"][0]["attachments"]
        .as_array()
        .expect("attachments")
        .clone();
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "passwd.txt",
            "\"><svg onload=alert(1)>.jpg",
            "invoicegnp.png"
        ]
    );

    // On disk only random hex names, all inside the data folder.
    for path in app.stored_files() {
        assert!(path.starts_with(app.data_dir.join("files")), "{path:?}");
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(
            name.len() == 32 && name.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
    }
    assert!(!std::path::Path::new("/etc/passwd.txt").exists());

    let script_file = &files[1];
    let response = app
        .get(
            &app.client,
            &format!(
                "/tickets/{reference}/attachments/{}",
                script_file["id"].as_str().expect("id")
            ),
        )
        .await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        !disposition.contains('<') && !disposition.contains("\"><"),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''%22%3E%3Csvg"),
        "{disposition}"
    );
}

#[tokio::test]
async fn svg_and_html_are_never_served_inline() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let html = b"<!doctype html><script>alert(document.cookie)</script>".to_vec();
    for (name, bytes) in [
        ("logo.svg", svg),
        ("page.html", html.clone()),
        ("fake.png", html.clone()),
    ] {
        let refused: Value = expect_status(
            app.upload(&app.client, name, bytes).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        )
        .await;
        assert_eq!(refused["code"], "unsupported_file_type", "{name}");
    }
    assert!(app.stored_files().is_empty());

    // HTML inside a .txt is text: stored, and served as a plain-text download.
    let text = app.upload_ok("notes.txt", html).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "inline@example.com", &[text])
        .await;
    let reference = ticket["reference"].as_str().expect("reference");
    let id = ticket["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("id");
    let response = app
        .get(
            &app.client,
            &format!("/tickets/{reference}/attachments/{id}"),
        )
        .await;
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains("sandbox")
    );
}

#[tokio::test]
async fn unconfirmed_tickets_and_their_files_are_purged_after_24_hours() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let upload = app.upload_ok("proof.png", png()).await;
    let (_reference, _) = app.create_ticket("ghost@example.com", &[upload]).await;
    let token = smtp.wait_for("ghost@example.com", 1).await[0].link_token();
    let (kept, _) = app.create_ticket("kept@example.com", &[]).await;
    assert_eq!(app.stored_files().len(), 1);

    // A day passes for the first ticket; the purge runs at start-up.
    app.db()
        .execute(
            "UPDATE tickets SET created_at = created_at - 90000 WHERE email = 'ghost@example.com'",
            [],
        )
        .expect("age ticket");
    let setup = Setup {
        smtp_url: Some(smtp.url()),
        ..Setup::default()
    };
    let app = app.restart(&setup).await;
    crate::harness::eventually("the purge", || {
        (app.count("SELECT count(*) FROM tickets") == 1).then_some(())
    })
    .await;
    crate::harness::eventually("the file to go", || {
        app.stored_files().is_empty().then_some(())
    })
    .await;
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
    let left: String = app
        .db()
        .query_row("SELECT reference FROM tickets", [], |r| r.get(0))
        .expect("one left");
    assert_eq!(left, kept);

    let late: Value = expect_status(app.redeem(&app.client, &token).await, StatusCode::GONE).await;
    assert_eq!(late["code"], "link_expired");
}
