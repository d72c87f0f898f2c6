//! Replies by email through the real `pasokh mail ingest`, against a running
//! server's data folder: the corpus in `tests/mail-corpus/` (each message's
//! exit code and the text that lands, counted and printed), and the whole
//! loop — an agent answers, the mail reaches the SMTP sink, the customer
//! replies to its `Reply-To` with the quote, and only the new text shows in
//! the console, with the ticket open again.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::console_kit::{Desk, read_events_until, ticket};
use crate::harness::{TestApp, expect_status};
use crate::smtp::Mail;

/// Must agree with `shared::limits::INBOUND_EMAIL_MAX_BYTES`.
const OVERSIZE: usize = 36 * 1024 * 1024 + 1;

/// Pipes `raw` into `pasokh mail ingest`; returns its exit code and stderr.
pub fn ingest(app: &TestApp, raw: Vec<u8>) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env_clear()
        .env("PASOKH_DATA_DIR", &app.data_dir)
        .env("PASOKH_PUBLIC_URL", &app.url)
        .env("PASOKH_MAIL_FROM", "Support <support@desk.test>")
        .args(["mail", "ingest"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pasokh mail ingest");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&raw);
    });
    let output = child.wait_with_output().expect("ingest output");
    writer.join().expect("writer");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub async fn staff_view(app: &TestApp, staff: &Client, reference: &str) -> Value {
    expect_status(
        app.get(staff, &format!("/console/tickets/{reference}"))
            .await,
        StatusCode::OK,
    )
    .await
}

/// The address part of a header such as `Reply-To: <a@b>`.
pub fn bare(header: &str) -> String {
    let header = header.trim();
    match (header.rfind('<'), header.rfind('>')) {
        (Some(start), Some(end)) if start < end => header[start + 1..end].to_owned(),
        _ => header.to_owned(),
    }
}

/// What a reply to a ticket mail needs: its `Reply-To` address and its
/// `Message-ID` (for `In-Reply-To`).
pub fn thread(mail: &Mail) -> (String, String) {
    let reply_to = bare(mail.header("Reply-To").expect("Reply-To"));
    let message_id = mail.header("Message-ID").expect("Message-ID").trim();
    (reply_to, message_id.to_owned())
}

fn fill(template: &[u8], pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut text = template.to_vec();
    for (name, value) in pairs {
        let needle = name.as_bytes();
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            if text[i..].starts_with(needle) {
                out.extend_from_slice(value.as_bytes());
                i += needle.len();
            } else {
                out.push(text[i]);
                i += 1;
            }
        }
        text = out;
    }
    text
}

/// One corpus entry's `.expected`: `exit:`, `posted:`, `attachments:`, then
/// `---` and the text that must land.
struct Expected {
    exit: i32,
    posted: bool,
    attachments: Option<usize>,
    text: String,
}

fn expected(path: &Path, pairs: &[(&str, &str)]) -> Expected {
    let raw = std::fs::read(path).expect("expected file");
    let raw = String::from_utf8(fill(&raw, pairs)).expect("utf-8");
    let (head, text) = raw.split_once("---\n").expect("--- in the .expected file");
    let field = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .map(str::trim)
    };
    Expected {
        exit: field("exit").and_then(|v| v.parse().ok()).expect("exit"),
        posted: field("posted") == Some("yes"),
        attachments: field("attachments").and_then(|v| v.parse().ok()),
        text: text.trim_end().to_owned(),
    }
}

fn corpus() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/mail-corpus");
    let mut emails: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("tests/mail-corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    emails.sort();
    emails
}

#[tokio::test]
async fn every_corpus_message_gets_its_outcome_and_its_new_text() {
    let desk = Desk::start().await;
    let app = &desk.app;
    let customer = "layla@example.com";
    let reference = ticket(&desk, customer, "en").await;
    let (reply_to, message_id) = thread(&desk.smtp.wait_for(customer, 1).await[0]);
    let padding = "x".repeat(OVERSIZE);
    let pairs = [
        ("{{REPLY_TO}}", reply_to.as_str()),
        ("{{REFERENCE}}", reference.as_str()),
        ("{{MESSAGE_ID}}", message_id.as_str()),
        ("{{CUSTOMER}}", customer),
        ("{{OVERSIZE_PADDING}}", padding.as_str()),
    ];

    let (mut exact, mut problems, emails) = (0, Vec::new(), corpus());
    for email in &emails {
        let name = email
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let want = expected(&email.with_extension("expected"), &pairs);
        let before = staff_view(app, &desk.admin, &reference).await["messages"]
            .as_array()
            .map_or(0, Vec::len);
        let (code, said) = ingest(app, fill(&std::fs::read(email).expect("eml"), &pairs));
        let view = staff_view(app, &desk.admin, &reference).await;
        let messages = view["messages"].as_array().expect("messages");
        if code != want.exit {
            problems.push(format!(
                "{name}: exit {code}, expected {}: {said}",
                want.exit
            ));
        }
        if !want.posted {
            if messages.len() != before {
                problems.push(format!("{name}: posted, but should not be"));
            } else {
                exact += 1;
            }
            continue;
        }
        let last = &messages[messages.len() - 1];
        if messages.len() != before + 1 || last["by_email"] != true {
            problems.push(format!("{name}: nothing posted by email ({said})"));
            continue;
        }
        let files = last["attachments"].as_array().map_or(0, Vec::len);
        if want.attachments.is_some_and(|n| n != files) {
            problems.push(format!(
                "{name}: {files} attachments, expected {:?}",
                want.attachments
            ));
        }
        if last["body"] == want.text.as_str() {
            exact += 1;
        } else {
            problems.push(format!(
                "{name}: text {:?}, expected {:?}",
                last["body"], want.text
            ));
        }
    }
    println!(
        "mail corpus: {exact} of {} messages give exactly the expected outcome and text",
        emails.len()
    );
    assert!(problems.is_empty(), "{problems:#?}");

    // Machines' mail is in the history and answered by nobody.
    let view = staff_view(app, &desk.admin, &reference).await;
    let ignored = view["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "email_ignored")
        .count();
    assert_eq!(ignored, 4, "auto-replies, the bounce and the bulk mail");
    assert_eq!(view["status"], "open");
    let to_customer = app.count(&format!(
        "SELECT count(*) FROM outbox WHERE to_addr = '{customer}'"
    ));
    assert_eq!(
        to_customer, 1,
        "only the confirmation ever went to the customer"
    );
}

#[tokio::test]
async fn a_reply_to_an_agent_answer_reopens_the_ticket_with_only_the_new_text() {
    let desk = Desk::start().await;
    let app = &desk.app;
    let (agent_id, tina) = desk
        .agent("tech@desk.test", "Tina Tech", &["technical"])
        .await;
    let customer = "sara@example.com";
    let reference = ticket(&desk, customer, "en").await;
    let ticket_path = format!("/console/tickets/{reference}");
    let seen: Value = expect_status(
        app.post(&tina, &ticket_path, &json!({ "assignee": agent_id }))
            .await,
        StatusCode::OK,
    )
    .await;
    let first = seen["messages"][0]["id"].as_i64().expect("id");
    expect_status::<Value>(
        app.post(
            &tina,
            &format!("{ticket_path}/messages"),
            &json!({ "body": "Please restart the app and try again.", "internal": false, "seen_message": first }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        staff_view(app, &tina, &reference).await["status"],
        "answered"
    );

    // The answer is a thread the customer can reply to.
    let mails = desk.smtp.wait_for(customer, 2).await;
    let (confirmation, answer) = (&mails[0], &mails[1]);
    assert!(
        answer.subject.ends_with(&format!("[#{reference}]")),
        "{}",
        answer.subject
    );
    let reply_to = bare(answer.header("Reply-To").expect("Reply-To"));
    assert!(
        reply_to.starts_with(&format!("support+{reference}.")),
        "{reply_to}"
    );
    assert!(reply_to.ends_with("@desk.test"), "{reply_to}");
    let answer_id = answer
        .header("Message-ID")
        .expect("Message-ID")
        .trim()
        .to_owned();
    assert_eq!(
        answer.header("In-Reply-To").map(str::trim),
        confirmation.header("Message-ID").map(str::trim)
    );

    // The customer answers from a mail app, quoting the whole answer.
    let events = tina
        .get(app.api("/console/events"))
        .send()
        .await
        .expect("events");
    let quoted: String = answer.text.lines().map(|l| format!("> {l}\n")).collect();
    let raw = format!(
        "From: Sara <{customer}>\nTo: Support <{reply_to}>\nSubject: Re: {}\nMessage-ID: <sara-1@example.com>\nIn-Reply-To: {answer_id}\nReferences: {answer_id}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nIt works after the restart, thank you!\n\nOn Wed, Nov 25, 2026 at 10:00 AM Support <{reply_to}> wrote:\n{quoted}",
        answer.subject
    );
    let (code, said) = ingest(app, raw.clone().into_bytes());
    assert_eq!(code, 0, "{said}");

    read_events_until(events, "customer_replied").await;
    let view = staff_view(app, &tina, &reference).await;
    assert_eq!(view["status"], "open");
    let last = view["messages"]
        .as_array()
        .and_then(|m| m.last())
        .expect("a message");
    assert_eq!(last["body"], "It works after the restart, thank you!");
    assert_eq!(last["author"], "customer");
    assert_eq!(last["by_email"], true);
    let original = last["email_original"]
        .as_str()
        .expect("the whole email for agents");
    assert!(original.contains("> Please restart the app"), "{original}");
    // Tina, the assignee, is told (after her invitation).
    desk.smtp.wait_for("tech@desk.test", 2).await;

    // The MTA delivering the same email again posts nothing twice.
    let (code, said) = ingest(app, raw.into_bytes());
    assert_eq!((code, said.contains("already posted")), (0, true), "{said}");
    let again = staff_view(app, &tina, &reference).await;
    assert_eq!(
        again["messages"].as_array().map(Vec::len),
        view["messages"].as_array().map(Vec::len)
    );
}
