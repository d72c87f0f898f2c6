//! Keyboard shortcuts. A page (or part of one) takes the keys it acts on
//! with `use_shortcuts` while it is on screen, and runs the same actions its
//! buttons do; `Help` is the `?` overlay that lists them all. No shortcut
//! fires while the member types in a field, with Ctrl, Alt or Meta held, or
//! while a dialog is open. Letters are read by their key, or by the key's
//! place on the keyboard when the layout gives another alphabet (`j` is
//! `ت` on a Persian keyboard): the same keys work in every language, and
//! `j`/`k` are about order (next, previous), never about direction.

use leptos::{ev, html, prelude::*};
use shared::i18n::ConsoleKey;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

use crate::i18n::{Console, use_i18n};

/// What a key asks for. (Enter needs none: on the selected row's link it
/// opens the ticket by itself.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    Next,
    Previous,
    Open,
    Search,
    Reply,
    Note,
    Take,
    Close,
    Canned,
    Help,
}

/// The overlay's table: (keys, what they do, where).
const LIST: &[(&[&str], ConsoleKey, ConsoleKey)] = &[
    (&["j"], ConsoleKey::KeysNext, ConsoleKey::KeysQueue),
    (&["k"], ConsoleKey::KeysPrevious, ConsoleKey::KeysQueue),
    (&["Enter", "o"], ConsoleKey::KeysOpen, ConsoleKey::KeysQueue),
    (&["/"], ConsoleKey::KeysSearch, ConsoleKey::KeysQueue),
    (&["r"], ConsoleKey::KeysReply, ConsoleKey::KeysTicket),
    (&["n"], ConsoleKey::KeysNote, ConsoleKey::KeysTicket),
    (&["c"], ConsoleKey::KeysCanned, ConsoleKey::KeysTicket),
    (&["a"], ConsoleKey::KeysTake, ConsoleKey::KeysTicket),
    (&["e"], ConsoleKey::KeysClose, ConsoleKey::KeysTicket),
    (&["?"], ConsoleKey::KeysHelp, ConsoleKey::KeysAnywhere),
];

/// The character a key press stands for: the key itself when it is ASCII,
/// else the US-layout key at the same place.
fn character(event: &KeyboardEvent) -> Option<char> {
    let key = event.key();
    let mut chars = key.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_graphic()
    {
        return Some(c.to_ascii_lowercase());
    }
    if key == "؟" {
        return Some('?');
    }
    let code = event.code();
    match code.strip_prefix("Key") {
        Some(letter) if letter.len() == 1 => letter.chars().next().map(|c| c.to_ascii_lowercase()),
        _ if code == "Slash" => Some(if event.shift_key() { '?' } else { '/' }),
        _ => None,
    }
}

/// The shortcut a key press is, if it is one here and now.
pub fn shortcut(event: &KeyboardEvent) -> Option<Shortcut> {
    if event.ctrl_key() || event.alt_key() || event.meta_key() || event.is_composing() {
        return None;
    }
    if event.default_prevented() || typing_in(event) || dialog_open() {
        return None;
    }
    Some(match character(event)? {
        'j' => Shortcut::Next,
        'k' => Shortcut::Previous,
        'o' => Shortcut::Open,
        '/' => Shortcut::Search,
        'r' => Shortcut::Reply,
        'n' => Shortcut::Note,
        'a' => Shortcut::Take,
        'e' => Shortcut::Close,
        'c' => Shortcut::Canned,
        '?' => Shortcut::Help,
        _ => return None,
    })
}

fn typing_in(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(
                element.local_name().as_str(),
                "input" | "textarea" | "select"
            ) || element
                .closest("[contenteditable]")
                .ok()
                .flatten()
                .is_some()
        })
}

fn dialog_open() -> bool {
    document()
        .query_selector("dialog[open]")
        .ok()
        .flatten()
        .is_some()
}

/// Calls `act` with each shortcut pressed while the calling component is
/// on screen; when it answers `true` the key's default is prevented.
pub fn use_shortcuts(act: impl Fn(Shortcut) -> bool + 'static) {
    let handle = window_event_listener(ev::keydown, move |event| {
        if let Some(shortcut) = shortcut(&event)
            && act(shortcut)
        {
            event.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Focuses the element with `id` once the page has drawn what is pending.
pub fn focus_soon(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// `?`: a modal dialog listing every shortcut. The browser keeps the focus
/// inside it and closes it with Escape; focus returns where it was.
#[component]
pub fn Help() -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    use_shortcuts(move |shortcut| {
        let Some(dialog) = dialog.get_untracked() else {
            return false;
        };
        shortcut == Shortcut::Help && dialog.show_modal().is_ok()
    });
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let rows = LIST
        .iter()
        .map(|(keys, what, place)| {
            let keys = keys
                .iter()
                .enumerate()
                .map(|(i, key)| {
                    view! {
                        {(i > 0).then(|| view! { " " {move || i18n.tr(ConsoleKey::KeysOr)} " " })}
                        <kbd>{*key}</kbd>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <td class="keys" dir="ltr">{keys}</td>
                    <td>{move || i18n.tr(*what)}</td>
                    <td>{move || i18n.tr(*place)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <dialog node_ref=dialog class="shortcuts card" aria-labelledby="shortcuts-title"
            aria-describedby="shortcuts-hint">
            <h2 id="shortcuts-title">{move || i18n.tr(ConsoleKey::KeysTitle)}</h2>
            <p id="shortcuts-hint" class="hint">{move || i18n.tr(ConsoleKey::KeysHint)}</p>
            <table>
                <tbody>{rows}</tbody>
            </table>
            <button type="button" class="button secondary" on:click=close>
                {move || i18n.tr(ConsoleKey::CannedClose)}
            </button>
        </dialog>
    }
}
