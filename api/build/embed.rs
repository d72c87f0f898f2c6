//! The embedded bundle's table for `src/assets.rs`: each asset's bytes as a
//! file in `OUT_DIR`, with brotli (11) and gzip (9) variants for everything
//! but fonts and PNG images, which are compressed already.

use std::{fs, io::Write as _, path::Path};

use super::{Asset, Result, write};

pub fn write_table(out: &Path, assets: &[Asset]) -> Result<()> {
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
