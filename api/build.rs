//! Builds the browser bundle and embeds it: compiles `frontend` to wasm32 with
//! a nested cargo, runs wasm-bindgen as a library (no CLI to install), names
//! every asset after a hash of its content, pre-compresses it with brotli and
//! gzip, and writes `assets.rs`, a table `src/assets.rs` includes.
//!
//! `PASOKH_SKIP_WASM=1` writes a placeholder bundle instead, for fast
//! server-only `cargo check`/`clippy` loops. The bundle-size test fails on a
//! placeholder binary, so it can never be shipped or tested by accident.

use std::{
    env, fs,
    io::Write as _,
    path::{Path, PathBuf},
    process::Command,
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

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().expect("workspace root").to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
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
        let (js, wasm) = build_frontend(&root, &out);
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

    let css = fs::read(static_dir.join("style.css")).expect("static/style.css");
    let css_path = hashed("style", "css", &css);
    assets.push(asset(
        css_path.clone(),
        "text/css; charset=utf-8",
        true,
        css,
    ));

    // Static files other than the templates keep their names under /static/;
    // fonts and icons change rarely and are cached for a day.
    for entry in fs::read_dir(&static_dir).expect("static/") {
        let path = entry.expect("static entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name")
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
            other => panic!("static/{name}: add a content type for {other:?} in api/build.rs"),
        };
        let bytes = fs::read(&path).expect("static file");
        assets.push(asset(format!("/static/{name}"), content_type, false, bytes));
    }

    let wasm_preload = assets
        .iter()
        .find(|a| a.path.ends_with(".wasm"))
        .map(|a| format!("<link rel=\"preload\" href=\"{}\" as=\"fetch\" type=\"application/wasm\" crossorigin>", a.path))
        .unwrap_or_default();
    let index = fs::read_to_string(static_dir.join("index.html"))
        .expect("static/index.html")
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

    write_table(&out, &assets);
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

fn build_frontend(root: &Path, out: &Path) -> (Vec<u8>, Vec<u8>) {
    ensure_wasm_target();
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
    let status = command.status().expect("run cargo for the frontend");
    assert!(
        status.success(),
        "building the frontend for {WASM_TARGET} failed (see above)"
    );

    let input = target_dir
        .join(WASM_TARGET)
        .join(PROFILE)
        .join("frontend.wasm");
    let bindgen_out = out.join("bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)
        .expect("wasm-bindgen --target web")
        .typescript(false)
        .generate(&bindgen_out)
        .expect("wasm-bindgen");
    let js = fs::read(bindgen_out.join("frontend.js")).expect("frontend.js");
    let wasm = fs::read(bindgen_out.join("frontend_bg.wasm")).expect("frontend_bg.wasm");
    (js, wasm)
}

/// `RUSTUP_AUTO_INSTALL=0` machines do not add targets from
/// rust-toolchain.toml, so the one build command adds it itself.
fn ensure_wasm_target() {
    let sysroot = Command::new(env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc --print sysroot");
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .exists()
    {
        return;
    }
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "the {WASM_TARGET} target is missing and `rustup target add {WASM_TARGET}` failed: run it by hand"
    );
}

fn write_table(out: &Path, assets: &[Asset]) {
    let dir = out.join("assets");
    fs::create_dir_all(&dir).expect("assets dir");
    let mut table = String::from("pub static ASSETS: &[Asset] = &[\n");
    for (i, asset) in assets.iter().enumerate() {
        let raw = dir.join(format!("{i}.raw"));
        fs::write(&raw, &asset.bytes).expect("write asset");
        let br = dir.join(format!("{i}.br"));
        let gz = dir.join(format!("{i}.gz"));
        let compressible = !asset.content_type.starts_with("font/")
            && !asset.content_type.starts_with("image/png");
        if compressible {
            fs::write(&br, brotli_bytes(&asset.bytes)).expect("write br");
            fs::write(&gz, gzip_bytes(&asset.bytes)).expect("write gz");
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
    fs::write(out.join("assets.rs"), table).expect("write assets.rs");
}

fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).expect("brotli");
    }
    out
}

fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}
