//! What a page that loads one thing by its key (a ticket by reference, on
//! either side) shows while it loads, when it is not there, when loading
//! failed and once it is loaded.

use shared::api::ErrorCode;

use crate::net::ApiError;

/// The kind of content a page shows. A `Memo` of it changes only when the
/// kind (or the key) changes, so a refetch, or an answer written into the
/// resource, updates the view in place instead of rebuilding it (which
/// would drop the focus and a half-typed reply).
#[derive(Clone, Debug, PartialEq)]
pub enum Shown<K> {
    Loading,
    /// The server answered `not_found`.
    NotFound,
    Failed(ApiError),
    /// Loaded: the key of what is shown (the reference, say).
    Loaded(K),
}

impl<K> Shown<K> {
    /// The kind of a resource's value; `key` names the loaded value.
    pub fn of<T>(value: Option<&Result<T, ApiError>>, key: impl FnOnce(&T) -> K) -> Self {
        match value {
            None => Shown::Loading,
            Some(Ok(value)) => Shown::Loaded(key(value)),
            Some(Err(error)) if error.code() == Some(ErrorCode::NotFound) => Shown::NotFound,
            Some(Err(error)) => Shown::Failed(error.clone()),
        }
    }
}
