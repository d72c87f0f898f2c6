//! What crawlers and phones ask a site for besides its pages: `/robots.txt`,
//! a web app manifest per language (named from the locale files) and its
//! icons, PNGs drawn here in the brand colour (the favicon's speech bubble on
//! a full square, so they also serve as maskable icons).

use std::io::Write as _;

use shared::{
    i18n::{Key, Lang},
    pages::{PRIVATE_PREFIXES, manifest_file},
};

use super::{Asset, Result, add, shell};

/// Square icon sizes: what Chrome asks for an installable app.
const ICON_SIZES: [u32; 2] = [192, 512];

/// The splash screen's ground (`--ground` in static/style.css).
const BACKGROUND: &str = "#f3f5f8";

pub fn assets(assets: &mut Vec<Asset>) -> Result<()> {
    add(
        assets,
        "/robots.txt".into(),
        "text/plain; charset=utf-8",
        false,
        robots().into_bytes(),
    );
    for lang in Lang::ALL {
        add(
            assets,
            manifest_file(*lang),
            "application/manifest+json",
            false,
            manifest(*lang).into_bytes(),
        );
    }
    for size in ICON_SIZES {
        add(assets, icon_path(size), "image/png", false, icon(size)?);
    }
    Ok(())
}

fn icon_path(size: u32) -> String {
    format!("/static/icon-{size}.png")
}

/// The home page and what it links to may be crawled; one person's pages,
/// the API and the staff console may not.
fn robots() -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for prefix in PRIVATE_PREFIXES.iter().chain(&["/api/", "/console"]) {
        text.push_str(&format!("Disallow: {prefix}\n"));
    }
    text
}

fn manifest(lang: Lang) -> String {
    let mut icons: Vec<String> = ICON_SIZES
        .iter()
        .map(|&size| icon_entry(size, "any"))
        .collect();
    icons.push(icon_entry(512, "maskable"));
    format!(
        "{{\"name\":{name},\"short_name\":{short},\"description\":{description},\
         \"lang\":\"{code}\",\"dir\":\"{dir}\",\"start_url\":\"/\",\"scope\":\"/\",\
         \"display\":\"standalone\",\"background_color\":\"{BACKGROUND}\",\
         \"theme_color\":\"{brand}\",\"icons\":[{icons}]}}\n",
        name = json(Key::AppName.text(lang)),
        short = json(Key::AppShortName.text(lang)),
        description = json(Key::HomeIntro.text(lang)),
        code = lang.code(),
        dir = lang.dir().as_str(),
        brand = shell::BRAND,
        icons = icons.join(","),
    )
}

fn icon_entry(size: u32, purpose: &str) -> String {
    format!(
        "{{\"src\":\"{}\",\"sizes\":\"{size}x{size}\",\"type\":\"image/png\",\"purpose\":\"{purpose}\"}}",
        icon_path(size)
    )
}

/// A JSON string literal (Rust's `{:?}` is not one: it writes `\u{200c}`).
fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The favicon's bubble (static/favicon.svg, a 32-unit square).
const BUBBLE: [(f32, f32); 7] = [
    (8.0, 9.0),
    (24.0, 9.0),
    (24.0, 20.0),
    (15.0, 20.0),
    (10.0, 24.0),
    (10.0, 20.0),
    (8.0, 20.0),
];

/// A `size`² RGB PNG: white bubble on the brand colour, edges smoothed by
/// 4×4 samples per pixel.
fn icon(size: u32) -> Result<Vec<u8>> {
    let brand = rgb(shell::BRAND)?;
    let scale = 32.0 / size as f32;
    let mut rows = Vec::with_capacity((size * (size * 3 + 1)) as usize);
    for y in 0..size {
        rows.push(0); // filter: none
        for x in 0..size {
            let mut inside = 0u32;
            for sy in 0..4 {
                for sx in 0..4 {
                    let px = (x as f32 + (sx as f32 + 0.5) / 4.0) * scale;
                    let py = (y as f32 + (sy as f32 + 0.5) / 4.0) * scale;
                    inside += u32::from(in_bubble(px, py));
                }
            }
            for channel in brand {
                let mixed = (u32::from(channel) * (16 - inside) + 255 * inside) / 16;
                rows.push(mixed as u8);
            }
        }
    }
    let mut header = Vec::new();
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&rows)?;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib.finish()?);
    chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

/// Even-odd rule against the bubble's outline.
fn in_bubble(x: f32, y: f32) -> bool {
    let mut inside = false;
    for (i, &(x1, y1)) in BUBBLE.iter().enumerate() {
        let (x2, y2) = BUBBLE[(i + 1) % BUBBLE.len()];
        if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
            inside = !inside;
        }
    }
    inside
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

/// `#rrggbb` as bytes.
fn rgb(hex: &str) -> Result<[u8; 3]> {
    let digits = hex.strip_prefix('#').ok_or("a colour starts with #")?;
    let mut out = [0; 3];
    for (i, byte) in out.iter_mut().enumerate() {
        let pair = digits
            .get(i * 2..i * 2 + 2)
            .ok_or("a colour has 6 digits")?;
        *byte = u8::from_str_radix(pair, 16)?;
    }
    Ok(out)
}
