//! The queue's keys: `j`/`k` move the selection (the focused row's link)
//! to the next or previous ticket in the list's order, whatever the
//! writing direction; Enter (the link's own) or `o` opens it. (`/`, to
//! the search field, is the search field's own: see `filters.rs`.)

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::shortcuts::{Shortcut, use_shortcuts};

/// The rows' links, in the list's order.
fn links() -> Vec<HtmlElement> {
    let Ok(found) = leptos::prelude::document().query_selector_all(".queue-list .queue-link")
    else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Where the selection is: the row whose link has the focus.
fn selected(links: &[HtmlElement]) -> Option<usize> {
    let active = leptos::prelude::document().active_element()?;
    links.iter().position(|link| **link == active)
}

/// Moves the selection by `step` rows (the first row when there is none).
fn select(step: isize) -> bool {
    let links = links();
    let Some(last) = links.len().checked_sub(1) else {
        return false;
    };
    let next = match selected(&links) {
        Some(at) => at.saturating_add_signed(step).min(last),
        None => 0,
    };
    links.get(next).is_some_and(|link| link.focus().is_ok())
}

/// Takes the queue's keys while the queue is on screen.
pub fn use_queue_keys() {
    use_shortcuts(|shortcut| match shortcut {
        Shortcut::Next => select(1),
        Shortcut::Previous => select(-1),
        // Enter on the focused link opens it by itself; `o` clicks it.
        Shortcut::Open => {
            let links = links();
            let link = selected(&links).and_then(|at| links.get(at));
            link.inspect(|link| link.click()).is_some()
        }
        _ => false,
    });
}
