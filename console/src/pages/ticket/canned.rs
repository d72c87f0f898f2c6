//! The canned-reply picker beside the reply box: a button (or the `c` key)
//! opens a modal dialog with a search field over the titles and texts and
//! a list of replies (the combobox pattern: arrows move, Enter picks,
//! Escape closes). The server fills the chosen reply in for the ticket, in
//! its language; the text goes in at the cursor, or replaces an empty box,
//! for the member to edit and send as usual.

use leptos::{html, prelude::*};
use shared::{
    console::{CannedReply, canned::variant_for},
    i18n::{ConsoleKey, Lang},
};
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

use super::{Ticket, loaded};
use crate::{
    api::{self, StaffMessage},
    i18n::{Console, use_i18n},
};

/// Puts `text` into the box `id` holds `body` of: at the cursor (over the
/// selection), or in place of an empty box; the cursor ends after it.
pub fn insert(id: &'static str, body: RwSignal<String>, text: &str) {
    let area = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok());
    let current: Vec<u16> = body.with_untracked(|b| {
        if b.trim().is_empty() {
            Vec::new()
        } else {
            b.encode_utf16().collect()
        }
    });
    // The selection counts UTF-16 units, as JavaScript strings do.
    let cursor = |read: fn(&HtmlTextAreaElement) -> Option<u32>| {
        area.as_ref()
            .and_then(read)
            .map_or(current.len(), |at| (at as usize).min(current.len()))
    };
    let end = cursor(|a| a.selection_end().ok().flatten());
    let start = cursor(|a| a.selection_start().ok().flatten()).min(end);
    let inserted: Vec<u16> = text.encode_utf16().collect();
    let caret = start + inserted.len();
    let mut units = current;
    units.splice(start..end, inserted);
    body.set(String::from_utf16_lossy(&units));
    request_animation_frame(move || {
        if let Some(area) = area {
            let _ = area.focus();
            let _ = area.set_selection_range(caret as u32, caret as u32);
        }
    });
}

#[component]
pub fn Picker(
    /// The box it inserts into (`reply-body` or `note-body`).
    target: &'static str,
    /// Whether the dialog is open (the `c` key sets it too).
    open: RwSignal<bool>,
    /// The page's ticket: its reference and language.
    ticket: Ticket,
    /// Called with the filled text of the reply picked.
    on_pick: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let replies = LocalResource::new(api::canned::list);
    let (search_id, list_id, title_id) = (
        format!("{target}-canned-search"),
        format!("{target}-canned-list"),
        format!("{target}-canned-title"),
    );
    let lang = move || loaded(ticket, |t| t.lang).unwrap_or(Lang::En);
    let shown = Memo::new(move |_| {
        let wanted = query.get();
        match replies.get() {
            Some(Ok(list)) => list.into_iter().filter(|r| r.matches(&wanted)).collect(),
            _ => Vec::<CannedReply>::new(),
        }
    });
    let focus_search = search_id.clone();
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let Some(dialog) = dialog.get() else {
            return;
        };
        if !dialog.open() && dialog.show_modal().is_ok() {
            query.set(String::new());
            active.set(0);
            replies.refetch();
            if let Some(input) = document()
                .get_element_by_id(&focus_search)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        }
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let fill = Action::new_local(move |id: &i64| {
        let reference = loaded(ticket, |t| t.reference.clone()).unwrap_or_default();
        let sent = api::canned::filled(*id, &reference);
        async move {
            let filled = sent.await?;
            close();
            on_pick.run(filled.body);
            Ok::<_, api::ApiError>(())
        }
    });
    let pick = move |at: usize| {
        if let Some(reply) = shown.with_untracked(|list| list.get(at).cloned()) {
            fill.dispatch(reply.id);
        }
    };
    let failed = move || match &*fill.value().read() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    };
    let option_id = move |id: i64| format!("{target}-canned-{id}");
    let active_id = move || shown.with(|list| list.get(active.get()).map(|r| option_id(r.id)));
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = shown.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" => active.update(|a| *a = (*a + 1).min(count.saturating_sub(1))),
            "ArrowUp" => active.update(|a| *a = a.saturating_sub(1)),
            "Home" => active.set(0),
            "End" => active.set(count.saturating_sub(1)),
            "Enter" => pick(active.get_untracked()),
            _ => return,
        }
        event.prevent_default();
    };
    let rows = move || {
        let lang = lang();
        shown
            .get()
            .into_iter()
            .enumerate()
            .map(|(at, reply)| {
                let preview = variant_for(&reply.variants, lang)
                    .map(|v| v.body.chars().take(120).collect::<String>())
                    .unwrap_or_default();
                let whose = if reply.shared {
                    ConsoleKey::CannedShared
                } else {
                    ConsoleKey::CannedMine
                };
                view! {
                    <li role="option" id=option_id(reply.id) class="canned-option"
                        aria-selected=move || (active.get() == at).to_string()
                        on:mousedown=|event| event.prevent_default()
                        on:click=move |_| pick(at)>
                        <bdi class="canned-name">{reply.title.clone()}</bdi>
                        <span class="canned-whose">{move || i18n.tr(whose)}</span>
                        <bdi class="canned-preview">{preview}</bdi>
                    </li>
                }
            })
            .collect_view()
    };
    let labelled_by = title_id.clone();
    view! {
        <button type="button" class="button secondary canned-open" aria-haspopup="dialog"
            on:click=move |_| open.set(true)>
            {move || i18n.tr(ConsoleKey::CannedInsert)}
        </button>
        <dialog node_ref=dialog class="canned-picker card" aria-labelledby=labelled_by
            on:close=move |_| open.set(false)>
            <h2 id=title_id>{move || i18n.tr(ConsoleKey::CannedReplies)}</h2>
            <div class="field">
                <label for=search_id.clone()>{move || i18n.tr(ConsoleKey::CannedSearch)}</label>
                <p class="hint" id=format!("{target}-canned-hint")>
                    {move || i18n.tr(ConsoleKey::CannedPickerHint)}
                </p>
                <input id=search_id type="search" dir="auto" role="combobox" autocomplete="off"
                    aria-autocomplete="list" aria-expanded="true" aria-controls=list_id.clone()
                    aria-describedby=format!("{target}-canned-hint")
                    aria-activedescendant=active_id
                    prop:value=move || query.get()
                    on:input=move |event| {
                        query.set(event_target_value(&event));
                        active.set(0);
                    }
                    on:keydown=keydown />
            </div>
            <ul role="listbox" id=list_id class="canned-list"
                aria-label=move || i18n.tr(ConsoleKey::CannedReplies)>
                {rows}
            </ul>
            <p class="empty" role="status">
                {move || (replies.get().is_some() && shown.with(Vec::is_empty))
                    .then(|| i18n.tr(ConsoleKey::CannedNone))}
            </p>
            <p class="field-error" role="alert">{failed}</p>
            <button type="button" class="button secondary" on:click=move |_| close()>
                {move || i18n.tr(ConsoleKey::CannedClose)}
            </button>
        </dialog>
    }
}
