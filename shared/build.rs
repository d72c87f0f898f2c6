//! Turns `locales/*.json` into Rust: a `Lang` enum with one variant per file
//! and a `Key` enum with one variant per message, each resolved by a `match`;
//! `locales/console/*.json` likewise into `ConsoleKey` (the staff console's)
//! and `locales/mail/*.json` into `MailKey` (the emails').
//! A key used in code but absent from the files is a compile error; a key
//! missing from (or extra in) one language fails the build here, naming it.

use std::{
    collections::BTreeMap, error::Error, fmt::Write as _, fs, path::Path, process::ExitCode,
};

/// The language every other file is checked against.
const REFERENCE: &str = "en";

/// Language code → key → text.
type Locales = BTreeMap<String, BTreeMap<String, String>>;

/// A build script reports failure on stderr and with its exit status; Cargo
/// shows that output when the build fails.
fn main() -> ExitCode {
    match generate() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn generate() -> Result<(), Box<dyn Error>> {
    let locales = load(Path::new("locales"))?;
    let reference = checked(&locales, "locales")?;

    let mut out = String::new();
    out.push_str("/// A language the interface and the emails are written in.\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\npub enum Lang {\n");
    for code in locales.keys() {
        writeln!(out, "    #[serde(rename = {code:?})]\n    {},", camel(code))?;
    }
    out.push_str("}\n\nimpl Lang {\n    pub const ALL: &'static [Lang] = &[");
    for code in locales.keys() {
        write!(out, "Lang::{}, ", camel(code))?;
    }
    out.push_str("];\n\n    /// The BCP 47 code, as in `<html lang>`.\n    pub fn code(self) -> &'static str {\n        match self {\n");
    for code in locales.keys() {
        writeln!(out, "            Lang::{} => {code:?},", camel(code))?;
    }
    out.push_str("        }\n    }\n\n    pub fn from_code(code: &str) -> Option<Lang> {\n        match code {\n");
    for code in locales.keys() {
        writeln!(out, "            {code:?} => Some(Lang::{}),", camel(code))?;
    }
    out.push_str("            _ => None,\n        }\n    }\n}\n\n");
    out.push_str("/// A translated message; `text` gives it in one language.\n");
    messages(&mut out, "Key", &reference, &locales)?;
    write(&out, "i18n.rs")?;

    // The staff console's texts and the emails' live apart, each in an enum
    // of its own: `Key::text` is one `match`, so the linker could drop none
    // of its arms, and the customer's bundle would carry texts it never
    // shows. They are checked the same way and must come in exactly the
    // languages of the main files.
    for (dir, name, file, doc) in [
        (
            "locales/console",
            "ConsoleKey",
            "console_i18n.rs",
            "A message of the staff console",
        ),
        (
            "locales/mail",
            "MailKey",
            "mail_i18n.rs",
            "A text of the emails the server sends",
        ),
    ] {
        let catalogue = load(Path::new(dir))?;
        let catalogue_reference = checked(&catalogue, dir)?;
        if catalogue.keys().ne(locales.keys()) {
            return Err(format!(
                "{dir}/ must have one file per language of locales/: {:?} vs {:?}",
                catalogue.keys().collect::<Vec<_>>(),
                locales.keys().collect::<Vec<_>>()
            )
            .into());
        }
        let mut out = format!("/// {doc} (`{dir}/*.json`).\n");
        messages(&mut out, name, &catalogue_reference, &catalogue)?;
        write(&out, file)?;
    }
    Ok(())
}

/// Every `<lang>.json` of `dir`: language code → key → text.
fn load(dir: &Path) -> Result<Locales, Box<dyn Error>> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut locales = Locales::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let code = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: the file name is not UTF-8", path.display()))?
            .to_owned();
        let text =
            fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let map: BTreeMap<String, String> = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a flat JSON object of strings: {e}", path.display()))?;
        locales.insert(code, map);
    }
    Ok(locales)
}

/// The English messages, once every language has exactly their keys and
/// placeholders.
fn checked(locales: &Locales, dir: &str) -> Result<BTreeMap<String, String>, Box<dyn Error>> {
    let reference = locales
        .get(REFERENCE)
        .ok_or_else(|| format!("{dir}/{REFERENCE}.json is required"))?
        .clone();
    let mut problems = Vec::new();
    for (code, map) in locales {
        for key in reference.keys().filter(|k| !map.contains_key(*k)) {
            problems.push(format!("{dir}/{code}.json: missing key {key}"));
        }
        for key in map.keys().filter(|k| !reference.contains_key(*k)) {
            problems.push(format!(
                "{dir}/{code}.json: key {key} is not in {REFERENCE}.json"
            ));
        }
        for (key, value) in map {
            if let Some(english) = reference.get(key)
                && placeholders(english) != placeholders(value)
            {
                problems.push(format!(
                    "{dir}/{code}.json: key {key} must use the placeholders {:?}",
                    placeholders(english)
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "translation files are out of step:\n{}",
            problems.join("\n")
        )
        .into());
    }
    Ok(reference)
}

/// The enum `name` with one variant per key, its `text(lang)` `match` and
/// `fill` (the text with its placeholders filled, by `i18n::fill`).
fn messages(
    out: &mut String,
    name: &str,
    reference: &BTreeMap<String, String>,
    locales: &Locales,
) -> Result<(), Box<dyn Error>> {
    writeln!(
        out,
        "#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum {name} {{"
    )?;
    for key in reference.keys() {
        writeln!(out, "    {},", camel(key))?;
    }
    writeln!(
        out,
        "}}\n\nimpl {name} {{\n    pub fn text(self, lang: Lang) -> &'static str {{\n        match lang {{"
    )?;
    for (code, map) in locales {
        writeln!(out, "            Lang::{} => match self {{", camel(code))?;
        for (key, value) in map {
            writeln!(out, "                {name}::{} => {value:?},", camel(key))?;
        }
        out.push_str("            },\n");
    }
    out.push_str("        }\n    }\n\n");
    out.push_str("    /// The message with each `{name}` replaced by its value.\n");
    out.push_str("    pub fn fill(self, lang: Lang, args: &[(&str, &str)]) -> String {\n");
    out.push_str("        fill(self.text(lang), args)\n    }\n}\n");
    Ok(())
}

/// Writes generated code into `OUT_DIR`.
fn write(code: &str, name: &str) -> Result<(), Box<dyn Error>> {
    let target = Path::new(&std::env::var("OUT_DIR")?).join(name);
    fs::write(&target, code).map_err(|e| format!("writing {}: {e}", target.display()))?;
    Ok(())
}

/// `status-open` and `attach_file` become `StatusOpen` and `AttachFile`.
fn camel(key: &str) -> String {
    key.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The `{name}` placeholders of a message, sorted.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}
