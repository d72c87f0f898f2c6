//! The outbox: mail survives a crash before it is sent.

use crate::harness::{Setup, SmtpSink, TestApp, eventually, free_port};

#[tokio::test]
async fn mail_queued_before_a_crash_goes_out_after_the_restart() {
    // The SMTP server is down when the ticket is created.
    let smtp_port = free_port();
    let setup = Setup {
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        ..Setup::default()
    };
    let mut app = TestApp::spawn_with(setup.clone()).await;
    let (reference, _) = app.create_ticket("patient@example.com", &[]).await;
    eventually("a failed delivery attempt", || {
        (app.count("SELECT count(*) FROM outbox WHERE attempts > 0 AND sent_at IS NULL") == 1)
            .then_some(())
    })
    .await;

    // kill -9, then the mail server comes back, then pasokh does.
    app.kill();
    let smtp = SmtpSink::start_on(smtp_port).await;
    let app = app.restart(&setup).await;

    let mails = smtp.wait_for("patient@example.com", 1).await;
    assert!(mails[0].subject.contains(&reference));
    eventually("the outbox to record the delivery", || {
        (app.count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND body_text IS NULL")
            == 1)
            .then_some(())
    })
    .await;
}
