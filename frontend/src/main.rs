//! The customer portal, compiled to wasm32 and embedded in the `pasokh`
//! binary. `app.rs` is the place to start: the routes and the page frame.

mod api;
mod app;
mod components;
mod draft;
mod i18n;
mod pages;
mod upload;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
