//! Tidy: the rules of ARCHITECTURE.md that a reader of the source can check,
//! checked on every `.rs` file of the workspace (after rust-analyzer's
//! `xtask/src/tidy.rs`). Each failure names the file and line and says how to
//! fix it; all problems of one rule are reported at once.
//!
//! Files are read with the small lexer in `tidy/lex.rs`.

mod lex;

use std::{
    fs,
    path::{Path, PathBuf},
};

use lex::{Literal, collapse_whitespace, contains_word, lex, words};

/// Longest a `.rs` file may be (STYLE.md: "files under 400 lines"). No file
/// is exempt: a longer file is split by what it does.
const MAX_LINES: usize = 400;

/// rusqlite calls that run SQL. Method-call form, so `db.write(..)` and a
/// `Connection` passed through as a parameter do not count.
const SQL_CALLS: &[&str] = &[
    ".prepare(",
    ".prepare_cached(",
    ".execute(",
    ".execute_batch(",
    ".query_row(",
    ".query_map(",
    ".query_and_then(",
    ".pragma_update(",
    ".pragma_query_value(",
    "params!",
    "named_params!",
];

/// SQL statements, recognised inside string literals (case-sensitive, whole
/// words, whitespace collapsed: the way this code base writes SQL).
const SQL_WORDS: &[&str] = &[
    "SELECT ",
    "INSERT INTO ",
    "INSERT OR ",
    "REPLACE INTO ",
    "DELETE FROM ",
    "CREATE TABLE ",
    "CREATE INDEX ",
    "CREATE UNIQUE INDEX ",
    "DROP TABLE ",
    "ALTER TABLE ",
    "PRAGMA ",
    "BEGIN IMMEDIATE",
    "VACUUM",
];

/// Security and caching headers: `api/src/layers.rs` sets them for every
/// response, so what the browser and proxies are told is decided in one place.
const LAYER_HEADERS: &[(&str, &str)] = &[
    ("CONTENT_SECURITY_POLICY", "content-security-policy"),
    ("CACHE_CONTROL", "cache-control"),
    ("CONNECTION", "connection"),
    ("STRICT_TRANSPORT_SECURITY", "strict-transport-security"),
    ("REFERRER_POLICY", "referrer-policy"),
    ("X_FRAME_OPTIONS", "x-frame-options"),
    ("X_CONTENT_TYPE_OPTIONS", "x-content-type-options"),
];

#[test]
fn every_file_opens_with_a_doc_line() {
    let problems = sources()
        .iter()
        .filter(|source| !source.text.starts_with("//!"))
        .map(|source| {
            format!(
                "{}:1: no `//!` line: start the file with `//! <what this file is for>`",
                source.path
            )
        })
        .collect();
    report("files without a `//!` header", problems);
}

#[test]
fn sql_lives_in_the_db_module() {
    let mut problems = Vec::new();
    // Tests and the load bench may use SQL to look into a database.
    let checked = sources().into_iter().filter(|source| {
        !source.path.starts_with("api/src/db/")
            && !source.path.starts_with("tests/")
            && !source.path.starts_with("api/benches/")
    });
    for source in checked {
        let fix = "move it into a function in api/src/db/ (the only place with SQL) and call that";
        for (number, line) in source.code_lines() {
            if let Some(call) = SQL_CALLS.iter().find(|call| line.contains(*call)) {
                problems.push(format!(
                    "{}:{number}: `{call}` runs SQL: {fix}",
                    source.path
                ));
            }
        }
        for literal in &source.strings {
            let text = collapse_whitespace(&literal.text);
            if let Some(word) = SQL_WORDS.iter().find(|word| contains_word(&text, word)) {
                problems.push(format!(
                    "{}:{}: a string with `{}` is SQL: {fix}",
                    source.path,
                    literal.line,
                    word.trim()
                ));
            }
        }
    }
    report("SQL outside api/src/db/", problems);
}

#[test]
fn security_and_caching_headers_live_in_layers() {
    let mut problems = Vec::new();
    let checked = sources()
        .into_iter()
        .filter(|source| source.path.starts_with("api/src/") && source.path != "api/src/layers.rs");
    for source in checked {
        let fix = "set it in api/src/layers.rs, which decides these headers for every response";
        for (number, line) in source.code_lines() {
            for (constant, _) in LAYER_HEADERS {
                if words(line).any(|word| word == *constant) {
                    problems.push(format!("{}:{number}: `{constant}`: {fix}", source.path));
                }
            }
        }
        for literal in &source.strings {
            let text = literal.text.trim().to_ascii_lowercase();
            for (_, name) in LAYER_HEADERS {
                if text == *name || text.starts_with(&format!("{name}:")) {
                    problems.push(format!(
                        "{}:{}: \"{name}\": {fix}",
                        source.path, literal.line
                    ));
                }
            }
        }
    }
    report("headers set outside api/src/layers.rs", problems);
}

#[test]
fn files_stay_short() {
    let problems = sources()
        .iter()
        .filter(|source| source.text.lines().count() > MAX_LINES)
        .map(|source| {
            format!(
                "{}: {} lines, more than {MAX_LINES}: split it into modules by what each part does (a long `mod tests` can move to a `tests.rs` beside it)",
                source.path,
                source.text.lines().count()
            )
        })
        .collect();
    report("files that are too long", problems);
}

/// The wasm the apps are compiled against and the bindgen that
/// `api/build.rs` runs on them must be the same release (wasm-bindgen refuses
/// a mismatch, but only while building the bundles): the exact pins agree.
#[test]
fn wasm_bindgen_pins_agree() {
    let root = root();
    let frontend = pin(&root.join("frontend/Cargo.toml"), "wasm-bindgen");
    let console = pin(&root.join("console/Cargo.toml"), "wasm-bindgen");
    let bindgen = pin(&root.join("api/Cargo.toml"), "wasm-bindgen-cli-support");
    let mut problems = Vec::new();
    for (manifest, dependency, version) in [
        ("frontend/Cargo.toml", "wasm-bindgen", &frontend),
        ("console/Cargo.toml", "wasm-bindgen", &console),
        ("api/Cargo.toml", "wasm-bindgen-cli-support", &bindgen),
    ] {
        if !version.as_deref().is_some_and(|v| v.starts_with('=')) {
            let found = version.as_deref().unwrap_or("missing");
            problems.push(format!(
                "{manifest}: `{dependency}` is \"{found}\": pin it exactly (\"=x.y.z\") so `cargo update` cannot move it alone"
            ));
        }
    }
    if console != frontend {
        let found = |version: &Option<String>| version.clone().unwrap_or_default();
        problems.push(format!(
            "console/Cargo.toml has wasm-bindgen \"{}\" but frontend/Cargo.toml has \"{}\": change both to the same version",
            found(&console),
            found(&frontend)
        ));
    }
    if frontend != bindgen {
        let found = |version: &Option<String>| version.clone().unwrap_or_default();
        problems.push(format!(
            "frontend/Cargo.toml has wasm-bindgen \"{}\" but api/Cargo.toml has wasm-bindgen-cli-support \"{}\": change both to the same version",
            found(&frontend),
            found(&bindgen)
        ));
    }
    report("wasm-bindgen versions", problems);
}

/// Fails the test with every problem, one per line.
fn report(rule: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "tidy: {rule}:\n{}\n",
        problems.join("\n")
    );
}

/// The workspace root: the e2e tests belong to the `api` package.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("api/ has a parent")
        .to_path_buf()
}

/// The version requirement of `dependency` in a manifest, written either as
/// `name = "req"` or `name = { version = "req", .. }`.
fn pin(manifest: &Path, dependency: &str) -> Option<String> {
    let text = fs::read_to_string(manifest).expect("read manifest");
    let line = text.lines().find(|line| {
        line.strip_prefix(dependency)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })?;
    let value = line.split_once('=')?.1;
    let value = match value.split_once("version") {
        Some((_, after)) => after.split_once('=')?.1,
        None => value,
    };
    value.split('"').nth(1).map(str::to_owned)
}

/// One `.rs` file of the workspace.
struct Source {
    /// From the workspace root, `/`-separated.
    path: String,
    text: String,
    /// The text with comments and literal contents blanked (lines kept).
    code: String,
    strings: Vec<Literal>,
}

impl Source {
    /// Code lines with their 1-based numbers.
    fn code_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.code.lines().enumerate().map(|(i, line)| (i + 1, line))
    }
}

/// Every `.rs` file under the workspace root except build outputs and
/// installed packages, sorted so reports are stable.
fn sources() -> Vec<Source> {
    let root = root();
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("read source file");
            let (code, strings) = lex(&text);
            let relative = path.strip_prefix(&root).expect("under the root");
            Source {
                path: relative.to_string_lossy().replace('\\', "/"),
                text,
                code,
                strings,
            }
        })
        .collect()
}

fn collect(dir: &Path, paths: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("folder entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // target/ holds build outputs (generated `assets.rs`, the nested
        // frontend build); dot-folders are .git and tool settings.
        if name.starts_with('.') || ["target", "node_modules", "pasokh-data"].contains(&name) {
            continue;
        }
        if path.is_dir() {
            collect(&path, paths);
        } else if name.ends_with(".rs") {
            paths.push(path);
        }
    }
}
