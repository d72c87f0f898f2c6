//! "Attach file": a drop zone that takes dragged files, the file picker and
//! pasted screenshots; each file uploads at once with its own progress bar,
//! shows a thumbnail if it is an image, and can be removed or retried.

use leptos::{ev, prelude::*, task::spawn_local};
use shared::{
    api::Upload,
    i18n::Key,
    limits::{ALLOWED_EXTENSIONS, AttachmentLimits, extension_allowed},
    validate::{Field, Problem},
};
use web_sys::{File, FileList, HtmlInputElement};

use crate::{api::ApiError, i18n::use_i18n, upload::upload};

/// Where one file is.
#[derive(Clone, Debug, PartialEq)]
pub enum FileState {
    /// Uploading; the fraction sent so far.
    Uploading(f64),
    Done(Upload),
    Failed(ApiError),
}

/// One file in the list. The `File` itself stays in the browser thread.
#[derive(Clone, Copy)]
pub struct FileEntry {
    pub key: u32,
    pub name: StoredValue<String>,
    pub size: u64,
    pub preview: StoredValue<Option<String>>,
    pub file: StoredValue<Option<File>, LocalStorage>,
    pub state: RwSignal<FileState>,
}

/// Keys are unique across every list on the page, restored or new.
fn next_key() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl FileEntry {
    /// An entry for a file uploaded before a reload (kept in the draft).
    pub fn restored(upload: Upload) -> FileEntry {
        FileEntry {
            key: next_key(),
            name: StoredValue::new(upload.name.clone()),
            size: upload.size,
            preview: StoredValue::new(None),
            file: StoredValue::new_local(None),
            state: RwSignal::new(FileState::Done(upload)),
        }
    }
}

/// The uploads that finished, in order.
pub fn uploaded(files: &[FileEntry]) -> Vec<Upload> {
    files
        .iter()
        .filter_map(|entry| match entry.state.get() {
            FileState::Done(upload) => Some(upload),
            _ => None,
        })
        .collect()
}

/// Whether every file has finished uploading (none pending, none failed).
pub fn all_uploaded(files: &[FileEntry]) -> bool {
    files
        .iter()
        .all(|entry| matches!(entry.state.get(), FileState::Done(_)))
}

#[component]
pub fn Attachments(
    /// The files attached so far; the parent reads the finished uploads.
    files: RwSignal<Vec<FileEntry>>,
    /// Limits from the server's configuration.
    #[prop(into)]
    limits: Signal<AttachmentLimits>,
    /// A problem reported by the server for the attachments as a whole.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Prefix for element ids, so two drop zones can share a page.
    #[prop(default = "attach")]
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let rejected = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);

    let add = move |list: FileList| {
        rejected.set(None);
        let limits = limits.get_untracked();
        for index in 0..list.length() {
            let Some(file) = list.get(index) else {
                continue;
            };
            let current = files.get_untracked();
            let total: u64 = current.iter().map(|entry| entry.size).sum();
            let size = file.size() as u64;
            let problem = if current.len() >= limits.max_files {
                Some(Problem::TooManyFiles {
                    max: limits.max_files,
                })
            } else if !extension_allowed(&file.name()) {
                Some(Problem::FileType)
            } else if size > limits.max_file_bytes {
                Some(Problem::FileTooLarge {
                    max: limits.max_file_bytes,
                })
            } else if total + size > limits.max_total_bytes {
                Some(Problem::TotalTooLarge {
                    max: limits.max_total_bytes,
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                rejected.set(Some(format!(
                    "{}: {}",
                    file.name(),
                    i18n.problem(Field::Attachments, problem)
                )));
                continue;
            }
            let preview = file
                .type_()
                .starts_with("image/")
                .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                .flatten();
            let entry = FileEntry {
                key: next_key(),
                name: StoredValue::new(file.name()),
                size,
                preview: StoredValue::new(preview),
                file: StoredValue::new_local(Some(file)),
                state: RwSignal::new(FileState::Uploading(0.0)),
            };
            files.update(|list| list.push(entry));
            start(entry);
        }
    };

    let on_paste = window_event_listener(ev::paste, move |event: web_sys::ClipboardEvent| {
        let pasted = event.clipboard_data().and_then(|data| data.files());
        if let Some(list) = pasted.filter(|list| list.length() > 0) {
            event.prevent_default();
            add(list);
        }
    });
    on_cleanup(move || on_paste.remove());

    let remove = move |entry: FileEntry| {
        if let Some(url) = entry.preview.get_value() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        files.update(|list| list.retain(|other| other.key != entry.key));
    };

    let input_id = format!("{id}-input");
    let accept = ALLOWED_EXTENSIONS
        .iter()
        .map(|ext| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(",");
    let message = move || rejected.get().or_else(|| error.get());
    let limits_text = move || {
        let limits = limits.get();
        i18n.fill(
            Key::AttachLimits,
            &[
                ("files", &i18n.number(limits.max_files as f64)),
                ("size", &i18n.size(limits.max_file_bytes)),
                ("total", &i18n.size(limits.max_total_bytes)),
            ],
        )
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");

    view! {
        <div class="field attachments" class:invalid=move || message().is_some()>
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                on:dragover=move |event: ev::DragEvent| {
                    event.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |event: ev::DragEvent| {
                    event.prevent_default();
                    dragging.set(false);
                    if let Some(list) = event.data_transfer().and_then(|data| data.files()) {
                        add(list);
                    }
                }
            >
                <p class="dropzone-text">{move || i18n.t(Key::AttachDrop)}</p>
                <label for=input_id.clone() class="button secondary">{move || i18n.t(Key::AttachFile)}</label>
                <input
                    id=input_id
                    class="visually-hidden"
                    type="file"
                    multiple
                    accept=accept
                    aria-describedby=format!("{hint_id} {error_id}")
                    on:change=move |event| {
                        let input: HtmlInputElement = event_target(&event);
                        if let Some(list) = input.files() {
                            add(list);
                        }
                        input.set_value("");
                    }
                />
                <p class="hint" id=hint_id>{limits_text}</p>
            </div>
            <ul class="files" aria-label=move || i18n.t(Key::AttachList)>
                <For each=move || files.get() key=|entry| entry.key let:entry>
                    <FileRow entry=entry on_remove=Callback::new(move |()| remove(entry)) />
                </For>
            </ul>
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

fn start(entry: FileEntry) {
    let Some(file) = entry.file.get_value() else {
        return;
    };
    entry.state.set(FileState::Uploading(0.0));
    spawn_local(async move {
        let state = entry.state;
        let result = upload(&file, move |fraction| {
            state.set(FileState::Uploading(fraction))
        })
        .await;
        entry.state.set(match result {
            Ok(upload) => FileState::Done(upload),
            Err(error) => FileState::Failed(error),
        });
    });
}

#[component]
fn FileRow(
    /// The file shown on this row.
    entry: FileEntry,
    /// Removes the file from the list.
    on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = entry.name.get_value();
    let status = move || match entry.state.get() {
        FileState::Uploading(fraction) => {
            let label = i18n.fill(Key::AttachUploading, &[("name", &entry.name.get_value())]);
            view! { <progress max="1" value=fraction aria-label=label></progress> }.into_any()
        }
        FileState::Done(_) => {
            view! { <span class="ok">{i18n.t(Key::AttachDone)}</span> }.into_any()
        }
        FileState::Failed(error) => {
            let retry_label = i18n.fill(Key::AttachRetry, &[("name", &entry.name.get_value())]);
            view! {
                <span class="field-error">{i18n.t(Key::AttachFailed)} ": " {error.message(i18n)}</span>
                {entry.file.get_value().is_some().then(|| view! {
                    <button type="button" class="link-button" aria-label=retry_label on:click=move |_| start(entry)>
                        {i18n.t(Key::Retry)}
                    </button>
                })}
            }
            .into_any()
        }
    };
    let remove_label = move || i18n.fill(Key::AttachRemove, &[("name", &entry.name.get_value())]);
    view! {
        <li class="file">
            {match entry.preview.get_value() {
                Some(url) => view! { <img class="thumb" src=url alt="" /> }.into_any(),
                None => view! { <span class="thumb file-icon" aria-hidden="true"></span> }.into_any(),
            }}
            <div class="file-info">
                <bdi class="file-name">{name}</bdi>
                <span class="file-size">{move || i18n.size(entry.size)}</span>
                <div class="file-status">{status}</div>
            </div>
            <button type="button" class="link-button" aria-label=remove_label on:click=move |_| on_remove.run(())>
                {move || i18n.t(Key::Remove)}
            </button>
        </li>
    }
}
