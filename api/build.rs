//! Builds the browser bundles and embeds them: compiles `frontend` (the
//! customer portal) and `console` (the staff console) to wasm32 with a
//! nested cargo, runs wasm-bindgen as a library (no CLI to install), names
//! every asset after a hash of its content, writes each app's index pages per
//! language (the customer's with their first screen: `build/shell.rs`), the
//! robots.txt, manifests and icons (`build/install.rs`), pre-compresses
//! everything with brotli and gzip, and writes `assets.rs`, a table
//! `src/assets.rs` includes.
//!
//! `PASOKH_SKIP_WASM=1` writes placeholder bundles instead, for fast
//! server-only `cargo check`/`clippy` loops. The bundle-size test fails on a
//! placeholder binary, so it can never be shipped or tested by accident.

use std::{
    env,
    error::Error,
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use sha2::{Digest, Sha256};
use shared::{
    i18n::{ConsoleKey, Lang},
    pages::Page,
};

/// Writing the assets table with the pre-compressed variants.
#[path = "build/embed.rs"]
mod embed;
/// robots.txt, the web app manifests and their icons.
#[path = "build/install.rs"]
mod install;
/// The index pages' language and first screen.
#[path = "build/shell.rs"]
mod shell;

#[path = "build/start.rs"]
mod start;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";

struct Asset {
    path: String,
    content_type: &'static str,
    immutable: bool,
    bytes: Vec<u8>,
}

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// A build script reports failure on stderr and with its exit status; Cargo
/// shows that output when the build fails.
fn main() -> ExitCode {
    match build() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A web app built into the binary: its crate, where its index pages are
/// served, its page template and the stylesheets it loads.
struct App {
    /// The crate (and the stem of the bindgen output).
    name: &'static str,
    /// `/index.<lang>.html` for the customer, `/console/index.<lang>.html`.
    index_prefix: &'static str,
    /// Relative to the workspace root.
    template: &'static str,
    /// Stylesheets relative to the workspace root, in the order they load.
    styles: &'static [&'static str],
    /// Its index pages per language (`Page::Home` is `index.<lang>.html`).
    pages: &'static [Page],
    /// An index page's `<title>`, until the app sets its page's own.
    title: fn(Page, Lang) -> String,
}

/// The customer portal and the staff console: two crates, two bundles, so
/// that the customer's first load holds no console code (ARCHITECTURE.md).
const APPS: [App; 2] = [
    App {
        name: "frontend",
        index_prefix: "",
        template: "static/index.html",
        styles: &["static/style.css"],
        pages: &Page::ALL,
        title: Page::title,
    },
    App {
        name: "console",
        index_prefix: "/console",
        template: "console/static/index.html",
        styles: &["static/style.css", "console/static/console.css"],
        pages: &[Page::Home],
        title: |_, lang| ConsoleKey::ConsoleName.text(lang).to_owned(),
    },
];

fn build() -> Result<()> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest
        .parent()
        .ok_or("api/ has no parent folder")?
        .to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR")?);
    for watched in [
        "frontend",
        "console",
        "shared",
        "static",
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=PASOKH_SKIP_WASM");

    let skip = env::var("PASOKH_SKIP_WASM").is_ok_and(|v| v == "1");
    if skip {
        println!(
            "cargo:warning=PASOKH_SKIP_WASM=1: embedding placeholders instead of the web apps"
        );
    } else {
        compile_wasm(&root)?;
    }

    let mut assets = Vec::new();
    for app in &APPS {
        let (js, wasm) = if skip {
            let placeholder = format!("/* placeholder for {}: PASOKH_SKIP_WASM=1 */", app.name);
            (placeholder.into_bytes(), None)
        } else {
            let (js, wasm) = bindgen(&root, &out, app.name)?;
            (js, Some(wasm))
        };
        bundle(&root, app, js, wasm, &mut assets)?;
    }
    static_files(&root.join("static"), &mut assets)?;
    install::assets(&mut assets)?;
    embed::write_table(&out, &assets)
}

/// One app's assets: wasm, JS glue (which starts the app), stylesheets and
/// its index pages per language (so the frame paints in the right direction, and
/// screen readers know the language, before the wasm starts).
fn bundle(
    root: &Path,
    app: &App,
    mut js: Vec<u8>,
    wasm: Option<Vec<u8>>,
    assets: &mut Vec<Asset>,
) -> Result<()> {
    if let Some(wasm) = wasm {
        let wasm_path = hashed(&format!("{}_bg", app.name), "wasm", &wasm);
        js.extend_from_slice(start::after_first_paint(&js, &wasm_path)?.as_bytes());
        add(assets, wasm_path, "application/wasm", true, wasm);
    }
    let js_path = hashed(app.name, "js", &js);
    add(assets, js_path.clone(), JS, true, js);

    let mut links = Vec::new();
    for style in app.styles {
        let css = read(&root.join(style))?;
        let stem = Path::new(style)
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{style}: not a file name"))?;
        let css_path = hashed(stem, "css", &css);
        links.push(format!("<link rel=\"stylesheet\" href=\"{css_path}\">"));
        add(assets, css_path, "text/css; charset=utf-8", true, css);
    }
    let index = String::from_utf8(read(&root.join(app.template))?)?
        .replace("{{styles}}", &links.join("\n"))
        .replace("{{script}}", &js_path);
    for lang in Lang::ALL {
        for page in app.pages {
            add(
                assets,
                format!("{}{}", app.index_prefix, page.file(*lang)),
                "text/html; charset=utf-8",
                false,
                shell::index_page(&index, *page, *lang, &(app.title)(*page, *lang)).into_bytes(),
            );
        }
    }
    Ok(())
}

const JS: &str = "text/javascript; charset=utf-8";

/// Static files other than the templates and stylesheets keep their names
/// under /static/; fonts and icons change rarely and are cached for a day.
fn static_files(static_dir: &Path, assets: &mut Vec<Asset>) -> Result<()> {
    let entries =
        fs::read_dir(static_dir).map_err(|e| format!("reading {}: {e}", static_dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("{}: the file name is not UTF-8", path.display()))?
            .to_owned();
        if path.is_dir() || name == "index.html" || name == "style.css" {
            continue;
        }
        let content_type = match path.extension().and_then(|e| e.to_str()) {
            Some("svg") => "image/svg+xml",
            Some("woff2") => "font/woff2",
            Some("png") => "image/png",
            Some("txt") => "text/plain; charset=utf-8",
            Some("webmanifest") => "application/manifest+json",
            other => {
                return Err(format!(
                    "static/{name}: add a content type for {other:?} in api/build.rs"
                )
                .into());
            }
        };
        let bytes = read(&path)?;
        add(
            assets,
            format!("/static/{name}"),
            content_type,
            false,
            bytes,
        );
    }
    Ok(())
}

/// `fs::read` with the path in the error.
fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()).into())
}

/// `fs::write` with the path in the error.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()).into())
}

/// Adds one asset; a stylesheet both apps load is added once.
fn add(
    assets: &mut Vec<Asset>,
    path: String,
    content_type: &'static str,
    immutable: bool,
    bytes: Vec<u8>,
) {
    if assets.iter().any(|a| a.path == path) {
        return;
    }
    assets.push(Asset {
        path,
        content_type,
        immutable,
        bytes,
    });
}

/// `/assets/<stem>-<first 12 hex digits of sha256>.<ext>`: safe to cache forever.
fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("/assets/{stem}-{hex}.{ext}")
}

/// Compiles both apps for wasm32 in one nested cargo, so that the crates
/// they share are compiled once. (Cargo unifies features across the two:
/// `shared` gets `console` in the customer's build too, but nothing there
/// calls the console's texts, so the linker drops them — tests/e2e/bundle.rs
/// checks that the customer's wasm holds none.)
fn compile_wasm(root: &Path) -> Result<()> {
    ensure_wasm_target()?;
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).arg("build");
    for app in &APPS {
        command.args(["-p", app.name]);
    }
    command
        .args([
            "--target",
            WASM_TARGET,
            "--profile",
            PROFILE,
            // Cargo does not tell a build script whether the outer build got
            // `--locked`, `--offline` or `--frozen` (only `CARGO_*` variables
            // are passed; rust-lang/cargo#11074). `--locked` is always right
            // here: the outer cargo has already resolved the whole workspace,
            // both apps included, into the committed Cargo.lock, so this can
            // only fail if something rewrote the lock file in between.
            // Offline builds: `CARGO_NET_OFFLINE=true` or `net.offline` in a
            // config file reach this cargo too (same environment, same folder).
            "--locked",
        ])
        .arg("--target-dir")
        .arg(wasm_target_dir(root));
    // The host's flags and target must not leak into the wasm build.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        command.env_remove(var);
    }
    let status = command
        .status()
        .map_err(|e| format!("running cargo for the web apps: {e}"))?;
    if !status.success() {
        return Err(format!("building the web apps for {WASM_TARGET} failed (see above)").into());
    }
    Ok(())
}

/// Its own target dir: sharing the outer one deadlocks on the build lock.
fn wasm_target_dir(root: &Path) -> PathBuf {
    root.join("target").join("frontend")
}

/// Runs wasm-bindgen on one app's wasm: its JS glue and its final wasm.
fn bindgen(root: &Path, out: &Path, name: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    let input = wasm_target_dir(root)
        .join(WASM_TARGET)
        .join(PROFILE)
        .join(format!("{name}.wasm"));
    let bindgen_out = out.join("bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)
        .map_err(|e| format!("wasm-bindgen --target web: {e}"))?
        .typescript(false)
        .generate(&bindgen_out)
        .map_err(|e| format!("wasm-bindgen ({name}): {e:#}"))?;
    let js = read(&bindgen_out.join(format!("{name}.js")))?;
    let wasm = read(&bindgen_out.join(format!("{name}_bg.wasm")))?;
    Ok((js, wasm))
}

/// rustup installs only the host target, so the one build command adds the
/// wasm32 target itself when the toolchain lacks it.
fn ensure_wasm_target() -> Result<()> {
    let sysroot = Command::new(env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("rustc --print sysroot: {e}"))?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .exists()
    {
        return Ok(());
    }
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status();
    if !status.is_ok_and(|s| s.success()) {
        return Err(format!(
            "the {WASM_TARGET} target is missing and `rustup target add {WASM_TARGET}` failed: run it by hand"
        )
        .into());
    }
    Ok(())
}
