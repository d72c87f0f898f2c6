//! How the page starts its app: a few lines appended to wasm-bindgen's JS
//! glue, so one script request does it, that ask for the wasm only once the
//! static first screen is on the screen.

use super::Result;

/// The lines appended to wasm-bindgen's glue that start the app: one script
/// request instead of glue plus a boot module. They wait until the static
/// first screen is on the screen — the browser's first-contentful-paint
/// entry, written once that frame is presented — and only then ask for the
/// wasm, so its download and compiling never hold back the first paint
/// (which is also why the wasm is not preloaded). A frame painted is not yet
/// presented: starting just after painting, the download often began before
/// the presentation time, and Lighthouse then counted it as what the first
/// screen waited for (LCP 3.3 s instead of 1.0 s, run to run). Without paint
/// timing, or if no paint is reported within 3 s, the app starts anyway.
pub fn after_first_paint(glue: &[u8], wasm_path: &str) -> Result<String> {
    // The glue's init function is not exported by a name the module can call
    // itself; its local name is stable for the pinned wasm-bindgen release.
    const INIT: &str = "async function __wbg_init(";
    if !String::from_utf8_lossy(glue).contains(INIT) {
        return Err(format!("wasm-bindgen's glue has no `{INIT}`: update api/build.rs").into());
    }
    Ok(format!(
        "
let __pasokh_started = false;
const __pasokh_start = () => {{
  if (!__pasokh_started) {{
    __pasokh_started = true;
    __wbg_init({{ module_or_path: '{wasm_path}' }});
  }}
}};
if (globalThis.PerformanceObserver?.supportedEntryTypes?.includes('paint')) {{
  new PerformanceObserver((list) => {{
    if (list.getEntriesByName('first-contentful-paint').length) __pasokh_start();
  }}).observe({{ type: 'paint', buffered: true }});
  setTimeout(__pasokh_start, 3000);
}} else {{
  __pasokh_start();
}}
"
    ))
}
