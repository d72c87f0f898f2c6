//! Uploading one file with progress. `fetch` reports no upload progress, so
//! this uses `XMLHttpRequest` and its `upload.onprogress`.

use shared::api::{CSRF_HEADER, Upload};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use crate::net::{ApiError, error_from_text};

/// POSTs `file` to `url` (built by `net::uploads`), calling `on_progress`
/// with a fraction from 0 to 1 as bytes leave the browser.
pub async fn send(
    url: &str,
    file: &File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Upload, ApiError> {
    let xhr = XmlHttpRequest::new().map_err(|_| ApiError::Unexpected)?;
    xhr.open("POST", url).map_err(|_| ApiError::Unexpected)?;
    xhr.set_request_header(CSRF_HEADER, "1")
        .map_err(|_| ApiError::Unexpected)?;

    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() && event.total() > 0.0 {
            on_progress(event.loaded() / event.total());
        }
    });
    if let Ok(target) = xhr.upload() {
        target.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }

    // Resolves on load (any status) and rejects on a network error; the
    // closures live until the promise settles because we hold them here.
    let mut handlers: Vec<Closure<dyn FnMut(JsValue)>> = Vec::new();
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let on_load = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = reject.call0(&JsValue::NULL);
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers.push(on_load);
        handlers.push(on_error);
    });
    xhr.send_with_opt_blob(Some(file))
        .map_err(|_| ApiError::Network)?;
    let settled = JsFuture::from(done).await;
    drop(handlers);
    drop(progress);
    settled.map_err(|_| ApiError::Network)?;

    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if status == 201 {
        serde_json::from_str(&text).map_err(|_| ApiError::Unexpected)
    } else {
        Err(error_from_text(&text))
    }
}
