//! Builds the browser bundle and embeds it: compiles `frontend` to wasm32 with
//! a nested cargo, runs wasm-bindgen as a library (no CLI to install), names
//! every asset after a hash of its content, pre-compresses it with brotli and
//! gzip, and writes `assets.rs`, a table `src/assets.rs` includes.
//!
//! `PASOKH_SKIP_WASM=1` writes a placeholder bundle instead, for fast
//! server-only `cargo check`/`clippy` loops. The bundle-size test fails on a
//! placeholder binary, so it can never be shipped or tested by accident.

use std::{
    env,
    error::Error,
    fs,
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use sha2::{Digest, Sha256};

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

fn build() -> Result<()> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest
        .parent()
        .ok_or("api/ has no parent folder")?
        .to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR")?);
    for watched in [
        "frontend",
        "shared",
        "static",
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=PASOKH_SKIP_WASM");

    let (js, wasm) = if env::var("PASOKH_SKIP_WASM").is_ok_and(|v| v == "1") {
        println!(
            "cargo:warning=PASOKH_SKIP_WASM=1: embedding a placeholder instead of the web app"
        );
        (
            b"/* placeholder: built with PASOKH_SKIP_WASM=1 */".to_vec(),
            None,
        )
    } else {
        let (js, wasm) = build_frontend(&root, &out)?;
        (js, Some(wasm))
    };

    let static_dir = root.join("static");
    let mut assets = Vec::new();
    let js_path = hashed("frontend", "js", &js);
    let mut boot = format!("import init from '{js_path}';\n");
    if let Some(wasm) = wasm {
        let wasm_path = hashed("frontend_bg", "wasm", &wasm);
        boot.push_str(&format!("init({{ module_or_path: '{wasm_path}' }});\n"));
        assets.push(asset(wasm_path, "application/wasm", true, wasm));
    }
    assets.push(asset(
        js_path.clone(),
        "text/javascript; charset=utf-8",
        true,
        js,
    ));
    let boot_path = hashed("boot", "js", boot.as_bytes());
    assets.push(asset(
        boot_path.clone(),
        "text/javascript; charset=utf-8",
        true,
        boot.into_bytes(),
    ));

    let css = read(&static_dir.join("style.css"))?;
    let css_path = hashed("style", "css", &css);
    assets.push(asset(
        css_path.clone(),
        "text/css; charset=utf-8",
        true,
        css,
    ));

    // Static files other than the templates keep their names under /static/;
    // fonts and icons change rarely and are cached for a day.
    let entries =
        fs::read_dir(&static_dir).map_err(|e| format!("reading {}: {e}", static_dir.display()))?;
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
        assets.push(asset(format!("/static/{name}"), content_type, false, bytes));
    }

    let wasm_preload = assets
        .iter()
        .find(|a| a.path.ends_with(".wasm"))
        .map(|a| format!("<link rel=\"preload\" href=\"{}\" as=\"fetch\" type=\"application/wasm\" crossorigin>", a.path))
        .unwrap_or_default();
    let index = String::from_utf8(read(&static_dir.join("index.html"))?)?
        .replace("{{css}}", &css_path)
        .replace("{{boot}}", &boot_path)
        .replace("{{modulepreload}}", &js_path)
        .replace("{{preload}}", &wasm_preload);
    // One index per language, so the frame paints in the right direction
    // (and screen readers know the language) before the wasm starts.
    for lang in shared::i18n::Lang::ALL {
        let page = index.replace(
            "<html lang=\"en\" dir=\"ltr\">",
            &format!(
                "<html lang=\"{}\" dir=\"{}\">",
                lang.code(),
                lang.dir().as_str()
            ),
        );
        assets.push(asset(
            format!("/index.{}.html", lang.code()),
            "text/html; charset=utf-8",
            false,
            page.into_bytes(),
        ));
    }

    write_table(&out, &assets)
}

/// `fs::read` with the path in the error.
fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()).into())
}

/// `fs::write` with the path in the error.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()).into())
}

fn asset(path: String, content_type: &'static str, immutable: bool, bytes: Vec<u8>) -> Asset {
    Asset {
        path,
        content_type,
        immutable,
        bytes,
    }
}

/// `/assets/<stem>-<first 12 hex digits of sha256>.<ext>`: safe to cache forever.
fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("/assets/{stem}-{hex}.{ext}")
}

fn build_frontend(root: &Path, out: &Path) -> Result<(Vec<u8>, Vec<u8>)> {
    ensure_wasm_target()?;
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Its own target dir: sharing the outer one deadlocks on the build lock.
    let target_dir = root.join("target").join("frontend");
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "build",
            "-p",
            "frontend",
            "--target",
            WASM_TARGET,
            "--profile",
            PROFILE,
            // Cargo does not tell a build script whether the outer build got
            // `--locked`, `--offline` or `--frozen` (only `CARGO_*` variables
            // are passed; rust-lang/cargo#11074). `--locked` is always right
            // here: the outer cargo has already resolved the whole workspace,
            // frontend included, into the committed Cargo.lock, so this can
            // only fail if something rewrote the lock file in between.
            // Offline builds: `CARGO_NET_OFFLINE=true` or `net.offline` in a
            // config file reach this cargo too (same environment, same folder).
            "--locked",
        ])
        .arg("--target-dir")
        .arg(&target_dir);
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
        .map_err(|e| format!("running cargo for the frontend: {e}"))?;
    if !status.success() {
        return Err(format!("building the frontend for {WASM_TARGET} failed (see above)").into());
    }

    let input = target_dir
        .join(WASM_TARGET)
        .join(PROFILE)
        .join("frontend.wasm");
    let bindgen_out = out.join("bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)
        .map_err(|e| format!("wasm-bindgen --target web: {e}"))?
        .typescript(false)
        .generate(&bindgen_out)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    let js = read(&bindgen_out.join("frontend.js"))?;
    let wasm = read(&bindgen_out.join("frontend_bg.wasm"))?;
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

fn write_table(out: &Path, assets: &[Asset]) -> Result<()> {
    let dir = out.join("assets");
    fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let mut table = String::from("pub static ASSETS: &[Asset] = &[\n");
    for (i, asset) in assets.iter().enumerate() {
        let raw = dir.join(format!("{i}.raw"));
        write(&raw, &asset.bytes)?;
        let br = dir.join(format!("{i}.br"));
        let gz = dir.join(format!("{i}.gz"));
        let compressible = !asset.content_type.starts_with("font/")
            && !asset.content_type.starts_with("image/png");
        if compressible {
            write(&br, &brotli_bytes(&asset.bytes)?)?;
            write(&gz, &gzip_bytes(&asset.bytes)?)?;
        }
        let variant = |p: &Path| {
            if compressible {
                format!("Some(include_bytes!({:?}))", p.display().to_string())
            } else {
                "None".to_owned()
            }
        };
        table.push_str(&format!(
            "    Asset {{ path: {:?}, content_type: {:?}, immutable: {}, raw: include_bytes!({:?}), br: {}, gzip: {} }},\n",
            asset.path,
            asset.content_type,
            asset.immutable,
            raw.display().to_string(),
            variant(&br),
            variant(&gz),
        ));
    }
    table.push_str("];\n");
    write(&out.join("assets.rs"), table.as_bytes())
}

fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}
