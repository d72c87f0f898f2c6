//! What the customer typed, kept in `localStorage` so that a reload, a
//! crashed tab or a lost connection loses nothing; cleared once sent.

use serde::{Serialize, de::DeserializeOwned};

fn storage(session: bool) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    if session {
        window.session_storage().ok().flatten()
    } else {
        window.local_storage().ok().flatten()
    }
}

/// Reads a stored value; anything unreadable counts as absent.
pub fn load<T: DeserializeOwned>(key: &str, session: bool) -> Option<T> {
    let text = storage(session)?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

pub fn save<T: Serialize>(key: &str, value: &T, session: bool) {
    if let (Some(storage), Ok(text)) = (storage(session), serde_json::to_string(value)) {
        // A full or disabled storage must not break the form.
        let _ = storage.set_item(key, &text);
    }
}

pub fn remove(key: &str, session: bool) {
    if let Some(storage) = storage(session) {
        let _ = storage.remove_item(key);
    }
}
