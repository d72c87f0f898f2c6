//! `pasokh backup`, `restore` and `check`: a backup taken while clients
//! create tickets with attachments restores into a new folder, a server
//! started on it has every ticket acknowledged before the backup began
//! with its files, a live folder is never restored over, and `check` finds
//! a deleted file and an orphan.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::{
    harness::{Setup, TestApp, eventually, expect_status, png},
    smtp::SmtpSink,
};

/// Runs `pasokh ARGS` on `data_dir` off the runtime, so the clients keep going.
async fn pasokh(args: &[&str], data_dir: &Path) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let data_dir = data_dir.to_owned();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_pasokh"))
            .env_clear()
            .env("PASOKH_DATA_DIR", data_dir)
            .args(args)
            .output()
            .expect("run pasokh")
    })
    .await
    .expect("join")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A PNG whose bytes say which ticket it belongs to.
fn picture(n: usize) -> Vec<u8> {
    let mut bytes = png();
    bytes.extend(format!("ticket {n}").as_bytes());
    bytes
}

/// Where a ticket's (one) attachment is stored in `app`'s folder.
fn stored_path(app: &TestApp, reference: &str) -> (String, PathBuf) {
    let stored: String = app
        .db()
        .query_row(
            "SELECT u.stored_name FROM uploads u JOIN tickets t ON t.id = u.ticket_id
             WHERE t.reference = ?1",
            [reference],
            |row| row.get(0),
        )
        .unwrap_or_else(|e| panic!("ticket {reference} and its upload: {e}"));
    let path = app.data_dir.join("files").join(&stored[..2]).join(&stored);
    (stored, path)
}

/// Downloads the first attachment of a ticket's first message as `client`.
pub async fn download_first(app: &TestApp, client: &Client, ticket: &Value) -> Response {
    let reference = ticket["reference"].as_str().expect("reference");
    let id = ticket["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("attachment id");
    let path = format!("/tickets/{reference}/attachments/{id}");
    app.get(client, &path).await
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_every_acknowledged_ticket_and_file() {
    let smtp = SmtpSink::start().await;
    let app = Arc::new(TestApp::spawn(&smtp).await);
    let mut confirmed = Vec::new();
    for n in 0..3 {
        let upload = app.upload_ok("photo.png", picture(n)).await;
        let ticket = app
            .open_confirmed_ticket(&smtp, &format!("kept{n}@example.com"), &[upload])
            .await;
        confirmed.push((ticket["reference"].as_str().expect("ref").to_owned(), n));
    }

    // Clients go on creating tickets with attachments during the backup.
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, usize)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let (app, acknowledged, stop) = (app.clone(), acknowledged.clone(), stop.clone());
        async move {
            let client = TestApp::new_client();
            for n in 100.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let upload: Value = expect_status(
                    app.upload(&client, "load.png", picture(n)).await,
                    StatusCode::CREATED,
                )
                .await;
                let body = crate::harness::ticket_body(
                    &format!("load{n}@example.com"),
                    &[upload["id"].as_str().expect("id").to_owned()],
                );
                let created: Value = expect_status(
                    app.post(&client, "/tickets", &body).await,
                    StatusCode::CREATED,
                )
                .await;
                let reference = created["reference"].as_str().expect("ref").to_owned();
                acknowledged.lock().expect("list").push((reference, n));
            }
        }
    });
    eventually("clients to be creating tickets", || {
        (acknowledged.lock().expect("list").len() >= 5).then_some(())
    })
    .await;

    let folder = tempfile::tempdir().expect("temp dir");
    let archive = folder.path().join("desk.tar");
    let before_backup = acknowledged.lock().expect("list").clone();
    let backup = pasokh(
        &["backup", "--to", archive.to_str().expect("utf-8")],
        &app.data_dir,
    )
    .await;
    assert!(backup.status.success(), "{}", said(&backup));
    assert!(said(&backup).contains("Backed up"), "{}", said(&backup));
    eventually("a ticket created after the backup", || {
        (acknowledged.lock().expect("list").len() > before_backup.len()).then_some(())
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("writer");

    // Never over a live folder, nor any folder that holds something.
    let refused = pasokh(
        &["restore", "--from", archive.to_str().expect("utf-8")],
        &app.data_dir,
    )
    .await;
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("is not empty"),
        "{}",
        said(&refused)
    );

    let restored_dir: PathBuf = folder.path().join("restored");
    let restore = pasokh(
        &["restore", "--from", archive.to_str().expect("utf-8")],
        &restored_dir,
    )
    .await;
    assert!(restore.status.success(), "{}", said(&restore));
    let check = pasokh(&["check"], &restored_dir).await;
    assert!(check.status.success(), "{}", said(&check));
    assert!(
        said(&check).contains("Everything is in order"),
        "{}",
        said(&check)
    );

    let restored = TestApp::start(
        &restored_dir,
        &Setup {
            smtp_url: Some(smtp.url()),
            ..Setup::default()
        },
    )
    .await;
    // The customer's browser (its guest cookie) opens its tickets there and
    // downloads the very bytes it attached.
    for (reference, n) in &confirmed {
        let ticket: Value = expect_status(
            restored
                .get(&app.client, &format!("/tickets/{reference}"))
                .await,
            StatusCode::OK,
        )
        .await;
        let download = download_first(&restored, &app.client, &ticket).await;
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.bytes().await.expect("bytes").to_vec(), picture(*n));
    }
    for (reference, n) in &before_backup {
        let (_, path) = stored_path(&restored, reference);
        assert_eq!(
            std::fs::read(path).expect("file"),
            picture(*n),
            "{reference}"
        );
    }

    // `check` names a file deleted by hand and a file nobody names.
    let (stored, path) = stored_path(&restored, &before_backup[0].0);
    std::fs::remove_file(path).expect("rm");
    let orphan = "ff00000000000000000000000000beef";
    std::fs::create_dir_all(restored_dir.join("files/ff")).expect("folder");
    std::fs::write(restored_dir.join("files/ff").join(orphan), b"stray").expect("orphan");
    let check = pasokh(&["check"], &restored_dir).await;
    assert!(!check.status.success(), "{}", said(&check));
    let report = said(&check);
    assert!(
        report.contains("missing files (1)") && report.contains(&stored),
        "{report}"
    );
    assert!(
        report.contains("orphan files") && report.contains(orphan),
        "{report}"
    );
}

#[tokio::test]
async fn a_folder_backup_restores_and_a_damaged_one_is_refused() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn(&smtp).await;
    let upload = app.upload_ok("photo.png", picture(7)).await;
    let ticket = app
        .open_confirmed_ticket(&smtp, "folder@example.com", &[upload])
        .await;
    let folder = tempfile::tempdir().expect("temp dir");
    let copy = folder.path().join("desk-backup");
    let to = copy.to_str().expect("utf-8");
    let backup = pasokh(&["backup", "--to", to], &app.data_dir).await;
    assert!(backup.status.success(), "{}", said(&backup));
    assert!(copy.join("manifest.json").is_file() && copy.join("pasokh.db").is_file());
    let again = pasokh(&["backup", "--to", to], &app.data_dir).await;
    assert!(said(&again).contains("already exists"), "{}", said(&again));

    // One flipped byte in a copied attachment: refused, nothing left behind.
    let (_, original) = stored_path(&app, ticket["reference"].as_str().expect("ref"));
    let relative = original.strip_prefix(&app.data_dir).expect("inside");
    let mut bytes = std::fs::read(copy.join(relative)).expect("copied file");
    bytes[0] ^= 1;
    std::fs::write(copy.join(relative), &bytes).expect("damage");
    let damaged_into = folder.path().join("damaged");
    let refused = pasokh(&["restore", "--from", to], &damaged_into).await;
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("does not match its manifest"),
        "{}",
        said(&refused)
    );
    assert_eq!(std::fs::read_dir(&damaged_into).expect("folder").count(), 0);

    bytes[0] ^= 1;
    std::fs::write(copy.join(relative), &bytes).expect("repair");
    let restored_dir = folder.path().join("restored");
    let restore = pasokh(&["restore", "--from", to], &restored_dir).await;
    assert!(restore.status.success(), "{}", said(&restore));
    let restored = TestApp::start(&restored_dir, &Setup::default()).await;
    let download = download_first(&restored, &app.client, &ticket).await;
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), picture(7));
}
