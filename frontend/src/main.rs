//! The customer portal, compiled to wasm32 and embedded in the `pasokh`
//! binary. `app.rs` is the place to start: the routes and the page frame.
//! The building blocks it shares with the staff console (language, request
//! helpers, upload, components) are this package's library, `lib.rs`.

mod account;
mod api;
mod app;
mod draft;
mod pages;

// At the crate root, so the pages name them as before (`crate::i18n`).
use frontend::{components, i18n};

fn main() {
    frontend::start::mount(app::App);
}
