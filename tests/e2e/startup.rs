//! Start-up failures: the operator reads one sentence that says what is
//! wrong, where, and what to change — not a debug dump.

use std::process::Command;

/// Runs `pasokh` with `data_dir` until it gives up; returns its stderr.
fn start_failure(data_dir: &std::path::Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pasokh"))
        .env_clear()
        .env("PASOKH_LISTEN", "127.0.0.1:0")
        .env("PASOKH_DATA_DIR", data_dir)
        .output()
        .expect("run pasokh");
    assert!(!output.status.success(), "pasokh started anyway");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unusable_data_folder_is_explained() {
    let temp = tempfile::tempdir().expect("temp dir");

    // The database path is taken by a folder.
    let data = temp.path().join("data");
    std::fs::create_dir_all(data.join("pasokh.db")).expect("folder in the way");
    let message = start_failure(&data);
    assert!(
        message.contains("cannot open the database")
            && message.contains(&data.join("pasokh.db").display().to_string())
            && message.contains("PASOKH_DATA_DIR"),
        "{message}"
    );
    assert!(!message.contains("Internal("), "{message}");

    // The data folder cannot be created: a file stands where its parent should be.
    let blocker = temp.path().join("file");
    std::fs::write(&blocker, b"not a folder").expect("file");
    let message = start_failure(&blocker.join("data"));
    assert!(
        message.contains("cannot create the data folder") && message.contains("PASOKH_DATA_DIR"),
        "{message}"
    );
}
