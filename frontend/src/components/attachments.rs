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

use crate::{
    i18n::use_i18n,
    net::{self, ApiError},
};

/// Where one file is.
#[derive(Clone, Debug, PartialEq)]
pub enum FileState {
    /// Uploading; the percentage sent so far (whole: an `f64` attribute
    /// would bring float formatting into the bundle, 10 KB).
    Uploading(u8),
    Done(Upload),
    Failed(ApiError),
}

/// One file in the list: plain data inside the list's one signal, so the
/// list outlives whichever view added the file (a wizard step, say).
#[derive(Clone, Debug, PartialEq)]
pub struct FileEntry {
    pub key: u32,
    pub name: String,
    pub size: u64,
    /// An object URL for an image's thumbnail.
    pub preview: Option<String>,
    /// When the file was added (ms since the epoch): the server forgets
    /// uploads nobody sent within 24 hours.
    pub added_at: f64,
    pub state: FileState,
}

thread_local! {
    /// The browser's `File` objects, kept for a retry, by entry key.
    static FILES: std::cell::RefCell<std::collections::HashMap<u32, File>> = Default::default();
}

/// Keys are unique across every list on the page, restored or new.
fn next_key() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl FileEntry {
    /// An entry for a file uploaded before a reload (kept in the draft).
    pub fn restored(upload: Upload, added_at: f64) -> FileEntry {
        FileEntry {
            key: next_key(),
            name: upload.name.clone(),
            size: upload.size,
            preview: None,
            added_at,
            state: FileState::Done(upload),
        }
    }

    pub fn upload(&self) -> Option<&Upload> {
        match &self.state {
            FileState::Done(upload) => Some(upload),
            _ => None,
        }
    }
}

/// The uploads that finished, in order.
pub fn uploaded(files: &[FileEntry]) -> Vec<Upload> {
    files
        .iter()
        .filter_map(FileEntry::upload)
        .cloned()
        .collect()
}

/// Whether every file has finished uploading (none pending, none failed).
pub fn all_uploaded(files: &[FileEntry]) -> bool {
    files.iter().all(|entry| entry.upload().is_some())
}

fn set_state(files: RwSignal<Vec<FileEntry>>, key: u32, state: FileState) {
    // The list may be gone (the page was left while uploading): then nothing.
    files.try_update(|list| {
        if let Some(entry) = list.iter_mut().find(|entry| entry.key == key) {
            entry.state = state;
        }
    });
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
                rejected.set(Some(i18n.fill(
                    Key::AttachRejected,
                    &[
                        ("name", &file.name()),
                        ("problem", &i18n.problem(Field::Attachments, problem)),
                    ],
                )));
                continue;
            }
            let preview = file
                .type_()
                .starts_with("image/")
                .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                .flatten();
            let key = next_key();
            let entry = FileEntry {
                key,
                name: file.name(),
                size,
                preview,
                added_at: js_sys::Date::now(),
                state: FileState::Uploading(0),
            };
            FILES.with(|all| all.borrow_mut().insert(key, file));
            files.update(|list| list.push(entry));
            start(files, key);
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

    let remove = move |key: u32| {
        FILES.with(|all| all.borrow_mut().remove(&key));
        files.update(|list| {
            if let Some(url) = list
                .iter()
                .find(|e| e.key == key)
                .and_then(|e| e.preview.as_ref())
            {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            list.retain(|other| other.key != key);
        });
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
                    <FileRow
                        files=files
                        entry=entry.clone()
                        on_remove=Callback::new(move |()| remove(entry.key))
                    />
                </For>
            </ul>
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

fn start(files: RwSignal<Vec<FileEntry>>, key: u32) {
    let Some(file) = FILES.with(|all| all.borrow().get(&key).cloned()) else {
        return;
    };
    set_state(files, key, FileState::Uploading(0));
    spawn_local(async move {
        let result = net::uploads::create(&file, move |fraction| {
            set_state(files, key, FileState::Uploading((fraction * 100.0) as u8))
        })
        .await;
        let state = match result {
            Ok(upload) => FileState::Done(upload),
            Err(error) => FileState::Failed(error),
        };
        set_state(files, key, state);
    });
}

#[component]
fn FileRow(
    /// The list the file is in; its state is read from there.
    files: RwSignal<Vec<FileEntry>>,
    /// The file as it was added (name, size, preview do not change).
    entry: FileEntry,
    /// Removes the file from the list.
    on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = entry.key;
    let name = entry.name.clone();
    let state =
        move || files.with(|list| list.iter().find(|e| e.key == key).map(|e| e.state.clone()));
    let status = {
        let name = name.clone();
        move || match state() {
            Some(FileState::Uploading(percent)) => {
                let label = i18n.fill(Key::AttachUploading, &[("name", &name)]);
                view! { <progress max="100" value=percent aria-label=label></progress> }.into_any()
            }
            Some(FileState::Done(_)) => {
                view! { <span class="ok">{i18n.t(Key::AttachDone)}</span> }.into_any()
            }
            Some(FileState::Failed(error)) => {
                let retry_label = i18n.fill(Key::AttachRetry, &[("name", &name)]);
                let can_retry = FILES.with(|all| all.borrow().contains_key(&key));
                view! {
                    <span class="field-error">
                        {i18n.fill(Key::AttachFailedBecause, &[("reason", &error.message(i18n))])}
                    </span>
                    {can_retry.then(|| view! {
                        <button type="button" class="link-button" aria-label=retry_label on:click=move |_| start(files, key)>
                            {i18n.t(Key::Retry)}
                        </button>
                    })}
                }
                .into_any()
            }
            None => ().into_any(),
        }
    };
    let remove_label = {
        let name = name.clone();
        move || i18n.fill(Key::AttachRemove, &[("name", &name)])
    };
    view! {
        <li class="file">
            {match entry.preview {
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
